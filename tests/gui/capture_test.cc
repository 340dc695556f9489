// Ride-along capture driven by synthetic taps, asserting what the store holds.
#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ok_value.h"
#include "ridealong/core/records.h"
#include "ridealong/core/schema.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;
namespace core = ridealong::core;

namespace {

std::vector<core::Observation> observationsOf(core::Notebook& nb, const core::RecordId& session) {
  std::vector<core::Observation> out;
  for (const auto& r : OK_VALUE(nb.sessionObservations(session)))
    if (!r.deleted()) out.push_back(core::Observation::from(r));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.atMs < b.atMs; });
  return out;
}

}  // namespace

TEST_CASE("ride-along: pick a rep, start a call, capture with taps and keys", "[gui][capture]") {
  HeadlessUi ui;
  auto& m = ui.model();
  m.go(Screen::kRideAlong);
  ui.frames(2);
  const std::string rep = m.snapshot().team.front().overview.name;
  ui.click("ride/rep/" + rep);
  REQUIRE(m.rideRep());
  CHECK(*m.rideRep() == m.snapshot().team.front().overview.rep);

  ui.typeInto("##call-customer", "Acme Foods");
  ui.typeInto("##call-objective", "Agree a pilot with the buyer");
  ui.click("Start call");
  REQUIRE(m.activeCall());
  core::RecordId call = *m.activeCall();
  auto session = core::Session::from(*storeOf(m).get(call));
  CHECK(session.status == "in_progress");
  CHECK(session.customer == "Acme Foods");
  CHECK(session.objective == "Agree a pilot with the buyer");
  CHECK(session.rep == m.rideRep());
  CHECK(session.startMs == ui.clock().wallMs());

  const auto& skills = m.snapshot().skills;
  REQUIRE(skills.size() >= 2);
  // One tap, one observation, committed at once.
  ui.clock().advanceMs(65000);
  ui.click("capture/strength/" + skills[0].name);
  auto obs = observationsOf(storeOf(m), call);
  REQUIRE(obs.size() == 1);
  CHECK(obs[0].skill == skills[0].name);
  CHECK(obs[0].kind == "strength");
  CHECK(obs[0].text.empty());
  CHECK(obs[0].atMs == session.startMs + 65000);

  // A few words and a rating, then needs-work.
  ui.clock().advanceMs(1000);
  ui.typeInto("##capture-note", "talked over the buyer");
  ui.click("2##capture-rating");
  ui.click("capture/improve/" + skills[1].name);
  obs = observationsOf(storeOf(m), call);
  REQUIRE(obs.size() == 2);
  CHECK(obs[1].skill == skills[1].name);
  CHECK(obs[1].kind == "improve");
  CHECK(obs[1].text == "talked over the buyer");
  CHECK(obs[1].rating == 2);
  CHECK(ui.state().captureNote.empty());  // ready for the next one

  // Keys: 2 = strength on the second skill, Shift+1 = needs work on the first.
  ui.clock().advanceMs(1000);
  ui.press('2');
  ui.clock().advanceMs(1000);
  ui.press('1', false, /*shift=*/true);
  obs = observationsOf(storeOf(m), call);
  REQUIRE(obs.size() == 4);
  CHECK(obs[2].skill == skills[1].name);
  CHECK(obs[2].kind == "strength");
  CHECK(obs[3].skill == skills[0].name);
  CHECK(obs[3].kind == "improve");

  // Undo (Ctrl+Z) deletes the last capture with a new change.
  auto before = OK_VALUE(storeOf(m).versionVector());
  ui.press('Z', /*ctrl=*/true);
  CHECK(observationsOf(storeOf(m), call).size() == 3);
  CHECK(OK_VALUE(storeOf(m).versionVector()) != before);

  // End the call: its debrief opens with the observations in it.
  ui.click("End call & debrief");
  CHECK(m.screen() == Screen::kDebrief);
  REQUIRE(m.debriefSession());
  CHECK(*m.debriefSession() == call);
  CHECK(core::Session::from(*storeOf(m).get(call)).endMs == ui.clock().wallMs());
  ui.frames(2);
  const auto* d = m.sessionDetail(call);
  REQUIRE(d);
  CHECK(d->observations.size() == 3);
}

TEST_CASE("ride-along: each call of the day is its own session", "[gui][capture]") {
  HeadlessUi ui;
  auto& m = ui.model();
  m.setRideRep(m.snapshot().team.back().overview.rep);
  m.go(Screen::kRideAlong);
  ui.frames(2);
  ui.typeInto("##call-customer", "First Co");
  ui.click("Start call");
  core::RecordId first = *m.activeCall();
  ui.click("End call & debrief");
  m.go(Screen::kRideAlong);
  ui.clock().advanceMs(40 * 60 * 1000);
  ui.frames(2);
  ui.typeInto("##call-customer", "Second Co");
  ui.click("Start call");
  REQUIRE(m.activeCall());
  CHECK(*m.activeCall() != first);
  ui.frame();  // screens read the store once per frame
  auto calls = m.rideCalls();
  REQUIRE(calls.size() >= 2);
  CHECK(calls[calls.size() - 2].customer == "First Co");
  CHECK(calls.back().customer == "Second Co");
}
