// Rep: profile, goals, skill ratings over time (a chart drawn with ImGui's
// draw lists), the session timeline and action items; plan the next session.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>
#include <imgui.h>

#include "ridealong/core/fields.h"
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
  // The legend's room: its longest entry (colour square, name, rating).
  // Beside the plot when both fit, else under it: the chart is as wide as
  // its column, never wider.
  float legend = fs * 8;
  for (const auto& [skill, pts] : d.ratings)
    legend = std::max(legend, ImGui::CalcTextSize(fmt::format("{} ({})", skill, pts.back().rating).c_str()).x + fs);
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool legendBeside = avail - legend - fs * 2 >= fs * 14;
  float width = legendBeside ? avail - legend - fs * 2 : avail - fs * 0.5f;
  float height = fs * 10;
  ImVec2 plot0(origin.x + fs * 1.5f, origin.y + fs * 0.5f);
  ImVec2 plot1(origin.x + width, origin.y + height);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border);
  ImU32 text = ImGui::GetColorU32(ui::mutedColor());
  auto yOf = [&](double r) { return plot1.y - static_cast<float>((r - 1) / 4.0) * (plot1.y - plot0.y); };
  auto xOf = [&](int64_t t) {
    return plot0.x +
           static_cast<float>(static_cast<double>(t - t0) / static_cast<double>(t1 - t0)) * (plot1.x - plot0.x);
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
  float legendY = legendBeside ? origin.y : plot1.y + fs * 1.6f;
  const float legendX = legendBeside ? plot1.x + fs : origin.x;
  for (const auto& [skill, pts] : d.ratings) {
    ImU32 col = seriesColor(i++);
    for (size_t k = 0; k < pts.size(); k++) {
      ImVec2 p(xOf(pts[k].atMs), yOf(pts[k].rating));
      if (k > 0) dl->AddLine(ImVec2(xOf(pts[k - 1].atMs), yOf(pts[k - 1].rating)), p, col, 2.0f);
      dl->AddCircleFilled(p, 3.5f, col);
    }
    ImVec2 lp(legendX, legendY);
    dl->AddRectFilled(ImVec2(lp.x, lp.y + fs * 0.3f), ImVec2(lp.x + fs * 0.6f, lp.y + fs * 0.9f), col, 2);
    std::string label = fmt::format("{} ({})", skill, pts.back().rating);
    dl->AddText(ImVec2(lp.x + fs, lp.y), ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
    legendY += fs * 1.2f;
  }
  ImGui::Dummy(ImVec2(0, legendBeside ? std::max(height, legendY - origin.y) + fs * 1.5f : legendY - origin.y));
}

// How this rep is best coached: a style (directive, collaborative,
// self-directed) and a few words on why, shown again when planning a
// session and in the debrief.
void coachingStyle(AppModel& m, const core::Rep& r) {
  namespace cs = core::values::coaching_style;
  const std::string noteField(core::fields::rep::kCoachingNote);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Coaching style");
  ui::nextTo(ImGui::GetFontSize() * 8 + ImGui::GetFrameHeight());
  const std::string current = r.coachingStyle.empty() ? "Not set" : ui::coachingStyleName(r.coachingStyle);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8 + ImGui::GetFrameHeight());
  if (ImGui::BeginCombo("##coaching-style", current.c_str())) {
    for (std::string_view style : {std::string_view(), cs::kDirective, cs::kCollaborative, cs::kSelfDirected}) {
      std::string label = style.empty() ? std::string("Not set")
                                        : ui::coachingStyleName(style) + " \u2014 " + ui::coachingStyleHint(style);
      bool selected = r.coachingStyle == style;
      if (ui::option(label, selected, "coaching-style/" + (style.empty() ? std::string("none") : std::string(style))) &&
          !selected) {
        // With the note as typed so far: one change for both.
        const std::string& note = m.draft(r.id, noteField, r.coachingNote);
        (void)m.setCoachingStyle(r.id, std::string(style), note);
      }
    }
    ImGui::EndCombo();
  }
  ui::track("##coaching-style", true);
  ui::nextTo(ImGui::GetFontSize() * 14);
  ui::draftText(m, r.id, noteField.c_str(), r.coachingNote, "##coaching-note", false);
  if (m.draft(r.id, noteField, r.coachingNote).empty() && !ImGui::IsItemActive()) {
    // A hint in the empty field (draftText has none of its own).
    // Cut to the field: a hint, not content (the field may be narrow).
    ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    const ImVec4 clip(p.x, p.y, q.x - pad.x, q.y);
    const char* hint = "Why this works with them, e.g. likes to find the answer himself";
    if (ImGui::CalcTextSize(hint).x > q.x - p.x - pad.x * 2) hint = "Why this works with them";
    ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + pad.x, p.y + pad.y),
                                        ImGui::GetColorU32(ui::mutedColor()), hint, nullptr, 0.0f, &clip);
  }
}

void profile(AppModel& m, const RepDetail& d) {
  const auto& r = d.rep;
  // Four fields a row on a wide window, two or one on a narrower one (each
  // at least 12 em, so a name or an address reads whole). Labels in a row
  // of their own: a label next to a field in the same table row sits lower
  // in every column after the first.
  struct Field {
    const char* label;
    const char* field;
    const std::string& value;
  };
  const Field fields[] = {{"Name", "name", r.name},
                          {"Team", "team", r.team},
                          {"Territory", "territory", r.territory},
                          {"Email", "email", r.email}};
  const float room = ImGui::GetContentRegionAvail().x / ImGui::GetFontSize();
  const int perRow = room >= 48 ? 4 : room >= 24 ? 2 : 1;
  if (ImGui::BeginTable("##profile", perRow, ImGuiTableFlags_SizingStretchSame)) {
    for (int at = 0; at < 4; at += perRow) {
      ImGui::TableNextRow();
      for (int k = at; k < at + perRow; k++) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fields[k].label);
      }
      ImGui::TableNextRow();
      for (int k = at; k < at + perRow; k++) {
        ImGui::TableNextColumn();
        ui::draftText(m, r.id, fields[k].field, fields[k].value, std::string("##") + fields[k].field, false);
      }
    }
    ImGui::EndTable();
  }
  coachingStyle(m, r);
  if (const TeamRow* row = m.snapshot().teamRow(r.id)) {
    const auto& o = row->overview;
    std::string last =
        row->daysSinceCoached < 0 ? "never coached" : fmt::format("last coached {} days ago", row->daysSinceCoached);
    ui::wrapped(last, row->due ? ui::amber() : ImGui::GetStyleColorVec4(ImGuiCol_Text));
    ui::muted(fmt::format("{} session{} in 90 days · {} open action{} ({} overdue)", o.sessions90d,
                          o.sessions90d == 1 ? "" : "s", o.openActions, o.openActions == 1 ? "" : "s",
                          o.overdueActions));
    // Coaching adherence: this rep's planned sessions of the last 90 days.
    const core::Adherence& a = row->adherence;
    std::string kept = a.due() == 0
                           ? fmt::format("No planned session came due in the last {} days", core::kAdherenceDays)
                           : fmt::format("Coaching kept on time: {} of {} in {} days · {} moved · {} missed", a.onTime,
                                         a.due(), core::kAdherenceDays, a.moved, a.missed);
    ui::wrapped(kept, a.due() == 0 ? ui::mutedColor() : ui::adherenceColor(a));
    ui::trackText("rep/adherence", kept);
  }
}

void goals(AppModel& m, ViewState& s, const RepDetail& d) {
  ui::subheading("Goals");
  for (const auto& g : d.goals) {
    ImGui::PushID(g.id.str().c_str());
    bool achieved = g.status == "achieved";
    if (ImGui::Checkbox("##achieved", &achieved))
      (void)m.setField(g.id, "status", core::Value(achieved ? "achieved" : "active"), "mark the goal");
    ui::track("goal/achieved/" + g.text, true);
    ImGui::SameLine();
    ImGui::BeginGroup();
    ui::wrapped(g.text);
    ui::muted((g.skill.empty() ? std::string("") : g.skill + " · ") +
              (g.target.empty() ? ui::pretty(g.status) : "target " + g.target + " · " + ui::pretty(g.status)));
    ImGui::EndGroup();
    ImGui::PopID();
  }
  if (d.goals.empty()) ui::muted("No goals yet.");
  const auto& skills = m.snapshot().skills;
  const float font = ImGui::GetFontSize(), avail = ImGui::GetContentRegionAvail().x;
  if (!skills.empty()) {
    s.newGoalSkill = std::clamp(s.newGoalSkill, 0, static_cast<int>(skills.size()) - 1);
    ImGui::SetNextItemWidth(std::min(font * 11, avail));
    if (ImGui::BeginCombo("##goal-skill", skills[s.newGoalSkill].name.c_str())) {
      for (int i = 0; i < static_cast<int>(skills.size()); i++)
        if (ui::option(skills[i].name, i == s.newGoalSkill, "goal-skill/" + skills[i].name)) s.newGoalSkill = i;
      ImGui::EndCombo();
    }
    ui::track("##goal-skill", true);
    ui::nextTo(font * 7);
  }
  ImGui::SetNextItemWidth(font * 7);
  bool entered = ui::inputSubmit("##goal-target", s.newGoalTarget, "target date");
  ImGui::SetNextItemWidth(ui::widthBefore(ui::buttonWidth("Add goal")));
  entered |= ui::inputSubmit("##goal-text", s.newGoalText, "New goal, e.g. ask two open questions per call");
  ImGui::SameLine();
  const bool blank = s.newGoalText.find_first_not_of(' ') == std::string::npos;
  ImGui::BeginDisabled(blank);
  bool add = ui::button("Add goal");
  ImGui::EndDisabled();
  if (add || (entered && !blank)) {
    std::string skill = skills.empty() ? "" : skills[s.newGoalSkill].name;
    if (m.addGoal(d.rep.id, skill, s.newGoalText, s.newGoalTarget)) {
      s.newGoalText.clear();
      s.newGoalTarget.clear();
      if (entered) ui::refocus("##goal-text");
    }
  }
}

void timeline(AppModel& m, const RepDetail& d) {
  ui::subheading(fmt::format("Sessions ({})", d.sessions.size()));
  if (d.sessions.empty()) ui::muted("No sessions yet.");
  // Drawn whole (no list clipper inside this table cell); a rep has tens of
  // sessions a year, so the newest 200 are plenty.
  // The date and type as wide as their longest wording; the objective
  // shares the rest, or goes under them when that is too little.
  const float when = ImGui::CalcTextSize("Wed 30 Sep  Opportunistic").x + ImGui::GetStyle().CellPadding.x * 2;
  const bool beside = ImGui::GetContentRegionAvail().x - when >= ImGui::GetFontSize() * 10;
  if (!ImGui::BeginTable("##timeline", beside ? 2 : 1, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg))
    return;
  ImGui::TableSetupColumn("when", beside ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch,
                          beside ? when : 1.0f);
  if (beside) ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
  for (size_t i = 0; i < d.sessions.size() && i < 200; i++) {
    const auto& s = d.sessions[i];
    ImGui::PushID(static_cast<int>(i));
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    std::string line = fmt::format("{}  {}", ui::dayDate(s.startMs), ui::pretty(s.type));
    const float tall = ui::frame().touch ? ImGui::GetFrameHeight() : 0.0f;  // a touch target
    if (ImGui::Selectable(line.c_str(), false, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0, tall)))
      m.openDebrief(s.id);
    ui::trackTap("rep/session/" + s.id.str());
    if (beside) ImGui::TableNextColumn();
    if (s.status == "done") ui::muted(s.objective.empty() ? s.customer : s.objective);
    else ui::wrapped(ui::pretty(s.status), ui::amber());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void planForm(AppModel& m, ViewState& s, const RepDetail& d) {
  ui::subheading("Plan a session");
  // How this rep is best coached, to plan the session around it.
  std::string style = ui::coachingStyleLine(d.rep);
  if (style.empty()) ui::muted("No coaching style set for " + d.rep.name + " yet (above).");
  else ui::wrapped(style);
  ui::trackText("plan/coaching-style", style);
  if (s.planDate.empty()) s.planDate = core::formatDate(m.now() / kDayMs + 7);
  bool entered = false;
  const float font = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(font * 7);
  entered |= ui::inputSubmit("##plan-date", s.planDate, "YYYY-MM-DD");
  ui::nextTo(font * 9);
  ui::choice("##plan-type", ui::choicesOf("session", "type"), s.newCall.type, font * 9);
  ui::nextTo(font * 8);
  ui::choice("##plan-area", ui::choicesOf("session", "area"), s.newCall.area, font * 8);
  ImGui::SetNextItemWidth(ui::widthBefore(ui::buttonWidth("Plan")));
  entered |= ui::inputSubmit("##plan-objective", s.newCall.objective, "Objective");
  ImGui::SameLine();
  auto day = core::parseDate(s.planDate);
  ImGui::BeginDisabled(!day);
  bool plan = ui::button("Plan");
  ImGui::EndDisabled();
  if ((plan || entered) && day && m.planSession(d.rep.id, *day * kDayMs + 9 * 3600 * 1000, s.newCall)) {
    s.newCall.objective.clear();
    if (entered) ui::refocus("##plan-objective");
  }
}

void repPicker(AppModel& m) {
  ui::heading("Rep");
  ui::muted("Pick a rep:");
  for (const auto& r : m.snapshot().reps) {
    if (ui::option(r.name, false, "rep/pick/" + r.name)) m.openRep(r.id);
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
  if (ui::button("Delete rep")) (void)m.remove(d->rep.id, d->rep.name);
  profile(m, *d);
  ui::Columns columns("##rep-cols");
  ratingChart(m, *d);
  goals(m, s, *d);
  planForm(m, s, *d);
  columns.next();
  ui::subheading("Action items");
  int shown = 0;
  for (const auto& a : d->actions)
    if (shown++ < 15) actionRow(m, a, false);
  if (d->actions.empty()) ui::muted("No action items.");
  timeline(m, *d);
}

}  // namespace ridealong::gui::views
