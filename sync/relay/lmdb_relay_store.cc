// RelayStore on LMDB. Named databases (keys binary, integers big-endian so
// they sort):
//   meta     "format"                  -> "2"
//   spaces   space                     -> auth public key (32)
//   devices  space ‖ device            -> device public key (32)
//   vv       space ‖ actor             -> last contiguous seq (8)
//   changes  space ‖ actor ‖ seq       -> digest (16) ‖ nonce (24) ‖ ciphertext
// A digest of 16 zero bytes is unknown. Format 1 (no meta, changes values
// nonce ‖ ciphertext) is migrated at open in one transaction, its digests
// unknown. One write transaction per call; LMDB's default durable commit,
// so an acknowledged push survives kill -9 and power loss. The map doubles
// when full (safe: the relay's single thread holds no other transaction
// then). The files are mode 0600, the folder 0700.
#include <lmdb.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
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
  LmdbError(int rc, const std::string& what)
      : std::runtime_error(what + ": " + mdb_strerror(rc)), rc(rc) {}
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
constexpr std::string_view kFormat = "2";
const std::string kUnknownDigest(kDigest, '\0');

bool known(std::string_view digest) {
  return digest.size() == kDigest && digest != kUnknownDigest;
}

// A stored changes value, split (views into LMDB's memory or the caller's).
struct Stored {
  std::string_view digest, nonce, ciphertext;
};
std::optional<Stored> split(std::string_view v) {
  if (v.size() < kDigest + sync::kNonceBytes) return std::nullopt;
  return Stored{v.substr(0, kDigest), v.substr(kDigest, sync::kNonceBytes),
                v.substr(kDigest + sync::kNonceBytes)};
}

// Aborts unless committed.
class Txn {
 public:
  Txn(MDB_env* env, bool readOnly) {
    check(mdb_txn_begin(env, nullptr, readOnly ? MDB_RDONLY : 0, &txn_), "begin transaction");
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
      check(mdb_env_set_maxdbs(env_, 8), "set max dbs");
      check(mdb_env_set_mapsize(env_, options.initialMapBytes), "set map size");
      check(mdb_env_open(env_, dir.c_str(), 0, 0600), ("open " + dir).c_str());
    } catch (const LmdbError& e) {
      return toStatus(e);
    }
    // Stores made before the files were 0600 (and the folder 0700): sealed
    // changes and keys are nobody else's business on a shared machine.
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace,
                                 ec);
    for (const char* f : {"data.mdb", "lock.mdb"}) {
      std::filesystem::permissions(
          std::filesystem::path(dir) / f,
          std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
          std::filesystem::perm_options::replace, ec);
    }
    size_t migrated = 0;
    bool wasV1 = false;
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
      if (hadMeta) {
        auto format = t.get(meta_, "format");
        if (!format || *format != kFormat) {
          return Status::corruption("relay store format " +
                                    (format ? std::string(*format) : std::string("(none)")) +
                                    " is not one this relay reads (" + std::string(kFormat) +
                                    "); update the relay");
        }
        return false;
      }
      wasV1 = hadChanges;
      migrated = hadChanges ? migrateV1(t) : 0;
      t.put(meta_, "format", kFormat);
      return true;
    });
    if (!r) return r.status();
    if (wasV1 && options.log) {
      options.log("relay store " + dir + ": migrated format 1 to 2 (" + std::to_string(migrated) +
                  " changes, their digests unknown)");
    }
    return Status::ok();
  }

  Result<bool> registerSpace(const SpaceId& space, const AuthPublicKey& key) override {
    std::string_view k(reinterpret_cast<const char*>(key.data()), key.size());
    return write<bool>([&](Txn& t) -> Result<bool> {
      if (auto held = t.get(spaces_, space.view())) {
        if (*held == k) return false;
        return Status::unauthorized("space " + space.str() +
                                    " is already registered with another key");
      }
      t.put(spaces_, space.view(), k);
      return true;
    });
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

  Result<bool> enrolDevice(const SpaceId& space, const core::ActorId& device,
                           const DevicePublicKey& key) override {
    std::string_view k(reinterpret_cast<const char*>(key.data()), key.size());
    return write<bool>([&](Txn& t) -> Result<bool> {
      std::string dk = deviceKeyOf(space, device);
      if (auto held = t.get(devices_, dk)) {
        if (*held == k) return false;
        return Status::unauthorized("device " + device.str() + " is already enrolled in space " +
                                    space.str() + " with another key");
      }
      t.put(devices_, dk, k);
      return true;
    });
  }

  Result<DevicePublicKey> deviceKey(const SpaceId& space, const core::ActorId& device) override {
    return read<DevicePublicKey>([&](Txn& t) -> Result<DevicePublicKey> {
      auto held = t.get(devices_, deviceKeyOf(space, device));
      if (!held) {
        return Status::notFound("device " + device.str() + " is not enrolled in space " +
                                space.str());
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
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
      return std::tie(a->actor, a->seq) < std::tie(b->actor, b->seq);
    });
    return write<PushResult>([&](Txn& t) -> Result<PushResult> {
      PushResult r;
      r.vv = vvIn(t, space);
      for (const SealedChange* c : sorted) {
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
          return Status::invalidArgument("gap: device " + c->actor.str() + " seq " +
                                         std::to_string(c->seq) + " but the relay holds up to " +
                                         std::to_string(held) + "; push refused");
        }
        if (c->seq > 1) {
          std::string before = digestIn(t, space, c->actor, c->seq - 1);
          if (!before.empty() && c->prev != before) {
            return Status::invalidArgument(
                "fork: " + what + " does not follow change " + std::to_string(c->seq - 1) +
                " held here; another copy of that device's notebook pushed first");
          }
        }
        std::string value = known(c->digest) ? c->digest : kUnknownDigest;
        value += c->nonce;
        value += c->ciphertext;
        t.put(changes_, key, value);
        held = c->seq;
        t.put(vv_, std::string(space.view()) + std::string(c->actor.view()), be64(held));
        ++r.stored;
        r.storedIndexes.push_back(static_cast<size_t>(c - changes.data()));
      }
      std::erase_if(r.vv, [](const auto& e) { return e.second == 0; });
      std::sort(r.storedIndexes.begin(), r.storedIndexes.end());
      return r;
    });
  }

  Result<PullPage> pull(const SpaceId& space, const core::VersionVector& since,
                        size_t maxBytes) override {
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
            return Status::corruption("relay store lost change " + actor.str() + "/" +
                                      std::to_string(seq));
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
        mdb_env_info(env_, &info);
        int rc = mdb_env_set_mapsize(env_, info.me_mapsize * 2);
        if (rc != 0) return toStatus(LmdbError(rc, "grow map"));
      }
    }
  }

  MDB_env* env_ = nullptr;
  MDB_dbi meta_ = 0, spaces_ = 0, devices_ = 0, vv_ = 0, changes_ = 0;
};

}  // namespace

Result<std::unique_ptr<RelayStore>> RelayStore::openLmdb(const std::string& dir,
                                                         const RelayStoreOptions& options) {
  auto store = std::make_unique<LmdbRelayStore>();
  Status st = store->open(dir, options);
  if (!st) return st.withContext("relay store");
  return std::unique_ptr<RelayStore>(std::move(store));
}

}  // namespace ridealong::relay
