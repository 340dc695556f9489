// The app on a tablet, driven as a manager would with a finger: the Menu
// that replaces the sidebar on a narrow window, and capture in portrait
// with the note field, the skill tiles and the last captures on one screen.
#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ok_value.h"
#include "ridealong/gui/screens.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;

TEST_CASE("tablet: a narrow window has a Menu instead of the sidebar, and it navigates", "[gui][tablet]") {
  HeadlessUi ui(HeadlessUi::demoOptions(), 768, 1024);
  ui.touch(true);
  ui.frames(2);
  CHECK(ui.has("Menu##nav-menu"));
  CHECK_FALSE(ui.has("nav/team"));  // no sidebar
  ui.click("Menu##nav-menu");
  ui.frames(2);  // a popup is measured in its first frame, shown in the next
  REQUIRE(ui.has("nav/team"));
  ui.click("nav/team");
  CHECK(ui.model().screen() == Screen::kTeam);
  ui.frames(2);
  CHECK_FALSE(ui.has("nav/team"));  // the menu closed

  // Turned to landscape on a laptop-sized window: the sidebar is back.
  ui.touch(false);
  ui.resize(1280, 800);
  ui.frames(2);
  CHECK(ui.has("nav/team"));
  CHECK_FALSE(ui.has("Menu##nav-menu"));
}

TEST_CASE("tablet: portrait capture has the note on top, every skill and the last captures on one screen",
          "[gui][tablet]") {
  HeadlessUi ui(HeadlessUi::demoOptions(), 768, 1024);
  ui.touch(true);
  auto& m = ui.model();
  m.setRideRep(m.snapshot().team.front().overview.rep);
  REQUIRE(m.startCall(ridealong::gui::NewCall{}));
  m.go(Screen::kRideAlong);
  ui.frames(3);
  const auto& skills = m.snapshot().skills;
  REQUIRE(skills.size() >= 10);

  // A tap on a tile takes the note typed first.
  ui.typeInto("##capture-note", "asked for the budget owner");
  ui.click("capture/strength/" + skills[0].name);
  auto obs = OK_VALUE(storeOf(m).sessionObservations(*m.activeCall()));
  REQUIRE(obs.size() == 1);
  CHECK(ridealong::core::Observation::from(obs[0]).text == "asked for the budget owner");
  ui.wait(20 * 1000);  // the next observation, 20 s later
  ui.click("capture/improve/" + skills[1].name);
  ui.frames(2);

  // Everything the capture needs is on screen without scrolling: the note
  // field above every tile (an on-screen keyboard covers the lower half),
  // and the last capture's line above the tiles too.
  const auto note = ui.registry().find("##capture-note");
  REQUIRE(note);
  float tilesTop = 1e9f, tilesBottom = 0;
  for (const auto& s : skills) {
    for (const char* kind : {"capture/strength/", "capture/improve/"}) {
      auto tile = ui.registry().find(kind + s.name);
      INFO(kind << s.name);
      REQUIRE(tile);
      tilesTop = std::min(tilesTop, tile->y0);
      tilesBottom = std::max(tilesBottom, tile->y1);
      CHECK(tile->y1 - tile->y0 >= 44);
      CHECK(tile->x1 - tile->x0 >= 44);
    }
  }
  CHECK(note->y1 < tilesTop);
  CHECK(note->y0 < 1024 / 2);
  CHECK(tilesBottom <= 1024);
  const auto last = ui.registry().find("capture/last/0");
  REQUIRE(last);
  CHECK(last->text.find(skills[1].name) != std::string::npos);  // newest first
  CHECK(last->y1 <= tilesTop);
}
