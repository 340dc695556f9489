#include "identity.h"

#include <nlohmann/json.hpp>

namespace ridealong::core::detail {

namespace {

constexpr std::string_view kDevice = "device", kSecret = "device.secret", kRetired = "retired/", kHome = "home";

std::string hex(const uint8_t* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; i++) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

bool unhex(std::string_view s, uint8_t* out, size_t n) {
  if (s.size() != 2 * n) return false;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < n; i++) {
    int hi = nib(s[2 * i]), lo = nib(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::string retiredKey(const ActorId& id) { return std::string(kRetired) + std::string(id.view()); }

}  // namespace

std::optional<DeviceIdentity> readIdentity(const Txn& txn, const Dbs& dbs) {
  auto id = txn.get(dbs.meta, kDevice);
  auto secret = txn.get(dbs.meta, kSecret);
  if (!id || !secret) return std::nullopt;
  if (id->size() != 16 || secret->size() != 32)
    throw LmdbError(MDB_CORRUPTED, "the device identity in the store is damaged");
  DeviceIdentity d;
  d.id = Id16::fromBytes(id->data());
  std::memcpy(d.secret.data(), secret->data(), 32);
  return d;
}

DeviceIdentity requireIdentity(const Txn& txn, const Dbs& dbs) {
  auto d = readIdentity(txn, dbs);
  if (!d) throw LmdbError(MDB_CORRUPTED, "the store holds no device identity");
  return *d;
}

void writeIdentity(Txn& txn, const Dbs& dbs, const DeviceIdentity& d) {
  txn.put(dbs.meta, kDevice, d.id.view());
  txn.put(dbs.meta, kSecret, std::string_view(reinterpret_cast<const char*>(d.secret.data()), 32));
}

DeviceIdentity newIdentity(platform::Env& env) {
  DeviceIdentity d;
  env.randomBytes(d.id.bytes.data(), 16);
  env.randomBytes(d.secret.data(), 32);
  return d;
}

std::vector<RetiredDevice> readRetired(const Txn& txn, const Dbs& dbs) {
  std::vector<RetiredDevice> out;
  Cursor c(txn, dbs.meta);
  for (bool ok = c.seek(kRetired); ok && c.key().substr(0, kRetired.size()) == kRetired; ok = c.next()) {
    if (c.key().size() != kRetired.size() + 16) continue;
    auto j = nlohmann::json::parse(c.value(), nullptr, false);
    if (!j.is_object()) throw LmdbError(MDB_CORRUPTED, "a retired device entry in the store is damaged");
    RetiredDevice r;
    r.identity.id = Id16::fromBytes(c.key().data() + kRetired.size());
    auto successor = Id16::parse(j.value("successor", ""));
    if (!successor || !unhex(j.value("secret", ""), r.identity.secret.data(), 32))
      throw LmdbError(MDB_CORRUPTED, "a retired device entry in the store is damaged");
    r.successor = *successor;
    r.retiredMs = j.value("at", int64_t{0});
    r.reason = j.value("reason", "");
    r.keptUpTo = j.value("keptUpTo", uint64_t{0});
    r.reissued = j.value("reissued", uint64_t{0});
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.retiredMs < b.retiredMs; });
  return out;
}

void writeRetired(Txn& txn, const Dbs& dbs, const RetiredDevice& r) {
  nlohmann::json j = {{"secret", hex(r.identity.secret.data(), 32)},
                      {"successor", r.successor.str()},
                      {"at", r.retiredMs},
                      {"reason", r.reason},
                      {"keptUpTo", r.keptUpTo},
                      {"reissued", r.reissued}};
  txn.put(dbs.meta, retiredKey(r.identity.id), j.dump());
}

bool isOwnId(const Txn& txn, const Dbs& dbs, const ActorId& id) {
  auto cur = txn.get(dbs.meta, kDevice);
  if (cur && *cur == id.view()) return true;
  return txn.get(dbs.meta, retiredKey(id)).has_value();
}

std::optional<std::string> readHome(const Txn& txn, const Dbs& dbs) {
  auto h = txn.get(dbs.meta, kHome);
  if (!h) return std::nullopt;
  return std::string(*h);
}

void writeHome(Txn& txn, const Dbs& dbs, const std::string& home) { txn.put(dbs.meta, kHome, home); }

}  // namespace ridealong::core::detail
