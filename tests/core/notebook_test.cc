#include <catch2/catch.hpp>

#include <optional>
#include <thread>

#include "ok_value.h"
#include "ridealong/core/notebook.h"
#include "ridealong/core/schema.h"
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
  Replica(const std::string& dir, bool durable = false) {
    NotebookOptions o;
    o.create = true;
    o.durable = durable;
    auto r = Notebook::open(env, dir, o);
    REQUIRE(r);
    nb = std::move(r).value();
  }
};

RecordId addRep(Notebook& nb, const std::string& name) {
  RecordId id = nb.newId();
  ChangeBuilder b;
  b.create(id, "rep", {{"name", name}, {"team", "North"}});
  REQUIRE(nb.commit(b));
  return id;
}

void sync(Notebook& from, Notebook& to) {
  auto ch = from.changesSince(OK_VALUE(to.versionVector()));
  REQUIRE(ch);
  auto r = to.applyChanges(*ch);
  REQUIRE(r);
}

}  // namespace

TEST_CASE("create, set, read back a record", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a"));
  RecordId rep = addRep(*a.nb, "Ana");
  auto r = a.nb->get(rep);
  REQUIRE(r);
  CHECK(r->type == "rep");
  CHECK(r->text("name") == "Ana");
  ChangeBuilder b;
  b.set(rep, "name", Value("Ana Lima"));
  auto info = a.nb->commit(b);
  REQUIRE(info);
  CHECK(info->seq == 2);
  CHECK(a.nb->get(rep)->text("name") == "Ana Lima");
  CHECK(OK_VALUE(a.nb->listType("rep")).size() == 1);
}

TEST_CASE("local edits are validated against the schema", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a"));
  RecordId rep = addRep(*a.nb, "Ana");
  std::string before = OK_VALUE(a.nb->dump());
  ChangeBuilder bad;
  bad.set(rep, "name", Value(int64_t{5}));
  CHECK(a.nb->commit(bad).status().isInvalidArgument());
  ChangeBuilder missing;
  missing.set(a.nb->newId(), "name", Value("x"));
  CHECK(a.nb->commit(missing).status().isNotFound());
  CHECK(OK_VALUE(a.nb->dump()) == before);
}

TEST_CASE("concurrent edits keep a conflict sibling, resolving supersedes both", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a")), b(tmp.sub("b"));
  RecordId rep = addRep(*a.nb, "Ana");
  sync(*a.nb, *b.nb);
  ChangeBuilder ea, eb;
  ea.set(rep, "team", Value("East"));
  eb.set(rep, "team", Value("West"));
  b.clock.advanceMs(10);
  REQUIRE(a.nb->commit(ea));
  REQUIRE(b.nb->commit(eb));
  sync(*a.nb, *b.nb);
  sync(*b.nb, *a.nb);
  CHECK(OK_VALUE(a.nb->dump()) == OK_VALUE(b.nb->dump()));
  auto conflicts = OK_VALUE(a.nb->conflicts());
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].field == "team");
  CHECK(conflicts[0].values[0].value.asText() == "West");  // later clock wins
  CHECK(conflicts[0].values[1].value.asText() == "East");  // kept
  ChangeBuilder res;
  res.set(rep, "team", Value("East"));
  REQUIRE(a.nb->commit(res));
  sync(*a.nb, *b.nb);
  CHECK(OK_VALUE(a.nb->conflicts()).empty());
  CHECK(OK_VALUE(b.nb->conflicts()).empty());
  CHECK(b.nb->get(rep)->text("team") == "East");
}

TEST_CASE("delete is soft and restorable", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a"));
  RecordId rep = addRep(*a.nb, "Ana");
  ChangeBuilder d;
  d.remove(rep);
  REQUIRE(a.nb->commit(d));
  CHECK(OK_VALUE(a.nb->listType("rep")).empty());
  REQUIRE(OK_VALUE(a.nb->trash()).size() == 1);
  ChangeBuilder r;
  r.restore(rep);
  REQUIRE(a.nb->commit(r));
  CHECK(OK_VALUE(a.nb->listType("rep")).size() == 1);
  CHECK(OK_VALUE(a.nb->trash()).empty());
}

TEST_CASE("changes missing their deps wait, then apply", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a")), b(tmp.sub("b"));
  RecordId rep = addRep(*a.nb, "Ana");
  ChangeBuilder e;
  e.set(rep, "team", Value("East"));
  REQUIRE(a.nb->commit(e));
  auto all = a.nb->changesSince({});
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  auto r1 = b.nb->applyChanges({(*all)[1]});
  REQUIRE(r1);
  CHECK(r1->pending == 1);
  CHECK_FALSE(FOUND(b.nb->get(rep)));
  auto r2 = b.nb->applyChanges({(*all)[0], (*all)[0]});
  REQUIRE(r2);
  CHECK(r2->applied == 2);
  CHECK(r2->pending == 0);
  CHECK(OK_VALUE(b.nb->dump()) == OK_VALUE(a.nb->dump()));
}

TEST_CASE("team overview and timeline come from indexes", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a"));
  RecordId rep = addRep(*a.nb, "Ana");
  RecordId ses = a.nb->newId();
  ChangeBuilder s;
  s.create(ses, "session", {{"rep", rep.str()}, {"start", kT0 - 86400000}, {"status", "done"}, {"type", "tactical"}});
  s.create(a.nb->newId(), "rating", {{"rep", rep.str()}, {"skill", "closing"}, {"rating", 2}, {"at", kT0 - 5000}});
  s.create(a.nb->newId(), "action",
           {{"rep", rep.str()}, {"text", "Send recap"}, {"due", "2025-12-20"}, {"status", "open"}});
  REQUIRE(a.nb->commit(s));
  ChangeBuilder r2;
  r2.create(a.nb->newId(), "rating", {{"rep", rep.str()}, {"skill", "closing"}, {"rating", 4}, {"at", kT0}});
  REQUIRE(a.nb->commit(r2));
  auto team = OK_VALUE(a.nb->teamOverview(kT0));
  REQUIRE(team.size() == 1);
  CHECK(team[0].name == "Ana");
  CHECK(team[0].lastCoachedMs == kT0 - 86400000);
  CHECK(team[0].sessions90d == 1);
  CHECK(team[0].openActions == 1);
  CHECK(team[0].overdueActions == 1);
  REQUIRE(team[0].latestRatings.size() == 1);
  CHECK(team[0].latestRatings[0].second == 4);
  auto tl = OK_VALUE(a.nb->repTimeline(rep, 10));
  CHECK(tl.size() == 4);
  CHECK(OK_VALUE(a.nb->openActionsByDue(10)).size() == 1);
}

TEST_CASE("remote changes with absurd clocks apply and are reported, a 1970 clock cannot commit", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a")), b(tmp.sub("b"));
  a.clock.setWallMs(kT0 + 400LL * 86400000);  // a's clock is a year ahead
  addRep(*a.nb, "Ana");
  auto ch = a.nb->changesSince({});
  REQUIRE(b.nb->applyChanges(*ch));
  CHECK(OK_VALUE(b.nb->dump()) == OK_VALUE(a.nb->dump()));
  REQUIRE(OK_VALUE(b.nb->clockWarnings()).size() == 1);
  CHECK(OK_VALUE(b.nb->clockWarnings())[0].actor == OK_VALUE(a.nb->device()));
  Replica c(tmp.sub("c"));
  c.clock.setWallMs(0);  // 1970
  ChangeBuilder x;
  x.create(c.nb->newId(), "rep", {{"name", "Z"}});
  auto cr = c.nb->commit(x);
  REQUIRE_FALSE(cr);
  CHECK_THAT(cr.status().message(), Catch::Contains("clock"));
}

TEST_CASE("injected disk full fails the commit and keeps the store", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a"), true);
  addRep(*a.nb, "Ana");
  std::string before = OK_VALUE(a.nb->dump());
  a.fs.arm(platform::Fault::kDiskFull);
  ChangeBuilder b;
  b.create(a.nb->newId(), "rep", {{"name", "Bo"}});
  auto r = a.nb->commit(b);
  REQUIRE_FALSE(r);
  CHECK(r.status().isDiskFull());
  a.fs.arm(platform::Fault::kNone);
  CHECK(OK_VALUE(a.nb->dump()) == before);
  a.nb.reset();
  NotebookOptions o;
  auto again = Notebook::open(a.env, tmp.sub("a"), o);
  REQUIRE(again);
  CHECK(OK_VALUE((*again)->dump()) == before);
}

TEST_CASE("readChangeHeader names the author and seq of an encoded change", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a"));
  addRep(*a.nb, "Ana");
  addRep(*a.nb, "Bo");
  auto changes = a.nb->changesSince({});
  REQUIRE(changes);
  REQUIRE(changes->size() == 2);
  auto h = readChangeHeader((*changes)[1]);
  REQUIRE(h);
  CHECK(h->actor == OK_VALUE(a.nb->device()));
  CHECK(h->seq == 2);
  CHECK(hlcMs(h->hlc) == kT0);
  std::string damaged = (*changes)[1].substr(0, 16);
  CHECK(readChangeHeader(damaged).status().isCorruption());
}

TEST_CASE("changes checked on another thread apply like encoded ones", "[notebook]") {
  testing::TempDir tmp;
  Replica a(tmp.sub("a")), b(tmp.sub("b")), c(tmp.sub("c"));
  for (int i = 0; i < 600; i++) addRep(*a.nb, "Rep " + std::to_string(i));  // past the two-thread size
  auto changes = a.nb->changesSince({});
  REQUIRE(changes);

  std::optional<Result<CheckedChanges>> result;
  std::thread([&] { result.emplace(CheckedChanges::check(*changes)); }).join();
  auto& checked = *result;
  REQUIRE(checked);
  REQUIRE(checked->size() == 600);
  CHECK(checked->header(599).actor == OK_VALUE(a.nb->device()));
  CHECK(checked->header(599).seq == 600);
  auto viaChecked = b.nb->applyChanges(*checked);
  REQUIRE(viaChecked);
  CHECK(viaChecked->applied == 600);
  REQUIRE(c.nb->applyChanges(*changes));
  CHECK(OK_VALUE(b.nb->dump()) == OK_VALUE(c.nb->dump()));
  CHECK(OK_VALUE(b.nb->dump()) == OK_VALUE(a.nb->dump()));
  CHECK(b.nb->applyChanges(*checked)->duplicates == 600);

  // One bad change in the batch: refused with its position, nothing kept.
  auto bad = *changes;
  bad[412] = bad[412].substr(0, 16);
  auto refused = CheckedChanges::check(bad);
  REQUIRE_FALSE(refused);
  CHECK(refused.status().isCorruption());
  CHECK_THAT(refused.status().message(), Catch::Contains("change 413 of 600"));
  CHECK(b.nb->applyChanges(CheckedChanges{})->applied == 0);
}
