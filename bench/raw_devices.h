// Many relay connections from one kj event loop, for the fan-out and idle
// benchmarks: each RawDevice is a TLS connection with its own two-party RPC
// system, an authenticated session and a live subscription that checks
// every delivered change arrives once and in order per author. No notebook
// and no engine thread: thousands of them fit in one process.
// Single-threaded: everything runs on the loop that made it.
#pragma once

#include <kj/async-io.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/space.h"

namespace ridealong::bench {

struct RawDevice {
  size_t space = 0;  // index into the caller's spaces
  core::ActorId id;
  sync::DeviceSecret secret{};             // seeds its device key (enrolled on connect)
  uint64_t received = 0;                   // changes delivered live
  uint64_t outOfOrder = 0;                 // a gap or a repeat per author
  std::map<core::ActorId, uint64_t> seen;  // author -> last seq delivered

  kj::Own<sync::RelayLink> link;
  sync::wire::SyncSession::Client session = nullptr;
  sync::wire::Handle::Client handle = nullptr;
};

// Connects, authenticates and subscribes every device, at most `inFlight`
// handshakes at once (a burst of thousands would overflow the listen queue).
void connectAll(kj::AsyncIoContext& io, const sync::RelayEndpoint& relay, const std::vector<sync::SpaceKeys>& spaces,
                std::vector<std::unique_ptr<RawDevice>>& devices, size_t inFlight = 200);

// Registers each space on the relay over a short-lived connection.
void registerAll(kj::AsyncIoContext& io, const sync::RelayEndpoint& relay, const std::vector<sync::SpaceKeys>& spaces);

}  // namespace ridealong::bench
