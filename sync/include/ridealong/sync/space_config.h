// The space a notebook belongs to, kept in `<data>/space.json` next to the
// LMDB store: space id, secret and relay address. The secret is a password:
// the file is written atomically and readable by the owner only (0600).
// Also the small `<data>/sync_state.json` the engine leaves behind so that
// `sync status` can answer without the network. Pure file I/O; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "ridealong/core/change.h"
#include "ridealong/platform/env.h"
#include "ridealong/platform/status.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/tls.h"

namespace ridealong::sync {

struct SpaceConfig {
  SpaceId space;
  SpaceSecret secret{};
  // HOST:PORT and how to trust it ("relay", "relayTrust", "relayKey");
  // a file from before TLS has no trust: kFirstUse.
  RelayEndpoint relay;
};

std::string spaceConfigPath(const std::string& dataDir);
// NotFound ("this notebook is not in a space; run `space create` or `space
// join`") when missing; Corruption naming the file and field when garbled.
Result<SpaceConfig> loadSpaceConfig(platform::Env& env, const std::string& dataDir);
Status saveSpaceConfig(platform::Env& env, const std::string& dataDir, const SpaceConfig& config);

// What the last successful sync saw; absent before the first one.
struct SyncState {
  int64_t lastSyncMs = 0;       // wall clock of the last time up to date
  core::VersionVector relayVv;  // the relay's vv at that moment
  std::string lastError;        // why the latest attempt failed; "" if it did not
};

std::string syncStatePath(const std::string& dataDir);
// A missing file is an empty state; a garbled one is Corruption.
Result<SyncState> loadSyncState(platform::Env& env, const std::string& dataDir);
Status saveSyncState(platform::Env& env, const std::string& dataDir, const SyncState& state);

}  // namespace ridealong::sync
