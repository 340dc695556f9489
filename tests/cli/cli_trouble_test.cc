// The real CLI through a real relay, as an unlucky user meets it: a
// notebook folder copied to a new laptop while the old one keeps writing,
// and a tablet whose clock is three days ahead (the real binary run under
// libfaketime). Everyone ends with every edit and is told what happened.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "relay_process.h"
#include "run_cli.h"
#include "temp_dir.h"

namespace ridealong::testing {
namespace {

using nlohmann::json;

std::vector<std::string> kinds(const json& status) {
  std::vector<std::string> out;
  for (const auto& n : status["notices"]) out.push_back(n["kind"]);
  return out;
}

TEST_CASE("cli: a notebook folder copied to a new laptop, both writing, loses nothing and says so",
          "[cli][sync][copies]") {
  TempDir tmp;
  RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  std::string old = tmp.sub("old"), fresh = tmp.sub("new"), tablet = tmp.sub("tablet");
  mustRun(old, {"init"});
  mustRun(old, {"rep", "add", "--name", "Ana"});
  std::string code = firstLine(mustRun(old, {"space", "create", "--relay", relay.address()}));
  mustRun(old, {"sync"});
  std::filesystem::copy(old, fresh, std::filesystem::copy_options::recursive);
  mustRun(tablet, {"init"});
  mustRun(tablet, {"space", "join", code});
  // Both laptops write before either syncs again.
  mustRun(old, {"rep", "add", "--name", "Written on the old laptop"});
  mustRun(fresh, {"rep", "add", "--name", "Written on the new laptop"});
  CliRun first = runCli(fresh, {"sync"});
  REQUIRE(first.code == 0);
  CHECK(contains(first.err, "sync: note: Found to be a copy"));
  for (const auto& dir : {old, tablet, fresh, old}) mustRun(dir, {"sync"});
  std::string dump = mustRun(tablet, {"dump"});
  CHECK(dump == mustRun(old, {"dump"}));
  CHECK(dump == mustRun(fresh, {"dump"}));
  CHECK(contains(dump, "Written on the old laptop"));
  CHECK(contains(dump, "Written on the new laptop"));
  json status = json::parse(mustRun(fresh, {"sync", "status", "--json"}));
  CHECK(kinds(status) == std::vector<std::string>{"copy"});
  CHECK(status["pendingLocal"] == 0);
  CHECK(json::parse(mustRun(old, {"sync", "status", "--json"}))["notices"].empty());
  // Told once, not at every sync.
  CliRun later = runCli(fresh, {"sync"});
  CHECK_FALSE(contains(later.err, "note:"));
}

TEST_CASE("cli: a tablet with its clock three days ahead syncs both ways and is named", "[cli][sync][clocks]") {
  TempDir tmp;
  RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  std::string laptop = tmp.sub("laptop"), phone = tmp.sub("phone"), tablet = tmp.sub("tablet");
  mustRun(laptop, {"init"});
  std::string code = firstLine(mustRun(laptop, {"space", "create", "--relay", relay.address()}));
  for (const auto& dir : {phone, tablet}) {
    mustRun(dir, {"init"});
    mustRun(dir, {"space", "join", code});
  }
  // The real binary, its clock shifted by libfaketime.
  auto onTablet = [&](std::vector<std::string> args) {
    std::vector<std::string> argv{"faketime", "-f", "+3d", RIDEALONG_CLI_PATH, "--data", tablet};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessRun r = runProcess(argv);
    INFO(r.err);
    REQUIRE(r.code == 0);
    return r;
  };
  onTablet({"rep", "add", "--name", "From the tablet"});
  onTablet({"sync"});
  mustRun(laptop, {"rep", "add", "--name", "From the laptop"});
  CliRun laptopSync = runCli(laptop, {"sync"});
  REQUIRE(laptopSync.code == 0);
  CHECK(contains(laptopSync.err, "clock is 3 days ahead of this device's"));
  mustRun(phone, {"rep", "add", "--name", "From the phone"});
  mustRun(phone, {"sync"});
  mustRun(laptop, {"sync"});
  onTablet({"sync"});
  std::string dump = mustRun(laptop, {"dump"});
  CHECK(dump == mustRun(phone, {"dump"}));
  CHECK(dump == onTablet({"dump"}).out);
  for (const char* name : {"From the tablet", "From the laptop", "From the phone"}) CHECK(contains(dump, name));
  for (const auto& dir : {laptop, phone}) {
    json status = json::parse(mustRun(dir, {"sync", "status", "--json"}));
    CHECK(kinds(status) == std::vector<std::string>{"clock"});
  }
  CHECK(json::parse(onTablet({"sync", "status", "--json"}).out)["notices"].empty());
}

}  // namespace
}  // namespace ridealong::testing
