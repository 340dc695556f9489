// The ordinary faults of real life, through a real relay process and real
// LMDB notebooks: a notebook folder copied to another machine, a restored
// older backup that writes before it syncs, a tablet with its clock three
// days ahead, and a damaged change among good ones. In each, every device
// ends with every edit, and nothing wedges.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <set>

#include "engine_fixture.h"
#include "ok_value.h"
#include "ridealong/platform/testing.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"
#include "tcp_device.h"

namespace ridealong::sync {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;

using Device = SkewedDevice;

struct Space {
  Space()
      : relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log")),
        keys(SpaceKeys::derive(newSpaceId(), newSpaceSecret())) {
    REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys).isOk());
  }
  SyncStatus sync(Device& d) {
    SyncEngineOptions o;
    o.relay = testing::endpointOf(relay);
    o.saveState = false;
    SyncEngine engine(d.env, *d.nb, keys, o);
    Status st = engine.syncOnce();
    INFO(st.toString());
    REQUIRE(st);
    return engine.status();
  }
  testing::TempDir tmp;
  testing::RelayProcess relay;
  SpaceKeys keys;
};

core::RecordId addRep(core::Notebook& nb, const std::string& name) {
  core::RecordId id = nb.newId();
  core::ChangeBuilder b;
  b.create(id, "rep", {{"name", core::Value(name)}});
  REQUIRE(nb.commit(b));
  return id;
}

std::set<std::string> names(core::Notebook& nb) {
  std::set<std::string> out;
  for (const auto& r : OK_VALUE(nb.listType("rep"))) out.insert(r.text("name"));
  return out;
}

void copyFolder(const std::string& from, const std::string& to) {
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

// Syncs the devices in a random order, `rounds` times.
void syncAll(Space& space, std::vector<Device*> devices, int rounds, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int r = 0; r < rounds; ++r) {
    std::shuffle(devices.begin(), devices.end(), rng);
    for (Device* d : devices) space.sync(*d);
  }
}

void requireConverged(const std::vector<Device*>& devices, const std::set<std::string>& expected) {
  for (Device* d : devices) {
    CHECK(OK_VALUE(d->nb->dump()) == OK_VALUE(devices[0]->nb->dump()));
    CHECK(names(*d->nb) == expected);
    CHECK(OK_VALUE(d->nb->stats()).pending == 0);
    CHECK(OK_VALUE(d->nb->quarantined()).empty());
  }
}

TEST_CASE("engine: a copied folder and its original both write offline, then sync in any order",
          "[sync][engine][copies]") {
  for (bool samePath : {false, true}) {
    for (uint32_t seed : {1u, 2u, 3u}) {
      CAPTURE(samePath, seed);
      Space space;
      auto a = std::make_unique<Device>(space.tmp.sub("a"));
      Device c(space.tmp.sub("c"));
      addRep(*a->nb, "Ana");
      space.sync(*a);
      a.reset();
      copyFolder(space.tmp.sub("a"), space.tmp.sub("b"));
      // samePath: as if copied to the same path on a new laptop, where
      // nothing local tells the copy apart; the relay's digests do.
      a = std::make_unique<Device>(space.tmp.sub("a"), 0, !samePath);
      Device b(space.tmp.sub("b"), 0, !samePath);
      REQUIRE((OK_VALUE(b.nb->device()) == OK_VALUE(a->nb->device())) == samePath);
      addRep(*a->nb, "Bo");
      addRep(*a->nb, "Cy");
      addRep(*b.nb, "Di");
      addRep(*c.nb, "Ed");
      syncAll(space, {a.get(), &b, &c}, 3, seed);
      requireConverged({a.get(), &b, &c}, {"Ana", "Bo", "Cy", "Di", "Ed"});
      // Exactly one of the two copies became a new device, and says why.
      size_t retired = OK_VALUE(a->nb->retiredDevices()).size() + OK_VALUE(b.nb->retiredDevices()).size();
      CHECK(retired == 1);
      CHECK(OK_VALUE(a->nb->device()) != OK_VALUE(b.nb->device()));
      // Both write again: still no fork, nothing lost.
      addRep(*a->nb, "Fay");
      addRep(*b.nb, "Gus");
      syncAll(space, {a.get(), &b, &c}, 2, seed + 10);
      requireConverged({a.get(), &b, &c}, {"Ana", "Bo", "Cy", "Di", "Ed", "Fay", "Gus"});
    }
  }
}

TEST_CASE("engine: a folder restored from an older backup that writes before it syncs loses nothing",
          "[sync][engine][copies]") {
  Space space;
  auto a = std::make_unique<Device>(space.tmp.sub("a"));
  Device c(space.tmp.sub("c"));
  core::RecordId ana = addRep(*a->nb, "Ana");
  space.sync(*a);
  a.reset();
  copyFolder(space.tmp.sub("a"), space.tmp.sub("backup"));
  a = std::make_unique<Device>(space.tmp.sub("a"));
  const core::ActorId id = OK_VALUE(a->nb->device());
  addRep(*a->nb, "Bo");
  addRep(*a->nb, "Cy");
  space.sync(*a);  // Bo and Cy reach the relay, then the laptop dies
  a.reset();
  std::filesystem::remove_all(space.tmp.sub("a"));
  std::filesystem::rename(space.tmp.sub("backup"), space.tmp.sub("a"));
  Device restored(space.tmp.sub("a"));
  REQUIRE(OK_VALUE(restored.nb->device()) == id);  // same path, same machine
  core::ChangeBuilder edit;
  edit.set(ana, "team", core::Value("North"));
  REQUIRE(restored.nb->commit(edit));
  addRep(*restored.nb, "Written after the restore");

  auto st = space.sync(restored);
  CHECK(st.pendingLocal == 0);
  CHECK(OK_VALUE(restored.nb->device()) != id);
  auto retired = OK_VALUE(restored.nb->retiredDevices());
  REQUIRE(retired.size() == 1);
  CHECK(retired[0].identity.id == id);
  CHECK(retired[0].keptUpTo == 1);
  CHECK(retired[0].reissued == 2);
  CHECK_THAT(retired[0].reason, Catch::Contains("another copy"));
  space.sync(c);
  requireConverged({&restored, &c}, {"Ana", "Bo", "Cy", "Written after the restore"});
  CHECK(c.nb->get(ana)->text("team") == "North");
}

TEST_CASE("engine: a tablet with its clock three days ahead still syncs with everyone, and is named",
          "[sync][engine][clocks]") {
  Space space;
  Device laptop(space.tmp.sub("laptop"));
  Device phone(space.tmp.sub("phone"));
  Device tablet(space.tmp.sub("tablet"), 3 * kDay);
  core::RecordId rep = addRep(*tablet.nb, "From the tablet");
  space.sync(tablet);
  addRep(*laptop.nb, "From the laptop");
  space.sync(laptop);
  addRep(*phone.nb, "From the phone");
  space.sync(phone);
  space.sync(laptop);
  space.sync(tablet);
  requireConverged({&laptop, &phone, &tablet}, {"From the tablet", "From the laptop", "From the phone"});
  for (Device* d : {&laptop, &phone}) {
    auto warnings = OK_VALUE(d->nb->clockWarnings());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].actor == OK_VALUE(tablet.nb->device()));
    CHECK(warnings[0].skewMs > 2 * kDay);
  }
  CHECK(OK_VALUE(tablet.nb->clockWarnings()).empty());
  // A later edit on the laptop still wins over the tablet's older one: its
  // clock moved at most the bound past its own, so it is not stuck behind
  // the tablet's stamps for three days.
  core::ChangeBuilder b;
  b.set(rep, "team", core::Value("tablet"));
  REQUIRE(tablet.nb->commit(b));
  space.sync(tablet);
  space.sync(laptop);
  core::ChangeBuilder later;
  later.set(rep, "team", core::Value("laptop"));
  REQUIRE(laptop.nb->commit(later));
  for (Device* d : {&laptop, &tablet, &phone, &laptop}) space.sync(*d);
  for (Device* d : {&laptop, &tablet, &phone}) CHECK(d->nb->get(rep)->text("team") == "laptop");
}

// A member of the space pushes, through the real relay, one change that is
// sealed correctly but cannot be read, then a good change that follows it.
struct RawPush {
  kj::AsyncIoContext io = kj::setupAsyncIo();
  void push(Space& space, const core::DeviceIdentity& id, std::vector<SealedChange> changes) {
    testing::TcpDevice d(io, space.relay, space.keys);
    auto session = openSession(d.relay, space.keys, id, d.binding).wait(io.waitScope);
    auto req = session.pushRequest();
    toWire(changes, req.initChanges(static_cast<unsigned>(changes.size())));
    req.send().wait(io.waitScope);
  }
};

TEST_CASE("engine: a damaged change among good ones is quarantined, the rest apply, nothing wedges",
          "[sync][engine][quarantine]") {
  Space space;
  Device author(space.tmp.sub("author"));  // writes two changes, pushed by hand
  Device other(space.tmp.sub("other"));
  Device reader(space.tmp.sub("reader"));
  core::RecordId rep = addRep(*author.nb, "Ana");  // author/1
  core::ChangeBuilder b;
  b.set(rep, "team", core::Value("North"));
  REQUIRE(author.nb->commit(b));  // author/2, after author/1
  auto changes = author.nb->changesOf(OK_VALUE(author.nb->device()), 0, 10);
  REQUIRE(changes);
  REQUIRE(changes->size() == 2);
  auto identity = author.nb->identity();
  REQUIRE(identity);
  // author/1 replaced by bytes no build can read (damaged on the author's
  // disk before it was sealed); author/2 as written.
  std::string damaged = (*changes)[0];
  for (size_t i = 8; i < damaged.size(); i += 3) damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
  auto first = space.keys.seal(identity->id, 1, damaged);
  auto second = space.keys.seal(identity->id, 2, (*changes)[1], first.digest);
  RawPush raw;
  raw.push(space, *identity, {first, second});
  addRep(*other.nb, "Bo");
  space.sync(other);

  auto st = space.sync(reader);
  CHECK(st.pulled == 3);
  CHECK(names(*reader.nb) == std::set<std::string>{"Bo"});
  auto q = OK_VALUE(reader.nb->quarantined());
  REQUIRE(q.size() == 1);
  CHECK(q[0].actor == identity->id);
  CHECK(q[0].seq == 1);
  CHECK_THAT(q[0].reason, Catch::Contains("cannot be read"));
  CHECK(OK_VALUE(reader.nb->stats()).pending == 1);  // author/2 waits for author/1

  // The next rounds do not download the page again, and still get news.
  auto again = space.sync(reader);
  CHECK(again.pulled == 0);
  addRep(*other.nb, "Cy");
  space.sync(other);
  auto news = space.sync(reader);
  CHECK(news.pulled == 1);
  CHECK(names(*reader.nb) == std::set<std::string>{"Bo", "Cy"});
  CHECK(OK_VALUE(reader.nb->quarantined()).size() == 1);
}

TEST_CASE("engine: a change sealed with another secret is quarantined as received, the rest apply",
          "[sync][engine][quarantine]") {
  Space space;
  Device other(space.tmp.sub("other"));
  Device reader(space.tmp.sub("reader"));
  // A member whose space secret is wrong but whose enrolment was signed with
  // the right key (a device with a damaged config, say).
  core::DeviceIdentity stranger{newSpaceId(), newSpaceSecret()};
  auto wrong = SpaceKeys::derive(space.keys.space(), newSpaceSecret());
  RawPush raw;
  {
    testing::TcpDevice d(raw.io, space.relay, space.keys);
    enrolDevice(d.relay, space.keys, stranger.id, DeviceKey::fromSecret(stranger.secret).publicKey())
        .wait(raw.io.waitScope);
  }
  raw.push(space, stranger, {wrong.seal(stranger.id, 1, "not a change")});
  addRep(*other.nb, "Bo");
  space.sync(other);
  auto st = space.sync(reader);
  CHECK(st.pulled == 2);
  CHECK(names(*reader.nb) == std::set<std::string>{"Bo"});
  auto q = OK_VALUE(reader.nb->quarantined());
  REQUIRE(q.size() == 1);
  CHECK(q[0].sealed);
  CHECK_THAT(q[0].reason, Catch::Contains("does not open"));
  CHECK(space.sync(reader).pulled == 0);
}

}  // namespace
}  // namespace ridealong::sync

namespace ridealong::sync {
namespace {

TEST_CASE("relay process: a device pushing under another device's id is refused, nothing stored",
          "[sync][engine][devices]") {
  Space space;
  Device honest(space.tmp.sub("honest"));
  addRep(*honest.nb, "Ana");
  space.sync(honest);
  auto victim = honest.nb->identity();
  REQUIRE(victim);
  // Another member (it holds the space secret) forges the honest device's
  // next change, and one of its own in the same push.
  core::DeviceIdentity forger{newSpaceId(), newSpaceSecret()};
  auto before = honest.nb->changeAt(victim->id, 1);
  REQUIRE(before);
  auto forged = space.keys.seal(victim->id, 2, "forged", space.keys.digest(*before));
  auto own = space.keys.seal(forger.id, 1, "its own");
  RawPush raw;
  std::string refused;
  try {
    raw.push(space, forger, {own, forged});
  } catch (const kj::Exception& e) {
    refused = e.getDescription().cStr();
  }
  CHECK_THAT(refused, Catch::Contains("a device sends only its own changes"));
  CHECK_THAT(space.relay.log(), Catch::Contains("push refused: change 2 of device " + victim->id.str()));
  // Nothing of that push is on the relay: a new device gets Ana only.
  Device reader(space.tmp.sub("reader"));
  auto st = space.sync(reader);
  CHECK(st.pulled == 1);
  CHECK(OK_VALUE(reader.nb->quarantined()).empty());
  CHECK(OK_VALUE(reader.nb->dump()) == OK_VALUE(honest.nb->dump()));
}

}  // namespace
}  // namespace ridealong::sync
