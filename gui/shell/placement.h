// Where the window opens and what of it is remembered: pure functions over
// the saved settings and the monitors' work areas, so they are tested
// without a display. Coordinates are GLFW screen coordinates (pixels on X11).
#pragma once

#include <optional>
#include <vector>

#include "ridealong/gui/settings.h"

namespace ridealong::shell {

struct Rect {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Rect&) const = default;
};

struct Placement {
  int width = 0, height = 0;
  std::optional<Rect> at;  // position (x, y) when chosen; nullopt: the system's choice
  int x() const { return at ? at->x : 0; }
  int y() const { return at ? at->y : 0; }
};

inline constexpr int kDefaultWidth = 1280, kDefaultHeight = 800;
inline constexpr int kMinWidth = 480, kMinHeight = 360;

// The saved size and position when they still fit on one of the monitors
// (`workAreas`, the primary first); otherwise 1280x800 times the primary
// monitor's content scale, shrunk to fit its work area, centred on it.
// `requested` (--size) overrides the saved size for this run.
Placement initialPlacement(const gui::GuiSettings& s, const std::vector<Rect>& workAreas, float primaryScale,
                           const std::optional<Rect>& requestedSize = std::nullopt);

// Writes the window's current frame into the settings (not while iconified).
void rememberPlacement(gui::GuiSettings& s, const Rect& window);

}  // namespace ridealong::shell
