// ridealong-cli space/sync against a real ridealong-relay process on
// loopback: a laptop and a tablet (real LMDB dirs) join one space, edit
// offline (including the same field) and converge; bad invite codes and an
// unreachable relay give clear errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "relay_process.h"
#include "run_cli.h"
#include "temp_dir.h"

namespace ridealong::testing {
namespace {

using nlohmann::json;

TEST_CASE("cli: laptop and tablet sync through a real relay", "[cli][sync]") {
  TempDir tmp;
  RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  std::string laptop = tmp.sub("laptop"), tablet = tmp.sub("tablet");
  mustRun(laptop, {"init"});
  mustRun(tablet, {"init", "--empty"});  // the joining device: the laptop's model comes with the space
  std::string rep = firstLine(mustRun(laptop, {"rep", "add", "--name", "Ana", "--team", "North"}));

  std::string code = firstLine(mustRun(laptop, {"space", "create", "--relay", relay.address()}));
  CHECK(code.rfind("rdl1-", 0) == 0);
  CHECK(firstLine(mustRun(laptop, {"space", "invite"})) == code);
  mustRun(tablet, {"space", "join", code});
  mustRun(tablet, {"space", "join", code});  // the same space again: harmless
  CliRun again = runCli(laptop, {"space", "create", "--relay", relay.address()});
  CHECK(again.code == 1);
  CHECK(contains(again.err, "already in space"));

  mustRun(laptop, {"sync", "--once"});
  CliRun first = runCli(tablet, {"sync", "--once"});
  REQUIRE(first.code == 0);
  CHECK(contains(first.out, "up to date"));
  CHECK(mustRun(laptop, {"dump"}) == mustRun(tablet, {"dump"}));

  // Both edit offline, including the same field.
  mustRun(laptop, {"set", rep, "territory", "Lisbon"});
  mustRun(tablet, {"set", rep, "territory", "Porto"});
  mustRun(laptop, {"rep", "add", "--name", "Bruno"});
  mustRun(tablet, {"rep", "add", "--name", "Carla"});

  json before = json::parse(mustRun(laptop, {"sync", "status", "--json"}));
  CHECK(before["pendingLocal"] == 2);
  CHECK(before["lastSync"] != "never");

  mustRun(laptop, {"sync"});
  mustRun(tablet, {"sync", "--once"});
  mustRun(laptop, {"sync", "--once"});
  std::string dump = mustRun(laptop, {"dump"});
  CHECK(dump == mustRun(tablet, {"dump"}));
  CHECK(contains(dump, "Bruno"));
  CHECK(contains(dump, "Carla"));
  std::string conflicts = mustRun(tablet, {"conflicts"});
  CHECK(contains(conflicts, "Lisbon"));
  CHECK(contains(conflicts, "Porto"));

  json after = json::parse(mustRun(tablet, {"sync", "status", "--json"}));
  CHECK(after["pendingLocal"] == 0);
  CHECK(after["relay"] == relay.address());
  CHECK(contains(mustRun(tablet, {"sync", "status"}), "not yet pushed: 0"));

  // The relay holds no plaintext.
  relay.stop(SIGTERM);
  CHECK(std::system(("grep -rq Lisbon " + tmp.sub("relay")).c_str()) != 0);
}

TEST_CASE("cli: wrong or mangled invite codes are refused", "[cli][sync]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  CliRun bad = runCli(dir, {"space", "join", "hello-world"});
  CHECK(bad.code == 1);
  CHECK(contains(bad.err, "ridealong-cli: invalid invite code"));

  RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  std::string other = tmp.sub("other");
  mustRun(other, {"init"});
  std::string code = firstLine(mustRun(other, {"space", "create", "--relay", relay.address()}));
  std::string mangled = code;
  mangled[10] = mangled[10] == 'a' ? 'b' : 'a';
  CliRun damaged = runCli(dir, {"space", "join", mangled});
  CHECK(damaged.code == 1);
  CHECK(contains(damaged.err, "invalid invite code"));
  CliRun truncated = runCli(dir, {"space", "join", code.substr(0, code.size() - 3)});
  CHECK(truncated.code == 1);
  CHECK(contains(truncated.err, "invalid invite code"));

  // Not in a space: invite, sync and status say so.
  CliRun none = runCli(dir, {"sync", "status"});
  CHECK(none.code == 1);
  CHECK(contains(none.err, "not in a space"));
}

TEST_CASE("cli: an unreachable relay is a clear error, not a hang", "[cli][sync]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  std::string address;
  {
    RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
    address = relay.address();
    mustRun(dir, {"space", "create", "--relay", address});
  }  // killed
  CliRun down = runCli(dir, {"sync", "--once"});
  CHECK(down.code == 1);
  CHECK(contains(down.err, "ridealong-cli: "));
  CHECK(contains(down.err, "cannot reach relay " + address));
  CHECK(contains(mustRun(dir, {"sync", "status"}), "last error:     cannot reach relay"));

  std::string fresh = tmp.sub("fresh");
  mustRun(fresh, {"init"});
  CliRun create = runCli(fresh, {"space", "create", "--relay", address});
  CHECK(create.code == 1);
  CHECK(contains(create.err, "cannot reach relay " + address));
}

}  // namespace
}  // namespace ridealong::testing
