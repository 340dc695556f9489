// AppModel: the desktop app's state and commands, with no ImGui in sight.
// Views read the cached snapshot and call commands; each command is one user
// action = one Change committed through core (durable when it returns), then
// the sync engine is woken. Screens read indexes once per store change, not
// per frame; update() notices changes from any process (the CLI, sync).
// Typed text goes through drafts and saves itself; Ctrl+Z undoes recent edits
// with new changes. Used on the GUI thread only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ridealong/core/coaching.h"
#include "ridealong/core/notebook.h"
#include "ridealong/gui/drafts.h"
#include "ridealong/gui/screens.h"
#include "ridealong/gui/search.h"
#include "ridealong/gui/settings.h"
#include "ridealong/gui/snapshot.h"
#include "ridealong/gui/sync_controller.h"
#include "ridealong/gui/undo.h"
#include "ridealong/platform/env.h"

namespace ridealong::gui {

struct AppOptions {
  bool startSync = true;  // start the engine when the notebook is in a space
  bool createIfMissing = true;
  // An empty notebook gets the product's demo data (first run, screenshots).
  bool demoIfEmpty = false;
  // A new notebook starts with the standard competency model and coaching
  // guide (core/starter.h); the app's --empty turns this off.
  bool starterContent = true;
  int64_t draftDebounceMs = 800;
};

// A message for the status bar: what just happened, or what went wrong.
struct Notice {
  std::string text;
  bool error = false;
  int64_t atMs = 0;
};

// A call to start or plan: coaching type and area, customer, objective, guide.
using NewCall = core::SessionInput;

class AppModel {
 public:
  static Result<std::unique_ptr<AppModel>> open(platform::Env& env, const std::string& dataDir,
                                                const AppOptions& options = {});
  ~AppModel();  // saves drafts and settings, stops sync

  // ---- the frame loop ----
  // Saves due drafts, notices store changes, polls sync and search. True when
  // something visible changed (draw a frame).
  bool update();
  // How long the shell may sleep before update() has work (ms).
  int64_t msUntilUpdate() const;
  // A clock that ticks on screen (ride-along timer) is running.
  bool animating() const { return activeCall_.has_value(); }
  int64_t now() const { return env_.clock().wallMs(); }

  // ---- navigation ----
  Screen screen() const { return screen_; }
  void go(Screen s);
  void openRep(const core::RecordId& rep);
  void openDebrief(const core::RecordId& session);
  const std::optional<core::RecordId>& selectedRep() const { return selectedRep_; }
  const std::optional<core::RecordId>& debriefSession() const { return debriefSession_; }

  // ---- what the screens show (cached until the store changes) ----
  const Snapshot& snapshot() const { return snap_; }
  const RepDetail* repDetail(const core::RecordId& rep);
  const SessionDetail* sessionDetail(const core::RecordId& session);
  const std::vector<core::Record>& trash();

  // ---- ride-along capture ----
  const std::optional<core::RecordId>& rideRep() const { return rideRep_; }
  void setRideRep(const core::RecordId& rep);
  // Back to the rep picker; a running call stays in progress for its debrief.
  void clearRideRep() {
    rideRep_.reset();
    activeCall_.reset();
  }
  // The ride rep's sessions that started today, oldest first.
  std::vector<core::Session> rideCalls();
  const std::optional<core::RecordId>& activeCall() const { return activeCall_; }
  void setActiveCall(const core::RecordId& session) { activeCall_ = session; }
  Status startCall(const NewCall& call);
  // One tap: a timestamped observation on the active call (one change).
  Status capture(const std::string& skill, const std::string& kind, const std::string& text = "",
                 std::optional<int> rating = std::nullopt);
  // Stamps the end of the active call and opens its debrief.
  Status endCall();

  // ---- edits (each one change) ----
  Status addRep(const std::string& name, const std::string& team, const std::string& territory);
  Status planSession(const core::RecordId& rep, int64_t startMs, const NewCall& call);
  // A planned session starts now: in progress, ride-along on it.
  Status startPlanned(const core::RecordId& session);
  // A planned session moves to another time (adherence counts it as moved).
  Status reschedule(const core::RecordId& session, int64_t startMs);
  // directive | collaborative | self_directed, or "" to clear; and a note.
  Status setCoachingStyle(const core::RecordId& rep, const std::string& style, const std::string& note);
  // The standard competency model and guide, for a notebook begun --empty.
  Status addStarterContent();
  Status setField(const core::RecordId& id, const std::string& field, core::Value value, const std::string& label);
  Status addAction(const core::RecordId& rep, const std::optional<core::RecordId>& session, const std::string& text,
                   const std::string& owner, const std::string& due);
  Status addGoal(const core::RecordId& rep, const std::string& skill, const std::string& text,
                 const std::string& target);
  // This session's rating of `skill` for its rep (creates or updates).
  Status rate(const core::RecordId& session, const std::string& skill, int rating);
  Status finishDebrief(const core::RecordId& session);
  Status remove(const core::RecordId& id, const std::string& what);
  Status restore(const core::RecordId& id);
  Status resolve(const core::RecordId& id, const std::string& field, const core::Value& keep);
  Status addSkill(const std::string& name);
  Status moveSkill(const core::RecordId& skill, int delta);
  Status addTemplate(const std::string& name);

  // ---- typed text (saves itself) ----
  std::string& draft(const core::RecordId& id, const std::string& field, const std::string& stored) {
    return drafts_.buffer(id, field, stored);
  }
  void draftEdited(const core::RecordId& id, const std::string& field) { drafts_.edited(id, field, now()); }
  // Saves every unsaved draft now (leaving a screen, closing).
  void saveDrafts();
  bool hasUnsavedDrafts() const { return drafts_.hasUnsaved(); }

  // ---- undo ----
  bool canUndo() const { return !undo_.empty(); }
  std::string undoLabel() const { return undo_.empty() ? "" : undo_.topLabel(); }
  Status undo();

  // ---- search, sync, settings, messages ----
  Searcher& search() { return searcher_; }
  SyncController& sync() { return *sync_; }
  GuiSettings& settings() { return settings_; }
  // Writes gui_settings.json and re-reads what depends on the cadence.
  void settingsChanged();
  const Notice& notice() const { return notice_; }
  void note(std::string text, bool error = false);

 private:
  friend struct ModelTestAccess;  // tests read the store to check what a command wrote
  AppModel(platform::Env& env, std::unique_ptr<core::Notebook> nb, const AppOptions& options);
  Status commit(const core::ChangeBuilder& change, const std::string& label, bool undoable = true);
  // Commits a core command's change; an error becomes a notice ("could not <what>: ...").
  Status run(const std::string& what, Result<core::Edit> edit);
  core::Coach coach() { return core::Coach(*nb_); }
  void refresh();
  bool saveDueDrafts(bool all);

  platform::Env& env_;
  std::unique_ptr<core::Notebook> nb_;
  AppOptions options_;
  GuiSettings settings_;
  Snapshot snap_;
  std::map<core::RecordId, RepDetail> repCache_;
  std::map<core::RecordId, SessionDetail> sessionCache_;
  std::optional<std::vector<core::Record>> trashCache_;
  Screen screen_ = Screen::kToday;
  std::optional<core::RecordId> selectedRep_, debriefSession_, rideRep_, activeCall_;
  TextDrafts drafts_;
  UndoStack undo_;
  Searcher searcher_;
  std::unique_ptr<SyncController> sync_;
  Notice notice_;
  int64_t lastRedrawMinute_ = 0;
};

}  // namespace ridealong::gui
