#include "ui_scale.h"

#include <algorithm>
#include <cmath>

namespace ridealong::shell {

namespace {

float sane(float v, float lo, float hi) { return std::isfinite(v) && v > 0 ? std::clamp(v, lo, hi) : 1.0f; }

}  // namespace

UiScale computeUiScale(const gui::GuiSettings& s, float contentScale, float framebufferScale) {
  float content = sane(contentScale, 0.5f, 4.0f);
  float fb = sane(framebufferScale, 1.0f, 4.0f);
  float user = sane(s.fontScale, 0.5f, 3.0f);
  float px = content * (s.touchMode ? kTouchScale : 1.0f) * user;
  // Where the framebuffer is already denser than window coordinates (the
  // content scale then usually says the same), the layout must not be
  // scaled twice: glyphs stay at full resolution, drawn smaller by ImGui.
  return UiScale{px, px / fb, 1.0f / fb};
}

LookKey lookKey(const gui::GuiSettings& s, float contentScale, float framebufferScale) {
  return LookKey{computeUiScale(s, contentScale, framebufferScale), s.theme, s.touchMode};
}

}  // namespace ridealong::shell
