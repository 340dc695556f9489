// The app's drawing: one function per screen (gui/views/*.cc) behind
// drawApp(). Views draw from the model's snapshot and call its commands
// (never the store); they hold only what the user is typing into forms that
// are not saved yet and what they remember between frames (ViewState, one
// per app: no function statics).
// Needs a current ImGui context; no window or GL here, so headless tests
// can drive real frames.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ridealong/gui/app_model.h"
#include "ridealong/gui/settings.h"

struct ImFont;

namespace ridealong::gui {

// Where tracked widgets were drawn in the last frame, by label; lets tests
// (and only tests) click them with synthetic input and read what a line said.
struct ItemRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string text;  // for tracked lines of text: what they said
  // A button or text field: all of it must be on screen (layout checks).
  // (Selectables and table headers reach into the spacing around them.)
  bool control = false;
  // Something to tap (a control, a selectable row, a nav entry): in touch
  // mode at least ui::kTouchTarget pixels both ways (layout checks).
  bool tappable = false;
  // Drawn but not visible: cut away sideways by its window or column (a
  // layout fault; tests cannot click it). Items scrolled out of view
  // vertically are not recorded at all.
  bool clipped = false;
  // The content region of the window it was drawn in (screen coordinates).
  float clipX0 = 0, clipX1 = 0;
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
};

class ItemRegistry {
 public:
  void clear() {
    items_.clear();
    faults_.clear();
  }
  void add(const std::string& key, ItemRect r) { items_[key] = std::move(r); }
  // A visible item (not one that is `clipped`).
  std::optional<ItemRect> find(const std::string& key) const;
  std::vector<std::string> keys() const;
  const std::map<std::string, ItemRect>& items() const { return items_; }
  // Layout faults the helpers saw while drawing (a word wider than the
  // line it wraps in); tests report them with ImGui's own checks.
  void fault(std::string what) { faults_.push_back(std::move(what)); }
  const std::vector<std::string>& faults() const { return faults_; }

 private:
  std::map<std::string, ItemRect> items_;
  std::vector<std::string> faults_;
};

// What the screens remember from one frame to the next besides form input:
// sort orders, measured widths, which wrapped field is being edited. It
// belongs to one app (its ViewState), so two apps in one process (tests)
// share nothing.
struct ViewMemory {
  // The Team table's row order under its current sort, rebuilt when the
  // snapshot or the sort changes.
  struct TeamOrder {
    uint64_t generation = ~uint64_t{0};
    int64_t builtAt = 0;
    std::vector<int> rows;  // indexes into Snapshot::team
  } teamOrder;
  // Text widths the heat map lays out by, measured once per snapshot and
  // text size rather than every frame (a team can have hundreds of reps).
  struct TextWidths {
    uint64_t generation = ~uint64_t{0};
    int64_t builtAt = 0;
    float fontSize = 0;
    float longestName = 0, longestSkillWord = 0;
  } heatWidths;
  // The multi-line field shown as a text box ("" none: all show wrapped
  // text) and the frames left to wait for the focus asked for it.
  std::string wrapEditing;
  int wrapFocusFrames = 0;
  // A single-line field to give the keyboard focus to in the next frame
  // (after Enter added what it held, typing goes on there).
  std::string refocus;
  bool showInviteCode = false;  // Sync: the invite code in clear
};

// Form input not yet committed (a new rep's name, the capture note, ...).
struct ViewState {
  std::string newRepName, newRepTeam, newRepTerritory;
  NewCall newCall;
  std::string planDate;  // YYYY-MM-DD for "plan a session"
  std::string captureNote;
  int captureRating = 0;  // 0 = none
  std::string newActionText, newActionDue;
  int newActionOwner = 1;  // 0 coach, 1 rep
  std::string newGoalText, newGoalTarget;
  int newGoalSkill = 0;
  std::string searchQuery;
  bool focusSearch = false;
  std::string relayAddress = "127.0.0.1:7420", inviteCode;
  std::string signupToken, relayKey;  // Sync screen: optional parts of "create a space"
  std::string newSkillName, newTemplateName;
  int actionsFilter = 0;  // 0 open, 1 overdue, 2 all of the selected rep
  // Today: the missed session being moved to another day, and that day.
  std::optional<core::RecordId> replanSession;
  std::string replanDate;  // YYYY-MM-DD
  ViewMemory memory;
  ItemRegistry* registry = nullptr;  // tests only
};

struct Fonts {
  ImFont* body = nullptr;
  ImFont* heading = nullptr;
  ImFont* big = nullptr;  // capture buttons, the ride-along timer
};

// Loads the UI fonts into the current context's atlas at `pixelScale` (HiDPI
// x touch x user scale): Inter from Debian's fonts-inter when installed,
// else ImGui's built-in font. The caller uploads the atlas.
Fonts loadFonts(float pixelScale);
// Light/dark colours and sizes (touch mode: bigger targets), at `scale`.
void applyStyle(const GuiSettings& settings, float scale);

// One whole frame of the app (between ImGui::NewFrame and ImGui::Render).
void drawApp(AppModel& model, ViewState& state, const Fonts& fonts);

}  // namespace ridealong::gui
