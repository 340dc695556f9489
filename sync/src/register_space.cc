// registerSpaceOnRelay and probeRelayKey: the one-shot network calls of
// `space create` and of pinning a relay first met, each on its own thread
// so the caller's thread needs no kj event loop.
#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include <functional>
#include <thread>

#include "ridealong/sync/engine.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"

namespace ridealong::sync {

namespace {

std::string remoteMessage(const kj::Exception& e) {
  std::string d = e.getDescription().cStr();
  if (d.rfind("remote exception: ", 0) == 0) d = d.substr(18);
  return d;
}

// Connects (TLS as the endpoint says) on a fresh thread and event loop and
// runs `then` on the link, everything bounded by `timeoutMs`. Returns the
// pin the relay presented.
Result<KeyPin> withRelay(const RelayEndpoint& relay, uint32_t timeoutMs,
                         const std::function<kj::Promise<void>(RelayLink&)>& then, const std::string& refusal) {
  Result<KeyPin> result = Status::unavailable("not run");
  std::thread t([&] {
    auto io = kj::setupAsyncIo();
    auto deadline = io.provider->getTimer().afterDelay(timeoutMs * kj::MILLISECONDS).fork();
    auto bounded = [&](auto promise) {
      using T = decltype(promise.wait(io.waitScope));
      return promise
          .exclusiveJoin(
              deadline.addBranch().then([]() -> kj::Promise<T> { return KJ_EXCEPTION(DISCONNECTED, "timed out"); }))
          .wait(io.waitScope);
    };
    kj::Own<RelayLink> link;
    KeyPin pin{};
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] {
                   auto channel = bounded(connectRelay(io.provider->getNetwork(), relay));
                   pin = channel.peerPin;
                   link = kj::heap<RelayLink>(kj::mv(channel), WireLimits{}.readerOptions());
                 })) {
      result = Status::unavailable("cannot reach relay " + relay.address + ": " + remoteMessage(*e));
      return;
    }
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] { bounded(then(*link)); })) {
      result = Status::unavailable(refusal + ": " + remoteMessage(*e));
      return;
    }
    result = pin;
  });
  t.join();
  return result;
}

}  // namespace

Result<KeyPin> registerSpaceOnRelay(const RelayEndpoint& relay, const SpaceKeys& keys, const std::string& token,
                                    uint32_t timeoutMs) {
  return withRelay(
      relay, timeoutMs, [&](RelayLink& link) { return registerSpace(link.relay, keys, token); },
      "relay " + relay.address + " refused to register the space");
}

Result<KeyPin> probeRelayKey(const RelayEndpoint& relay, uint32_t timeoutMs) {
  return withRelay(
      relay, timeoutMs, [](RelayLink&) { return kj::Promise<void>(kj::READY_NOW); }, "relay " + relay.address);
}

}  // namespace ridealong::sync
