// A device talking to a real ridealong-relay process over loopback TLS, on
// the calling thread's kj event loop (kj::setupAsyncIo). For the
// relay-process tests; single-threaded.
#pragma once

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include "relay_endpoint.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"

namespace ridealong::testing {

struct TcpDevice {
  TcpDevice(kj::AsyncIoContext& io, const RelayProcess& process, const sync::SpaceKeys& keys)
      : TcpDevice(sync::connectRelay(io.provider->getNetwork(), endpointOf(process)).wait(io.waitScope), keys) {}
  TcpDevice(sync::Channel channel, const sync::SpaceKeys& keys)
      : keys(keys),
        binding(std::move(channel.binding)),
        stream(kj::mv(channel.stream)),
        client(*stream),
        relay(client.bootstrap().castAs<sync::wire::Relay>()) {}
  // A device id and its device secret: 16 and 32 random bytes.
  core::DeviceIdentity identity{sync::newSpaceId(), sync::newSpaceSecret()};
  core::ActorId id = identity.id;
  sync::SpaceKeys keys;
  std::string binding;  // what auth signs (openSession's binding)
  kj::Own<kj::AsyncIoStream> stream;
  capnp::TwoPartyClient client;
  sync::wire::Relay::Client relay;
};

}  // namespace ridealong::testing
