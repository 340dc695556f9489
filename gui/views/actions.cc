// Actions: every open action item by due date, overdue ones in red; tick to
// mark done, or drop.
#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

void actionRow(AppModel& m, const core::ActionItem& a, bool showRep) {
  ImGui::PushID(a.id.str().c_str());
  bool done = a.status == "done";
  if (ImGui::Checkbox("##done", &done))
    (void)m.setField(a.id, "status", core::Value(done ? "done" : "open"),
                     done ? "complete an action" : "reopen an action");
  ui::track("action/done/" + a.text, true);
  ImGui::SameLine();
  // The text wraps before the drop button; who and when go on a second line.
  float dropWidth = a.status == "open" ? ui::buttonWidth("drop") : 0.0f;
  ImGui::BeginGroup();
  const float wrapAt = ImGui::GetContentRegionMax().x - dropWidth - ImGui::GetStyle().ItemSpacing.x;
  ImGui::PushTextWrapPos(wrapAt);
  if (a.status == "dropped") ui::wrapped(a.text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  else ui::wrapped(a.text);
  bool overdue = a.status == "open" && !a.due.empty() && a.due < todayDate(m.now());
  std::string meta = a.owner == "coach" ? "coach" : "rep";
  if (showRep) meta += " · " + m.snapshot().repName(a.rep);
  if (!a.due.empty()) {
    ui::wrapped(fmt::format("{} {}", overdue ? "overdue since" : "due", a.due), overdue ? ui::red() : ui::mutedColor());
    // Who, on the same line when it fits there, else below (never cut).
    float end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetStyle().ItemSpacing.x;
    if (end + ImGui::CalcTextSize(meta.c_str()).x <= wrapAt) ImGui::SameLine();
  }
  ui::wrapped(meta, ui::mutedColor());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  if (a.status == "open") {
    ui::alignRight(dropWidth);
    bool drop = ui::smallButton("drop");
    ui::track("action/drop/" + a.text, true);
    if (drop) (void)m.setField(a.id, "status", core::Value("dropped"), "drop an action");
  }
  ImGui::PopID();
}

void actions(AppModel& m, ViewState& s) {
  const Snapshot& snap = m.snapshot();
  ui::heading(fmt::format("Action items · {} open, {} overdue", snap.openActions.size(), snap.overdueActions));
  // The filters side by side while they fit, then one under the other.
  const char* filters[] = {"All open", "Overdue only", "Coach's own"};
  for (int i = 0; i < 3; i++) {
    const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(filters[i]).x;
    if (i > 0) ui::nextTo(w);
    ImGui::RadioButton(filters[i], &s.actionsFilter, i);
    ui::track(std::string("actions/filter/") + filters[i], true);
  }
  ImGui::Separator();
  std::string today = todayDate(m.now());
  std::vector<const core::ActionItem*> rows;
  for (const auto& a : snap.openActions) {
    if (s.actionsFilter == 1 && (a.due.empty() || a.due >= today)) continue;
    if (s.actionsFilter == 2 && a.owner != "coach") continue;
    rows.push_back(&a);
  }
  if (rows.empty()) ui::empty("Nothing here. Action items come from debriefs.");
  ImGui::BeginChild("##actions-list");
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) actionRow(m, *rows[i], true);
  ImGui::EndChild();
}

}  // namespace ridealong::gui::views
