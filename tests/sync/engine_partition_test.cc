// Five devices edit at random (new reps, the same fields) and sync with a
// real relay process in random order, some of them cut off for a while;
// after everyone syncs twice, all dumps are identical. Several seeds.
#include <catch2/catch.hpp>
#include <random>

#include "relay_process.h"
#include "ridealong/core/notebook.h"
#include "ridealong/sync/engine.h"
#include "temp_dir.h"

namespace ridealong::sync {
namespace {

TEST_CASE("engine: five devices with random partitions converge", "[sync][engine][partition]") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    testing::TempDir tmp;
    testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"),
                                      tmp.sub("relay.log"));
    auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
    REQUIRE(registerSpaceOnRelay(relay.address(), keys).isOk());
    std::vector<std::unique_ptr<core::Notebook>> devices;
    core::NotebookOptions nbOptions;
    nbOptions.create = true;
    nbOptions.durable = false;
    for (int i = 0; i < 5; ++i) {
      auto nb = core::Notebook::open(platform::realEnv(), tmp.sub("d" + std::to_string(i)), nbOptions);
      REQUIRE(nb.isOk());
      devices.push_back(std::move(nb).value());
    }
    SyncEngineOptions options;
    options.relay = relay.address();
    options.saveState = false;
    auto syncDevice = [&](core::Notebook& nb) {
      SyncEngine engine(platform::realEnv(), nb, keys, options);
      Status st = engine.syncOnce();
      INFO(st.toString());
      REQUIRE(st.isOk());
    };

    for (int step = 0; step < 40; ++step) {
      auto& nb = *devices[rng() % devices.size()];
      auto reps = nb.listType("rep");
      core::ChangeBuilder change;
      if (reps.empty() || rng() % 3 == 0) {
        change.create(nb.newId(), "rep", {{"name", core::Value("rep " + std::to_string(step))}});
      } else {
        const auto& rep = reps[rng() % reps.size()];
        change.set(rep.id, rng() % 2 ? "territory" : "team",
                   core::Value("v" + std::to_string(step)));
      }
      REQUIRE(nb.commit(change).isOk());
      // Devices 3 and 4 stay offline for the first half (a partition).
      size_t who = rng() % devices.size();
      if (step < 20 && who >= 3) continue;
      if (rng() % 2) syncDevice(*devices[who]);
    }
    for (int pass = 0; pass < 2; ++pass)
      for (auto& nb : devices) syncDevice(*nb);
    for (size_t i = 1; i < devices.size(); ++i) {
      CHECK(devices[i]->dump() == devices[0]->dump());
      CHECK(devices[i]->stats().pending == 0);
    }
  }
}

}  // namespace
}  // namespace ridealong::sync
