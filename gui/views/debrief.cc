// Debrief: the SLED conversation right after the call, with the ride-along's
// observations already there. Rep self-assessment first; ROAM to find the
// root cause; the solution chart; the action plan; outcome against the
// pre-call objective; skill ratings; "Finish" marks the session done. Text
// saves itself as it is typed.
#include <algorithm>

#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

const char* solutionHelp(const std::string& s) {
  if (s == "training") return "The rep does not know what, why or how.";
  if (s == "coaching") return "The rep knows but does not do it well or consistently.";
  if (s == "feedback") return "A small correction is enough.";
  if (s == "other") return "Something else: process, tools, territory, motivation.";
  return "";
}

const core::Rep* repOf(const Snapshot& snap, const std::optional<core::RecordId>& id) {
  if (!id) return nullptr;
  for (const auto& r : snap.reps)
    if (r.id == *id) return &r;
  return nullptr;
}

void pickSession(AppModel& m) {
  ui::heading("Debrief");
  const Snapshot& snap = m.snapshot();
  if (snap.inProgress.empty()) {
    ui::empty(
        "No session is waiting for a debrief. Start one from Ride-along, or open a past session from a rep's page.");
    return;
  }
  ui::muted("Sessions waiting for a debrief:");
  for (const auto& s : snap.inProgress) {
    std::string label =
        fmt::format("{}  {}  {}##{}", ui::dateTime(s.startMs), snap.repName(s.rep), s.customer, s.id.str());
    if (ui::option(label, false, "debrief/pick/" + snap.repName(s.rep))) m.openDebrief(s.id);
  }
}

void observations(const SessionDetail& d) {
  ui::subheading(fmt::format("Observed during the call ({})", d.observations.size()));
  if (d.observations.empty()) ui::muted("Nothing was captured for this session.");
  for (const char* kind : {"strength", "improve"}) {
    bool any = false;
    for (const auto& o : d.observations) {
      if (o.kind != kind) continue;
      if (!any)
        ImGui::TextColored(o.kind == "strength" ? ui::green() : ui::amber(), "%s",
                           o.kind == "strength" ? "Strengths" : "Needs work");
      any = true;
      ImGui::Bullet();
      ui::wrapped(o.skill + (o.text.empty() ? "" : ": " + o.text));
    }
  }
}

void actionPlan(AppModel& m, ViewState& s, const SessionDetail& d) {
  for (const auto& a : d.actions) actionRow(m, a, false);
  if (!d.session.rep) return;
  // The text on a line of its own; owner, due date and the button below
  // it, so nothing is squeezed in a narrow column. Enter in the text or
  // the date adds the action, as the button does.
  bool entered = false;
  ImGui::SetNextItemWidth(-1);
  entered |= ui::inputSubmit("##debrief-action", s.newActionText, "New action item");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5 + ImGui::GetFrameHeight());
  const char* owners[] = {"Coach", "Rep"};
  s.newActionOwner = std::clamp(s.newActionOwner, 0, 1);
  if (ImGui::BeginCombo("##debrief-owner", owners[s.newActionOwner])) {
    for (int i = 0; i < 2; i++)
      if (ui::option(owners[i], s.newActionOwner == i, std::string("debrief-owner/") + owners[i])) s.newActionOwner = i;
    ImGui::EndCombo();
  }
  ui::track("##debrief-owner", true);
  ui::nextTo(ImGui::GetFontSize() * 7);
  if (s.newActionDue.empty()) s.newActionDue = core::formatDate(m.now() / kDayMs + 14);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  entered |= ui::inputSubmit("##debrief-due", s.newActionDue, "YYYY-MM-DD");
  ui::nextTo(ui::buttonWidth("Add action"));
  const bool blank = s.newActionText.find_first_not_of(' ') == std::string::npos;
  ImGui::BeginDisabled(blank);
  bool add = ui::button("Add action");
  ImGui::EndDisabled();
  if ((add || (entered && !blank)) &&
      m.addAction(*d.session.rep, d.session.id, s.newActionText, s.newActionOwner ? "rep" : "coach", s.newActionDue)) {
    s.newActionText.clear();
    if (entered) ui::refocus("##debrief-action");
  }
}

// A row per skill: its name, then 1-5 beside it (or under it when the
// column is too narrow for both).
void ratings(AppModel& m, const SessionDetail& d) {
  float buttons = 0;
  for (int r = 1; r <= 5; r++) buttons += ui::buttonWidth(std::to_string(r)) + ImGui::GetStyle().ItemSpacing.x;
  const float nameRoom = ImGui::GetFontSize() * 11;
  const bool beside = ImGui::GetContentRegionAvail().x >= nameRoom + buttons;
  for (const auto& skill : m.snapshot().skills) {
    ImGui::PushID(skill.id.str().c_str());
    ImGui::AlignTextToFramePadding();
    ui::wrapped(skill.name);
    auto it = d.ratings.find(skill.name);
    int current = it == d.ratings.end() ? 0 : it->second;
    if (beside) ImGui::SameLine(nameRoom);
    for (int r = 1; r <= 5; r++) {
      if (r > 1) ImGui::SameLine();
      std::string label = fmt::format("{}##rate-{}", r, skill.name);
      bool pressed = r == current ? ui::coloredButton(label, ui::ratingColor(r)) : ui::button(label);
      if (pressed && r != current) (void)m.rate(d.session.id, skill.name, r);
    }
    ImGui::PopID();
  }
}

void sledForm(AppModel& m, ViewState& s, const SessionDetail& d) {
  const auto& ss = d.session;
  const core::RecordId& id = ss.id;
  ui::subheading("Rep self-assessment (ask first)");
  ui::draftText(m, id, "self_assessment", ss.selfAssessment, "##self", true, 3);
  ui::subheading("S · Set the stage");
  ui::draftText(m, id, "sled_set", ss.sledSet, "##sled_set", true, 2);
  ui::subheading("L · Lead the performance analysis (ROAM)");
  ui::draftText(m, id, "sled_lead", ss.sledLead, "##sled_lead", true, 2);
  const int roamColumns = ImGui::GetContentRegionAvail().x >= ImGui::GetFontSize() * 28 ? 2 : 1;
  if (ImGui::BeginTable("##roam", roamColumns, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
    ui::draftText(m, id, "roam_results", ss.roamResults, "Results", true, 2);
    ImGui::TableNextColumn();
    ui::draftText(m, id, "roam_objectives", ss.roamObjectives, "Objectives", true, 2);
    ImGui::TableNextColumn();
    ui::draftText(m, id, "roam_activities", ss.roamActivities, "Activities", true, 2);
    ImGui::TableNextColumn();
    ui::draftText(m, id, "roam_methodology", ss.roamMethodology, "Methodology", true, 2);
    ImGui::EndTable();
  }
  ui::subheading("E · Explore solutions");
  ui::draftText(m, id, "sled_explore", ss.sledExplore, "##sled_explore", true, 2);
  bool first = true;
  for (auto c : ui::choicesOf("session", "solution")) {
    std::string v(c);
    const std::string label = ui::pretty(c) + "##solution";
    if (!first)
      ui::nextTo(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                 ImGui::CalcTextSize(label.c_str(), nullptr, true).x);
    first = false;
    if (ImGui::RadioButton(label.c_str(), ss.solution == v) && ss.solution != v)
      (void)m.setField(id, "solution", core::Value(v), "choose a solution");
    ui::track("solution/" + v, true);
  }
  if (!ss.solution.empty()) ui::muted(solutionHelp(ss.solution));
  ui::subheading("D · Develop the action plan");
  ui::draftText(m, id, "sled_develop", ss.sledDevelop, "##sled_develop", true, 2);
  actionPlan(m, s, d);
}

}  // namespace

void debrief(AppModel& m, ViewState& s) {
  const SessionDetail* d = m.debriefSession() ? m.sessionDetail(*m.debriefSession()) : nullptr;
  if (!d) {
    pickSession(m);
    return;
  }
  const auto& ss = d->session;
  ui::heading(fmt::format("Debrief · {} · {}", d->repName, ui::dayDate(ss.startMs)));
  if (ss.status == "done") {
    ui::alignRight(ui::badgeWidth("Done"));
    ui::badge("Done", ui::green());
  } else {
    ui::alignRight(ui::buttonWidth("Finish debrief"));
    if (ui::coloredButton("Finish debrief", ui::green())) (void)m.finishDebrief(ss.id);
  }
  std::string type = ss.type, area = ss.area;
  if (ui::choice("Type##debrief-type", ui::choicesOf("session", "type"), type, ImGui::GetFontSize() * 9))
    (void)m.setField(ss.id, "type", core::Value(type), "set the coaching type");
  ui::nextTo(ui::choiceWidth("Area##debrief-area", ImGui::GetFontSize() * 8));
  if (ui::choice("Area##debrief-area", ui::choicesOf("session", "area"), area, ImGui::GetFontSize() * 8))
    (void)m.setField(ss.id, "area", core::Value(area), "set the coaching area");
  if (d->guide) {
    const std::string guide = "Guide: " + d->guide->name;
    ui::nextTo(ImGui::CalcTextSize(guide.c_str()).x);
    ImGui::AlignTextToFramePadding();
    ui::muted(guide);
  }
  // How this rep is best coached, to run the conversation that way.
  if (const core::Rep* rep = repOf(m.snapshot(), ss.rep)) {
    std::string style = ui::coachingStyleLine(*rep);
    if (!style.empty()) ui::wrapped(style, ui::accent());
    ui::trackText("debrief/coaching-style", style);
  }
  ui::Columns columns("##debrief", 1.0f, 1.6f, /*border=*/true);
  ui::draftText(m, ss.id, "customer", ss.customer, "Customer", false);
  ui::draftText(m, ss.id, "objective", ss.objective, "Pre-call objective", true, 2);
  ui::draftText(m, ss.id, "outcome", ss.outcome, "Outcome against the objective", true, 3);
  observations(*d);
  if (d->guide && !d->guide->questions.empty()) {
    ui::subheading("Guide questions");
    ui::wrapped(d->guide->questions);
  }
  ui::subheading("Skill ratings");
  ratings(m, *d);
  columns.next();
  sledForm(m, s, *d);
  ui::subheading("Notes");
  ui::draftText(m, ss.id, "notes", ss.notes, "##notes", true, 3);
}

}  // namespace ridealong::gui::views
