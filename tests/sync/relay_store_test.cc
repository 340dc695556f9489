// LmdbRelayStore on a real LMDB environment: registry, push rules, paging,
// and that acknowledged data survives reopening.
#include "relay/relay_store.h"

#include <catch2/catch.hpp>

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
  auto r = store->registerSpace(space, key(1));
  REQUIRE(r.isOk());
  CHECK(*r == true);
  r = store->registerSpace(space, key(1));
  REQUIRE(r.isOk());
  CHECK(*r == false);
  r = store->registerSpace(space, key(2));
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
  SECTION("a first change must be seq 1") {
    CHECK(store->push(space, {change(3, 2)}).status().isInvalidArgument());
  }
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
    REQUIRE(store->registerSpace(space, key(7)).isOk());
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

TEST_CASE("the store grows its map when it fills", "[sync][relay-store]") {
  testing::TempDir dir;
  RelayStoreOptions options;
  options.initialMapBytes = 1 << 20;
  auto s = RelayStore::openLmdb(dir.sub("relay"), options);
  REQUIRE(s.isOk());
  SpaceId space = sync::newSpaceId();
  for (uint64_t batch = 0; batch < 8; ++batch) {
    std::vector<SealedChange> cs;
    for (uint64_t i = 1; i <= 100; ++i)
      cs.push_back(change(1, batch * 100 + i, std::string(2000, 'z')));
    auto r = (*s)->push(space, cs);
    REQUIRE(r.isOk());
  }
  CHECK((*s)->versionVector(space)->at(actor(1)) == 800);
}

}  // namespace
}  // namespace ridealong::relay
