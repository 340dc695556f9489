// Shared set-up for the SyncEngine tests: a real ridealong-relay process on
// a loopback port with one registered space, and notebooks (real LMDB dirs)
// to sync through it.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ok_value.h"
#include "relay_endpoint.h"
#include "relay_process.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"
#include "ridealong/platform/testing.h"
#include "ridealong/sync/engine.h"
#include "temp_dir.h"

namespace ridealong::sync {

inline std::unique_ptr<core::Notebook> openNotebook(const std::string& dir, bool durable = false) {
  core::NotebookOptions options;
  options.create = true;
  options.durable = durable;
  auto nb = core::Notebook::open(platform::realEnv(), dir, options);
  REQUIRE(nb.isOk());
  return std::move(nb).value();
}

// Commits `n` new reps ("rep 0", "rep 1", ...) in one batch.
inline void commitReps(core::Notebook& nb, size_t n) {
  std::vector<core::ChangeBuilder> batch(n);
  for (size_t i = 0; i < batch.size(); ++i)
    batch[i].create(nb.newId(), "rep", {{"name", core::Value("rep " + std::to_string(i))}});
  REQUIRE(nb.commitBatch(batch).isOk());
}

// Polls `done` every 5 ms for up to `ms` (generous: CI machines stall).
template <typename F>
bool eventually(F done, int ms = 30000) {
  for (int i = 0; i < ms / 5; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

// The real clock moved by a fixed offset: a device whose clock is wrong.
class SkewedClock final : public platform::Clock {
 public:
  explicit SkewedClock(int64_t offsetMs) : offsetMs_(offsetMs) {}
  int64_t wallMs() override { return platform::realEnv().clock().wallMs() + offsetMs_; }
  int64_t monoNs() override { return platform::realEnv().clock().monoNs(); }

 private:
  int64_t offsetMs_;
};

// A notebook on disk with its own (possibly wrong) clock, for the tests of
// real-life faults. `detectMove` off: as if the folder had been copied to
// the same path on another machine, where nothing local tells copies apart.
struct SkewedDevice {
  explicit SkewedDevice(std::string dir, int64_t skewMs = 0, bool detectMove = true)
      : dir(std::move(dir)), skewMs(skewMs), clock(skewMs), env(clock, platform::realEnv().fs()) {
    core::NotebookOptions o;
    o.create = true;
    o.durable = false;
    o.detectMove = detectMove;
    auto r = core::Notebook::open(env, this->dir, o);
    REQUIRE(r);
    nb = std::move(r).value();
  }
  std::string dir;
  int64_t skewMs;
  SkewedClock clock;
  platform::TestEnv env;
  std::unique_ptr<core::Notebook> nb;
};

// The honest pair of the abuse tests: a new space on `relay`, device A
// commits `reps` reps and syncs, a fresh device B syncs them in and must
// match. Returns the wall time of the two syncs in ms, for the figures
// "honest sync under abuse" next to "on an idle relay" (WARN lines).
inline double honestRoundTrip(const testing::RelayProcess& relay, const testing::TempDir& tmp, const std::string& tag,
                              size_t reps = 5) {
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys));
  auto a = openNotebook(tmp.sub(tag + "-a"));
  auto b = openNotebook(tmp.sub(tag + "-b"));
  commitReps(*a, reps);
  SyncEngineOptions o;
  o.relay = testing::endpointOf(relay);
  o.saveState = false;
  auto t0 = std::chrono::steady_clock::now();
  SyncEngine ea(platform::realEnv(), *a, keys, o);
  REQUIRE(ea.syncOnce());
  SyncEngine eb(platform::realEnv(), *b, keys, o);
  REQUIRE(eb.syncOnce());
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(OK_VALUE(b->dump()) == OK_VALUE(a->dump()));
  return ms;
}

// A relay with a registered space and two devices, "a" and "b".
struct TwoDeviceSpace {
  explicit TwoDeviceSpace(bool durable = false)
      : relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log")),
        keys(SpaceKeys::derive(newSpaceId(), newSpaceSecret())) {
    REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys).isOk());
    a = openNotebook(tmp.sub("a"), durable);
    b = openNotebook(tmp.sub("b"), durable);
  }
  testing::TempDir tmp;
  testing::RelayProcess relay;
  SpaceKeys keys;
  std::unique_ptr<core::Notebook> a, b;
};

}  // namespace ridealong::sync
