// One-line "add" fields submit on Enter, as their button does, and keep the
// keyboard so the next entry can be typed straight away.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ridealong/gui/screens.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;

namespace {

ridealong::gui::AppOptions emptyNotebook() {
  ridealong::gui::AppOptions o;
  o.startSync = false;
  return o;
}

template <typename List>
bool hasName(const List& list, const std::string& name) {
  return std::any_of(list.begin(), list.end(), [&](const auto& x) { return x.name == name; });
}

}  // namespace

TEST_CASE("Enter in the new rep's fields adds the rep", "[gui][forms]") {
  HeadlessUi ui(emptyNotebook());
  auto& m = ui.model();
  m.go(Screen::kTeam);
  ui.frames(2);
  ui.typeInto("##new-rep-name", "Dana Scully");
  ui.enter();
  ui.frames(2);
  REQUIRE(m.snapshot().reps.size() == 1);
  CHECK(m.snapshot().reps[0].name == "Dana Scully");
  CHECK(ui.state().newRepName.empty());
  // The name field has the keyboard again: the next rep is typed at once.
  ui.type("Fox Mulder");
  ui.enter();
  ui.frames(2);
  CHECK(hasName(m.snapshot().reps, "Fox Mulder"));
  // Enter in the team or the territory field adds as well, with them.
  ui.typeInto("##new-rep-name", "Walter Skinner");
  ui.typeInto("##new-rep-team", "East");
  ui.typeInto("##new-rep-territory", "Washington");
  ui.enter();
  ui.frames(2);
  REQUIRE(m.snapshot().reps.size() == 3);
  auto it = std::find_if(m.snapshot().reps.begin(), m.snapshot().reps.end(),
                         [](const auto& r) { return r.name == "Walter Skinner"; });
  REQUIRE(it != m.snapshot().reps.end());
  CHECK(it->team == "East");
  CHECK(it->territory == "Washington");
  // Enter with no name adds nothing.
  ui.typeInto("##new-rep-territory", "Texas");
  ui.state().newRepName.clear();
  ui.enter();
  ui.frames(2);
  CHECK(m.snapshot().reps.size() == 3);
}

TEST_CASE("Enter in the new skill and new guide fields adds them", "[gui][forms]") {
  HeadlessUi ui(emptyNotebook());
  auto& m = ui.model();
  m.go(Screen::kSettings);
  ui.frames(2);
  const size_t skills = m.snapshot().skills.size();
  ui.typeInto("##new-skill", "Storytelling with data");
  ui.enter();
  ui.frames(2);
  REQUIRE(m.snapshot().skills.size() == skills + 1);
  CHECK(m.snapshot().skills.back().name == "Storytelling with data");
  CHECK(ui.state().newSkillName.empty());
  ui.type("Forecast hygiene");
  ui.enter();
  ui.frames(2);
  REQUIRE(m.snapshot().skills.size() == skills + 2);
  CHECK(m.snapshot().skills.back().name == "Forecast hygiene");

  const size_t guides = m.snapshot().templates.size();
  ui.typeInto("##new-guide", "Renewal call");
  ui.enter();
  ui.frames(2);
  CHECK(m.snapshot().templates.size() == guides + 1);
  CHECK(hasName(m.snapshot().templates, "Renewal call"));
  CHECK(ui.state().newTemplateName.empty());
  // Blank: nothing added.
  ui.typeInto("##new-guide", "   ");
  ui.enter();
  ui.frames(2);
  CHECK(m.snapshot().templates.size() == guides + 1);
}

TEST_CASE("Enter adds a goal on the Rep screen and an action in the debrief", "[gui][forms]") {
  HeadlessUi ui(HeadlessUi::demoOptions(), 1280, 1600);  // tall: the forms are low on their screens
  auto& m = ui.model();
  const auto rep = m.snapshot().team.front().overview.rep;
  m.openRep(rep);
  ui.frames(2);
  const size_t goals = m.repDetail(rep)->goals.size();
  ui.typeInto("##goal-text", "Ask two open questions per call");
  ui.enter();
  ui.frames(2);
  const auto* d = m.repDetail(rep);
  REQUIRE(d);
  CHECK(d->goals.size() == goals + 1);
  CHECK(std::any_of(d->goals.begin(), d->goals.end(),
                    [](const auto& g) { return g.text == "Ask two open questions per call"; }));

  REQUIRE(!d->sessions.empty());
  const auto session = d->sessions.front().id;
  m.openDebrief(session);
  ui.frames(2);
  const size_t actions = m.sessionDetail(session)->actions.size();
  ui.typeInto("##debrief-action", "Send the case study");
  ui.enter();
  ui.frames(2);
  const auto* s = m.sessionDetail(session);
  REQUIRE(s);
  CHECK(s->actions.size() == actions + 1);
  CHECK(
      std::any_of(s->actions.begin(), s->actions.end(), [](const auto& a) { return a.text == "Send the case study"; }));
  // The text field has the keyboard again for the next action.
  ui.type("Book the follow-up");
  ui.enter();
  ui.frames(2);
  CHECK(m.sessionDetail(session)->actions.size() == actions + 2);
}
