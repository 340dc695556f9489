#include "ridealong/core/trouble.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "applier.h"

namespace ridealong::core {

const char* kindName(Notice::Kind k) {
  switch (k) {
    case Notice::Kind::kCopy: return "copy";
    case Notice::Kind::kSetAside: return "set-aside";
    case Notice::Kind::kClock: return "clock";
  }
  return "?";
}

std::string describeSpan(int64_t ms) {
  if (ms < 0) ms = -ms;
  auto plural = [](int64_t n, const char* unit) { return std::to_string(n) + " " + unit + (n == 1 ? "" : "s"); };
  const int64_t minute = 60 * 1000, hour = 60 * minute, day = 24 * hour;
  // Rounded: a stamp made a few seconds before it was seen is still "3 days".
  if (ms >= 2 * day) return plural((ms + day / 2) / day, "day");
  if (ms >= 2 * hour) return plural((ms + hour / 2) / hour, "hour");
  if (ms >= minute) return plural((ms + minute / 2) / minute, "minute");
  return plural(ms / 1000, "second");
}

namespace {

Notice copyNotice(const RetiredDevice& r) {
  std::string reason = r.reason;
  if (!reason.empty() && reason.back() != '.') reason += '.';
  if (!reason.empty()) reason[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(reason[0])));
  std::string text = "Found to be a copy on " + formatTimeMs(r.retiredMs) + ": " + reason +
                     " It now writes as device " + r.successor.str() + "; " +
                     (r.keptUpTo == 1 ? std::string("its first change stays")
                                      : "its first " + std::to_string(r.keptUpTo) + " changes stay") +
                     " as device " + r.identity.id.str() + ".";
  if (r.reissued > 0)
    text += " " + std::to_string(r.reissued) + " later change" + (r.reissued == 1 ? " was" : "s were") +
            " sent again as the new device; nothing was lost.";
  return {Notice::Kind::kCopy, std::move(text), r.retiredMs};
}

// One notice per device whose changes were set aside.
std::vector<Notice> setAsideNotices(const std::vector<QuarantinedChange>& all) {
  std::map<ActorId, std::vector<const QuarantinedChange*>> byActor;
  for (const auto& q : all) byActor[q.actor].push_back(&q);
  std::vector<Notice> out;
  for (const auto& [actor, qs] : byActor) {
    const auto* newest = *std::max_element(qs.begin(), qs.end(), [](auto* a, auto* b) { return a->atMs < b->atMs; });
    std::string text = std::to_string(qs.size()) + " change" + (qs.size() == 1 ? "" : "s") + " from device " +
                       actor.str() + " could not be applied and " + (qs.size() == 1 ? "is" : "are") +
                       " set aside (changes that build on them wait; a newer version of the app "
                       "tries again): " +
                       qs.front()->reason;
    out.push_back({Notice::Kind::kSetAside, std::move(text), newest->atMs});
  }
  return out;
}

Notice clockNotice(const ClockWarning& w) {
  std::string text;
  if (w.stampMs < detail::kMinPlausibleMs)  // before 2020: a clock that was never set
    text = "Device " + w.actor.str() + "'s clock says " + formatTimeMs(w.stampMs) + ": it looks unset.";
  else
    text = "Device " + w.actor.str() + "'s clock is " + describeSpan(w.skewMs) +
           (w.skewMs > 0 ? " ahead of" : " behind") + " this device's.";
  text += " Its edits are kept; set its clock right so that later edits win as they should.";
  return {Notice::Kind::kClock, std::move(text), w.seenMs};
}

}  // namespace

Result<std::vector<Notice>> notices(Notebook& nb) {
  auto retired = nb.retiredDevices();
  if (!retired) return retired.status();
  auto warnings = nb.clockWarnings();
  if (!warnings) return warnings.status();
  auto quarantined = nb.quarantined();
  if (!quarantined) return quarantined.status();
  std::vector<Notice> out;
  auto byNewest = [](std::vector<Notice> v) {
    std::stable_sort(v.begin(), v.end(), [](const Notice& a, const Notice& b) { return a.atMs > b.atMs; });
    return v;
  };
  std::vector<Notice> copies, clocks;
  for (const auto& r : *retired) copies.push_back(copyNotice(r));
  for (const auto& w : *warnings) clocks.push_back(clockNotice(w));
  for (auto& n : byNewest(std::move(copies))) out.push_back(std::move(n));
  for (auto& n : byNewest(setAsideNotices(*quarantined))) out.push_back(std::move(n));
  for (auto& n : byNewest(std::move(clocks))) out.push_back(std::move(n));
  return out;
}

Result<std::optional<RekeyReport>> settleArrivals(Notebook& nb, bool forkSeen, bool ownArrived) {
  if (forkSeen) {
    auto healed = nb.healFork(
        "another copy of this notebook (a copied folder or a restored backup) "
        "wrote other changes as this device");
    if (!healed) return healed.status().withContext("healing a fork");
    if (*healed) return healed;
  }
  if (!ownArrived) return std::optional<RekeyReport>{};
  auto self = nb.device();
  if (!self) return self.status().withContext("re-keying");
  auto k =
      nb.rekey(RekeyPlan{*self,
                         {},
                         "changes written as this device somewhere else arrived: another copy of this notebook, or its "
                         "own past before a backup was restored"});
  // Busy: another process re-keyed first, which is all this was for.
  if (!k)
    return k.status().isBusy() ? Result<std::optional<RekeyReport>>(std::optional<RekeyReport>{})
                               : Result<std::optional<RekeyReport>>(k.status().withContext("re-keying"));
  return std::optional<RekeyReport>(std::move(*k));
}

}  // namespace ridealong::core
