// Five devices edit at random (new reps, the same fields) and sync with a
// real relay process in random order, some of them cut off for a while,
// with the faults of real life among the events: a device's folder copied
// to a new laptop (at another path, or the same path on another machine), a
// device restored from an older backup that writes before it syncs, a
// device whose clock is days off, and the relay killed with SIGKILL and
// restarted on its data. After everyone syncs, all dumps are identical and
// every rep ever created is there. 200 seeds; RIDEALONG_PARTITION_SEEDS=N
// runs N.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>

#include "engine_fixture.h"
#include "ok_value.h"

namespace ridealong::sync {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;

using Device = SkewedDevice;

// Who is who, for a failing seed: ids, retired ids, held and applied seqs.
std::string describe(const std::vector<std::unique_ptr<Device>>& devices) {
  std::string out;
  for (size_t i = 0; i < devices.size(); ++i) {
    auto& nb = *devices[i]->nb;
    out += "device " + std::to_string(i) + " = " + OK_VALUE(nb.device()).str().substr(0, 6) + ":";
    for (const auto& r : OK_VALUE(nb.retiredDevices()))
      out += " retired " + r.identity.id.str().substr(0, 6) + " kept " + std::to_string(r.keptUpTo);
    auto held = OK_VALUE(nb.heldVersionVector());
    for (const auto& [a, seq] : OK_VALUE(nb.versionVector()))
      out += " " + a.str().substr(0, 6) + "=" + std::to_string(seq) + "/" + std::to_string(held[a]);
    out += " pending " + std::to_string(OK_VALUE(nb.stats()).pending) + "\n";
  }
  return out;
}

uint32_t seedCount() {
  const char* n = std::getenv("RIDEALONG_PARTITION_SEEDS");
  return n ? static_cast<uint32_t>(std::strtoul(n, nullptr, 10)) : 200;
}

void runSeed(uint32_t seed) {
  std::mt19937 rng(seed);
  testing::TempDir tmp;
  auto relay = std::make_unique<testing::RelayProcess>(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(*relay), keys).isOk());
  int folders = 0;
  auto newFolder = [&] { return tmp.sub("d" + std::to_string(folders++)); };
  std::vector<std::unique_ptr<Device>> devices;
  for (int i = 0; i < 5; ++i) {
    // One device in four has its clock days ahead or behind.
    int64_t skew = rng() % 4 == 0 ? (static_cast<int64_t>(rng() % 7) - 3) * kDay : 0;
    devices.push_back(std::make_unique<Device>(newFolder(), skew, true));
  }
  std::set<std::string> created;
  std::vector<std::pair<size_t, std::string>> backups;  // device, folder
  std::string events;

  auto syncDevice = [&](Device& d) {
    SyncEngineOptions options;
    options.relay = testing::endpointOf(*relay);
    options.saveState = false;
    SyncEngine engine(d.env, *d.nb, keys, options);
    Status st = engine.syncOnce();
    INFO(events);
    INFO(st.toString());
    REQUIRE(st.isOk());
  };

  for (int step = 0; step < 30; ++step) {
    size_t who = rng() % devices.size();
    Device& d = *devices[who];
    uint32_t event = rng() % 100;
    if (event < 4 && devices.size() < 7) {
      // The folder copied to a new laptop; the copy joins as it is.
      std::string to = newFolder();
      std::filesystem::copy(d.dir, to, std::filesystem::copy_options::recursive);
      bool samePath = rng() % 2;
      events += " copy" + std::to_string(who) + (samePath ? "same" : "");
      devices.push_back(std::make_unique<Device>(to, 0, !samePath));
      continue;
    }
    if (event < 8) {
      std::string to = newFolder();
      std::filesystem::copy(d.dir, to, std::filesystem::copy_options::recursive);
      backups.emplace_back(who, to);
      events += " backup" + std::to_string(who);
      continue;
    }
    if (event < 11 && !backups.empty()) {
      // Restored in place from its latest backup, after a last sync (what
      // it wrote since is on the relay; a restore never loses synced work).
      auto [dev, folder] = backups.back();
      backups.pop_back();
      if (dev >= devices.size()) continue;
      syncDevice(*devices[dev]);
      std::string dir = devices[dev]->dir;
      int64_t skew = devices[dev]->skewMs;
      devices[dev].reset();
      std::filesystem::remove_all(dir);
      std::filesystem::rename(folder, dir);
      devices[dev] = std::make_unique<Device>(dir, skew, true);
      events += " restore" + std::to_string(dev);
      continue;
    }
    if (event < 14) {
      relay->stop(SIGKILL);
      relay = std::make_unique<testing::RelayProcess>(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
      events += " kill-relay";
      continue;
    }
    auto reps = OK_VALUE(d.nb->listType("rep"));
    core::ChangeBuilder change;
    if (reps.empty() || rng() % 3 == 0) {
      std::string name = "rep " + std::to_string(step);
      change.create(d.nb->newId(), "rep", {{"name", core::Value(name)}});
      created.insert(name);
    } else {
      const auto& rep = reps[rng() % reps.size()];
      change.set(rep.id, rng() % 2 ? "territory" : "team", core::Value("v" + std::to_string(step)));
    }
    REQUIRE(d.nb->commit(change).isOk());
    events += " edit" + std::to_string(who);
    // Devices 3 and 4 stay offline for the first half (a partition).
    size_t syncer = rng() % devices.size();
    if (step < 15 && (syncer == 3 || syncer == 4)) continue;
    if (rng() % 2) {
      syncDevice(*devices[syncer]);
      events += " sync" + std::to_string(syncer);
    }
  }
  // Two passes carry everything everywhere; a device that re-keys in the
  // first pushes its re-issued changes in that same sync.
  for (int pass = 0; pass < 2; ++pass)
    for (auto& d : devices) syncDevice(*d);
  INFO(events);
  INFO(describe(devices));
  std::set<std::string> names;
  for (const auto& r : OK_VALUE(devices[0]->nb->listType("rep"))) names.insert(r.text("name"));
  CHECK(names == created);
  for (size_t i = 1; i < devices.size(); ++i) {
    CHECK(OK_VALUE(devices[i]->nb->dump()) == OK_VALUE(devices[0]->nb->dump()));
    CHECK(OK_VALUE(devices[i]->nb->stats()).pending == 0);
    for (const auto& q : OK_VALUE(devices[i]->nb->quarantined())) FAIL_CHECK(i << ": " << q.reason);
  }
}

TEST_CASE("engine: devices with random partitions, copies, restores, wrong clocks and relay kills converge",
          "[sync][engine][partition][slow]") {
  uint32_t seeds = seedCount(), first = 1;
  if (const char* one = std::getenv("RIDEALONG_PARTITION_SEED")) first = seeds = std::stoul(one);
  for (uint32_t seed = first; seed <= seeds; ++seed) {
    CAPTURE(seed);
    runSeed(seed);
  }
}

}  // namespace
}  // namespace ridealong::sync
