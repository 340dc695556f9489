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
  core::VersionVector vv;             // the pushed actors' entries afterwards
};

struct PullPage {
  std::vector<SealedChange> changes;
  bool more = false;  // more changes past this page
};

// How a new space may be registered.
struct SignUp {
  bool open = false;  // --open-signup: anyone may register a space
  std::string token;  // else a token from createToken with spaces left
  int64_t nowMs = 0;  // for expiry
};

struct TokenInfo {
  std::string id;  // the first 8 hex digits of the token's hash (safe to show)
  uint64_t spacesLeft = 0;
  int64_t expiresMs = 0;  // 0: never
  int64_t createdMs = 0;
};

// What a space holds, kept up to date by push and enrol (quotas, metrics).
struct SpaceUsage {
  uint64_t bytes = 0;  // stored sealed changes (digest, nonce, ciphertext)
  uint64_t changes = 0;
  uint64_t devices = 0;  // enrolled
};

// Per-space limits the store enforces; over one, the call is refused with
// DiskFull naming the quota, and nothing of it is stored.
struct SpaceQuota {
  uint64_t maxBytes = uint64_t{1} << 30;  // 1 GiB: a 200-rep, two-year notebook is about 100 MB
  uint64_t maxDevices = 64;               // device ids: a copy or restore takes a new one
};

struct RelayStoreOptions {
  size_t initialMapBytes = size_t{256} << 20;  // grows when full
  SpaceQuota quota;
  // One line per notable event at open (a format migration); none if empty.
  std::function<void(std::string_view line)> log;
};

class RelayStore {
 public:
  virtual ~RelayStore() = default;

  // Opens (creating if needed) an LMDB store in `dir`; files mode 0600.
  // Older formats migrate in one transaction: 1 (no digests) and 2 (no
  // usage counts, no tokens) to 3. Another process (`token create`) may
  // open the same store while the relay runs.
  static Result<std::unique_ptr<RelayStore>> openLmdb(const std::string& dir, const RelayStoreOptions& options = {});

  // true when newly registered, false when this key was already registered;
  // Unauthorized when the space is registered with another key. A new space
  // needs open sign-up or a token with spaces left that has not expired
  // (Unauthorized saying which), and uses one of its spaces.
  virtual Result<bool> registerSpace(const SpaceId& space, const AuthPublicKey& key, const SignUp& signUp) = 0;
  // A new sign-up token good for `spaces` spaces until `expiresMs` (0:
  // never). Only its hash is stored: the text is shown once.
  virtual Result<std::string> createToken(uint64_t spaces, int64_t expiresMs, int64_t nowMs) = 0;
  virtual Result<std::vector<TokenInfo>> tokens() = 0;
  virtual Result<SpaceUsage> usage(const SpaceId& space) = 0;
  // Registered spaces, and the store's size on disk in bytes (metrics).
  virtual Result<uint64_t> spaceCount() = 0;
  virtual Result<uint64_t> sizeBytes() = 0;
  // Walks everything stored and checks it (`ridealong-relay --check`):
  // each change's value has its parts, every vv entry's changes are there
  // with nothing past them, usage counts match. Corruption lists what is
  // wrong (at most 20 items, then a count).
  virtual Status verifyAll() = 0;
  // NotFound for an unknown space.
  virtual Result<AuthPublicKey> authKey(const SpaceId& space) = 0;

  // Binds `device` to its public key in `space` (the caller checked the
  // space's signature): true when new, false when this key was already
  // bound; Unauthorized when the device is enrolled with another key;
  // DiskFull when the space has its quota of devices.
  virtual Result<bool> enrolDevice(const SpaceId& space, const core::ActorId& device, const DevicePublicKey& key) = 0;
  // NotFound when the device is not enrolled in the space.
  virtual Result<DevicePublicKey> deviceKey(const SpaceId& space, const core::ActorId& device) = 0;

  virtual Result<core::VersionVector> versionVector(const SpaceId& space) = 0;
  // The version vector with the digest of each actor's last change (empty
  // when unknown: stored by a format 1 store).
  virtual Result<HeldVector> heldVersions(const SpaceId& space) = 0;
  // The stored digest of `actor`'s change at each seq, in order; empty when
  // not held or unknown.
  virtual Result<std::vector<std::string>> digestsAt(const SpaceId& space, const core::ActorId& actor,
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
  // Over the space's byte quota: refused (DiskFull). A refusal stores
  // nothing of the push. An empty digest is stored as unknown; prev is not
  // stored.
  virtual Result<PushResult> push(const SpaceId& space, const std::vector<SealedChange>& changes) = 0;

  // Changes past `since`, per actor in seq order, until about maxBytes
  // (always at least one change when any is missing), with their digests
  // (empty when unknown) and no prev.
  virtual Result<PullPage> pull(const SpaceId& space, const core::VersionVector& since, size_t maxBytes) = 0;

 protected:
  RelayStore() = default;
};

// Bytes a sealed change counts for in paging.
inline size_t pagedSize(const SealedChange& c) {
  return 16 + 8 + c.digest.size() + c.nonce.size() + c.ciphertext.size();
}

}  // namespace ridealong::relay
