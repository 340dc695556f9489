// The desktop app's own preferences (not coaching data, so not synced):
// coaching cadence, theme, touch mode, window placement. Kept in
// <data>/gui_settings.json, written atomically; a missing file gives the
// defaults and a garbled one is reported and replaced only on the next save.
#pragma once

#include <string>

#include "ridealong/core/coaching_facts.h"

#include "ridealong/platform/env.h"
#include "ridealong/platform/status.h"

namespace ridealong::gui {

enum class Theme { kLight, kDark };

struct GuiSettings {
  int cadenceDays = core::kDefaultCadenceDays;  // a rep is due for coaching after this many days
  Theme theme = Theme::kLight;
  bool touchMode = false;  // large targets for a tablet
  float fontScale = 1.0f;  // on top of the monitor's content scale
  // Window placement; width 0 = let the shell choose.
  int windowX = -1, windowY = -1, windowWidth = 0, windowHeight = 0;
  bool operator==(const GuiSettings&) const = default;
};

std::string settingsPath(const std::string& dataDir);
Result<GuiSettings> loadSettings(platform::Env& env, const std::string& dataDir);
Status saveSettings(platform::Env& env, const std::string& dataDir, const GuiSettings& s);

}  // namespace ridealong::gui
