// RelayStore: what the relay keeps, behind an interface so a shared database
// (PostgreSQL) can replace LMDB when relays scale out. Per space: the auth
// public key, every sealed change by (actor, seq), and the version vector.
// The store never sees plaintext. Thread-compatible: the relay calls it from
// its one event-loop thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/platform/status.h"
#include "ridealong/sync/space.h"

namespace ridealong::relay {

using sync::AuthPublicKey;
using sync::SealedChange;
using sync::SpaceId;

struct PushResult {
  size_t stored = 0;                  // new changes written
  std::vector<size_t> storedIndexes;  // which of the pushed changes were new
  size_t duplicates = 0;              // already held with the same bytes
  core::VersionVector vv;             // the space's vector afterwards
};

struct PullPage {
  std::vector<SealedChange> changes;
  bool more = false;  // more changes past this page
};

struct RelayStoreOptions {
  size_t initialMapBytes = size_t{256} << 20;  // grows when full
};

class RelayStore {
 public:
  virtual ~RelayStore() = default;

  // Opens (creating if needed) an LMDB store in `dir`.
  static Result<std::unique_ptr<RelayStore>> openLmdb(const std::string& dir,
                                                      const RelayStoreOptions& options = {});

  // true when newly registered, false when this key was already registered;
  // Unauthorized when the space is registered with another key.
  virtual Result<bool> registerSpace(const SpaceId& space, const AuthPublicKey& key) = 0;
  // NotFound for an unknown space.
  virtual Result<AuthPublicKey> authKey(const SpaceId& space) = 0;
  virtual Result<core::VersionVector> versionVector(const SpaceId& space) = 0;

  // All or nothing, in one durable transaction. Changes may come in any
  // order; per actor they must continue the held log without a gap
  // (InvalidArgument). Re-sent changes with the same bytes are counted as
  // duplicates; the same actor+seq with other bytes is refused (Corruption,
  // "equivocation") and nothing of the push is stored.
  virtual Result<PushResult> push(const SpaceId& space,
                                  const std::vector<SealedChange>& changes) = 0;

  // Changes past `since`, per actor in seq order, until about maxBytes
  // (always at least one change when any is missing).
  virtual Result<PullPage> pull(const SpaceId& space, const core::VersionVector& since,
                                size_t maxBytes) = 0;

 protected:
  RelayStore() = default;
};

// Bytes a sealed change counts for in paging.
inline size_t pagedSize(const SealedChange& c) {
  return 16 + 8 + c.nonce.size() + c.ciphertext.size();
}

}  // namespace ridealong::relay
