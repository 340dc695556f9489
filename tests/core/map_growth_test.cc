// The LMDB map grows by itself: before it fills (60% rule), when a single
// transaction overflows it (MDB_MAP_FULL -> grow and retry), and survives
// reopening with everything in place.
#include <catch2/catch.hpp>

#include "ok_value.h"
#include "ridealong/core/change_stream.h"
#include "ridealong/core/import.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"
#include "temp_dir.h"
#include "workload.h"

using namespace ridealong;
using namespace ridealong::core;

namespace {

std::vector<ChangeBuilder> bigBatch(Notebook& nb, int n, size_t textBytes) {
  std::vector<ChangeBuilder> out(n);
  for (int i = 0; i < n; i++)
    out[i].create(nb.newId(), "rep", {{"name", "Rep " + std::to_string(i)}, {"team", std::string(textBytes, 'x')}});
  return out;
}

}  // namespace

TEST_CASE("the store map grows before it fills and when one write overflows it", "[notebook][growth]") {
  testing::TempDir tmp;
  NotebookOptions o;
  o.create = true;
  o.durable = false;
  o.initialMapBytes = 256 << 10;  // 256 KiB: tiny on purpose
  auto nb = Notebook::open(platform::realEnv(), tmp.path(), o);
  REQUIRE(nb);
  uint64_t startMap = OK_VALUE((*nb)->stats()).mapBytes;

  // One transaction far larger than the map: MDB_MAP_FULL, grow, retry.
  auto one = (*nb)->commitBatch(bigBatch(**nb, 400, 4000));
  REQUIRE(one);
  CHECK(one->size() == 400);
  uint64_t afterBig = OK_VALUE((*nb)->stats()).mapBytes;
  CHECK(afterBig > startMap);

  // Many small transactions: grown ahead of time, never an error.
  for (int i = 0; i < 30; i++) REQUIRE((*nb)->commitBatch(bigBatch(**nb, 20, 2000)));
  auto stats = OK_VALUE((*nb)->stats());
  CHECK(stats.mapBytes >= afterBig);
  CHECK(stats.usedBytes <= stats.mapBytes);
  CHECK(OK_VALUE((*nb)->listType("rep")).size() == 400 + 30 * 20);

  std::string dump = OK_VALUE((*nb)->dump());
  nb->reset();
  NotebookOptions reopen;
  reopen.initialMapBytes = 256 << 10;  // smaller than the file: LMDB keeps the file's size
  auto again = Notebook::open(platform::realEnv(), tmp.path(), reopen);
  REQUIRE(again);
  CHECK(OK_VALUE((*again)->dump()) == dump);
  ChangeBuilder b;
  b.create((*again)->newId(), "rep", {{"name", "After reopen"}});
  CHECK((*again)->commit(b));
}

// Batches of 1,024 records and more finish their index work on a helper
// thread; a map growth used to unwind past it and abort the process. Any
// batch size must grow the map and succeed, from the smallest map LMDB takes.
TEST_CASE("a 100,000-record import and its change file apply from the smallest map",
          "[notebook][growth][large][slow]") {
  testing::TempDir tmp;
  NotebookOptions o;
  o.create = true;
  o.durable = false;
  o.initialMapBytes = 64 << 10;  // 16 pages
  auto a = Notebook::open(platform::realEnv(), tmp.sub("a"), o);
  REQUIRE(a);
  auto imported = importJsonl(**a, testing::w1Jsonl(100000, 3), "w1.jsonl");
  INFO(imported.status().toString());
  REQUIRE(imported);
  CHECK(imported->records == 100000);
  auto all = (*a)->changesSince({});
  REQUIRE(all);
  auto file = decodeChangeStream(encodeChangeStream(*all));
  REQUIRE(file);
  auto b = Notebook::open(platform::realEnv(), tmp.sub("b"), o);
  REQUIRE(b);
  auto report = (*b)->applyChanges(*file);
  REQUIRE(report);
  CHECK(report->applied == 100000);
  CHECK(OK_VALUE((*b)->dump()) == OK_VALUE((*a)->dump()));
}
