// Hostile and broken input at the core's edges: malformed change bytes
// (random, truncated, bit-flipped), damaged change streams, clocks far off in
// either direction, a full disk (injected, and real via RLIMIT_FSIZE in a
// forked child), a garbage store file, and malformed version-vector JSON.
// Each must give a clear error and leave the store as it was, or, where a
// damaged change still decodes to a valid one, be applied consistently.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lmdb.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "change_codec.h"
#include "ok_value.h"
#include "ridealong/core/change_stream.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/data_dir.h"
#include "ridealong/platform/testing.h"
#include "temp_dir.h"

using namespace ridealong;
using namespace ridealong::core;

namespace {

constexpr int64_t kT0 = 1767225600000;  // 2026-01-01

struct Replica {
  platform::FakeClock clock{kT0};
  platform::FaultyFileSystem fs{platform::realEnv().fs()};
  platform::TestEnv env{clock, fs};
  std::unique_ptr<Notebook> nb;
  explicit Replica(const std::string& dir, bool durable = false) {
    NotebookOptions o;
    o.create = true;
    o.durable = durable;
    auto r = Notebook::open(env, dir, o);
    REQUIRE(r);
    nb = std::move(r).value();
  }
};

// A's log: a rep, an edit, then a change with every value kind (the one the
// bit-flip tests damage).
struct Fixture {
  testing::TempDir tmp;
  Replica a{tmp.sub("a")};
  RecordId rep;
  std::vector<std::string> log;
  Fixture() {
    rep = a.nb->newId();
    ChangeBuilder c1;
    c1.create(rep, "rep", {{"name", "Ana"}, {"team", "North"}});
    REQUIRE(a.nb->commit(c1));
    a.clock.advanceMs(1000);
    ChangeBuilder c2;
    c2.set(rep, "team", Value("East"));
    REQUIRE(a.nb->commit(c2));
    a.clock.advanceMs(1000);
    ChangeBuilder c3;
    RecordId note = a.nb->newId();
    c3.create(note, "note", {{"t", "héllo"}, {"i", int64_t{-42}}, {"f", 2.5}, {"b", true}, {"z", nullptr}});
    c3.set(rep, "email", Value("ana@example.com"));
    REQUIRE(a.nb->commit(c3));
    auto all = a.nb->changesSince({});
    REQUIRE(all);
    REQUIRE(all->size() == 3);
    log = std::move(all).value();
  }
};

void requireApplies(Notebook& nb, const std::vector<std::string>& changes) {
  auto r = nb.applyChanges(changes);
  REQUIRE(r);
}

}  // namespace

TEST_CASE("random bytes and truncated changes are refused, store unchanged", "[bad-input]") {
  Fixture f;
  Replica b(f.tmp.sub("b"));
  requireApplies(*b.nb, {f.log[0]});
  const std::string before = OK_VALUE(b.nb->dump());
  std::mt19937_64 rng(11);
  for (int i = 0; i < 1500; i++) {
    std::string junk(1 + rng() % 300, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    if (i % 3 == 0)
      junk.replace(0, std::min(junk.size(), f.log[1].size() / 2), f.log[1].substr(0, f.log[1].size() / 2));
    auto r = b.nb->applyChanges({junk});
    INFO("junk #" << i);
    REQUIRE_FALSE(r);
    CHECK(r.status().isCorruption());
  }
  for (size_t n = 0; n < f.log[1].size(); n++) {
    auto r = b.nb->applyChanges({f.log[1].substr(0, n)});
    INFO("prefix " << n);
    REQUIRE_FALSE(r);
    CHECK(r.status().isCorruption());
  }
  CHECK(OK_VALUE(b.nb->dump()) == before);
  // One bad change spoils the whole batch: the good ones are not applied either.
  auto r = b.nb->applyChanges({f.log[1], f.log[2].substr(0, 10), f.log[2]});
  REQUIRE_FALSE(r);
  CHECK_THAT(r.status().message(), Catch::Contains("change 2 of 3"));
  CHECK(OK_VALUE(b.nb->dump()) == before);
  CHECK(OK_VALUE(b.nb->stats()).pending == 0);
  // The store still takes good input afterwards.
  requireApplies(*b.nb, {f.log[2], f.log[1]});
  CHECK(OK_VALUE(b.nb->dump()) == OK_VALUE(f.a.nb->dump()));
}

TEST_CASE("bit-flipped changes are refused, or applied consistently if still valid", "[bad-input]") {
  Fixture f;
  Replica b(f.tmp.sub("b"));
  requireApplies(*b.nb, {f.log[0], f.log[1]});
  const std::string before = OK_VALUE(b.nb->dump());
  const std::string& target = f.log[2];
  auto orig = detail::DecodedChange::decode(target);
  REQUIRE(orig);
  std::mt19937_64 sample(17);
  size_t refused = 0, valid = 0, checked = 0;
  for (size_t i = 0; i < target.size(); i++) {
    for (int bit = 0; bit < 8; bit++) {
      std::string flipped = target;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      INFO("byte " << i << " bit " << bit);
      if (!detail::DecodedChange::decode(flipped)) {
        // Refused, together with the good change in the same batch.
        auto r = b.nb->applyChanges({target, flipped});
        REQUIRE_FALSE(r);
        CHECK(r.status().isCorruption());
        REQUIRE(OK_VALUE(b.nb->dump()) == before);
        refused++;
        continue;
      }
      // Still a valid change (flat Cap'n Proto has many unchecked bits): two
      // fresh replicas reach the same state whether it arrives last and
      // alone or first, in a shuffled batch, twice. Checked for every flip
      // that changes the header (actor, seq, clock, deps), and a sample of
      // the rest, to keep the run short.
      valid++;
      auto d = detail::DecodedChange::decode(flipped);
      bool headerChanged = d->actor() != orig->actor() || d->seq() != orig->seq() || d->hlc() != orig->hlc() ||
                           d->deps() != orig->deps();
      if (!headerChanged && sample() % 12 != 0) continue;
      checked++;
      std::string sub = f.tmp.sub("flip-" + std::to_string(i) + "-" + std::to_string(bit));
      Replica p(sub + "p"), q(sub + "q");
      requireApplies(*p.nb, {f.log[0], f.log[1]});
      auto rp = p.nb->applyChanges({flipped});
      auto rq = q.nb->applyChanges({flipped, f.log[1], f.log[0], flipped});
      REQUIRE(rp.isOk() == rq.isOk());
      if (!rp) {
        // Only a clock check may refuse a well-formed change; nothing lands.
        CHECK(rp.status().isInvalidArgument());
        CHECK(OK_VALUE(p.nb->dump()) == before);
        continue;
      }
      CHECK(OK_VALUE(p.nb->dump()) == OK_VALUE(q.nb->dump()));
      CHECK(OK_VALUE(p.nb->stats()).pending == OK_VALUE(q.nb->stats()).pending);
      std::string once = OK_VALUE(p.nb->dump());
      auto again = p.nb->applyChanges({flipped});
      REQUIRE(again);
      CHECK(again->applied == 0);
      CHECK(OK_VALUE(p.nb->dump()) == once);
    }
  }
  INFO(refused << " flips refused, " << valid << " still valid, " << checked << " of those checked");
  CHECK(refused > 0);
  CHECK(checked > 50);
  CHECK(OK_VALUE(b.nb->dump()) == before);
}

TEST_CASE("damaged change streams are refused", "[bad-input]") {
  Fixture f;
  const std::string stream = encodeChangeStream(f.log);
  auto ok = decodeChangeStream(stream);
  REQUIRE(ok);
  REQUIRE(*ok == f.log);
  CHECK(decodeChangeStream(encodeChangeStream({}))->empty());
  CHECK(versionVectorOf(f.log) == OK_VALUE(f.a.nb->versionVector()));
  // Every strict prefix is refused.
  for (size_t n = 0; n < stream.size(); n++) {
    INFO("prefix " << n);
    auto r = decodeChangeStream(std::string_view(stream).substr(0, n));
    REQUIRE_FALSE(r);
    CHECK(r.status().isCorruption());
  }
  // Any single damaged byte is refused (magic, zstd header, blocks, checksum).
  std::mt19937_64 rng(5);
  for (size_t i = 0; i < stream.size(); i++) {
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}, static_cast<uint8_t>(1 + rng() % 255)}) {
      std::string bad = stream;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      INFO("byte " << i << " of " << stream.size() << " xor " << int(mask));
      auto r = decodeChangeStream(bad);
      REQUIRE_FALSE(r);
      CHECK(r.status().isCorruption());
    }
  }
  CHECK_FALSE(decodeChangeStream(stream + "x"));
  CHECK_FALSE(decodeChangeStream(stream + stream.substr(8)));  // a second frame
  CHECK_FALSE(decodeChangeStream(""));
  CHECK_FALSE(decodeChangeStream("RIDECHG2" + stream.substr(8)));
  // Entries the writer framed wrongly: an empty entry has a bad length.
  for (const auto& entries : {std::vector<std::string>{""}, std::vector<std::string>{f.log[0], ""}}) {
    auto r = decodeChangeStream(encodeChangeStream(entries));
    REQUIRE_FALSE(r);
    CHECK(r.status().isCorruption());
    CHECK_THAT(r.status().message(), Catch::Contains("bad length"));
  }
  // An intact stream carrying a non-change is refused at apply, as a batch.
  auto carried = decodeChangeStream(encodeChangeStream({f.log[0], "not a change at all!"}));
  REQUIRE(carried);
  testing::TempDir tmp;
  Replica b(tmp.sub("b"));
  const std::string before = OK_VALUE(b.nb->dump());
  CHECK_FALSE(b.nb->applyChanges(*carried));
  CHECK(OK_VALUE(b.nb->dump()) == before);
}

// Merge follows causality, so a wrong clock elsewhere never blocks sync: its
// changes apply, this device's clock moves at most NotebookOptions::
// clockBoundMs past its own, and the device is reported (clockWarnings).
TEST_CASE("clocks far ahead or behind never block, move this clock at most the bound, are reported", "[bad-input]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a")), b(tmp.sub("b"));
  RecordId rep = a.nb->newId();
  ChangeBuilder c;
  c.create(rep, "rep", {{"name", "Ana"}});
  REQUIRE(a.nb->commit(c));
  requireApplies(*b.nb, *a.nb->changesSince({}));

  SECTION("a peer years ahead") {
    a.clock.setWallMs(kT0 + 3 * 365 * kDayMs);
    ChangeBuilder e;
    e.set(rep, "team", Value("Future"));
    REQUIRE(a.nb->commit(e));
    auto r = b.nb->applyChanges(*a.nb->changesSince({}));  // the good change rides along
    REQUIRE(r);
    CHECK(r->applied == 1);
    CHECK(OK_VALUE(b.nb->dump()) == OK_VALUE(a.nb->dump()));
    REQUIRE(OK_VALUE(b.nb->clockWarnings()).size() == 1);
    CHECK(OK_VALUE(b.nb->clockWarnings())[0].skewMs == 3 * 365 * kDayMs);
    ChangeBuilder mine;
    mine.set(rep, "territory", Value("Here"));
    auto info = b.nb->commit(mine);
    REQUIRE(info);
    CHECK(hlcMs(info->hlc) <= kT0 + NotebookOptions{}.clockBoundMs);
  }

  SECTION("a peer three days ahead: applied, this clock moves at most the bound, its device reported") {
    a.clock.setWallMs(kT0 + 71 * 3600 * 1000LL);
    ChangeBuilder e;
    e.set(rep, "team", Value("Tomorrow"));
    auto ahead = a.nb->commit(e);
    REQUIRE(ahead);
    requireApplies(*b.nb, *a.nb->changesSince(OK_VALUE(b.nb->versionVector())));
    CHECK(b.nb->get(rep)->text("team") == "Tomorrow");
    auto warnings = OK_VALUE(b.nb->clockWarnings());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].actor == OK_VALUE(a.nb->device()));
    CHECK(warnings[0].skewMs == 71 * 3600 * 1000LL);
    // b's clock still reads kT0; its next edit saw the future value, so it
    // replaces it (causality, not clocks), stamped no further ahead than
    // the bound.
    ChangeBuilder mine;
    mine.set(rep, "team", Value("Today"));
    auto info = b.nb->commit(mine);
    REQUIRE(info);
    CHECK(hlcMs(info->hlc) <= kT0 + NotebookOptions{}.clockBoundMs);
    CHECK(b.nb->get(rep)->text("team") == "Today");
    CHECK_FALSE(b.nb->get(rep)->hasConflicts());
    // a's clock is fixed: its own stamps come from the wall clock again,
    // and b stops warning about it once such a change arrives.
    a.clock.setWallMs(kT0 + 1000);
    ChangeBuilder fixed;
    fixed.set(rep, "territory", Value("North"));
    auto later = a.nb->commit(fixed);
    REQUIRE(later);
    CHECK(hlcMs(later->hlc) == kT0 + 1000);
    requireApplies(*b.nb, *a.nb->changesSince(OK_VALUE(b.nb->versionVector())));
    CHECK(OK_VALUE(b.nb->clockWarnings()).empty());
  }

  SECTION("a custom clock bound") {
    NotebookOptions o;
    o.clockBoundMs = 60 * 1000;
    b.nb.reset();
    auto reopened = Notebook::open(b.env, tmp.sub("b"), o);
    REQUIRE(reopened);
    a.clock.advanceMs(2 * 60 * 1000);
    ChangeBuilder e;
    e.set(rep, "team", Value("Soon"));
    REQUIRE(a.nb->commit(e));
    REQUIRE((*reopened)->applyChanges(*a.nb->changesSince({})));
    CHECK(OK_VALUE((*reopened)->clockWarnings()).size() == 1);
  }

  SECTION("a change stamped before 2020 is applied and its device reported") {
    ActorId bogus;
    bogus.bytes.fill(7);
    std::vector<Op> ops{{Op::Kind::kSet, rep, "team", Value("Old")}};
    auto r = b.nb->applyChanges({detail::encodeChange(bogus, 1, hlcMake(1546300800000 /* 2019 */, 0), {}, ops)});
    REQUIRE(r);
    CHECK(r->applied == 1);
    auto warnings = OK_VALUE(b.nb->clockWarnings());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].actor == bogus);
    CHECK(warnings[0].stampMs == 1546300800000);
  }

  SECTION("a local clock in 1970 refuses to commit, but still receives") {
    const VersionVector vv = OK_VALUE(b.nb->versionVector());
    b.clock.setWallMs(0);
    ChangeBuilder e;
    e.set(rep, "team", Value("Epoch"));
    auto r = b.nb->commit(e);
    REQUIRE_FALSE(r);
    CHECK(r.status().isInvalidArgument());
    CHECK_THAT(r.status().message(), Catch::Contains("clock"));
    CHECK_FALSE(b.nb->commitBatch({e, e}));
    CHECK(OK_VALUE(b.nb->versionVector()) == vv);
    ChangeBuilder fromA;
    fromA.set(rep, "territory", Value("West"));
    REQUIRE(a.nb->commit(fromA));
    REQUIRE(b.nb->applyChanges(*a.nb->changesSince(vv)));
    CHECK(b.nb->get(rep)->text("territory") == "West");
    b.clock.setWallMs(kT0);
    CHECK(b.nb->commit(e));
  }
}

TEST_CASE("injected disk full and I/O errors fail cleanly, the store stays usable", "[bad-input]") {
  Fixture f;
  Replica b(f.tmp.sub("b"), true);
  requireApplies(*b.nb, {f.log[0]});
  const std::string before = OK_VALUE(b.nb->dump());
  ChangeBuilder e;
  e.set(f.rep, "team", Value("West"));
  for (auto fault : {platform::Fault::kDiskFull, platform::Fault::kIOError}) {
    b.fs.arm(fault);
    auto c = b.nb->commit(e);
    REQUIRE_FALSE(c);
    auto batch = b.nb->commitBatch({e, e});
    REQUIRE_FALSE(batch);
    auto ap = b.nb->applyChanges({f.log[1], f.log[2]});
    REQUIRE_FALSE(ap);
    if (fault == platform::Fault::kDiskFull) {
      CHECK(c.status().isDiskFull());
      CHECK(batch.status().isDiskFull());
      CHECK(ap.status().isDiskFull());
    } else {
      CHECK(c.status().isIOError());
      CHECK(ap.status().isIOError());
    }
    b.fs.arm(platform::Fault::kNone);
    CHECK(OK_VALUE(b.nb->dump()) == before);
  }
  // Nothing half-written: b's first own commit still gets seq 1.
  auto c = b.nb->commit(e);
  REQUIRE(c);
  CHECK(c->seq == 1);
  requireApplies(*b.nb, {f.log[1], f.log[2]});
  b.nb.reset();
  NotebookOptions o;
  auto again = Notebook::open(b.env, f.tmp.sub("b"), o);
  REQUIRE(again);
  CHECK(OK_VALUE((*again)->versionVector())[OK_VALUE(f.a.nb->device())] == 3);
  CHECK((*again)->get(f.rep)->field("team")->values.size() == 2);  // West and East were concurrent
}

TEST_CASE("a real full disk (RLIMIT_FSIZE) is a disk-full error and loses nothing", "[bad-input]") {
  testing::TempDir tmp;
  const std::string dir = tmp.sub("nb");
  RecordId rep;
  {
    NotebookOptions o;
    o.create = true;
    auto nb = Notebook::open(platform::realEnv(), dir, o);
    REQUIRE(nb);
    rep = (*nb)->newId();
    ChangeBuilder c;
    c.create(rep, "rep", {{"name", "Ana"}});
    REQUIRE((*nb)->commit(c));
  }  // closed before the fork: an LMDB environment must not cross fork()
  const std::string bigText(200 * 1024, 'q');
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // Child: limit file growth to a bit above the current store, then fill it.
    ::close(fds[0]);
    ::signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of being killed
    NotebookOptions o;
    auto nb = Notebook::open(platform::realEnv(), dir, o);
    if (!nb) _exit(3);
    auto size = std::filesystem::file_size(dir + "/store/data.mdb");
    rlimit lim{size + 512 * 1024, size + 512 * 1024};
    if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(4);
    for (int i = 0; i < 1000; i++) {
      ChangeBuilder c;
      RecordId id = (*nb)->newId();
      c.create(id, "note", {{"i", int64_t{i}}, {"body", bigText}});
      auto info = (*nb)->commit(c);
      if (!info) {
        std::string msg = (info.status().isDiskFull() ? "F" : "E") + info.status().toString();  // F: disk full
        (void)!::write(fds[1], msg.data(), msg.size());
        _exit(0);
      }
      char rec[25] = {'C'};
      std::memcpy(rec + 1, &info->seq, 8);
      std::memcpy(rec + 9, id.bytes.data(), 16);
      if (::write(fds[1], rec, 25) != 25) _exit(5);
    }
    _exit(6);  // never filled up
  }
  ::close(fds[1]);
  std::string buf;
  char tmpb[4096];
  for (ssize_t n; (n = ::read(fds[0], tmpb, sizeof tmpb)) > 0;) buf.append(tmpb, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  // 'C' + seq + id per commit, then 'F' (disk full) or 'E' and the error.
  std::vector<std::pair<uint64_t, RecordId>> committed;
  size_t off = 0;
  while (buf.size() - off >= 25 && buf[off] == 'C') {
    uint64_t seq;
    std::memcpy(&seq, buf.data() + off + 1, 8);
    committed.push_back({seq, Id16::fromBytes(buf.data() + off + 9)});
    off += 25;
  }
  std::string failure = buf.substr(off);
  INFO("child's failure: " << failure);
  REQUIRE_FALSE(failure.empty());
  CHECK(failure[0] == 'F');  // isDiskFull()
  CHECK_FALSE(committed.empty());

  NotebookOptions o;
  auto nb = Notebook::open(platform::realEnv(), dir, o);
  REQUIRE(nb);
  ActorId me = OK_VALUE((*nb)->device());
  CHECK(OK_VALUE((*nb)->versionVector())[me] == 1 + committed.size());
  for (const auto& [seq, id] : committed) {
    auto r = (*nb)->get(id);
    REQUIRE(r);
    CHECK(r->text("body") == bigText);
  }
  CHECK((*nb)->get(rep)->text("name") == "Ana");
  ChangeBuilder c;
  c.set(rep, "team", Value("After"));
  auto info = (*nb)->commit(c);
  REQUIRE(info);
  CHECK(info->seq == 2 + committed.size());
  CHECK(OK_VALUE((*nb)->stats()).records == 1 + committed.size());
}

TEST_CASE("opening a damaged or foreign store is a clear error, not a crash", "[bad-input]") {
  testing::TempDir tmp;
  auto writeFile = [](const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  };
  NotebookOptions o;

  SECTION("garbage data.mdb") {
    std::mt19937_64 rng(9);
    for (size_t size : {size_t{100}, size_t{4096}, size_t{64 * 1024}}) {
      std::string dir = tmp.sub("g" + std::to_string(size));
      REQUIRE(platform::initDeviceId(platform::realEnv(), dir));
      std::string junk(size, '\0');
      for (auto& c : junk) c = static_cast<char>(rng());
      writeFile(dir + "/store/data.mdb", junk);
      auto nb = Notebook::open(platform::realEnv(), dir, o);
      INFO(size << " bytes");
      REQUIRE_FALSE(nb);
      CHECK_THAT(nb.status().message(), Catch::Contains(dir));
      CHECK_FALSE(nb.status().isOk());
    }
  }

  SECTION("both meta pages zeroed") {
    std::string dir = tmp.sub("z");
    {
      NotebookOptions c;
      c.create = true;
      REQUIRE(Notebook::open(platform::realEnv(), dir, c));
    }
    std::string path = dir + "/store/data.mdb";
    std::fstream fh(path, std::ios::binary | std::ios::in | std::ios::out);
    std::string zeros(8192, '\0');
    fh.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
    fh.close();
    auto nb = Notebook::open(platform::realEnv(), dir, o);
    REQUIRE_FALSE(nb);
    CHECK(nb.status().isCorruption());
  }

  SECTION("a store of an unknown format version") {
    std::string dir = tmp.sub("f");
    {
      NotebookOptions c;
      c.create = true;
      REQUIRE(Notebook::open(platform::realEnv(), dir, c));
    }
    MDB_env* env = nullptr;
    REQUIRE(mdb_env_create(&env) == 0);
    mdb_env_set_maxdbs(env, 8);
    REQUIRE(mdb_env_open(env, (dir + "/store").c_str(), 0, 0600) == 0);
    MDB_txn* txn = nullptr;
    REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == 0);
    MDB_dbi meta;
    REQUIRE(mdb_dbi_open(txn, "meta", 0, &meta) == 0);
    MDB_val k{6, const_cast<char*>("format")}, v{2, const_cast<char*>("99")};
    REQUIRE(mdb_put(txn, meta, &k, &v, 0) == 0);
    REQUIRE(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
    auto nb = Notebook::open(platform::realEnv(), dir, o);
    REQUIRE_FALSE(nb);
    CHECK(nb.status().isCorruption());
    CHECK_THAT(nb.status().message(), Catch::Contains("format 99"));
  }

  SECTION("a damaged device id, and no notebook at all") {
    // An older build's notebook: the id only in device.id, not in the store.
    std::string dir = tmp.sub("d");
    {
      NotebookOptions create = o;
      create.create = true;
      REQUIRE(Notebook::open(platform::realEnv(), dir, create));
    }
    MDB_env* env = nullptr;
    REQUIRE(mdb_env_create(&env) == 0);
    mdb_env_set_maxdbs(env, 16);
    REQUIRE(mdb_env_open(env, (dir + "/store").c_str(), 0, 0600) == 0);
    MDB_txn* txn = nullptr;
    REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == 0);
    MDB_dbi meta;
    REQUIRE(mdb_dbi_open(txn, "meta", 0, &meta) == 0);
    for (const char* key : {"device", "device.secret"}) {
      MDB_val k{std::strlen(key), const_cast<char*>(key)};
      REQUIRE(mdb_del(txn, meta, &k, nullptr) == 0);
    }
    REQUIRE(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
    writeFile(dir + "/device.id", "short");
    auto nb = Notebook::open(platform::realEnv(), dir, o);
    REQUIRE_FALSE(nb);
    CHECK(nb.status().isCorruption());
    CHECK_THAT(nb.status().message(), Catch::Contains("device.id"));
    auto none = Notebook::open(platform::realEnv(), tmp.sub("nothing"), o);
    REQUIRE_FALSE(none);
    CHECK(none.status().isNotFound());
    CHECK_THAT(none.status().message(), Catch::Contains("init"));
  }
}

TEST_CASE("version vector JSON: round trip and clear errors", "[bad-input]") {
  ActorId a, b;
  a.bytes.fill(1);
  b.bytes.fill(0xfe);
  VersionVector vv{{a, 3}, {b, UINT64_MAX}};
  auto back = versionVectorFromJson(versionVectorToJson(vv));
  REQUIRE(back);
  CHECK(*back == vv);
  CHECK(versionVectorFromJson("{}")->empty());
  CHECK(versionVectorFromJson(" {\"" + a.str() + "\": 0} ")->at(a) == 0);
  // Ids parse as anywhere else: lowercase is fine.
  std::string lower = a.str();
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(versionVectorFromJson("{\"" + lower + "\": 5}")->at(a) == 5);

  for (const char* bad :
       {"", "{", "}", "[]", "[1]", "null", "42", "\"x\"", "{\"a\":}", "{'x': 1}", "{} {}", "{\"x\": 1,}"}) {
    INFO(bad);
    auto r = versionVectorFromJson(bad);
    REQUIRE_FALSE(r);
    CHECK(r.status().isInvalidArgument());
    CHECK_THAT(r.status().message(), Catch::Contains("JSON object"));
  }
  std::string id = a.str();
  for (std::string key : {std::string("nope"), id.substr(1), id + "0", "U" + id.substr(1), std::string("")}) {
    INFO(key);
    auto r = versionVectorFromJson("{\"" + key + "\": 1}");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.status().message(), Catch::Contains("not a device id"));
  }
  for (std::string val : {"-1", "1.5", "\"3\"", "true", "null", "[1]", "{}", "1e3", "18446744073709551616"}) {
    INFO(val);
    auto r = versionVectorFromJson("{\"" + id + "\": " + val + "}");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.status().message(), Catch::Contains("non-negative integer"));
  }
}
