#include "ridealong/core/coaching_facts.h"

#include <algorithm>

#include "ridealong/core/fields.h"
#include "ridealong/core/ids.h"

namespace ridealong::core {

namespace status = values::session_status;

int64_t dayNumber(int64_t ms) { return ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs; }

std::string todayDate(int64_t nowMs) { return formatDate(dayNumber(nowMs)); }

bool isOverdue(std::string_view status, std::string_view due, int64_t nowMs) {
  if (status != values::action_status::kOpen || due.empty()) return false;
  auto day = parseDate(due);
  return day && *day < dayNumber(nowMs);
}

bool isOverdue(const ActionItem& a, int64_t nowMs) { return isOverdue(a.status, a.due, nowMs); }

bool isOverdueDueMs(int64_t dueDayMs, int64_t nowMs) { return dayNumber(dueDayMs) < dayNumber(nowMs); }

CoachingDue coachingDue(std::optional<int64_t> lastCoachedMs, int cadenceDays, int64_t nowMs) {
  CoachingDue d;
  if (lastCoachedMs) d.daysSince = static_cast<int>(std::max<int64_t>(0, (nowMs - *lastCoachedMs) / kDayMs));
  d.due = d.daysSince < 0 || d.daysSince >= cadenceDays;
  return d;
}

std::vector<Session> callsToday(const std::vector<Session>& sessions, int64_t nowMs) {
  std::vector<Session> out;
  for (const auto& s : sessions)
    if (!s.deleted && s.status != status::kPlanned && dayNumber(s.startMs) == dayNumber(nowMs)) out.push_back(s);
  std::sort(out.begin(), out.end(), [](const Session& a, const Session& b) {
    return a.startMs != b.startMs ? a.startMs < b.startMs : a.id < b.id;
  });
  return out;
}

std::optional<RecordId> openCallToday(const std::vector<Session>& sessions, int64_t nowMs) {
  std::optional<RecordId> open;
  for (const auto& s : callsToday(sessions, nowMs))
    if (s.status == status::kInProgress && s.endMs == 0) open = s.id;  // the latest one
  return open;
}

Kept keptOf(std::string_view st, int64_t startMs, int64_t plannedMs, int64_t nowMs) {
  // Planned by a build before `planned` existed: its start is the plan.
  if (plannedMs == 0 && st == status::kPlanned) plannedMs = startMs;
  if (plannedMs == 0) return Kept::kUnplanned;
  if (st == status::kPlanned) return dayNumber(nowMs) > dayNumber(startMs) ? Kept::kMissed : Kept::kUpcoming;
  return dayNumber(startMs) == dayNumber(plannedMs) ? Kept::kOnTime : Kept::kMoved;
}

Kept keptOf(const Session& s, int64_t nowMs) { return keptOf(s.status, s.startMs, s.plannedMs, nowMs); }

std::string_view keptLabel(Kept k) {
  switch (k) {
    case Kept::kUnplanned: return "not planned ahead";
    case Kept::kUpcoming: return "upcoming";
    case Kept::kOnTime: return "held on time";
    case Kept::kMoved: return "moved";
    case Kept::kMissed: return "missed";
  }
  return "";
}

void Adherence::add(Kept k) {
  switch (k) {
    case Kept::kOnTime: onTime++; break;
    case Kept::kMoved: moved++; break;
    case Kept::kMissed: missed++; break;
    case Kept::kUpcoming: upcoming++; break;
    case Kept::kUnplanned: break;
  }
}

Adherence& Adherence::operator+=(const Adherence& o) {
  onTime += o.onTime;
  moved += o.moved;
  missed += o.missed;
  upcoming += o.upcoming;
  return *this;
}

int64_t plannedFor(std::string_view st, int64_t startMs, int64_t plannedMs) {
  return plannedMs != 0 ? plannedMs : st == status::kPlanned ? startMs : 0;
}

int64_t plannedFor(const Session& s) { return plannedFor(s.status, s.startMs, s.plannedMs); }

bool inAdherenceWindow(int64_t plannedMs, int64_t nowMs) {
  return plannedMs != 0 && dayNumber(plannedMs) > dayNumber(nowMs) - kAdherenceDays;
}

Adherence adherenceOf(const std::vector<Session>& sessions, int64_t nowMs) {
  Adherence a;
  for (const auto& s : sessions)
    if (!s.deleted && inAdherenceWindow(plannedFor(s), nowMs)) a.add(keptOf(s, nowMs));
  return a;
}

std::vector<Skill> orderedSkills(std::vector<Skill> skills) {
  std::sort(skills.begin(), skills.end(), [](const Skill& a, const Skill& b) {
    return a.position != b.position ? a.position < b.position : a.id < b.id;
  });
  return skills;
}

}  // namespace ridealong::core
