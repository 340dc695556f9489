// ridealong-bench: the figures the issues name, measured on this machine.
//   ridealong-bench [apply|commit|query|all] [options]           foundation (all: these three)
//   ridealong-bench [sync-initial|sync-latency|sync-fanout|sync-idle|sync-handshake|sync] [options]
//   ridealong-bench gui-frames [options]      the desktop app's frames, headless
// The sync suites start a real ridealong-relay on loopback; `sync` runs all
// four. They are not part of `all` (fan-out and idle take a minute or more).
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "benches.h"

using namespace ridealong::bench;

int main(int argc, char** argv) {
  CLI::App app{
      "Ridealong benchmarks: change apply and size, durable commit latency, screen queries, "
      "sync through a loopback relay"};
  Options o;
  o.workload = std::string(RIDEALONG_SHARED_DIR) + "/bench/w1-10k.jsonl";
  std::string which = "all";
  app.add_option("suite", which,
                 "apply | commit | query | all (= the three) | sync-initial | sync-latency | "
                 "sync-fanout | sync-idle | sync-handshake | sync (= the five) | gui-frames")
      ->check(CLI::IsMember({"apply", "commit", "query", "all", "sync-initial", "sync-latency", "sync-fanout",
                             "sync-idle", "sync-handshake", "sync", "gui-frames"}));
  app.add_option("--workload", o.workload, "JSONL workload for apply/size")->capture_default_str();
  app.add_option("--dir", o.dir, "directory for scratch notebooks (default $TMPDIR)");
  app.add_option("--runs", o.runs, "repetitions of the apply benchmark")->capture_default_str();
  app.add_option("--commits", o.commits, "durable commits to time")->capture_default_str();
  app.add_option("--query-iterations", o.queryIterations, "repetitions of each query")->capture_default_str();
  app.add_option("--reps", o.reps, "reps in the query notebook")->capture_default_str();
  app.add_option("--sessions", o.sessions, "sessions in the query notebook")->capture_default_str();
  app.add_option("--observations-per-session", o.observationsPerSession)->capture_default_str();
  app.add_option("--frames", o.frames, "frames timed per screen (gui-frames)")->capture_default_str();
  app.add_option("--gui-sizes", o.guiSizes,
                 "gui-frames window sizes, WxH[t] comma-separated (t: touch mode), e.g. "
                 "768x1024t,1024x768t,1280x800,1920x1080")
      ->capture_default_str();
  app.add_option("--sync-runs", o.syncRuns, "repetitions of sync-initial")->capture_default_str();
  app.add_option("--pull-page-kib", o.pullPageKiB, "sync-initial largest pull page (0: engine default)");
  app.add_option("--first-pull-page-kib", o.firstPullPageKiB, "sync-initial first pull page (0: engine default)")
      ->capture_default_str();
  app.add_option("--latency-changes", o.latencyChanges, "changes timed by sync-latency")->capture_default_str();
  app.add_option("--fanout-devices", o.fanoutDevices)->capture_default_str();
  app.add_option("--fanout-spaces", o.fanoutSpaces)->capture_default_str();
  app.add_option("--fanout-changes", o.fanoutChanges, "changes each device pushes")->capture_default_str();
  app.add_option("--idle-connections", o.idleConnections)->capture_default_str();
  app.add_option("--idle-spaces", o.idleSpaces)->capture_default_str();
  app.add_option("--handshakes", o.handshakes, "new connections timed by sync-handshake")->capture_default_str();
  app.add_option("--relay-args", o.relayArgs,
                 "extra ridealong-relay flags for sync-fanout/sync-idle, "
                 "e.g. \"--max-queued-total-mib 32\"");
  CLI11_PARSE(app, argc, argv);
  try {
    std::vector<Figure> all;
    auto add = [&](std::vector<Figure> f) { all.insert(all.end(), f.begin(), f.end()); };
    if (which == "apply" || which == "all") add(benchApply(o));
    if (which == "commit" || which == "all") add(benchCommit(o));
    if (which == "query" || which == "all") add(benchQuery(o));
    bool sync = which == "sync";
    if (which == "sync-initial" || sync) add(benchSyncInitial(o));
    if (which == "sync-latency" || sync) add(benchSyncLatency(o));
    if (which == "sync-fanout" || sync) add(benchSyncFanout(o));
    if (which == "sync-idle" || sync) add(benchSyncIdle(o));
    if (which == "sync-handshake" || sync) add(benchSyncHandshake(o));
    if (which == "gui-frames") add(benchGuiFrames(o));
    printFigures("Summary", all);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ridealong-bench: {}\n", e.what());
    return 1;
  }
  return 0;
}
