#include "layout_check.h"

#include <algorithm>
#include <string_view>

#include <fmt/core.h>
#include <imgui.h>
#include <imgui_internal.h>

namespace ridealong::testing {

namespace {

constexpr float kSlack = 1.0f;  // a pixel of rounding
constexpr float kTouchTarget = 44.0f;

void windows(std::vector<std::string>& out) {
  const ImGuiContext& g = *GImGui;
  const ImVec2 display = g.IO.DisplaySize;
  for (const ImGuiWindow* w : g.Windows) {
    if (!w->Active || w->Hidden) continue;
    // Content past the right edge of the window's content region.
    const float used = w->DC.CursorMaxPos.x, room = w->ContentRegionRect.Max.x;
    if (used > room + kSlack)
      out.push_back(fmt::format("window '{}': content reaches {:.0f} px, {:.0f} px past its edge", w->Name,
                                used - w->Pos.x, used - room));
    if (w->Flags & (ImGuiWindowFlags_Popup | ImGuiWindowFlags_Tooltip)) {
      if (w->Pos.x < -kSlack || w->Pos.x + w->Size.x > display.x + kSlack)
        out.push_back(fmt::format("popup '{}' [{:.0f}, {:.0f}] is past the display's width {:.0f}", w->Name, w->Pos.x,
                                  w->Pos.x + w->Size.x, display.x));
    }
  }
}

void tables(std::vector<std::string>& out) {
  ImGuiContext& g = *GImGui;
  for (int i = 0; i < g.Tables.GetMapSize(); i++) {
    const ImGuiTable* t = g.Tables.TryGetMapData(i);
    if (!t || t->LastFrameActive != g.FrameCount) continue;
    const char* name = t->OuterWindow ? t->OuterWindow->Name : "?";
    for (int n = 0; n < t->ColumnsCount; n++) {
      const ImGuiTableColumn& c = t->Columns[n];
      if (!c.IsEnabled || !c.IsVisibleX) continue;
      const float room = c.MaxX;
      const float cells = std::max(c.ContentMaxXFrozen, c.ContentMaxXUnfrozen);
      if (cells > room + kSlack)
        out.push_back(fmt::format("table in '{}', column {} ('{}'): cells {:.0f} px past the column's edge", name, n,
                                  ImGui::TableGetColumnName(t, n), cells - room));
      if (c.ContentMaxXHeadersIdeal > room + kSlack && c.ContentMaxXHeadersIdeal > c.ContentMaxXHeadersUsed + kSlack)
        out.push_back(fmt::format("table in '{}', column {} ('{}'): header cut ({:.0f} px short)", name, n,
                                  ImGui::TableGetColumnName(t, n), c.ContentMaxXHeadersIdeal - room));
    }
  }
}

void items(const gui::ItemRegistry& registry, const LayoutCheck& check, std::vector<std::string>& out) {
  for (const auto& [key, r] : registry.items()) {
    if (r.x1 <= r.x0) continue;
    if (r.control && (r.clipped || r.x1 > r.clipX1 + kSlack || r.x0 < r.clipX0 - kSlack))
      out.push_back(
          fmt::format("'{}' [{:.0f}, {:.0f}] is cut: room [{:.0f}, {:.0f}]", key, r.x0, r.x1, r.clipX0, r.clipX1));
    if (check.touch && r.tappable && (r.x1 - r.x0 < kTouchTarget - kSlack || r.y1 - r.y0 < kTouchTarget - kSlack))
      out.push_back(
          fmt::format("'{}' is {:.0f} x {:.0f} px: too small to tap (44 x 44)", key, r.x1 - r.x0, r.y1 - r.y0));
  }
  for (const auto& f : registry.faults()) out.push_back(f);
}

}  // namespace

std::vector<std::string> layoutFaults(const gui::ItemRegistry& registry, const LayoutCheck& check) {
  std::vector<std::string> out;
  windows(out);
  tables(out);
  items(registry, check, out);
  return out;
}

bool scrollScreen(bool top) {
  ImGuiContext& g = *GImGui;
  for (ImGuiWindow* w : g.Windows) {
    if (!w->Active || std::string_view(w->Name).find("/##screen_") == std::string_view::npos) continue;
    if (std::string_view(w->Name).find('/', std::string_view(w->Name).find("/##screen_") + 1) != std::string_view::npos)
      continue;  // a child inside the screen
    if (top) {
      ImGui::SetScrollY(w, 0);
      return true;
    }
    if (w->Scroll.y >= w->ScrollMax.y - 0.5f) return false;
    ImGui::SetScrollY(w, std::min(w->ScrollMax.y, w->Scroll.y + w->Size.y * 0.8f));
    return true;
  }
  return false;
}

}  // namespace ridealong::testing
