// Errors are never silent: a store that cannot be read makes every read
// return an error, never an empty (or shorter) answer. The damage is real
// (pages of data.mdb zeroed under an open notebook, as a failing disk leaves
// them), so LMDB itself reports it; see store_damage.h.
#include <catch2/catch.hpp>

#include "ok_value.h"
#include "ridealong/core/notebook.h"
#include "ridealong/core/schema.h"
#include "ridealong/platform/testing.h"
#include "store_damage.h"
#include "temp_dir.h"

using namespace ridealong;
using namespace ridealong::core;

namespace {

constexpr int64_t kT0 = 1767225600000;  // 2026-01-01

std::unique_ptr<Notebook> openNotebook(platform::Env& env, const std::string& dir) {
  NotebookOptions o;
  o.create = true;
  return OK_VALUE(Notebook::open(env, dir, o));
}

// A failed read: an error status with a message, and not "absent".
template <typename T>
void requireReadError(const Result<T>& r, const char* what) {
  INFO(what << ": " << r.status().toString());
  REQUIRE_FALSE(r.isOk());
  CHECK_FALSE(r.status().isNotFound());
  CHECK_FALSE(r.status().message().empty());
}

struct Team {
  RecordId rep, session;
};

Team addTeam(Notebook& nb) {
  Team t{nb.newId(), nb.newId()};
  std::vector<ChangeBuilder> batch(2);
  batch[0].create(t.rep, std::string(types::kRep), {{"name", "Ana"}, {"team", "North"}});
  batch[0].create(nb.newId(), std::string(types::kRep), {{"name", "Ben"}, {"team", "North"}});
  batch[1].create(t.session, std::string(types::kSession),
                  {{"rep", t.rep.str()}, {"status", "planned"}, {"start", Value(kT0 + 86400000)}});
  batch[1].create(nb.newId(), std::string(types::kObservation),
                  {{"rep", t.rep.str()}, {"session", t.session.str()}, {"text", "asked good questions"}});
  REQUIRE(nb.commitBatch(batch));
  return t;
}

}  // namespace

TEST_CASE("a damaged records database makes record reads errors, not an empty notebook", "[notebook][errors]") {
  ridealong::testing::TempDir tmp;
  platform::FakeClock clock{kT0};
  platform::TestEnv env{clock, platform::realEnv().fs()};
  const std::string dir = tmp.sub("nb"), store = dir + "/store";
  Team t;
  {
    auto nb = openNotebook(env, dir);
    t = addTeam(*nb);
  }
  const uint64_t root = ridealong::testing::recordsRootPage(store);  // the notebook is closed meanwhile
  auto nb = openNotebook(env, dir);
  REQUIRE(OK_VALUE(nb->listType(types::kRep)).size() == 2);
  REQUIRE(OK_VALUE(nb->dump()).find("Ana") != std::string::npos);

  ridealong::testing::zeroStorePages(store, root, root);  // under the open notebook

  auto dump = nb->dump();
  requireReadError(dump, "dump");
  CHECK(dump.status().isCorruption());
  requireReadError(nb->listType(types::kRep), "listType");
  requireReadError(nb->listType(types::kRep, /*includeDeleted=*/true), "listType with deleted");
  requireReadError(nb->get(t.rep), "get");
  requireReadError(nb->teamOverview(kT0), "teamOverview");
  requireReadError(nb->repTimeline(t.rep, 50), "repTimeline");
  requireReadError(nb->sessionObservations(t.session), "sessionObservations");
  requireReadError(nb->openSessions(10), "openSessions");
  // What does not read records still works: counts come from the database
  // headers, the identity and the log live elsewhere.
  auto stats = nb->stats();
  REQUIRE(stats);
  CHECK(stats->records == 4);
  CHECK(nb->device());
  CHECK(nb->versionVector());
}

TEST_CASE("a store damaged past its meta pages: stats, identity and the version vector are errors too",
          "[notebook][errors]") {
  ridealong::testing::TempDir tmp;
  platform::FakeClock clock{kT0};
  platform::TestEnv env{clock, platform::realEnv().fs()};
  const std::string dir = tmp.sub("nb");
  auto nb = openNotebook(env, dir);
  Team t = addTeam(*nb);
  REQUIRE(OK_VALUE(nb->stats()).records == 4);

  ridealong::testing::zeroStorePages(dir + "/store", 2);  // every page but LMDB's two meta pages

  requireReadError(nb->stats(), "stats");
  requireReadError(nb->dump(), "dump");
  requireReadError(nb->listType(types::kRep), "listType");
  requireReadError(nb->get(t.rep), "get");
  requireReadError(nb->trash(), "trash");
  requireReadError(nb->conflicts(), "conflicts");
  requireReadError(nb->openActionsByDue(10), "openActionsByDue");
  requireReadError(nb->device(), "device");
  requireReadError(nb->identity(), "identity");
  requireReadError(nb->versionVector(), "versionVector");
  requireReadError(nb->heldVersionVector(), "heldVersionVector");
  requireReadError(nb->retiredDevices(), "retiredDevices");
  requireReadError(nb->quarantined(), "quarantined");
  requireReadError(nb->clockWarnings(), "clockWarnings");
  requireReadError(nb->changesSince({}), "changesSince");
}
