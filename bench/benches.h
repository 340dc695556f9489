// The benchmark suites of ridealong-bench; each prints its figures and
// returns them for the summary.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ridealong/core/demo.h"
#include "ridealong/core/notebook.h"
#include "stats.h"

namespace ridealong::bench {

// The value of `r`; a failed read or command stops the benchmark (throws
// with its status) rather than timing or comparing an empty answer.
template <typename T>
T orThrow(Result<T> r) {
  if (!r) throw std::runtime_error(r.status().toString());
  return std::move(r).value();
}
inline void orThrow(const Status& st) {
  if (!st) throw std::runtime_error(st.toString());
}

struct Options {
  std::string workload;  // JSONL workload (default: shared/bench/w1-10k.jsonl)
  std::string dir;       // where scratch notebooks go (default $TMPDIR)
  int runs = 5;          // repetitions for apply
  int commits = 1000;
  int queryIterations = 200;
  int reps = 200, sessions = 5000, observationsPerSession = 20;
  int frames = 300;  // gui-frames: frames timed per screen
  // gui-frames: window sizes, "WxH" with a "t" for touch mode, comma-separated
  std::string guiSizes = "1280x800";
  // Sync (each starts a real ridealong-relay on loopback).
  int syncRuns = 3;           // sync-initial repetitions
  int pullPageKiB = 0;        // sync-initial largest page; 0: the engine's default
  int firstPullPageKiB = 0;   // sync-initial first page; 0: the engine's default
  int latencyChanges = 1000;  // sync-latency
  int fanoutDevices = 1000, fanoutSpaces = 10, fanoutChanges = 100;
  int idleConnections = 10000, idleSpaces = 100;
  int handshakes = 2000;  // sync-handshake
  std::string relayArgs;  // extra ridealong-relay flags for fanout/idle, space-separated
};

std::vector<Figure> benchApply(const Options& o);
std::vector<Figure> benchCommit(const Options& o);
std::vector<Figure> benchQuery(const Options& o);
std::vector<Figure> benchSyncInitial(const Options& o);
std::vector<Figure> benchSyncLatency(const Options& o);
std::vector<Figure> benchSyncFanout(const Options& o);
std::vector<Figure> benchSyncIdle(const Options& o);
std::vector<Figure> benchSyncHandshake(const Options& o);
std::vector<Figure> benchGuiFrames(const Options& o);

// The large demo notebook of query and gui-frames (o.reps, o.sessions,
// o.observationsPerSession over a year), written into `dir`, "today" = nowMs.
ridealong::core::DemoReport writeDemoNotebook(const Options& o, const std::string& dir, int64_t nowMs);

// Shared by apply and sync-initial.
// A fresh notebook in `dir` (durable, like a real device).
std::unique_ptr<ridealong::core::Notebook> openFreshNotebook(const std::string& dir);
// A notebook in `dir` holding the JSONL workload, imported.
std::unique_ptr<ridealong::core::Notebook> importWorkload(const Options& o, const std::string& dir);
// One fresh durable replica in `dir` reads the change file, decodes and
// applies it; milliseconds. The replica's dump goes to `dump` if given.
double timeLocalApply(const std::string& changeFile, const std::string& dir, std::string* dump = nullptr);

}  // namespace ridealong::bench
