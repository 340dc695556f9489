// Crash safety: a child process commits changes in a loop with durable=true
// and reports each commit's seq and record id on a pipe the moment commit()
// returns; the parent kill -9s it at a random moment (fixed seed), reopens the
// store and checks that every reported commit is there, that no commit is
// half there, and that the store opens and reads cleanly. The same store goes
// through every iteration, so recovery after repeated crashes (a dead writer
// holding LMDB's lock, stale reader slots) is tested too.
//
// The child is a fork() of the test process made before the notebook is
// opened: an LMDB environment must never cross a fork, so the parent closes
// its notebook before each fork and the child opens its own.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <random>

#include "ok_value.h"
#include "ridealong/core/notebook.h"
#include "temp_dir.h"

using namespace ridealong;
using namespace ridealong::core;

namespace {

constexpr int kIterations = 24;

// Each commit writes a body whose size and bytes follow from its `n`, so the
// parent can check the content, not just that a record exists.
std::string bodyFor(int64_t n) {
  std::string s(static_cast<size_t>(1 + (n * 7919) % 24000), '\0');
  for (size_t i = 0; i < s.size(); i++) s[i] = static_cast<char>('a' + (n + static_cast<int64_t>(i)) % 26);
  return s;
}

struct Report {
  uint64_t seq;
  RecordId id;
};

// The child: commit forever; report each commit after commit() returns.
[[noreturn]] void childLoop(const std::string& dir, const RecordId& counter, int out) {
  NotebookOptions o;
  o.durable = true;
  auto nb = Notebook::open(platform::realEnv(), dir, o);
  if (!nb) _exit(3);
  // Open: a report of seq 0 tells the parent to start its kill timer.
  char ready[24] = {};
  if (::write(out, ready, sizeof ready) != static_cast<ssize_t>(sizeof ready)) _exit(6);
  for (;;) {
    // No Catch2 assertions in the forked child: a failed read is an exit code.
    auto vv = (*nb)->versionVector();
    auto self = (*nb)->device();
    if (!vv || !self) _exit(7);
    uint64_t next = (*vv)[*self] + 1;
    RecordId id = (*nb)->newId();
    ChangeBuilder b;
    b.create(id, "note", {{"n", static_cast<int64_t>(next)}, {"body", bodyFor(static_cast<int64_t>(next))}});
    b.set(counter, "last", static_cast<int64_t>(next));
    auto info = (*nb)->commit(b);
    if (!info) _exit(4);
    if (info->seq != next) _exit(5);
    char msg[24];
    std::memcpy(msg, &info->seq, 8);
    std::memcpy(msg + 8, id.bytes.data(), 16);
    if (::write(out, msg, sizeof msg) != static_cast<ssize_t>(sizeof msg)) _exit(6);
  }
}

// Reads reports until `deadline` (or until `buf` holds `enough` bytes), so
// the pipe never fills and blocks the child.
void readUntil(int fd, std::chrono::steady_clock::time_point deadline, std::string* buf, size_t enough = SIZE_MAX) {
  char tmp[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || buf->size() >= enough) return;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::read(fd, tmp, sizeof tmp);
    if (n <= 0) return;  // EOF: the child is gone early
    buf->append(tmp, static_cast<size_t>(n));
  }
}

void readToEof(int fd, std::string* buf) {
  char tmp[4096];
  for (ssize_t n; (n = ::read(fd, tmp, sizeof tmp)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    buf->append(tmp, static_cast<size_t>(n));
  }
}

}  // namespace

TEST_CASE("commits reported before kill -9 survive it, over repeated crashes", "[crash]") {
  testing::TempDir tmp;
  const std::string dir = tmp.sub("nb");
  RecordId counter;
  ActorId device;
  {
    NotebookOptions o;
    o.create = true;
    auto nb = Notebook::open(platform::realEnv(), dir, o);
    REQUIRE(nb);
    device = OK_VALUE((*nb)->device());
    counter = (*nb)->newId();
    ChangeBuilder b;
    b.create(counter, "note", {{"last", int64_t{1}}});
    REQUIRE((*nb)->commit(b));
  }
  std::mt19937_64 rng(20260101);  // fixed: the kill moments replay
  std::vector<Report> reported;
  int iterationsWithCommits = 0;
  for (int iter = 0; iter < kIterations; iter++) {
    INFO("iteration " << iter);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      childLoop(dir, counter, fds[1]);
    }
    ::close(fds[1]);
    // The kill lands after the child has reported 1-5 commits plus a
    // random 0-15 ms (so also in the middle of the next commit): counted in
    // commits, not time, as a loaded machine or a sanitizer makes opening
    // and committing many times slower. Every fourth run is killed a random
    // 5-80 ms after the fork instead, so some kills land while it opens.
    std::string buf;
    size_t awaited = 0;  // bytes of reports waited for before the kill
    if (iter % 4 != 3) {
      awaited = 24 * (2 + rng() % 5);  // ready and 1-5 commits
      readUntil(fds[0], std::chrono::steady_clock::now() + std::chrono::seconds(60), &buf, awaited);
      readUntil(fds[0], std::chrono::steady_clock::now() + std::chrono::milliseconds(rng() % 16), &buf);
    } else {
      readUntil(fds[0], std::chrono::steady_clock::now() + std::chrono::milliseconds(5 + rng() % 76), &buf);
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    readToEof(fds[0], &buf);
    ::close(fds[0]);
    // The child only stops by the kill; an exit code names what failed in it.
    INFO("child exit code " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);
    REQUIRE(buf.size() >= awaited);  // the commits waited for came (in 60 s)
    REQUIRE(buf.size() % 24 == 0);
    size_t before = reported.size();
    bool first = true;
    for (size_t off = 0; off < buf.size(); off += 24) {
      Report r;
      std::memcpy(&r.seq, buf.data() + off, 8);
      if (r.seq == 0) {  // the ready report, first of each run
        REQUIRE(off == 0);
        continue;
      }
      const bool firstOfRun = first;
      first = false;
      r.id = Id16::fromBytes(buf.data() + off + 8);
      // Seqs grow without gaps within a run, and never repeat across runs.
      if (!reported.empty()) REQUIRE(r.seq > reported.back().seq);
      if (!firstOfRun) REQUIRE(r.seq == reported.back().seq + 1);
      reported.push_back(r);
    }
    if (reported.size() > before) iterationsWithCommits++;

    NotebookOptions o;
    auto opened = Notebook::open(platform::realEnv(), dir, o);
    REQUIRE(opened);
    Notebook& nb = **opened;
    REQUIRE(OK_VALUE(nb.device()) == device);
    uint64_t have = OK_VALUE(nb.versionVector())[device];
    if (!reported.empty()) REQUIRE(have >= reported.back().seq);
    for (size_t i = before; i < reported.size(); i++) {
      auto rec = nb.get(reported[i].id);
      INFO("seq " << reported[i].seq);
      REQUIRE(rec);
      CHECK(rec->type == "note");
      CHECK(rec->get("n") == Value(static_cast<int64_t>(reported[i].seq)));
      CHECK(rec->text("body") == bodyFor(static_cast<int64_t>(reported[i].seq)));
    }
    // All or nothing per commit: log, version vector and records agree,
    // including commits made but not reported before the kill.
    auto log = nb.changesSince({});
    REQUIRE(log);
    CHECK(log->size() == have);
    StoreStats st = OK_VALUE(nb.stats());
    CHECK(st.records == have);  // the counter record plus one per later commit
    CHECK(st.pending == 0);
    CHECK(nb.get(counter)->get("last") == Value(static_cast<int64_t>(have)));  // latest commit wins
    CHECK(OK_VALUE(nb.listType("note")).size() == have);
    CHECK(OK_VALUE(nb.dump()).find("\"error\"") == std::string::npos);
  }
  // The kill must have landed after some commits most of the time; else the
  // test proves nothing.
  CHECK(iterationsWithCommits >= kIterations / 2);
  CHECK(reported.size() >= 20);
}
