// ChangeBuilder collects the ops of one user action (save a debrief, capture
// an observation); Notebook::commit turns them into one Change: one log entry,
// one LMDB write transaction. Not thread-safe; build on one thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ridealong/core/ids.h"
#include "ridealong/core/value.h"
#include "ridealong/platform/status.h"

namespace ridealong::core {

struct Op {
  enum class Kind { kCreate, kSet };
  Kind kind = Kind::kSet;
  RecordId record;
  std::string name;  // record type for kCreate, field name for kSet
  Value value;       // kSet only
};

using FieldList = std::vector<std::pair<std::string, Value>>;

class ChangeBuilder {
 public:
  // Uses a caller-chosen id (imports, tests).
  void create(const RecordId& id, std::string type, const FieldList& fields = {});
  void set(const RecordId& id, std::string field, Value value);
  void remove(const RecordId& id) { set(id, "deleted", Value(true)); }
  void restore(const RecordId& id) { set(id, "deleted", Value(false)); }
  // Adds another builder's ops after these (one change of several actions).
  void append(const ChangeBuilder& other) { ops_.insert(ops_.end(), other.ops_.begin(), other.ops_.end()); }
  bool empty() const { return ops_.empty(); }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

// What each actor's contiguous change log holds up to (actor -> last seq).
using VersionVector = std::map<ActorId, uint64_t>;

struct CommitInfo {
  ActorId actor;
  uint64_t seq = 0;
  Hlc hlc = 0;
};

// Who wrote an encoded change and where it sits in that device's log; for
// sync, which seals each change under (actor, seq).
struct ChangeHeader {
  ActorId actor;
  uint64_t seq = 0;
  Hlc hlc = 0;
};

struct ApplyReport {
  size_t applied = 0;                // newly applied (including released from pending)
  size_t duplicates = 0;             // already held; ignored
  size_t pending = 0;                // waiting for changes they depend on
  size_t conflictingDuplicates = 0;  // same actor+seq as a held change, other bytes
  size_t quarantined = 0;            // set aside: cannot be applied (Notebook::quarantined says why)
  // Newly applied changes written under this notebook's own current device
  // id somewhere else: another copy of this notebook, or its own past
  // restored from a backup. The sync engine re-keys when it sees one.
  size_t ownFromElsewhere = 0;
};

// Decodes and checks an encoded change (as Notebook::applyChanges would) and
// returns its header; a clear Corruption status for anything malformed.
Result<ChangeHeader> readChangeHeader(std::string_view encoded);

// Encoded changes decoded and checked once, ready for
// Notebook::applyChanges. Decoding is pure CPU work on no store, so it can
// run on any thread: the sync engine decodes the next page while the store
// applies this one. Cheap to copy (shared, immutable).
class CheckedChanges {
 public:
  // Takes the bytes; the first malformed change (in order) fails the whole
  // batch with a Corruption status naming its position.
  static Result<CheckedChanges> check(std::vector<std::string> encoded);

  // A change as it was delivered (a sync page): the (actor, seq) it came
  // under, its bytes, or why it could not even be opened.
  struct Delivered {
    ActorId actor;
    uint64_t seq = 0;
    std::string bytes;    // the encoded change; the sealed bytes when `failure` is set
    std::string failure;  // non-empty: it did not open (wrong key, tampered)
  };
  // Checks each change on its own: one that did not open, does not decode,
  // is from a newer format or names another (actor, seq) than it came under
  // is set aside with its reason, and Notebook::applyChanges quarantines it;
  // the others apply. Never fails.
  static CheckedChanges checkEach(std::vector<Delivered> delivered);

  size_t size() const;  // the changes that decoded
  bool empty() const { return size() == 0 && rejectedCount() == 0; }
  ChangeHeader header(size_t i) const;
  size_t rejectedCount() const;

  struct Impl;  // core-internal
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace ridealong::core
