// What a person should know about this notebook's sync health, from the
// store alone (no network): it was found to be a copy and now writes as a
// new device, changes from other devices were set aside, another device's
// clock is wrong. One place, so the CLI's `sync status`, `sync` and the
// app's Sync screen say the same thing. And what to do after changes from
// elsewhere were applied (sync or a change file), also in one place.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ridealong/core/notebook.h"

namespace ridealong::core {

struct Notice {
  enum class Kind { kCopy, kSetAside, kClock };
  Kind kind;
  std::string text;  // one sentence or two, for people
  int64_t atMs = 0;  // when it was found (this device's clock)
};

const char* kindName(Notice::Kind k);  // "copy" | "set-aside" | "clock"

// Newest first within each kind; copies, then set-aside changes, then clocks.
// A store that cannot be read is an error, not "nothing to report".
Result<std::vector<Notice>> notices(Notebook& nb);

// "3 days", "71 hours", "12 minutes": for clock skew.
std::string describeSpan(int64_t ms);

// After changes from elsewhere were applied (`forkSeen`: some conflicted
// with changes held under the same device and seq; `ownArrived`: some were
// written under this device's current id by another copy): heals the fork
// (Notebook::healFork) or makes this copy a new device keeping everything,
// so that two copies never write the same change. The re-key, if any.
Result<std::optional<RekeyReport>> settleArrivals(Notebook& nb, bool forkSeen, bool ownArrived);

}  // namespace ridealong::core
