// Secondary index entries derived from a record's winning values, so the
// screens' queries are range scans instead of full scans. Pure: the store
// diffs entries before and after each write. All in one LMDB database `idx`;
// binary keys start with a one-byte tag:
//   T type\0 id                 records by type (not deleted)
//   X id                        trash (deleted)
//   C id                        records with conflicts
//   r rep kind time id          a rep's timeline (kind S,O,A,G,R)
//   c rep time id               a rep's done sessions (last coached)
//   o time id                   sessions not done yet (planned, in progress) by start
//   s session time id           a session's observations
//   d due id                    open action items by due date
//   a rep due id                a rep's open action items
//   k rep skill\0 time id       a rep's skill ratings -> rating byte
//   L rep skill\0               latest rating per rep and skill -> rating, time
// (L is an aggregate of k, recomputed for the pairs a write touched.)
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ridealong/core/record.h"

namespace ridealong::core::detail {

using IndexEntry = std::pair<std::string, std::string>;  // key, value

namespace idx {
inline constexpr char kType = 'T', kTrash = 'X', kConflict = 'C', kRepTimeline = 'r', kCoached = 'c', kSessionObs = 's',
                      kDue = 'd', kRepOpen = 'a', kRatings = 'k', kLatest = 'L', kOpenSession = 'o';
inline constexpr char kTlSession = 'S', kTlObservation = 'O', kTlAction = 'A', kTlGoal = 'G', kTlRating = 'R';
}  // namespace idx

// Sorted by key. For Record and DraftRecord (draft.h).
template <typename Rec>
std::vector<IndexEntry> indexEntries(const Rec& r);

// Index layout version kept in meta "indexes"; opening a store with an older
// one adds the entries it lacks (see migrateIndexes in notebook.cc).
inline constexpr std::string_view kIndexVersion = "2";

// Order-preserving 8-byte big-endian encoding of a signed time.
void appendTime(std::string* out, int64_t t);
int64_t readTime(std::string_view eightBytes);

// Prefix 'k' rep skill\0 for a ratings key; empty if `key` is not one.
std::string ratingPairOf(std::string_view key);

// Session timeline values (indexes.cc adherenceValue).
namespace idx {
inline constexpr char kAdhUnplanned = 'u', kAdhPlanned = 'p', kAdhHeld = 'h';
}
inline constexpr int64_t kMsPerDay = 86400000;
// LMDB's largest key (MDB_MAXKEYSIZE as Debian builds it).
inline constexpr size_t kMaxIndexKeyBytes = 511;

}  // namespace ridealong::core::detail
