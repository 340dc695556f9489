// What the screens show, read from the store's indexes once per store change
// (not per frame): the team overview, the competency model, open actions,
// planned sessions, conflicts, a selected rep's detail and a session's
// debrief material. Plain values, built on the GUI thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ridealong/core/notebook.h"
#include "ridealong/core/records.h"

namespace ridealong::gui {

inline constexpr int64_t kDayMs = 24LL * 3600 * 1000;

struct TeamRow {
  core::RepOverview overview;
  int daysSinceCoached = -1;  // -1: never coached
  bool due = false;           // past the cadence, or never coached
};

struct Snapshot {
  uint64_t generation = 0;
  int64_t builtAtMs = 0;
  std::vector<core::Skill> skills;        // the competency model, in order
  std::vector<core::Rep> reps;            // by name
  std::vector<TeamRow> team;              // most overdue for coaching first
  int dueForCoaching = 0;                 // rows of `team` that are due
  std::vector<core::Template> templates;  // by name
  std::vector<core::ActionItem> openActions;  // by due date
  int overdueActions = 0;
  std::vector<core::Session> planned;     // planned sessions by start
  std::vector<core::Session> inProgress;  // started, not yet debriefed
  std::vector<core::Conflict> conflicts;
  core::StoreStats stats;
  std::map<core::RecordId, std::string> repNames;

  std::string repName(const std::optional<core::RecordId>& id) const;
  const TeamRow* teamRow(const core::RecordId& rep) const;
};

Snapshot buildSnapshot(core::Notebook& nb, int64_t nowMs, int cadenceDays);

// Today's date as "YYYY-MM-DD" (UTC), for due dates.
std::string todayDate(int64_t nowMs);

struct RatingPoint {
  int64_t atMs = 0;
  int rating = 0;
};

struct RepDetail {
  core::Rep rep;
  std::vector<core::Goal> goals;
  std::vector<core::Session> sessions;          // newest first
  std::vector<core::ActionItem> actions;        // open first, then by due
  std::vector<core::Observation> observations;  // newest first
  std::map<std::string, std::vector<RatingPoint>> ratings;  // skill -> oldest first
};

std::optional<RepDetail> buildRepDetail(core::Notebook& nb, const core::RecordId& rep);

struct SessionDetail {
  core::Session session;
  std::string repName;
  std::vector<core::Observation> observations;  // by time
  std::vector<core::ActionItem> actions;        // of this session
  std::map<std::string, int> ratings;           // skill -> rating given in this session
  std::map<std::string, core::RecordId> ratingIds;
  std::optional<core::Template> guide;
};

std::optional<SessionDetail> buildSessionDetail(core::Notebook& nb, const core::RecordId& session);

}  // namespace ridealong::gui
