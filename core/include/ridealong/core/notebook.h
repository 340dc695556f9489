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

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/core/record.h"
#include "ridealong/platform/env.h"
#include "ridealong/platform/status.h"

namespace ridealong::core {

struct NotebookOptions {
  // Create the directory, device id and store if missing (`init`).
  bool create = false;
  // fsync on every commit. Only merge-logic tests turn this off.
  bool durable = true;
  // Remote changes stamped further ahead of this device's clock are refused.
  int64_t maxClockSkewMs = 24LL * 3600 * 1000;
  // Starting LMDB map size; it grows automatically before it fills.
  size_t initialMapBytes = size_t{64} << 20;
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
  int sessions90d = 0;                    // sessions started in the last 90 days
  int openActions = 0;
  int overdueActions = 0;                 // open and due before today
  std::vector<std::pair<std::string, int>> latestRatings;  // skill -> latest 1..5
  double averageRating = 0;               // of latestRatings; 0 when none
};

struct TimelineEntry {
  int64_t timeMs = 0;
  std::string type;  // session | observation | action | goal | rating
  Record record;
};

struct StoreStats {
  uint64_t records = 0, changes = 0, pending = 0;
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

  virtual const ActorId& device() const = 0;
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
  virtual VersionVector versionVector() = 0;
  // Encoded changes the holder of `since` lacks, in an order that applies.
  virtual Result<std::vector<std::string>> changesSince(const VersionVector& since) = 0;

  // ---- reads ----
  virtual std::optional<Record> get(const RecordId& id) = 0;
  virtual std::vector<Record> listType(std::string_view type, bool includeDeleted = false) = 0;
  virtual std::vector<Record> trash() = 0;
  virtual std::vector<Conflict> conflicts() = 0;
  // Deterministic JSON of the whole state: equal for replicas that saw the
  // same changes, byte for byte.
  virtual std::string dump() = 0;

  // ---- indexed queries for the screens ----
  virtual std::vector<RepOverview> teamOverview(int64_t nowMs) = 0;
  // A rep's sessions, observations, actions (by due), goals and ratings,
  // newest first, at most `limit`.
  virtual std::vector<TimelineEntry> repTimeline(const RecordId& rep, size_t limit) = 0;
  virtual std::vector<Record> sessionObservations(const RecordId& session) = 0;
  // Open action items by due date (earliest first), at most `limit`.
  virtual std::vector<Record> openActionsByDue(size_t limit) = 0;
  // Sessions not done yet (planned or in progress) by start time, earliest
  // first, at most `limit`.
  virtual std::vector<Record> openSessions(size_t limit) = 0;

  // Changes whenever any process commits to this store; cheap to poll.
  virtual uint64_t generation() = 0;
  virtual StoreStats stats() = 0;

 protected:
  Notebook() = default;
};

}  // namespace ridealong::core
