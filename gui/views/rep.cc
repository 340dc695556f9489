// Rep: profile, goals, skill ratings over time (a chart drawn with ImGui's
// draw lists), the session timeline and action items; plan the next session.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>
#include <imgui.h>

#include "ridealong/core/ids.h"
#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

ImU32 seriesColor(size_t i) {
  static const ImVec4 k[] = {{0.22f, 0.46f, 0.85f, 1}, {0.85f, 0.40f, 0.15f, 1}, {0.16f, 0.60f, 0.38f, 1},
                             {0.60f, 0.30f, 0.75f, 1}, {0.80f, 0.22f, 0.40f, 1}, {0.10f, 0.60f, 0.65f, 1},
                             {0.55f, 0.50f, 0.10f, 1}, {0.40f, 0.40f, 0.45f, 1}};
  return ImGui::GetColorU32(k[i % 8]);
}

void ratingChart(AppModel& m, const RepDetail& d) {
  ui::subheading("Skill ratings over time");
  if (d.ratings.empty()) {
    ui::empty("No ratings yet. Rate skills at the end of a debrief.");
    return;
  }
  int64_t t0 = INT64_MAX, t1 = 0;
  for (const auto& [skill, pts] : d.ratings)
    for (const auto& p : pts) t0 = std::min(t0, p.atMs), t1 = std::max(t1, p.atMs);
  if (t1 <= t0) t1 = t0 + kDayMs;
  float fs = ImGui::GetFontSize();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float width = ImGui::GetContentRegionAvail().x - fs * 12;
  float height = fs * 10;
  ImVec2 plot0(origin.x + fs * 1.5f, origin.y + fs * 0.5f);
  ImVec2 plot1(origin.x + std::max(width, fs * 10), origin.y + height);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border);
  ImU32 text = ImGui::GetColorU32(ui::mutedColor());
  auto yOf = [&](double r) { return plot1.y - static_cast<float>((r - 1) / 4.0) * (plot1.y - plot0.y); };
  auto xOf = [&](int64_t t) {
    return plot0.x + static_cast<float>(static_cast<double>(t - t0) / static_cast<double>(t1 - t0)) * (plot1.x - plot0.x);
  };
  for (int r = 1; r <= 5; r++) {
    dl->AddLine(ImVec2(plot0.x, yOf(r)), ImVec2(plot1.x, yOf(r)), grid);
    std::string label = std::to_string(r);
    dl->AddText(ImVec2(origin.x, yOf(r) - fs / 2), text, label.c_str());
  }
  dl->AddText(ImVec2(plot0.x, plot1.y + 2), text, ui::dayDate(t0).c_str());
  std::string end = ui::dayDate(t1);
  dl->AddText(ImVec2(plot1.x - ImGui::CalcTextSize(end.c_str()).x, plot1.y + 2), text, end.c_str());
  size_t i = 0;
  float legendY = origin.y;
  for (const auto& [skill, pts] : d.ratings) {
    ImU32 col = seriesColor(i++);
    for (size_t k = 0; k < pts.size(); k++) {
      ImVec2 p(xOf(pts[k].atMs), yOf(pts[k].rating));
      if (k > 0) dl->AddLine(ImVec2(xOf(pts[k - 1].atMs), yOf(pts[k - 1].rating)), p, col, 2.0f);
      dl->AddCircleFilled(p, 3.5f, col);
    }
    ImVec2 lp(plot1.x + fs, legendY);
    dl->AddRectFilled(ImVec2(lp.x, lp.y + fs * 0.3f), ImVec2(lp.x + fs * 0.6f, lp.y + fs * 0.9f), col, 2);
    std::string label = fmt::format("{} ({})", skill, pts.back().rating);
    dl->AddText(ImVec2(lp.x + fs, lp.y), ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
    legendY += fs * 1.2f;
  }
  ImGui::Dummy(ImVec2(0, std::max(height, legendY - origin.y) + fs * 1.5f));
}

void profile(AppModel& m, const RepDetail& d) {
  const auto& r = d.rep;
  if (ImGui::BeginTable("##profile", 4, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
    ui::draftText(m, r.id, "name", r.name, "Name", false);
    ImGui::TableNextColumn();
    ui::draftText(m, r.id, "team", r.team, "Team", false);
    ImGui::TableNextColumn();
    ui::draftText(m, r.id, "territory", r.territory, "Territory", false);
    ImGui::TableNextColumn();
    ui::draftText(m, r.id, "email", r.email, "Email", false);
    ImGui::EndTable();
  }
  if (const TeamRow* row = m.snapshot().teamRow(r.id)) {
    const auto& o = row->overview;
    std::string last = row->daysSinceCoached < 0 ? "never coached" : fmt::format("last coached {} days ago", row->daysSinceCoached);
    ImGui::TextColored(row->due ? ui::amber() : ImGui::GetStyleColorVec4(ImGuiCol_Text), "%s", last.c_str());
    ImGui::SameLine();
    ui::muted(fmt::format("· {} sessions in 90 days · {} open actions ({} overdue)", o.sessions90d,
                          o.openActions, o.overdueActions));
  }
}

void goals(AppModel& m, ViewState& s, const RepDetail& d) {
  ui::subheading("Goals");
  for (const auto& g : d.goals) {
    ImGui::PushID(g.id.str().c_str());
    bool achieved = g.status == "achieved";
    if (ImGui::Checkbox("##achieved", &achieved))
      m.setField(g.id, "status", core::Value(achieved ? "achieved" : "active"), "mark the goal");
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextWrapped("%s", g.text.c_str());
    ui::mutedLine((g.skill.empty() ? std::string("") : g.skill + " · ") +
                  (g.target.empty() ? ui::pretty(g.status) : "target " + g.target + " · " + ui::pretty(g.status)));
    ImGui::EndGroup();
    ImGui::PopID();
  }
  if (d.goals.empty()) ui::muted("No goals yet.");
  const auto& skills = m.snapshot().skills;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  if (!skills.empty()) {
    s.newGoalSkill = std::clamp(s.newGoalSkill, 0, static_cast<int>(skills.size()) - 1);
    if (ImGui::BeginCombo("##goal-skill", skills[s.newGoalSkill].name.c_str())) {
      for (int i = 0; i < static_cast<int>(skills.size()); i++)
        if (ImGui::Selectable(skills[i].name.c_str(), i == s.newGoalSkill)) s.newGoalSkill = i;
      ImGui::EndCombo();
    }
    ImGui::SameLine();
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ui::inputText("##goal-target", s.newGoalTarget, "target date");
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ui::buttonWidth("Add goal") - ImGui::GetStyle().ItemSpacing.x);
  ui::inputText("##goal-text", s.newGoalText, "New goal, e.g. ask two open questions per call");
  ImGui::SameLine();
  ImGui::BeginDisabled(s.newGoalText.empty());
  if (ui::button("Add goal")) {
    std::string skill = skills.empty() ? "" : skills[s.newGoalSkill].name;
    if (m.addGoal(d.rep.id, skill, s.newGoalText, s.newGoalTarget)) {
      s.newGoalText.clear();
      s.newGoalTarget.clear();
    }
  }
  ImGui::EndDisabled();
}

void timeline(AppModel& m, const RepDetail& d) {
  ui::subheading(fmt::format("Sessions ({})", d.sessions.size()));
  if (d.sessions.empty()) ui::muted("No sessions yet.");
  // Drawn whole (no list clipper inside this table cell); a rep has tens of
  // sessions a year, so the newest 200 are plenty.
  if (!ImGui::BeginTable("##timeline", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) return;
  ImGui::TableSetupColumn("when", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 13);
  ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
  for (size_t i = 0; i < d.sessions.size() && i < 200; i++) {
    const auto& s = d.sessions[i];
    ImGui::PushID(static_cast<int>(i));
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    std::string line = fmt::format("{}  {}", ui::dayDate(s.startMs), ui::pretty(s.type));
    if (ImGui::Selectable(line.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) m.openDebrief(s.id);
    ImGui::TableNextColumn();
    if (s.status == "done") ui::muted(s.objective.empty() ? s.customer : s.objective);
    else ImGui::TextColored(ui::amber(), "%s", ui::pretty(s.status).c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void planForm(AppModel& m, ViewState& s, const RepDetail& d) {
  ui::subheading("Plan a session");
  if (s.planDate.empty()) s.planDate = core::formatDate(m.now() / kDayMs + 7);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ui::inputText("##plan-date", s.planDate, "YYYY-MM-DD");
  ImGui::SameLine();
  ui::choice("##plan-type", ui::choicesOf("session", "type"), s.newCall.type, ImGui::GetFontSize() * 9);
  ImGui::SameLine();
  ui::choice("##plan-area", ui::choicesOf("session", "area"), s.newCall.area, ImGui::GetFontSize() * 8);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 25);
  ui::inputText("##plan-objective", s.newCall.objective, "Objective");
  ImGui::SameLine();
  auto day = core::parseDate(s.planDate);
  ImGui::BeginDisabled(!day);
  if (ui::button("Plan") && day && m.planSession(d.rep.id, *day * kDayMs + 9 * 3600 * 1000, s.newCall))
    s.newCall.objective.clear();
  ImGui::EndDisabled();
}

void repPicker(AppModel& m) {
  ui::heading("Rep");
  ui::muted("Pick a rep:");
  for (const auto& r : m.snapshot().reps) {
    if (ImGui::Selectable(r.name.c_str())) m.openRep(r.id);
    ui::track("rep/pick/" + r.name);
  }
}

}  // namespace

void rep(AppModel& m, ViewState& s) {
  const RepDetail* d = m.selectedRep() ? m.repDetail(*m.selectedRep()) : nullptr;
  if (!d) {
    repPicker(m);
    return;
  }
  ui::heading(d->rep.name);
  ui::alignRight(ui::buttonWidth("Ride along now") + ui::buttonWidth("Delete rep") + ImGui::GetStyle().ItemSpacing.x);
  if (ui::button("Ride along now")) {
    m.setRideRep(d->rep.id);
    m.go(Screen::kRideAlong);
  }
  ImGui::SameLine();
  if (ui::button("Delete rep")) m.remove(d->rep.id, d->rep.name);
  profile(m, *d);
  if (ImGui::BeginTable("##rep-cols", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
    ratingChart(m, *d);
    goals(m, s, *d);
    planForm(m, s, *d);
    ImGui::TableNextColumn();
    ui::subheading("Action items");
    int shown = 0;
    for (const auto& a : d->actions)
      if (shown++ < 15) actionRow(m, a, false);
    if (d->actions.empty()) ui::muted("No action items.");
    timeline(m, *d);
    ImGui::EndTable();
  }
}

}  // namespace ridealong::gui::views
