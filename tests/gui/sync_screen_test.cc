// The Sync screen against a real ridealong-relay process on loopback: the
// laptop creates a space, the tablet joins with the invite code, and a
// capture on the laptop shows up on the tablet.
#include <chrono>
#include <functional>
#include <thread>

#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "relay_process.h"
#include "ridealong/core/records.h"

using ridealong::gui::Screen;
using ridealong::testing::HeadlessUi;
using ridealong::testing::RelayProcess;
using ridealong::testing::TempDir;
namespace core = ridealong::core;

namespace {

// Draws frames on both devices until `done` (the engines run on their own
// threads); false if it never happens within a generous bound.
bool until(std::vector<HeadlessUi*> devices, const std::function<bool()>& done) {
  for (int i = 0; i < 3000; i++) {
    for (auto* d : devices) d->frame();
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("create a space, join it from another device, see captures arrive", "[gui][sync]") {
  TempDir dir;
  RelayProcess relay(RIDEALONG_RELAY_PATH, dir.sub("relay"), dir.sub("relay.log"));

  ridealong::gui::AppOptions withSync = HeadlessUi::demoOptions();
  withSync.startSync = true;
  HeadlessUi laptop(withSync);
  laptop.model().go(Screen::kSync);
  laptop.frames(2);
  laptop.state().relayAddress = relay.address();  // typed into the relay field
  laptop.click("Create space");
  REQUIRE(until({&laptop}, [&] { return laptop.model().sync().view().inSpace; }));
  const std::string code = laptop.model().sync().view().inviteCode;
  CHECK(code.rfind("rdl1-", 0) == 0);
  REQUIRE(until({&laptop}, [&] {
    return laptop.model().sync().view().status.state == ridealong::sync::SyncStatus::State::kUpToDate;
  }));

  ridealong::gui::AppOptions empty;
  empty.startSync = true;
  HeadlessUi tablet(empty);
  tablet.model().go(Screen::kSync);
  tablet.frames(2);
  tablet.state().inviteCode = code;  // pasted
  tablet.click("Join");
  REQUIRE(until({&laptop, &tablet}, [&] {
    return tablet.model().snapshot().reps.size() == laptop.model().snapshot().reps.size();
  }));

  // A tap on the laptop reaches the tablet through the relay.
  auto& m = laptop.model();
  m.setRideRep(m.snapshot().team.front().overview.rep);
  REQUIRE(m.startCall({}).isOk());
  core::RecordId call = *m.activeCall();
  REQUIRE(m.capture(m.snapshot().skills[0].name, "strength", "seen from the tablet").isOk());
  REQUIRE(until({&laptop, &tablet}, [&] {
    auto obs = tablet.model().notebook().sessionObservations(call);
    return obs.size() == 1 && obs[0].text("text") == "seen from the tablet";
  }));
  REQUIRE(until({&laptop, &tablet}, [&] { return tablet.model().notebook().dump() == m.notebook().dump(); }));
}
