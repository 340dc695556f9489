// The debrief form driven by synthetic input: typed text saves itself after
// the pause, choices and ratings commit at once, finishing marks it done.
#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ridealong/core/records.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;
namespace core = ridealong::core;

TEST_CASE("debrief: SLED text autosaves, solution, action plan, ratings, finish", "[gui][debrief]") {
  // A tall window (a tablet in portrait): the whole form is on screen.
  HeadlessUi ui(HeadlessUi::demoOptions(), 1280, 2000);
  auto& m = ui.model();
  m.setRideRep(m.snapshot().team.front().overview.rep);
  m.go(Screen::kRideAlong);
  ui.frames(2);
  ui.typeInto("##call-objective", "Book the follow-up demo");
  ui.click("Start call");
  core::RecordId call = *m.activeCall();
  ui.click("capture/strength/" + m.snapshot().skills[0].name);
  ui.click("End call & debrief");
  REQUIRE(m.screen() == Screen::kDebrief);
  ui.frames(2);

  // The rep's self-assessment: typed, not saved until the pause...
  std::string selfKey = "##" + call.str() + "self_assessment";
  ui.typeInto(selfKey, "I rushed the close");
  CHECK(core::Session::from(*storeOf(m).get(call)).selfAssessment.empty());
  CHECK(m.hasUnsavedDrafts());
  // ...then saved on its own about a second after the last keystroke.
  ui.wait(1000);
  CHECK(core::Session::from(*storeOf(m).get(call)).selfAssessment == "I rushed the close");
  CHECK(!m.hasUnsavedDrafts());

  ui.typeInto("##" + call.str() + "roam_results", "No demo booked");
  ui.click("solution/coaching");
  auto s = core::Session::from(*storeOf(m).get(call));
  CHECK(s.solution == "coaching");
  ui.wait(1000);
  CHECK(core::Session::from(*storeOf(m).get(call)).roamResults == "No demo booked");

  // Action plan.
  ui.typeInto("##debrief-action", "Role-play the close twice");
  ui.click("Add action");
  ui.frame();  // screens read the store once per frame
  const auto* d = m.sessionDetail(call);
  REQUIRE(d);
  REQUIRE(d->actions.size() == 1);
  CHECK(d->actions[0].text == "Role-play the close twice");
  CHECK(d->actions[0].owner == "rep");
  CHECK(d->actions[0].status == "open");
  CHECK(d->actions[0].session == call);
  CHECK(!d->actions[0].due.empty());

  // Skill rating for this session.
  const std::string skill = m.snapshot().skills[0].name;
  ui.frames(2);
  ui.click("4##rate-" + skill);
  ui.frame();
  d = m.sessionDetail(call);
  REQUIRE(d->ratings.count(skill));
  CHECK(d->ratings.at(skill) == 4);
  ui.frames(2);
  ui.click("2##rate-" + skill);  // changing it updates the same rating
  ui.frame();
  d = m.sessionDetail(call);
  CHECK(d->ratings.at(skill) == 2);
  CHECK(d->ratingIds.size() == 1);

  // Text typed right before finishing is saved with it.
  ui.typeInto("##" + call.str() + "outcome", "Demo not booked yet");
  ui.click("Finish debrief");
  s = core::Session::from(*storeOf(m).get(call));
  CHECK(s.status == "done");
  CHECK(s.outcome == "Demo not booked yet");
  CHECK(s.endMs != 0);
}

TEST_CASE("typed text is saved when the app closes, before the pause", "[gui][debrief]") {
  HeadlessUi ui;
  auto& m = ui.model();
  m.setRideRep(m.snapshot().team.front().overview.rep);
  m.go(Screen::kRideAlong);
  ui.frames(2);
  ui.click("Start call");
  core::RecordId call = *m.activeCall();
  ui.click("End call & debrief");
  ui.frames(2);
  ui.typeInto("##" + call.str() + "outcome", "typed just before closing");
  CHECK(m.hasUnsavedDrafts());
  CHECK(core::Session::from(*storeOf(m).get(call)).outcome.empty());
  ui.reopen();
  CHECK(core::Session::from(*storeOf(ui.model()).get(call)).outcome == "typed just before closing");
}
