// Today: who is due for coaching, sessions waiting for a debrief or planned,
// overdue and open action items, and sync at a glance.
#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

void dueForCoaching(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  int due = snap.dueForCoaching;
  ui::subheading(fmt::format("Due for coaching ({} of {} reps, cadence {} days)", due, snap.team.size(),
                             m.settings().cadenceDays));
  if (snap.team.empty()) {
    ui::empty("No reps yet. Add your team on the Team screen, or import a CSV with `ridealong-cli import reps`.");
    return;
  }
  if (due == 0) {
    ui::empty("Everyone has been coached within the cadence.");
    return;
  }
  if (!ImGui::BeginTable("##due", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  int shown = 0;
  for (const auto& row : snap.team) {
    if (!row.due || shown++ >= 12) continue;
    const auto& o = row.overview;
    ImGui::PushID(o.rep.str().c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (ImGui::Selectable(o.name.c_str())) m.openRep(o.rep);
    ui::track("today/rep/" + o.name);
    ImGui::TableNextColumn();
    if (row.daysSinceCoached < 0) ImGui::TextColored(ui::red(), "never coached");
    else ImGui::TextColored(row.daysSinceCoached > 2 * m.settings().cadenceDays ? ui::red() : ui::amber(),
                            "%d days ago", row.daysSinceCoached);
    ImGui::TableNextColumn();
    if (o.overdueActions > 0) ImGui::TextColored(ui::red(), "%d overdue", o.overdueActions);
    else ui::muted(fmt::format("{} open", o.openActions));
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

void sessionsWaiting(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  if (!snap.inProgress.empty()) {
    ui::subheading(fmt::format("Waiting for a debrief ({})", snap.inProgress.size()));
    for (const auto& s : snap.inProgress) {
      ImGui::PushID(s.id.str().c_str());
      ImGui::Text("%s  %s", ui::dateTime(s.startMs).c_str(), snap.repName(s.rep).c_str());
      if (!s.customer.empty()) {
        ImGui::SameLine();
        ui::muted(s.customer);
      }
      ImGui::SameLine();
      if (ui::button("Debrief##" + s.id.str())) m.openDebrief(s.id);
      ImGui::PopID();
    }
  }
  ui::subheading(fmt::format("Planned sessions ({})", snap.planned.size()));
  if (snap.planned.empty()) ui::empty("Nothing planned. Plan the next ride-along from a rep's page.");
  int shown = 0;
  for (const auto& s : snap.planned) {
    if (shown++ >= 10) break;
    ImGui::PushID(s.id.str().c_str());
    ImGui::Text("%s", ui::dateTime(s.startMs).c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted(snap.repName(s.rep).c_str());
    ImGui::SameLine();
    ui::muted(ui::pretty(s.type) + (s.customer.empty() ? "" : " · " + s.customer));
    ImGui::SameLine();
    if (ui::button("Start##" + s.id.str())) m.startPlanned(s.id);
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
    dueForCoaching(m);
    actionsDue(m);
    ImGui::TableNextColumn();
    sessionsWaiting(m);
    ui::subheading("Sync");
    syncBadge(m);
    if (!m.snapshot().conflicts.empty()) {
      ImGui::TextColored(ui::amber(), "%zu fields were edited on two devices at once.",
                         m.snapshot().conflicts.size());
      if (ui::button("Review on the Sync screen")) m.go(Screen::kSync);
    }
    ImGui::EndTable();
  }
}

}  // namespace ridealong::gui::views
