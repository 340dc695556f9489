// How big the UI is drawn: the monitor's content scale (HiDPI) x 1.3 in
// touch mode x the user's font scale. Fonts are rasterised in framebuffer
// pixels (sharp on HiDPI) and laid out in window coordinates; on X11 the two
// are the same, on a Retina-style display the framebuffer is larger.
#pragma once

#include "ridealong/gui/settings.h"

namespace ridealong::shell {

inline constexpr float kTouchScale = 1.3f;

struct UiScale {
  float fontPixels = 1;  // loadFonts(): glyphs at this scale, in framebuffer pixels
  float layout = 1;      // applyStyle(): paddings and sizes, in window coordinates
  float fontGlobal = 1;  // ImGui's FontGlobalScale: framebuffer pixels -> window coordinates
  bool operator==(const UiScale&) const = default;
};

// `contentScale`: glfwGetWindowContentScale; `framebufferScale`: framebuffer
// width / window width. Out-of-range inputs (a minimised window) count as 1.
UiScale computeUiScale(const gui::GuiSettings& s, float contentScale, float framebufferScale);

// What the fonts and the style depend on; when it changes they are rebuilt.
struct LookKey {
  UiScale scale;
  gui::Theme theme = gui::Theme::kLight;
  bool touchMode = false;
  bool operator==(const LookKey&) const = default;
};

LookKey lookKey(const gui::GuiSettings& s, float contentScale, float framebufferScale);
// Fonts must be rebuilt (and re-uploaded) only when the glyph size moves;
// a theme switch needs the style only.
inline bool fontsDiffer(const LookKey& a, const LookKey& b) { return a.scale.fontPixels != b.scale.fontPixels; }

}  // namespace ridealong::shell
