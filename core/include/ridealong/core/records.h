// Typed views of the coaching records, built from generic Records. Reading
// code (CLI, GUI) uses these; writing goes through the commands of
// coaching.h. Field names and enum values: fields.h. Plain values.
#pragma once

#include <optional>
#include <string>

#include "ridealong/core/record.h"

namespace ridealong::core {

struct Rep {
  RecordId id;
  std::string name, team, territory, email;
  std::string coachingStyle;  // directive | collaborative | self_directed | "" (not set)
  std::string coachingNote;
  bool deleted = false;
  static Rep from(const Record& r);
};

struct Skill {
  RecordId id;
  std::string name, description;
  int64_t position = 0;
  bool deleted = false;
  static Skill from(const Record& r);
};

struct Session {
  RecordId id;
  std::optional<RecordId> rep, templateId;
  int64_t startMs = 0, endMs = 0;
  int64_t plannedMs = 0;  // first planned for (0: not planned ahead)
  std::string type;       // developmental | strategic | tactical | opportunistic
  std::string area;       // opportunity | funnel | skills | account | territory
  std::string status;     // planned | in_progress | done
  std::string customer, objective, outcome, selfAssessment;
  std::string sledSet, sledLead, sledExplore, sledDevelop;                   // SLED
  std::string roamResults, roamObjectives, roamActivities, roamMethodology;  // ROAM
  std::string solution;                                                      // training | coaching | feedback | other
  std::string notes;
  bool deleted = false;
  static Session from(const Record& r);
};

struct Observation {
  RecordId id;
  std::optional<RecordId> session, rep;
  int64_t atMs = 0;
  std::string skill, kind, text;  // kind: strength | improve
  std::optional<int64_t> rating;  // 1..5
  bool deleted = false;
  static Observation from(const Record& r);
};

struct ActionItem {
  RecordId id;
  std::optional<RecordId> rep, session;
  std::string text, owner, due, status;  // owner coach|rep; due YYYY-MM-DD; status open|done|dropped
  bool deleted = false;
  static ActionItem from(const Record& r);
};

struct Goal {
  RecordId id;
  std::optional<RecordId> rep;
  std::string skill, text, target, status;  // target YYYY-MM-DD; status active|achieved|dropped
  bool deleted = false;
  static Goal from(const Record& r);
};

struct SkillRating {
  RecordId id;
  std::optional<RecordId> rep, session;
  std::string skill;
  int64_t rating = 0, atMs = 0;
  bool deleted = false;
  static SkillRating from(const Record& r);
};

struct Template {
  RecordId id;
  std::string name, description, questions;  // questions: one per line
  bool deleted = false;
  static Template from(const Record& r);
};

}  // namespace ridealong::core
