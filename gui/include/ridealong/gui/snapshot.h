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

#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/notebook.h"
#include "ridealong/core/records.h"

namespace ridealong::gui {

using core::kDayMs;

struct TeamRow {
  core::RepOverview overview;
  int daysSinceCoached = -1;  // -1: never coached
  bool due = false;           // past the cadence, or never coached
  core::Adherence adherence;  // this rep's planned sessions (coaching_facts.h)
};

struct Snapshot {
  uint64_t generation = 0;
  int64_t builtAtMs = 0;
  std::vector<core::Skill> skills;            // the competency model, in order
  std::vector<core::Rep> reps;                // by name
  std::vector<TeamRow> team;                  // most overdue for coaching first
  int dueForCoaching = 0;                     // rows of `team` that are due
  std::vector<core::Template> templates;      // by name
  std::vector<core::ActionItem> openActions;  // by due date
  int overdueActions = 0;
  std::vector<core::Session> planned;     // planned sessions by start
  std::vector<core::Session> inProgress;  // started, not yet debriefed
  // Planned sessions whose day passed without being started, latest first.
  std::vector<core::Session> missed;
  core::Adherence adherence;  // the whole team's, last 90 days
  std::vector<core::Conflict> conflicts;
  // What each conflicted record is, for people: its name, or its rep's.
  std::map<core::RecordId, std::string> conflictNames;
  core::StoreStats stats;
  core::ActorId device;  // this device's id (it changes on a re-key)
  std::string dir;       // the notebook's folder
  std::map<core::RecordId, std::string> repNames;
  // Set when the store could not be read (AppModel keeps the last snapshot
  // that was read, so the screens are not emptied): shown until a read works.
  std::string error;

  std::string repName(const std::optional<core::RecordId>& id) const;
  const TeamRow* teamRow(const core::RecordId& rep) const;
};

// A failed read is an error, never an empty snapshot.
Result<Snapshot> buildSnapshot(core::Notebook& nb, int64_t nowMs, int cadenceDays);

using core::todayDate;

struct RatingPoint {
  int64_t atMs = 0;
  int rating = 0;
};

struct RepDetail {
  core::Rep rep;
  std::vector<core::Goal> goals;
  std::vector<core::Session> sessions;                      // newest first
  std::vector<core::ActionItem> actions;                    // open first, then by due
  std::vector<core::Observation> observations;              // newest first
  std::map<std::string, std::vector<RatingPoint>> ratings;  // skill -> oldest first
};

// NotFound when there is no such rep; any other error is a failed read.
Result<RepDetail> buildRepDetail(core::Notebook& nb, const core::RecordId& rep);

struct SessionDetail {
  core::Session session;
  std::string repName;
  std::vector<core::Observation> observations;  // by time
  std::vector<core::ActionItem> actions;        // of this session
  std::map<std::string, int> ratings;           // skill -> rating given in this session
  std::map<std::string, core::RecordId> ratingIds;
  std::optional<core::Template> guide;
};

// NotFound when there is no such session; any other error is a failed read.
Result<SessionDetail> buildSessionDetail(core::Notebook& nb, const core::RecordId& session);

}  // namespace ridealong::gui
