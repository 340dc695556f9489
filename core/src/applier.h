// Applier: the single path by which changes, local or remote, reach the
// store, inside one write transaction. It checks readiness (causal delivery),
// parks early changes in `pending`, applies ops with the merge rules, keeps a
// per-transaction cache of touched records and writes them, their index
// diffs, the version vector and the HLC once at flush(). Internal to core.
#pragma once

#include <cstring>
#include <tuple>
#include <unordered_map>
#include <vector>

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
  Applier(Txn& txn, const Dbs& dbs, const ActorId& self, int64_t wallMs, int64_t maxSkewMs);

  // Builds, checks and applies one local change.
  Result<CommitInfo> commitLocal(const std::vector<Op>& ops);
  // Applies remote changes (any order, duplicates allowed). Clock checks
  // first: a change stamped beyond the allowed skew fails the whole batch.
  Status applyRemote(std::vector<DecodedChange> changes, ApplyReport* report);
  // Writes touched records, index diffs, version vector and clock.
  void flush();

 private:
  struct Cached {
    Record rec;
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
  void refreshLatest(const std::string& pair);
  std::string lastKey(MDB_dbi dbi);

  Txn& txn_;
  const Dbs& dbs_;
  ActorId self_;
  int64_t wallMs_, maxSkewMs_;
  std::unordered_map<RecordId, Cached, Id16Hash> cache_;
  VersionVector vv_;
  std::vector<ActorId> vvDirty_;
  std::string lastChangeKey_;
  Hlc hlc_ = 0;
  bool hlcDirty_ = false;
};

}  // namespace ridealong::core::detail
