// The coaching record types and their fields (see shared domain notes):
// rep, skill, session, observation, action, goal, rating, template.
// Used to validate local edits, CLI/CSV input and changes from other devices
// (one that breaks these rules is quarantined, not applied, and tried again
// by a newer build), to label fields in the GUI, and to derive indexes.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/value.h"
#include "ridealong/platform/status.h"

namespace ridealong::core {

enum class FieldKind {
  kText,      // one line
  kLongText,  // multi-line notes
  kInt,
  kBool,
  kTimeMs,  // ms since epoch (int)
  kDate,    // "YYYY-MM-DD" text
  kRef,     // base32 id text of another record
  kEnum,    // one of `choices` (text)
  kRating,  // 1..5 (int)
};

struct FieldSpec {
  std::string_view name;
  FieldKind kind;
  std::string_view label;
  std::vector<std::string_view> choices;  // kEnum
  std::string_view refType;               // kRef
  bool required = false;
};

struct TypeSpec {
  std::string_view name;
  std::string_view label;
  std::vector<FieldSpec> fields;
  const FieldSpec* field(std::string_view name) const;
};

namespace types {
inline constexpr std::string_view kRep = "rep";
inline constexpr std::string_view kSkill = "skill";
inline constexpr std::string_view kSession = "session";
inline constexpr std::string_view kObservation = "observation";
inline constexpr std::string_view kAction = "action";
inline constexpr std::string_view kGoal = "goal";
inline constexpr std::string_view kRating = "rating";
inline constexpr std::string_view kTemplate = "template";
}  // namespace types

const std::vector<TypeSpec>& allTypes();
const TypeSpec* findType(std::string_view name);
// The field's label for people ("Pre-call objective"); the name itself for
// fields the schema does not know.
std::string fieldLabel(std::string_view type, std::string_view field);

// Checks a value against a field's kind and choices; the message names the
// field and what is allowed. Unknown fields pass (generic data).
Status validateField(std::string_view type, std::string_view field, const Value& v);

// Parses user text for a field: ints for kInt/kTimeMs/kRating, "true"/"false"
// for kBool, dates and enums checked, ids checked. For an unknown field of a
// known type: an error listing the known fields. Unknown type: kept as text.
Result<Value> parseFieldValue(std::string_view type, std::string_view field, std::string_view text);

}  // namespace ridealong::core
