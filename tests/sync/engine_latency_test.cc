// Live latency (hidden; run `sync_tests "[.latency]"`): commit on A, wake()
// A's engine, time until B's subscription applied it; prints p50/p99.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "engine_fixture.h"
#include "relay_process.h"
#include "ridealong/core/notebook.h"
#include "ridealong/sync/engine.h"
#include "temp_dir.h"

namespace ridealong::sync {
namespace {

TEST_CASE("engine: live latency A commit -> applied at B", "[.latency]") {
  TwoDeviceSpace space(/*durable=*/true);  // latency of real, durable commits
  auto& [tmp, relay, keys, a, b] = space;
  SyncEngineOptions options;
  options.relay = relay.address();
  options.pollMs = 60000;
  SyncEngine engineA(platform::realEnv(), *a, keys, options);
  SyncEngine engineB(platform::realEnv(), *b, keys, options);
  engineA.start();
  engineB.start();
  while (engineB.status().state != SyncStatus::State::kUpToDate ||
         engineA.status().state != SyncStatus::State::kUpToDate)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));

  std::vector<double> ms;
  for (int i = 0; i < 1000; ++i) {
    core::ChangeBuilder change;
    auto id = a->newId();
    change.create(id, "rep", {{"name", core::Value("rep " + std::to_string(i))}});
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(a->commit(change).isOk());
    engineA.wake();
    while (!b->get(id)) std::this_thread::sleep_for(std::chrono::microseconds(200));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  WARN("live latency over " << ms.size() << " changes: p50 " << ms[ms.size() / 2] << " ms, p99 "
                            << ms[ms.size() * 99 / 100] << " ms, max " << ms.back() << " ms");
}

}  // namespace
}  // namespace ridealong::sync
