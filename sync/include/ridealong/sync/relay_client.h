// Client-side pieces of the relay protocol, for use on a kj event loop
// thread: a connection with its RPC system, and the handshake steps as kj
// promises (register a space, enrol a device, open an authenticated
// SyncSession, ask for stored digests).
// Failures (refused registration, version mismatch, bad signature, a broken
// connection) reject the promise with a kj::Exception whose description says
// what went wrong; callers on the engine thread convert it to a Status.
#pragma once

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/async.h>

#include <string>
#include <vector>

#include "ridealong/core/ids.h"
#include "ridealong/core/notebook.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/sync.capnp.h"
#include "ridealong/sync/tls.h"

namespace ridealong::sync {

// One connection to a relay with its two-party RPC system: what
// capnp::TwoPartyClient does, plus ReaderOptions limits on what the relay
// may send. Members are destroyed in reverse order (RPC before stream).
struct RelayLink {
  RelayLink(Channel channel, capnp::ReaderOptions options);
  kj::Own<kj::AsyncIoStream> stream;
  std::string binding;  // the TLS channel binding auth signs (tls.h)
  capnp::TwoPartyVatNetwork network;
  capnp::RpcSystem<capnp::rpc::twoparty::VatId> rpc;
  wire::Relay::Client relay = nullptr;  // the connection's bootstrap capability
};

// Registers the space's auth public key (idempotent for the same key) with
// a sign-up token ("" on a relay with open sign-up, or to re-register).
kj::Promise<void> registerSpace(wire::Relay::Client relay, const SpaceKeys& keys, const std::string& token = {});

// Enrols `deviceKey` for `device` in the keys' space, signed with the space
// auth key (idempotent for the same key; refused for another key once the
// device is enrolled). Allowed before auth.
kj::Promise<void> enrolDevice(wire::Relay::Client relay, const SpaceKeys& keys, const core::ActorId& device,
                              const DevicePublicKey& deviceKey);

// hello; when the relay answers that this device is not enrolled, enrol
// (signed with the space key) and, pipelined right after it on the same
// capability, auth (the challenge signed with the device key, seeded by
// device.secret, over the connection's channel `binding`); else auth
// alone. An enrol refusal is the error reported. `binding` is empty only
// on an in-process plaintext pipe; `protocolVersion` is only overridden by
// tests.
kj::Promise<wire::SyncSession::Client> openSession(wire::Relay::Client relay, const SpaceKeys& keys,
                                                   const core::DeviceIdentity& device, std::string binding = {},
                                                   uint32_t protocolVersion = wire::PROTOCOL_VERSION);

// SyncSession.digests for any number of seqs (sent as calls of at most
// WireLimits::maxDigestsPerCall seqs, all at once): one string per seq, in
// order, kDigestBytes or empty when the relay does not hold that change or
// does not know its digest. A reply of the wrong shape rejects the promise.
kj::Promise<std::vector<std::string>> fetchDigests(wire::SyncSession::Client session, const core::ActorId& actor,
                                                   std::vector<uint64_t> seqs);

}  // namespace ridealong::sync
