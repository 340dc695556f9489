// ridealong-cli as a new user meets it: a first notebook with the standard
// competency model (or --empty), a session's whole life from plan to
// debrief, coaching style, and the team overview with coaching adherence.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.h"
#include "temp_dir.h"

namespace ridealong::testing {
namespace {

using nlohmann::json;

TEST_CASE("cli: a new notebook starts with a competency model and a guide, unless --empty", "[cli][starter]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb"), empty = tmp.sub("empty");
  CliRun init = runCli(dir, {"init"});
  REQUIRE(init.code == 0);
  CHECK(contains(init.out, "competency model of 10 skills"));
  json skills = json::parse(mustRun(dir, {"export", "--format", "json", "--type", "skill"}));
  CHECK(skills.size() == 10);
  CHECK(json::parse(mustRun(dir, {"export", "--format", "json", "--type", "template"})).size() == 1);
  // Again: already there, nothing added twice.
  CHECK(!contains(mustRun(dir, {"init"}), "competency model"));
  CHECK(json::parse(mustRun(dir, {"export", "--format", "json", "--type", "skill"})).size() == 10);

  mustRun(empty, {"init", "--empty"});
  CHECK(json::parse(mustRun(empty, {"export", "--format", "json", "--type", "skill"})).empty());
}

TEST_CASE("cli: a session from plan to debrief, with the rules of coaching", "[cli][coaching]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"init"});
  std::string ana = firstLine(mustRun(dir, {"rep", "add", "--name", "Ana", "--team", "North"}));
  std::string bo = firstLine(mustRun(dir, {"rep", "add", "--name", "Bo"}));
  std::string s = firstLine(mustRun(dir, {"session", "new", "--rep", ana, "--type", "developmental", "--area", "skills",
                                          "--start", "2099-03-02T09:00Z"}));
  json rec = json::parse(mustRun(dir, {"show", s, "--json"}));
  CHECK(rec["fields"]["status"] == "planned");

  // Not before it starts; moving it keeps the day it was planned for.
  CliRun early = runCli(dir, {"observe", "--session", s, "--skill", "Closing", "--kind", "strength", "--text", "x"});
  CHECK(early.code == 1);
  CHECK(contains(early.err, "not started"));
  mustRun(dir, {"session", "move", s, "--start", "2099-03-04T09:00Z"});
  rec = json::parse(mustRun(dir, {"show", s, "--json"}));
  CHECK(rec["fields"]["planned"] != rec["fields"]["start"]);

  mustRun(dir, {"session", "start", s});
  CHECK(contains(runCli(dir, {"session", "start", s}).err, "already started"));
  mustRun(dir, {"observe", "--session", s, "--skill", "Closing", "--kind", "improve", "--text", "no next step"});
  std::string r1 = firstLine(mustRun(dir, {"rate", "--session", s, "--skill", "Closing", "--rating", "2"}));
  std::string r2 = firstLine(mustRun(dir, {"rate", "--session", s, "--skill", "Closing", "--rating", "3"}));
  CHECK(r1 == r2);  // the session's rating of a skill is one record
  mustRun(dir, {"session", "end", s});
  CHECK(contains(runCli(dir, {"session", "end", s}).err, "already ended"));
  mustRun(dir, {"session", "finish", s});
  rec = json::parse(mustRun(dir, {"show", s, "--json"}));
  CHECK(rec["fields"]["status"] == "done");

  // An action item from Ana's session cannot be Bo's.
  CliRun wrong = runCli(dir, {"action", "add", "--rep", bo, "--session", s, "--text", "x", "--due", "2099-04-01"});
  CHECK(wrong.code == 1);
  CHECK(contains(wrong.err, "another rep"));
  mustRun(dir,
          {"action", "add", "--rep", ana, "--session", s, "--text", "Ask for the next step", "--due", "2099-04-01"});
  mustRun(dir, {"goal", "add", "--rep", ana, "--text", "Close with a next step", "--skill", "Closing"});

  // Coaching style: set, shown, exported, cleared; nonsense refused.
  mustRun(dir, {"rep", "style", ana, "--style", "collaborative", "--note", "finds the answer herself"});
  CHECK(contains(mustRun(dir, {"rep", "list"}), "collaborative"));
  json reps = json::parse(mustRun(dir, {"export", "--format", "json", "--type", "rep"}));
  bool found = false;
  for (const auto& r : reps)
    if (r["id"] == ana) {
      found = true;
      CHECK(r["fields"]["coaching_style"] == "collaborative");
      CHECK(r["fields"]["coaching_note"] == "finds the answer herself");
    }
  CHECK(found);
  CHECK(runCli(dir, {"rep", "style", ana, "--style", "shouting"}).code != 0);
  mustRun(dir, {"rep", "style", ana, "--style", "none"});
  json after = json::parse(mustRun(dir, {"show", ana, "--json"}));
  CHECK(after["fields"]["coaching_note"] == "finds the answer herself");  // the note stays
}

TEST_CASE("cli: team shows who is due and coaching adherence", "[cli][coaching]") {
  TempDir tmp;
  std::string dir = tmp.sub("nb");
  mustRun(dir, {"demo"});
  std::string table = mustRun(dir, {"team"});
  CHECK(contains(table, "ON TIME"));
  CHECK(contains(table, "coaching kept on time:"));
  json rows = json::parse(mustRun(dir, {"team", "--json"}));
  REQUIRE(rows.size() == 8);
  int onTime = 0, missed = 0, due = 0;
  for (const auto& r : rows) {
    onTime += r["held_on_time"].get<int>();
    missed += r["missed"].get<int>();
    due += r["due_for_coaching"].get<bool>();
  }
  CHECK(onTime > 0);   // the demo's sessions were mostly planned ahead
  CHECK(missed >= 1);  // and one was missed
  CHECK(due >= 1);     // a rep left uncoached for a month
}

}  // namespace
}  // namespace ridealong::testing
