// RelayStore on LMDB. Named databases (keys binary, integers big-endian so
// they sort):
//   spaces   space                     -> auth public key (32)
//   vv       space ‖ actor             -> last contiguous seq (8)
//   changes  space ‖ actor ‖ seq       -> nonce (24) ‖ ciphertext
// One write transaction per call; LMDB's default durable commit, so an
// acknowledged push survives kill -9 and power loss. The map doubles when
// full (safe: the relay's single thread holds no other transaction then).
#include <lmdb.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <tuple>

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
      check(mdb_env_set_maxdbs(env_, 4), "set max dbs");
      check(mdb_env_set_mapsize(env_, options.initialMapBytes), "set map size");
      check(mdb_env_open(env_, dir.c_str(), 0, 0644), ("open " + dir).c_str());
      Txn t(env_, false);
      check(mdb_dbi_open(t.raw(), "spaces", MDB_CREATE, &spaces_), "open spaces");
      check(mdb_dbi_open(t.raw(), "vv", MDB_CREATE, &vv_), "open vv");
      check(mdb_dbi_open(t.raw(), "changes", MDB_CREATE, &changes_), "open changes");
      t.commit();
    } catch (const LmdbError& e) {
      return toStatus(e);
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

  Result<core::VersionVector> versionVector(const SpaceId& space) override {
    return read<core::VersionVector>([&](Txn& t) { return vvIn(t, space); });
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
        std::string value = c->nonce + c->ciphertext;
        if (c->seq <= held) {
          auto old = t.get(changes_, key);
          if (old && *old == value) {
            ++r.duplicates;
            continue;
          }
          return Status::corruption("equivocation: device " + c->actor.str() + " sent seq " +
                                    std::to_string(c->seq) +
                                    " again with different bytes; push refused");
        }
        if (c->seq != held + 1) {
          return Status::invalidArgument("gap: device " + c->actor.str() + " seq " +
                                         std::to_string(c->seq) + " but the relay holds up to " +
                                         std::to_string(held) + "; push refused");
        }
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
          if (!v || v->size() < sync::kNonceBytes) {
            return Status::corruption("relay store lost change " + actor.str() + "/" +
                                      std::to_string(seq));
          }
          SealedChange c;
          c.actor = actor;
          c.seq = seq;
          c.nonce.assign(v->substr(0, sync::kNonceBytes));
          c.ciphertext.assign(v->substr(sync::kNonceBytes));
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
  MDB_dbi spaces_ = 0, vv_ = 0, changes_ = 0;
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
