// LmdbRelayStore on a real LMDB environment: registry, device keys, push
// rules (digests, forks), paging, that acknowledged data survives reopening,
// the format 1 -> 2 migration and the files' mode.
#include "relay/relay_store.h"

#include <lmdb.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "temp_dir.h"

namespace ridealong::relay {
namespace {

core::ActorId actor(uint8_t b) {
  core::ActorId a;
  a.bytes.fill(b);
  return a;
}

SealedChange change(uint8_t who, uint64_t seq, std::string body = "x") {
  SealedChange c;
  c.actor = actor(who);
  c.seq = seq;
  c.nonce.assign(sync::kNonceBytes, static_cast<char>(seq));
  c.ciphertext = body + std::string(sync::kTagBytes, 't');
  return c;
}

// A change with a (fake) digest and prev, as a version 2 device sends it.
SealedChange digested(uint8_t who, uint64_t seq, std::string body = "x") {
  SealedChange c = change(who, seq, body);
  auto fake = [&](uint64_t s, const std::string& b) {
    std::string d = "D" + std::to_string(who) + "/" + std::to_string(s) + "/" + b;
    d.resize(sync::kDigestBytes, '.');
    return d;
  };
  c.digest = fake(seq, body);
  if (seq > 1) c.prev = fake(seq - 1, "x");
  return c;
}

std::unique_ptr<RelayStore> open(const testing::TempDir& dir) {
  auto s = RelayStore::openLmdb(dir.sub("relay"));
  REQUIRE(s.isOk());
  return std::move(s).value();
}

AuthPublicKey key(uint8_t b) {
  AuthPublicKey k;
  k.fill(b);
  return k;
}

TEST_CASE("space registry: first key wins, same key is idempotent", "[sync][relay-store]") {
  testing::TempDir dir;
  auto store = open(dir);
  SpaceId space = sync::newSpaceId();
  CHECK(store->authKey(space).status().isNotFound());
  auto r = store->registerSpace(space, key(1), SignUp{true, {}, 0});
  REQUIRE(r.isOk());
  CHECK(*r == true);
  r = store->registerSpace(space, key(1), SignUp{true, {}, 0});
  REQUIRE(r.isOk());
  CHECK(*r == false);
  r = store->registerSpace(space, key(2), SignUp{true, {}, 0});
  CHECK(r.status().code() == Status::Code::kUnauthorized);
  CHECK(*store->authKey(space) == key(1));
}

TEST_CASE("push keeps per-actor logs contiguous", "[sync][relay-store]") {
  testing::TempDir dir;
  auto store = open(dir);
  SpaceId space = sync::newSpaceId();

  auto r = store->push(space, {change(1, 2), change(1, 1), change(2, 1)});  // any order
  REQUIRE(r.isOk());
  CHECK(r->stored == 3);
  CHECK(r->storedIndexes == std::vector<size_t>{0, 1, 2});
  CHECK(r->vv == core::VersionVector{{actor(1), 2}, {actor(2), 1}});

  SECTION("duplicates are idempotent") {
    auto d = store->push(space, {change(1, 1), change(1, 2), change(1, 3)});
    REQUIRE(d.isOk());
    CHECK(d->duplicates == 2);
    CHECK(d->stored == 1);
    CHECK(d->storedIndexes == std::vector<size_t>{2});
    CHECK(d->vv[actor(1)] == 3);
  }
  SECTION("a gap is refused and nothing of the push is stored") {
    auto g = store->push(space, {change(2, 2), change(1, 4)});
    CHECK(g.status().isInvalidArgument());
    CHECK_THAT(g.status().message(), Catch::Contains("gap"));
    CHECK(store->versionVector(space)->at(actor(2)) == 1);
  }
  SECTION("a first change must be seq 1") { CHECK(store->push(space, {change(3, 2)}).status().isInvalidArgument()); }
  SECTION("same actor and seq with other bytes is refused (equivocation)") {
    auto e = store->push(space, {change(2, 2), change(1, 2, "other")});
    CHECK(e.status().isCorruption());
    CHECK_THAT(e.status().message(), Catch::Contains("equivocation"));
    CHECK(store->versionVector(space)->at(actor(2)) == 1);  // whole push refused
    auto p = store->pull(space, {}, 1 << 20);
    REQUIRE(p.isOk());
    CHECK(p->changes[1] == change(1, 2));
  }
  SECTION("spaces are separate") { CHECK(store->versionVector(sync::newSpaceId())->empty()); }
}

TEST_CASE("pull pages through what the caller lacks", "[sync][relay-store]") {
  testing::TempDir dir;
  auto store = open(dir);
  SpaceId space = sync::newSpaceId();
  std::vector<SealedChange> all;
  for (uint64_t s = 1; s <= 50; ++s) all.push_back(change(1, s, std::string(100, 'a')));
  for (uint64_t s = 1; s <= 30; ++s) all.push_back(change(2, s, std::string(100, 'b')));
  REQUIRE(store->push(space, all).isOk());

  core::VersionVector since{{actor(1), 10}};
  std::vector<SealedChange> got;
  int pages = 0;
  for (;;) {
    auto page = store->pull(space, since, 1000);
    REQUIRE(page.isOk());
    REQUIRE_FALSE(page->changes.empty());
    ++pages;
    for (auto& c : page->changes) {
      CHECK(c.seq == since[c.actor] + 1);  // in order, no duplicates
      since[c.actor] = c.seq;
      got.push_back(c);
    }
    if (!page->more) break;
  }
  CHECK(got.size() == 40 + 30);
  CHECK(pages > 5);
  CHECK(store->pull(space, since, 1000)->changes.empty());

  SECTION("a page holds at least one change however small maxBytes is") {
    auto p = store->pull(space, {}, 1);
    REQUIRE(p.isOk());
    CHECK(p->changes.size() == 1);
    CHECK(p->more);
  }
}

TEST_CASE("acknowledged pushes survive reopening", "[sync][relay-store]") {
  testing::TempDir dir;
  SpaceId space = sync::newSpaceId();
  {
    auto store = open(dir);
    REQUIRE(store->registerSpace(space, key(7), SignUp{true, {}, 0}).isOk());
    REQUIRE(store->push(space, {change(1, 1), change(1, 2)}).isOk());
  }
  auto store = open(dir);
  CHECK(*store->authKey(space) == key(7));
  CHECK(store->versionVector(space)->at(actor(1)) == 2);
  auto p = store->pull(space, {}, 1 << 20);
  REQUIRE(p.isOk());
  REQUIRE(p->changes.size() == 2);
  CHECK(p->changes[1] == change(1, 2));
}

TEST_CASE("device keys: first binding wins per space and device", "[sync][relay-store]") {
  testing::TempDir dir;
  auto store = open(dir);
  SpaceId space = sync::newSpaceId(), other = sync::newSpaceId();
  CHECK(store->deviceKey(space, actor(1)).status().isNotFound());
  CHECK(*store->enrolDevice(space, actor(1), key(1)) == true);
  CHECK(*store->enrolDevice(space, actor(1), key(1)) == false);
  auto r = store->enrolDevice(space, actor(1), key(2));
  CHECK(r.status().code() == Status::Code::kUnauthorized);
  CHECK_THAT(r.status().message(), Catch::Contains("already enrolled"));
  CHECK(*store->deviceKey(space, actor(1)) == key(1));
  CHECK(store->deviceKey(space, actor(2)).status().isNotFound());
  CHECK(store->deviceKey(other, actor(1)).status().isNotFound());  // per space
  CHECK(*store->enrolDevice(other, actor(1), key(3)) == true);
  store.reset();
  store = open(dir);
  CHECK(*store->deviceKey(space, actor(1)) == key(1));
  CHECK(*store->deviceKey(other, actor(1)) == key(3));
}

TEST_CASE("push compares digests and checks prev", "[sync][relay-store]") {
  testing::TempDir dir;
  auto store = open(dir);
  SpaceId space = sync::newSpaceId();
  REQUIRE(store->push(space, {digested(1, 1), digested(1, 2), digested(1, 3)}).isOk());

  SECTION("the same digest in other bytes is a duplicate") {
    auto again = digested(1, 2);
    again.nonce.assign(sync::kNonceBytes, 'n');
    again.ciphertext = "sealed again" + std::string(sync::kTagBytes, 't');
    auto r = store->push(space, {again, digested(1, 4)});
    REQUIRE(r.isOk());
    CHECK(r->duplicates == 1);
    CHECK(r->stored == 1);
    CHECK(store->pull(space, {}, 1 << 20)->changes[1] == [] {
      auto c = digested(1, 2);
      c.prev.clear();  // never returned
      return c;
    }());
  }
  SECTION("another digest under a held seq is refused") {
    auto r = store->push(space, {digested(1, 2, "other")});
    CHECK(r.status().isCorruption());
    CHECK_THAT(r.status().message(), Catch::Contains("equivocation: change 2 of device " + actor(1).str() +
                                                     " differs from the one held here"));
  }
  SECTION("a prev that is not the digest held for seq-1 is a fork") {
    auto c = digested(1, 4);
    c.prev = digested(1, 3, "the copy's").digest;
    auto r = store->push(space, {c});
    CHECK(r.status().isInvalidArgument());
    CHECK_THAT(r.status().message(), Catch::StartsWith("fork: change 4 of device " + actor(1).str() +
                                                       " does not follow change 3 held here; another copy of that "
                                                       "device's notebook pushed first"));
    c.prev.clear();
    CHECK_THAT(store->push(space, {c}).status().message(), Catch::StartsWith("fork:"));
    CHECK(store->versionVector(space)->at(actor(1)) == 3);
  }
  SECTION("digests held: have and digestsAt") {
    REQUIRE(store->push(space, {change(2, 1)}).isOk());  // no digest: unknown
    auto held = store->heldVersions(space);
    REQUIRE(held.isOk());
    CHECK(*held == HeldVector{{actor(1), {3, digested(1, 3).digest}}, {actor(2), {1, ""}}});
    auto ds = store->digestsAt(space, actor(1), {3, 1, 0, 4, 2});
    REQUIRE(ds.isOk());
    CHECK(*ds == std::vector<std::string>{digested(1, 3).digest, digested(1, 1).digest, "", "", digested(1, 2).digest});
    CHECK(*store->digestsAt(space, actor(2), {1}) == std::vector<std::string>{""});
    // After a change with an unknown digest, any prev is taken.
    auto next = digested(2, 2);
    REQUIRE(store->push(space, {next}).isOk());
    auto p = store->pull(space, {{actor(1), 3}}, 1 << 20);
    REQUIRE(p->changes.size() == 2);
    CHECK(p->changes[0].digest.empty());
    CHECK(p->changes[1].digest == next.digest);
  }
}

namespace fs = std::filesystem;

fs::perms modeOf(const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; }

// A format 1 store as the version 1 relay wrote it: spaces, vv and changes
// (nonce ‖ ciphertext), no meta, files 0644.
void writeV1Store(const std::string& path, const SpaceId& space, uint64_t changes) {
  fs::create_directories(path);
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == 0);
  mdb_env_set_maxdbs(env, 4);
  mdb_env_set_mapsize(env, size_t{64} << 20);
  REQUIRE(mdb_env_open(env, path.c_str(), 0, 0644) == 0);
  MDB_txn* txn = nullptr;
  REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == 0);
  MDB_dbi spaces, vv, log;
  REQUIRE(mdb_dbi_open(txn, "spaces", MDB_CREATE, &spaces) == 0);
  REQUIRE(mdb_dbi_open(txn, "vv", MDB_CREATE, &vv) == 0);
  REQUIRE(mdb_dbi_open(txn, "changes", MDB_CREATE, &log) == 0);
  auto put = [&](MDB_dbi db, const std::string& k, const std::string& v) {
    MDB_val kv{k.size(), const_cast<char*>(k.data())}, vv{v.size(), const_cast<char*>(v.data())};
    REQUIRE(mdb_put(txn, db, &kv, &vv, 0) == 0);
  };
  auto be64 = [](uint64_t x) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(x >> (56 - 8 * i));
    return s;
  };
  AuthPublicKey k = key(9);
  put(spaces, std::string(space.view()), std::string(k.begin(), k.end()));
  std::string prefix = std::string(space.view()) + std::string(actor(1).view());
  put(vv, prefix, be64(changes));
  for (uint64_t seq = 1; seq <= changes; ++seq) {
    SealedChange c = change(1, seq, std::string(100 + seq % 50, 'v'));
    put(log, prefix + be64(seq), c.nonce + c.ciphertext);
  }
  REQUIRE(mdb_txn_commit(txn) == 0);
  mdb_env_close(env);
  for (const char* f : {"data.mdb", "lock.mdb"}) {
    fs::permissions(fs::path(path) / f,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  }
}

TEST_CASE("a format 1 store is migrated at open", "[sync][relay-store]") {
  testing::TempDir dir;
  SpaceId space = sync::newSpaceId();
  const uint64_t n = 2000;  // many pages: values grow in place
  writeV1Store(dir.sub("relay"), space, n);
  REQUIRE(modeOf(fs::path(dir.sub("relay")) / "data.mdb") ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read));
  std::vector<std::string> log;
  RelayStoreOptions options;
  options.log = [&](std::string_view line) { log.emplace_back(line); };
  {
    auto s = RelayStore::openLmdb(dir.sub("relay"), options);
    REQUIRE(s.isOk());
    auto& store = **s;
    REQUIRE(log.size() == 1);
    CHECK_THAT(log[0], Catch::Contains("migrated format 1 to 3 (2000 changes"));
    CHECK(*store.authKey(space) == key(9));
    CHECK(store.versionVector(space)->at(actor(1)) == n);

    // Pull gives back every change as it was pushed, its digest unknown.
    core::VersionVector since;
    uint64_t got = 0;
    for (bool more = true; more;) {
      auto page = store.pull(space, since, 64 << 10);
      REQUIRE(page.isOk());
      for (const auto& c : page->changes) {
        REQUIRE(c == change(1, c.seq, std::string(100 + c.seq % 50, 'v')));
        since[c.actor] = c.seq;
        ++got;
      }
      more = page->more;
    }
    CHECK(got == n);
    CHECK(*store.digestsAt(space, actor(1), {1, n}) == std::vector<std::string>{"", ""});
    CHECK(store.heldVersions(space)->at(actor(1)) == sync::HeldVersion{n, ""});

    // Unknown digests: re-sent changes compare by bytes; the next change
    // may name any prev; after it, prev is checked again.
    CHECK(store.push(space, {change(1, 5, std::string(105, 'v'))})->duplicates == 1);
    CHECK_THAT(store.push(space, {change(1, 5, "other")}).status().message(), Catch::Contains("equivocation"));
    REQUIRE(store.push(space, {digested(1, n + 1)}).isOk());
    auto wrong = digested(1, n + 2);
    wrong.prev = std::string(sync::kDigestBytes, 'w');
    CHECK_THAT(store.push(space, {wrong}).status().message(), Catch::StartsWith("fork:"));
  }
  // Files are now 0600, and a second open migrates nothing.
  for (const char* f : {"data.mdb", "lock.mdb"}) {
    CHECK(modeOf(fs::path(dir.sub("relay")) / f) == (fs::perms::owner_read | fs::perms::owner_write));
  }
  log.clear();
  auto again = RelayStore::openLmdb(dir.sub("relay"), options);
  REQUIRE(again.isOk());
  CHECK(log.empty());
  CHECK((*again)->versionVector(space)->at(actor(1)) == n + 1);
  CHECK((*again)->pull(space, {{actor(1), n}}, 1 << 20)->changes[0].digest == digested(1, n + 1).digest);
}

TEST_CASE("a new store is format 2, mode 0600 in a 0700 folder, and a newer format is refused", "[sync][relay-store]") {
  testing::TempDir dir;
  std::vector<std::string> log;
  RelayStoreOptions options;
  options.log = [&](std::string_view line) { log.emplace_back(line); };
  {
    auto s = RelayStore::openLmdb(dir.sub("relay"), options);
    REQUIRE(s.isOk());
  }
  CHECK(log.empty());  // nothing to migrate
  CHECK(modeOf(fs::path(dir.sub("relay"))) == fs::perms::owner_all);
  for (const char* f : {"data.mdb", "lock.mdb"}) {
    CHECK(modeOf(fs::path(dir.sub("relay")) / f) == (fs::perms::owner_read | fs::perms::owner_write));
  }
  // A later relay wrote format 4.
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == 0);
  mdb_env_set_maxdbs(env, 8);
  REQUIRE(mdb_env_open(env, dir.sub("relay").c_str(), 0, 0600) == 0);
  MDB_txn* txn = nullptr;
  REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == 0);
  MDB_dbi meta;
  REQUIRE(mdb_dbi_open(txn, "meta", 0, &meta) == 0);
  MDB_val k{6, const_cast<char*>("format")}, v{1, const_cast<char*>("4")};
  REQUIRE(mdb_put(txn, meta, &k, &v, 0) == 0);
  REQUIRE(mdb_txn_commit(txn) == 0);
  mdb_env_close(env);
  auto s = RelayStore::openLmdb(dir.sub("relay"), options);
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.status().message(), Catch::Contains("format 4 is not one this relay reads"));
}

TEST_CASE("the store grows its map when it fills", "[sync][relay-store]") {
  testing::TempDir dir;
  RelayStoreOptions options;
  options.initialMapBytes = 1 << 20;
  auto s = RelayStore::openLmdb(dir.sub("relay"), options);
  REQUIRE(s.isOk());
  SpaceId space = sync::newSpaceId();
  for (uint64_t batch = 0; batch < 8; ++batch) {
    std::vector<SealedChange> cs;
    for (uint64_t i = 1; i <= 100; ++i) cs.push_back(change(1, batch * 100 + i, std::string(2000, 'z')));
    auto r = (*s)->push(space, cs);
    REQUIRE(r.isOk());
  }
  CHECK((*s)->versionVector(space)->at(actor(1)) == 800);
}

}  // namespace
}  // namespace ridealong::relay
