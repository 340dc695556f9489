// The product's own generator of a realistic coaching notebook: a competency
// model, coaching guides, reps in teams, and weeks of ride-alongs with
// observations, debriefs (SLED/ROAM), skill ratings, goals and action items.
// Deterministic for a seed and `nowMs`. Used by `ridealong-cli demo`, the
// desktop app's first run, tests and benchmarks.
#pragma once

#include <cstdint>
#include <functional>

#include "ridealong/core/notebook.h"

namespace ridealong::core {

struct DemoOptions {
  int reps = 8;
  int weeks = 12;
  uint64_t seed = 1;
  int64_t nowMs = 0;               // "today"; sessions end around here
  int sessions = 0;                // sessions held (done); 0 = about one per rep per fortnight.
                                   // A few planned ones for next week come on top.
  int observationsPerSession = 0;  // 0 = a realistic 3..9
};

struct DemoReport {
  int reps = 0, skills = 0, templates = 0, sessions = 0, planned = 0, observations = 0;
  int actions = 0, goals = 0, ratings = 0;
  int missed = 0;  // planned sessions of the last weeks never started
};

// Writes the demo into `nb` (one change per user-level action, committed in
// batches). `progress(done, total)` is called now and then if set.
Result<DemoReport> generateDemo(Notebook& nb, const DemoOptions& options,
                                const std::function<void(int, int)>& progress = {});

}  // namespace ridealong::core
