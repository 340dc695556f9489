// Unit tests of core/import.h: the JSON Lines and rep CSV importers (value
// mapping, RFC 4180 corners, all-or-nothing errors) and the JSON/CSV export.
#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ok_value.h"
#include "ridealong/core/import.h"
#include "ridealong/core/records.h"
#include "ridealong/core/schema.h"
#include "temp_dir.h"

namespace ridealong::core {
namespace {

using nlohmann::json;
using testing::TempDir;

std::unique_ptr<Notebook> openNotebook(const std::string& dir) {
  NotebookOptions options;
  options.create = true;
  options.durable = false;
  auto nb = Notebook::open(platform::realEnv(), dir, options);
  INFO(nb.status().toString());
  REQUIRE(nb);
  return std::move(*nb);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const char* kId1 = "01HZZZZZZZZZZZZZZZZZZZZZZ1";
const char* kId2 = "01HZZZZZZZZZZZZZZZZZZZZZZ2";

TEST_CASE("importJsonl maps JSON scalars to values, one change per line", "[import]") {
  TempDir tmp;
  auto nb = openNotebook(tmp.sub("nb"));
  std::string text = std::string("{\"op\":\"create\",\"record\":\"") + kId1 +
                     "\",\"type\":\"observation\",\"fields\":{\"text\":\"hi\",\"rating\":3,\"score\":2.5,"
                     "\"shared\":true,\"extra\":null}}\r\n"
                     "\n"
                     "{\"replica\":2,\"op\":\"set\",\"record\":\"" +
                     kId1 + "\",\"field\":\"text\",\"value\":\"bye\"}\n";
  auto report = importJsonl(*nb, text, "w.jsonl");
  INFO(report.status().toString());
  REQUIRE(report);
  CHECK(report->lines == 2);
  CHECK(report->changes == 2);
  CHECK(report->records == 1);
  CHECK(OK_VALUE(nb->versionVector()).at(OK_VALUE(nb->device())) == 2);

  auto r = nb->get(*Id16::parse(kId1));
  REQUIRE(r);
  CHECK(r->type == "observation");
  CHECK(r->get("text") == Value("bye"));
  CHECK(r->get("rating") == Value(int64_t{3}));
  CHECK(r->get("score") == Value(2.5));
  CHECK(r->get("shared") == Value(true));
}

TEST_CASE("importJsonl errors name file, line and field and write nothing", "[import]") {
  TempDir tmp;
  auto nb = openNotebook(tmp.sub("nb"));
  std::string good =
      std::string("{\"op\":\"create\",\"record\":\"") + kId1 + "\",\"type\":\"rep\",\"fields\":{\"name\":\"A\"}}\n";
  std::string before = OK_VALUE(nb->dump());
  auto fails = [&](const std::string& second, const std::string& message) {
    auto r = importJsonl(*nb, good + second + "\n", "f.jsonl");
    REQUIRE_FALSE(r);
    CHECK(r.status().isInvalidArgument());
    INFO(r.status().message());
    CHECK(contains(r.status().message(), message));
    CHECK(OK_VALUE(nb->dump()) == before);
  };
  fails("[1,2]", "f.jsonl:2: expected a JSON object");
  fails("{\"op\":\"create\"}", "f.jsonl:2: missing \"record\"");
  fails(std::string("{\"op\":\"move\",\"record\":\"") + kId2 + "\"}", "f.jsonl:2: \"op\": 'move' is not one of");
  fails(std::string("{\"op\":\"create\",\"record\":\"") + kId2 + "\",\"type\":\"rep\",\"colour\":1}",
        "f.jsonl:2: unknown member \"colour\"");
  fails(std::string("{\"op\":\"create\",\"record\":\"") + kId2 + "\",\"type\":\"rep\",\"fields\":{\"name\":{\"a\":1}}}",
        "f.jsonl:2: field 'name': objects are not supported");
  fails(std::string("{\"op\":\"create\",\"record\":\"") + kId2 +
            "\",\"type\":\"rep\",\"fields\":{\"n\":18446744073709551615}}",
        "f.jsonl:2: field 'n': integer 18446744073709551615 is out of range");
  fails(std::string("{\"op\":\"create\",\"record\":\"") + kId1 + "\",\"type\":\"rep\",\"fields\":{\"name\":\"B\"}}",
        "f.jsonl:2: record " + std::string(kId1) + " already exists");
  fails(std::string("{\"op\":\"set\",\"record\":\"") + kId1 + "\",\"field\":\"name\"}", "f.jsonl:2: missing \"value\"");
  fails(std::string("{\"op\":\"set\",\"record\":\"") + kId1 + "\",\"field\":\"name\",\"value\":7}",
        "f.jsonl:2: field 'name': rep.name must be text");
}

TEST_CASE("importRepsCsv handles RFC 4180 corners", "[import]") {
  TempDir tmp;
  auto nb = openNotebook(tmp.sub("nb"));
  // BOM, blank lines, spaces around header names, no final newline.
  std::string csv = "\xEF\xBB\xBF name , Email\n\nAna,\"a@x.com\"\r\n\n\"\"\"Bo\"\"\",";
  auto report = importRepsCsv(*nb, csv, "r.csv");
  INFO(report.status().toString());
  REQUIRE(report);
  CHECK(report->records == 2);
  CHECK(report->changes == 1);
  CHECK(OK_VALUE(nb->versionVector()).at(OK_VALUE(nb->device())) == 1);
  std::vector<std::string> names;
  for (auto& r : OK_VALUE(nb->listType(types::kRep))) names.push_back(Rep::from(r).name);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"\"Bo\"", "Ana"});
}

TEST_CASE("importRepsCsv rejects malformed quoting with the line", "[import]") {
  TempDir tmp;
  auto nb = openNotebook(tmp.sub("nb"));
  std::string before = OK_VALUE(nb->dump());
  auto fails = [&](const std::string& csv, const std::string& message) {
    auto r = importRepsCsv(*nb, csv, "r.csv");
    REQUIRE_FALSE(r);
    INFO(r.status().message());
    CHECK(contains(r.status().message(), message));
    CHECK(OK_VALUE(nb->dump()) == before);
  };
  fails("name\n\"Ana\"x\n", "r.csv:2: unexpected character after closing quote");
  fails("name\nA\"na\n", "r.csv:2: quote inside an unquoted field");
  fails("name,team\n\"Ana\",North\n\"Bo", "r.csv:3: unterminated quoted field");
  fails("name,Name\nA,B\n", "column 'name' appears twice");
  fails("", "empty");
  fails("\n\n", "empty");
}

TEST_CASE("export lists records sorted by id, conflicts included", "[export]") {
  TempDir tmp;
  auto a = openNotebook(tmp.sub("a"));
  auto b = openNotebook(tmp.sub("b"));
  RecordId id = *Id16::parse(kId1);
  ChangeBuilder create;
  create.create(id, "rep", {{"name", Value("Ana")}, {"nickname", Value("A")}});
  REQUIRE(a->commit(create));
  auto all = a->changesSince({});
  REQUIRE(all);
  REQUIRE(b->applyChanges(*all));

  ChangeBuilder setA, setB;
  setA.set(id, "team", Value("North"));
  setB.set(id, "team", Value("South"));
  REQUIRE(a->commit(setA));
  REQUIRE(b->commit(setB));
  auto fromB = b->changesSince(OK_VALUE(a->versionVector()));
  REQUIRE(fromB);
  REQUIRE(a->applyChanges(*fromB));

  auto text = exportJson(*a, "rep");
  REQUIRE(text);
  json j = json::parse(*text);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["id"] == kId1);
  CHECK(j[0]["deleted"] == false);
  CHECK(j[0]["fields"]["name"] == "Ana");
  REQUIRE(j[0].contains("conflicts"));
  REQUIRE(j[0]["conflicts"]["team"].size() == 1);
  std::string winner = j[0]["fields"]["team"], sibling = j[0]["conflicts"]["team"][0];
  CHECK(((winner == "North" && sibling == "South") || (winner == "South" && sibling == "North")));

  auto csv = exportCsv(*a, "rep");
  REQUIRE(csv);
  // Schema columns first, then extra fields seen, then deleted.
  CHECK(csv->rfind("id,name,team,territory,email,coaching_style,coaching_note,nickname,deleted\r\n", 0) == 0);

  auto unknown = exportJson(*a, "nope");
  REQUIRE_FALSE(unknown);
  CHECK(contains(unknown.status().message(), "known: rep, skill, session"));
}

}  // namespace
}  // namespace ridealong::core
