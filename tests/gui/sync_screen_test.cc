// The Sync screen against a real ridealong-relay process on loopback: the
// laptop creates a space, the tablet joins with the invite code, and a
// capture on the laptop shows up on the tablet.
#include <chrono>
#include <functional>
#include <thread>

#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ok_value.h"
#include "relay_process.h"
#include "ridealong/core/records.h"
#include "run_process.h"

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
  REQUIRE(until({&laptop, &tablet},
                [&] { return tablet.model().snapshot().reps.size() == laptop.model().snapshot().reps.size(); }));

  // A tap on the laptop reaches the tablet through the relay.
  auto& m = laptop.model();
  m.setRideRep(m.snapshot().team.front().overview.rep);
  REQUIRE(m.startCall({}).isOk());
  core::RecordId call = *m.activeCall();
  REQUIRE(m.capture(m.snapshot().skills[0].name, "strength", "seen from the tablet").isOk());
  REQUIRE(until({&laptop, &tablet}, [&] {
    auto obs = OK_VALUE(storeOf(tablet.model()).sessionObservations(call));
    return obs.size() == 1 && obs[0].text("text") == "seen from the tablet";
  }));
  REQUIRE(until({&laptop, &tablet},
                [&] { return OK_VALUE(storeOf(tablet.model()).dump()) == OK_VALUE(storeOf(m).dump()); }));
}

TEST_CASE("the Sync screen creates a space with the operator's token and relay key", "[gui][sync]") {
  TempDir dir;
  RelayProcess relay(RIDEALONG_RELAY_PATH, dir.sub("relay"), dir.sub("relay.log"), "127.0.0.1:0", {}, {},
                     /*openSignup=*/false);
  ridealong::gui::AppOptions withSync = HeadlessUi::demoOptions();
  withSync.startSync = true;
  HeadlessUi laptop(withSync);
  laptop.model().go(Screen::kSync);
  laptop.frames(2);
  laptop.state().relayAddress = relay.address();
  // Without a token the relay says what is missing, on screen.
  laptop.click("Create space");
  REQUIRE(until({&laptop}, [&] { return !laptop.model().sync().view().error.empty(); }));
  CHECK_THAT(laptop.model().sync().view().error, Catch::Contains("needs a sign-up token"));
  // A mistyped key is refused before anything is sent.
  laptop.state().relayKey = "sha256:12";
  laptop.click("Create space");
  laptop.frames(2);
  CHECK_THAT(laptop.model().sync().view().error, Catch::Contains("64 hex digits"));
  CHECK_FALSE(laptop.model().sync().view().inSpace);
  // With both, the space is made and pinned to that key.
  std::string token = relay.tool({"token", "create"});
  token.erase(token.find_last_not_of('\n') + 1);
  laptop.state().signupToken = token;
  laptop.state().relayKey = relay.pin();
  laptop.click("Create space");
  REQUIRE(until({&laptop}, [&] { return laptop.model().sync().view().inSpace; }));
  CHECK_THAT(laptop.model().sync().view().relay, Catch::Contains(relay.pin()));
  REQUIRE(until({&laptop}, [&] {
    return laptop.model().sync().view().status.state == ridealong::sync::SyncStatus::State::kUpToDate;
  }));
}

TEST_CASE("the Sync screen says which device's clock is wrong, and the rest of sync goes on", "[gui][sync]") {
  TempDir dir;
  RelayProcess relay(RIDEALONG_RELAY_PATH, dir.sub("relay"), dir.sub("relay.log"));
  ridealong::gui::AppOptions withSync = HeadlessUi::demoOptions();
  withSync.startSync = true;
  HeadlessUi laptop(withSync);  // its clock: the demo's "today", 2026-11-26
  laptop.model().go(Screen::kSync);
  laptop.frames(2);
  laptop.state().relayAddress = relay.address();
  laptop.click("Create space");
  REQUIRE(until({&laptop}, [&] { return laptop.model().sync().view().inSpace; }));
  CHECK(laptop.model().sync().view().notices.empty());

  // A phone whose clock is set well past the laptop's (the real clock,
  // days after the demo's today), through the real CLI.
  std::string phone = dir.sub("phone");
  auto cli = [&](std::vector<std::string> args) {
    std::vector<std::string> argv{RIDEALONG_CLI_PATH, "--data", phone};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = ridealong::testing::runProcess(argv);
    INFO(r.err);
    REQUIRE(r.code == 0);
    return r.out;
  };
  cli({"init"});
  cli({"space", "join", laptop.model().sync().view().inviteCode});
  cli({"rep", "add", "--name", "Added on the phone"});
  cli({"sync"});
  laptop.model().sync().wake();
  REQUIRE(until({&laptop}, [&] { return !laptop.model().sync().view().notices.empty(); }));
  const auto& n = laptop.model().sync().view().notices.front();
  CHECK(n.kind == core::Notice::Kind::kClock);
  CHECK_THAT(n.text, Catch::Contains("ahead of this device's"));
  bool arrived = false;
  for (const auto& r : laptop.model().snapshot().reps) arrived |= r.name == "Added on the phone";
  CHECK(arrived);
  laptop.frames(3);  // the screen draws the notice
}
