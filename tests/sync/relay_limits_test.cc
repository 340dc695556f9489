// Relay limits in-process: oversized messages, changes per push, garbage
// bytes, the auth deadline, sessions per space. Over a limit a client gets a
// clear error and/or its connection is closed; other clients keep being
// served. Flooding a real relay process: relay_flood_test.cc.
#include <catch2/catch.hpp>
#include <cstring>
#include <random>

#include <vector>

#include "relay_harness.h"

namespace ridealong::sync {
namespace {

using testing::Device;
using testing::errorOf;
using testing::push;
using testing::RelayHarness;
using testing::sealRange;
using testing::Space;

TEST_CASE("an oversized message closes only that connection", "[sync][protocol]") {
  relay::RelayOptions options;
  options.limits.maxMessageBytes = 64 << 10;
  RelayHarness h(options);
  Space sp;
  Device big(h, sp.keys), other(h, sp.keys);
  registerSpace(big.conn->relay, sp.keys).wait(h.ws());
  big.open(h);
  other.open(h);
  REQUIRE(h.server().connectionCount() == 2);

  auto huge = big.keys.seal(big.id, 1, std::string(512 << 10, 'n'));
  std::string err = errorOf(push(big.s(), {huge}), h.ws());
  h.ws().poll();
  CHECK_THAT(err, Catch::Contains("too large"));
  CHECK(h.server().connectionCount() == 1);
  CHECK(h.logged("closed"));

  push(other.s(), sealRange(other, 1, 2)).wait(h.ws());  // others unaffected
  auto vv = fromWire(other.s().haveRequest().send().wait(h.ws()).getVv(), WireLimits{});
  CHECK(vv->size() == 1);
}

TEST_CASE("a push over the per-push limit gets a clear error and closes that connection", "[sync][protocol]") {
  relay::RelayOptions options;
  options.limits.maxChangesPerPush = 10;
  RelayHarness h(options);
  Space sp;
  Device greedy(h, sp.keys), other(h, sp.keys);
  registerSpace(greedy.conn->relay, sp.keys).wait(h.ws());
  greedy.open(h);
  other.open(h);
  push(greedy.s(), sealRange(greedy, 1, 10)).wait(h.ws());  // at the limit: fine

  std::string err = errorOf(push(greedy.s(), sealRange(greedy, 11, 21)), h.ws());
  CHECK_THAT(err, Catch::Contains("11 changes is over the relay's limit of 10 per push"));
  h.ws().poll();
  CHECK(h.server().connectionCount() == 1);
  CHECK(h.logged("closed: push of 11 changes is over"));
  CHECK_FALSE(errorOf(greedy.s().haveRequest().send(), h.ws()).empty());

  // Others continue; nothing of the refused push was stored.
  push(other.s(), sealRange(other, 1, 3)).wait(h.ws());
  auto vv = fromWire(other.s().haveRequest().send().wait(h.ws()).getVv(), WireLimits{});
  CHECK(vv->at(greedy.id) == 10);
  CHECK(vv->at(other.id) == 3);
}

TEST_CASE("garbage on the wire closes only that connection, nothing stored", "[sync][protocol]") {
  RelayHarness h;
  Space sp;
  Device member(h, sp.keys);
  registerSpace(member.conn->relay, sp.keys).wait(h.ws());
  member.open(h);
  std::mt19937 rng(42);
  for (int round = 0; round < 60; ++round) {
    auto pipe = kj::newTwoWayPipe();
    h.server().accept(kj::mv(pipe.ends[0]), "garbage");
    std::string junk(rng() % 2000 + 1, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    if (round % 2 == 0 && junk.size() >= 8) {
      // A well-formed frame (one segment of the right size) of random words,
      // so the bytes reach the RPC message decoder.
      size_t words = (junk.size() - 8) / 8;
      junk.resize(8 + words * 8);
      uint32_t header[2] = {0, static_cast<uint32_t>(words)};
      std::memcpy(junk.data(), header, 8);
    }
    // The relay may hang up before all bytes are written; that is fine.
    auto hungUp = kj::runCatchingExceptions([&]() {
      pipe.ends[1]->write(junk.data(), junk.size()).wait(h.ws());
      pipe.ends[1]->shutdownWrite();
    });
    h.ws().poll();
    pipe.ends[1] = nullptr;
    h.ws().poll();
  }
  CHECK(h.server().connectionCount() == 1);
  CHECK(push(member.s(), sealRange(member, 1, 2)).wait(h.ws()).getVv().getEntries().size() == 1);
  auto vv = fromWire(member.s().haveRequest().send().wait(h.ws()).getVv(), WireLimits{});
  CHECK(vv->size() == 1);  // only the member's own push
}

TEST_CASE("connections that do not authenticate in time are closed", "[sync][protocol]") {
  relay::ServerOptions serverOptions;
  serverOptions.authTimeout = 10 * kj::SECONDS;
  RelayHarness h({}, serverOptions);
  Space sp;
  Device idle(h, sp.keys), member(h, sp.keys);
  registerSpace(member.conn->relay, sp.keys).wait(h.ws());
  member.open(h);
  h.advance(5 * kj::SECONDS);
  CHECK(h.server().connectionCount() == 2);
  h.advance(6 * kj::SECONDS);
  CHECK(h.server().connectionCount() == 1);
  CHECK(h.logged("conn=1 closed: not authenticated in time"));
  CHECK_FALSE(errorOf(registerSpace(idle.conn->relay, sp.keys), h.ws()).empty());
  member.s().haveRequest().send().wait(h.ws());  // still served
}

TEST_CASE("a closed connection leaves no auth timer behind", "[sync][protocol]") {
  relay::ServerOptions noIdleSweep;  // its one timer would always be pending
  noIdleSweep.idleTimeout = 0 * kj::SECONDS;
  RelayHarness h({}, noIdleSweep);  // default 30 s auth timeout
  {
    std::vector<kj::Own<testing::RelayConnection>> flood;
    for (int i = 0; i < 50; i++) flood.push_back(h.connect());
    h.ws().poll();
    CHECK(h.server().connectionCount() == 50);
    CHECK(h.nextTimerEvent() != nullptr);
  }  // every client hangs up without signing in
  h.ws().poll();
  CHECK(h.server().connectionCount() == 0);
  CHECK(h.nextTimerEvent() == nullptr);
}

TEST_CASE("sessions per space are limited", "[sync][protocol]") {
  relay::RelayOptions options;
  options.maxSessionsPerSpace = 2;
  RelayHarness h(options);
  Space sp, other;
  Device a(h, sp.keys), b(h, sp.keys), c(h, sp.keys), d(h, other.keys);
  registerSpace(a.conn->relay, sp.keys).wait(h.ws());
  registerSpace(d.conn->relay, other.keys).wait(h.ws());
  a.open(h);
  b.open(h);
  CHECK_THAT(errorOf(openSession(c.conn->relay, c.keys, c.identity), h.ws()),
             Catch::Contains("too many connections for this space"));
  d.open(h);            // other spaces are not affected
  b.session = nullptr;  // a session ends: room again
  h.ws().poll();
  c.open(h);
}

}  // namespace
}  // namespace ridealong::sync
