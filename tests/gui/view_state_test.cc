// What the views remember between frames (sort order, measured widths, the
// field being edited) belongs to one app: two apps in one process share
// nothing, so tests in one process are independent.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ridealong/gui/screens.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;

namespace {

// The Team table's rows on screen, top to bottom, by rep name.
std::vector<std::string> teamRowsShown(const HeadlessUi& ui) {
  std::vector<std::pair<float, std::string>> rows;
  const std::string prefix = "team/row/";
  for (const auto& [key, r] : ui.registry().items())
    if (key.rfind(prefix, 0) == 0) rows.push_back({r.y0, key.substr(prefix.size())});
  std::sort(rows.begin(), rows.end());
  std::vector<std::string> names;
  for (auto& [y, name] : rows) names.push_back(name);
  return names;
}

std::map<std::string, int> overdueByName(ridealong::gui::AppModel& m) {
  std::map<std::string, int> out;
  for (const auto& row : m.snapshot().team) out[row.overview.name] = row.overview.overdueActions;
  return out;
}

}  // namespace

TEST_CASE("two apps in one process keep their own view state", "[gui][views]") {
  HeadlessUi a, b;
  a.model().go(Screen::kTeam);
  b.model().go(Screen::kTeam);
  a.frames(2);
  b.frames(2);
  // Both notebooks are the same demo, seen at the same time: the same rows.
  REQUIRE(a.model().snapshot().team.size() == b.model().snapshot().team.size());
  REQUIRE(a.model().snapshot().generation == b.model().snapshot().generation);

  // In A, sort by overdue actions (most first); B keeps its default, by name.
  REQUIRE(a.has("team/header/6"));
  a.click("team/header/6");
  a.frames(2);
  b.frames(3);
  a.frames(2);

  auto overdue = overdueByName(a.model());
  auto shownA = teamRowsShown(a);
  REQUIRE(shownA.size() >= 3);
  for (size_t i = 1; i < shownA.size(); i++) {
    INFO("A, row " << i << ": " << shownA[i - 1] << " then " << shownA[i]);
    CHECK(overdue[shownA[i - 1]] >= overdue[shownA[i]]);
  }
  auto shownB = teamRowsShown(b);
  REQUIRE(shownB.size() >= 3);
  CHECK(std::is_sorted(shownB.begin(), shownB.end()));
  // The overdue order is not the name order in the demo, so the two differ.
  CHECK(shownA != shownB);

  // A third app started now is not sorted by what A chose either.
  HeadlessUi c;
  c.model().go(Screen::kTeam);
  c.frames(3);
  auto shownC = teamRowsShown(c);
  CHECK(std::is_sorted(shownC.begin(), shownC.end()));
}

TEST_CASE("a multi-line field being edited in one app is not edited in another", "[gui][views]") {
  // Tall windows: the debrief's notes are at the bottom of the screen.
  HeadlessUi a(HeadlessUi::demoOptions(), 1280, 1600), b(HeadlessUi::demoOptions(), 1280, 1600);
  for (HeadlessUi* ui : {&a, &b}) {
    auto& m = ui->model();
    const auto* d = m.repDetail(m.snapshot().team.front().overview.rep);
    REQUIRE(d);
    REQUIRE(!d->sessions.empty());
    m.openDebrief(d->sessions.front().id);
    ui->frames(2);
  }
  const auto session = *a.model().debriefSession();
  REQUIRE(session == *b.model().debriefSession());
  const std::string notes = "##" + session.str() + "notes";
  a.click(notes);
  a.frames(3);
  CHECK(a.state().memory.wrapEditing == notes);
  b.frames(3);
  CHECK(b.state().memory.wrapEditing.empty());
  a.type("only in A");
  b.frames(2);
  CHECK(a.model().draft(session, "notes", "").find("only in A") != std::string::npos);
  CHECK(b.model().draft(session, "notes", "").find("only in A") == std::string::npos);
}
