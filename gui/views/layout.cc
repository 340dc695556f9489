#include "layout.h"

namespace ridealong::gui::ui {

namespace {
// Below this the sidebar takes too much: a 1024 px landscape tablet in
// touch mode (46 em) gets the top bar, a 1024 px laptop window (60 em) keeps
// the sidebar.
constexpr float kSidebarFrom = 56;
// Two columns need each to hold a rep's row with its buttons (~26 em).
constexpr float kTwoColumnsFrom = 54;
// Team: every figure column beside the name needs about this much.
constexpr float kFullTablesFrom = 58;
// A form's fields and its button on one line.
constexpr float kOneLineFormsFrom = 40;
}  // namespace

Layout layoutFor(float width, float height, float em, bool touch) {
  Layout l;
  l.width = width;
  l.height = height;
  l.em = em > 0 ? em : 13;
  l.touch = touch;
  l.portrait = height > width;
  const float ems = width / l.em;
  l.sidebar = ems >= kSidebarFrom;
  l.sidebarWidth = l.sidebar ? l.em * (touch ? 11.0f : 9.5f) : 0;
  const float content = (width - l.sidebarWidth) / l.em - 2;  // less the padding
  l.twoColumns = content >= kTwoColumnsFrom;
  l.compactTables = content < kFullTablesFrom;
  l.stackedForms = content < kOneLineFormsFrom;
  return l;
}

}  // namespace ridealong::gui::ui
