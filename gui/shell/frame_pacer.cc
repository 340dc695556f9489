#include "frame_pacer.h"

#include <algorithm>

namespace ridealong::shell {

namespace {

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

int64_t FramePacer::nextTick(int64_t originMs) const {
  // The first tick strictly after the last frame.
  int64_t base = originMs + kTickLagMs;
  int64_t last = lastDrawMs_.value_or(base - 1);
  return base + (floorDiv(last - base, kTickMs) + 1) * kTickMs;
}

bool FramePacer::shouldDraw(int64_t nowMs, std::optional<int64_t> clockOriginMs) const {
  if (owed_ > 0) return true;
  return clockOriginMs && nowMs >= nextTick(*clockOriginMs);
}

void FramePacer::drew(int64_t nowMs) {
  lastDrawMs_ = nowMs;
  if (owed_ > 0) owed_--;
}

int64_t FramePacer::waitMs(int64_t nowMs, int64_t modelWaitMs, std::optional<int64_t> clockOriginMs) const {
  if (owed_ > 0) return 0;
  int64_t wait = std::clamp<int64_t>(modelWaitMs, 0, kMaxWaitMs);
  if (clockOriginMs) wait = std::min(wait, std::max<int64_t>(0, nextTick(*clockOriginMs) - nowMs));
  return wait;
}

}  // namespace ridealong::shell
