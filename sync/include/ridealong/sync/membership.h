// Joining a notebook to a space: `space create` (new space registered on a
// relay) and `space join` (from an invite code), shared by the CLI and the
// desktop app. Both refuse to replace the membership of a notebook already in
// another space, whose secret would otherwise be lost. Blocking (create talks
// to the relay, bounded by a timeout); call from a worker thread in a GUI.
#pragma once

#include <string>

#include "ridealong/platform/env.h"
#include "ridealong/platform/status.h"
#include "ridealong/sync/space_config.h"

namespace ridealong::sync {

struct Membership {
  SpaceConfig config;
  std::string inviteCode;  // a password: carries the secret
};

// A new space on `relay` (HOST:PORT): registers its auth public key there,
// then writes <dataDir>/space.json.
Result<Membership> createSpace(platform::Env& env, const std::string& dataDir,
                               const std::string& relay, uint32_t timeoutMs = 5000);

// Writes <dataDir>/space.json from an invite code; no network.
Result<Membership> joinSpace(platform::Env& env, const std::string& dataDir, const std::string& code);

// The current membership and its invite code; NotFound when not in a space.
Result<Membership> currentMembership(platform::Env& env, const std::string& dataDir);

}  // namespace ridealong::sync
