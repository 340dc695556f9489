// ridealong-cli when the store cannot be read: the command fails (exit 1)
// with LMDB's reason instead of printing a valid-looking empty answer; above
// all `dump`, by which replicas are compared. See store_damage.h.
#include <catch2/catch.hpp>

#include "run_cli.h"
#include "store_damage.h"
#include "temp_dir.h"

namespace ridealong::testing {

TEST_CASE("cli: dump of a store whose records cannot be read exits 1 with the reason", "[cli][errors]") {
  TempDir tmp;
  const std::string dir = tmp.sub("nb");
  mustRun(dir, {"init", "--empty"});
  std::string ana = firstLine(mustRun(dir, {"rep", "add", "--name", "Ana", "--team", "North"}));
  REQUIRE(contains(mustRun(dir, {"dump"}), ana));

  const uint64_t root = recordsRootPage(dir + "/store");
  zeroStorePages(dir + "/store", root, root);  // the records' root page, only

  CliRun dump = runCli(dir, {"dump"});
  INFO(dump.err);
  CHECK(dump.code == 1);
  CHECK(dump.out.empty());  // no partial or empty JSON
  CHECK(contains(dump.err, "dump: reading"));
  CHECK(contains(dump.err, "MDB_CORRUPTED"));
  // Other reads of records say so too; what does not read them still works.
  CliRun list = runCli(dir, {"rep", "list"});
  CHECK(list.code == 1);
  CHECK(contains(list.err, "MDB_CORRUPTED"));
  CHECK(runCli(dir, {"changes", "vv"}).code == 0);
}

}  // namespace ridealong::testing
