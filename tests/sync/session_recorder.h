// Records the bytes a client sends to an in-process relay (RelayHarness)
// while it runs a script, so tests can replay that stream over a raw pipe:
// as fuzz seeds, or as a subscriber that then never reads its replies.
// Replays authenticate only against a relay whose challenge is fixed
// (fixedChallenge()). Single-threaded, on the harness's event loop.
#pragma once

#include <cstring>
#include <functional>
#include <string>

#include "relay_harness.h"

namespace ridealong::testing {

inline relay::RelayOptions fixedChallenge(relay::RelayOptions o = {}) {
  o.challengeBytes = [](uint8_t* out, size_t n) { std::memset(out, 0x5a, n); };
  return o;
}

// Copies `from` into `to`, keeping a copy of the bytes in `log`.
inline kj::Promise<void> tee(kj::AsyncIoStream& from, kj::AsyncIoStream& to, std::string& log,
                             kj::ArrayPtr<kj::byte> buf) {
  return from.tryRead(buf.begin(), 1, buf.size()).then([&, buf](size_t n) -> kj::Promise<void> {
    if (n == 0) {
      to.shutdownWrite();
      return kj::READY_NOW;
    }
    log.append(reinterpret_cast<const char*>(buf.begin()), n);
    return to.write(buf.begin(), n).then([&, buf]() { return tee(from, to, log, buf); });
  });
}

using ClientScript = std::function<void(sync::wire::Relay::Client&, kj::WaitScope&)>;

// The bytes a client running `script` sends to the relay.
inline std::string recordClientStream(RelayHarness& h, const ClientScript& script) {
  auto toRelay = kj::newTwoWayPipe();
  auto toClient = kj::newTwoWayPipe();
  h.server().accept(kj::mv(toRelay.ends[0]), "recorder");
  std::string log;
  auto upBuf = kj::heapArray<kj::byte>(1 << 16);
  auto up = tee(*toClient.ends[1], *toRelay.ends[1], log, upBuf).eagerlyEvaluate(nullptr);
  auto down = toRelay.ends[1]->pumpTo(*toClient.ends[1]).ignoreResult().eagerlyEvaluate([](kj::Exception&&) {});
  {
    capnp::TwoPartyClient client(*toClient.ends[0]);
    auto relay = client.bootstrap().castAs<sync::wire::Relay>();
    script(relay, h.ws());
  }
  toClient.ends[0] = nullptr;
  h.ws().poll();
  return log;
}

}  // namespace ridealong::testing
