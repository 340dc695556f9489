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
  ui::track("action/done/" + a.text);
  ImGui::SameLine();
  // The text wraps before the drop button; who and when go on a second line.
  float dropWidth = a.status == "open" ? ui::buttonWidth("drop") : 0.0f;
  ImGui::BeginGroup();
  const float wrapAt = ImGui::GetContentRegionMax().x - dropWidth - ImGui::GetStyle().ItemSpacing.x;
  ImGui::PushTextWrapPos(wrapAt);
  if (a.status == "dropped") ImGui::TextDisabled("%s", a.text.c_str());
  else ImGui::TextWrapped("%s", a.text.c_str());
  bool overdue = a.status == "open" && !a.due.empty() && a.due < todayDate(m.now());
  std::string meta = a.owner == "coach" ? "coach" : "rep";
  if (showRep) meta += " · " + m.snapshot().repName(a.rep);
  if (!a.due.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, overdue ? ui::red() : ui::mutedColor());
    ImGui::TextWrapped("%s %s", overdue ? "overdue since" : "due", a.due.c_str());
    ImGui::PopStyleColor();
    // Who, on the same line when it fits there, else below (never cut).
    float end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetStyle().ItemSpacing.x;
    if (end + ImGui::CalcTextSize(meta.c_str()).x <= wrapAt) ImGui::SameLine();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ui::mutedColor());
  ImGui::TextWrapped("%s", meta.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  if (a.status == "open") {
    ui::alignRight(dropWidth);
    bool drop = ImGui::SmallButton("drop");
    ui::track("action/drop/" + a.text, true);
    if (drop) (void)m.setField(a.id, "status", core::Value("dropped"), "drop an action");
  }
  ImGui::PopID();
}

void actions(AppModel& m, ViewState& s) {
  const Snapshot& snap = m.snapshot();
  ui::heading(fmt::format("Action items · {} open, {} overdue", snap.openActions.size(), snap.overdueActions));
  ImGui::RadioButton("All open", &s.actionsFilter, 0);
  ImGui::SameLine();
  ImGui::RadioButton("Overdue only", &s.actionsFilter, 1);
  ImGui::SameLine();
  ImGui::RadioButton("Coach's own", &s.actionsFilter, 2);
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
