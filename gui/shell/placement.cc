#include "placement.h"

#include <algorithm>
#include <cmath>

namespace ridealong::shell {

namespace {

int overlap(int a0, int a1, int b0, int b1) { return std::max(0, std::min(a1, b1) - std::max(a0, b0)); }

// Enough of the window on this area to grab and move it back.
bool reachable(const Rect& w, const Rect& area) {
  int ox = overlap(w.x, w.x + w.width, area.x, area.x + area.width);
  int oy = overlap(w.y, w.y + w.height, area.y, area.y + area.height);
  // The top edge (title bar) must be on the area, and a fair piece of it.
  bool topOnArea = w.y >= area.y && w.y < area.y + area.height - 40;
  return topOnArea && ox >= std::min(w.width, 160) && oy >= std::min(w.height, 120);
}

}  // namespace

Placement initialPlacement(const gui::GuiSettings& s, const std::vector<Rect>& workAreas, float primaryScale,
                           const std::optional<Rect>& requestedSize) {
  Placement p;
  bool saved = s.windowWidth > 0 && s.windowHeight > 0;
  if (requestedSize) {
    p.width = requestedSize->width;
    p.height = requestedSize->height;
  } else if (saved) {
    p.width = std::max(s.windowWidth, kMinWidth);
    p.height = std::max(s.windowHeight, kMinHeight);
  } else {
    float scale = std::isfinite(primaryScale) ? std::clamp(primaryScale, 1.0f, 4.0f) : 1.0f;
    p.width = static_cast<int>(std::lround(kDefaultWidth * scale));
    p.height = static_cast<int>(std::lround(kDefaultHeight * scale));
  }
  if (workAreas.empty()) return p;

  if (saved) {
    Rect w{s.windowX, s.windowY, p.width, p.height};
    for (const Rect& area : workAreas) {
      if (!reachable(w, area)) continue;
      // Still there; shrink it if the monitor became smaller.
      if (!requestedSize) {
        p.width = std::min(p.width, area.width);
        p.height = std::min(p.height, area.height);
      }
      p.at = Rect{s.windowX, s.windowY, p.width, p.height};
      return p;
    }
  }
  // Centred on the primary monitor, at most its work area (a requested
  // size is kept as asked: screenshots and tests need exact sizes).
  const Rect& primary = workAreas.front();
  if (!requestedSize) {
    p.width = std::min(p.width, primary.width);
    p.height = std::min(p.height, primary.height);
  }
  p.at =
      Rect{primary.x + (primary.width - p.width) / 2, primary.y + (primary.height - p.height) / 2, p.width, p.height};
  if (!requestedSize) {
    p.at->x = std::max(p.at->x, primary.x);
    p.at->y = std::max(p.at->y, primary.y);
  }
  return p;
}

void rememberPlacement(gui::GuiSettings& s, const Rect& window) {
  if (window.width <= 0 || window.height <= 0) return;
  s.windowX = window.x;
  s.windowY = window.y;
  s.windowWidth = window.width;
  s.windowHeight = window.height;
}

}  // namespace ridealong::shell
