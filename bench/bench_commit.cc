// commit: capture one observation durably (one change, one LMDB write
// transaction with fsync), N times; against, in the same directory and run,
// the raw cost of a 4 KiB write + fdatasync, and the floor under any store
// on LMDB: a bare environment with the store's flags (MDB_NOMETASYNC, one
// fdatasync per commit; core/src/store.cc) committing one small value per
// transaction, which already costs about 1.3-1.5x the raw flush here
// (docs/benchmarks.md).
#include <fcntl.h>
#include <fmt/core.h>
#include <lmdb.h>
#include <unistd.h>

#include <memory>

#include "benches.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"

namespace ridealong::bench {

using namespace ridealong::core;

namespace {
std::vector<double> rawFdatasync(const std::string& dir, int n) {
  std::string path = dir + "/raw.bin";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + path);
  std::string block(4096, 'x');
  std::vector<double> t;
  for (int i = 0; i < n; i++) {
    double t0 = nowMs();
    if (::pwrite(fd, block.data(), block.size(), static_cast<off_t>(i % 64) * 4096) != 4096 || ::fdatasync(fd) != 0)
      throw std::runtime_error("raw write failed");
    t.push_back(nowMs() - t0);
  }
  ::close(fd);
  return t;
}
// Bare LMDB with the store's durability flags, one key overwritten per
// transaction; after as many untimed commits, so the file no longer grows.
std::vector<double> bareLmdbCommits(const std::string& dir, int n) {
  MDB_env* env = nullptr;
  auto check = [&](int rc, const char* what) {
    if (rc != 0) throw std::runtime_error(std::string("bare LMDB: ") + what + ": " + mdb_strerror(rc));
  };
  check(mdb_env_create(&env), "create");
  std::unique_ptr<MDB_env, void (*)(MDB_env*)> guard(env, mdb_env_close);
  check(mdb_env_set_mapsize(env, size_t{64} << 20), "map size");
  check(mdb_env_open(env, dir.c_str(), MDB_NOMETASYNC, 0600), "open");
  std::string value(100, 'v');
  std::vector<double> t;
  for (int i = 0; i < 2 * n; i++) {
    double t0 = nowMs();
    MDB_txn* txn;
    MDB_dbi dbi;
    check(mdb_txn_begin(env, nullptr, 0, &txn), "begin");
    check(mdb_dbi_open(txn, nullptr, 0, &dbi), "dbi");
    std::string key = std::to_string(i % 64);
    MDB_val k{key.size(), key.data()}, v{value.size(), value.data()};
    check(mdb_put(txn, dbi, &k, &v, 0), "put");
    check(mdb_txn_commit(txn), "commit");
    if (i >= n) t.push_back(nowMs() - t0);
  }
  return t;
}

}  // namespace

std::vector<Figure> benchCommit(const Options& o) {
  ScratchDir scratch(o.dir);
  NotebookOptions opts;
  opts.create = true;
  auto nb = Notebook::open(platform::realEnv(), scratch.path() + "/nb", opts);
  if (!nb) throw std::runtime_error(nb.status().toString());
  RecordId rep = (*nb)->newId(), session = (*nb)->newId();
  ChangeBuilder setup;
  setup.create(rep, "rep", {{"name", "Bench Rep"}});
  setup.create(session, "session", {{"rep", rep.str()}, {"status", "in_progress"}, {"type", "developmental"}});
  if (auto r = (*nb)->commit(setup); !r) throw std::runtime_error(r.status().toString());

  std::vector<double> commit, raw;
  for (int i = 0; i < o.commits; i++) {
    ChangeBuilder b;
    b.create((*nb)->newId(), "observation",
             {{"session", session.str()},
              {"rep", rep.str()},
              {"at", int64_t{1767225600000} + i * 1000},
              {"skill", "discovery questions"},
              {"kind", i % 2 ? "strength" : "improve"},
              {"text", "asked about the timeline before pricing"},
              {"rating", int64_t{1 + i % 5}}});
    double t0 = nowMs();
    auto r = (*nb)->commit(b);
    commit.push_back(nowMs() - t0);
    if (!r) throw std::runtime_error(r.status().toString());
  }
  raw = rawFdatasync(scratch.path(), o.commits);
  std::string bareDir = scratch.path() + "/bare";
  if (auto st = platform::realEnv().fs().createDirs(bareDir); !st) throw std::runtime_error(st.toString());
  double bareP50 = percentile(bareLmdbCommits(bareDir, o.commits), 50);
  double p50 = percentile(commit, 50), rawP50 = percentile(raw, 50);
  std::vector<Figure> f;
  f.push_back({"commit p50", fmt::format("{:.3f} ms", p50), "<= 1.5x raw fdatasync p50"});
  f.push_back({"commit p99", fmt::format("{:.3f} ms", percentile(commit, 99)), ""});
  f.push_back({"raw 4 KiB write+fdatasync p50", fmt::format("{:.3f} ms", rawP50), ""});
  f.push_back({"commit p50 / raw p50", fmt::format("{:.2f}x", p50 / rawP50), "<= 1.5x"});
  f.push_back({"bare LMDB one-value commit p50", fmt::format("{:.3f} ms", bareP50), ""});
  f.push_back({"bare LMDB p50 / raw p50", fmt::format("{:.2f}x", bareP50 / rawP50), "(floor for a store on LMDB)"});
  f.push_back({"commit p50 / bare LMDB p50", fmt::format("{:.2f}x", p50 / bareP50), ""});
  printFigures(fmt::format("Durable commit ({} observations)", o.commits), f);
  return f;
}

}  // namespace ridealong::bench
