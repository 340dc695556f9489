// The coaching domain layer (core/coaching.h, coaching_facts.h, starter.h):
// each command's rules on a real notebook, coaching adherence from planning
// to holding or missing a session, and the first-run content.
#include <catch2/catch.hpp>

#include "ok_value.h"
#include "ridealong/core/coaching.h"
#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/notebook.h"
#include "ridealong/core/starter.h"
#include "ridealong/platform/testing.h"
#include "temp_dir.h"

using namespace ridealong;
using namespace ridealong::core;

namespace {

constexpr int64_t kT0 = 1767261600000;  // 2026-01-01T10:00Z
constexpr int64_t kHour = 3600 * 1000;

struct Book {
  platform::FakeClock clock{kT0};
  platform::FaultyFileSystem fs{platform::realEnv().fs()};
  platform::TestEnv env{clock, fs};
  std::unique_ptr<Notebook> nb;
  explicit Book(const std::string& dir) {
    NotebookOptions o;
    o.create = true;
    o.durable = false;
    auto r = Notebook::open(env, dir, o);
    REQUIRE(r);
    nb = std::move(r).value();
  }
  int64_t now() { return clock.wallMs(); }
  // Runs a command and commits it; returns the record it made or edited.
  RecordId ok(const Result<Edit>& e) {
    INFO((e ? std::string() : e.status().message()));
    REQUIRE(e);
    REQUIRE(nb->commit(e->change));
    return e->id;
  }
  std::string error(const Result<Edit>& e) {
    REQUIRE_FALSE(e);
    return e.status().message();
  }
  Session session(const RecordId& id) { return Session::from(*nb->get(id)); }
};

}  // namespace

TEST_CASE("coaching commands keep the rules of coaching", "[coaching]") {
  testing::TempDir tmp;
  Book b(tmp.sub("a"));
  Coach c(*b.nb);
  RecordId ana = b.ok(c.addRep({"  Ana Lima ", "North", "", ""}));
  RecordId ben = b.ok(c.addRep({"Ben Okafor", "North", "", ""}));
  CHECK(Rep::from(*b.nb->get(ana)).name == "Ana Lima");
  CHECK_THAT(b.error(c.addRep({"   ", "", "", ""})), Catch::Contains("needs a name"));

  // A session in the future is planned and remembers the day planned for.
  SessionInput in;
  in.customer = "Acme";
  RecordId planned = b.ok(c.newSession(ana, in, b.now() + 2 * kDayMs, b.now()));
  CHECK(b.session(planned).status == "planned");
  CHECK(b.session(planned).plannedMs == b.now() + 2 * kDayMs);
  CHECK_THAT(b.error(c.capture(planned, {"Closing", "strength", "", {}}, b.now())), Catch::Contains("not started"));
  CHECK_THAT(b.error(c.endCall(planned, b.now())), Catch::Contains("not running"));
  CHECK_THAT(b.error(c.finishDebrief(planned, b.now())), Catch::Contains("not been held"));
  // Not a rep; an enum value the schema does not know.
  CHECK_THAT(b.error(c.newSession(planned, in, b.now(), b.now())), Catch::Contains("not the rep"));
  SessionInput bad = in;
  bad.type = "shouting";
  CHECK_THAT(b.error(c.startCall(ana, bad, b.now())), Catch::Contains("session.type must be one of"));

  // A call now: capture, rate (again: the same rating record), end, debrief.
  RecordId call = b.ok(c.startCall(ana, in, b.now()));
  CHECK(b.session(call).status == "in_progress");
  RecordId obs = b.ok(c.capture(call, {"Closing", "improve", "no next step", 2}, b.now()));
  auto o = Observation::from(*b.nb->get(obs));
  CHECK(o.rep == ana);  // filed under the session's rep
  CHECK(o.rating == 2);
  CHECK_THAT(b.error(c.capture(call, {"  ", "strength", "", {}}, b.now())), Catch::Contains("needs a skill"));
  CHECK_THAT(b.error(c.capture(call, {"Closing", "meh", "", {}}, b.now())), Catch::Contains("kind"));
  RecordId r1 = b.ok(c.rate(call, "Closing", 3, b.now()));
  RecordId r2 = b.ok(c.rate(call, "Closing", 4, b.now()));
  CHECK(r1 == r2);
  CHECK(SkillRating::from(*b.nb->get(r1)).rating == 4);
  CHECK_THAT(b.error(c.rate(call, "Closing", 6, b.now())), Catch::Contains("1 to 5"));
  b.clock.advanceMs(45 * 60 * 1000);
  b.ok(c.endCall(call, b.now()));
  CHECK(b.session(call).endMs == b.now());
  CHECK_THAT(b.error(c.endCall(call, b.now())), Catch::Contains("already ended"));
  b.ok(c.finishDebrief(call, b.now()));
  CHECK(b.session(call).status == "done");
  CHECK_THAT(b.error(c.finishDebrief(call, b.now())), Catch::Contains("already finished"));

  // An action item's session must be the same rep's.
  ActionInput act;
  act.text = "Ask for the next step";
  act.session = call;
  CHECK_THAT(b.error(c.addAction(ben, act)), Catch::Contains("another rep"));
  RecordId a = b.ok(c.addAction(ana, act));
  CHECK(ActionItem::from(*b.nb->get(a)).status == "open");
  act.due = "2026-02-30";
  CHECK_THAT(b.error(c.addAction(ana, act)), Catch::Contains("date"));

  // Coaching style: one of the styles, or cleared.
  b.ok(c.setCoachingStyle(ana, "collaborative", "finds the answer herself"));
  CHECK(Rep::from(*b.nb->get(ana)).coachingStyle == "collaborative");
  CHECK(Rep::from(*b.nb->get(ana)).coachingNote == "finds the answer herself");
  CHECK_THAT(b.error(c.setCoachingStyle(ana, "laissez-faire", "")), Catch::Contains("coaching_style"));
  b.ok(c.setCoachingStyle(ana, "", "finds the answer herself"));
  CHECK(Rep::from(*b.nb->get(ana)).coachingStyle.empty());

  // A rep in the trash takes no new sessions.
  ChangeBuilder del;
  del.remove(ben);
  REQUIRE(b.nb->commit(del));
  CHECK_THAT(b.error(c.startCall(ben, in, b.now())), Catch::Contains("trash"));
}

TEST_CASE("skills: added at the end, no duplicates, moved by renumbering", "[coaching]") {
  testing::TempDir tmp;
  Book b(tmp.sub("a"));
  Coach c(*b.nb);
  RecordId x = b.ok(c.addSkill("Prospecting"));
  RecordId y = b.ok(c.addSkill("Closing"));
  CHECK_THAT(b.error(c.addSkill("Closing")), Catch::Contains("already has"));
  b.ok(c.moveSkill(y, -1));
  auto model = c.skills();
  REQUIRE(model);
  REQUIRE(model->size() == 2);
  CHECK((*model)[0].id == y);
  CHECK((*model)[1].id == x);
}

TEST_CASE("adherence: planned sessions held on time, moved, or missed", "[coaching]") {
  testing::TempDir tmp;
  Book b(tmp.sub("a"));
  Coach c(*b.nb);
  RecordId ana = b.ok(c.addRep({"Ana", "", "", ""}));
  SessionInput in;
  int64_t t0 = b.now();
  RecordId onTime = b.ok(c.newSession(ana, in, t0 + kDayMs, t0));
  RecordId moved = b.ok(c.newSession(ana, in, t0 + kDayMs + kHour, t0));
  RecordId missed = b.ok(c.newSession(ana, in, t0 + kDayMs + 2 * kHour, t0));
  b.ok(c.startCall(ana, in, t0));  // not planned ahead: not counted
  CHECK(adherenceOf({b.session(onTime), b.session(moved), b.session(missed)}, t0).upcoming == 3);

  b.clock.advanceMs(kDayMs);  // the planned day
  b.ok(c.startPlanned(onTime, b.now()));
  CHECK(keptOf(b.session(onTime), b.now()) == Kept::kOnTime);
  b.ok(c.reschedule(moved, b.now() + 2 * kDayMs, b.now()));
  CHECK_THAT(b.error(c.reschedule(moved, b.now() - 2 * kDayMs, b.now())), Catch::Contains("past"));
  CHECK(keptOf(b.session(missed), b.now()) == Kept::kUpcoming);  // its day is today

  b.clock.advanceMs(2 * kDayMs);
  b.ok(c.startPlanned(moved, b.now()));
  CHECK_THAT(b.error(c.startPlanned(moved, b.now())), Catch::Contains("already started"));
  CHECK(keptOf(b.session(moved), b.now()) == Kept::kMoved);
  CHECK(keptOf(b.session(missed), b.now()) == Kept::kMissed);

  // The store's team overview counts the same as the sessions say.
  auto team = OK_VALUE(b.nb->teamOverview(b.now()));
  REQUIRE(team.size() == 1);
  const Adherence& a = team[0].adherence;
  CHECK(a.onTime == 1);
  CHECK(a.moved == 1);
  CHECK(a.missed == 1);
  CHECK(a.due() == 3);
  CHECK(a.onTimeShare() == Approx(1.0 / 3));
  // 90 days on, it has left the window.
  CHECK(OK_VALUE(b.nb->teamOverview(b.now() + 91 * kDayMs))[0].adherence.due() == 0);
}

TEST_CASE("derived facts: overdue, due for coaching, today's open call", "[coaching]") {
  int64_t now = kT0;  // 2026-01-01
  CHECK(isOverdue("open", "2025-12-31", now));
  CHECK_FALSE(isOverdue("open", "2026-01-01", now));
  CHECK_FALSE(isOverdue("done", "2025-12-31", now));
  CHECK_FALSE(isOverdue("open", "", now));
  CHECK_FALSE(isOverdue("open", "garbage", now));
  CHECK(isOverdueDueMs(now - kDayMs, now));
  CHECK_FALSE(isOverdueDueMs(now / kDayMs * kDayMs, now));

  CHECK(coachingDue(std::nullopt, 14, now).due);
  CHECK(coachingDue(std::nullopt, 14, now).daysSince == -1);
  CHECK_FALSE(coachingDue(now - 13 * kDayMs, 14, now).due);
  CHECK(coachingDue(now - 14 * kDayMs, 14, now).due);

  Session yesterday, running, ended, planned;
  yesterday.id = Id16::parse("01HZZZZZZZZZZZZZZZZZZZZZZ1").value();
  yesterday.startMs = now - kDayMs;
  yesterday.status = "in_progress";
  running = yesterday;
  running.id = Id16::parse("01HZZZZZZZZZZZZZZZZZZZZZZ2").value();
  running.startMs = now - kHour;
  ended = running;
  ended.id = Id16::parse("01HZZZZZZZZZZZZZZZZZZZZZZ3").value();
  ended.startMs = now - 2 * kHour;
  ended.endMs = now - kHour;
  planned = running;
  planned.id = Id16::parse("01HZZZZZZZZZZZZZZZZZZZZZZ4").value();
  planned.status = "planned";
  auto today = callsToday({yesterday, running, ended, planned}, now);
  REQUIRE(today.size() == 2);
  CHECK(today[0].id == ended.id);  // oldest first
  CHECK(openCallToday({yesterday, running, ended, planned}, now) == running.id);
  CHECK_FALSE(openCallToday({yesterday, ended}, now).has_value());
}

TEST_CASE("first run: the starter model, once, shared by devices", "[coaching][starter]") {
  testing::TempDir tmp;
  Book a(tmp.sub("a")), b(tmp.sub("b"));
  auto added = addStarterContent(*a.nb);
  REQUIRE(added);
  CHECK(*added == 11);  // ten skills and a guide
  CHECK(OK_VALUE(a.nb->listType("skill")).size() == 10);
  CHECK(OK_VALUE(a.nb->listType("template")).size() == 1);
  auto again = addStarterContent(*a.nb);
  REQUIRE(again);
  CHECK(*again == 0);

  // A removed starter skill stays removed.
  Coach c(*a.nb);
  auto model = c.skills();
  REQUIRE(model);
  CHECK(model->front().name == "Prospecting");
  ChangeBuilder del;
  del.remove(model->front().id);
  REQUIRE(a.nb->commit(del));
  REQUIRE(addStarterContent(*a.nb));
  CHECK(OK_VALUE(a.nb->listType("skill")).size() == 9);

  // Two devices that both started with it hold one copy after syncing.
  REQUIRE(addStarterContent(*b.nb));
  auto ab = a.nb->changesSince(OK_VALUE(b.nb->versionVector()));
  auto ba = b.nb->changesSince(OK_VALUE(a.nb->versionVector()));
  REQUIRE(ab);
  REQUIRE(ba);
  REQUIRE(b.nb->applyChanges(*ab));
  REQUIRE(a.nb->applyChanges(*ba));
  CHECK(OK_VALUE(a.nb->listType("skill")).size() == 9);
  CHECK(OK_VALUE(b.nb->listType("skill")).size() == 9);
  CHECK(OK_VALUE(a.nb->conflicts()).empty());
  CHECK(OK_VALUE(a.nb->dump()) == OK_VALUE(b.nb->dump()));
}
