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

class Applier {
 public:
  // Resets `arena`: one Applier per transaction, and no other user meanwhile.
  Applier(Txn& txn, const Dbs& dbs, const ActorId& self, int64_t wallMs, int64_t maxSkewMs, Arena& arena);

  // Builds, checks and applies one local change.
  Result<CommitInfo> commitLocal(const std::vector<Op>& ops);
  // Applies remote changes (any order, duplicates allowed). Clock checks
  // first: a change stamped beyond the allowed skew fails the whole batch.
  Status applyRemote(std::vector<DecodedChange> changes, ApplyReport* report);
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
  Status checkClock(const DecodedChange& c) const;
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
  ActorId self_;
  int64_t wallMs_, maxSkewMs_;
  Arena& arena_;  // reset before cache_ (declared after) allocates from it
  std::pmr::unordered_map<RecordId, Cached, Id16Hash> cache_;
  // The messages of applied changes: drafts view their names and texts.
  std::vector<DecodedChange> held_;
  VersionVector vv_;
  std::vector<ActorId> vvDirty_;
  std::string lastChangeKey_;
  Hlc hlc_ = 0;
  bool hlcDirty_ = false;
};

}  // namespace ridealong::core::detail
