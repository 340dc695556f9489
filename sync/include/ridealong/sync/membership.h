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

// A new space on `relay`: registers its auth public key there with the
// sign-up `token` ("" on a relay with open sign-up), then writes
// <dataDir>/space.json. A kFirstUse relay is pinned to the key it
// presented (Membership.config.relay says which).
Result<Membership> createSpace(platform::Env& env, const std::string& dataDir, const RelayEndpoint& relay,
                               const std::string& token = {}, uint32_t timeoutMs = 5000);

// A space set up before relays spoke TLS (kFirstUse): connects once, pins
// the key the relay presents and saves it. `learned` says whether it did
// (for a note to the user). Other configs are returned as they are.
Result<SpaceConfig> pinRelayOnFirstUse(platform::Env& env, const std::string& dataDir, SpaceConfig config,
                                       bool* learned = nullptr, uint32_t timeoutMs = 5000);

// Writes <dataDir>/space.json from an invite code; no network.
Result<Membership> joinSpace(platform::Env& env, const std::string& dataDir, const std::string& code);

// The current membership and its invite code; NotFound when not in a space.
Result<Membership> currentMembership(platform::Env& env, const std::string& dataDir);

}  // namespace ridealong::sync
