#include "own_history.h"

namespace ridealong::sync {

namespace {

Result<bool> agree(uint64_t seq, const DigestAt& local, const DigestAt& relay) {
  if (seq == 0) return true;  // the empty history is shared by all
  auto theirs = relay(seq);
  if (!theirs) return theirs.status();
  if (theirs->empty()) return true;
  auto mine = local(seq);
  if (!mine) return mine.status();
  return mine->empty() || *mine == *theirs;
}

}  // namespace

Result<uint64_t> lastSharedSeq(uint64_t upTo, const DigestAt& local, const DigestAt& relay) {
  auto top = agree(upTo, local, relay);
  if (!top) return top.status();
  if (*top) return upTo;
  // Invariant: they agree at lo and differ at hi.
  uint64_t lo = 0, hi = upTo;
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    auto same = agree(mid, local, relay);
    if (!same) return same.status();
    (*same ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace ridealong::sync
