// The coaching commands: each user-level action (start a call, capture an
// observation, end the call, plan a session, add an action item, rate a
// skill, finish a debrief, ...) with its rules, built as ONE change. The
// CLI, the app and the demo generator call these and hold no coaching rules
// of their own.
//
// Two layers: the builders in `coach::` take the records involved (as the
// typed views of records.h) and check the rules that need nothing else;
// `Coach` looks the records up in a notebook by id (present, of the right
// type, not in the trash) and calls them. Nothing is written until the
// caller commits the Edit, so the app can record its inverse for undo first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/core/fields.h"
#include "ridealong/core/notebook.h"
#include "ridealong/core/records.h"
#include "ridealong/platform/status.h"

namespace ridealong::core {

// One user action, checked and ready to commit as one change.
struct Edit {
  ChangeBuilder change;
  RecordId id;        // the record created, or the one the action is about
  std::string label;  // what it does, for people: "start a call" (undo, errors)
};

struct RepInput {
  std::string name, team, territory, email;
};

struct SessionInput {
  std::string type{values::coaching_type::kDevelopmental};
  std::string area{values::coaching_area::kSkills};
  std::string customer, objective;
  std::optional<RecordId> guide;
};

struct ObservationInput {
  std::string skill;
  std::string kind{values::observation_kind::kStrength};
  std::string text;
  std::optional<int> rating;  // 1..5
};

struct ActionInput {
  std::optional<RecordId> session;  // the session it came from: same rep
  std::string text;
  std::string owner{values::action_owner::kRep};
  std::string due;  // YYYY-MM-DD or empty
};

struct GoalInput {
  std::string skill, text, target;  // target YYYY-MM-DD or empty
};

namespace coach {

Result<Edit> addRep(const RecordId& id, const RepInput& in);
// A session starting at `startMs`: planned when that is later than now
// (and then `planned` remembers the day it was planned for), otherwise
// running from then on.
Result<Edit> newSession(const RecordId& id, const Rep& rep, const SessionInput& in, int64_t startMs, int64_t nowMs);
// A planned session starts now (in progress); the day it was planned for
// stays, for adherence.
Result<Edit> startPlanned(const Session& s, int64_t nowMs);
// A planned session moves to another time.
Result<Edit> reschedule(const Session& s, int64_t startMs, int64_t nowMs);
// An observation on a session that has started, filed under its rep too.
Result<Edit> capture(const RecordId& id, const Session& s, const ObservationInput& in, int64_t atMs);
// Stamps the end of a running call.
Result<Edit> endCall(const Session& s, int64_t nowMs);
// The session must be the same rep's.
Result<Edit> addAction(const RecordId& id, const Rep& rep, const Session* from, const ActionInput& in);
Result<Edit> addGoal(const RecordId& id, const Rep& rep, const GoalInput& in);
// This session's rating of a skill: updates `existing` (the session's
// rating of that skill) or creates one.
Result<Edit> rate(const RecordId& newId, const Session& s, const std::optional<SkillRating>& existing,
                  const std::string& skill, int rating, int64_t nowMs);
// Marks the session done (and ended, if it was not).
Result<Edit> finishDebrief(const Session& s, int64_t nowMs);
// Style: one of values::coaching_style or empty (not set).
Result<Edit> setCoachingStyle(const Rep& rep, const std::string& style, const std::string& note);
// A skill at the end of the model (`model` in its shown order).
Result<Edit> addSkill(const RecordId& id, const std::string& name, const std::vector<Skill>& model,
                      const std::string& description = {});
// Moves a skill up (-1) or down (+1); positions are renumbered in order,
// since two devices may have added skills at the same position.
Result<Edit> moveSkill(const std::vector<Skill>& model, const RecordId& skill, int delta);
Result<Edit> addGuide(const RecordId& id, const std::string& name, const std::string& questions = {});
// Keeps one of a conflicted field's values: a new set that has seen every
// sibling supersedes them all. `keep` must be one of the values held.
Result<Edit> resolveConflict(const Record& r, const std::string& field, const Value& keep);

}  // namespace coach

// The commands against a notebook, by record id.
class Coach {
 public:
  explicit Coach(Notebook& nb) : nb_(nb) {}

  Result<Edit> addRep(const RepInput& in);
  Result<Edit> newSession(const RecordId& rep, const SessionInput& in, int64_t startMs, int64_t nowMs);
  Result<Edit> startCall(const RecordId& rep, const SessionInput& in, int64_t nowMs) {
    return newSession(rep, in, nowMs, nowMs);
  }
  Result<Edit> startPlanned(const RecordId& session, int64_t nowMs);
  Result<Edit> reschedule(const RecordId& session, int64_t startMs, int64_t nowMs);
  Result<Edit> capture(const RecordId& session, const ObservationInput& in, int64_t nowMs);
  Result<Edit> endCall(const RecordId& session, int64_t nowMs);
  Result<Edit> addAction(const RecordId& rep, const ActionInput& in);
  Result<Edit> addGoal(const RecordId& rep, const GoalInput& in);
  Result<Edit> rate(const RecordId& session, const std::string& skill, int rating, int64_t nowMs);
  Result<Edit> finishDebrief(const RecordId& session, int64_t nowMs);
  Result<Edit> setCoachingStyle(const RecordId& rep, const std::string& style, const std::string& note);
  Result<Edit> addSkill(const std::string& name);
  Result<Edit> moveSkill(const RecordId& skill, int delta);
  Result<Edit> addGuide(const std::string& name, const std::string& questions = {});
  Result<Edit> resolveConflict(const RecordId& id, const std::string& field, const Value& keep);

  // Looks a record up: present, of `type`, not in the trash. `what` names
  // it in the error ("the session").
  Result<Record> load(const RecordId& id, std::string_view type, std::string_view what);
  Result<std::vector<Skill>> skills();

 private:
  Notebook& nb_;
};

}  // namespace ridealong::core
