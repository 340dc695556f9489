// space.json and sync_state.json: round trips, a private file mode for the
// secret, and clear errors for a missing or garbled file.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "ridealong/sync/space_config.h"
#include "temp_dir.h"

namespace ridealong::sync {
namespace {

void writeText(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

TEST_CASE("space.json round-trips and is private to its owner", "[sync][space-config]") {
  testing::TempDir tmp;
  auto& env = platform::realEnv();
  SpaceConfig c{newSpaceId(), newSpaceSecret(), "relay.example:7420"};
  REQUIRE(saveSpaceConfig(env, tmp.path(), c).isOk());
  auto loaded = loadSpaceConfig(env, tmp.path());
  REQUIRE(loaded.isOk());
  CHECK(loaded->space == c.space);
  CHECK(loaded->secret == c.secret);
  CHECK(loaded->relay == c.relay);
  struct stat st {};
  REQUIRE(::stat(spaceConfigPath(tmp.path()).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a missing or garbled space.json is a clear error", "[sync][space-config]") {
  testing::TempDir tmp;
  auto& env = platform::realEnv();
  auto missing = loadSpaceConfig(env, tmp.path());
  REQUIRE_FALSE(missing.isOk());
  CHECK(missing.status().isNotFound());
  CHECK_THAT(missing.status().message(), Catch::Contains("space join"));

  for (std::string text : {"not json", "{}", R"({"space":"x","secret":"00","relay":"h:1"})",
                           R"({"space":"00000000000000000000000000","secret":"zz","relay":"h:1"})"}) {
    writeText(spaceConfigPath(tmp.path()), text);
    auto garbled = loadSpaceConfig(env, tmp.path());
    REQUIRE_FALSE(garbled.isOk());
    CHECK(garbled.status().isCorruption());
    CHECK_THAT(garbled.status().message(), Catch::Contains("space.json is damaged"));
  }
}

TEST_CASE("sync_state.json: empty when missing, round-trips", "[sync][space-config]") {
  testing::TempDir tmp;
  auto& env = platform::realEnv();
  auto none = loadSyncState(env, tmp.path());
  REQUIRE(none.isOk());
  CHECK(none->lastSyncMs == 0);
  SyncState s{1234, {{newSpaceId(), 7}}};
  REQUIRE(saveSyncState(env, tmp.path(), s).isOk());
  auto loaded = loadSyncState(env, tmp.path());
  REQUIRE(loaded.isOk());
  CHECK(loaded->lastSyncMs == 1234);
  CHECK(loaded->relayVv == s.relayVv);
  writeText(syncStatePath(tmp.path()), "[]");
  CHECK(loadSyncState(env, tmp.path()).status().isCorruption());
}

}  // namespace
}  // namespace ridealong::sync
