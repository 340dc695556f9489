// registerSpaceOnRelay: the one network call of `space create`, on its own
// thread so the caller's thread needs no kj event loop.
#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include <thread>

#include "ridealong/sync/engine.h"
#include "ridealong/sync/relay_client.h"

namespace ridealong::sync {

Status registerSpaceOnRelay(const std::string& relay, const SpaceKeys& keys, uint32_t timeoutMs) {
  Status result;
  std::thread t([&] {
    auto io = kj::setupAsyncIo();
    auto& timer = io.provider->getTimer();
    auto deadline = [&]() -> kj::Promise<void> {
      return timer.afterDelay(timeoutMs * kj::MILLISECONDS).then([]() -> kj::Promise<void> {
        return KJ_EXCEPTION(DISCONNECTED, "timed out");
      });
    };
    kj::Own<kj::AsyncIoStream> stream;
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] {
                   auto addr = io.provider->getNetwork()
                                   .parseAddress(relay.c_str(), 7420)
                                   .exclusiveJoin(deadline().then(
                                       []() -> kj::Own<kj::NetworkAddress> { KJ_UNREACHABLE; }))
                                   .wait(io.waitScope);
                   stream = addr->connect()
                                .exclusiveJoin(deadline().then(
                                    []() -> kj::Own<kj::AsyncIoStream> { KJ_UNREACHABLE; }))
                                .wait(io.waitScope);
                 })) {
      result = Status::unavailable("cannot reach relay " + relay + ": " +
                                   e->getDescription().cStr());
      return;
    }
    capnp::TwoPartyClient client(*stream);
    auto relayCap = client.bootstrap().castAs<wire::Relay>();
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] {
                   registerSpace(relayCap, keys).exclusiveJoin(deadline()).wait(io.waitScope);
                 })) {
      std::string d = e->getDescription().cStr();
      if (d.rfind("remote exception: ", 0) == 0) d = d.substr(18);
      result = Status::unavailable("relay " + relay + " refused to register the space: " + d);
    }
  });
  t.join();
  return result;
}

}  // namespace ridealong::sync
