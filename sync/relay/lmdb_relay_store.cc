// RelayStore on LMDB. Named databases (keys binary, integers big-endian so
// they sort):
//   meta     "format"                  -> "3"
//   spaces   space                     -> auth public key (32)
//   devices  space ‖ device            -> device public key (32)
//   vv       space ‖ actor             -> last contiguous seq (8)
//   changes  space ‖ actor ‖ seq       -> digest (16) ‖ nonce (24) ‖ ciphertext
//   usage    space                     -> bytes (8) ‖ changes (8) ‖ devices (8)
//   tokens   BLAKE2b-256(token)        -> spaces left (8) ‖ expires ms (8) ‖ created ms (8)
// A digest of 16 zero bytes is unknown. Format 1 (no meta, changes values
// nonce ‖ ciphertext) and format 2 (no usage, no tokens) are migrated at
// open in one transaction, format 1's digests unknown. One write transaction per call; LMDB's default durable commit,
// so an acknowledged push survives kill -9 and power loss. The map doubles
// when full (safe: the relay's single thread holds no other transaction
// then). The files are mode 0600, the folder 0700.
#include <lmdb.h>
#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "relay/relay_store.h"

namespace ridealong::relay {
namespace {

class LmdbError : public std::runtime_error {
 public:
  LmdbError(int rc, const std::string& what) : std::runtime_error(what + ": " + mdb_strerror(rc)), rc(rc) {}
  int rc;
};

void check(int rc, const char* what) {
  if (rc != 0) throw LmdbError(rc, what);
}

MDB_val val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

std::string be64(uint64_t x) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(x >> (56 - 8 * i));
  return s;
}
uint64_t readBe64(std::string_view s) {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = (x << 8) | static_cast<uint8_t>(s[i]);
  return x;
}

constexpr size_t kDigest = sync::kDigestBytes;
constexpr std::string_view kFormat = "3";
const std::string kUnknownDigest(kDigest, '\0');

bool known(std::string_view digest) { return digest.size() == kDigest && digest != kUnknownDigest; }

// A stored changes value, split (views into LMDB's memory or the caller's).
struct Stored {
  std::string_view digest, nonce, ciphertext;
};
std::optional<Stored> split(std::string_view v) {
  if (v.size() < kDigest + sync::kNonceBytes) return std::nullopt;
  return Stored{v.substr(0, kDigest), v.substr(kDigest, sync::kNonceBytes), v.substr(kDigest + sync::kNonceBytes)};
}

// Aborts unless committed.
class Txn {
 public:
  Txn(MDB_env* env, bool readOnly) {
    int rc = mdb_txn_begin(env, nullptr, readOnly ? MDB_RDONLY : 0, &txn_);
    if (rc == MDB_MAP_RESIZED) {
      // Another process (the relay, or `token create`) grew the map: adopt it.
      check(mdb_env_set_mapsize(env, 0), "adopt map size");
      rc = mdb_txn_begin(env, nullptr, readOnly ? MDB_RDONLY : 0, &txn_);
    }
    check(rc, "begin transaction");
  }
  ~Txn() {
    if (txn_) mdb_txn_abort(txn_);
  }
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  void commit() {
    MDB_txn* t = txn_;
    txn_ = nullptr;
    check(mdb_txn_commit(t), "commit");
  }
  std::optional<std::string_view> get(MDB_dbi db, std::string_view key) {
    MDB_val k = val(key), v;
    int rc = mdb_get(txn_, db, &k, &v);
    if (rc == MDB_NOTFOUND) return std::nullopt;
    check(rc, "read");
    return view(v);
  }
  void put(MDB_dbi db, std::string_view key, std::string_view value) {
    MDB_val k = val(key), v = val(value);
    check(mdb_put(txn_, db, &k, &v, 0), "write");
  }
  MDB_txn* raw() { return txn_; }

 private:
  MDB_txn* txn_ = nullptr;
};

class LmdbRelayStore final : public RelayStore {
 public:
  ~LmdbRelayStore() override {
    if (env_) mdb_env_close(env_);
  }

  Status open(const std::string& dir, const RelayStoreOptions& options) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::ioError("cannot create " + dir + ": " + ec.message());
    try {
      check(mdb_env_create(&env_), "create environment");
      check(mdb_env_set_maxdbs(env_, 16), "set max dbs");
      check(mdb_env_set_mapsize(env_, options.initialMapBytes), "set map size");
      check(mdb_env_open(env_, dir.c_str(), 0, 0600), ("open " + dir).c_str());
    } catch (const LmdbError& e) {
      return toStatus(e);
    }
    // Stores made before the files were 0600 (and the folder 0700): sealed
    // changes and keys are nobody else's business on a shared machine.
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    for (const char* f : {"data.mdb", "lock.mdb"}) {
      std::filesystem::permissions(std::filesystem::path(dir) / f,
                                   std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::replace, ec);
    }
    size_t migrated = 0;
    std::string from;  // the format migrated from, if any
    auto r = write<bool>([&](Txn& t) -> Result<bool> {
      // A format 1 store has `changes` but no `meta`; a new one has neither.
      MDB_dbi probe;
      bool hadMeta = mdb_dbi_open(t.raw(), "meta", 0, &probe) == 0;
      bool hadChanges = mdb_dbi_open(t.raw(), "changes", 0, &probe) == 0;
      check(mdb_dbi_open(t.raw(), "meta", MDB_CREATE, &meta_), "open meta");
      check(mdb_dbi_open(t.raw(), "spaces", MDB_CREATE, &spaces_), "open spaces");
      check(mdb_dbi_open(t.raw(), "devices", MDB_CREATE, &devices_), "open devices");
      check(mdb_dbi_open(t.raw(), "vv", MDB_CREATE, &vv_), "open vv");
      check(mdb_dbi_open(t.raw(), "changes", MDB_CREATE, &changes_), "open changes");
      check(mdb_dbi_open(t.raw(), "usage", MDB_CREATE, &usage_), "open usage");
      check(mdb_dbi_open(t.raw(), "tokens", MDB_CREATE, &tokens_), "open tokens");
      if (hadMeta) {
        auto format = t.get(meta_, "format");
        if (format && *format == kFormat) return false;
        if (!format || *format != "2") {
          return Status::corruption("relay store format " + (format ? std::string(*format) : std::string("(none)")) +
                                    " is not one this relay reads (" + std::string(kFormat) + "); update the relay");
        }
        from = "2";
      } else if (hadChanges) {
        from = "1";
        migrated = migrateV1(t);
      }
      if (!from.empty()) countUsage(t);
      t.put(meta_, "format", kFormat);
      return true;
    });
    if (!r) return r.status();
    if (!from.empty() && options.log) {
      options.log("relay store " + dir + ": migrated format " + from + " to " + std::string(kFormat) +
                  (from == "1" ? " (" + std::to_string(migrated) + " changes, their digests unknown)"
                               : std::string(" (usage counted)")));
    }
    quota_ = options.quota;
    return Status::ok();
  }

  Result<bool> registerSpace(const SpaceId& space, const AuthPublicKey& key, const SignUp& signUp) override {
    std::string_view k(reinterpret_cast<const char*>(key.data()), key.size());
    return write<bool>([&](Txn& t) -> Result<bool> {
      if (auto held = t.get(spaces_, space.view())) {
        if (*held == k) return false;
        return Status::unauthorized("space " + space.str() + " is already registered with another key");
      }
      if (!signUp.open) {
        if (signUp.token.empty()) {
          return Status::unauthorized(
              "this relay needs a sign-up token to create a space; ask its operator for one "
              "(`ridealong-relay token create`) and pass it with --token");
        }
        std::string hash = tokenHash(signUp.token);
        auto held = t.get(tokens_, hash);
        if (!held || held->size() != 24) return Status::unauthorized("unknown sign-up token");
        uint64_t left = readBe64(held->substr(0, 8));
        int64_t expires = static_cast<int64_t>(readBe64(held->substr(8, 8)));
        if (expires != 0 && signUp.nowMs >= expires)
          return Status::unauthorized("this sign-up token has expired; ask the relay's operator for a new one");
        if (left == 0)
          return Status::unauthorized("this sign-up token is used up; ask the relay's operator for a new one");
        std::string rest(held->substr(8));
        t.put(tokens_, hash, be64(left - 1) + rest);
      }
      t.put(spaces_, space.view(), k);
      return true;
    });
  }

  Result<std::string> createToken(uint64_t spaces, int64_t expiresMs, int64_t nowMs) override {
    if (sodium_init() < 0) return Status::unavailable("libsodium cannot start");
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string token = "rdt-";
    for (unsigned char b : raw) {
      token.push_back(kHex[b >> 4]);
      token.push_back(kHex[b & 15]);
    }
    auto r = write<bool>([&](Txn& t) -> Result<bool> {
      t.put(tokens_, tokenHash(token),
            be64(spaces) + be64(static_cast<uint64_t>(expiresMs)) + be64(static_cast<uint64_t>(nowMs)));
      return true;
    });
    if (!r) return r.status();
    return token;
  }

  Result<std::vector<TokenInfo>> tokens() override {
    return read<std::vector<TokenInfo>>([&](Txn& t) -> Result<std::vector<TokenInfo>> {
      std::vector<TokenInfo> out;
      forEach(t, tokens_, "", [&](std::string_view key, std::string_view v) {
        if (v.size() != 24) return;
        TokenInfo info;
        static constexpr char kHex[] = "0123456789abcdef";
        for (size_t i = 0; i < 4 && i < key.size(); ++i) {
          info.id.push_back(kHex[static_cast<uint8_t>(key[i]) >> 4]);
          info.id.push_back(kHex[static_cast<uint8_t>(key[i]) & 15]);
        }
        info.spacesLeft = readBe64(v.substr(0, 8));
        info.expiresMs = static_cast<int64_t>(readBe64(v.substr(8, 8)));
        info.createdMs = static_cast<int64_t>(readBe64(v.substr(16, 8)));
        out.push_back(info);
      });
      return out;
    });
  }

  Result<SpaceUsage> usage(const SpaceId& space) override {
    return read<SpaceUsage>([&](Txn& t) -> Result<SpaceUsage> { return usageIn(t, space); });
  }

  Result<uint64_t> spaceCount() override {
    return read<uint64_t>([&](Txn& t) -> Result<uint64_t> {
      MDB_stat st;
      check(mdb_stat(t.raw(), spaces_, &st), "count spaces");
      return static_cast<uint64_t>(st.ms_entries);
    });
  }

  Result<uint64_t> sizeBytes() override {
    MDB_envinfo info;
    MDB_stat st;
    if (mdb_env_info(env_, &info) != 0 || mdb_env_stat(env_, &st) != 0)
      return Status::ioError("cannot read the store's size");
    return static_cast<uint64_t>(info.me_last_pgno + 1) * st.ms_psize;
  }

  Status verifyAll() override {
    auto r = read<bool>([&](Txn& t) -> Result<bool> {
      std::vector<std::string> problems;
      size_t count = 0;
      auto problem = [&](std::string what) {
        if (problems.size() < 20) problems.push_back(std::move(what));
        ++count;
      };
      std::map<std::string, SpaceUsage> counted;
      // Every change: a well-formed key and value, within its actor's vv.
      forEach(t, changes_, "", [&](std::string_view k, std::string_view v) {
        if (k.size() != 40) return problem("a change with a key of " + std::to_string(k.size()) + " bytes");
        auto space = core::Id16::fromBytes(k.data()), actor = core::Id16::fromBytes(k.data() + 16);
        uint64_t seq = readBe64(k.substr(32));
        if (!split(v))
          problem("change " + actor.str() + "/" + std::to_string(seq) + " of space " + space.str() + " is truncated");
        auto held = t.get(vv_, std::string(k.substr(0, 32)));
        if (!held || held->size() != 8 || readBe64(*held) < seq)
          problem("change " + actor.str() + "/" + std::to_string(seq) + " of space " + space.str() +
                  " is past its version vector");
        auto& u = counted[std::string(k.substr(0, 16))];
        u.bytes += v.size();
        ++u.changes;
      });
      // Every vv entry: all its changes present.
      forEach(t, vv_, "", [&](std::string_view k, std::string_view v) {
        if (k.size() != 32 || v.size() != 8) return problem("a damaged version vector entry");
        auto space = core::Id16::fromBytes(k.data()), actor = core::Id16::fromBytes(k.data() + 16);
        if (!t.get(spaces_, k.substr(0, 16))) problem("space " + space.str() + " has changes but is not registered");
        for (uint64_t seq = 1, held = readBe64(v); seq <= held; ++seq) {
          if (!t.get(changes_, std::string(k) + be64(seq))) {
            problem("change " + actor.str() + "/" + std::to_string(seq) + " of space " + space.str() + " is missing");
            break;
          }
        }
      });
      forEach(t, devices_, "", [&](std::string_view k, std::string_view v) {
        if (k.size() != 32 || v.size() != 32) return problem("a damaged device key entry");
        ++counted[std::string(k.substr(0, 16))].devices;
      });
      for (const auto& [space, want] : counted) {
        auto id = core::Id16::fromBytes(space.data());
        SpaceUsage got = usageIn(t, id);
        if (got.bytes != want.bytes || got.changes != want.changes || got.devices != want.devices)
          problem("space " + id.str() + ": usage counts " + std::to_string(got.changes) + " changes, " +
                  std::to_string(got.bytes) + " bytes, " + std::to_string(got.devices) + " devices; found " +
                  std::to_string(want.changes) + ", " + std::to_string(want.bytes) + ", " +
                  std::to_string(want.devices));
      }
      if (count == 0) return true;
      std::string text = std::to_string(count) + " problem(s): ";
      for (size_t i = 0; i < problems.size(); ++i) text += (i ? "; " : "") + problems[i];
      if (count > problems.size()) text += "; and " + std::to_string(count - problems.size()) + " more";
      return Status::corruption(text);
    });
    return r ? Status::ok() : r.status();
  }

  Result<AuthPublicKey> authKey(const SpaceId& space) override {
    return read<AuthPublicKey>([&](Txn& t) -> Result<AuthPublicKey> {
      auto held = t.get(spaces_, space.view());
      if (!held) return Status::notFound("space " + space.str() + " is not registered");
      if (held->size() != 32) return Status::corruption("bad auth key for space " + space.str());
      AuthPublicKey key;
      std::copy(held->begin(), held->end(), reinterpret_cast<char*>(key.data()));
      return key;
    });
  }

  Result<bool> enrolDevice(const SpaceId& space, const core::ActorId& device, const DevicePublicKey& key) override {
    std::string_view k(reinterpret_cast<const char*>(key.data()), key.size());
    return write<bool>([&](Txn& t) -> Result<bool> {
      std::string dk = deviceKeyOf(space, device);
      if (auto held = t.get(devices_, dk)) {
        if (*held == k) return false;
        return Status::unauthorized("device " + device.str() + " is already enrolled in space " + space.str() +
                                    " with another key");
      }
      SpaceUsage u = usageIn(t, space);
      if (u.devices >= quota_.maxDevices) {
        return Status::diskFull("space " + space.str() + " has " + std::to_string(u.devices) +
                                " devices enrolled, the relay's quota; ask its operator");
      }
      t.put(devices_, dk, k);
      ++u.devices;
      putUsage(t, space, u);
      return true;
    });
  }

  Result<DevicePublicKey> deviceKey(const SpaceId& space, const core::ActorId& device) override {
    return read<DevicePublicKey>([&](Txn& t) -> Result<DevicePublicKey> {
      auto held = t.get(devices_, deviceKeyOf(space, device));
      if (!held) {
        return Status::notFound("device " + device.str() + " is not enrolled in space " + space.str());
      }
      if (held->size() != 32) return Status::corruption("bad key for device " + device.str());
      DevicePublicKey key;
      std::copy(held->begin(), held->end(), reinterpret_cast<char*>(key.data()));
      return key;
    });
  }

  Result<core::VersionVector> versionVector(const SpaceId& space) override {
    return read<core::VersionVector>([&](Txn& t) { return vvIn(t, space); });
  }

  Result<HeldVector> heldVersions(const SpaceId& space) override {
    return read<HeldVector>([&](Txn& t) -> Result<HeldVector> {
      HeldVector held;
      for (const auto& [actor, seq] : vvIn(t, space)) {
        if (seq == 0) continue;
        held[actor] = {seq, digestIn(t, space, actor, seq)};
      }
      return held;
    });
  }

  Result<std::vector<std::string>> digestsAt(const SpaceId& space, const core::ActorId& actor,
                                             const std::vector<uint64_t>& seqs) override {
    return read<std::vector<std::string>>([&](Txn& t) -> Result<std::vector<std::string>> {
      std::vector<std::string> out;
      out.reserve(seqs.size());
      for (uint64_t seq : seqs) out.push_back(digestIn(t, space, actor, seq));
      return out;
    });
  }

  Result<PushResult> push(const SpaceId& space, const std::vector<SealedChange>& changes) override {
    std::vector<const SealedChange*> sorted;
    for (const auto& c : changes) sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(),
              [](auto* a, auto* b) { return std::tie(a->actor, a->seq) < std::tie(b->actor, b->seq); });
    return write<PushResult>([&](Txn& t) -> Result<PushResult> {
      PushResult r;
      SpaceUsage u = usageIn(t, space);
      // Only the pushed actors' entries: the work is proportional to the
      // push, not to every device the space ever had.
      for (const SealedChange* c : sorted) {
        if (!r.vv.count(c->actor)) {
          auto v = t.get(vv_, std::string(space.view()) + std::string(c->actor.view()));
          r.vv[c->actor] = v && v->size() == 8 ? readBe64(*v) : 0;
        }
        uint64_t& held = r.vv[c->actor];
        std::string key = changeKey(space, c->actor, c->seq);
        std::string what = "change " + std::to_string(c->seq) + " of device " + c->actor.str();
        if (c->seq <= held) {
          auto old = t.get(changes_, key);
          auto stored = old ? split(*old) : std::nullopt;
          if (!stored) return Status::corruption("relay store lost " + what);
          bool same = known(stored->digest) && known(c->digest)
                          ? stored->digest == c->digest
                          : stored->nonce == c->nonce && stored->ciphertext == c->ciphertext;
          if (same) {
            ++r.duplicates;
            continue;
          }
          return Status::corruption("equivocation: " + what +
                                    " differs from the one held here (another copy of that "
                                    "device's notebook, or a broken device); push refused");
        }
        if (c->seq != held + 1) {
          return Status::invalidArgument("gap: device " + c->actor.str() + " seq " + std::to_string(c->seq) +
                                         " but the relay holds up to " + std::to_string(held) + "; push refused");
        }
        if (c->seq > 1) {
          std::string before = digestIn(t, space, c->actor, c->seq - 1);
          if (!before.empty() && c->prev != before) {
            return Status::invalidArgument("fork: " + what + " does not follow change " + std::to_string(c->seq - 1) +
                                           " held here; another copy of that device's notebook pushed first");
          }
        }
        std::string value = known(c->digest) ? c->digest : kUnknownDigest;
        value += c->nonce;
        value += c->ciphertext;
        u.bytes += value.size();
        ++u.changes;
        if (u.bytes > quota_.maxBytes) {
          return Status::diskFull("space " + space.str() + " is over its storage quota on this relay (" +
                                  std::to_string(quota_.maxBytes >> 20) +
                                  " MiB); push refused, nothing "
                                  "stored; ask the relay's operator");
        }
        t.put(changes_, key, value);
        held = c->seq;
        t.put(vv_, std::string(space.view()) + std::string(c->actor.view()), be64(held));
        ++r.stored;
        r.storedIndexes.push_back(static_cast<size_t>(c - changes.data()));
      }
      std::erase_if(r.vv, [](const auto& e) { return e.second == 0; });
      std::sort(r.storedIndexes.begin(), r.storedIndexes.end());
      if (r.stored > 0) putUsage(t, space, u);
      return r;
    });
  }

  Result<PullPage> pull(const SpaceId& space, const core::VersionVector& since, size_t maxBytes) override {
    return read<PullPage>([&](Txn& t) -> Result<PullPage> {
      PullPage page;
      size_t bytes = 0;
      for (const auto& [actor, held] : vvIn(t, space)) {
        auto it = since.find(actor);
        uint64_t from = it == since.end() ? 1 : it->second + 1;
        for (uint64_t seq = from; seq <= held; ++seq) {
          if (!page.changes.empty() && bytes >= maxBytes) {
            page.more = true;
            return page;
          }
          auto v = t.get(changes_, changeKey(space, actor, seq));
          auto stored = v ? split(*v) : std::nullopt;
          if (!stored) {
            return Status::corruption("relay store lost change " + actor.str() + "/" + std::to_string(seq));
          }
          SealedChange c;
          c.actor = actor;
          c.seq = seq;
          if (known(stored->digest)) c.digest.assign(stored->digest);
          c.nonce.assign(stored->nonce);
          c.ciphertext.assign(stored->ciphertext);
          bytes += pagedSize(c);
          page.changes.push_back(std::move(c));
        }
      }
      return page;
    });
  }

 private:
  static Status toStatus(const LmdbError& e) {
    if (e.rc == MDB_MAP_FULL || e.rc == ENOSPC) return Status::diskFull(e.what());
    if (e.rc == MDB_CORRUPTED || e.rc == MDB_INVALID) return Status::corruption(e.what());
    return Status::ioError(e.what());
  }

  static std::string changeKey(const SpaceId& space, const core::ActorId& actor, uint64_t seq) {
    return std::string(space.view()) + std::string(actor.view()) + be64(seq);
  }

  static std::string deviceKeyOf(const SpaceId& space, const core::ActorId& device) {
    return std::string(space.view()) + std::string(device.view());
  }

  static std::string tokenHash(std::string_view token) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    return std::string(reinterpret_cast<const char*>(h), sizeof h);
  }

  SpaceUsage usageIn(Txn& t, const SpaceId& space) {
    SpaceUsage u;
    auto v = t.get(usage_, space.view());
    if (v && v->size() == 24) {
      u.bytes = readBe64(v->substr(0, 8));
      u.changes = readBe64(v->substr(8, 8));
      u.devices = readBe64(v->substr(16, 8));
    }
    return u;
  }
  void putUsage(Txn& t, const SpaceId& space, const SpaceUsage& u) {
    t.put(usage_, space.view(), be64(u.bytes) + be64(u.changes) + be64(u.devices));
  }

  // Calls f(key, value) for every entry of `db` whose key starts with prefix.
  template <typename F>
  void forEach(Txn& t, MDB_dbi db, std::string_view prefix, F&& f) {
    MDB_cursor* cur = nullptr;
    check(mdb_cursor_open(t.raw(), db, &cur), "open cursor");
    struct Closer {
      MDB_cursor* c;
      ~Closer() { mdb_cursor_close(c); }
    } closer{cur};
    MDB_val k = val(prefix), v;
    int rc = mdb_cursor_get(cur, &k, &v, prefix.empty() ? MDB_FIRST : MDB_SET_RANGE);
    while (rc == 0 && view(k).substr(0, prefix.size()) == prefix) {
      f(view(k), view(v));
      rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (rc != 0 && rc != MDB_NOTFOUND) check(rc, "scan");
  }

  // Format 2 -> 3: usage counted from what is stored.
  void countUsage(Txn& t) {
    std::map<std::string, SpaceUsage> counted;
    forEach(t, changes_, "", [&](std::string_view k, std::string_view v) {
      if (k.size() < 16) return;
      auto& u = counted[std::string(k.substr(0, 16))];
      u.bytes += v.size();
      ++u.changes;
    });
    forEach(t, devices_, "", [&](std::string_view k, std::string_view) {
      if (k.size() >= 16) ++counted[std::string(k.substr(0, 16))].devices;
    });
    for (const auto& [space, u] : counted) putUsage(t, core::Id16::fromBytes(space.data()), u);
  }

  // The stored digest of one change; empty when not held or unknown.
  std::string digestIn(Txn& t, const SpaceId& space, const core::ActorId& actor, uint64_t seq) {
    if (seq == 0) return {};
    auto v = t.get(changes_, changeKey(space, actor, seq));
    auto stored = v ? split(*v) : std::nullopt;
    if (!stored || !known(stored->digest)) return {};
    return std::string(stored->digest);
  }

  // Format 1 -> 2: each changes value nonce ‖ ciphertext becomes
  // unknown digest ‖ nonce ‖ ciphertext. Returns how many were rewritten.
  size_t migrateV1(Txn& t) {
    size_t n = 0;
    MDB_cursor* cur = nullptr;
    check(mdb_cursor_open(t.raw(), changes_, &cur), "open cursor");
    struct Closer {
      MDB_cursor* c;
      ~Closer() { mdb_cursor_close(c); }
    } closer{cur};
    MDB_val k, v;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (rc == 0) {
      // Copies: the put below may move the page these point into.
      std::string key(view(k));
      std::string value = kUnknownDigest + std::string(view(v));
      MDB_val nk = val(key), nv = val(value);
      check(mdb_cursor_put(cur, &nk, &nv, MDB_CURRENT), "migrate change");
      ++n;
      rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (rc != MDB_NOTFOUND) check(rc, "migrate changes");
    return n;
  }

  core::VersionVector vvIn(Txn& t, const SpaceId& space) {
    core::VersionVector vv;
    MDB_cursor* cur = nullptr;
    check(mdb_cursor_open(t.raw(), vv_, &cur), "open cursor");
    MDB_val k = val(space.view()), v;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    while (rc == 0 && k.mv_size == 32 && view(k).substr(0, 16) == space.view()) {
      vv[core::Id16::fromBytes(view(k).data() + 16)] = readBe64(view(v));
      rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    if (rc != 0 && rc != MDB_NOTFOUND) check(rc, "scan version vector");
    return vv;
  }

  template <typename T, typename F>
  Result<T> read(F&& f) {
    try {
      Txn t(env_, true);
      return f(t);
    } catch (const LmdbError& e) {
      return toStatus(e);
    }
  }

  // Runs f in a write transaction, committing only when it succeeds; grows
  // the map and retries when LMDB reports it full.
  template <typename T, typename F>
  Result<T> write(F&& f) {
    for (int attempt = 0;; ++attempt) {
      try {
        Txn t(env_, false);
        Result<T> r = f(t);
        if (r) t.commit();
        return r;
      } catch (const LmdbError& e) {
        if (e.rc != MDB_MAP_FULL || attempt >= 8) return toStatus(e);
        MDB_envinfo info;
        if (int rc = mdb_env_info(env_, &info)) return toStatus(LmdbError(rc, "read map size"));
        int rc = mdb_env_set_mapsize(env_, info.me_mapsize * 2);
        if (rc != 0) return toStatus(LmdbError(rc, "grow map"));
      }
    }
  }

  MDB_env* env_ = nullptr;
  MDB_dbi meta_ = 0, spaces_ = 0, devices_ = 0, vv_ = 0, changes_ = 0, usage_ = 0, tokens_ = 0;
  SpaceQuota quota_;
};

}  // namespace

Result<std::unique_ptr<RelayStore>> RelayStore::openLmdb(const std::string& dir, const RelayStoreOptions& options) {
  auto store = std::make_unique<LmdbRelayStore>();
  Status st = store->open(dir, options);
  if (!st) return st.withContext("relay store");
  return std::unique_ptr<RelayStore>(std::move(store));
}

}  // namespace ridealong::relay
