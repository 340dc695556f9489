// Client-side steps of the relay handshake, as kj promises for use on a kj
// event loop thread: register a space and open an authenticated SyncSession.
// Failures (refused registration, version mismatch, bad signature, a broken
// connection) reject the promise with a kj::Exception whose description says
// what went wrong; callers on the engine thread convert it to a Status.
#pragma once

#include <kj/async.h>

#include "ridealong/core/ids.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/sync.capnp.h"

namespace ridealong::sync {

// Registers the space's auth public key (idempotent for the same key).
kj::Promise<void> registerSpace(wire::Relay::Client relay, const SpaceKeys& keys);

// hello + auth. `protocolVersion` is only overridden by tests.
kj::Promise<wire::SyncSession::Client> openSession(
    wire::Relay::Client relay, const SpaceKeys& keys, const core::ActorId& device,
    uint32_t protocolVersion = wire::PROTOCOL_VERSION);

}  // namespace ridealong::sync
