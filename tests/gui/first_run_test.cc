// The app's first run and its coaching commands through the core layer: a
// new notebook has a competency model to ride along with at once (or none,
// asked for --empty, and Settings adds it later); the demo's coaching
// adherence reaches the snapshot; a command's rule breaks as a notice.
#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ridealong/core/coaching_facts.h"

using namespace ridealong;
using ridealong::testing::HeadlessUi;

namespace {
gui::AppOptions fresh(bool starter) {
  gui::AppOptions o;
  o.startSync = false;
  o.starterContent = starter;
  return o;
}
}  // namespace

TEST_CASE("first run: a new notebook can ride along at once", "[gui][first_run]") {
  HeadlessUi ui(fresh(true));
  auto& m = ui.model();
  CHECK(m.snapshot().skills.size() == 10);
  CHECK(m.snapshot().templates.size() == 1);
  REQUIRE(m.addRep("Ana Lima", "North", ""));
  m.update();
  REQUIRE(m.snapshot().reps.size() == 1);
  m.setRideRep(m.snapshot().reps[0].id);
  m.go(gui::Screen::kRideAlong);
  REQUIRE(m.startCall({}));
  ui.frames(2);
  // The capture buttons are the starter model's skills.
  CHECK(ui.has("capture/strength/Prospecting"));
  CHECK(ui.has("capture/improve/Closing"));
  ui.click("capture/strength/Discovery questions");
  m.update();
  auto* d = m.sessionDetail(*m.activeCall());
  REQUIRE(d);
  REQUIRE(d->observations.size() == 1);
  CHECK(d->observations[0].skill == "Discovery questions");

  // Reopening does not add the model again.
  ui.reopen(fresh(true));
  CHECK(ui.model().snapshot().skills.size() == 10);
}

TEST_CASE("first run --empty: no model until Settings adds it", "[gui][first_run]") {
  HeadlessUi ui(fresh(false));
  auto& m = ui.model();
  CHECK(m.snapshot().skills.empty());
  REQUIRE(m.addStarterContent());
  m.update();
  CHECK(m.snapshot().skills.size() == 10);
  REQUIRE(m.addStarterContent());  // again: nothing twice
  m.update();
  CHECK(m.snapshot().skills.size() == 10);
}

TEST_CASE("the demo's coaching adherence reaches the snapshot", "[gui][coaching]") {
  HeadlessUi ui;  // the demo notebook
  const auto& s = ui.model().snapshot();
  CHECK(s.skills.size() == 10);  // the demo's own model, not the starter one as well
  CHECK(s.adherence.due() > 0);
  CHECK(s.adherence.onTime > 0);
  CHECK(s.adherence.missed == static_cast<int>(s.missed.size()));
  core::Adherence sum;
  for (const auto& row : s.team) sum += row.adherence;
  CHECK(sum.due() == s.adherence.due());
  for (const auto& m : s.missed) CHECK(core::keptOf(m, ui.model().now()) == core::Kept::kMissed);
}

TEST_CASE("a command that breaks a rule says so and writes nothing", "[gui][coaching]") {
  HeadlessUi ui;
  auto& m = ui.model();
  REQUIRE_FALSE(m.snapshot().planned.empty());
  core::RecordId planned = m.snapshot().planned.front().id;
  REQUIRE(m.startPlanned(planned));
  m.update();
  uint64_t changes = m.snapshot().stats.changes;
  auto again = m.startPlanned(planned);
  CHECK_FALSE(again);
  CHECK(m.notice().error);
  CHECK_THAT(m.notice().text, Catch::Contains("already started"));
  m.update();
  CHECK(m.snapshot().stats.changes == changes);
}
