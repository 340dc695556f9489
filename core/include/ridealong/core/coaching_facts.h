// Facts derived from the coaching records, computed here once for the CLI,
// the app and the store's own queries: what is overdue, who is due for
// coaching, which call of today is still open, and coaching adherence
// (planned sessions held on time, moved, or missed). Days are UTC days, as
// due dates are. Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/records.h"

namespace ridealong::core {

inline constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// The UTC day number of a time (floor, also before 1970).
int64_t dayNumber(int64_t ms);
// Today's date, "YYYY-MM-DD".
std::string todayDate(int64_t nowMs);

// An action item is overdue when it is open and due before today.
bool isOverdue(const ActionItem& a, int64_t nowMs);
bool isOverdue(std::string_view status, std::string_view due, int64_t nowMs);
// The same for a due day given as the ms of its midnight (the due index).
bool isOverdueDueMs(int64_t dueDayMs, int64_t nowMs);

// How often a rep should be coached unless the manager sets otherwise.
inline constexpr int kDefaultCadenceDays = 14;
// Whether a rep is due for coaching: never coached, or not for `cadenceDays`.
struct CoachingDue {
  int daysSince = -1;  // -1: never coached
  bool due = true;
};
CoachingDue coachingDue(std::optional<int64_t> lastCoachedMs, int cadenceDays, int64_t nowMs);

// A rep's calls of today that have started (not planned ones), oldest first.
std::vector<Session> callsToday(const std::vector<Session>& sessions, int64_t nowMs);
// The call of today still running (in progress, not ended): the ride-along
// resumes on it.
std::optional<RecordId> openCallToday(const std::vector<Session>& sessions, int64_t nowMs);

// ---- coaching adherence: "nothing supersedes a coaching session" ----
enum class Kept {
  kUnplanned,  // not planned ahead (an opportunistic ride-along)
  kUpcoming,   // planned, its day has not passed yet
  kOnTime,     // held on the day it was first planned for
  kMoved,      // held, on another day
  kMissed,     // planned, its day passed and it was never started
};
Kept keptOf(std::string_view status, int64_t startMs, int64_t plannedMs, int64_t nowMs);
Kept keptOf(const Session& s, int64_t nowMs);
std::string_view keptLabel(Kept k);  // "on time", "moved", ...

struct Adherence {
  int onTime = 0, moved = 0, missed = 0, upcoming = 0;
  int due() const { return onTime + moved + missed; }  // whose day has come
  // Share of those held on time, 0..1; 1 when nothing was due.
  double onTimeShare() const { return due() ? static_cast<double>(onTime) / due() : 1.0; }
  void add(Kept k);
  Adherence& operator+=(const Adherence& o);
};
// The window adherence is reported over (by the day a session was planned for).
inline constexpr int kAdherenceDays = 90;
// Counts sessions planned for a day within the last kAdherenceDays (and the
// upcoming ones).
Adherence adherenceOf(const std::vector<Session>& sessions, int64_t nowMs);
bool inAdherenceWindow(int64_t plannedMs, int64_t nowMs);
// The time a session was planned for; 0 when it was not planned ahead.
int64_t plannedFor(std::string_view status, int64_t startMs, int64_t plannedMs);
int64_t plannedFor(const Session& s);

// The competency model in its shown order (position, then id).
std::vector<Skill> orderedSkills(std::vector<Skill> skills);

}  // namespace ridealong::core
