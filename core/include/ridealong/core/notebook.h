// Notebook: one manager's coaching notebook in an LMDB environment on disk.
//
// Every local edit is one Change (HLC-stamped, next seq of this device, deps =
// the version vector seen) appended to the change log and applied to the
// materialised records in ONE durable write transaction. Remote changes go
// through the same apply path: idempotent, order-independent, and changes
// whose deps are missing wait in a pending table until they can apply.
// Merge: per-field last-writer-wins by (hlc, actor); a concurrent value the
// winner's author had not seen is kept as a conflict sibling until resolved.
//
// Thread-safety: a Notebook may be used from several threads (LMDB serialises
// writers); several processes may open the same directory at once.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/record.h"
#include "ridealong/platform/env.h"
#include "ridealong/platform/status.h"

namespace ridealong::core {

struct NotebookOptions {
  // Create the directory, device id and store if missing (`init`).
  bool create = false;
  // fsync on every commit. Only merge-logic tests turn this off.
  bool durable = true;
  // A change stamped further ahead of this device's clock is still applied
  // (merge follows causality, not clocks), but it moves this device's clock
  // at most this far past its own wall clock, and its device is reported
  // (clockWarnings). docs/architecture.md "Clocks".
  int64_t clockBoundMs = 5LL * 60 * 1000;
  // Starting LMDB map size; it grows automatically before it fills.
  size_t initialMapBytes = size_t{64} << 20;
  // The build reading the store; quarantined changes are tried again when
  // it differs from the build that set them aside. Empty: this build's own.
  std::string build;
  // Re-key when the folder turns out to have moved (another machine or
  // path: a copy, a restored backup). Tests that move folders may turn it off.
  bool detectMove = true;
};

// This notebook's device identity. The id is the actor of its changes; the
// secret (32 random bytes, never sent anywhere) seeds the device's signing
// key, with which sync proves to the relay that it is this device. Both
// live in the store, so a re-key by one process is seen by every other
// process at its next transaction.
struct DeviceIdentity {
  ActorId id;
  std::array<uint8_t, 32> secret{};
};

// An id this notebook used before a re-key (a copy or restore was found).
struct RetiredDevice {
  DeviceIdentity identity;
  ActorId successor;      // the id that replaced it
  int64_t retiredMs = 0;  // wall clock of the re-key
  std::string reason;     // for people: what was found
  uint64_t keptUpTo = 0;  // its changes up to here stay as they are
  uint64_t reissued = 0;  // its changes after that, re-issued under a new id
};

// Re-key: this notebook becomes a new device. For each own id (current or
// retired) in `keep`, its changes after the given seq are taken out of the
// log and re-issued, in order, under the new id (same ops and stamps), and
// the records are rebuilt from the log; ids not named keep everything,
// except own changes that depend on a re-issued one: those are re-issued
// too (after it), or they would wait for a change that no longer exists.
// Use when another copy of this notebook holds different changes under an
// id (a fork): the shared history stays, this copy's edits travel on under
// the new id, and nothing is lost.
struct RekeyPlan {
  ActorId expected;  // the current id the caller saw; another: Busy, nothing done
  std::vector<std::pair<ActorId, uint64_t>> keep;
  std::string reason;
};

struct RekeyReport {
  ActorId oldId, newId;
  uint64_t reissued = 0;
};

// A change that could not be applied, kept aside with why. Changes that
// depend on it wait for it; a newer build tries it again.
struct QuarantinedChange {
  ActorId actor;
  uint64_t seq = 0;
  std::string reason;
  int64_t atMs = 0;     // when it was set aside (this device's clock)
  std::string build;    // the build that set it aside
  bool sealed = false;  // kept as received: it did not even open
  std::string bytes;    // the change (or sealed bytes)
};

// A device whose changes are stamped well ahead of this device's clock (or
// before 2020): its clock is probably wrong.
struct ClockWarning {
  ActorId actor;
  int64_t skewMs = 0;  // stamp minus this device's clock when received
  int64_t stampMs = 0;
  int64_t seenMs = 0;
};

struct Conflict {
  RecordId record;
  std::string type;
  std::string field;
  std::vector<FieldValue> values;  // winner first, then the kept siblings
};

// One row of the team overview.
struct RepOverview {
  RecordId rep;
  std::string name, team;
  std::optional<int64_t> lastCoachedMs;  // start of the latest done session
  int sessions90d = 0;                   // sessions started in the last 90 days
  int openActions = 0;
  int overdueActions = 0;                                  // open and due before today
  std::vector<std::pair<std::string, int>> latestRatings;  // skill -> latest 1..5
  double averageRating = 0;                                // of latestRatings; 0 when none
  // Planned sessions of the last 90 days whose day has come (coaching_facts.h;
  // `upcoming` is not counted here).
  Adherence adherence;
};

struct TimelineEntry {
  int64_t timeMs = 0;
  std::string type;  // session | observation | action | goal | rating
  Record record;
};

struct StoreStats {
  uint64_t records = 0, changes = 0, pending = 0, quarantined = 0;
  uint64_t mapBytes = 0, usedBytes = 0;
};

class Notebook {
 public:
  virtual ~Notebook() = default;
  Notebook(const Notebook&) = delete;
  Notebook& operator=(const Notebook&) = delete;

  // Opens (or with options.create, initialises) the notebook in `dir`.
  static Result<std::unique_ptr<Notebook>> open(platform::Env& env, const std::string& dir,
                                                const NotebookOptions& options = {});

  // Every read below returns a Result: a store that cannot be read (an I/O
  // error, a damaged file) is an error, never an empty answer.

  // This device's current id (the actor of its next change). Read from the
  // store: another process may have re-keyed the notebook.
  virtual Result<ActorId> device() = 0;
  virtual Result<DeviceIdentity> identity() = 0;
  virtual Result<std::vector<RetiredDevice>> retiredDevices() = 0;
  virtual Result<RekeyReport> rekey(const RekeyPlan& plan) = 0;
  // Heals a fork found locally: when the quarantine holds the other copy's
  // first change after the shared history under one of this device's ids
  // (current, or retired up to what it kept: it differs from the change
  // held here under that seq, yet follows the one before), re-keys keeping
  // that shared history. Nothing to heal: nullopt.
  virtual Result<std::optional<RekeyReport>> healFork(const std::string& reason) = 0;
  virtual const std::string& dir() const = 0;

  // ---- writes (each durable when it returns ok) ----
  // New time-ordered record id from this device's clock and randomness.
  virtual RecordId newId() = 0;
  // One user action. Validates known fields (schema.h) and that set ops target
  // existing records; on error nothing is written.
  virtual Result<CommitInfo> commit(const ChangeBuilder& change) = 0;
  // Several changes (imports, the demo generator) in one transaction.
  virtual Result<std::vector<CommitInfo>> commitBatch(const std::vector<ChangeBuilder>& changes) = 0;
  // Applies encoded changes from other devices in one transaction. All are
  // decoded and checked first: a malformed one rejects the batch unchanged.
  virtual Result<ApplyReport> applyChanges(const std::vector<std::string>& encoded) = 0;
  // The same for changes already checked (on another thread, say).
  virtual Result<ApplyReport> applyChanges(const CheckedChanges& changes) = 0;

  // ---- change log ----
  virtual Result<VersionVector> versionVector() = 0;
  // What this notebook holds, applied or not: per actor the highest seq up
  // to which every change is in the log, waiting (pending) or quarantined.
  // Sync pulls from here, so nothing it holds is downloaded again.
  virtual Result<VersionVector> heldVersionVector() = 0;
  // Encoded changes the holder of `since` lacks, in an order that applies.
  virtual Result<std::vector<std::string>> changesSince(const VersionVector& since) = 0;
  // One actor's changes after `afterSeq`, in seq order, at most `limit`.
  virtual Result<std::vector<std::string>> changesOf(const ActorId& actor, uint64_t afterSeq, size_t limit) = 0;
  // One change of the log; NotFound if not held.
  virtual Result<std::string> changeAt(const ActorId& actor, uint64_t seq) = 0;

  // ---- trouble reports ----
  virtual Result<std::vector<QuarantinedChange>> quarantined() = 0;
  // Tries the quarantined changes again (a newer build may read them; a
  // re-key may have made room for a fork's other side). Those that still
  // cannot be applied stay. Opening the store does this when the build changed.
  virtual Result<ApplyReport> retryQuarantined() = 0;
  virtual Result<std::vector<ClockWarning>> clockWarnings() = 0;

  // ---- reads ----
  // The record, or NotFound when there is none with this id (deleted records
  // are found: see Record::deleted). Any other status is a failed read
  // (IOError, Corruption, ...), which callers must not take for "absent":
  // test r.status().isNotFound().
  virtual Result<Record> get(const RecordId& id) = 0;
  virtual Result<std::vector<Record>> listType(std::string_view type, bool includeDeleted = false) = 0;
  virtual Result<std::vector<Record>> trash() = 0;
  virtual Result<std::vector<Conflict>> conflicts() = 0;
  // Deterministic JSON of the whole state: equal for replicas that saw the
  // same changes, byte for byte. A failed read is an error, never a shorter
  // dump (replicas are compared by their dumps).
  virtual Result<std::string> dump() = 0;

  // ---- indexed queries for the screens ----
  virtual Result<std::vector<RepOverview>> teamOverview(int64_t nowMs) = 0;
  // A rep's sessions, observations, actions (by due), goals and ratings,
  // newest first, at most `limit`.
  virtual Result<std::vector<TimelineEntry>> repTimeline(const RecordId& rep, size_t limit) = 0;
  virtual Result<std::vector<Record>> sessionObservations(const RecordId& session) = 0;
  // Open action items by due date (earliest first), at most `limit`.
  virtual Result<std::vector<Record>> openActionsByDue(size_t limit) = 0;
  // Sessions not done yet (planned or in progress) by start time, earliest
  // first, at most `limit`.
  virtual Result<std::vector<Record>> openSessions(size_t limit) = 0;

  // Changes whenever any process commits to this store; cheap to poll.
  virtual uint64_t generation() = 0;
  // Entry counts and map usage; every LMDB call behind it is checked.
  virtual Result<StoreStats> stats() = 0;

 protected:
  Notebook() = default;
};

}  // namespace ridealong::core
