// The coaching style per rep (set on the Rep screen, shown when planning and
// in the debrief) and coaching adherence (Today, Team, Rep; missed sessions
// started or moved), drawn from and written to the real notebook.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include "headless_ui.h"
#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/fields.h"
#include "ridealong/core/ids.h"
#include "ridealong/gui/screens.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;
namespace core = ridealong::core;

namespace {

const core::Rep* repById(ridealong::gui::AppModel& m, const core::RecordId& id) {
  for (const auto& r : m.snapshot().reps)
    if (r.id == id) return &r;
  return nullptr;
}

// Adherence counted afresh from the rep's sessions as the store holds them.
core::Adherence fromSessions(ridealong::gui::AppModel& m, const core::RecordId& rep) {
  const auto* d = m.repDetail(rep);
  REQUIRE(d);
  return core::adherenceOf(d->sessions, m.now());
}

}  // namespace

TEST_CASE("coaching style: set on the Rep screen, shown when planning and in the debrief", "[gui][coaching]") {
  HeadlessUi ui(HeadlessUi::demoOptions(), 1280, 1600);
  auto& m = ui.model();
  const auto rep = m.snapshot().team.front().overview.rep;
  const std::string name = repById(m, rep)->name;
  m.openRep(rep);
  ui.frames(2);
  ui.click("##coaching-style");
  ui.click("coaching-style/collaborative");
  ui.frames(2);
  REQUIRE(repById(m, rep));
  CHECK(repById(m, rep)->coachingStyle == "collaborative");

  // The note saves itself after a pause in typing, as every text field.
  const std::string note = "##" + rep.str() + std::string(core::fields::rep::kCoachingNote);
  ui.typeInto(note, "likes to find the answer himself");
  ui.wait(2000);
  ui.frames(2);
  CHECK(repById(m, rep)->coachingNote == "likes to find the answer himself");

  const std::string line = "Coaching style: Collaborative \u2014 likes to find the answer himself";
  CHECK(ui.text("plan/coaching-style") == line);

  // Planned and then debriefed: the debrief's header says it too.
  const auto* d = m.repDetail(rep);
  REQUIRE(d);
  REQUIRE(!d->sessions.empty());
  m.openDebrief(d->sessions.front().id);
  ui.frames(2);
  CHECK(ui.text("debrief/coaching-style") == line);

  // Back to not set: the style goes, the note stays.
  m.openRep(rep);
  ui.frames(2);
  ui.click("##coaching-style");
  ui.click("coaching-style/none");
  ui.frames(2);
  CHECK(repById(m, rep)->coachingStyle.empty());
  CHECK(ui.text("plan/coaching-style") == "Coaching style: not set \u2014 likes to find the answer himself");
  (void)name;
}

TEST_CASE("coaching adherence on Today, Team and Rep", "[gui][coaching]") {
  HeadlessUi ui;
  auto& m = ui.model();
  // The team's figure, counted from every rep's sessions in the store.
  core::Adherence team;
  for (const auto& row : m.snapshot().team) {
    core::Adherence a = fromSessions(m, row.overview.rep);
    a.upcoming = 0;
    team += a;
  }
  REQUIRE(team.due() > 0);
  m.go(Screen::kToday);
  ui.frames(2);
  CHECK(ui.text("today/adherence") == fmt::format("Coaching kept on time: {} of {} in {} days · {} moved · {} missed",
                                                  team.onTime, team.due(), core::kAdherenceDays, team.moved,
                                                  team.missed));

  // Team: "On time" per rep, held on time of those that came due.
  m.go(Screen::kTeam);
  ui.frames(2);
  int checked = 0;
  for (const auto& row : m.snapshot().team) {
    const std::string key = "team/ontime/" + row.overview.name;
    if (!ui.has(key)) continue;  // below the table's fold
    core::Adherence a = fromSessions(m, row.overview.rep);
    CHECK(ui.text(key) == (a.due() ? fmt::format("{}/{}", a.onTime, a.due()) : std::string("-")));
    checked++;
  }
  CHECK(checked >= 3);

  // Rep: the rep's own figure.
  const auto rep = m.snapshot().team.front().overview.rep;
  m.openRep(rep);
  ui.frames(2);
  core::Adherence a = fromSessions(m, rep);
  std::string expected = a.due() ? fmt::format("Coaching kept on time: {} of {} in {} days · {} moved · {} missed",
                                               a.onTime, a.due(), core::kAdherenceDays, a.moved, a.missed)
                                 : fmt::format("No planned session came due in the last {} days", core::kAdherenceDays);
  CHECK(ui.text("rep/adherence") == expected);
}

TEST_CASE("a missed session started from Today", "[gui][coaching]") {
  HeadlessUi ui;
  auto& m = ui.model();
  REQUIRE(!m.snapshot().missed.empty());
  const core::Session missed = m.snapshot().missed.front();
  const int missedBefore = m.snapshot().adherence.missed;
  m.go(Screen::kToday);
  ui.frames(2);
  ui.click("Start##missed-" + missed.id.str());
  ui.frames(2);
  const auto* d = m.sessionDetail(missed.id);
  REQUIRE(d);
  CHECK(d->session.status == core::values::session_status::kInProgress);
  CHECK(m.screen() == Screen::kRideAlong);
  CHECK(m.activeCall() == missed.id);
  // Held, but not on the day planned: no longer missed.
  CHECK(std::none_of(m.snapshot().missed.begin(), m.snapshot().missed.end(),
                     [&](const auto& s) { return s.id == missed.id; }));
  CHECK(m.snapshot().adherence.missed == missedBefore - 1);
}

TEST_CASE("a missed session moved to another day from Today", "[gui][coaching]") {
  HeadlessUi ui;
  auto& m = ui.model();
  REQUIRE(!m.snapshot().missed.empty());
  const core::Session missed = m.snapshot().missed.front();
  m.go(Screen::kToday);
  ui.frames(2);
  ui.click("Re-plan##missed-" + missed.id.str());
  ui.frames(1);
  REQUIRE(ui.state().replanSession == missed.id);
  // Tomorrow is offered; the manager picks the day after and presses Enter.
  const int64_t tomorrow = m.now() / core::kDayMs + 1;
  CHECK(ui.state().replanDate == core::formatDate(tomorrow));
  ui.click("##replan-date");
  ui.press('A', /*ctrl=*/true);  // select what is there, type over it
  ui.type(core::formatDate(tomorrow + 1));
  CHECK(ui.state().replanDate == core::formatDate(tomorrow + 1));
  ui.enter();
  ui.frames(2);
  CHECK(!ui.state().replanSession);
  const auto* d = m.sessionDetail(missed.id);
  REQUIRE(d);
  CHECK(d->session.status == core::values::session_status::kPlanned);
  CHECK(core::dayNumber(d->session.startMs) == tomorrow + 1);
  CHECK(std::any_of(m.snapshot().planned.begin(), m.snapshot().planned.end(),
                    [&](const auto& s) { return s.id == missed.id; }));
  CHECK(std::none_of(m.snapshot().missed.begin(), m.snapshot().missed.end(),
                     [&](const auto& s) { return s.id == missed.id; }));
}
