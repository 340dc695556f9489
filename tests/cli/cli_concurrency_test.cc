// The app and ridealong-cli may have one notebook open at once: a second
// process writes (and grows the LMDB map past this process's view) while
// this process keeps its notebook open, then both see every write.
#include <catch2/catch.hpp>

#include "ok_value.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"
#include "run_cli.h"
#include "temp_dir.h"

namespace ridealong::testing {

TEST_CASE("cli: another process writing and growing the store is seen by an open notebook", "[cli][concurrency]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  REQUIRE(runCli(dir, {"init"}).code == 0);
  core::NotebookOptions o;
  o.initialMapBytes = 1 << 20;  // this process maps 1 MiB; the CLI will need far more
  auto nb = core::Notebook::open(platform::realEnv(), dir, o);
  REQUIRE(nb);
  core::ChangeBuilder b;
  core::RecordId mine = (*nb)->newId();
  b.create(mine, "rep", {{"name", "Opened in the app"}});
  REQUIRE((*nb)->commit(b));

  CliRun demo = runCli(dir, {"demo", "--reps", "20", "--sessions", "300", "--observations-per-session", "10"});
  INFO(demo.err);
  REQUIRE(demo.code == 0);

  // This process must follow the other's map growth (MDB_MAP_RESIZED).
  core::ChangeBuilder edit;
  edit.set(mine, "team", core::Value("North"));
  REQUIRE((*nb)->commit(edit));
  CHECK(OK_VALUE((*nb)->listType("rep")).size() == 21);
  CHECK(OK_VALUE((*nb)->listType("observation")).size() == 3000);

  CliRun show = runCli(dir, {"show", mine.str()});
  CHECK(show.code == 0);
  CHECK(show.out.find("North") != std::string::npos);
}

}  // namespace ridealong::testing
