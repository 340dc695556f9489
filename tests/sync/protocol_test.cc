// The relay protocol in-process over kj::newTwoWayPipe(): registration,
// hello/auth, protocol version, push/pull paging, push rules, subscriptions,
// no plaintext at rest. Device keys, enrolment, digests and forks:
// relay_devices_test.cc. Limits (per push, per connection):
// relay_limits_test.cc.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "relay_harness.h"

namespace ridealong::sync {
namespace {

using testing::Device;
using testing::errorOf;
using testing::push;
using testing::RelayHarness;
using testing::sealRange;
using testing::Space;

// Records every change the relay delivers.
class RecordingListener final : public wire::Listener::Server {
 public:
  explicit RecordingListener(std::vector<SealedChange>& got) : got_(got) {}
  kj::Promise<void> changes(ChangesContext context) override {
    auto cs = fromWire(context.getParams().getChanges(), WireLimits{});
    KJ_REQUIRE(cs.isOk(), cs.status().message());
    for (auto& c : *cs) got_.push_back(c);
    return kj::READY_NOW;
  }

 private:
  std::vector<SealedChange>& got_;
};

TEST_CASE("register: first key wins, same key is idempotent", "[sync][protocol]") {
  RelayHarness h;
  auto conn = h.connect();
  Space sp;
  registerSpace(conn->relay, sp.keys).wait(h.ws());
  registerSpace(conn->relay, sp.keys).wait(h.ws());  // again: fine
  auto intruder = SpaceKeys::derive(sp.keys.space(), newSpaceSecret());
  auto err = errorOf(registerSpace(conn->relay, intruder), h.ws());
  CHECK_THAT(err, Catch::Contains("already registered with another key"));
  CHECK(h.logged("register refused"));

  auto req = conn->relay.registerRequest();
  req.setSpace(dataOf(sp.keys.space()));
  req.setAuthPublicKey(dataOf(std::string_view("short")));
  CHECK_THAT(errorOf(req.send(), h.ws()), Catch::Contains("32 bytes"));
}

TEST_CASE("hello + enrol + auth with the device key opens a session", "[sync][protocol]") {
  RelayHarness h;
  Space sp;
  Device a(h, sp.keys);
  registerSpace(a.conn->relay, sp.keys).wait(h.ws());
  a.open(h);
  auto have = a.s().haveRequest().send().wait(h.ws());
  CHECK(have.getVv().getEntries().size() == 0);
  CHECK(h.logged("enrolled device " + a.id.str()));
  CHECK(h.logged("authenticated device " + a.id.str()));
  CHECK(h.hub().counters().authOk == 1);

  SECTION("the next session needs no enrolment") {
    h.log.clear();
    auto conn = h.connect();
    openSession(conn->relay, sp.keys, a.identity).wait(h.ws());
    CHECK(h.logged("authenticated device " + a.id.str()));
    CHECK_FALSE(h.logged("enrolled"));
  }
}

TEST_CASE("a device without the keys gets no session", "[sync][protocol]") {
  RelayHarness h;
  Space sp;
  Device owner(h, sp.keys);
  registerSpace(owner.conn->relay, sp.keys).wait(h.ws());
  owner.open(h);
  REQUIRE(push(owner.s(), sealRange(owner, 1, 3)).wait(h.ws()).getVv().getEntries().size() == 1);

  SECTION("wrong space secret: its enrolment is refused") {
    Device thief(h, SpaceKeys::derive(sp.keys.space(), newSpaceSecret()));
    auto session = openSession(thief.conn->relay, thief.keys, thief.identity);
    CHECK_THAT(errorOf(kj::mv(session), h.ws()), Catch::Contains("enrolment not signed with the space's key"));
    h.ws().poll();
    CHECK(h.logged("enrol refused for device " + thief.id.str()));
    CHECK(h.logged("auth failed: device " + thief.id.str() + " is not enrolled"));
    CHECK(h.hub().counters().authFailed == 1);  // the auth pipelined behind it
  }
  SECTION("an enrolled device id with another device key") {
    auto conn = h.connect();
    core::DeviceIdentity copy{owner.id, newSpaceSecret()};
    auto session = openSession(conn->relay, sp.keys, copy);
    CHECK_THAT(errorOf(kj::mv(session), h.ws()), Catch::Contains("authentication failed"));
    CHECK(h.logged("auth failed for device " + owner.id.str()));
    CHECK(h.hub().counters().authFailed == 1);

    // Even pipelined calls on the session it asked for fail.
    auto hello = conn->relay.helloRequest();
    hello.setSpace(dataOf(sp.keys.space()));
    hello.setDevice(dataOf(owner.id));
    hello.setProtocolVersion(kProtocolVersion);
    auto reply = hello.send().wait(h.ws());
    CHECK(reply.getEnrolled());
    auto auth = conn->relay.authRequest();
    auth.setSignature(dataOf(std::string(kSignatureBytes, 'x')));
    auto pull = auth.send().getSession().pullRequest();
    pull.setMaxBytes(1 << 20);
    CHECK_THAT(errorOf(pull.send(), h.ws()), Catch::Contains("authentication failed"));
  }
  SECTION("the space key does not sign in for a device") {
    // Version 1 signed the challenge with the space key: no longer enough.
    auto conn = h.connect();
    auto hello = conn->relay.helloRequest();
    hello.setSpace(dataOf(sp.keys.space()));
    hello.setDevice(dataOf(owner.id));
    hello.setProtocolVersion(kProtocolVersion);
    auto reply = hello.send().wait(h.ws());
    SpaceSecret secret;
    secret.fill(1);
    auto auth = conn->relay.authRequest();
    auth.setSignature(
        dataOf(DeviceKey::fromSecret(secret).signChallenge(viewOf(reply.getChallenge()), sp.keys.space(), owner.id)));
    CHECK_THAT(errorOf(auth.send(), h.ws()), Catch::Contains("authentication failed"));
  }
  SECTION("auth before hello") {
    Device d(h, sp.keys);
    auto auth = d.conn->relay.authRequest();
    auth.setSignature(dataOf(std::string(kSignatureBytes, 'x')));
    CHECK_THAT(errorOf(auth.send(), h.ws()), Catch::Contains("call hello first"));
  }
  SECTION("a challenge is good for one attempt") {
    auto conn = h.connect();
    auto hello = conn->relay.helloRequest();
    hello.setSpace(dataOf(sp.keys.space()));
    hello.setDevice(dataOf(owner.id));
    hello.setProtocolVersion(kProtocolVersion);
    auto reply = hello.send().wait(h.ws());
    std::string good = DeviceKey::fromSecret(owner.identity.secret)
                           .signChallenge(viewOf(reply.getChallenge()), sp.keys.space(), owner.id);
    auto bad = conn->relay.authRequest();
    bad.setSignature(dataOf(std::string(kSignatureBytes, 'x')));
    CHECK_FALSE(errorOf(bad.send(), h.ws()).empty());
    auto retry = conn->relay.authRequest();
    retry.setSignature(dataOf(good));
    CHECK_THAT(errorOf(retry.send(), h.ws()), Catch::Contains("call hello first"));
  }
  SECTION("a signature for another device does not transfer") {
    auto conn = h.connect();
    auto hello = conn->relay.helloRequest();
    hello.setSpace(dataOf(sp.keys.space()));
    hello.setDevice(dataOf(owner.id));
    hello.setProtocolVersion(kProtocolVersion);
    auto reply = hello.send().wait(h.ws());
    auto auth = conn->relay.authRequest();
    auth.setSignature(dataOf(DeviceKey::fromSecret(owner.identity.secret)
                                 .signChallenge(viewOf(reply.getChallenge()), sp.keys.space(), testing::newDevice())));
    CHECK_THAT(errorOf(auth.send(), h.ws()), Catch::Contains("authentication failed"));
  }
  SECTION("unknown space") {
    Device d(h, SpaceKeys::derive(newSpaceId(), newSpaceSecret()));
    CHECK_THAT(errorOf(openSession(d.conn->relay, d.keys, d.identity), h.ws()), Catch::Contains("not registered"));
  }
}

TEST_CASE("a protocol version mismatch is a clear error on both sides", "[sync][protocol]") {
  RelayHarness h;
  Space sp;
  Device d(h, sp.keys);
  registerSpace(d.conn->relay, sp.keys).wait(h.ws());
  auto err = errorOf(openSession(d.conn->relay, d.keys, d.identity, {}, kProtocolVersion + 1), h.ws());
  CHECK_THAT(err, Catch::Contains("protocol version mismatch"));
  CHECK_THAT(err, Catch::Contains("update the relay"));
  CHECK(h.logged("hello refused: protocol version " + std::to_string(kProtocolVersion + 1)));

  SECTION("the device checks the relay's answer too") {
    // A relay that answers with another version.
    class OtherRelay final : public wire::Relay::Server {
      kj::Promise<void> hello(HelloContext context) override {
        context.getResults().setChallenge(dataOf(std::string(kChallengeBytes, 'c')));
        context.getResults().setProtocolVersion(kProtocolVersion + 7);
        return kj::READY_NOW;
      }
    };
    wire::Relay::Client other = kj::heap<OtherRelay>();
    CHECK_THAT(errorOf(openSession(other, d.keys, d.identity), h.ws()), Catch::Contains("protocol version mismatch"));
  }
}

TEST_CASE("push and paged pull move sealed changes between devices", "[sync][protocol]") {
  RelayHarness h;
  Space sp;
  Device laptop(h, sp.keys), tablet(h, sp.keys);
  registerSpace(laptop.conn->relay, sp.keys).wait(h.ws());
  laptop.open(h);
  tablet.open(h);

  auto all = sealRange(laptop, 1, 100);
  for (size_t i = 0; i < all.size(); i += 30) {  // paged push
    std::vector<SealedChange> page(all.begin() + i, all.begin() + std::min(all.size(), i + 30));
    auto r = push(laptop.s(), page).wait(h.ws());
    auto vv = fromWire(r.getVv(), WireLimits{});
    REQUIRE(vv.isOk());
    CHECK(vv->at(laptop.id) == std::min<uint64_t>(100, i + 30));
  }
  // The tablet's own change as well.
  push(tablet.s(), sealRange(tablet, 1, 1)).wait(h.ws());

  core::VersionVector have{{tablet.id, 1}};
  std::vector<std::string> notes;
  int pages = 0;
  for (bool more = true; more;) {
    auto req = tablet.s().pullRequest();
    toWire(have, req.initSince());
    req.setMaxBytes(2000);
    auto r = req.send().wait(h.ws());
    ++pages;
    auto cs = fromWire(r.getChanges(), WireLimits{});
    REQUIRE(cs.isOk());
    for (auto& c : *cs) {
      REQUIRE(c.seq == have[c.actor] + 1);
      have[c.actor] = c.seq;
      auto plain = tablet.keys.open(c);
      REQUIRE(plain.isOk());
      notes.push_back(*plain);
    }
    more = r.getMore();
  }
  CHECK(pages > 3);
  REQUIRE(notes.size() == 100);
  CHECK(notes.front() == "note 1 from " + laptop.id.str());
  CHECK(notes.back() == "note 100 from " + laptop.id.str());

  auto have2 = fromWire(tablet.s().haveRequest().send().wait(h.ws()).getVv(), WireLimits{});
  CHECK(*have2 == have);
}

TEST_CASE("the relay refuses gaps, equivocation and malformed changes", "[sync][protocol]") {
  RelayHarness h;
  Space sp;
  Device d(h, sp.keys);
  registerSpace(d.conn->relay, sp.keys).wait(h.ws());
  d.open(h);
  auto cs = sealRange(d, 1, 5);
  push(d.s(), cs).wait(h.ws());

  SECTION("duplicates are idempotent") {
    push(d.s(), cs).wait(h.ws());
    CHECK(h.hub().counters().duplicates == 5);
  }
  SECTION("gap") { CHECK_THAT(errorOf(push(d.s(), sealRange(d, 7, 8)), h.ws()), Catch::Contains("gap")); }
  SECTION("the same change sealed again (fresh nonce) is a duplicate") {
    auto again = sealRange(d, 3, 4);
    REQUIRE(again[0].nonce != cs[2].nonce);
    push(d.s(), again).wait(h.ws());
    CHECK(h.hub().counters().duplicates == 2);
  }
  SECTION("equivocation is refused and logged") {
    auto forged = d.keys.seal(d.id, 3, "another note 3", cs[1].digest);
    CHECK_THAT(errorOf(push(d.s(), {forged}), h.ws()),
               Catch::Contains("equivocation: change 3 of device " + d.id.str() + " differs from the one held here"));
    CHECK(h.logged("equivocation"));
  }
  SECTION("malformed changes") {
    auto bad = sealRange(d, 6, 6);
    bad[0].nonce = "short";
    CHECK_THAT(errorOf(push(d.s(), bad), h.ws()), Catch::Contains("nonce"));
  }
  // The session keeps working after each refusal, and nothing refused is stored.
  auto vv = fromWire(d.s().haveRequest().send().wait(h.ws()).getVv(), WireLimits{});
  CHECK(vv->at(d.id) == 5);
}

TEST_CASE("subscribers get other connections' pushes live", "[sync][protocol]") {
  RelayHarness h;
  Space sp, otherSpace;
  Device laptop(h, sp.keys), tablet(h, sp.keys), stranger(h, otherSpace.keys);
  registerSpace(laptop.conn->relay, sp.keys).wait(h.ws());
  registerSpace(stranger.conn->relay, otherSpace.keys).wait(h.ws());
  laptop.open(h);
  tablet.open(h);
  stranger.open(h);

  std::vector<SealedChange> atLaptop, atTablet, atStranger;
  auto subscribe = [&](Device& d, std::vector<SealedChange>& into) {
    auto req = d.s().subscribeRequest();
    req.setListener(kj::heap<RecordingListener>(into));
    return req.send().wait(h.ws()).getHandle();
  };
  auto laptopHandle = subscribe(laptop, atLaptop);
  auto tabletHandle = kj::heap(subscribe(tablet, atTablet));
  auto strangerHandle = subscribe(stranger, atStranger);
  CHECK(h.hub().subscriptionCount() == 3);

  auto cs = sealRange(laptop, 1, 3);
  push(laptop.s(), cs).wait(h.ws());
  h.ws().poll();
  REQUIRE(atTablet.size() == 3);
  for (auto& c : cs) c.prev.clear();  // push only: not passed on
  CHECK(atTablet == cs);
  CHECK(atTablet[0].digest == laptop.keys.digest(testing::noteOf(laptop, 1)));
  CHECK(atLaptop.empty());    // not echoed to the pusher
  CHECK(atStranger.empty());  // other spaces see nothing

  SECTION("duplicates are not re-sent") {
    push(laptop.s(), cs).wait(h.ws());
    h.ws().poll();
    CHECK(atTablet.size() == 3);
  }
  SECTION("dropping the handle ends the subscription") {
    tabletHandle = nullptr;
    h.ws().poll();
    CHECK(h.hub().subscriptionCount() == 2);
    push(laptop.s(), sealRange(laptop, 4, 4)).wait(h.ws());
    h.ws().poll();
    CHECK(atTablet.size() == 3);
  }
  SECTION("a closed connection's subscriptions go away") {
    tabletHandle = nullptr;
    tablet.session = nullptr;
    tablet.conn = nullptr;
    h.ws().poll();
    CHECK(h.hub().subscriptionCount() == 2);
    CHECK(h.logged("closed"));
    push(laptop.s(), sealRange(laptop, 4, 4)).wait(h.ws());  // nobody left to tell: fine
  }
}

TEST_CASE("the relay's files hold no plaintext", "[sync][protocol][security]") {
  RelayHarness h;
  Space sp;
  Device d(h, sp.keys);
  registerSpace(d.conn->relay, sp.keys).wait(h.ws());
  d.open(h);
  std::vector<SealedChange> cs;
  auto note = [](uint64_t seq) { return "SECRET-COACHING-NOTE rep struggles with pricing " + std::to_string(seq); };
  for (uint64_t seq = 1; seq <= 20; ++seq)
    cs.push_back(d.keys.seal(d.id, seq, note(seq), seq > 1 ? d.keys.digest(note(seq - 1)) : ""));
  push(d.s(), cs).wait(h.ws());
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(h.dir().path())) {
    if (!e.is_regular_file()) continue;
    ++files;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes.find("SECRET-COACHING-NOTE") == std::string::npos);
    CHECK(bytes.find("pricing") == std::string::npos);
  }
  CHECK(files >= 1);
}

}  // namespace
}  // namespace ridealong::sync
