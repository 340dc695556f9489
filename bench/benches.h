// The benchmark suites of ridealong-bench; each prints its figures and
// returns them for the summary.
#pragma once

#include <string>
#include <vector>

#include "stats.h"

namespace ridealong::bench {

struct Options {
  std::string workload;  // JSONL workload (default: shared/bench/w1-10k.jsonl)
  std::string dir;       // where scratch notebooks go (default $TMPDIR)
  int runs = 5;          // repetitions for apply
  int commits = 1000;
  int queryIterations = 200;
  int reps = 200, sessions = 5000, observationsPerSession = 20;
};

std::vector<Figure> benchApply(const Options& o);
std::vector<Figure> benchCommit(const Options& o);
std::vector<Figure> benchQuery(const Options& o);

}  // namespace ridealong::bench
