// ridealong-bench: the figures the issues name, measured on this machine.
//   ridealong-bench [apply|commit|query|all] [options]
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "benches.h"

using namespace ridealong::bench;

int main(int argc, char** argv) {
  CLI::App app{"Ridealong benchmarks: change apply and size, durable commit latency, screen queries"};
  Options o;
  o.workload = std::string(RIDEALONG_SHARED_DIR) + "/bench/w1-10k.jsonl";
  std::string which = "all";
  app.add_option("suite", which, "apply | commit | query | all")
      ->check(CLI::IsMember({"apply", "commit", "query", "all"}));
  app.add_option("--workload", o.workload, "JSONL workload for apply/size")->capture_default_str();
  app.add_option("--dir", o.dir, "directory for scratch notebooks (default $TMPDIR)");
  app.add_option("--runs", o.runs, "repetitions of the apply benchmark")->capture_default_str();
  app.add_option("--commits", o.commits, "durable commits to time")->capture_default_str();
  app.add_option("--query-iterations", o.queryIterations, "repetitions of each query")->capture_default_str();
  app.add_option("--reps", o.reps, "reps in the query notebook")->capture_default_str();
  app.add_option("--sessions", o.sessions, "sessions in the query notebook")->capture_default_str();
  app.add_option("--observations-per-session", o.observationsPerSession)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    std::vector<Figure> all;
    auto add = [&](std::vector<Figure> f) { all.insert(all.end(), f.begin(), f.end()); };
    if (which == "apply" || which == "all") add(benchApply(o));
    if (which == "commit" || which == "all") add(benchCommit(o));
    if (which == "query" || which == "all") add(benchQuery(o));
    printFigures("Summary", all);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ridealong-bench: {}\n", e.what());
    return 1;
  }
  return 0;
}
