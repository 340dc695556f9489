#include "ridealong/sync/membership.h"

#include "ridealong/sync/engine.h"
#include "ridealong/sync/invite.h"

namespace ridealong::sync {

namespace {

Result<std::string> inviteCode(const SpaceConfig& c) { return formatInvite(Invite{c.space, c.secret, c.relay}); }

Status checkNotInOtherSpace(platform::Env& env, const std::string& dataDir, const SpaceId* joining) {
  auto existing = loadSpaceConfig(env, dataDir);
  if (!existing) return existing.status().isNotFound() ? Status::ok() : existing.status();
  if (joining && existing->space == *joining) return Status::ok();
  return Status::invalidArgument("this notebook is already in space " + existing->space.str() + " (see " +
                                 spaceConfigPath(dataDir) + ")");
}

}  // namespace

Result<Membership> createSpace(platform::Env& env, const std::string& dataDir, const RelayEndpoint& relay,
                               const std::string& token, uint32_t timeoutMs) {
  RIDEALONG_RETURN_IF_ERROR(checkNotInOtherSpace(env, dataDir, nullptr));
  if (relay.address.empty() || relay.address.size() > 255)
    return Status::invalidArgument("relay address must be HOST:PORT, 1 to 255 bytes");
  SpaceConfig config{newSpaceId(), newSpaceSecret(), relay};
  auto pin = registerSpaceOnRelay(relay, SpaceKeys::derive(config.space, config.secret), token, timeoutMs);
  if (!pin) return pin.status();
  if (config.relay.trust == RelayTrust::kFirstUse) {
    config.relay.trust = RelayTrust::kPinned;
    config.relay.pin = *pin;
  }
  auto code = inviteCode(config);
  if (!code) return code.status().withContext("relay address");
  RIDEALONG_RETURN_IF_ERROR(saveSpaceConfig(env, dataDir, config));
  return Membership{config, *code};
}

Result<SpaceConfig> pinRelayOnFirstUse(platform::Env& env, const std::string& dataDir, SpaceConfig config,
                                       bool* learned, uint32_t timeoutMs) {
  if (learned) *learned = false;
  if (config.relay.trust != RelayTrust::kFirstUse) return config;
  auto pin = probeRelayKey(config.relay, timeoutMs);
  if (!pin) return pin.status();
  config.relay.trust = RelayTrust::kPinned;
  config.relay.pin = *pin;
  RIDEALONG_RETURN_IF_ERROR(saveSpaceConfig(env, dataDir, config));
  if (learned) *learned = true;
  return config;
}

Result<Membership> joinSpace(platform::Env& env, const std::string& dataDir, const std::string& text) {
  auto invite = parseInvite(text);
  if (!invite) return Status::invalidArgument("invalid invite code: " + invite.status().message());
  RIDEALONG_RETURN_IF_ERROR(checkNotInOtherSpace(env, dataDir, &invite->space));
  SpaceConfig config{invite->space, invite->secret, invite->relay};
  RIDEALONG_RETURN_IF_ERROR(saveSpaceConfig(env, dataDir, config));
  // A code from before TLS has no key yet: no code to pass on until a sync pins it.
  auto code = inviteCode(config);
  return Membership{config, code ? *code : std::string()};
}

Result<Membership> currentMembership(platform::Env& env, const std::string& dataDir) {
  auto config = loadSpaceConfig(env, dataDir);
  if (!config) return config.status();
  auto code = inviteCode(*config);  // kFirstUse: "run sync once" first
  if (!code) return code.status();
  return Membership{*config, *code};
}

}  // namespace ridealong::sync
