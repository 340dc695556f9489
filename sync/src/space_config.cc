// space.json and sync_state.json: small JSON files in the data directory.
#include "ridealong/sync/space_config.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "ridealong/core/change_stream.h"

namespace ridealong::sync {

namespace {

using nlohmann::json;

std::string toHex(const uint8_t* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

bool fromHex(const std::string& hex, uint8_t* out, size_t n) {
  size_t len = 0;
  return hex.size() == n * 2 && sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

std::string joinPath(const std::string& dir, const char* name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace

std::string spaceConfigPath(const std::string& dataDir) { return joinPath(dataDir, "space.json"); }
std::string syncStatePath(const std::string& dataDir) { return joinPath(dataDir, "sync_state.json"); }

Result<SpaceConfig> loadSpaceConfig(platform::Env& env, const std::string& dataDir) {
  std::string path = spaceConfigPath(dataDir);
  if (!env.fs().exists(path))
    return Status::notFound("this notebook (" + dataDir +
                            ") is not in a space yet; run `space create --relay HOST:PORT` or "
                            "`space join CODE`");
  auto text = env.fs().readFile(path);
  if (!text) return text.status();
  auto garbled = [&](const std::string& what) {
    return Status::corruption(path + " is damaged (" + what + "); run `space join CODE` again to rewrite it");
  };
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return garbled("not a JSON object");
  SpaceConfig c;
  if (!j.contains("space") || !j["space"].is_string()) return garbled("no \"space\"");
  auto id = core::Id16::parse(j["space"].get<std::string>());
  if (!id) return garbled("bad \"space\" id");
  c.space = *id;
  if (!j.contains("secret") || !j["secret"].is_string() ||
      !fromHex(j["secret"].get<std::string>(), c.secret.data(), c.secret.size()))
    return garbled("bad \"secret\"");
  if (!j.contains("relay") || !j["relay"].is_string() || j["relay"].get<std::string>().empty())
    return garbled("no \"relay\" address");
  c.relay.address = j["relay"].get<std::string>();
  std::string trust = "first-use";
  if (j.contains("relayTrust")) {
    if (!j["relayTrust"].is_string()) return garbled("bad \"relayTrust\"");
    trust = j["relayTrust"].get<std::string>();
  }
  if (trust == "pinned") {
    c.relay.trust = RelayTrust::kPinned;
    auto pin = j.contains("relayKey") && j["relayKey"].is_string() ? parsePin(j["relayKey"].get<std::string>())
                                                                   : Result<KeyPin>(Status::invalidArgument("missing"));
    if (!pin) return garbled("bad \"relayKey\"");
    c.relay.pin = *pin;
  } else if (trust == "system") {
    c.relay.trust = RelayTrust::kSystemCa;
  } else if (trust == "first-use") {
    c.relay.trust = RelayTrust::kFirstUse;
  } else {
    return garbled("unknown \"relayTrust\"");
  }
  return c;
}

Status saveSpaceConfig(platform::Env& env, const std::string& dataDir, const SpaceConfig& config) {
  json j = {{"space", config.space.str()},
            {"secret", toHex(config.secret.data(), config.secret.size())},
            {"relay", config.relay.address}};
  switch (config.relay.trust) {
    case RelayTrust::kPinned:
      j["relayTrust"] = "pinned";
      j["relayKey"] = formatPin(config.relay.pin);
      break;
    case RelayTrust::kSystemCa: j["relayTrust"] = "system"; break;
    case RelayTrust::kFirstUse: j["relayTrust"] = "first-use"; break;
  }
  // writeFileAtomic creates the file 0600: the secret stays the owner's.
  return env.fs().writeFileAtomic(spaceConfigPath(dataDir), j.dump(2) + "\n");
}

Result<SyncState> loadSyncState(platform::Env& env, const std::string& dataDir) {
  std::string path = syncStatePath(dataDir);
  SyncState s;
  if (!env.fs().exists(path)) return s;
  auto text = env.fs().readFile(path);
  if (!text) return text.status();
  json j = json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("lastSyncMs") || !j["lastSyncMs"].is_number_integer() || !j.contains("relayVv"))
    return Status::corruption(path + " is damaged; delete it (the next sync rewrites it)");
  s.lastSyncMs = j["lastSyncMs"].get<int64_t>();
  auto vv = core::versionVectorFromJson(j["relayVv"].dump());
  if (!vv) return vv.status().withContext(path);
  s.relayVv = std::move(*vv);
  if (j.contains("lastError") && j["lastError"].is_string()) s.lastError = j["lastError"];
  return s;
}

Status saveSyncState(platform::Env& env, const std::string& dataDir, const SyncState& state) {
  json j = {{"lastSyncMs", state.lastSyncMs},
            {"relayVv", json::parse(core::versionVectorToJson(state.relayVv))},
            {"lastError", state.lastError}};
  return env.fs().writeFileAtomic(syncStatePath(dataDir), j.dump(2) + "\n");
}

}  // namespace ridealong::sync
