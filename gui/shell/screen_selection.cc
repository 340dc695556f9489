#include "screen_selection.h"

#include <optional>

namespace ridealong::shell {

namespace {

// The first rep in the team table (most overdue first) with any session.
std::optional<core::RecordId> repWithSessions(gui::AppModel& m) {
  for (const auto& row : m.snapshot().team)
    if (const auto* d = m.repDetail(row.overview.rep); d && !d->sessions.empty()) return row.overview.rep;
  if (!m.snapshot().team.empty()) return m.snapshot().team.front().overview.rep;
  return std::nullopt;
}

// The newest done session: that of the rep coached last.
std::optional<core::RecordId> latestDoneSession(gui::AppModel& m) {
  const gui::TeamRow* latest = nullptr;
  for (const auto& row : m.snapshot().team)
    if (row.overview.lastCoachedMs && (!latest || *row.overview.lastCoachedMs > *latest->overview.lastCoachedMs))
      latest = &row;
  if (!latest) return std::nullopt;
  if (const auto* d = m.repDetail(latest->overview.rep))
    for (const auto& s : d->sessions)  // newest first
      if (s.status == "done") return s.id;
  return std::nullopt;
}

}  // namespace

void openScreen(gui::AppModel& m, gui::Screen screen) {
  using gui::Screen;
  switch (screen) {
    case Screen::kRep:
      if (auto rep = repWithSessions(m)) {
        m.openRep(*rep);
        return;
      }
      break;
    case Screen::kDebrief:
      if (auto session = latestDoneSession(m)) {
        m.openDebrief(*session);
        return;
      }
      break;
    case Screen::kRideAlong: {
      // A call started today and not finished: resume it (setRideRep does).
      int64_t startOfDay = m.now() / gui::kDayMs * gui::kDayMs;
      std::optional<core::RecordId> rep;
      for (const auto& s : m.snapshot().inProgress)
        if (s.rep && s.startMs >= startOfDay && s.endMs == 0) rep = s.rep;
      if (!rep && !m.snapshot().team.empty()) rep = m.snapshot().team.front().overview.rep;
      if (rep) m.setRideRep(*rep);
      break;
    }
    default: break;
  }
  m.go(screen);
}

}  // namespace ridealong::shell
