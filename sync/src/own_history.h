// Where this device's history under one of its ids and the relay's part.
// A notebook folder copied to another machine, or restored from an older
// backup, keeps its device id: two copies may then write different changes
// under the same (id, seq). Each change names the hash of the one before it
// (core's chain), so the digests of two histories agree up to the seq where
// they part and differ from there on: a binary search finds it. Internal to
// sync; pure logic over two digest lookups, so it is tested without a relay.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ridealong/platform/status.h"

namespace ridealong::sync {

// A digest lookup: the digest of the id's change at `seq` (seq >= 1), ""
// when unknown (a version 1 relay stored it without one).
using DigestAt = std::function<Result<std::string>(uint64_t seq)>;

// The last seq in [0, upTo] at which `local` and `relay` hold the same
// change; `upTo` itself when they agree there. Unknown digests count as
// agreeing (nothing proves a fork). O(log upTo) lookups of each.
Result<uint64_t> lastSharedSeq(uint64_t upTo, const DigestAt& local, const DigestAt& relay);

}  // namespace ridealong::sync
