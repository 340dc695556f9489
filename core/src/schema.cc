// The coaching record types (domain notes: reps, the competency model,
// sessions with SLED/ROAM debriefs, observations, action plans, goals,
// ratings, coaching guides) and value parsing/validation for their fields.
#include "ridealong/core/schema.h"

#include <charconv>

#include "draft.h"
#include "ridealong/core/fields.h"
#include "ridealong/core/ids.h"
#include "ridealong/core/record.h"

namespace ridealong::core {

namespace {

using K = FieldKind;

std::vector<TypeSpec> buildTypes() {
  namespace f = fields;
  namespace v = values;
  return {
      {types::kRep,
       "Rep",
       {{f::rep::kName, K::kText, "Name", {}, {}, true},
        {f::rep::kTeam, K::kText, "Team"},
        {f::rep::kTerritory, K::kText, "Territory"},
        {f::rep::kEmail, K::kText, "Email"},
        {f::rep::kCoachingStyle,
         K::kEnum,
         "Coaching style",
         {v::coaching_style::kDirective, v::coaching_style::kCollaborative, v::coaching_style::kSelfDirected}},
        {f::rep::kCoachingNote, K::kLongText, "Coaching style note"}}},
      {types::kSkill,
       "Skill",
       {{f::skill::kName, K::kText, "Name", {}, {}, true},
        {f::skill::kDescription, K::kLongText, "Description"},
        {f::skill::kPosition, K::kInt, "Position"}}},
      {types::kSession,
       "Session",
       {{f::session::kRep, K::kRef, "Rep", {}, types::kRep, true},
        {f::session::kStart, K::kTimeMs, "Start"},
        {f::session::kEnd, K::kTimeMs, "End"},
        {f::session::kType,
         K::kEnum,
         "Coaching type",
         {v::coaching_type::kDevelopmental, v::coaching_type::kStrategic, v::coaching_type::kTactical,
          v::coaching_type::kOpportunistic}},
        {f::session::kArea,
         K::kEnum,
         "Coaching area",
         {v::coaching_area::kOpportunity, v::coaching_area::kFunnel, v::coaching_area::kSkills,
          v::coaching_area::kAccount, v::coaching_area::kTerritory}},
        {f::session::kStatus,
         K::kEnum,
         "Status",
         {v::session_status::kPlanned, v::session_status::kInProgress, v::session_status::kDone}},
        {f::session::kCustomer, K::kText, "Customer"},
        {f::session::kObjective, K::kLongText, "Pre-call objective"},
        {f::session::kOutcome, K::kLongText, "Outcome"},
        {f::session::kSelfAssessment, K::kLongText, "Rep self-assessment"},
        {f::session::kSledSet, K::kLongText, "Set the stage"},
        {f::session::kSledLead, K::kLongText, "Lead the analysis"},
        {f::session::kSledExplore, K::kLongText, "Explore solutions"},
        {f::session::kSledDevelop, K::kLongText, "Develop the plan"},
        {f::session::kRoamResults, K::kLongText, "Results"},
        {f::session::kRoamObjectives, K::kLongText, "Objectives"},
        {f::session::kRoamActivities, K::kLongText, "Activities"},
        {f::session::kRoamMethodology, K::kLongText, "Methodology"},
        {f::session::kSolution,
         K::kEnum,
         "Solution",
         {v::solution::kTraining, v::solution::kCoaching, v::solution::kFeedback, v::solution::kOther}},
        {f::session::kNotes, K::kLongText, "Notes"},
        {f::session::kTemplate, K::kRef, "Coaching guide", {}, types::kTemplate},
        {f::session::kPlanned, K::kTimeMs, "Planned for"}}},
      {types::kObservation,
       "Observation",
       {{f::observation::kSession, K::kRef, "Session", {}, types::kSession},
        {f::observation::kRep, K::kRef, "Rep", {}, types::kRep},
        {f::observation::kAt, K::kTimeMs, "Time"},
        {f::observation::kSkill, K::kText, "Skill"},
        {f::observation::kKind, K::kEnum, "Kind", {v::observation_kind::kStrength, v::observation_kind::kImprove}},
        {f::observation::kText, K::kLongText, "Note"},
        {f::observation::kRating, K::kRating, "Rating"}}},
      {types::kAction,
       "Action item",
       {{f::action::kRep, K::kRef, "Rep", {}, types::kRep, true},
        {f::action::kSession, K::kRef, "Session", {}, types::kSession},
        {f::action::kText, K::kLongText, "Action", {}, {}, true},
        {f::action::kOwner, K::kEnum, "Owner", {v::action_owner::kCoach, v::action_owner::kRep}},
        {f::action::kDue, K::kDate, "Due"},
        {f::action::kStatus,
         K::kEnum,
         "Status",
         {v::action_status::kOpen, v::action_status::kDone, v::action_status::kDropped}}}},
      {types::kGoal,
       "Goal",
       {{f::goal::kRep, K::kRef, "Rep", {}, types::kRep, true},
        {f::goal::kSkill, K::kText, "Skill"},
        {f::goal::kText, K::kLongText, "Goal", {}, {}, true},
        {f::goal::kTarget, K::kDate, "Target date"},
        {f::goal::kStatus,
         K::kEnum,
         "Status",
         {v::goal_status::kActive, v::goal_status::kAchieved, v::goal_status::kDropped}}}},
      {types::kRating,
       "Skill rating",
       {{f::rating::kRep, K::kRef, "Rep", {}, types::kRep, true},
        {f::rating::kSkill, K::kText, "Skill", {}, {}, true},
        {f::rating::kRating, K::kRating, "Rating", {}, {}, true},
        {f::rating::kAt, K::kTimeMs, "Time"},
        {f::rating::kSession, K::kRef, "Session", {}, types::kSession}}},
      {types::kTemplate,
       "Coaching guide",
       {{f::guide::kName, K::kText, "Name", {}, {}, true},
        {f::guide::kDescription, K::kLongText, "Description"},
        {f::guide::kQuestions, K::kLongText, "Questions (one per line)"}}},
  };
}

std::string joinChoices(const std::vector<std::string_view>& c) {
  std::string out;
  for (auto s : c) {
    if (!out.empty()) out += "|";
    out += s;
  }
  return out;
}

std::string knownFields(const TypeSpec& t) {
  std::string out;
  for (const auto& f : t.fields) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out + ", deleted";
}

std::optional<int64_t> parseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

const std::vector<TypeSpec>& allTypes() {
  static const std::vector<TypeSpec> kTypes = buildTypes();
  return kTypes;
}

const FieldSpec* TypeSpec::field(std::string_view n) const {
  for (const auto& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

std::string fieldLabel(std::string_view type, std::string_view field) {
  if (const TypeSpec* t = findType(type))
    if (const FieldSpec* f = t->field(field)) return std::string(f->label);
  return std::string(field);
}

const TypeSpec* findType(std::string_view name) {
  for (const auto& t : allTypes())
    if (t.name == name) return &t;
  return nullptr;
}

namespace {
template <typename V>
Status checkField(std::string_view type, std::string_view field, const V& v);

// For Value and the applier's ValueView alike: a remote change is checked
// exactly as a local edit is.
template <typename V>
Status validate(std::string_view type, std::string_view field, const V& v) {
  // Fast path without building messages: most values are valid.
  const TypeSpec* t = findType(type);
  const FieldSpec* f = t ? t->field(field) : nullptr;
  if (field != kDeletedField &&
      (!f || (!v.isNull() && f->kind == K::kLongText && v.isText() && (!f->required || !v.asText().empty()))))
    return Status::ok();
  return checkField(type, field, v);
}
}  // namespace

Status validateField(std::string_view type, std::string_view field, const Value& v) { return validate(type, field, v); }

namespace detail {
Status validateFieldView(std::string_view type, std::string_view field, const ValueView& v) {
  return validate(type, field, v);
}
}  // namespace detail

namespace {
template <typename V>
Status checkField(std::string_view type, std::string_view field, const V& v) {
  std::string where = std::string(type) + "." + std::string(field);
  if (field == kDeletedField) {
    if (!v.isBool()) return Status::invalidArgument(where + " must be true or false");
    return Status::ok();
  }
  const TypeSpec* t = findType(type);
  const FieldSpec* f = t ? t->field(field) : nullptr;
  if (!f || v.isNull()) {
    if (f && f->required) return Status::invalidArgument(where + " is required");
    return Status::ok();
  }
  switch (f->kind) {
    case K::kText:
    case K::kLongText:
      if (!v.isText()) return Status::invalidArgument(where + " must be text");
      if (f->required && v.asText().empty()) return Status::invalidArgument(where + " must not be empty");
      break;
    case K::kInt:
    case K::kTimeMs:
      if (!v.isInt()) return Status::invalidArgument(where + " must be a whole number");
      break;
    case K::kBool:
      if (!v.isBool()) return Status::invalidArgument(where + " must be true or false");
      break;
    case K::kRating:
      if (!v.isInt() || v.asInt() < 1 || v.asInt() > 5)
        return Status::invalidArgument(where + " must be a rating from 1 to 5");
      break;
    case K::kDate:
      if (!v.isText() || !parseDate(std::string_view(v.asText())))
        return Status::invalidArgument(where + " must be a date YYYY-MM-DD");
      break;
    case K::kRef:
      if (!v.isText() || !Id16::parse(std::string_view(v.asText())))
        return Status::invalidArgument(where + " must be a record id (26 characters)");
      break;
    case K::kEnum: {
      bool ok = false;
      if (v.isText())
        for (auto c : f->choices) ok = ok || c == v.asText();
      if (!ok) return Status::invalidArgument(where + " must be one of " + joinChoices(f->choices));
      break;
    }
  }
  return Status::ok();
}
}  // namespace

Result<Value> parseFieldValue(std::string_view type, std::string_view field, std::string_view text) {
  std::string where = std::string(type) + "." + std::string(field);
  const TypeSpec* t = findType(type);
  if (field == kDeletedField) {
    if (text == "true") return Value(true);
    if (text == "false") return Value(false);
    return Status::invalidArgument(where + " must be true or false");
  }
  if (!t) return Value(std::string(text));
  const FieldSpec* f = t->field(field);
  if (!f)
    return Status::invalidArgument("unknown field '" + std::string(field) + "' for " + std::string(type) +
                                   " (known: " + knownFields(*t) + ")");
  Value v;
  switch (f->kind) {
    case K::kInt:
    case K::kTimeMs:
    case K::kRating: {
      auto n = parseInt(text);
      if (!n) return Status::invalidArgument(where + " must be a whole number, got '" + std::string(text) + "'");
      v = Value(*n);
      break;
    }
    case K::kBool:
      if (text == "true") v = Value(true);
      else if (text == "false") v = Value(false);
      else return Status::invalidArgument(where + " must be true or false");
      break;
    default:
      v = Value(std::string(text));
      if (f->kind == K::kRef) {
        auto id = Id16::parse(text);
        if (id) v = Value(id->str());  // normalise case and aliases
      }
  }
  RIDEALONG_RETURN_IF_ERROR(validateField(type, field, v));
  return v;
}

}  // namespace ridealong::core
