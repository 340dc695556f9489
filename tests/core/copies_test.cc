// A notebook folder copied to a new laptop, or restored from an older
// backup, keeps its device id. Core must tell the copies apart (the hash
// chain of each device's changes), never mix their histories, and heal by
// re-keying: the shared history stays, this copy's own edits are re-issued
// under a new id, the other copy's changes apply, nothing is lost.
#include <catch2/catch.hpp>

#include <filesystem>

#include "ok_value.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/testing.h"
#include "temp_dir.h"

using namespace ridealong;
using namespace ridealong::core;

namespace {

constexpr int64_t kT0 = 1767225600000;  // 2026-01-01

struct Device {
  platform::FakeClock clock{kT0};
  platform::TestEnv env{clock, platform::realEnv().fs()};
  std::unique_ptr<Notebook> nb;
  explicit Device(const std::string& dir, bool detectMove = true) {
    NotebookOptions o;
    o.create = true;
    o.durable = false;
    o.detectMove = detectMove;
    auto r = Notebook::open(env, dir, o);
    REQUIRE(r);
    nb = std::move(r).value();
  }
};

RecordId addRep(Notebook& nb, const std::string& name) {
  RecordId id = nb.newId();
  ChangeBuilder b;
  b.create(id, "rep", {{"name", name}});
  REQUIRE(nb.commit(b));
  return id;
}

void setField(Notebook& nb, const RecordId& id, const std::string& field, const std::string& value) {
  ChangeBuilder b;
  b.set(id, field, Value(value));
  REQUIRE(nb.commit(b));
}

// Everything `from` holds (a full change file): a copy's version vector
// claims seqs the other copy filled differently, so a `--since` export
// would skip exactly the changes that tell the copies apart.
ApplyReport send(Notebook& from, Notebook& to) {
  auto ch = from.changesSince({});
  REQUIRE(ch);
  auto r = to.applyChanges(*ch);
  REQUIRE(r);
  return *r;
}

void copyFolder(const std::string& from, const std::string& to) {
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

std::vector<std::string> names(Notebook& nb) {
  std::vector<std::string> out;
  for (const auto& r : OK_VALUE(nb.listType("rep"))) out.push_back(r.text("name"));
  std::sort(out.begin(), out.end());
  return out;
}

// One notebook holding "Ana" in a/, its folder copied to b/, both opened
// as if at the same path on two machines: nothing local tells them apart.
struct TwoCopies {
  explicit TwoCopies(testing::TempDir& tmp) {
    auto first = std::make_unique<Device>(tmp.sub("a"));
    ana = addRep(*first->nb, "Ana");
    first.reset();
    copyFolder(tmp.sub("a"), tmp.sub("b"));
    a = std::make_unique<Device>(tmp.sub("a"), false);
    b = std::make_unique<Device>(tmp.sub("b"), false);
  }
  RecordId ana;
  std::unique_ptr<Device> a, b;
};

}  // namespace

TEST_CASE("a folder copied to another path becomes a new device before it writes", "[copies]") {
  testing::TempDir tmp;
  Device a(tmp.sub("a"));
  addRep(*a.nb, "Ana");
  addRep(*a.nb, "Bo");
  const ActorId original = OK_VALUE(a.nb->device());
  copyFolder(tmp.sub("a"), tmp.sub("laptop"));
  Device b(tmp.sub("laptop"));
  CHECK(OK_VALUE(b.nb->device()) != original);
  CHECK(OK_VALUE(a.nb->device()) == original);
  auto retired = OK_VALUE(b.nb->retiredDevices());
  REQUIRE(retired.size() == 1);
  CHECK(retired[0].identity.id == original);
  CHECK(retired[0].successor == OK_VALUE(b.nb->device()));
  CHECK(retired[0].keptUpTo == 2);
  CHECK(retired[0].reissued == 0);
  CHECK_THAT(retired[0].reason, Catch::Contains("moved or copied"));
  CHECK_THAT(retired[0].reason, Catch::Contains(tmp.sub("a")));
  // The copy keeps the whole history; both write and exchange: no fork.
  addRep(*a.nb, "Cy");
  addRep(*b.nb, "Di");
  send(*a.nb, *b.nb);
  send(*b.nb, *a.nb);
  CHECK(OK_VALUE(a.nb->dump()) == OK_VALUE(b.nb->dump()));
  CHECK(names(*a.nb) == std::vector<std::string>{"Ana", "Bo", "Cy", "Di"});
  CHECK(OK_VALUE(a.nb->quarantined()).empty());
  // Opening it again where it now is changes nothing.
  b.nb.reset();
  Device again(tmp.sub("laptop"));
  CHECK(OK_VALUE(again.nb->retiredDevices()).size() == 1);
}

TEST_CASE("two copies wrote under one id: the fork is kept apart, healed by a re-key, nothing lost", "[copies]") {
  testing::TempDir tmp;
  TwoCopies copies(tmp);
  Device& a = *copies.a;
  Device& b = *copies.b;
  const RecordId rep = copies.ana;
  const ActorId id = OK_VALUE(a.nb->device());
  REQUIRE(OK_VALUE(b.nb->device()) == id);
  setField(*a.nb, rep, "team", "North");        // id/2 on a
  addRep(*a.nb, "Bo");                          // id/3 on a
  setField(*b.nb, rep, "territory", "Lisbon");  // id/2 on b
  addRep(*b.nb, "Cy");                          // id/3 on b
  addRep(*b.nb, "Di");                          // id/4 on b

  // a's id/2 and id/3 differ from b's: kept aside, nothing of them mixed in.
  auto r = send(*a.nb, *b.nb);
  CHECK(r.conflictingDuplicates == 2);
  CHECK(r.quarantined == 2);
  CHECK(b.nb->get(rep)->text("team").empty());
  CHECK(OK_VALUE(b.nb->quarantined()).size() == 2);
  CHECK(OK_VALUE(b.nb->heldVersionVector()).at(id) == 4);

  // b finds where the histories part (after id/1) and becomes a new device.
  auto healed = b.nb->healFork("another copy of this notebook wrote under the same id");
  REQUIRE(healed);
  REQUIRE(*healed);
  CHECK((*healed)->oldId == id);
  CHECK((*healed)->reissued == 3);
  CHECK(OK_VALUE(b.nb->device()) == (*healed)->newId);
  CHECK(OK_VALUE(b.nb->quarantined()).empty());  // a's changes applied in their place
  CHECK(OK_VALUE(b.nb->versionVector()).at(id) == 3);
  CHECK(OK_VALUE(b.nb->versionVector()).at((*healed)->newId) == 3);

  send(*b.nb, *a.nb);
  CHECK(OK_VALUE(a.nb->dump()) == OK_VALUE(b.nb->dump()));
  CHECK(names(*a.nb) == std::vector<std::string>{"Ana", "Bo", "Cy", "Di"});
  CHECK(a.nb->get(rep)->text("team") == "North");
  CHECK(a.nb->get(rep)->text("territory") == "Lisbon");
  CHECK(OK_VALUE(a.nb->stats()).pending == 0);
  CHECK(OK_VALUE(b.nb->stats()).pending == 0);
}

TEST_CASE("a restored older backup that wrote before syncing heals the same way", "[copies]") {
  testing::TempDir tmp;
  auto a = std::make_unique<Device>(tmp.sub("a"));
  Device c(tmp.sub("c"));  // another device of the same manager
  RecordId rep = addRep(*a->nb, "Ana");
  send(*a->nb, *c.nb);
  a.reset();
  copyFolder(tmp.sub("a"), tmp.sub("backup"));
  a = std::make_unique<Device>(tmp.sub("a"));
  const ActorId id = OK_VALUE(a->nb->device());
  // After the backup: three more edits reach c, then the laptop dies.
  setField(*a->nb, rep, "team", "North");
  addRep(*a->nb, "Bo");
  addRep(*a->nb, "Cy");
  send(*a->nb, *c.nb);
  a.reset();
  std::filesystem::remove_all(tmp.sub("a"));
  std::filesystem::rename(tmp.sub("backup"), tmp.sub("a"));  // restored in place
  Device restored(tmp.sub("a"));
  REQUIRE(OK_VALUE(restored.nb->device()) == id);  // same path, same machine: no sign yet
  addRep(*restored.nb, "Written after the restore");

  // The restored notebook receives its own lost edits: id/2 conflicts, id/3
  // does not follow what it holds, id/4 waits; none is mixed in.
  auto r = send(*c.nb, *restored.nb);
  CHECK(r.applied == 0);
  CHECK(r.conflictingDuplicates == 1);
  CHECK(r.pending == 1);
  CHECK(names(*restored.nb) == std::vector<std::string>{"Ana", "Written after the restore"});
  auto healed = restored.nb->healFork("restored from an older backup");
  REQUIRE(healed);
  REQUIRE(*healed);
  CHECK((*healed)->reissued == 1);
  CHECK(OK_VALUE(restored.nb->stats()).pending == 0);
  send(*restored.nb, *c.nb);
  CHECK(OK_VALUE(c.nb->dump()) == OK_VALUE(restored.nb->dump()));
  CHECK(names(*c.nb) == std::vector<std::string>{"Ana", "Bo", "Cy", "Written after the restore"});
}

TEST_CASE("own changes from elsewhere are reported, and a re-key while another process holds the notebook is seen",
          "[copies]") {
  testing::TempDir tmp;
  TwoCopies copies(tmp);
  Device& a = *copies.a;
  Device& b = *copies.b;
  addRep(*a.nb, "Bo");
  auto r = send(*a.nb, *b.nb);
  CHECK(r.applied == 1);
  CHECK(r.ownFromElsewhere == 1);

  // A second Notebook on b's folder (the app while the CLI runs): after one
  // re-keys, the other writes under the new id too.
  NotebookOptions o;
  o.detectMove = false;
  auto other = Notebook::open(b.env, tmp.sub("b"), o);
  REQUIRE(other);
  const ActorId before = OK_VALUE(b.nb->device());
  auto k = b.nb->rekey(RekeyPlan{before, {}, "test"});
  REQUIRE(k);
  CHECK(OK_VALUE((*other)->device()) == k->newId);
  ChangeBuilder e;
  e.create((*other)->newId(), "rep", {{"name", "Cy"}});
  auto info = (*other)->commit(e);
  REQUIRE(info);
  CHECK(info->actor == k->newId);
  CHECK(info->seq == 1);
  // A plan made before someone else re-keyed is refused, not applied twice.
  auto stale = (*other)->rekey(RekeyPlan{before, {}, "test"});
  REQUIRE_FALSE(stale);
  CHECK(stale.status().isBusy());
}

TEST_CASE("a re-key also re-issues own changes under other ids that depend on the re-issued ones", "[copies]") {
  testing::TempDir tmp;
  TwoCopies copies(tmp);
  Device& a = *copies.a;
  Device& b = *copies.b;
  const ActorId id = OK_VALUE(a.nb->device());
  addRep(*b.nb, "Bo");  // id/2 on b
  addRep(*b.nb, "Cy");  // id/3 on b
  // b becomes another device before it learns of the fork (a move found,
  // say): its next change, under the new id, depends on id/3.
  auto moved = b.nb->rekey(RekeyPlan{id, {}, "moved"});
  REQUIRE(moved);
  addRep(*b.nb, "Di");  // new/1, deps id:3
  addRep(*a.nb, "Ed");  // id/2 on a: the fork
  auto r = send(*a.nb, *b.nb);
  CHECK(r.conflictingDuplicates == 1);
  auto healed = b.nb->healFork("another copy");
  REQUIRE(healed);
  REQUIRE(*healed);
  // id/2, id/3 and the change that depends on them, all re-issued.
  CHECK((*healed)->reissued == 3);
  CHECK(OK_VALUE(b.nb->stats()).pending == 0);
  auto retired = OK_VALUE(b.nb->retiredDevices());
  REQUIRE(retired.size() == 2);
  for (const auto& d : retired) CHECK(d.keptUpTo == (d.identity.id == id ? 1u : 0u));
  send(*b.nb, *a.nb);
  CHECK(OK_VALUE(a.nb->stats()).pending == 0);
  CHECK(OK_VALUE(a.nb->dump()) == OK_VALUE(b.nb->dump()));
  CHECK(names(*a.nb) == std::vector<std::string>{"Ana", "Bo", "Cy", "Di", "Ed"});
}
