// SyncEngine against a real ridealong-relay process: two notebooks (real
// LMDB dirs) in one space; a change committed on A reaches B through B's
// live subscription once A is woken, and status() tells the state.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "engine_fixture.h"
#include "ok_value.h"
#include "relay_process.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/testing.h"
#include "ridealong/sync/engine.h"
#include "temp_dir.h"

namespace ridealong::sync {
namespace {

core::RecordId addRep(core::Notebook& nb, const char* name) {
  core::ChangeBuilder b;
  auto id = nb.newId();
  b.create(id, "rep", {{"name", core::Value(name)}});
  REQUIRE(nb.commit(b).isOk());
  return id;
}

TEST_CASE("engine: live subscription applies A's commit at B after wake()", "[sync][engine]") {
  TwoDeviceSpace space;
  auto& [tmp, relay, keys, a, b] = space;
  addRep(*a, "Ana");

  SyncEngineOptions options;
  options.relay = testing::endpointOf(relay);
  options.pollMs = 60000;  // only wake() and the subscription drive syncing here
  SyncEngine engineA(platform::realEnv(), *a, keys, options);
  SyncEngine engineB(platform::realEnv(), *b, keys, options);
  engineA.start();
  engineB.start();
  REQUIRE(eventually([&] { return OK_VALUE(a->dump()) == OK_VALUE(b->dump()); }));
  REQUIRE(eventually([&] { return engineB.status().state == SyncStatus::State::kUpToDate; }));

  auto id = addRep(*a, "Bruno");
  engineA.wake();
  REQUIRE(eventually([&] { return FOUND(b->get(id)); }));
  CHECK(OK_VALUE(a->dump()) == OK_VALUE(b->dump()));
  CHECK(engineB.status().pulled >= 2);
  // B can apply the change (fanned out by the relay) before A has read the
  // relay's reply to its push.
  CHECK(eventually([&] { return engineA.status().pushed >= 2; }));
  CHECK(engineA.status().lastError.empty());

  engineA.stop();
  engineB.stop();
  CHECK(engineB.status().state == SyncStatus::State::kOffline);
}

TEST_CASE("engine: syncOnce names an unreachable relay, stop() does not hang", "[sync][engine]") {
  testing::TempDir tmp;
  RelayEndpoint endpoint;
  {
    testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
    endpoint = testing::endpointOf(relay);
  }
  const std::string address = endpoint.address;
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  auto nb = openNotebook(tmp.sub("a"));
  SyncEngineOptions options;
  options.relay = endpoint;
  SyncEngine engine(platform::realEnv(), *nb, keys, options);
  Status st = engine.syncOnce();
  REQUIRE_FALSE(st.isOk());
  CHECK_THAT(st.message(), Catch::Contains("cannot reach relay " + address));
  CHECK_THAT(engine.status().lastError, Catch::Contains("cannot reach relay"));

  engine.start();
  REQUIRE(eventually([&] { return !engine.status().lastError.empty(); }));
  auto t0 = std::chrono::steady_clock::now();
  engine.stop();
  // stop() must interrupt the pending connect/call rather than wait out its
  // 30 s timeout; the bound is loose so a slow machine does not fail it.
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(15));
}

TEST_CASE("engine: a device with the wrong secret cannot sign in", "[sync][engine]") {
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys).isOk());
  auto wrong = SpaceKeys::derive(keys.space(), newSpaceSecret());
  auto nb = openNotebook(tmp.sub("a"));
  SyncEngineOptions options;
  options.relay = testing::endpointOf(relay);
  SyncEngine engine(platform::realEnv(), *nb, wrong, options);
  Status st = engine.syncOnce();
  REQUIRE_FALSE(st.isOk());
  // A new device enrols first: the relay refuses an enrolment the space's
  // key did not sign.
  CHECK_THAT(st.message(), Catch::Contains("does not hold the space's secret"));
  CHECK(engine.status().pushed == 0);
}

TEST_CASE("engine: paged push and pull of many changes converge", "[sync][engine]") {
  TwoDeviceSpace space;
  auto& [tmp, relay, keys, a, b] = space;
  commitReps(*a, 1200);
  addRep(*b, "Tablet's own");

  SyncEngineOptions options;
  options.relay = testing::endpointOf(relay);
  options.pushPageChanges = 500;
  options.pullPageBytes = 8192;  // many small pages
  SyncEngine engineA(platform::realEnv(), *a, keys, options);
  SyncEngine engineB(platform::realEnv(), *b, keys, options);
  REQUIRE(engineA.syncOnce().isOk());
  CHECK(engineA.status().pushed == 1200);
  REQUIRE(engineB.syncOnce().isOk());
  CHECK(engineB.status().pulled == 1200);
  REQUIRE(engineA.syncOnce().isOk());
  CHECK(OK_VALUE(a->dump()) == OK_VALUE(b->dump()));
  CHECK(engineA.status().pendingLocal == 0);
  // Again: nothing moves, nothing is duplicated.
  REQUIRE(engineB.syncOnce().isOk());
  CHECK(engineB.status().pulled == 1200);
  CHECK(OK_VALUE(a->dump()) == OK_VALUE(b->dump()));
}

TEST_CASE("engine: a pull the store cannot take keeps the pages before it, says why, resumes", "[sync][engine]") {
  TwoDeviceSpace space;
  auto& [tmp, relay, keys, a, unused] = space;
  commitReps(*a, 1200);
  SyncEngineOptions options;
  options.relay = testing::endpointOf(relay);
  options.saveState = false;
  SyncEngine engineA(platform::realEnv(), *a, keys, options);
  REQUIRE(engineA.syncOnce().isOk());

  // B's store reports a full disk once some pages have landed.
  platform::FaultyFileSystem fs(platform::realEnv().fs());
  platform::TestEnv env(platform::realEnv().clock(), fs);
  core::NotebookOptions nbOptions;
  nbOptions.create = true;
  auto b = core::Notebook::open(env, tmp.sub("b2"), nbOptions);
  REQUIRE(b.isOk());
  auto optionsB = options;
  optionsB.firstPullPageBytes = optionsB.pullPageBytes = 8192;  // many small pages
  optionsB.onStatus = [&](const SyncStatus& s) {
    if (s.pulled >= 300) fs.arm(platform::Fault::kDiskFull);
  };
  SyncEngine engineB(platform::realEnv(), **b, keys, optionsB);
  Status st = engineB.syncOnce();
  REQUIRE_FALSE(st);
  CHECK(st.isDiskFull());
  CHECK_THAT(st.message(), Catch::Contains("applying changes from the relay"));
  uint64_t kept = OK_VALUE((*b)->stats()).changes;
  CHECK(kept >= 300);
  CHECK(kept < 1200);
  CHECK(engineB.status().pulled == kept);  // counted exactly what the store holds

  fs.arm(platform::Fault::kNone);
  optionsB.onStatus = nullptr;
  SyncEngine again(platform::realEnv(), **b, keys, optionsB);
  REQUIRE(again.syncOnce().isOk());
  CHECK(again.status().pulled == 1200 - kept);  // the rest, nothing twice
  CHECK(OK_VALUE((*b)->dump()) == OK_VALUE(a->dump()));
}

TEST_CASE("engine: reconnects after the relay is killed and restarted", "[sync][engine]") {
  testing::TempDir tmp;
  auto relay = std::make_unique<testing::RelayProcess>(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  std::string address = relay->address();
  const RelayEndpoint endpoint = testing::endpointOf(*relay);  // the restart keeps the key
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(endpoint, keys).isOk());
  auto a = openNotebook(tmp.sub("a"));
  auto b = openNotebook(tmp.sub("b"));
  SyncEngineOptions options;
  options.relay = endpoint;
  options.maxBackoffMs = 1000;
  SyncEngine engineA(platform::realEnv(), *a, keys, options);
  SyncEngine engineB(platform::realEnv(), *b, keys, options);
  engineA.start();
  engineB.start();
  REQUIRE(eventually([&] { return engineB.status().state == SyncStatus::State::kUpToDate; }));

  relay->stop(SIGKILL);
  auto id = addRep(*a, "Written while the relay was down");
  engineA.wake();
  REQUIRE(eventually([&] { return engineA.status().state == SyncStatus::State::kOffline; }));
  relay =
      std::make_unique<testing::RelayProcess>(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), address);
  engineA.wake();
  REQUIRE(eventually([&] { return FOUND(b->get(id)); }, 10000));
  CHECK(eventually([&] { return OK_VALUE(a->dump()) == OK_VALUE(b->dump()); }));
}

TEST_CASE("engine: a commit by another process is noticed without wake()", "[sync][engine]") {
  TwoDeviceSpace space;
  auto& [tmp, relay, keys, a, b] = space;
  SyncEngineOptions options;
  options.relay = testing::endpointOf(relay);
  options.pollMs = 50;
  SyncEngine engineA(platform::realEnv(), *a, keys, options);
  SyncEngine engineB(platform::realEnv(), *b, keys, options);
  engineA.start();
  engineB.start();
  REQUIRE(eventually([&] { return engineA.status().state == SyncStatus::State::kUpToDate; }));
  // No wake(): like a commit by the CLI, only the store's generation shows it.
  auto id = addRep(*a, "Committed without wake()");
  REQUIRE(eventually([&] { return FOUND(b->get(id)); }));
  CHECK(eventually([&] { return engineA.status().pendingLocal == 0; }));
}

}  // namespace
}  // namespace ridealong::sync
