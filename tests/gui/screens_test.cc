// Every screen draws real ImGui frames over a demo notebook, headless.
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ridealong/gui/screens.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;

TEST_CASE("every screen renders on a demo notebook", "[gui][screens]") {
  HeadlessUi ui;
  auto& m = ui.model();
  REQUIRE(!m.snapshot().team.empty());
  m.openRep(m.snapshot().team.front().overview.rep);
  m.setRideRep(m.snapshot().team.front().overview.rep);
  for (Screen s : ridealong::gui::kAllScreens) {
    INFO("screen " << ridealong::gui::screenName(s));
    if (s == Screen::kDebrief) {
      const auto* d = m.repDetail(m.snapshot().team.front().overview.rep);
      REQUIRE(d);
      REQUIRE(!d->sessions.empty());
      m.openDebrief(d->sessions.front().id);
    } else {
      m.go(s);
    }
    ui.frames(4);
    CHECK(m.screen() == s);
    // Something real was drawn: text and widgets, not an empty window.
    CHECK(ui.lastVertices() > 500);
    CHECK(ui.has("nav/" + std::string(ridealong::gui::screenName(s))));
  }
}

TEST_CASE("navigation by clicking the sidebar", "[gui][screens]") {
  HeadlessUi ui;
  ui.frames(2);
  ui.click("nav/team");
  CHECK(ui.model().screen() == Screen::kTeam);
  // The team table lists every rep; clicking one opens the Rep screen.
  const std::string name = ui.model().snapshot().team.front().overview.name;
  ui.frames(1);
  ui.click("team/row/" + name);
  CHECK(ui.model().screen() == Screen::kRep);
  REQUIRE(ui.model().selectedRep());
  CHECK(*ui.model().selectedRep() == ui.model().snapshot().team.front().overview.rep);
  ui.press('F', /*ctrl=*/true);
  CHECK(ui.model().screen() == Screen::kSearch);
}

TEST_CASE("screens render on an empty notebook and in touch mode and dark theme", "[gui][screens]") {
  ridealong::gui::AppOptions empty;
  empty.startSync = false;
  HeadlessUi ui(empty);
  ui.model().settings().touchMode = true;
  ui.model().settings().theme = ridealong::gui::Theme::kDark;
  ridealong::gui::applyStyle(ui.model().settings(), 1.0f);
  for (Screen s : ridealong::gui::kAllScreens) {
    ui.model().go(s);
    ui.frames(3);
    CHECK(ui.lastVertices() > 200);
  }
  CHECK(ui.model().snapshot().team.empty());
}

TEST_CASE("adding a rep from the Team screen", "[gui][screens]") {
  ridealong::gui::AppOptions empty;
  empty.startSync = false;
  HeadlessUi ui(empty);
  ui.model().go(Screen::kTeam);
  ui.frames(2);
  ui.typeInto("##new-rep-name", "Dana Scully");
  ui.typeInto("##new-rep-team", "East");
  ui.click("Add rep");
  ui.frames(2);
  REQUIRE(ui.model().snapshot().reps.size() == 1);
  CHECK(ui.model().snapshot().reps[0].name == "Dana Scully");
  CHECK(ui.model().snapshot().reps[0].team == "East");
}

TEST_CASE("search as you type, then open a hit", "[gui][screens]") {
  HeadlessUi ui;
  auto& m = ui.model();
  const auto rep = m.snapshot().reps.back();
  ui.press('F', /*ctrl=*/true);
  REQUIRE(m.screen() == Screen::kSearch);
  ui.frame();  // the field takes focus
  ui.type(rep.name);
  for (int i = 0; i < 2000 && (m.search().busy() || m.search().results().empty()); i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ui.frame();
  }
  REQUIRE(!m.search().results().empty());
  CHECK(m.search().query() == rep.name);
  CHECK(m.search().results().front().type == "rep");
  ui.click("search/hit/0");
  CHECK(m.screen() == Screen::kRep);
  REQUIRE(m.selectedRep());
  CHECK(*m.selectedRep() == rep.id);
}

TEST_CASE("delete a rep, find it in the trash, restore it", "[gui][screens]") {
  HeadlessUi ui;
  auto& m = ui.model();
  const auto rep = m.snapshot().reps.front();
  size_t reps = m.snapshot().reps.size();
  m.openRep(rep.id);
  ui.frames(2);
  ui.click("Delete rep");
  ui.frame();
  CHECK(m.snapshot().reps.size() == reps - 1);
  CHECK(storeOf(m).get(rep.id)->deleted());
  ui.click("nav/trash");
  ui.frame();
  ui.click("trash/restore/" + rep.name);
  ui.frame();
  CHECK(m.snapshot().reps.size() == reps);
  CHECK(!storeOf(m).get(rep.id)->deleted());
}
