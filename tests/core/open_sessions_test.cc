// The open-sessions index (planned and in-progress sessions by start) and
// its migration for stores made before it existed.
#include <lmdb.h>

#include <catch2/catch.hpp>

#include "ok_value.h"
#include "ridealong/core/notebook.h"
#include "ridealong/core/records.h"
#include "ridealong/platform/env.h"
#include "temp_dir.h"

using namespace ridealong;
using ridealong::testing::TempDir;

namespace {

core::RecordId addSession(core::Notebook& nb, const core::RecordId& rep, int64_t start, const char* status) {
  core::ChangeBuilder c;
  core::RecordId id = nb.newId();
  c.create(id, "session",
           {{"rep", rep.str()},
            {"start", start},
            {"type", "tactical"},
            {"area", "skills"},
            {"status", std::string(status)}});
  REQUIRE(nb.commit(c).isOk());
  return id;
}

// A notebook in `dir` holding one rep, whose id goes to `rep`.
std::unique_ptr<core::Notebook> notebookWithRep(const std::string& dir, core::RecordId* rep) {
  core::NotebookOptions o;
  o.create = true;
  auto nb = core::Notebook::open(platform::realEnv(), dir, o);
  REQUIRE(nb.isOk());
  *rep = (*nb)->newId();
  core::ChangeBuilder c;
  c.create(*rep, "rep", {{"name", "Ana"}});
  REQUIRE((*nb)->commit(c).isOk());
  return std::move(*nb);
}

std::vector<core::RecordId> openIds(core::Notebook& nb) {
  std::vector<core::RecordId> out;
  for (const auto& r : OK_VALUE(nb.openSessions(100))) out.push_back(r.id);
  return out;
}

// Makes the store look as an older build left it: no open-session entries,
// no index version.
void forgetIndex(const std::string& storeDir) {
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == 0);
  mdb_env_set_maxdbs(env, 8);
  mdb_env_set_mapsize(env, size_t{1} << 30);
  REQUIRE(mdb_env_open(env, storeDir.c_str(), 0, 0600) == 0);
  MDB_txn* txn = nullptr;
  REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == 0);
  MDB_dbi idx = 0, meta = 0;
  REQUIRE(mdb_dbi_open(txn, "idx", 0, &idx) == 0);
  REQUIRE(mdb_dbi_open(txn, "meta", 0, &meta) == 0);
  MDB_val k{7, const_cast<char*>("indexes")};
  REQUIRE(mdb_del(txn, meta, &k, nullptr) == 0);
  MDB_cursor* c = nullptr;
  REQUIRE(mdb_cursor_open(txn, idx, &c) == 0);
  MDB_val key{1, const_cast<char*>("o")}, val{};
  int rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE);
  int removed = 0;
  while (rc == 0 && static_cast<const char*>(key.mv_data)[0] == 'o') {
    REQUIRE(mdb_cursor_del(c, 0) == 0);
    removed++;
    rc = mdb_cursor_get(c, &key, &val, MDB_GET_CURRENT);
    if (rc == 0 && static_cast<const char*>(key.mv_data)[0] != 'o') break;
    if (rc != 0) rc = mdb_cursor_get(c, &key, &val, MDB_NEXT);
  }
  CHECK(removed > 0);
  mdb_cursor_close(c);
  REQUIRE(mdb_txn_commit(txn) == 0);
  mdb_env_close(env);
}

}  // namespace

TEST_CASE("open sessions: planned and in progress by start, not done or deleted", "[core][query]") {
  TempDir dir;
  core::RecordId rep;
  auto nb = notebookWithRep(dir.path(), &rep);
  auto later = addSession(*nb, rep, 3000, "planned");
  auto now = addSession(*nb, rep, 2000, "in_progress");
  auto done = addSession(*nb, rep, 1000, "done");
  auto gone = addSession(*nb, rep, 2500, "planned");
  core::ChangeBuilder d;
  d.remove(gone);
  REQUIRE(nb->commit(d).isOk());
  CHECK(openIds(*nb) == std::vector<core::RecordId>{now, later});
  // Finishing a session takes it off; reopening puts it back.
  core::ChangeBuilder f;
  f.set(now, "status", core::Value("done"));
  f.set(done, "status", core::Value("in_progress"));
  REQUIRE(nb->commit(f).isOk());
  CHECK(openIds(*nb) == std::vector<core::RecordId>{done, later});
  CHECK(OK_VALUE(nb->openSessions(1)).size() == 1);
}

TEST_CASE("a store made before the open-sessions index gets it when opened", "[core][query]") {
  TempDir dir;
  core::RecordId planned;
  {
    core::RecordId rep;
    auto nb = notebookWithRep(dir.path(), &rep);
    planned = addSession(*nb, rep, 5000, "planned");
    addSession(*nb, rep, 1000, "done");
  }
  forgetIndex(dir.path() + "/store");
  auto nb = core::Notebook::open(platform::realEnv(), dir.path(), {});
  REQUIRE(nb.isOk());
  CHECK(openIds(**nb) == std::vector<core::RecordId>{planned});
}
