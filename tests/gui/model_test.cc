// gui/model without ImGui: drafts, undo, settings, the snapshot, search,
// sync set-up errors.
#include <thread>

#include <catch2/catch.hpp>

#include "headless_ui.h"
#include "ok_value.h"
#include "ridealong/core/records.h"
#include "ridealong/gui/drafts.h"
#include "ridealong/gui/settings.h"
#include "ridealong/gui/undo.h"

using namespace ridealong;
using ridealong::testing::HeadlessUi;
using ridealong::testing::TempDir;

TEST_CASE("drafts save after the debounce, all at once on demand, and keep failures", "[gui][model]") {
  gui::TextDrafts d(800);
  core::RecordId id = core::RecordId::fromBytes("0123456789abcdef");
  std::string& buf = d.buffer(id, "notes", "stored");
  CHECK(buf == "stored");
  buf += " and typed";
  d.edited(id, "notes", 1000);
  CHECK(d.hasUnsaved());
  CHECK(d.nextDueMs() == 1800);
  CHECK(d.takeDue(1500, false).empty());
  auto due = d.takeDue(1800, false);
  REQUIRE(due.size() == 1);
  CHECK(due[0].text == "stored and typed");
  CHECK(!d.hasUnsaved());
  // A failed save keeps the text, not retried until the next keystroke...
  d.markFailed(due[0]);
  CHECK(d.hasUnsaved());
  CHECK(d.takeDue(99999, false).empty());
  // ...but saving everything (closing) tries it again.
  CHECK(d.takeDue(99999, true).size() == 1);
  // Saved drafts are dropped when the store changes; unsaved ones stay.
  d.buffer(id, "outcome", "x");
  d.edited(id, "outcome", 5000);
  d.dropSaved();
  CHECK(d.buffer(id, "notes", "fresh from the store") == "fresh from the store");
  CHECK(d.buffer(id, "outcome", "ignored") == "x");
}

TEST_CASE("undo inverses put back overwritten values and delete created records", "[gui][model]") {
  core::RecordId a = core::RecordId::fromBytes("aaaaaaaaaaaaaaaa");
  core::RecordId b = core::RecordId::fromBytes("bbbbbbbbbbbbbbbb");
  core::Record before;
  before.id = a;
  before.type = "rep";
  before.fields.push_back(core::Field{"name", {core::FieldValue{core::Value("Old"), {}}}});
  auto lookup = [&](const core::RecordId& id) -> ridealong::Result<core::Record> {
    if (id == a) return before;
    return ridealong::Status::notFound(id.str());
  };
  core::ChangeBuilder c;
  c.set(a, "name", core::Value("New"));
  c.set(a, "team", core::Value("East"));
  c.set(a, "name", core::Value("Newer"));
  c.create(b, "rep", {{"name", "Created"}});
  c.remove(a);
  auto inv = OK_VALUE(gui::inverseOf(c, lookup));
  const auto& ops = inv.ops();
  REQUIRE(ops.size() == 4);
  CHECK(ops[0].name == "name");
  CHECK(ops[0].value == core::Value("Old"));
  CHECK(ops[1].name == "team");
  CHECK(ops[1].value.isNull());
  CHECK(ops[2].record == b);
  CHECK(ops[2].name == "deleted");
  CHECK(ops[2].value == core::Value(true));
  CHECK(ops[3].name == "deleted");
  CHECK(ops[3].value == core::Value(false));

  gui::UndoStack stack(2);
  for (int i = 0; i < 3; i++) stack.push({"edit " + std::to_string(i), inv});
  stack.push({"nothing", core::ChangeBuilder{}});  // empty inverses are not kept
  CHECK(stack.size() == 2);
  CHECK(stack.pop()->label == "edit 2");
  CHECK(stack.pop()->label == "edit 1");
  CHECK(!stack.pop());
}

TEST_CASE("settings round-trip, garbled files give defaults and say so", "[gui][model]") {
  TempDir dir;
  auto& env = platform::realEnv();
  auto s = gui::loadSettings(env, dir.path());
  REQUIRE(s.isOk());
  CHECK(*s == gui::GuiSettings{});
  gui::GuiSettings custom;
  custom.cadenceDays = 21;
  custom.theme = gui::Theme::kDark;
  custom.touchMode = true;
  custom.windowWidth = 1000;
  REQUIRE(gui::saveSettings(env, dir.path(), custom).isOk());
  CHECK(*gui::loadSettings(env, dir.path()) == custom);
  REQUIRE(env.fs().writeFileAtomic(gui::settingsPath(dir.path()), "{not json").isOk());
  auto bad = gui::loadSettings(env, dir.path());
  REQUIRE(!bad.isOk());
  CHECK(bad.status().message().find("gui_settings.json") != std::string::npos);
  // Out-of-range values are clamped, unknown keys ignored.
  REQUIRE(env.fs().writeFileAtomic(gui::settingsPath(dir.path()), R"({"cadenceDays": -4, "x": 1})").isOk());
  CHECK(gui::loadSettings(env, dir.path())->cadenceDays == 1);
  REQUIRE(
      env.fs().writeFileAtomic(gui::settingsPath(dir.path()), R"({"cadenceDays": 1e300, "windowX": -1e300})").isOk());
  auto huge = gui::loadSettings(env, dir.path());
  REQUIRE(huge.isOk());
  CHECK(huge->cadenceDays == 365);
  CHECK(huge->windowX == -1000000);
}

TEST_CASE("the snapshot follows the cadence and notices other writers", "[gui][model]") {
  HeadlessUi ui;
  auto& m = ui.model();
  const auto& team = m.snapshot().team;
  REQUIRE(!team.empty());
  for (const auto& row : team)
    CHECK(row.due == (row.daysSinceCoached < 0 || row.daysSinceCoached >= m.settings().cadenceDays));
  // Most overdue first.
  for (size_t i = 1; i < team.size(); i++)
    if (team[i - 1].daysSinceCoached >= 0) CHECK(team[i - 1].daysSinceCoached >= team[i].daysSinceCoached);
  int dueBefore = 0;
  for (const auto& row : team) dueBefore += row.due;
  CHECK(m.snapshot().dueForCoaching == dueBefore);
  m.settings().cadenceDays = 365;
  m.settingsChanged();
  int dueAfter = 0;
  for (const auto& row : m.snapshot().team) dueAfter += row.due;
  CHECK(dueAfter <= dueBefore);

  // A second writer (another process would be the same store) is noticed.
  size_t reps = m.snapshot().reps.size();
  core::NotebookOptions o;
  auto other = core::Notebook::open(platform::realEnv(), storeOf(m).dir(), o);
  REQUIRE(other.isOk());
  core::ChangeBuilder c;
  c.create((*other)->newId(), "rep", {{"name", "From the CLI"}});
  REQUIRE((*other)->commit(c).isOk());
  CHECK(m.update());
  CHECK(m.snapshot().reps.size() == reps + 1);
}

TEST_CASE("search finds reps, sessions and notes off the GUI thread", "[gui][model]") {
  HeadlessUi ui;
  auto& m = ui.model();
  const std::string rep = m.snapshot().reps.front().name;
  auto hits = OK_VALUE(gui::searchNotebook(storeOf(m), rep.substr(0, 4), 100));
  REQUIRE(!hits.empty());
  CHECK(hits.front().type == "rep");
  CHECK(OK_VALUE(gui::searchNotebook(storeOf(m), "   ", 100)).empty());
  CHECK(OK_VALUE(gui::searchNotebook(storeOf(m), "zzzz-no-such-text-zzzz", 100)).empty());

  m.search().request(rep.substr(0, 4), m.snapshot().generation);
  for (int i = 0; i < 2000 && !m.search().poll(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(m.search().results().size() == hits.size());
}

TEST_CASE("moving a skill renumbers the competency model in one change", "[gui][model]") {
  HeadlessUi ui;
  auto& m = ui.model();
  auto skills = m.snapshot().skills;
  REQUIRE(skills.size() >= 3);
  REQUIRE(m.moveSkill(skills[2].id, -1).isOk());
  m.update();
  const auto& now = m.snapshot().skills;
  CHECK(now[1].id == skills[2].id);
  CHECK(now[2].id == skills[1].id);
  CHECK(now[0].id == skills[0].id);
  REQUIRE(m.undo().isOk());
  m.update();
  CHECK(m.snapshot().skills[1].id == skills[1].id);
}

TEST_CASE("joining with a mangled invite code is a clear error, a good one joins", "[gui][model]") {
  ridealong::gui::AppOptions o;
  o.startSync = false;
  HeadlessUi ui(o);
  auto& m = ui.model();
  CHECK(!m.sync().view().inSpace);
  m.sync().joinSpace("rdl1-this-is-not-a-code");
  for (int i = 0; i < 1000 && !m.sync().poll(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(!m.sync().view().inSpace);
  CHECK(m.sync().view().error.find("invalid invite code") != std::string::npos);
}

TEST_CASE("a failed save keeps the typed text and says why", "[gui][model]") {
  HeadlessUi ui;
  auto& m = ui.model();
  // An action's text is required: clearing it cannot be saved.
  const auto a = m.snapshot().openActions.front();
  std::string& buf = m.draft(a.id, "text", a.text);
  buf.clear();
  m.draftEdited(a.id, "text");
  ui.wait(1000);
  CHECK(m.notice().error);
  CHECK(m.notice().text.find("must not be empty") != std::string::npos);
  CHECK(m.hasUnsavedDrafts());
  CHECK(core::ActionItem::from(*storeOf(m).get(a.id)).text == a.text);
}
