// How the app lays out at a window size and text size: the breakpoints and
// sizes every screen follows, in one place. Widths are in ems (the body
// text's height), so larger text reflows as a narrower window does: 1280 px
// at 1x is 75 em, a 768 px portrait tablet in touch mode 35 em, the same at
// 1.5x text 23 em.
#pragma once

namespace ridealong::gui::ui {

// A tappable target's least width and height in touch mode, at 1x (Apple's
// and Google's guidance: 44 pt / 48 dp); the touch style meets it.
inline constexpr float kTouchTarget = 44.0f;

struct Layout {
  float width = 0, height = 0;  // the window, px
  float em = 13;                // the body text's size, px
  // Navigation: a sidebar, or (narrow windows) a top bar with a Menu button.
  bool sidebar = true;
  float sidebarWidth = 0;  // px, 0 without a sidebar
  // Screens with two columns side by side; else one under the other.
  bool twoColumns = true;
  // Tables keep the columns that matter (a rep's name, last coached,
  // overdue); the others go on a second line of the row.
  bool compactTables = false;
  // Forms put their fields one under the other instead of on one line.
  bool stackedForms = false;
  bool portrait = false;
  bool touch = false;
};

// The layout for a window of `width` x `height` px whose body text is `em`
// px high.
Layout layoutFor(float width, float height, float em, bool touch);

}  // namespace ridealong::gui::ui
