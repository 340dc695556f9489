// The automated layout check: after a frame, everything drawn that does not
// fit where it is, found from ImGui's own records and the app's tracked
// items. One line per fault, empty when the screen fits.
#pragma once

#include <string>
#include <vector>

#include "ridealong/gui/views.h"

namespace ridealong::testing {

struct LayoutCheck {
  bool touch = false;  // tappable items must be at least 44 x 44 px
};

// Faults of the last frame of the current ImGui context:
//  - a window (the screen, a child, a popup) whose content is wider than
//    the window (cut, or only reachable by scrolling sideways), or a popup
//    past the display's edge;
//  - a table column whose cells or header are wider than the column (cut,
//    or a header shortened to "T...");
//  - a tracked button or field cut by its window or column;
//  - a word wider than the line it wraps in (broken inside: "Develo/pment");
//  - in touch mode, a tracked tappable item smaller than 44 x 44 px.
std::vector<std::string> layoutFaults(const gui::ItemRegistry& registry, const LayoutCheck& check);

// Scrolls the app's screen (the child window under the navigation) down by
// most of its height, for a check of what is below the fold; false when it
// is already at the bottom. `top`: back to the top instead.
bool scrollScreen(bool top = false);

}  // namespace ridealong::testing
