// Applier: the single path by which changes, local or remote, reach the
// store, inside one write transaction. It checks readiness (causal delivery),
// parks early changes in `pending`, applies ops with the merge rules, keeps a
// per-transaction cache of touched records and writes them, their index
// diffs, the version vector and the HLC once at flush(). The cached records
// are DraftRecords in an Arena the caller owns and reuses (draft.h, arena.h);
// the applier resets it on construction. Internal to core.
#pragma once

#include <cstring>
#include <memory_resource>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "arena.h"
#include "change_codec.h"
#include "indexes.h"
#include "store.h"

namespace ridealong::core::detail {

// No Ridealong change can be older than this (2020-01-01): earlier stamps
// mean a broken clock.
inline constexpr int64_t kMinPlausibleMs = 1577836800000;

struct Id16Hash {
  size_t operator()(const Id16& id) const {
    size_t h;
    std::memcpy(&h, id.bytes.data() + 8, sizeof h);  // random half of record ids
    return h ^ (id.bytes[0] * 1099511628211ull);
  }
};

struct ApplierContext {
  int64_t wallMs = 0;
  int64_t clockBoundMs = 0;  // NotebookOptions::clockBoundMs
  std::string build;         // for quarantine entries
};

class Applier {
 public:
  // Resets `arena`: one Applier per transaction, and no other user meanwhile.
  // Reads this notebook's current device id, version vector and clock.
  Applier(Txn& txn, const Dbs& dbs, const ApplierContext& ctx, Arena& arena);

  const ActorId& self() const { return self_; }

  // Builds, checks and applies one local change.
  Result<CommitInfo> commitLocal(const std::vector<Op>& ops);
  // Applies changes from elsewhere (any order, duplicates allowed). A
  // change is applied once everything it depends on is (else it waits in
  // `pending`); one that cannot be applied (it does not follow its device's
  // previous change, breaks the schema, differs from the change held under
  // its seq, or was rejected before decoding) is quarantined. Never stops
  // at one bad change. A stamp far off this device's clock is applied, and
  // its device recorded in `clocks`.
  void applyRemote(std::vector<DecodedChange> changes, const std::vector<RejectedChange>& rejected,
                   ApplyReport* report);
  // Writes touched records, index diffs, version vector and clock.
  void flush();

 private:
  struct Cached {
    explicit Cached(std::pmr::memory_resource* mr) : rec(mr) {}
    DraftRecord rec;
    std::vector<IndexEntry> before;
    bool dirty = false;
  };
  Cached* load(const RecordId& id, bool createIfMissing);
  uint64_t have(const ActorId& a) const;
  bool ready(const DecodedChange& c) const;
  void applyOne(const DecodedChange& c);
  // Ready change from elsewhere: applied, or quarantined with why.
  void admit(const DecodedChange& c, ApplyReport* report);
  // Why a ready change cannot be applied; empty when it can.
  std::string refusal(const DecodedChange& c);
  void quarantine(const ActorId& actor, uint64_t seq, std::string_view bytes, const std::string& reason, bool sealed,
                  ApplyReport* report);
  // chainHash of the held change (actor, seq).
  uint64_t heldHash(const ActorId& actor, uint64_t seq);
  void noteClock(const DecodedChange& c);
  void writeClocks();
  static void writeIndexDiff(const std::vector<IndexEntry>& before, const std::vector<IndexEntry>& after,
                             std::vector<const IndexEntry*>* puts, std::vector<std::string>* dels);
  static void sortByKey(std::vector<const IndexEntry*>* entries);
  void refreshLatest(const std::string& pair);
  std::string lastKey(MDB_dbi dbi);

  static Arena& resetArena(Arena& a) {
    a.reset();
    return a;
  }

  Txn& txn_;
  const Dbs& dbs_;
  ApplierContext ctx_;
  ActorId self_;
  Arena& arena_;  // reset before cache_ (declared after) allocates from it
  std::pmr::unordered_map<RecordId, Cached, Id16Hash> cache_;
  // The messages of applied changes: drafts view their names and texts.
  std::vector<DecodedChange> held_;
  VersionVector vv_;
  std::vector<ActorId> vvDirty_;
  std::string lastChangeKey_;
  Hlc hlc_ = 0;
  bool hlcDirty_ = false;
  // chainHash of the last change applied per actor in this transaction.
  std::unordered_map<ActorId, std::pair<uint64_t, uint64_t>, Id16Hash> lastHash_;
  // Per actor, the newest stamp applied from elsewhere in this transaction.
  std::unordered_map<ActorId, Hlc, Id16Hash> newestRemote_;
};

}  // namespace ridealong::core::detail
