// Today: who is due for coaching, how well planned coaching was kept,
// sessions missed, waiting for a debrief or planned, overdue and open action
// items, and sync at a glance.
#include <fmt/core.h>
#include <imgui.h>

#include "ridealong/core/ids.h"
#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

// A new notebook: what is there already and the one next step.
void welcome(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  ui::subheading("Welcome");
  if (snap.skills.empty())
    ui::muted("Your notebook is ready. Add the reps you coach, then the skills you coach them on (Settings).");
  else
    ui::muted(
        fmt::format("Your notebook is ready, with a competency model of {} skills and {} coaching guide{} "
                    "(Settings). Add the reps you coach, then ride along with one of them.",
                    snap.skills.size(), snap.templates.size(), snap.templates.size() == 1 ? "" : "s"));
  ImGui::Spacing();
  if (ui::button("Add your first rep")) {
    m.go(Screen::kTeam);
    ui::refocus("##new-rep-name");
  }
  ui::muted("Or import a team from a CSV file with `ridealong-cli import reps`.");
}

void dueForCoaching(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  int due = snap.dueForCoaching;
  ui::subheading(fmt::format("Due for coaching ({} of {} reps, cadence {} days)", due, snap.team.size(),
                             m.settings().cadenceDays));
  if (due == 0) {
    ui::empty("Everyone has been coached within the cadence.");
    return;
  }
  if (!ImGui::BeginTable("##due", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  // The button column as wide as its button; the name and the figures
  // (when, then actions below it) share what is left.
  ImGui::TableSetupColumn("rep", ImGuiTableColumnFlags_WidthStretch, 1.3f);
  ImGui::TableSetupColumn("when", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("ride", ImGuiTableColumnFlags_WidthFixed, ui::buttonWidth("Ride along"));
  int shown = 0;
  for (const auto& row : snap.team) {
    if (!row.due || shown++ >= 12) continue;
    const auto& o = row.overview;
    ImGui::PushID(o.rep.str().c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    if (ImGui::Selectable(o.name.c_str())) m.openRep(o.rep);
    ui::track("today/rep/" + o.name);
    ImGui::TableNextColumn();
    if (row.daysSinceCoached < 0) ImGui::TextColored(ui::red(), "never coached");
    else
      ImGui::TextColored(row.daysSinceCoached > 2 * m.settings().cadenceDays ? ui::red() : ui::amber(), "%d days ago",
                         row.daysSinceCoached);
    if (o.overdueActions > 0) ImGui::TextColored(ui::red(), "%d overdue", o.overdueActions);
    else ui::mutedLine(fmt::format("{} open", o.openActions));
    ImGui::TableNextColumn();
    if (ui::button("Ride along##" + o.name)) {
      m.setRideRep(o.rep);
      m.go(Screen::kRideAlong);
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  if (due > 12) ui::muted(fmt::format("and {} more on the Team screen", due - 12));
}

// "Coaching kept on time: 8 of 10 in 90 days · 1 moved · 1 missed".
void adherence(AppModel& m) {
  const core::Adherence& a = m.snapshot().adherence;
  ui::subheading("Coaching kept");
  std::string line;
  if (a.due() == 0) {
    line = fmt::format("No planned session has come due in the last {} days.", core::kAdherenceDays);
    ui::muted(line);
  } else {
    line = fmt::format("Coaching kept on time: {} of {} in {} days · {} moved · {} missed", a.onTime, a.due(),
                       core::kAdherenceDays, a.moved, a.missed);
    ImGui::PushStyleColor(ImGuiCol_Text, ui::adherenceColor(a));
    ImGui::TextWrapped("%s", line.c_str());
    ImGui::PopStyleColor();
  }
  ui::trackText("today/adherence", line);
  if (a.upcoming > 0) ui::mutedLine(fmt::format("{} planned and coming up", a.upcoming));
}

// A session's row: when and who on the first line, type and customer
// muted below, the buttons right-aligned on the first line (the text wraps
// before them, so nothing runs past the column).
void sessionText(const Snapshot& snap, const core::Session& s, float buttons) {
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - buttons - ImGui::GetStyle().ItemSpacing.x);
  ImGui::TextWrapped("%s  %s", ui::dateTime(s.startMs).c_str(), snap.repName(s.rep).c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ui::mutedColor());
  ImGui::TextWrapped("%s", (ui::pretty(s.type) + (s.customer.empty() ? "" : " · " + s.customer)).c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

// Planned sessions whose day passed without them: start one now, or move
// it to another day (adherence then counts it as moved, not missed).
void missed(AppModel& m, ViewState& st) {
  const Snapshot& snap = m.snapshot();
  if (snap.missed.empty()) return;
  ui::subheading(fmt::format("Missed: planned, never held ({})", snap.missed.size()));
  int shown = 0;
  for (const auto& s : snap.missed) {
    if (shown++ >= 8) break;
    const std::string id = s.id.str();
    ImGui::PushID(id.c_str());
    const std::string start = "Start##missed-" + id, replan = "Re-plan##missed-" + id;
    float buttons = ui::buttonsWidth({start, replan});
    sessionText(snap, s, buttons);
    ui::alignRight(buttons);
    if (ui::button(start)) (void)m.startPlanned(s.id);
    ImGui::SameLine();
    if (ui::button(replan)) {
      st.replanSession = s.id;
      st.replanDate = core::formatDate(m.now() / kDayMs + 1);
      ui::refocus("##replan-date");  // tomorrow is offered: Enter takes it
    }
    if (st.replanSession == s.id) {
      ImGui::AlignTextToFramePadding();
      ui::mutedLine("Move to");
      ImGui::SameLine();
      const std::string move = "Move##replan", cancel = "Cancel##replan";
      ImGui::SetNextItemWidth(ui::widthBefore(ui::buttonsWidth({move, cancel})));
      bool entered = ui::inputSubmit("##replan-date", st.replanDate, "YYYY-MM-DD");
      auto day = core::parseDate(st.replanDate);
      ImGui::SameLine();
      ImGui::BeginDisabled(!day);
      bool moveNow = ui::button(move);
      ImGui::EndDisabled();
      ImGui::SameLine();
      if (ui::button(cancel)) st.replanSession.reset();
      // The same hour of the day as planned, on the new day.
      if ((moveNow || entered) && day && m.reschedule(s.id, *day * kDayMs + s.startMs % kDayMs))
        st.replanSession.reset();
    }
    ImGui::PopID();
  }
  if (snap.missed.size() > 8) ui::muted(fmt::format("and {} more", snap.missed.size() - 8));
}

void sessionsWaiting(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  if (!snap.inProgress.empty()) {
    ui::subheading(fmt::format("Waiting for a debrief ({})", snap.inProgress.size()));
    for (const auto& s : snap.inProgress) {
      ImGui::PushID(s.id.str().c_str());
      const std::string label = "Debrief##" + s.id.str();
      sessionText(snap, s, ui::buttonWidth(label));
      ui::alignRight(ui::buttonWidth(label));
      if (ui::button(label)) m.openDebrief(s.id);
      ImGui::PopID();
    }
  }
  ui::subheading(fmt::format("Planned sessions ({})", snap.planned.size()));
  if (snap.planned.empty()) ui::empty("Nothing planned. Plan the next ride-along from a rep's page.");
  int shown = 0;
  for (const auto& s : snap.planned) {
    if (shown++ >= 10) break;
    ImGui::PushID(s.id.str().c_str());
    const std::string label = "Start##" + s.id.str();
    sessionText(snap, s, ui::buttonWidth(label));
    ui::alignRight(ui::buttonWidth(label));
    if (ui::button(label)) (void)m.startPlanned(s.id);
    ImGui::PopID();
  }
}

void actionsDue(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  ui::subheading(fmt::format("Action items: {} overdue, {} open", snap.overdueActions, snap.openActions.size()));
  if (snap.openActions.empty()) {
    ui::empty("No open action items.");
    return;
  }
  int shown = 0;
  for (const auto& a : snap.openActions) {
    if (shown++ >= 12) break;
    actionRow(m, a, /*showRep=*/true);
  }
}

}  // namespace

void today(AppModel& m, ViewState& s) {
  ui::heading("Today · " + ui::dayDate(m.now()));
  if (ImGui::BeginTable("##today", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (m.snapshot().team.empty()) {
      welcome(m);
    } else {
      dueForCoaching(m);
      adherence(m);
      actionsDue(m);
    }
    ImGui::TableNextColumn();
    missed(m, s);
    sessionsWaiting(m);
    ui::subheading("Sync");
    syncBadge(m);
    if (!m.snapshot().conflicts.empty()) {
      ImGui::TextColored(ui::amber(), "%zu fields were edited on two devices at once.", m.snapshot().conflicts.size());
      if (ui::button("Review on the Sync screen")) m.go(Screen::kSync);
    }
    ImGui::EndTable();
  }
}

}  // namespace ridealong::gui::views
