// Limits that hold against a client that abuses its own session, through a
// real ridealong-relay process on loopback, while an honest device of
// another space keeps syncing.
#include <catch2/catch.hpp>

#include "engine_fixture.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"
#include "tcp_device.h"

namespace ridealong::sync {
namespace {

class NullListener final : public wire::Listener::Server {
 public:
  kj::Promise<void> changes(ChangesContext) override { return kj::READY_NOW; }
};

std::string errorOf(kj::Promise<void> p, kj::WaitScope& ws) {
  try {
    p.wait(ws);
  } catch (const kj::Exception& e) {
    return e.getDescription().cStr();
  }
  return "";
}

TEST_CASE("relay process: one subscription per session, and another once it is dropped",
          "[sync][relay-process][abuse]") {
  TwoDeviceSpace honest;
  kj::AsyncIoContext io = kj::setupAsyncIo();
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  testing::TcpDevice d(io, honest.relay.port(), keys);
  registerSpace(d.relay, keys).wait(io.waitScope);
  auto session = openSession(d.relay, keys, d.identity).wait(io.waitScope);
  auto subscribe = [&] {
    auto req = session.subscribeRequest();
    req.setListener(kj::heap<NullListener>());
    return req.send();
  };
  auto first = subscribe().wait(io.waitScope).getHandle();
  // A client that tries to multiply its listeners gets a clear refusal.
  for (int i = 0; i < 3; ++i)
    CHECK_THAT(errorOf(subscribe().ignoreResult(), io.waitScope),
               Catch::Contains("already subscribed (one subscription per session"));
  // Dropping the handle ends the subscription; then a new one is fine.
  { auto drop = kj::mv(first); }
  session.haveRequest().send().wait(io.waitScope);  // the release reaches the relay first
  auto second = subscribe().wait(io.waitScope).getHandle();

  // Meanwhile an honest device of another space syncs as usual.
  commitReps(*honest.a, 3);
  SyncEngineOptions o;
  o.relay = honest.relay.address();
  o.saveState = false;
  SyncEngine a(platform::realEnv(), *honest.a, honest.keys, o);
  REQUIRE(a.syncOnce());
  SyncEngine b(platform::realEnv(), *honest.b, honest.keys, o);
  REQUIRE(b.syncOnce());
  CHECK(honest.b->dump() == honest.a->dump());
}

}  // namespace
}  // namespace ridealong::sync
