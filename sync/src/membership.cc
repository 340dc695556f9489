#include "ridealong/sync/membership.h"

#include "ridealong/sync/engine.h"
#include "ridealong/sync/invite.h"

namespace ridealong::sync {

namespace {

Result<std::string> inviteCode(const SpaceConfig& c) {
  return formatInvite(Invite{c.space, c.secret, c.relay});
}

Status checkNotInOtherSpace(platform::Env& env, const std::string& dataDir, const SpaceId* joining) {
  auto existing = loadSpaceConfig(env, dataDir);
  if (!existing) return existing.status().isNotFound() ? Status::ok() : existing.status();
  if (joining && existing->space == *joining) return Status::ok();
  return Status::invalidArgument("this notebook is already in space " + existing->space.str() +
                                 " (see " + spaceConfigPath(dataDir) + ")");
}

}  // namespace

Result<Membership> createSpace(platform::Env& env, const std::string& dataDir,
                               const std::string& relay, uint32_t timeoutMs) {
  RIDEALONG_RETURN_IF_ERROR(checkNotInOtherSpace(env, dataDir, nullptr));
  SpaceConfig config{newSpaceId(), newSpaceSecret(), relay};
  auto code = inviteCode(config);
  if (!code) return code.status().withContext("relay address");
  RIDEALONG_RETURN_IF_ERROR(
      registerSpaceOnRelay(relay, SpaceKeys::derive(config.space, config.secret), timeoutMs));
  RIDEALONG_RETURN_IF_ERROR(saveSpaceConfig(env, dataDir, config));
  return Membership{config, *code};
}

Result<Membership> joinSpace(platform::Env& env, const std::string& dataDir, const std::string& text) {
  auto invite = parseInvite(text);
  if (!invite) return Status::invalidArgument("invalid invite code: " + invite.status().message());
  RIDEALONG_RETURN_IF_ERROR(checkNotInOtherSpace(env, dataDir, &invite->space));
  SpaceConfig config{invite->space, invite->secret, invite->relay};
  RIDEALONG_RETURN_IF_ERROR(saveSpaceConfig(env, dataDir, config));
  auto code = inviteCode(config);
  if (!code) return code.status();
  return Membership{config, *code};
}

Result<Membership> currentMembership(platform::Env& env, const std::string& dataDir) {
  auto config = loadSpaceConfig(env, dataDir);
  if (!config) return config.status();
  auto code = inviteCode(*config);
  if (!code) return code.status();
  return Membership{*config, *code};
}

}  // namespace ridealong::sync
