// RelayStore: what the relay keeps, behind an interface so a shared database
// (PostgreSQL) can replace LMDB when relays scale out. Per space: the auth
// public key, each enrolled device's public key, every sealed change by
// (actor, seq) with its digest, and the version vector. The store never
// sees plaintext. Thread-compatible: the relay calls it from
// its one event-loop thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/platform/status.h"
#include "ridealong/sync/space.h"

namespace ridealong::relay {

using sync::AuthPublicKey;
using sync::DevicePublicKey;
using sync::HeldVector;
using sync::SealedChange;
using sync::SpaceId;

struct PushResult {
  size_t stored = 0;                  // new changes written
  std::vector<size_t> storedIndexes;  // which of the pushed changes were new
  size_t duplicates = 0;              // already held (same digest, or same bytes)
  core::VersionVector vv;             // the space's vector afterwards
};

struct PullPage {
  std::vector<SealedChange> changes;
  bool more = false;  // more changes past this page
};

struct RelayStoreOptions {
  size_t initialMapBytes = size_t{256} << 20;  // grows when full
  // One line per notable event at open (a format migration); none if empty.
  std::function<void(std::string_view line)> log;
};

class RelayStore {
 public:
  virtual ~RelayStore() = default;

  // Opens (creating if needed) an LMDB store in `dir`; files mode 0600. A
  // format 1 store (no digests) is migrated to format 2 in one transaction.
  static Result<std::unique_ptr<RelayStore>> openLmdb(const std::string& dir,
                                                      const RelayStoreOptions& options = {});

  // true when newly registered, false when this key was already registered;
  // Unauthorized when the space is registered with another key.
  virtual Result<bool> registerSpace(const SpaceId& space, const AuthPublicKey& key) = 0;
  // NotFound for an unknown space.
  virtual Result<AuthPublicKey> authKey(const SpaceId& space) = 0;

  // Binds `device` to its public key in `space` (the caller checked the
  // space's signature): true when new, false when this key was already
  // bound; Unauthorized when the device is enrolled with another key.
  virtual Result<bool> enrolDevice(const SpaceId& space, const core::ActorId& device,
                                   const DevicePublicKey& key) = 0;
  // NotFound when the device is not enrolled in the space.
  virtual Result<DevicePublicKey> deviceKey(const SpaceId& space, const core::ActorId& device) = 0;

  virtual Result<core::VersionVector> versionVector(const SpaceId& space) = 0;
  // The version vector with the digest of each actor's last change (empty
  // when unknown: stored by a format 1 store).
  virtual Result<HeldVector> heldVersions(const SpaceId& space) = 0;
  // The stored digest of `actor`'s change at each seq, in order; empty when
  // not held or unknown.
  virtual Result<std::vector<std::string>> digestsAt(const SpaceId& space,
                                                     const core::ActorId& actor,
                                                     const std::vector<uint64_t>& seqs) = 0;

  // All or nothing, in one durable transaction. Changes may come in any
  // order; per actor, sorted by seq:
  //  - seq <= held: when both the stored and the pushed digest are known,
  //    the same digest is a duplicate (counted, ignored) and another one is
  //    refused (Corruption, "equivocation: change S of device X differs from
  //    the one held here"); with a digest unknown, the bytes are compared
  //    the same way;
  //  - seq == held + 1: when seq > 1 and the stored digest of seq-1 is
  //    known, `prev` must equal it, else refused (InvalidArgument, "fork:
  //    change S of device X does not follow change S-1 held here; ...");
  //  - seq > held + 1: refused (InvalidArgument, "gap").
  // A refusal stores nothing of the push. An empty digest is stored as
  // unknown; prev is not stored.
  virtual Result<PushResult> push(const SpaceId& space,
                                  const std::vector<SealedChange>& changes) = 0;

  // Changes past `since`, per actor in seq order, until about maxBytes
  // (always at least one change when any is missing), with their digests
  // (empty when unknown) and no prev.
  virtual Result<PullPage> pull(const SpaceId& space, const core::VersionVector& since,
                                size_t maxBytes) = 0;

 protected:
  RelayStore() = default;
};

// Bytes a sealed change counts for in paging.
inline size_t pagedSize(const SealedChange& c) {
  return 16 + 8 + c.digest.size() + c.nonce.size() + c.ciphertext.size();
}

}  // namespace ridealong::relay
