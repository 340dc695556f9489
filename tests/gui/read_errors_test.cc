// The app when the store cannot be read: the screens keep what was last read
// and the status bar says what failed, instead of going empty as if the
// notebook had nothing in it. The damage is real (store_damage.h).
#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "store_damage.h"

using ridealong::testing::HeadlessUi;

TEST_CASE("a store that cannot be read shows an error, not an empty screen", "[gui][model][errors]") {
  HeadlessUi ui;
  auto& m = ui.model();
  const size_t reps = m.snapshot().reps.size();
  REQUIRE(reps > 0);
  REQUIRE(m.snapshot().error.empty());

  ridealong::testing::zeroStorePages(storeOf(m).dir() + "/store", 2);  // all but LMDB's meta pages
  ui.wait(60 * 1000);                                                  // the next minute reads the store again

  const std::string& error = m.snapshot().error;
  INFO(error);
  CHECK(error.find("could not read the notebook") != std::string::npos);
  CHECK(error.find("MDB_") != std::string::npos);  // LMDB's reason, as it gave it
  CHECK(m.snapshot().reps.size() == reps);         // what was read before stays on screen
  CHECK(m.notice().error);
  CHECK(m.notice().text == error);
  CHECK(m.repDetail(m.snapshot().reps.front().id) == nullptr);  // said in the status bar, too
  CHECK(m.notice().text.find("could not read the rep") != std::string::npos);
}
