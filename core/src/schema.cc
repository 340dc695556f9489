// The coaching record types (domain notes: reps, the competency model,
// sessions with SLED/ROAM debriefs, observations, action plans, goals,
// ratings, coaching guides) and value parsing/validation for their fields.
#include "ridealong/core/schema.h"

#include <charconv>

#include "ridealong/core/ids.h"
#include "ridealong/core/record.h"
#include "draft.h"

namespace ridealong::core {

namespace {

using K = FieldKind;

std::vector<TypeSpec> buildTypes() {
  return {
      {types::kRep, "Rep",
       {{"name", K::kText, "Name", {}, {}, true},
        {"team", K::kText, "Team"},
        {"territory", K::kText, "Territory"},
        {"email", K::kText, "Email"}}},
      {types::kSkill, "Skill",
       {{"name", K::kText, "Name", {}, {}, true},
        {"description", K::kLongText, "Description"},
        {"position", K::kInt, "Position"}}},
      {types::kSession, "Session",
       {{"rep", K::kRef, "Rep", {}, types::kRep, true},
        {"start", K::kTimeMs, "Start"},
        {"end", K::kTimeMs, "End"},
        {"type", K::kEnum, "Coaching type", {"developmental", "strategic", "tactical", "opportunistic"}},
        {"area", K::kEnum, "Coaching area", {"opportunity", "funnel", "skills", "account", "territory"}},
        {"status", K::kEnum, "Status", {"planned", "in_progress", "done"}},
        {"customer", K::kText, "Customer"},
        {"objective", K::kLongText, "Pre-call objective"},
        {"outcome", K::kLongText, "Outcome"},
        {"self_assessment", K::kLongText, "Rep self-assessment"},
        {"sled_set", K::kLongText, "Set the stage"},
        {"sled_lead", K::kLongText, "Lead the analysis"},
        {"sled_explore", K::kLongText, "Explore solutions"},
        {"sled_develop", K::kLongText, "Develop the plan"},
        {"roam_results", K::kLongText, "Results"},
        {"roam_objectives", K::kLongText, "Objectives"},
        {"roam_activities", K::kLongText, "Activities"},
        {"roam_methodology", K::kLongText, "Methodology"},
        {"solution", K::kEnum, "Solution", {"training", "coaching", "feedback", "other"}},
        {"notes", K::kLongText, "Notes"},
        {"template", K::kRef, "Coaching guide", {}, types::kTemplate}}},
      {types::kObservation, "Observation",
       {{"session", K::kRef, "Session", {}, types::kSession},
        {"rep", K::kRef, "Rep", {}, types::kRep},
        {"at", K::kTimeMs, "Time"},
        {"skill", K::kText, "Skill"},
        {"kind", K::kEnum, "Kind", {"strength", "improve"}},
        {"text", K::kLongText, "Note"},
        {"rating", K::kRating, "Rating"}}},
      {types::kAction, "Action item",
       {{"rep", K::kRef, "Rep", {}, types::kRep, true},
        {"session", K::kRef, "Session", {}, types::kSession},
        {"text", K::kLongText, "Action", {}, {}, true},
        {"owner", K::kEnum, "Owner", {"coach", "rep"}},
        {"due", K::kDate, "Due"},
        {"status", K::kEnum, "Status", {"open", "done", "dropped"}}}},
      {types::kGoal, "Goal",
       {{"rep", K::kRef, "Rep", {}, types::kRep, true},
        {"skill", K::kText, "Skill"},
        {"text", K::kLongText, "Goal", {}, {}, true},
        {"target", K::kDate, "Target date"},
        {"status", K::kEnum, "Status", {"active", "achieved", "dropped"}}}},
      {types::kRating, "Skill rating",
       {{"rep", K::kRef, "Rep", {}, types::kRep, true},
        {"skill", K::kText, "Skill", {}, {}, true},
        {"rating", K::kRating, "Rating", {}, {}, true},
        {"at", K::kTimeMs, "Time"},
        {"session", K::kRef, "Session", {}, types::kSession}}},
      {types::kTemplate, "Coaching guide",
       {{"name", K::kText, "Name", {}, {}, true},
        {"description", K::kLongText, "Description"},
        {"questions", K::kLongText, "Questions (one per line)"}}},
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
  if (field != kDeletedField && (!f || (!v.isNull() && f->kind == K::kLongText && v.isText() &&
                                                (!f->required || !v.asText().empty()))))
    return Status::ok();
  return checkField(type, field, v);
}
}  // namespace

Status validateField(std::string_view type, std::string_view field, const Value& v) {
  return validate(type, field, v);
}

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
