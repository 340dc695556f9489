// The relay process is killed (SIGKILL) in the middle of a large sync, once
// while device A pushes and once while device B pulls, and restarted on the
// same port and data: the running engines reconnect and both devices end
// with the same changes, nothing lost, nothing twice. (Cuts at every message
// boundary: engine_cut_test.cc; an idle kill: engine_test.cc.)
#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "engine_fixture.h"
#include "ok_value.h"
#include "relay_process.h"
#include "ridealong/core/notebook.h"
#include "ridealong/sync/engine.h"
#include "temp_dir.h"

namespace ridealong::sync {
namespace {

TEST_CASE("engine: relay killed mid-push and mid-pull, restarted: devices converge", "[sync][engine][kill]") {
  testing::TempDir tmp;
  auto relay = std::make_unique<testing::RelayProcess>(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  const std::string address = relay->address();
  const RelayEndpoint endpoint = testing::endpointOf(*relay);  // the restart keeps the key
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(endpoint, keys).isOk());
  auto a = openNotebook(tmp.sub("a"));
  auto b = openNotebook(tmp.sub("b"));
  const size_t total = 3000;
  std::vector<core::ChangeBuilder> batch(total);
  for (size_t i = 0; i < total; ++i)
    batch[i].create(a->newId(), "rep", {{"name", core::Value("rep " + std::to_string(i))}});
  REQUIRE(a->commitBatch(batch).isOk());

  // The kill comes from the engine's own status callback once a third has
  // moved: after a page was acknowledged, before the next one is sent, so
  // it lands mid-sync on any machine. The test thread then restarts it.
  std::atomic<bool> armed{true}, killed{false};
  std::atomic<uint64_t> movedAtKill{0};
  auto killAt = [&](uint64_t moved) {
    if (moved >= total / 3 && armed.exchange(false)) {
      movedAtKill = moved;
      relay->stop(SIGKILL);
      killed = true;
    }
  };
  auto restartWhenKilled = [&] {
    REQUIRE(eventually([&] { return killed.load(); }, 60000));
    relay =
        std::make_unique<testing::RelayProcess>(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), address);
    killed = false;
  };
  SyncEngineOptions options;
  options.relay = endpoint;
  options.maxBackoffMs = 500;
  options.pushPageChanges = 100;
  options.pullPageBytes = 16 << 10;
  options.saveState = false;
  auto upToDate = [](SyncEngine& e) {
    auto s = e.status();
    return s.state == SyncStatus::State::kUpToDate && s.pendingLocal == 0;
  };

  {
    auto optionsA = options;
    optionsA.onStatus = [&](const SyncStatus& s) { killAt(s.pushed); };
    SyncEngine engineA(platform::realEnv(), *a, keys, optionsA);
    engineA.start();
    restartWhenKilled();
    CHECK(movedAtKill < total);  // the kill did land mid-push
    REQUIRE(eventually([&] { return upToDate(engineA); }, 60000));
  }
  armed = true;
  {
    auto optionsB = options;
    optionsB.onStatus = [&](const SyncStatus& s) { killAt(s.pulled); };
    SyncEngine engineB(platform::realEnv(), *b, keys, optionsB);
    engineB.start();
    restartWhenKilled();
    CHECK(movedAtKill < total);  // mid-pull
    REQUIRE(eventually([&] { return OK_VALUE(b->stats()).changes == total && upToDate(engineB); }, 60000));
  }

  CHECK(OK_VALUE(a->dump()) == OK_VALUE(b->dump()));
  CHECK(OK_VALUE(a->versionVector()) == OK_VALUE(b->versionVector()));
  CHECK(OK_VALUE(b->stats()).pending == 0);
  // Nothing twice: a fresh device pulls exactly A's log from the relay.
  auto c = openNotebook(tmp.sub("c"));
  SyncEngine engineC(platform::realEnv(), *c, keys, options);
  REQUIRE(engineC.syncOnce().isOk());
  CHECK(engineC.status().pulled == total);
  CHECK(OK_VALUE(c->dump()) == OK_VALUE(a->dump()));
}

}  // namespace
}  // namespace ridealong::sync
