// The app's drawing: one function per screen (gui/views/*.cc) behind
// drawApp(). Views read the model and call its commands; they hold only
// what the user is typing into forms that are not saved yet (ViewState).
// Needs a current ImGui context; no window or GL here, so headless tests
// can drive real frames.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ridealong/gui/app_model.h"
#include "ridealong/gui/settings.h"

struct ImFont;

namespace ridealong::gui {

// Where tracked widgets were drawn in the last frame, by label; lets tests
// (and only tests) click them with synthetic input.
struct ItemRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
};

class ItemRegistry {
 public:
  void clear() { items_.clear(); }
  void add(const std::string& key, ItemRect r) { items_[key] = r; }
  std::optional<ItemRect> find(const std::string& key) const;
  std::vector<std::string> keys() const;

 private:
  std::map<std::string, ItemRect> items_;
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
