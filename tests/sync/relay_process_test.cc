// The real ridealong-relay executable on a loopback port: a device registers,
// pushes and pulls over TCP; SIGTERM shuts it down cleanly; after kill -9 or
// a restart, every acknowledged change is still there.
#include <capnp/rpc-twoparty.h>
#include <fcntl.h>
#include <kj/async-io.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

#include "relay_process.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"
#include "tcp_device.h"
#include "temp_dir.h"

namespace ridealong::sync {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

using testing::TcpDevice;

std::vector<SealedChange> sealRange(const TcpDevice& d, uint64_t from, uint64_t to) {
  std::vector<SealedChange> out;
  for (uint64_t seq = from; seq <= to; ++seq) {
    std::string prev = seq > 1 ? d.keys.digest("note " + std::to_string(seq - 1)) : "";
    out.push_back(d.keys.seal(d.id, seq, "note " + std::to_string(seq), prev));
  }
  return out;
}

core::VersionVector push(kj::AsyncIoContext& io, wire::SyncSession::Client& s, const std::vector<SealedChange>& cs) {
  auto req = s.pushRequest();
  toWire(cs, req.initChanges(static_cast<unsigned>(cs.size())));
  return *fromWire(req.send().wait(io.waitScope).getVv(), WireLimits{});
}

std::vector<std::string> pullAll(kj::AsyncIoContext& io, wire::SyncSession::Client& s, const SpaceKeys& keys) {
  std::vector<std::string> notes;
  core::VersionVector have;
  for (bool more = true; more;) {
    auto req = s.pullRequest();
    toWire(have, req.initSince());
    req.setMaxBytes(4096);
    auto r = req.send().wait(io.waitScope);
    auto changes = fromWire(r.getChanges(), WireLimits{});
    REQUIRE(changes.isOk());
    for (auto& c : *changes) {
      have[c.actor] = c.seq;
      auto note = keys.open(c);
      REQUIRE(note.isOk());
      notes.push_back(*note);
    }
    more = r.getMore();
  }
  return notes;
}

TEST_CASE("the relay process serves devices over TCP and keeps data across restarts", "[sync][relay-process]") {
  testing::TempDir dir;
  std::string data = dir.sub("relay-data"), logPath = dir.sub("relay.log");
  auto io = kj::setupAsyncIo();
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  size_t acknowledged = 50;

  {
    testing::RelayProcess relay(RIDEALONG_RELAY_PATH, data, logPath);
    TcpDevice laptop(io, relay, keys);
    registerSpace(laptop.relay, keys).wait(io.waitScope);
    auto session = openSession(laptop.relay, keys, laptop.identity, laptop.binding).wait(io.waitScope);
    CHECK(push(io, session, sealRange(laptop, 1, 50)).at(laptop.id) == 50);

    SECTION("SIGTERM shuts down cleanly") {
      int status = relay.stop(SIGTERM);
      CHECK(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
      CHECK_THAT(relay.log(), Catch::Contains("shutting down"));
      CHECK_THAT(relay.log(), Catch::Contains("closed: relay shutting down"));
    }
    SECTION("kill -9 loses nothing acknowledged") {
      CHECK(push(io, session, sealRange(laptop, 51, 60)).at(laptop.id) == 60);
      acknowledged = 60;
      int status = relay.stop(SIGKILL);
      CHECK(WIFSIGNALED(status));
    }
  }
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, data, logPath);
  TcpDevice tablet(io, relay, keys);
  auto session = openSession(tablet.relay, keys, tablet.identity, tablet.binding).wait(io.waitScope);
  auto notes = pullAll(io, session, keys);
  REQUIRE(notes.size() == acknowledged);
  CHECK(notes.front() == "note 1");
  CHECK(notes.back() == "note " + std::to_string(acknowledged));
  CHECK_THAT(relay.log(), Catch::Contains("accepted connection from 127.0.0.1:"));
  CHECK_THAT(relay.log(), Catch::Contains("authenticated device " + tablet.id.str()));
  CHECK_THAT(relay.log(), Catch::Contains("enrolled device " + tablet.id.str()));
  // Sealed changes and keys are for the relay's user only.
  for (const char* f : {"data.mdb", "lock.mdb"}) {
    auto mode = std::filesystem::status(data + "/" + f).permissions() & std::filesystem::perms::all;
    CHECK(mode == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  }
}

TEST_CASE("ridealong-relay --help and bad arguments", "[sync][relay-process]") {
  std::string cmd = std::string(RIDEALONG_RELAY_PATH) + " --help > /dev/null 2>&1";
  CHECK(std::system(cmd.c_str()) == 0);
  testing::TempDir dir;
  cmd = std::string(RIDEALONG_RELAY_PATH) + " --data " + dir.path() + " --listen not-an-address:99999 2> " +
        dir.sub("err");
  CHECK(std::system(cmd.c_str()) != 0);
  CHECK_THAT(slurp(dir.sub("err")), Catch::Contains("cannot listen"));
}

}  // namespace
}  // namespace ridealong::sync
