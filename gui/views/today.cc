// Today: who is due for coaching, how well planned coaching was kept,
// sessions missed, waiting for a debrief or planned, overdue and open action
// items, and sync at a glance.
#include <algorithm>

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

// A row per rep due: the name (opens the rep) and "Ride along" on one
// line, how long ago and their actions below, wrapped (any width).
void dueForCoaching(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  int due = snap.dueForCoaching;
  ui::subheading(fmt::format("Due for coaching ({} of {} reps, cadence {} days)", due, snap.team.size(),
                             m.settings().cadenceDays));
  if (due == 0) {
    ui::empty("Everyone has been coached within the cadence.");
    return;
  }
  int shown = 0;
  for (const auto& row : snap.team) {
    if (!row.due || shown++ >= 12) continue;
    const auto& o = row.overview;
    ImGui::PushID(o.rep.str().c_str());
    const std::string ride = "Ride along##" + o.name;
    const float rideWidth = ui::buttonWidth(ride);
    // (A selectable reaches half the item spacing past its width.)
    const float nameWidth =
        std::max(ImGui::GetFontSize() * 4, ui::widthBefore(rideWidth) - ImGui::GetStyle().ItemSpacing.x);
    // As tall as the button beside it (a touch target), the name centred.
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
    if (ImGui::Selectable(o.name.c_str(), false, 0, ImVec2(nameWidth, ImGui::GetFrameHeight()))) m.openRep(o.rep);
    ImGui::PopStyleVar();
    ui::trackTap("today/rep/" + o.name);
    ui::alignRight(rideWidth);
    if (ui::button(ride)) {
      m.setRideRep(o.rep);
      m.go(Screen::kRideAlong);
    }
    const int cadence = m.settings().cadenceDays;
    std::string when =
        row.daysSinceCoached < 0 ? "never coached" : fmt::format("coached {} days ago", row.daysSinceCoached);
    ImVec4 color = row.daysSinceCoached < 0 || row.daysSinceCoached > 2 * cadence ? ui::red() : ui::amber();
    std::string actions =
        o.overdueActions > 0 ? fmt::format("{} overdue", o.overdueActions) : fmt::format("{} open", o.openActions);
    ui::wrapped(when + " · " + actions + (o.overdueActions > 0 ? "" : " actions"), color);
    ImGui::PopID();
  }
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
    ui::wrapped(line, ui::adherenceColor(a));
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
  ui::wrapped(ui::dateTime(s.startMs) + "  " + snap.repName(s.rep));
  ui::wrapped(ui::pretty(s.type) + (s.customer.empty() ? "" : " · " + s.customer), ui::mutedColor());
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
      ImGui::SetNextItemWidth(ImGui::CalcTextSize("0000-00-00").x + ImGui::GetStyle().FramePadding.x * 4);
      bool entered = ui::inputSubmit("##replan-date", st.replanDate, "YYYY-MM-DD");
      auto day = core::parseDate(st.replanDate);
      ui::nextTo(ui::buttonsWidth({move, cancel}));
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

void syncAtAGlance(AppModel& m) {
  ui::subheading("Sync");
  syncBadge(m);
  if (!m.snapshot().conflicts.empty()) {
    ui::wrapped(fmt::format("{} fields were edited on two devices at once.", m.snapshot().conflicts.size()),
                ui::amber());
    if (ui::button("Review on the Sync screen")) m.go(Screen::kSync);
  }
}

}  // namespace

// Two columns on a wide window; on a narrow one the day's sessions come
// right after who is due, before the longer lists.
void today(AppModel& m, ViewState& s) {
  ui::heading("Today · " + ui::dayDate(m.now()));
  if (m.snapshot().team.empty()) {
    ui::Columns columns("##today");
    welcome(m);
    columns.next();
    syncAtAGlance(m);
    return;
  }
  if (!ui::frame().layout.twoColumns) {
    dueForCoaching(m);
    missed(m, s);
    sessionsWaiting(m);
    adherence(m);
    actionsDue(m);
    syncAtAGlance(m);
    return;
  }
  ui::Columns columns("##today");
  dueForCoaching(m);
  adherence(m);
  actionsDue(m);
  columns.next();
  missed(m, s);
  sessionsWaiting(m);
  syncAtAGlance(m);
}

}  // namespace ridealong::gui::views
