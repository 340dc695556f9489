// ridealong-cli record commands end to end: init, reps, sessions,
// observations, action items, set/show/delete/restore, and exit codes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.h"
#include "temp_dir.h"

namespace ridealong::testing {
namespace {

using nlohmann::json;

std::string addRep(const std::string& dir, const std::string& name) {
  std::string id = firstLine(mustRun(dir, {"rep", "add", "--name", name, "--team", "North"}));
  REQUIRE(id.size() == 26);
  return id;
}

TEST_CASE("cli: init, rep add and rep list", "[cli]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  CliRun init = runCli(dir, {"init"});
  REQUIRE(init.code == 0);
  CHECK(contains(init.out, "initialised"));
  CHECK(runCli(dir, {"init"}).code == 0);  // idempotent

  std::string ana = firstLine(mustRun(dir, {"rep", "add", "--name", "Ana Silva", "--team", "North", "--territory",
                                            "Lisbon", "--email", "ana@example.com"}));
  std::string bo = addRep(dir, "Bo Berg");
  CHECK(ana.size() == 26);
  CHECK(ana != bo);

  std::string table = mustRun(dir, {"rep", "list"});
  CHECK(contains(table, "NAME"));
  CHECK(contains(table, ana));
  CHECK(contains(table, "Ana Silva"));
  CHECK(contains(table, "Lisbon"));
  CHECK(table.find("Ana Silva") < table.find("Bo Berg"));  // sorted by name

  json list = json::parse(mustRun(dir, {"rep", "list", "--json"}));
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == ana);
  CHECK(list[0]["email"] == "ana@example.com");
  CHECK(list[1]["name"] == "Bo Berg");
}

TEST_CASE("cli: commands on a directory without a notebook say to run init", "[cli]") {
  TempDir tmp;
  CliRun r = runCli(tmp.sub("none"), {"rep", "list"});
  CHECK(r.code == 1);
  CHECK(r.err.rfind("ridealong-cli: ", 0) == 0);
  CHECK(contains(r.err, "init"));
}

TEST_CASE("cli: session, observation and action item flow", "[cli]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  std::string rep = addRep(dir, "Ana");
  std::string session = firstLine(
      mustRun(dir, {"session", "new", "--rep", rep, "--type", "developmental", "--area", "skills", "--objective",
                    "Open with a clear agenda", "--customer", "Acme", "--start", "2020-03-01T09:30Z"}));
  REQUIRE(session.size() == 26);
  json s = json::parse(mustRun(dir, {"show", session, "--json"}));
  CHECK(s["type"] == "session");
  CHECK(s["fields"]["rep"] == rep);
  CHECK(s["fields"]["status"] == "in_progress");
  CHECK(s["fields"]["start"] == 1583055000000LL);
  CHECK(s["fields"]["customer"] == "Acme");

  // The same instant written with an offset.
  std::string offset = firstLine(mustRun(dir, {"session", "new", "--rep", rep, "--type", "tactical", "--area",
                                               "account", "--start", "2020-03-01T11:30:00.000+02:00"}));
  CHECK(json::parse(mustRun(dir, {"show", offset, "--json"}))["fields"]["start"] == 1583055000000LL);

  std::string planned = firstLine(mustRun(
      dir, {"session", "new", "--rep", rep, "--type", "tactical", "--area", "account", "--start", "2999-01-01"}));
  CHECK(json::parse(mustRun(dir, {"show", planned, "--json"}))["fields"]["status"] == "planned");

  std::string obs = firstLine(mustRun(dir, {"observe", "--session", session, "--skill", "discovery questions", "--kind",
                                            "strength", "--text", "asked about budget early", "--rating", "4"}));
  json o = json::parse(mustRun(dir, {"show", obs, "--json"}));
  CHECK(o["type"] == "observation");
  CHECK(o["fields"]["rep"] == rep);  // taken from the session
  CHECK(o["fields"]["session"] == session);
  CHECK(o["fields"]["rating"] == 4);
  CHECK(o["fields"]["at"].is_number_integer());

  std::string action =
      firstLine(mustRun(dir, {"action", "add", "--rep", rep, "--session", session, "--text",
                              "Prepare three discovery questions", "--due", "2026-02-01", "--owner", "coach"}));
  json a = json::parse(mustRun(dir, {"show", action, "--json"}));
  CHECK(a["fields"]["due"] == "2026-02-01");
  CHECK(a["fields"]["owner"] == "coach");
  CHECK(a["fields"]["status"] == "open");

  SECTION("references must name existing records of the right type") {
    std::string before = mustRun(dir, {"dump"});
    CliRun wrongType = runCli(dir, {"session", "new", "--rep", session, "--type", "tactical", "--area", "account"});
    CHECK(wrongType.code == 1);
    CHECK(contains(wrongType.err, "is a session, not a rep"));
    CliRun missing = runCli(dir, {"observe", "--session", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "--skill", "x", "--kind",
                                  "improve", "--text", "y"});
    CHECK(missing.code == 1);
    CHECK(contains(missing.err, "--session: no record with id 01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    CliRun malformed = runCli(dir, {"action", "add", "--rep", "nope", "--text", "t", "--due", "2026-01-01"});
    CHECK(malformed.code == 1);
    CHECK(contains(malformed.err, "'nope' is not a record id"));
    CHECK(mustRun(dir, {"dump"}) == before);
  }
}

TEST_CASE("cli: set, show, delete and restore", "[cli]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  std::string rep = addRep(dir, "Ana");

  mustRun(dir, {"set", rep, "territory", "Porto"});
  std::string view = mustRun(dir, {"show", rep});
  CHECK(contains(view, "rep " + rep));
  CHECK(contains(view, "territory:"));
  CHECK(contains(view, "Porto"));
  CHECK(contains(view, "deleted:"));

  std::string before = mustRun(dir, {"dump"});
  CliRun badField = runCli(dir, {"set", rep, "colour", "blue"});
  CHECK(badField.code == 1);
  CHECK(contains(badField.err, "unknown field 'colour'"));
  CliRun emptyName = runCli(dir, {"set", rep, "name", ""});
  CHECK(emptyName.code == 1);
  CHECK(contains(emptyName.err, "name"));
  CHECK(mustRun(dir, {"dump"}) == before);

  mustRun(dir, {"delete", rep});
  CHECK(json::parse(mustRun(dir, {"show", rep, "--json"}))["deleted"] == true);
  CHECK(!contains(mustRun(dir, {"rep", "list"}), rep));
  mustRun(dir, {"restore", rep});
  CHECK(json::parse(mustRun(dir, {"show", rep, "--json"}))["deleted"] == false);
  CHECK(contains(mustRun(dir, {"rep", "list"}), rep));
}

TEST_CASE("cli: an unknown id is an error naming it", "[cli]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  for (const char* cmd : {"show", "delete", "restore"}) {
    CliRun r = runCli(dir, {cmd, "01ARZ3NDEKTSV4RRFFQ69G5FAV"});
    INFO(cmd);
    CHECK(r.code == 1);
    CHECK(r.err.rfind("ridealong-cli: ", 0) == 0);
    CHECK(contains(r.err, "no record with id 01ARZ3NDEKTSV4RRFFQ69G5FAV"));
  }
  CliRun set = runCli(dir, {"set", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "name", "x"});
  CHECK(set.code == 1);
}

TEST_CASE("cli: usage errors exit 2 and change nothing", "[cli]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  std::string rep = addRep(dir, "Ana");
  std::string session =
      firstLine(mustRun(dir, {"session", "new", "--rep", rep, "--type", "strategic", "--area", "territory"}));
  std::string before = mustRun(dir, {"dump"});

  std::vector<std::vector<std::string>> bad = {
      {},
      {"frobnicate"},
      {"rep"},
      {"rep", "add"},
      {"rep", "add", "--name", "X", "--bogus"},
      {"session", "new", "--rep", rep, "--type", "sideways", "--area", "skills"},
      {"session", "new", "--rep", rep, "--type", "tactical", "--area", "skills", "--start", "yesterday"},
      {"session", "new", "--rep", rep, "--type", "tactical", "--area", "skills", "--start", "2026-01-05T25:00"},
      {"observe", "--session", session, "--skill", "x", "--kind", "meh", "--text", "t"},
      {"observe", "--session", session, "--skill", "x", "--kind", "strength", "--text", "t", "--rating", "9"},
      {"action", "add", "--rep", rep, "--text", "t", "--due", "2026-13-45"},
      {"action", "add", "--rep", rep, "--text", "t", "--due", "2026-01-05", "--owner", "boss"},
      {"export", "--format", "xml"},
      {"set", rep, "name"},
      {"changes"},
  };
  for (auto& args : bad) {
    CliRun r = runCli(dir, args);
    INFO("args after --data: " << (args.empty() ? "(none)" : args.front()) << " stderr: " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.rfind("ridealong-cli: ", 0) == 0);
  }
  CHECK(mustRun(dir, {"dump"}) == before);
}

TEST_CASE("cli: --help works at every level", "[cli]") {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--help"}, {"rep", "--help"}, {"rep", "add", "--help"}, {"changes", "export", "--help"}}) {
    CliRun r = runCliRaw(args);
    CHECK(r.code == 0);
    CHECK(contains(r.out, "Usage"));
  }
}

TEST_CASE("cli: conflicting offline edits are listed and resolved", "[cli]") {
  TempDir tmp;
  std::string a = tmp.sub("a"), b = tmp.sub("b");
  mustRun(a, {"init"});
  mustRun(b, {"init"});
  std::string rep = addRep(a, "Ana");
  mustRun(a, {"changes", "export", "--out", tmp.sub("a1.chg")});
  mustRun(b, {"changes", "apply", tmp.sub("a1.chg")});

  // Both devices edit the same field without having seen each other.
  mustRun(a, {"set", rep, "team", "North"});
  mustRun(b, {"set", rep, "team", "South"});
  mustRun(a, {"changes", "export", "--out", tmp.sub("a2.chg")});
  mustRun(b, {"changes", "export", "--out", tmp.sub("b2.chg")});
  mustRun(a, {"changes", "apply", tmp.sub("b2.chg")});
  mustRun(b, {"changes", "apply", tmp.sub("a2.chg")});
  CHECK(mustRun(a, {"dump"}) == mustRun(b, {"dump"}));

  json conflicts = json::parse(mustRun(a, {"conflicts", "--json"}));
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0]["record"] == rep);
  CHECK(conflicts[0]["field"] == "team");
  REQUIRE(conflicts[0]["values"].size() == 2);
  std::string text = mustRun(a, {"conflicts"});
  CHECK(contains(text, "winner:"));
  CHECK(contains(text, "sibling:"));
  CHECK(contains(mustRun(a, {"show", rep}), "CONFLICT"));

  mustRun(a, {"resolve", rep, "team", "North-South"});
  CHECK(json::parse(mustRun(a, {"conflicts", "--json"})).empty());
  mustRun(a, {"changes", "export", "--since", tmp.sub("b2.chg"), "--out", tmp.sub("a3.chg")});
  mustRun(b, {"changes", "apply", tmp.sub("a3.chg")});
  CHECK(json::parse(mustRun(b, {"conflicts", "--json"})).empty());
  CHECK(json::parse(mustRun(b, {"show", rep, "--json"}))["fields"]["team"] == "North-South");
  CHECK(mustRun(a, {"dump"}) == mustRun(b, {"dump"}));
}

}  // namespace
}  // namespace ridealong::testing
