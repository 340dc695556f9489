// Fields edited on two devices at once show side by side on the Sync screen;
// "Keep this" settles them with a new change.
#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ok_value.h"
#include "ridealong/core/records.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;
using ridealong::testing::TempDir;
namespace core = ridealong::core;
namespace platform = ridealong::platform;

namespace {

void exchange(core::Notebook& from, core::Notebook& to) {
  auto changes = from.changesSince(OK_VALUE(to.versionVector()));
  REQUIRE(changes.isOk());
  auto r = to.applyChanges(*changes);
  INFO(r.status().toString());
  REQUIRE(r.isOk());
}

}  // namespace

TEST_CASE("a conflict is shown side by side and settled by a tap", "[gui][sync]") {
  ridealong::gui::AppOptions o;
  o.startSync = false;
  HeadlessUi ui(o);
  auto& laptop = storeOf(ui.model());
  TempDir tabletDir;
  core::NotebookOptions create;
  create.create = true;
  auto tablet = core::Notebook::open(ui.env(), tabletDir.sub("nb"), create);  // same clock
  REQUIRE(tablet.isOk());

  REQUIRE(ui.model().addRep("Sam Ortiz", "East", "").isOk());
  exchange(laptop, **tablet);
  core::RecordId rep = OK_VALUE((*tablet)->listType("rep")).front().id;
  // Both devices rename the rep while apart.
  REQUIRE(ui.model().setField(rep, "name", core::Value("Sam Ortiz-Lee"), "rename").isOk());
  core::ChangeBuilder c;
  c.set(rep, "name", core::Value("Samuel Ortiz"));
  REQUIRE((*tablet)->commit(c).isOk());
  exchange(**tablet, laptop);
  exchange(laptop, **tablet);

  ui.model().go(Screen::kSync);
  ui.frames(2);
  REQUIRE(ui.model().snapshot().conflicts.size() == 1);
  const auto& conflict = ui.model().snapshot().conflicts.front();
  REQUIRE(conflict.values.size() == 2);
  // Keep the value that lost last-writer-wins: nothing typed is lost.
  std::string loser = conflict.values[1].value.asText();
  ui.click("Keep this##1-1");
  ui.frames(1);
  CHECK(ui.model().snapshot().conflicts.empty());
  CHECK(core::Rep::from(*laptop.get(rep)).name == loser);
  // The settlement syncs: the tablet converges to the same value, no conflict.
  exchange(laptop, **tablet);
  CHECK(OK_VALUE((*tablet)->conflicts()).empty());
  CHECK(core::Rep::from(*(*tablet)->get(rep)).name == loser);
  CHECK(OK_VALUE((*tablet)->dump()) == OK_VALUE(laptop.dump()));
}
