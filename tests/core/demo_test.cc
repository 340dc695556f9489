// The demo generator against a real on-disk notebook: counts, referential
// integrity, the "due for coaching" and overdue signals the screens rely on,
// and determinism for a seed and "now".
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "ok_value.h"
#include "ridealong/core/demo.h"
#include "ridealong/core/ids.h"
#include "ridealong/core/notebook.h"
#include "ridealong/core/records.h"
#include "ridealong/platform/env.h"
#include "temp_dir.h"

namespace ridealong::core {
namespace {

constexpr int64_t kNowMs = 1794819600000;  // 2026-11-16T09:00:00Z

std::unique_ptr<Notebook> openNotebook(const std::string& dir) {
  auto nb = Notebook::open(platform::realEnv(), dir, NotebookOptions{.create = true, .durable = false});
  REQUIRE(nb.isOk());
  return std::move(nb).value();
}

DemoOptions smallDemo() {
  DemoOptions o;
  o.reps = 5;
  o.weeks = 8;
  o.seed = 42;
  o.nowMs = kNowMs;
  return o;
}

TEST_CASE("demo writes a consistent small notebook", "[demo]") {
  testing::TempDir dir;
  auto nb = openNotebook(dir.path());
  int progressCalls = 0, lastDone = -1, lastTotal = -1;
  auto report = generateDemo(*nb, smallDemo(), [&](int done, int total) {
    progressCalls++;
    CHECK(done >= lastDone);
    lastDone = done;
    lastTotal = total;
  });
  REQUIRE(report.isOk());

  CHECK(report->reps == 5);
  CHECK(report->sessions == 5 * 8 / 2);
  CHECK(report->skills >= 8);
  CHECK(report->templates == 3);
  CHECK(report->goals >= 5);
  CHECK(report->ratings > 0);
  CHECK(report->actions > 0);
  CHECK(progressCalls >= 2);
  CHECK(lastDone == lastTotal);

  CHECK(OK_VALUE(nb->listType("rep")).size() == 5);
  CHECK(static_cast<int>(OK_VALUE(nb->listType("skill")).size()) == report->skills);
  CHECK(static_cast<int>(OK_VALUE(nb->listType("template")).size()) == report->templates);
  CHECK(static_cast<int>(OK_VALUE(nb->listType("goal")).size()) == report->goals);
  CHECK(static_cast<int>(OK_VALUE(nb->listType("rating")).size()) == report->ratings);
  auto sessions = OK_VALUE(nb->listType("session"));
  CHECK(static_cast<int>(sessions.size()) == report->sessions + report->planned + report->missed);

  auto observations = OK_VALUE(nb->listType("observation"));
  CHECK(static_cast<int>(observations.size()) == report->observations);
  CHECK(report->observations >= 3 * (report->sessions - 2));
  for (const auto& rec : observations) {
    auto obs = Observation::from(rec);
    REQUIRE(obs.session.has_value());
    auto session = nb->get(*obs.session);
    REQUIRE(session);
    CHECK(session->type == "session");
    CHECK(Session::from(*session).rep == obs.rep);
  }

  // Past sessions carry a full debrief (but the few missed ones); future
  // ones are planned.
  int planned = 0, missed = 0;
  for (const auto& rec : sessions) {
    auto s = Session::from(rec);
    if (s.startMs <= kNowMs && s.status == "planned") {
      missed++;
      CHECK(keptOf(s, kNowMs) == Kept::kMissed);
      continue;
    }
    if (s.startMs > kNowMs) {
      planned++;
      CHECK(s.status == "planned");
      continue;
    }
    CHECK(s.status == "done");
    CHECK_FALSE(s.sledLead.empty());
    CHECK_FALSE(s.roamResults.empty());
    CHECK_FALSE(s.solution.empty());
    CHECK(s.endMs > s.startMs);
  }
  CHECK(planned >= 1);
  CHECK(missed == report->missed);

  std::string today = formatDate(kNowMs / kDayMs);
  int overdue = 0, done = 0;
  for (const auto& rec : OK_VALUE(nb->listType("action"))) {
    auto a = ActionItem::from(rec);
    if (a.status == "open" && a.due < today) overdue++;
    if (a.status == "done") done++;
  }
  CHECK(overdue > 0);
  CHECK(done > 0);
}

TEST_CASE("demo leaves a rep uncoached for over 30 days", "[demo]") {
  testing::TempDir dir;
  auto nb = openNotebook(dir.path());
  REQUIRE(generateDemo(*nb, smallDemo()).isOk());

  auto overview = OK_VALUE(nb->teamOverview(kNowMs));
  REQUIRE(overview.size() == 5);
  int stale = 0, overdue = 0;
  for (const auto& row : overview) {
    if (row.lastCoachedMs && *row.lastCoachedMs < kNowMs - 30 * kDayMs) stale++;
    overdue += row.overdueActions;
  }
  CHECK(stale >= 1);
  CHECK(stale < 5);
  CHECK(overdue > 0);
}

TEST_CASE("demo is deterministic for a seed and now", "[demo]") {
  testing::TempDir a, b, c;
  auto nbA = openNotebook(a.path());
  auto nbB = openNotebook(b.path());
  auto nbC = openNotebook(c.path());
  REQUIRE(generateDemo(*nbA, smallDemo()).isOk());
  REQUIRE(generateDemo(*nbB, smallDemo()).isOk());
  DemoOptions other = smallDemo();
  other.seed = 43;
  REQUIRE(generateDemo(*nbC, other).isOk());

  // dump() also holds the version vector, keyed by each notebook's own
  // device id; the records themselves must match byte for byte.
  auto records = [](Notebook& nb) { return nlohmann::json::parse(OK_VALUE(nb.dump()))["records"].dump(1); };
  CHECK(records(*nbA) == records(*nbB));
  CHECK(records(*nbA) != records(*nbC));
  CHECK(OK_VALUE(nbA->stats()).changes == OK_VALUE(nbB->stats()).changes);
}

TEST_CASE("demo honours explicit session and observation counts", "[demo]") {
  testing::TempDir dir;
  auto nb = openNotebook(dir.path());
  DemoOptions o = smallDemo();
  o.reps = 3;
  o.sessions = 30;
  o.observationsPerSession = 4;
  auto report = generateDemo(*nb, o);
  REQUIRE(report.isOk());
  CHECK(report->sessions == 30);

  int done = 0;
  for (const auto& rec : OK_VALUE(nb->listType("session"))) {
    if (Session::from(rec).status != "done") continue;
    done++;
    CHECK(OK_VALUE(nb->sessionObservations(rec.id)).size() == 4);
  }
  CHECK(done >= 27);
  CHECK(report->observations == done * 4);
}

TEST_CASE("demo rejects nonsense options", "[demo]") {
  testing::TempDir dir;
  auto nb = openNotebook(dir.path());
  DemoOptions o = smallDemo();
  o.reps = 0;
  auto r = generateDemo(*nb, o);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().isInvalidArgument());
  CHECK(OK_VALUE(nb->listType("rep")).empty());
}

}  // namespace
}  // namespace ridealong::core
