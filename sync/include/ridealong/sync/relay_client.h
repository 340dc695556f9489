// Client-side pieces of the relay protocol, for use on a kj event loop
// thread: a connection with its RPC system, and the handshake steps as kj
// promises (register a space, open an authenticated SyncSession).
// Failures (refused registration, version mismatch, bad signature, a broken
// connection) reject the promise with a kj::Exception whose description says
// what went wrong; callers on the engine thread convert it to a Status.
#pragma once

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/async.h>

#include "ridealong/core/ids.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/sync.capnp.h"

namespace ridealong::sync {

// One connection to a relay with its two-party RPC system: what
// capnp::TwoPartyClient does, plus ReaderOptions limits on what the relay
// may send. Members are destroyed in reverse order (RPC before stream).
struct RelayLink {
  RelayLink(kj::Own<kj::AsyncIoStream> stream, capnp::ReaderOptions options);
  kj::Own<kj::AsyncIoStream> stream;
  capnp::TwoPartyVatNetwork network;
  capnp::RpcSystem<capnp::rpc::twoparty::VatId> rpc;
  wire::Relay::Client relay = nullptr;  // the connection's bootstrap capability
};

// Registers the space's auth public key (idempotent for the same key).
kj::Promise<void> registerSpace(wire::Relay::Client relay, const SpaceKeys& keys);

// hello + auth. `protocolVersion` is only overridden by tests.
kj::Promise<wire::SyncSession::Client> openSession(
    wire::Relay::Client relay, const SpaceKeys& keys, const core::ActorId& device,
    uint32_t protocolVersion = wire::PROTOCOL_VERSION);

}  // namespace ridealong::sync
