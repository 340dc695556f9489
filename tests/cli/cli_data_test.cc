// ridealong-cli data movement: change files between notebooks (including
// damaged ones), record export as CSV/JSON, and the demo generator.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.h"
#include "temp_dir.h"

namespace ridealong::testing {
namespace {

using nlohmann::json;

// A small notebook with a rep, a session, an observation, an edit and a
// deleted record.
struct Sample {
  std::string rep, session, obs;
};

Sample fillSample(const std::string& dir) {
  Sample s;
  mustRun(dir, {"init", "--empty"});
  s.rep = firstLine(mustRun(dir, {"rep", "add", "--name", "Ana, \"the closer\"", "--team", "North"}));
  s.session =
      firstLine(mustRun(dir, {"session", "new", "--rep", s.rep, "--type", "developmental", "--area", "skills"}));
  s.obs = firstLine(mustRun(dir, {"observe", "--session", s.session, "--skill", "closing", "--kind", "improve",
                                  "--text", "line one\nline two"}));
  mustRun(dir, {"set", s.rep, "territory", "Lisbon"});
  std::string gone = firstLine(mustRun(dir, {"rep", "add", "--name", "Gone"}));
  mustRun(dir, {"delete", gone});
  return s;
}

TEST_CASE("cli: changes export from A and apply into a fresh B gives the same dump", "[cli][changes]") {
  TempDir tmp;
  std::string a = tmp.sub("a"), b = tmp.sub("b");
  fillSample(a);
  mustRun(a, {"changes", "export", "--out", tmp.sub("all.chg")});
  mustRun(b, {"init", "--empty"});
  CliRun apply = runCli(b, {"changes", "apply", tmp.sub("all.chg")});
  REQUIRE(apply.code == 0);
  CHECK(contains(apply.err, "6 applied"));
  CHECK(mustRun(a, {"dump"}) == mustRun(b, {"dump"}));

  // Applying again is harmless.
  CliRun again = runCli(b, {"changes", "apply", tmp.sub("all.chg")});
  CHECK(again.code == 0);
  CHECK(contains(again.err, "6 duplicates"));
  CHECK(mustRun(a, {"dump"}) == mustRun(b, {"dump"}));

  SECTION("--since a change file or a version vector exports only what is new") {
    mustRun(a, {"rep", "add", "--name", "Newcomer"});
    mustRun(a, {"changes", "export", "--since", tmp.sub("all.chg"), "--out", tmp.sub("new.chg")});
    CliRun more = runCli(b, {"changes", "apply", tmp.sub("new.chg")});
    CHECK(more.code == 0);
    CHECK(contains(more.err, "1 changes read, 1 applied"));
    CHECK(mustRun(a, {"dump"}) == mustRun(b, {"dump"}));

    writeTextFile(tmp.sub("vv.json"), mustRun(b, {"changes", "vv"}));
    CliRun none = runCli(a, {"changes", "export", "--since", tmp.sub("vv.json"), "--out", tmp.sub("none.chg")});
    CHECK(none.code == 0);
    CHECK(contains(none.err, "0 changes"));
  }
  SECTION("a --since file that is neither kind is an error") {
    writeTextFile(tmp.sub("junk"), "hello");
    CliRun r = runCli(a, {"changes", "export", "--since", tmp.sub("junk"), "--out", tmp.sub("x.chg")});
    CHECK(r.code == 1);
    CHECK(contains(r.err, "junk"));
  }
}

TEST_CASE("cli: damaged change files are rejected and change nothing", "[cli][changes]") {
  TempDir tmp;
  std::string a = tmp.sub("a"), c = tmp.sub("c");
  fillSample(a);
  mustRun(a, {"changes", "export", "--out", tmp.sub("all.chg")});
  std::string bytes = readTextFile(tmp.sub("all.chg"));
  REQUIRE(bytes.size() > 20);
  mustRun(c, {"init"});
  mustRun(c, {"rep", "add", "--name", "Local"});
  std::string before = mustRun(c, {"dump"});

  std::vector<std::pair<std::string, std::string>> damaged = {
      {"truncated", bytes.substr(0, bytes.size() / 2)},
      {"cut short by one byte", bytes.substr(0, bytes.size() - 1)},
      {"magic only", bytes.substr(0, 8)},
      {"empty", ""},
  };
  // File magic, zstd magic, compressed payload, content checksum. (Not the
  // zstd frame header: it has bits a decoder rightly ignores.)
  for (size_t pos : {size_t{3}, size_t{9}, bytes.size() / 2, bytes.size() - 2}) {
    std::string flipped = bytes;
    flipped[pos] = static_cast<char>(flipped[pos] ^ 0x10);
    damaged.emplace_back("bit flipped at " + std::to_string(pos), flipped);
  }
  for (auto& [what, content] : damaged) {
    writeTextFile(tmp.sub("bad.chg"), content);
    CliRun r = runCli(c, {"changes", "apply", tmp.sub("bad.chg")});
    INFO(what << ": " << r.err);
    CHECK(r.code == 1);
    CHECK(r.err.rfind("ridealong-cli: ", 0) == 0);
    CHECK(mustRun(c, {"dump"}) == before);
  }
}

TEST_CASE("cli: export as CSV and JSON", "[cli][export]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  Sample s = fillSample(dir);

  std::string csv = mustRun(dir, {"export", "--format", "csv", "--type", "rep"});
  CHECK(csv.rfind("id,name,team,territory,email,coaching_style,coaching_note,deleted\r\n", 0) == 0);
  CHECK(contains(csv, s.rep + ",\"Ana, \"\"the closer\"\"\",North,Lisbon,,,,false\r\n"));
  CHECK(contains(csv, ",Gone,,,,,,true\r\n"));

  std::string obsCsv = mustRun(dir, {"export", "--format", "csv", "--type", "observation"});
  CHECK(contains(obsCsv, "\"line one\nline two\""));

  std::string longCsv = mustRun(dir, {"export", "--format", "csv"});
  CHECK(longCsv.rfind("id,type,field,value\r\n", 0) == 0);
  CHECK(contains(longCsv, s.session + ",session,area,skills\r\n"));

  json all = json::parse(mustRun(dir, {"export", "--format", "json"}));
  REQUIRE(all.size() == 4);
  for (size_t i = 1; i < all.size(); i++) CHECK(all[i - 1]["id"] < all[i]["id"]);
  json reps = json::parse(mustRun(dir, {"export", "--format", "json", "--type", "rep"}));
  REQUIRE(reps.size() == 2);
  CHECK(reps[0]["fields"]["territory"] == "Lisbon");

  mustRun(dir, {"export", "--format", "json", "--type", "session", "--out", tmp.sub("s.json")});
  json sessions = json::parse(readTextFile(tmp.sub("s.json")));
  REQUIRE(sessions.size() == 1);
  CHECK(sessions[0]["id"] == s.session);

  CliRun unknown = runCli(dir, {"export", "--format", "csv", "--type", "spaceship"});
  CHECK(unknown.code == 1);
  CHECK(contains(unknown.err, "unknown record type 'spaceship'"));
  CHECK(contains(unknown.err, "observation"));
}

TEST_CASE("cli: demo fills a fresh directory", "[cli][demo]") {
  TempDir tmp;
  std::string dir = tmp.sub("demo");
  CliRun r = runCli(dir, {"demo", "--reps", "3", "--weeks", "2", "--seed", "7"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.err, "3 reps"));
  CHECK(json::parse(mustRun(dir, {"rep", "list", "--json"})).size() == 3);
}

}  // namespace
}  // namespace ridealong::testing
