// sync-initial and sync-latency: SyncEngine against a real ridealong-relay
// process on loopback, durable notebooks like real devices.
//  - initial: device A imports the workload and pushes it (not timed); a
//    fresh device B pulls all of it (timed: connect, auth, pages opened and
//    applied, one transaction each). Against the local apply of the same
//    changes from a change file, measured in the same run.
//  - latency: A commits, wake()s its engine; time until B's engine has
//    applied the change from its live subscription (B's status callback).
#include <fmt/core.h>

#include <condition_variable>
#include <mutex>

#include "benches.h"
#include "relay_tools.h"
#include "ridealong/core/change_stream.h"
#include "ridealong/platform/env.h"
#include "ridealong/sync/engine.h"

namespace ridealong::bench {

using namespace ridealong::core;
using namespace ridealong::sync;

namespace {

SpaceKeys registeredSpace(const RelayProcess& relay) {
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  if (auto st = registerSpaceOnRelay(endpointOf(relay), keys); !st) throw std::runtime_error(st.status().toString());
  return keys;
}

}  // namespace

std::vector<Figure> benchSyncInitial(const Options& o) {
  ScratchDir scratch(o.dir);
  auto a = importWorkload(o, scratch.path() + "/a");
  auto changes = a->changesSince({});
  if (!changes) throw std::runtime_error(changes.status().toString());
  std::string file = scratch.path() + "/changes.rdl";
  if (auto st = platform::realEnv().fs().writeFileAtomic(file, encodeChangeStream(*changes)); !st)
    throw std::runtime_error(st.toString());

  RelayProcess relay(relayBinary(), scratch.path() + "/relay", scratch.path() + "/relay.log");
  auto keys = registeredSpace(relay);
  SyncEngineOptions options;
  options.relay = endpointOf(relay);
  {
    SyncEngine pusher(platform::realEnv(), *a, keys, options);
    if (auto st = pusher.syncOnce(); !st) throw std::runtime_error(st.toString());
  }
  if (o.pullPageKiB > 0) options.pullPageBytes = static_cast<uint32_t>(o.pullPageKiB) << 10;
  if (o.firstPullPageKiB > 0) options.firstPullPageBytes = static_cast<uint32_t>(o.firstPullPageKiB) << 10;
  fmt::print("sync-initial: {} changes of {} on relay {}, pull pages of {} KiB doubling to {} KiB\n", changes->size(),
             o.workload, relay.address(), options.firstPullPageBytes >> 10, options.pullPageBytes >> 10);

  std::vector<double> syncMs, applyMs;
  std::string dumpA = orThrow(a->dump());
  for (int run = 0; run < o.syncRuns; ++run) {
    auto b = openFreshNotebook(scratch.path() + "/b" + std::to_string(run));
    SyncEngine engine(platform::realEnv(), *b, keys, options);
    double t0 = nowMs();
    Status st = engine.syncOnce();
    double t1 = nowMs();
    if (!st) throw std::runtime_error(st.toString());
    if (engine.status().pulled != changes->size())
      throw std::runtime_error("device B pulled " + std::to_string(engine.status().pulled) + " changes");
    if (run == 0 && orThrow(b->dump()) != dumpA) throw std::runtime_error("B's dump differs from A's");
    syncMs.push_back(t1 - t0);
    // The local baseline right after, under the same machine conditions.
    applyMs.push_back(timeLocalApply(file, scratch.path() + "/l" + std::to_string(run)));
    fmt::print("  run {}: sync {:.0f} ms, local apply {:.0f} ms\n", run + 1, syncMs.back(), applyMs.back());
  }
  double s = percentile(syncMs, 50), l = percentile(applyMs, 50);
  std::vector<Figure> f;
  f.push_back({"initial sync (median)", fmt::format("{:.0f} ms", s), ""});
  f.push_back({"local apply, same changes (median)", fmt::format("{:.0f} ms", l), ""});
  f.push_back({"initial sync / local apply", fmt::format("{:.2f}x", s / l), "<= 1.5x"});
  printFigures(fmt::format("Initial sync ({} changes from a loopback relay)", changes->size()), f);
  return f;
}

std::vector<Figure> benchSyncLatency(const Options& o) {
  ScratchDir scratch(o.dir);
  RelayProcess relay(relayBinary(), scratch.path() + "/relay", scratch.path() + "/relay.log");
  auto keys = registeredSpace(relay);
  auto a = openFreshNotebook(scratch.path() + "/a");
  auto b = openFreshNotebook(scratch.path() + "/b");

  std::mutex mu;
  std::condition_variable cv;
  uint64_t pulledAtB = 0;
  SyncEngineOptions options;
  options.relay = endpointOf(relay);
  options.pollMs = 60000;  // only wake() and the subscription move changes
  SyncEngineOptions optionsB = options;
  optionsB.onStatus = [&](const SyncStatus& s) {
    std::lock_guard lock(mu);
    pulledAtB = s.pulled;
    cv.notify_all();
  };
  SyncEngine engineA(platform::realEnv(), *a, keys, options);
  SyncEngine engineB(platform::realEnv(), *b, keys, optionsB);
  engineA.start();
  engineB.start();
  auto upToDate = [](SyncEngine& e) { return e.status().state == SyncStatus::State::kUpToDate; };
  for (int i = 0; i < 3000 && !(upToDate(engineA) && upToDate(engineB)); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!upToDate(engineA) || !upToDate(engineB))
    throw std::runtime_error("the engines did not connect: " + engineA.status().lastError);

  std::vector<double> ms;
  for (int i = 0; i < o.latencyChanges; ++i) {
    ChangeBuilder change;
    change.create(a->newId(), "observation",
                  {{"text", Value("asked about the timeline before pricing " + std::to_string(i))},
                   {"rating", Value(int64_t{1 + i % 5})}});
    std::unique_lock lock(mu);
    uint64_t want = pulledAtB + 1;
    lock.unlock();
    double t0 = nowMs();
    if (auto r = a->commit(change); !r) throw std::runtime_error(r.status().toString());
    engineA.wake();
    lock.lock();
    if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return pulledAtB >= want; }))
      throw std::runtime_error("change " + std::to_string(i) + " did not reach device B");
    ms.push_back(nowMs() - t0);
  }
  engineA.stop();
  engineB.stop();
  if (orThrow(a->dump()) != orThrow(b->dump())) throw std::runtime_error("A and B differ after the latency run");
  std::vector<Figure> f;
  f.push_back({"live latency p50", fmt::format("{:.2f} ms", percentile(ms, 50)), "<= 10 ms"});
  f.push_back({"live latency p99", fmt::format("{:.2f} ms", percentile(ms, 99)), "<= 50 ms"});
  f.push_back({"live latency max", fmt::format("{:.2f} ms", percentile(ms, 100)), ""});
  printFigures(fmt::format("Live latency (commit on A -> applied on B, {} changes, durable)", ms.size()), f);
  return f;
}

}  // namespace ridealong::bench
