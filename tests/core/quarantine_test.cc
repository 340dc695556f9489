// One change this device cannot take (damaged, from a newer format, against
// the schema, addressed as another change) is quarantined: kept with why,
// listed, counted as held so sync does not fetch it again, tried again by a
// newer build. Everything else applies; what depends on it waits.
#include <catch2/catch.hpp>

#include "change_codec.h"
#include "fixed_ids.h"
#include "ok_value.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/testing.h"
#include "temp_dir.h"

using namespace ridealong;
using namespace ridealong::core;
using namespace ridealong::core::fixed_ids;

namespace {

constexpr int64_t kT0 = 1767225600000;  // 2026-01-01

std::unique_ptr<Notebook> openAt(platform::Env& env, const std::string& dir, const std::string& build = "") {
  NotebookOptions o;
  o.create = true;
  o.durable = false;
  o.build = build;
  auto r = Notebook::open(env, dir, o);
  REQUIRE(r);
  return std::move(r).value();
}

// A device of its own writing changes by hand, chained like a real one.
struct Author {
  ActorId id;
  uint64_t seq = 0;
  uint64_t prev = 0;
  std::string next(const std::vector<Op>& ops, const VersionVector& deps = {}) {
    ++seq;
    std::string bytes = detail::encodeChange(id, seq, hlcMake(kT0 + static_cast<int64_t>(seq), 0), deps, ops, prev);
    prev = detail::chainHash(bytes);
    return bytes;
  }
};

Op create(const RecordId& id, const std::string& type) { return Op{Op::Kind::kCreate, id, type, {}}; }
Op set(const RecordId& id, const std::string& field, Value v) { return Op{Op::Kind::kSet, id, field, std::move(v)}; }

CheckedChanges::Delivered delivered(const std::string& bytes) {
  auto h = readChangeHeader(bytes);
  REQUIRE(h);
  return {h->actor, h->seq, bytes, ""};
}

}  // namespace

TEST_CASE("a page with bad changes among good ones: the good apply, the bad are quarantined and listed",
          "[quarantine]") {
  testing::TempDir tmp;
  platform::FakeClock clock(kT0);
  platform::TestEnv env(clock, platform::realEnv().fs());
  auto nb = openAt(env, tmp.sub("nb"));
  Author x{actorN(1)}, y{actorN(2)}, z{actorN(3)};
  std::vector<CheckedChanges::Delivered> page;
  page.push_back(delivered(x.next({create(recordN(1), "rep"), set(recordN(1), "name", "Ana")})));
  // x/2 breaks the schema (a rating of 9): quarantined; x/3 depends on it.
  page.push_back(delivered(x.next({create(recordN(2), "rating"), set(recordN(2), "rating", int64_t{9})})));
  page.push_back(delivered(x.next({set(recordN(1), "team", "North")})));
  // y/1 is damaged on the way: it does not decode.
  std::string damaged = y.next({create(recordN(3), "rep"), set(recordN(3), "name", "Bo")});
  damaged[damaged.size() / 2] ^= 0x5a;
  damaged.resize(damaged.size() - 8);
  page.push_back({y.id, 1, damaged, ""});
  // z/1 did not even open (wrong key, tampered with on the relay).
  page.push_back({z.id, 1, "sealed bytes", "does not open with this space's secret"});
  // z/2 claims to be z/7.
  Author liar{z.id, 6};
  page.push_back({z.id, 2, liar.next({create(recordN(4), "rep"), set(recordN(4), "name", "Cy")}), ""});
  // A good change from another device, independent of all of that.
  Author w{actorN(4)};
  page.push_back(delivered(w.next({create(recordN(5), "rep"), set(recordN(5), "name", "Di")})));

  auto checked = CheckedChanges::checkEach(page);
  CHECK(checked.size() == 4);  // x/1, x/2, x/3, w/1 decode
  CHECK(checked.rejectedCount() == 3);
  auto r = nb->applyChanges(checked);
  REQUIRE(r);
  CHECK(r->applied == 2);      // x/1, w/1
  CHECK(r->quarantined == 4);  // x/2, y/1, z/1, z/2
  CHECK(r->pending == 1);      // x/3 waits for x/2
  CHECK(nb->get(recordN(1))->text("name") == "Ana");
  CHECK(nb->get(recordN(5))->text("name") == "Di");
  CHECK_FALSE(FOUND(nb->get(recordN(2))));

  auto q = OK_VALUE(nb->quarantined());
  REQUIRE(q.size() == 4);
  auto reasonOf = [&](const ActorId& a, uint64_t s) {
    for (const auto& e : q)
      if (e.actor == a && e.seq == s) return e.reason;
    FAIL("not quarantined: " << a.str() << "/" << s);
    return std::string();
  };
  CHECK_THAT(reasonOf(x.id, 2), Catch::Contains("rating from 1 to 5"));
  CHECK_THAT(reasonOf(y.id, 1), Catch::Contains("cannot be read"));
  CHECK_THAT(reasonOf(z.id, 1), Catch::Contains("does not open"));
  CHECK_THAT(reasonOf(z.id, 2), Catch::Contains("claims to be change 7"));
  for (const auto& e : q) CHECK(e.atMs == kT0);
  CHECK(q[0].build == OK_VALUE(nb->quarantined())[0].build);

  // Held: the next pull starts after them, so nothing is fetched again.
  auto held = OK_VALUE(nb->heldVersionVector());
  CHECK(held.at(x.id) == 3);
  CHECK(held.at(y.id) == 1);
  CHECK(held.at(z.id) == 2);
  CHECK(held.at(w.id) == 1);
  CHECK(OK_VALUE(nb->versionVector()).at(x.id) == 1);

  // The same page again: nothing new, nothing lost.
  const std::string dump = OK_VALUE(nb->dump());
  auto again = nb->applyChanges(CheckedChanges::checkEach(page));
  REQUIRE(again);
  CHECK(again->applied == 0);
  CHECK(again->quarantined == 0);
  CHECK(OK_VALUE(nb->dump()) == dump);
  CHECK(OK_VALUE(nb->quarantined()).size() == 4);

  // Later good changes of the other devices keep flowing.
  auto more = nb->applyChanges({w.next({set(recordN(5), "team", "South")})});
  REQUIRE(more);
  CHECK(more->applied == 1);
  CHECK(nb->get(recordN(5))->text("team") == "South");
}

TEST_CASE("quarantined changes are tried again when the build changes", "[quarantine]") {
  testing::TempDir tmp;
  platform::FakeClock clock(kT0);
  platform::TestEnv env(clock, platform::realEnv().fs());
  Author x{actorN(1)};
  std::string bad = x.next({create(recordN(1), "rep"), set(recordN(1), "name", int64_t{5})});
  {
    auto nb = openAt(env, tmp.sub("nb"), "build 1");
    REQUIRE(nb->applyChanges({bad}));
    REQUIRE(OK_VALUE(nb->quarantined()).size() == 1);
    CHECK(OK_VALUE(nb->quarantined())[0].build == "build 1");
  }
  clock.advanceMs(1000);
  {
    auto nb = openAt(env, tmp.sub("nb"), "build 1");  // same build: left alone
    CHECK(OK_VALUE(nb->quarantined())[0].atMs == kT0);
  }
  auto nb = openAt(env, tmp.sub("nb"), "build 2");  // a newer build looks again
  auto q = OK_VALUE(nb->quarantined());
  REQUIRE(q.size() == 1);  // this one it cannot read either
  CHECK(q[0].build == "build 2");
  CHECK(q[0].atMs == kT0 + 1000);
  CHECK_THAT(q[0].reason, Catch::Contains("rep.name must be text"));
}

TEST_CASE("a value too long for an index key is stored and shown, not fatal", "[quarantine]") {
  testing::TempDir tmp;
  platform::FakeClock clock(kT0);
  platform::TestEnv env(clock, platform::realEnv().fs());
  auto nb = openAt(env, tmp.sub("nb"));
  Author x{actorN(1)};
  const std::string skill(700, 's');
  const std::string rep = recordN(1).str();
  auto r = nb->applyChanges(
      {x.next({create(recordN(1), "rep"), set(recordN(1), "name", "Ana")}),
       x.next({create(recordN(2), "rating"), set(recordN(2), "rep", rep), set(recordN(2), "skill", skill),
               set(recordN(2), "rating", int64_t{4}), set(recordN(2), "at", kT0)})});
  REQUIRE(r);
  CHECK(r->applied == 2);
  CHECK(nb->get(recordN(2))->text("skill") == skill);
  CHECK(OK_VALUE(nb->teamOverview(kT0)).size() == 1);
  // Locally too.
  ChangeBuilder b;
  RecordId id = nb->newId();
  b.create(id, "rating", {{"rep", rep}, {"skill", std::string(900, 'k')}, {"rating", int64_t{3}}, {"at", kT0}});
  REQUIRE(nb->commit(b));
  CHECK(nb->get(id)->text("skill").size() == 900);
}

TEST_CASE("many changes waiting behind one quarantined change do not slow other devices down", "[quarantine]") {
  testing::TempDir tmp;
  platform::FakeClock clock(kT0);
  platform::TestEnv env(clock, platform::realEnv().fs());
  auto nb = openAt(env, tmp.sub("nb"));
  Author x{actorN(1)}, w{actorN(2)};
  std::vector<std::string> xs{x.next({create(recordN(1), "rep"), set(recordN(1), "name", int64_t{1})})};
  for (int i = 0; i < 3000; i++) xs.push_back(x.next({set(recordN(1), "team", "t" + std::to_string(i))}));
  auto r = nb->applyChanges(xs);
  REQUIRE(r);
  CHECK(r->quarantined == 1);
  CHECK(r->pending == 3000);
  CHECK(OK_VALUE(nb->heldVersionVector()).at(x.id) == 3001);
  // Each later batch of another device leaves the waiting changes parked
  // (they are not decoded again: the applier looks at each device's next
  // seq only).
  for (int i = 0; i < 20; i++) {
    std::vector<Op> ops;
    if (i == 0) ops.push_back(create(recordN(2), "rep"));
    ops.push_back(set(recordN(2), "name", "n" + std::to_string(i)));
    auto b = nb->applyChanges({w.next(ops)});
    REQUIRE(b);
    CHECK(b->applied == 1);
  }
  CHECK(OK_VALUE(nb->stats()).pending == 3000);
}
