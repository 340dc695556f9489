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

#include "relay_process.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"
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

// A relay with a registered space and two devices, "a" and "b".
struct TwoDeviceSpace {
  explicit TwoDeviceSpace(bool durable = false)
      : relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log")),
        keys(SpaceKeys::derive(newSpaceId(), newSpaceSecret())) {
    REQUIRE(registerSpaceOnRelay(relay.address(), keys).isOk());
    a = openNotebook(tmp.sub("a"), durable);
    b = openNotebook(tmp.sub("b"), durable);
  }
  testing::TempDir tmp;
  testing::RelayProcess relay;
  SpaceKeys keys;
  std::unique_ptr<core::Notebook> a, b;
};

}  // namespace ridealong::sync
