// A subscriber that stops reading its socket must not make the relay queue
// notifications for it without bound: over the per-connection limit it is
// closed while others go on; while everything queued is over the total
// limit, pushes wait (backpressure) and complete once it drains. The stuck
// subscriber is a recorded session replayed over a pipe whose far end never
// reads.
#include <catch2/catch.hpp>

#include "session_recorder.h"

namespace ridealong::sync {
namespace {

using testing::Device;
using testing::push;
using testing::RelayHarness;

class IgnoringListener final : public wire::Listener::Server {
  kj::Promise<void> changes(ChangesContext) override { return kj::READY_NOW; }
};

struct StuckSubscriber {
  // Subscribes in `keys`' space and then never reads a byte.
  StuckSubscriber(RelayHarness& h, const std::string& stream) {
    auto pipe = kj::newTwoWayPipe();
    h.server().accept(kj::mv(pipe.ends[0]), "stuck");
    end = kj::mv(pipe.ends[1]);
    written = end->write(stream.data(), stream.size()).eagerlyEvaluate(nullptr);
    h.ws().poll();
  }
  kj::Own<kj::AsyncIoStream> end;
  kj::Promise<void> written = nullptr;
};

SpaceKeys fixedKeys() {
  SpaceSecret secret;
  secret.fill(3);
  return SpaceKeys::derive(core::Id16::fromBytes(std::string(16, 'b').data()), secret);
}

std::string subscribeSession(const SpaceKeys& keys) {
  RelayHarness recorder(testing::fixedChallenge());
  return testing::recordClientStream(recorder, [&](wire::Relay::Client& relay, kj::WaitScope& ws) {
    registerSpace(relay, keys).wait(ws);
    auto session = openSession(relay, keys, testing::newIdentity()).wait(ws);
    auto req = session.subscribeRequest();
    req.setListener(kj::heap<IgnoringListener>());
    req.send().wait(ws);
  });
}

std::vector<SealedChange> bulky(const Device& d, uint64_t from, uint64_t to) {
  std::vector<SealedChange> out;
  std::string body(4000, 'x');
  for (uint64_t seq = from; seq <= to; ++seq)
    out.push_back(d.keys.seal(d.id, seq, body, seq > 1 ? d.keys.digest(body) : ""));
  return out;
}

TEST_CASE("a subscriber that does not read is closed, others go on", "[sync][protocol]") {
  auto keys = fixedKeys();
  std::string stream = subscribeSession(keys);
  relay::ServerOptions so;
  so.maxQueuedBytesPerConnection = 64 << 10;
  RelayHarness h(testing::fixedChallenge(), so);
  StuckSubscriber stuck(h, stream);
  Device pusher(h, keys), reader(h, keys);
  pusher.open(h);
  reader.open(h);
  REQUIRE(h.hub().subscriptionCount() == 1);
  REQUIRE(h.server().connectionCount() == 3);

  // Each push sends ~40 KB to the stuck subscriber; it soon passes 64 KiB.
  for (uint64_t seq = 1; seq <= 60; seq += 10) push(pusher.s(), bulky(pusher, seq, seq + 9)).wait(h.ws());
  h.ws().poll();
  CHECK(h.server().connectionCount() == 2);
  CHECK(h.logged("closed: not reading"));
  CHECK(h.hub().subscriptionCount() == 0);
  auto vv = fromWire(reader.s().haveRequest().send().wait(h.ws()).getVv(), WireLimits{});
  CHECK(vv->at(pusher.id) == 60);
}

TEST_CASE("pushes wait while too much is queued, and complete once it drains", "[sync][protocol]") {
  auto keys = fixedKeys();
  std::string stream = subscribeSession(keys);
  relay::ServerOptions so;
  so.maxQueuedBytesTotal = 32 << 10;
  RelayHarness h(testing::fixedChallenge(), so);
  auto stuck = kj::heap<StuckSubscriber>(h, stream);
  Device pusher(h, keys);
  pusher.open(h);
  push(pusher.s(), bulky(pusher, 1, 10)).wait(h.ws());  // ~40 KB now queued for `stuck`

  auto waiting = push(pusher.s(), bulky(pusher, 11, 11));
  h.ws().poll();
  CHECK_FALSE(waiting.poll(h.ws()));  // held back, not refused
  stuck = nullptr;                    // the slow reader goes away
  h.ws().poll();
  h.advance(10 * kj::MILLISECONDS);  // the gate looks again
  REQUIRE(waiting.poll(h.ws()));
  auto vv = fromWire(waiting.wait(h.ws()).getVv(), WireLimits{});
  CHECK(vv->at(pusher.id) == 11);
}

}  // namespace
}  // namespace ridealong::sync
