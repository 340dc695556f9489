// A device talking to a real ridealong-relay process over loopback TCP, on
// the calling thread's kj event loop (kj::setupAsyncIo). For the
// relay-process tests; single-threaded.
#pragma once

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"

namespace ridealong::testing {

struct TcpDevice {
  TcpDevice(kj::AsyncIoContext& io, int port, const sync::SpaceKeys& keys)
      : keys(keys),
        stream(io.provider->getNetwork()
                   .parseAddress("127.0.0.1", port)
                   .then([](kj::Own<kj::NetworkAddress> a) { return a->connect(); })
                   .wait(io.waitScope)),
        client(*stream),
        relay(client.bootstrap().castAs<sync::wire::Relay>()) {}
  // A device id and its device secret: 16 and 32 random bytes.
  core::DeviceIdentity identity{sync::newSpaceId(), sync::newSpaceSecret()};
  core::ActorId id = identity.id;
  sync::SpaceKeys keys;
  kj::Own<kj::AsyncIoStream> stream;
  capnp::TwoPartyClient client;
  sync::wire::Relay::Client relay;
};

}  // namespace ridealong::testing
