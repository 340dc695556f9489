// ridealong-cli bulk input: `import reps` (CSV) and `import-jsonl` (the
// benchmark workload). Good files import; bad ones name the line and leave
// the notebook byte-for-byte unchanged.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.h"
#include "temp_dir.h"
#include "workload.h"

namespace ridealong::testing {
namespace {

using nlohmann::json;

// Runs an import expected to fail; checks the message and that the store
// did not change.
void expectRejected(const std::string& dir, const std::vector<std::string>& args, const std::string& message) {
  std::string before = mustRun(dir, {"dump"});
  CliRun r = runCli(dir, args);
  INFO("stderr: " << r.err);
  CHECK(r.code == 1);
  CHECK(r.err.rfind("ridealong-cli: ", 0) == 0);
  CHECK(contains(r.err, message));
  CHECK(mustRun(dir, {"dump"}) == before);
}

// Lines of the benchmark-shaped workload, generated here (nothing outside the repository).
std::vector<std::string> workloadLines(size_t n) {
  auto lines = w1Lines(n);
  for (auto& l : lines) l.pop_back();  // the '\n'
  return lines;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (auto& l : lines) out += l + "\n";
  return out;
}

TEST_CASE("cli: import reps from CSV", "[cli][import]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  // Mixed-case header, CRLF, quoted commas, doubled quotes, a line break
  // inside a quoted field, an empty optional cell.
  writeTextFile(tmp.sub("reps.csv"),
                "Name,TEAM,territory,Email\r\n"
                "Ana Silva,North,Lisbon,ana@example.com\r\n"
                "\"Berg, Bo\",\"South \"\"B\"\"\",,bo@example.com\r\n"
                "Cy,East,\"Two\nLines\",\r\n");
  CliRun r = runCli(dir, {"import", "reps", tmp.sub("reps.csv")});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.err, "3 records"));

  json reps = json::parse(mustRun(dir, {"rep", "list", "--json"}));
  REQUIRE(reps.size() == 3);
  CHECK(reps[0]["name"] == "Ana Silva");
  CHECK(reps[1]["name"] == "Berg, Bo");
  CHECK(reps[1]["team"] == "South \"B\"");
  CHECK(reps[1]["territory"] == "");
  CHECK(reps[2]["territory"] == "Two\nLines");
}

TEST_CASE("cli: malformed rep CSV is rejected with its line and changes nothing", "[cli][import]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  mustRun(dir, {"rep", "add", "--name", "Existing"});
  std::string f = tmp.sub("bad.csv");

  SECTION("unterminated quote") {
    writeTextFile(f, "name,team\nAna,North\n\"Bo,South\nCy,East\n");
    expectRejected(dir, {"import", "reps", f}, f + ":3: unterminated quoted field");
  }
  SECTION("missing name column") {
    writeTextFile(f, "team,territory\nNorth,Lisbon\n");
    expectRejected(dir, {"import", "reps", f}, "missing required column 'name'");
  }
  SECTION("empty name, counted after a multi-line field") {
    writeTextFile(f, "name,team\nAna,\"North\nEast\"\nBo,South\n  ,West\n");
    expectRejected(dir, {"import", "reps", f}, f + ":5: field 'name'");
  }
  SECTION("unknown column") {
    writeTextFile(f, "name,phone\nAna,123\n");
    expectRejected(dir, {"import", "reps", f}, "unknown column 'phone'");
  }
  SECTION("wrong number of cells") {
    writeTextFile(f, "name,team\nAna,North,extra\n");
    expectRejected(dir, {"import", "reps", f}, f + ":2: expected 2 columns, found 3");
  }
  SECTION("empty file and header only") {
    writeTextFile(f, "");
    expectRejected(dir, {"import", "reps", f}, "empty");
    writeTextFile(f, "name,team\n");
    expectRejected(dir, {"import", "reps", f}, "only a header");
  }
  SECTION("missing file") { expectRejected(dir, {"import", "reps", tmp.sub("nope.csv")}, "nope.csv"); }
}

TEST_CASE("cli: import-jsonl takes the benchmark workload", "[cli][import]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  auto lines = workloadLines(200);
  writeTextFile(tmp.sub("w.jsonl"), joinLines(lines));
  CliRun r = runCli(dir, {"import-jsonl", tmp.sub("w.jsonl")});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.err, "200 lines, 200 changes, 200 records"));

  json all = json::parse(mustRun(dir, {"export", "--format", "json", "--type", "observation"}));
  REQUIRE(all.size() == 200);
  json first = json::parse(lines[0]);
  std::string id = first["record"];
  json shown = json::parse(mustRun(dir, {"show", id, "--json"}));
  CHECK(shown["fields"] == first["fields"]);  // every value kept with its JSON type

  // A set line on a record created earlier applies as its own change.
  writeTextFile(tmp.sub("set.jsonl"),
                "{\"replica\":1,\"op\":\"set\",\"record\":\"" + id + "\",\"field\":\"rating\",\"value\":5}\n");
  mustRun(dir, {"import-jsonl", tmp.sub("set.jsonl")});
  CHECK(json::parse(mustRun(dir, {"show", id, "--json"}))["fields"]["rating"] == 5);
}

TEST_CASE("cli: malformed JSONL is rejected with its line and changes nothing", "[cli][import]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  auto lines = workloadLines(5);
  writeTextFile(tmp.sub("seed.jsonl"), joinLines({lines[4]}));
  mustRun(dir, {"import-jsonl", tmp.sub("seed.jsonl")});
  std::string f = tmp.sub("bad.jsonl");

  SECTION("bad JSON on line 3") {
    auto bad = lines;
    bad[2] = "{\"op\":\"create\",\"record\":";
    writeTextFile(f, joinLines(bad));
    expectRejected(dir, {"import-jsonl", f}, f + ":3: invalid JSON");
  }
  SECTION("wrong id") {
    auto bad = lines;
    json j = json::parse(bad[1]);
    j["record"] = "NOT-AN-ID";
    bad[1] = j.dump();
    writeTextFile(f, joinLines(bad));
    expectRejected(dir, {"import-jsonl", f}, f + ":2: \"record\": 'NOT-AN-ID' is not a record id");
  }
  SECTION("array value") {
    auto bad = lines;
    json j = json::parse(bad[3]);
    j["fields"]["skill"] = json::array({"a", "b"});
    bad[3] = j.dump();
    writeTextFile(f, joinLines(bad));
    expectRejected(dir, {"import-jsonl", f}, f + ":4: field 'skill': arrays are not supported");
  }
  SECTION("value failing the schema") {
    auto bad = lines;
    json j = json::parse(bad[0]);
    j["fields"]["rating"] = 9;
    bad[0] = j.dump();
    writeTextFile(f, joinLines(bad));
    expectRejected(dir, {"import-jsonl", f}, f + ":1: field 'rating'");
  }
  SECTION("set of a record nobody created") {
    writeTextFile(f, joinLines({lines[0],
                                "{\"op\":\"set\",\"record\":\"01ARZ3NDEKTSV4RRFFQ69G5FAV\",\"field\":\"text\","
                                "\"value\":\"x\"}"}));
    expectRejected(dir, {"import-jsonl", f}, f + ":2: record 01ARZ3NDEKTSV4RRFFQ69G5FAV does not exist");
  }
  SECTION("creating a record that exists") {
    writeTextFile(f, joinLines({lines[0], lines[4]}));
    expectRejected(dir, {"import-jsonl", f}, f + ":2: record");
  }
  SECTION("empty file") {
    writeTextFile(f, "\n\n");
    expectRejected(dir, {"import-jsonl", f}, "empty");
  }
}

// Batches of 1,024 and more records grow the map inside the write and
// finish their index work on a helper thread: a growth used to unwind past
// that thread and abort the process ("terminate called without an active
// exception").
TEST_CASE("cli: a 100,000-record import and the apply of its change file succeed", "[cli][import][large][slow]") {
  TempDir tmp;
  std::string a = tmp.sub("a"), b = tmp.sub("b");
  mustRun(a, {"init", "--empty"});
  mustRun(b, {"init", "--empty"});
  writeTextFile(tmp.sub("w.jsonl"), w1Jsonl(100000, 7));
  CliRun r = runCli(a, {"import-jsonl", tmp.sub("w.jsonl")});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.err, "100000 lines, 100000 changes, 100000 records"));
  mustRun(a, {"changes", "export", "--out", tmp.sub("all.rdl")});
  r = runCli(b, {"changes", "apply", tmp.sub("all.rdl")});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.err, "100000 applied"));
  CHECK(mustRun(a, {"dump"}) == mustRun(b, {"dump"}));
}

}  // namespace
}  // namespace ridealong::testing
