// Protocol version 2 in-process: device keys (enrolment signed with the
// space key, auth signed with the device key), a device pushing only its own
// changes, digests (duplicates vs. equivocation, prev and forks, have() and
// digests()), and what a version 1 device is told.
#include <catch2/catch.hpp>

#include "relay_harness.h"

namespace ridealong::sync {
namespace {

using testing::Device;
using testing::errorOf;
using testing::noteOf;
using testing::push;
using testing::RelayHarness;
using testing::sealRange;
using testing::Space;

kj::Promise<void> enrol(wire::Relay::Client relay, const SpaceId& space, const core::ActorId& device,
                        const DevicePublicKey& key, const std::string& signature) {
  auto req = relay.enrolRequest();
  req.setSpace(dataOf(space));
  req.setDevice(dataOf(device));
  req.setDeviceKey(dataOf(key));
  req.setSignature(dataOf(signature));
  return req.send().ignoreResult();
}

bool helloSaysEnrolled(RelayHarness& h, wire::Relay::Client relay, const SpaceId& space, const core::ActorId& device) {
  auto hello = relay.helloRequest();
  hello.setSpace(dataOf(space));
  hello.setDevice(dataOf(device));
  hello.setProtocolVersion(kProtocolVersion);
  return hello.send().wait(h.ws()).getEnrolled();
}

HeldVector haveOf(RelayHarness& h, Device& d) {
  auto held = heldFromWire(d.s().haveRequest().send().wait(h.ws()).getVv(), WireLimits{});
  REQUIRE(held.isOk());
  return *held;
}

TEST_CASE("enrolment: signed with the space key, the first device key wins", "[sync][protocol][devices]") {
  RelayHarness h;
  Space sp;
  auto conn = h.connect();
  registerSpace(conn->relay, sp.keys).wait(h.ws());
  auto id = testing::newIdentity();
  auto key = DeviceKey::fromSecret(id.secret).publicKey();
  CHECK_FALSE(helloSaysEnrolled(h, conn->relay, sp.keys.space(), id.id));

  enrolDevice(conn->relay, sp.keys, id.id, key).wait(h.ws());
  CHECK(h.logged("enrolled device " + id.id.str() + " in space " + sp.keys.space().str()));
  CHECK(helloSaysEnrolled(h, conn->relay, sp.keys.space(), id.id));

  SECTION("the same key again is a no-op") {
    enrolDevice(conn->relay, sp.keys, id.id, key).wait(h.ws());
    CHECK(h.logged("re-enrolled device " + id.id.str()));
  }
  SECTION("another key for an enrolled device is refused") {
    auto other = DeviceKey::fromSecret(newSpaceSecret()).publicKey();
    CHECK_THAT(errorOf(enrolDevice(conn->relay, sp.keys, id.id, other), h.ws()),
               Catch::Contains("device " + id.id.str() + " is already enrolled in space " + sp.keys.space().str() +
                               " with another key"));
    CHECK(h.logged("enrol refused for device " + id.id.str()));
    // The first key still signs in; the other does not.
    auto c2 = h.connect();
    openSession(c2->relay, sp.keys, id).wait(h.ws());
    auto c3 = h.connect();
    CHECK_THAT(errorOf(openSession(c3->relay, sp.keys, {id.id, newSpaceSecret()}), h.ws()),
               Catch::Contains("authentication failed"));
  }
  SECTION("a signature by another space secret is refused, nothing enrolled") {
    auto stranger = SpaceKeys::derive(sp.keys.space(), newSpaceSecret());
    auto other = testing::newIdentity();
    auto otherKey = DeviceKey::fromSecret(other.secret).publicKey();
    CHECK_THAT(errorOf(enrolDevice(conn->relay, stranger, other.id, otherKey), h.ws()),
               Catch::Contains("enrolment not signed with the space's key"));
    CHECK_FALSE(helloSaysEnrolled(h, conn->relay, sp.keys.space(), other.id));
  }
  SECTION("a signature does not transfer to another device or key") {
    auto other = testing::newIdentity();
    auto otherKey = DeviceKey::fromSecret(other.secret).publicKey();
    std::string sig = sp.keys.signEnrolment(other.id, otherKey);
    CHECK_THAT(errorOf(enrol(conn->relay, sp.keys.space(), testing::newDevice(), otherKey, sig), h.ws()),
               Catch::Contains("not signed with the space's key"));
    CHECK_THAT(
        errorOf(enrol(conn->relay, sp.keys.space(), other.id, DeviceKey::fromSecret(newSpaceSecret()).publicKey(), sig),
                h.ws()),
        Catch::Contains("not signed with the space's key"));
    CHECK_THAT(errorOf(enrol(conn->relay, sp.keys.space(), other.id, otherKey, "short"), h.ws()),
               Catch::Contains("not signed with the space's key"));
    CHECK_FALSE(helloSaysEnrolled(h, conn->relay, sp.keys.space(), other.id));
  }
  SECTION("unknown space, malformed key") {
    auto elsewhere = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
    CHECK_THAT(errorOf(enrolDevice(conn->relay, elsewhere, id.id, key), h.ws()), Catch::Contains("not registered"));
    auto req = conn->relay.enrolRequest();
    req.setSpace(dataOf(sp.keys.space()));
    req.setDevice(dataOf(id.id));
    req.setDeviceKey(dataOf(std::string_view("short")));
    CHECK_THAT(errorOf(req.send(), h.ws()), Catch::Contains("device key must be 32 bytes"));
  }
}

TEST_CASE("auth: a device that is not enrolled gets no session", "[sync][protocol][devices]") {
  RelayHarness h;
  Space sp;
  auto conn = h.connect();
  registerSpace(conn->relay, sp.keys).wait(h.ws());
  auto id = testing::newIdentity();
  auto hello = conn->relay.helloRequest();
  hello.setSpace(dataOf(sp.keys.space()));
  hello.setDevice(dataOf(id.id));
  hello.setProtocolVersion(kProtocolVersion);
  auto reply = hello.send().wait(h.ws());
  REQUIRE_FALSE(reply.getEnrolled());
  auto auth = conn->relay.authRequest();
  auth.setSignature(
      dataOf(DeviceKey::fromSecret(id.secret).signChallenge(viewOf(reply.getChallenge()), sp.keys.space(), id.id)));
  CHECK_THAT(errorOf(auth.send(), h.ws()),
             Catch::Contains("device " + id.id.str() + " is not enrolled in space " + sp.keys.space().str()));
  CHECK(h.hub().counters().authFailed == 1);
  CHECK(h.hub().counters().authOk == 0);
}

TEST_CASE("a version 1 device is told to update the app", "[sync][protocol][devices]") {
  RelayHarness h;
  Space sp;
  Device d(h, sp.keys);
  registerSpace(d.conn->relay, sp.keys).wait(h.ws());
  auto err = errorOf(openSession(d.conn->relay, d.keys, d.identity, {}, 1), h.ws());
  CHECK_THAT(err, Catch::Contains("the device speaks version 1, this relay speaks version " +
                                  std::to_string(kProtocolVersion)));
  CHECK_THAT(err, Catch::Contains("update the app"));
}

TEST_CASE("a device sends only its own changes", "[sync][protocol][devices]") {
  RelayHarness h;
  Space sp;
  Device laptop(h, sp.keys), tablet(h, sp.keys);
  registerSpace(laptop.conn->relay, sp.keys).wait(h.ws());
  laptop.open(h);
  tablet.open(h);
  push(tablet.s(), sealRange(tablet, 1, 2)).wait(h.ws());

  // The laptop's own change 1 with the tablet's change 3 in one push.
  auto mixed = sealRange(laptop, 1, 1);
  mixed.push_back(sealRange(tablet, 3, 3)[0]);
  CHECK_THAT(errorOf(push(laptop.s(), mixed), h.ws()),
             Catch::Contains("push refused: change 3 of device " + tablet.id.str() + " in a session of device " +
                             laptop.id.str() + "; a device sends only its own changes"));
  CHECK(h.logged("push refused: change 3 of device " + tablet.id.str()));
  CHECK(h.hub().counters().refusedPushes == 1);
  // Nothing of that push was stored, not even the laptop's own change.
  auto held = haveOf(h, laptop);
  CHECK(seqsOf(held) == core::VersionVector{{tablet.id, 2}});

  // Its own changes alone go through.
  push(laptop.s(), sealRange(laptop, 1, 1)).wait(h.ws());
  CHECK(seqsOf(haveOf(h, laptop)) == core::VersionVector{{tablet.id, 2}, {laptop.id, 1}});
}

TEST_CASE("digests: duplicates, equivocation and forks", "[sync][protocol][devices]") {
  RelayHarness h;
  Space sp;
  Device d(h, sp.keys);
  registerSpace(d.conn->relay, sp.keys).wait(h.ws());
  d.open(h);
  auto cs = sealRange(d, 1, 3);
  push(d.s(), cs).wait(h.ws());
  std::string who = "device " + d.id.str();

  SECTION("a re-sent change with another nonce but the same digest is a duplicate") {
    auto again = sealRange(d, 2, 3);
    REQUIRE(again[0].nonce != cs[1].nonce);
    REQUIRE(again[0].ciphertext != cs[1].ciphertext);
    push(d.s(), again).wait(h.ws());
    CHECK(h.hub().counters().duplicates == 2);
    CHECK(h.hub().counters().changesStored == 3);
    // The relay keeps the first copy.
    auto pull = d.s().pullRequest();
    pull.initSince();
    pull.setMaxBytes(1 << 20);
    auto got = fromWire(pull.send().wait(h.ws()).getChanges(), WireLimits{});
    REQUIRE(got.isOk());
    CHECK((*got)[1].nonce == cs[1].nonce);
  }
  SECTION("another change under a held seq is refused") {
    auto other = d.keys.seal(d.id, 2, "not the note 2 held here", cs[0].digest);
    CHECK_THAT(errorOf(push(d.s(), {other}), h.ws()),
               Catch::Contains("equivocation: change 2 of " + who + " differs from the one held here"));
    CHECK(h.logged("equivocation"));
  }
  SECTION("a change whose prev is not the digest held for seq-1 is refused as a fork") {
    // A copy of the notebook wrote its own change 3 and then 4 on top.
    std::string copy3 = d.keys.digest("the copy's change 3");
    auto fork = d.keys.seal(d.id, 4, "the copy's change 4", copy3);
    CHECK_THAT(errorOf(push(d.s(), {fork}), h.ws()),
               Catch::Contains("fork: change 4 of " + who +
                               " does not follow change 3 held here; another copy of that "
                               "device's notebook pushed first"));
    CHECK(h.logged("fork: change 4"));
    SECTION("no prev at all is not enough either") {
      auto bare = d.keys.seal(d.id, 4, noteOf(d, 4));
      CHECK_THAT(errorOf(push(d.s(), {bare}), h.ws()), Catch::Contains("remote exception: fork: change 4"));
    }
    SECTION("within one push, prev is checked against the change just before") {
      auto chain = sealRange(d, 4, 6);
      chain[2].prev = copy3;
      CHECK_THAT(errorOf(push(d.s(), chain), h.ws()), Catch::Contains("fork: change 6"));
    }
  }
  // Nothing refused was stored; the session goes on.
  CHECK(seqsOf(haveOf(h, d)) == core::VersionVector{{d.id, 3}});
  push(d.s(), sealRange(d, 4, 5)).wait(h.ws());
  CHECK(seqsOf(haveOf(h, d)) == core::VersionVector{{d.id, 5}});
}

TEST_CASE("have() names the digest of each actor's last change, digests() any seq", "[sync][protocol][devices]") {
  RelayHarness h;
  Space sp;
  Device laptop(h, sp.keys), tablet(h, sp.keys);
  registerSpace(laptop.conn->relay, sp.keys).wait(h.ws());
  laptop.open(h);
  tablet.open(h);
  push(laptop.s(), sealRange(laptop, 1, 5)).wait(h.ws());
  push(tablet.s(), sealRange(tablet, 1, 2)).wait(h.ws());

  auto held = haveOf(h, tablet);
  CHECK(held == HeldVector{{laptop.id, {5, sp.keys.digest(noteOf(laptop, 5))}},
                           {tablet.id, {2, sp.keys.digest(noteOf(tablet, 2))}}});
  // Push replies carry the vector without digests.
  auto r = push(tablet.s(), sealRange(tablet, 3, 3)).wait(h.ws());
  for (auto e : r.getVv().getEntries()) CHECK(e.getDigest().size() == 0);

  auto ds = fetchDigests(tablet.s(), laptop.id, {1, 3, 5, 6, 0}).wait(h.ws());
  CHECK(ds == std::vector<std::string>{sp.keys.digest(noteOf(laptop, 1)), sp.keys.digest(noteOf(laptop, 3)),
                                       sp.keys.digest(noteOf(laptop, 5)), "", ""});
  CHECK(fetchDigests(tablet.s(), testing::newDevice(), {1}).wait(h.ws()) == std::vector<std::string>{""});
  CHECK(fetchDigests(tablet.s(), laptop.id, {}).wait(h.ws()).empty());

  SECTION("more than 4096 seqs: one call is refused, the helper splits them") {
    auto req = tablet.s().digestsRequest();
    req.setActor(dataOf(laptop.id));
    req.initSeqs(4097);
    CHECK_THAT(errorOf(req.send(), h.ws()), Catch::Contains("4097 seqs is over the relay's limit of 4096 per call"));
    std::vector<uint64_t> many(5000);
    for (size_t i = 0; i < many.size(); ++i) many[i] = i % 7;
    auto all = fetchDigests(tablet.s(), laptop.id, many).wait(h.ws());
    REQUIRE(all.size() == 5000);
    CHECK(all[4999] == sp.keys.digest(noteOf(laptop, 4999 % 7)));
    CHECK(all[4998].empty());  // seq 0
  }
  SECTION("a malformed actor is refused") {
    auto req = tablet.s().digestsRequest();
    req.setActor(dataOf(std::string_view("short")));
    CHECK_THAT(errorOf(req.send(), h.ws()), Catch::Contains("actor must be 16 bytes"));
  }
}

TEST_CASE("pull carries each change's digest, never prev, and bad digests are refused", "[sync][protocol][devices]") {
  RelayHarness h;
  Space sp;
  Device d(h, sp.keys);
  registerSpace(d.conn->relay, sp.keys).wait(h.ws());
  d.open(h);
  auto cs = sealRange(d, 1, 3);
  push(d.s(), cs).wait(h.ws());
  auto pull = d.s().pullRequest();
  pull.initSince();
  pull.setMaxBytes(1 << 20);
  auto got = fromWire(pull.send().wait(h.ws()).getChanges(), WireLimits{});
  REQUIRE(got.isOk());
  REQUIRE(got->size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK((*got)[i].digest == cs[i].digest);
    CHECK((*got)[i].prev.empty());
    auto plain = d.keys.open((*got)[i]);
    REQUIRE(plain.isOk());
    CHECK(*plain == noteOf(d, i + 1));
  }

  auto bad = sealRange(d, 4, 4);
  bad[0].digest = "12345";
  CHECK_THAT(errorOf(push(d.s(), bad), h.ws()), Catch::Contains("sealed change digest must be empty or 16 bytes"));
  bad = sealRange(d, 4, 4);
  bad[0].prev = std::string(40, 'p');
  CHECK_THAT(errorOf(push(d.s(), bad), h.ws()), Catch::Contains("sealed change prev must be empty or 16 bytes"));
}

}  // namespace
}  // namespace ridealong::sync
