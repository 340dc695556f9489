// The app and ridealong-cli open the same notebook at once: each sees the
// other's commits (the CLI is the real binary, a second process).
#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ridealong/core/records.h"
#include "run_process.h"

using ridealong::testing::HeadlessUi;
using ridealong::testing::runProcess;
namespace core = ridealong::core;

TEST_CASE("the app and the CLI share a notebook while both have it open", "[gui][cli]") {
  ridealong::gui::AppOptions o = HeadlessUi::demoOptions();
  HeadlessUi ui(o);
  auto& m = ui.model();
  ui.frames(2);
  size_t reps = m.snapshot().reps.size();

  auto added = runProcess({RIDEALONG_CLI_PATH, "--data", ui.dataDir(), "rep", "add", "--name", "Added From CLI"});
  INFO(added.err);
  REQUIRE(added.code == 0);
  std::string id = added.out.substr(0, added.out.find('\n'));
  ui.frame();  // the app notices the other process's commit on its next frame
  REQUIRE(m.snapshot().reps.size() == reps + 1);
  auto rid = core::RecordId::parse(id);
  REQUIRE(rid);
  CHECK(m.snapshot().repName(*rid) == "Added From CLI");

  REQUIRE(m.setField(*rid, "territory", core::Value("Harbour"), "set territory").isOk());
  auto shown = runProcess({RIDEALONG_CLI_PATH, "--data", ui.dataDir(), "show", id, "--json"});
  REQUIRE(shown.code == 0);
  CHECK(shown.out.find("Harbour") != std::string::npos);
}
