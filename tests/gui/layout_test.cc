// Every screen fits its window, from a portrait tablet to a desktop monitor:
// at 768x1024, 1024x768, 1280x800 and 1920x1080, touch mode off and on, at
// 1x and 1.5x text, nothing is cut or wider than its column, no word is
// broken across lines, and in touch mode everything tapped is at least
// 44 x 44 px (layout_check.h says how each is found).
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include "headless_ui.h"
#include "layout_check.h"
#include "ridealong/gui/screens.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;

namespace {

struct Size {
  float width, height;
};
constexpr Size kSizes[] = {{768, 1024}, {1024, 768}, {1280, 800}, {1920, 1080}};

// RIDEALONG_LAYOUT_REPORT=FILE appends every fault found to FILE, one per
// line (the figures in docs/benchmarks.md count them).
void report(const std::vector<std::string>& faults) {
  for (const auto& f : faults) UNSCOPED_INFO(f);
  if (const char* path = std::getenv("RIDEALONG_LAYOUT_REPORT")) {
    std::ofstream out(path, std::ios::app);
    for (const auto& f : faults) out << f << "\n";
  }
}

// Draws a few frames (scrollbars and column widths settle over a frame or
// two) and returns the faults, each prefixed with where it was seen.
// Below the fold too: the screen is scrolled down a page at a time and
// checked again (only what is in view is tracked); each fault once.
std::vector<std::string> faultsOf(HeadlessUi& ui, const std::string& where) {
  ridealong::testing::LayoutCheck check;
  check.touch = ui.model().settings().touchMode;
  std::vector<std::string> out;
  std::set<std::string> seen;
  ui.frames(4);
  for (int page = 0; page < 40; page++) {
    ui.io();  // this app's context
    for (auto& f : ridealong::testing::layoutFaults(ui.registry(), check))
      if (seen.insert(f).second) out.push_back(where + ": " + f);
    ui.io();
    if (!ridealong::testing::scrollScreen()) break;
    ui.frames(2);
  }
  ui.io();
  ridealong::testing::scrollScreen(/*top=*/true);
  ui.frames(1);
  return out;
}

// Every screen and the ride-along's steps, in the window as it is now.
std::vector<std::string> everyScreen(HeadlessUi& ui, const std::string& where) {
  auto& m = ui.model();
  std::vector<std::string> out;
  auto add = [&](const std::string& what) {
    for (auto& f : faultsOf(ui, where + ", " + what)) out.push_back(std::move(f));
  };
  const bool demo = !m.snapshot().team.empty();
  for (Screen s : ridealong::gui::kAllScreens) {
    if (demo && s == Screen::kRep) m.openRep(m.snapshot().team.front().overview.rep);
    else if (demo && s == Screen::kDebrief)
      m.openDebrief(m.repDetail(m.snapshot().team.front().overview.rep)->sessions.front().id);
    else m.go(s);
    if (demo && s == Screen::kSearch) {  // with hits: their lines must fit too
      ui.state().searchQuery = "call";
      ui.frame();
      for (int i = 0; i < 400 && m.search().busy(); i++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ui.frame();
      }
      CHECK(m.search().results().size() > 0);
    }
    add(std::string(ridealong::gui::screenName(s)));
  }
  if (!demo) return out;
  const auto rep = m.snapshot().team.front().overview.rep;
  m.clearRideRep();
  m.go(Screen::kRideAlong);
  add("ride-along: pick a rep");
  m.setRideRep(rep);
  add("ride-along: next call");
  return out;
}

}  // namespace

TEST_CASE("every screen fits at tablet to desktop sizes, touch mode off and on, 1x and 1.5x text", "[gui][layout]") {
  HeadlessUi ui(HeadlessUi::demoOptions());
  std::vector<std::string> faults;
  for (bool touch : {false, true})
    for (float text : {1.0f, 1.5f}) {
      ui.look(touch, text);
      for (const Size& size : kSizes) {
        ui.resize(size.width, size.height);
        auto found = everyScreen(
            ui, fmt::format("{:.0f}x{:.0f}{}, text {}x", size.width, size.height, touch ? " touch" : "", text));
        faults.insert(faults.end(), found.begin(), found.end());
      }
    }
  report(faults);
  CHECK(faults.size() == 0);
}

TEST_CASE("a call in progress and a missed session being moved fit at every size", "[gui][layout]") {
  HeadlessUi ui(HeadlessUi::demoOptions());
  auto& m = ui.model();
  const auto rep = m.snapshot().team.front().overview.rep;
  m.setRideRep(rep);
  REQUIRE(m.startCall(ridealong::gui::NewCall{}));
  REQUIRE(m.capture(m.snapshot().skills.front().name, "strength", "asked two open questions before the demo"));
  std::vector<std::string> faults;
  for (bool touch : {false, true}) {
    ui.look(touch, 1.0f);
    for (const Size& size : kSizes) {
      ui.resize(size.width, size.height);
      const std::string where = fmt::format("{:.0f}x{:.0f}{}", size.width, size.height, touch ? " touch" : "");
      m.go(Screen::kRideAlong);
      for (auto& f : faultsOf(ui, where + ", ride-along: during a call")) faults.push_back(f);
      m.go(Screen::kToday);
      ui.frames(2);
      if (!m.snapshot().missed.empty()) {
        ui.click("Re-plan##missed-" + m.snapshot().missed.front().id.str());
        for (auto& f : faultsOf(ui, where + ", today: re-plan")) faults.push_back(f);
      }
    }
  }
  report(faults);
  CHECK(faults.size() == 0);
}

TEST_CASE("a new notebook's screens fit at every size", "[gui][layout]") {
  ridealong::gui::AppOptions fresh;
  fresh.startSync = false;
  HeadlessUi ui(fresh);
  std::vector<std::string> faults;
  for (bool touch : {false, true}) {
    ui.look(touch, 1.0f);
    for (const Size& size : kSizes) {
      ui.resize(size.width, size.height);
      auto found = everyScreen(ui, fmt::format("{:.0f}x{:.0f}{}", size.width, size.height, touch ? " touch" : ""));
      faults.insert(faults.end(), found.begin(), found.end());
    }
  }
  report(faults);
  CHECK(faults.size() == 0);
}

TEST_CASE("the layout check finds what does not fit", "[gui][layout]") {
  // A frame of plain ImGui in the app's context with one fault of each
  // kind: the check must name every one (it is what the tests above trust).
  HeadlessUi ui(HeadlessUi::demoOptions());
  ui.frame();
  ui.io();
  ridealong::gui::ItemRegistry registry;
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(300, 400));
  ImGui::Begin("narrow", nullptr, ImGuiWindowFlags_NoSavedSettings);
  ImGui::TextUnformatted("a line of text much wider than the three hundred pixels of this window");
  if (ImGui::BeginTable("##two", 2)) {
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("Manufacturing and distribution");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("ok");
    ImGui::EndTable();
  }
  ImGui::SmallButton("x");
  ridealong::gui::ItemRect small{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x,
                                 ImGui::GetItemRectMax().y};
  small.tappable = true;
  registry.add("small", small);
  ImGui::End();
  ImGui::Render();
  ridealong::testing::LayoutCheck check;
  check.touch = true;
  auto faults = ridealong::testing::layoutFaults(registry, check);
  for (const auto& f : faults) UNSCOPED_INFO(f);
  auto has = [&](const std::string& part) {
    for (const auto& f : faults)
      if (f.find(part) != std::string::npos) return true;
    return false;
  };
  CHECK(has("window 'narrow'"));
  CHECK(has("column 0"));
  CHECK(has("'small'"));
  CHECK_FALSE(has("column 1"));
}

TEST_CASE("open lists (a combo's choices, the Menu) fit the window and are touch-sized", "[gui][layout]") {
  HeadlessUi ui(HeadlessUi::demoOptions());
  auto& m = ui.model();
  std::vector<std::string> faults;
  // What is in view now (an open list is on top; the screen is not scrolled).
  auto check = [&](const std::string& where) {
    ui.frames(2);
    ridealong::testing::LayoutCheck c;
    c.touch = true;
    ui.io();
    for (auto& f : ridealong::testing::layoutFaults(ui.registry(), c)) faults.push_back(where + ": " + f);
  };
  for (const Size& size : kSizes) {
    ui.look(true, 1.0f);
    ui.resize(size.width, size.height);
    const std::string where = fmt::format("{:.0f}x{:.0f} touch", size.width, size.height);
    m.setRideRep(m.snapshot().team.front().overview.rep);
    m.go(Screen::kRideAlong);
    ui.frames(2);
    for (const std::string combo : {"Type##call-type", "Area##call-area", "Guide##call-guide"}) {
      ui.click(combo);
      check(where + ", ride-along: " + combo);
      CHECK(ui.has(combo == "Type##call-type"   ? "Type##call-type/tactical"
                   : combo == "Area##call-area" ? "Area##call-area/skills"
                                                : "call-guide/none"));
      ui.click(combo);  // closes it
    }
    if (ui.has("Menu##nav-menu")) {
      ui.click("Menu##nav-menu");
      check(where + ", the Menu");
      CHECK(ui.has("nav/settings"));
      ui.click("nav/ride-along");
    }
  }
  report(faults);
  CHECK(faults.size() == 0);
}
