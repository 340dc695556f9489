#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "ridealong/platform/data_dir.h"
#include "ridealong/platform/testing.h"
#include "temp_dir.h"

using namespace ridealong;
using namespace ridealong::platform;

TEST_CASE("device id is created once and then stable", "[platform]") {
  testing::TempDir tmp;
  std::string dir = tmp.sub("nb");
  auto missing = loadDeviceId(realEnv(), dir);
  REQUIRE_FALSE(missing);
  CHECK(missing.status().isNotFound());
  CHECK_THAT(missing.status().message(), Catch::Contains("init"));
  auto a = initDeviceId(realEnv(), dir);
  REQUIRE(a);
  auto b = initDeviceId(realEnv(), dir);
  REQUIRE(b);
  CHECK(*a == *b);
  auto c = loadDeviceId(realEnv(), dir);
  REQUIRE(c);
  CHECK(*c == *a);
}

TEST_CASE("a malformed device id file is an error, never replaced", "[platform]") {
  testing::TempDir tmp;
  REQUIRE(realEnv().fs().writeFileAtomic(tmp.sub("device.id"), "short"));
  auto r = initDeviceId(realEnv(), tmp.path());
  REQUIRE_FALSE(r);
  CHECK(r.status().isCorruption());
  CHECK(*realEnv().fs().readFile(tmp.sub("device.id")) == "short");
}

TEST_CASE("injected disk full and I/O errors surface as statuses", "[platform]") {
  testing::TempDir tmp;
  FaultyFileSystem fs(realEnv().fs());
  FakeClock clock(1767225600000);
  TestEnv env(clock, fs);
  fs.arm(Fault::kDiskFull);
  auto r = initDeviceId(env, tmp.sub("nb"));
  REQUIRE_FALSE(r);
  CHECK(r.status().isDiskFull());
  fs.arm(Fault::kIOError);
  CHECK(fs.checkWrite("x", 1).isIOError());
  fs.arm(Fault::kNone);
  CHECK(initDeviceId(env, tmp.sub("nb")));
}

TEST_CASE("fake clock can be frozen, skewed and advanced", "[platform]") {
  FakeClock clock(1000);
  CHECK(clock.wallMs() == 1000);
  clock.advanceMs(5);
  CHECK(clock.wallMs() == 1005);
  CHECK(clock.monoNs() == 5000000);
  clock.setWallMs(-50);  // clocks can be wildly wrong
  CHECK(clock.wallMs() == -50);
}

TEST_CASE("default data dir follows XDG", "[platform]") {
  const char* old = std::getenv("XDG_DATA_HOME");
  std::string saved = old ? old : "";
  setenv("XDG_DATA_HOME", "/tmp/xdg-test", 1);
  CHECK(defaultDataDir() == "/tmp/xdg-test/ridealong");
  if (old) setenv("XDG_DATA_HOME", saved.c_str(), 1);
  else unsetenv("XDG_DATA_HOME");
}

TEST_CASE("atomic write replaces the whole file", "[platform]") {
  testing::TempDir tmp;
  auto& fs = realEnv().fs();
  REQUIRE(fs.writeFileAtomic(tmp.sub("f"), "one"));
  REQUIRE(fs.writeFileAtomic(tmp.sub("f"), "two two"));
  CHECK(*fs.readFile(tmp.sub("f")) == "two two");
  CHECK_FALSE(fs.exists(tmp.sub("f.tmp")));
  CHECK(fs.readFile(tmp.sub("nope")).status().isNotFound());
}
