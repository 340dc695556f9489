// Nothing is cut off at 1280x800, with touch mode off and on (its 1.3x
// scale): every tracked button and field of the main screens lies inside
// the region it is drawn in (the screen, a table column), so right-aligned
// buttons leave room for the scrollbar and columns for their contents.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ridealong/gui/screens.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;

namespace {

// Tracked buttons and fields that run past the right (or left) edge of
// their clip rectangle; a pixel of rounding is allowed.
std::vector<std::string> cutOff(const HeadlessUi& ui) {
  std::vector<std::string> out;
  for (const auto& [key, r] : ui.registry().items()) {
    if (!r.control || r.x1 <= r.x0) continue;
    if (r.clipped || r.x1 > r.clipX1 + 1.0f || r.x0 < r.clipX0 - 1.0f)
      out.push_back(key + " [" + std::to_string(r.x0) + ", " + std::to_string(r.x1) + "] outside [" +
                    std::to_string(r.clipX0) + ", " + std::to_string(r.clipX1) + "]");
  }
  return out;
}

void checkScreen(HeadlessUi& ui, const std::string& what) {
  ui.frames(4);  // scrollbars and column widths settle over a frame or two
  auto cut = cutOff(ui);
  INFO(what << (ui.model().settings().touchMode ? ", touch mode" : ""));
  for (const auto& c : cut) UNSCOPED_INFO(c);
  CHECK(cut.empty());
}

}  // namespace

TEST_CASE("nothing is cut off at 1280x800, touch mode off and on", "[gui][layout]") {
  for (bool touch : {false, true}) {
    HeadlessUi ui(HeadlessUi::demoOptions(), 1280, 800);
    ui.touch(touch);
    auto& m = ui.model();
    const auto rep = m.snapshot().team.front().overview.rep;
    for (Screen s : ridealong::gui::kAllScreens) {
      if (s == Screen::kRep) m.openRep(rep);
      else if (s == Screen::kDebrief) m.openDebrief(m.repDetail(rep)->sessions.front().id);
      else m.go(s);
      checkScreen(ui, std::string(ridealong::gui::screenName(s)));
    }
    // The ride-along's steps: the rep picker, the next call's form, a call.
    m.clearRideRep();
    m.go(Screen::kRideAlong);
    checkScreen(ui, "ride-along: pick a rep");
    m.setRideRep(rep);
    checkScreen(ui, "ride-along: next call");
    REQUIRE(m.startCall(ridealong::gui::NewCall{}));
    checkScreen(ui, "ride-along: during a call");
    // Today with a missed session being moved to another day.
    m.go(Screen::kToday);
    if (!m.snapshot().missed.empty()) {
      ui.frames(2);
      ui.click("Re-plan##missed-" + m.snapshot().missed.front().id.str());
      checkScreen(ui, "today: re-plan");
    }
  }
}

TEST_CASE("nothing is cut off on a new notebook at 1280x800", "[gui][layout]") {
  for (bool touch : {false, true}) {
    ridealong::gui::AppOptions fresh;
    fresh.startSync = false;
    HeadlessUi ui(fresh, 1280, 800);
    ui.touch(touch);
    for (Screen s : ridealong::gui::kAllScreens) {
      ui.model().go(s);
      checkScreen(ui, std::string(ridealong::gui::screenName(s)));
    }
  }
}
