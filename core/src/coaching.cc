// The coaching commands (coaching.h). Field values are checked against the
// schema here, before anything is written, so a command's error names the
// problem in the user's terms; commit checks them again for every writer.
#include "ridealong/core/coaching.h"

#include <algorithm>

#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/schema.h"

namespace ridealong::core {

namespace {

namespace st = values::session_status;

std::string trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Builds the fields of a new record, checking each against the schema.
class Fields {
 public:
  explicit Fields(std::string_view type) : type_(type) {}
  Fields& add(std::string_view name, Value v) {
    if (status_) status_ = validateField(type_, name, v);
    list_.emplace_back(std::string(name), std::move(v));
    return *this;
  }
  Fields& addIfSet(std::string_view name, const std::string& v) { return v.empty() ? *this : add(name, Value(v)); }
  Result<Edit> create(const RecordId& id, std::string label) {
    if (!status_) return status_;
    Edit e;
    e.id = id;
    e.label = std::move(label);
    e.change.create(id, std::string(type_), list_);
    return e;
  }

 private:
  std::string_view type_;
  FieldList list_;
  Status status_ = Status::ok();
};

Edit editOf(const RecordId& id, std::string label) {
  Edit e;
  e.id = id;
  e.label = std::move(label);
  return e;
}

Status usable(const Rep& rep) {
  if (rep.deleted) return Status::invalidArgument("rep " + rep.name + " is in the trash (restore them first)");
  return Status::ok();
}

Status usable(const Session& s) {
  if (s.deleted) return Status::invalidArgument("the session is in the trash (restore it first)");
  if (!s.rep) return Status::invalidArgument("the session has no rep");
  return Status::ok();
}

}  // namespace

namespace coach {

Result<Edit> addRep(const RecordId& id, const RepInput& in) {
  namespace f = fields::rep;
  std::string name = trimmed(in.name);
  if (name.empty()) return Status::invalidArgument("a rep needs a name");
  return Fields(types::kRep)
      .add(f::kName, Value(name))
      .addIfSet(f::kTeam, trimmed(in.team))
      .addIfSet(f::kTerritory, trimmed(in.territory))
      .addIfSet(f::kEmail, trimmed(in.email))
      .create(id, "add a rep");
}

Result<Edit> newSession(const RecordId& id, const Rep& rep, const SessionInput& in, int64_t startMs, int64_t nowMs) {
  namespace f = fields::session;
  RIDEALONG_RETURN_IF_ERROR(usable(rep));
  bool planned = startMs > nowMs;
  Fields fs(types::kSession);
  fs.add(f::kRep, Value(rep.id.str()))
      .add(f::kStart, Value(startMs))
      .add(f::kType, Value(in.type))
      .add(f::kArea, Value(in.area))
      .add(f::kStatus, Value(std::string(planned ? st::kPlanned : st::kInProgress)))
      .addIfSet(f::kCustomer, trimmed(in.customer))
      .addIfSet(f::kObjective, in.objective);
  if (planned) fs.add(f::kPlanned, Value(startMs));
  if (in.guide) fs.add(f::kTemplate, Value(in.guide->str()));
  return fs.create(id, planned ? "plan a session" : "start a call");
}

Result<Edit> startPlanned(const Session& s, int64_t nowMs) {
  namespace f = fields::session;
  RIDEALONG_RETURN_IF_ERROR(usable(s));
  if (s.status != st::kPlanned) return Status::invalidArgument("the session has already started");
  Edit e = editOf(s.id, "start the session");
  e.change.set(s.id, std::string(f::kStatus), Value(std::string(st::kInProgress)));
  e.change.set(s.id, std::string(f::kStart), Value(nowMs));
  // Planned by an older build (no `planned` stamp): its start was the plan.
  if (s.plannedMs == 0) e.change.set(s.id, std::string(f::kPlanned), Value(s.startMs));
  return e;
}

Result<Edit> reschedule(const Session& s, int64_t startMs, int64_t nowMs) {
  namespace f = fields::session;
  RIDEALONG_RETURN_IF_ERROR(usable(s));
  if (s.status != st::kPlanned) return Status::invalidArgument("only a planned session can be moved");
  if (dayNumber(startMs) < dayNumber(nowMs)) return Status::invalidArgument("a session cannot be moved into the past");
  Edit e = editOf(s.id, "move the session");
  e.change.set(s.id, std::string(f::kStart), Value(startMs));
  if (s.plannedMs == 0) e.change.set(s.id, std::string(f::kPlanned), Value(s.startMs));
  return e;
}

Result<Edit> capture(const RecordId& id, const Session& s, const ObservationInput& in, int64_t atMs) {
  namespace f = fields::observation;
  RIDEALONG_RETURN_IF_ERROR(usable(s));
  if (s.status == st::kPlanned) return Status::invalidArgument("the session has not started yet");
  std::string skill = trimmed(in.skill);
  if (skill.empty()) return Status::invalidArgument("an observation needs a skill");
  Fields fs(types::kObservation);
  fs.add(f::kSession, Value(s.id.str()))
      .add(f::kRep, Value(s.rep->str()))  // filed under the rep as well
      .add(f::kAt, Value(atMs))
      .add(f::kSkill, Value(skill))
      .add(f::kKind, Value(in.kind))
      .addIfSet(f::kText, in.text);
  if (in.rating) fs.add(f::kRating, Value(int64_t{*in.rating}));
  return fs.create(id, "capture an observation");
}

Result<Edit> endCall(const Session& s, int64_t nowMs) {
  RIDEALONG_RETURN_IF_ERROR(usable(s));
  if (s.status != st::kInProgress) return Status::invalidArgument("the call is not running");
  if (s.endMs != 0) return Status::invalidArgument("the call has already ended");
  Edit e = editOf(s.id, "end the call");
  e.change.set(s.id, std::string(fields::session::kEnd), Value(std::max(nowMs, s.startMs)));
  return e;
}

Result<Edit> addAction(const RecordId& id, const Rep& rep, const Session* from, const ActionInput& in) {
  namespace f = fields::action;
  RIDEALONG_RETURN_IF_ERROR(usable(rep));
  std::string text = trimmed(in.text);
  if (text.empty()) return Status::invalidArgument("an action item needs a text");
  Fields fs(types::kAction);
  fs.add(f::kRep, Value(rep.id.str()));
  if (from) {
    if (from->rep != rep.id)
      return Status::invalidArgument("session " + from->id.str() + " is with another rep, not " + rep.name);
    fs.add(f::kSession, Value(from->id.str()));
  }
  fs.add(f::kText, Value(text))
      .add(f::kOwner, Value(in.owner))
      .addIfSet(f::kDue, trimmed(in.due))
      .add(f::kStatus, Value(std::string(values::action_status::kOpen)));
  return fs.create(id, "add an action item");
}

Result<Edit> addGoal(const RecordId& id, const Rep& rep, const GoalInput& in) {
  namespace f = fields::goal;
  RIDEALONG_RETURN_IF_ERROR(usable(rep));
  std::string text = trimmed(in.text);
  if (text.empty()) return Status::invalidArgument("a goal needs a text");
  return Fields(types::kGoal)
      .add(f::kRep, Value(rep.id.str()))
      .add(f::kText, Value(text))
      .add(f::kStatus, Value(std::string(values::goal_status::kActive)))
      .addIfSet(f::kSkill, trimmed(in.skill))
      .addIfSet(f::kTarget, trimmed(in.target))
      .create(id, "add a goal");
}

Result<Edit> rate(const RecordId& newId, const Session& s, const std::optional<SkillRating>& existing,
                  const std::string& skill, int rating, int64_t nowMs) {
  namespace f = fields::rating;
  RIDEALONG_RETURN_IF_ERROR(usable(s));
  if (rating < 1 || rating > 5) return Status::invalidArgument("a rating is from 1 to 5");
  if (trimmed(skill).empty()) return Status::invalidArgument("a rating needs a skill");
  if (existing && !existing->deleted) {
    Edit e = editOf(existing->id, "rate " + skill);
    e.change.set(existing->id, std::string(f::kRating), Value(int64_t{rating}));
    return e;
  }
  return Fields(types::kRating)
      .add(f::kRep, Value(s.rep->str()))
      .add(f::kSkill, Value(trimmed(skill)))
      .add(f::kRating, Value(int64_t{rating}))
      .add(f::kAt, Value(nowMs))
      .add(f::kSession, Value(s.id.str()))
      .create(newId, "rate " + skill);
}

Result<Edit> finishDebrief(const Session& s, int64_t nowMs) {
  namespace f = fields::session;
  RIDEALONG_RETURN_IF_ERROR(usable(s));
  if (s.status == st::kPlanned) return Status::invalidArgument("the session has not been held yet");
  Edit e = editOf(s.id, "finish the debrief");
  if (s.status != st::kDone) e.change.set(s.id, std::string(f::kStatus), Value(std::string(st::kDone)));
  if (s.endMs == 0) e.change.set(s.id, std::string(f::kEnd), Value(std::max(nowMs, s.startMs)));
  if (e.change.empty()) return Status::invalidArgument("the debrief is already finished");
  return e;
}

Result<Edit> setCoachingStyle(const Rep& rep, const std::string& style, const std::string& note) {
  namespace f = fields::rep;
  RIDEALONG_RETURN_IF_ERROR(usable(rep));
  Value styleValue = style.empty() ? Value() : Value(style);
  if (!style.empty()) RIDEALONG_RETURN_IF_ERROR(validateField(types::kRep, f::kCoachingStyle, styleValue));
  Edit e = editOf(rep.id, "set the coaching style");
  if (style != rep.coachingStyle) e.change.set(rep.id, std::string(f::kCoachingStyle), std::move(styleValue));
  if (note != rep.coachingNote) e.change.set(rep.id, std::string(f::kCoachingNote), Value(note));
  return e;
}

Result<Edit> addSkill(const RecordId& id, const std::string& name, const std::vector<Skill>& model,
                      const std::string& description) {
  namespace f = fields::skill;
  std::string n = trimmed(name);
  if (n.empty()) return Status::invalidArgument("a skill needs a name");
  for (const auto& s : model)
    if (!s.deleted && s.name == n) return Status::invalidArgument("the model already has " + n);
  int64_t position = 1;
  for (const auto& s : model) position = std::max(position, s.position + 1);
  return Fields(types::kSkill)
      .add(f::kName, Value(n))
      .addIfSet(f::kDescription, description)
      .add(f::kPosition, Value(position))
      .create(id, "add a skill");
}

Result<Edit> moveSkill(const std::vector<Skill>& model, const RecordId& skill, int delta) {
  auto it = std::find_if(model.begin(), model.end(), [&](const Skill& s) { return s.id == skill; });
  if (it == model.end()) return Status::notFound("that skill is gone");
  auto i = static_cast<long>(it - model.begin());
  long j = std::clamp<long>(i + delta, 0, static_cast<long>(model.size()) - 1);
  std::vector<RecordId> order;
  for (const auto& s : model) order.push_back(s.id);
  std::swap(order[i], order[j]);
  Edit e = editOf(skill, "reorder skills");
  for (size_t k = 0; k < order.size(); k++)
    if (model[k].id != order[k] || model[k].position != static_cast<int64_t>(k + 1))
      e.change.set(order[k], std::string(fields::skill::kPosition), Value(static_cast<int64_t>(k + 1)));
  return e;
}

Result<Edit> addGuide(const RecordId& id, const std::string& name, const std::string& questions) {
  namespace f = fields::guide;
  std::string n = trimmed(name);
  if (n.empty()) return Status::invalidArgument("a coaching guide needs a name");
  return Fields(types::kTemplate)
      .add(f::kName, Value(n))
      .addIfSet(f::kQuestions, questions)
      .create(id, "add a coaching guide");
}

Result<Edit> resolveConflict(const Record& r, const std::string& field, const Value& keep) {
  const Field* f = r.field(field);
  if (!f || !f->conflicted()) return Status::invalidArgument(field + " has no conflict to resolve");
  bool held = std::any_of(f->values.begin(), f->values.end(), [&](const FieldValue& v) { return v.value == keep; });
  if (!held) return Status::invalidArgument("that value is not one of the conflicting ones");
  Edit e = editOf(r.id, "keep a value");
  e.change.set(r.id, field, keep);
  return e;
}

}  // namespace coach

// ---- by id ----

Result<Record> Coach::load(const RecordId& id, std::string_view type, std::string_view what) {
  auto r = nb_.get(id);
  if (!r && !r.status().isNotFound()) return r.status();  // a failed read is not "does not exist"
  if (!r || r->type.empty()) return Status::notFound(std::string(what) + " " + id.str() + " does not exist");
  if (r->type != type) {
    const TypeSpec* t = findType(r->type);
    std::string is = t ? std::string(t->label) : r->type;
    return Status::invalidArgument(id.str() + " is a " + is + ", not " + std::string(what));
  }
  return std::move(*r);
}

Result<std::vector<Skill>> Coach::skills() {
  std::vector<Skill> out;
  auto records = nb_.listType(types::kSkill);
  if (!records) return records.status();
  for (const auto& r : *records) out.push_back(Skill::from(r));
  return orderedSkills(std::move(out));
}

Result<Edit> Coach::addRep(const RepInput& in) { return coach::addRep(nb_.newId(), in); }

Result<Edit> Coach::newSession(const RecordId& rep, const SessionInput& in, int64_t startMs, int64_t nowMs) {
  auto r = load(rep, types::kRep, "the rep");
  if (!r) return r.status();
  if (in.guide) {
    auto g = load(*in.guide, types::kTemplate, "the coaching guide");
    if (!g) return g.status();
  }
  return coach::newSession(nb_.newId(), Rep::from(*r), in, startMs, nowMs);
}

Result<Edit> Coach::startPlanned(const RecordId& session, int64_t nowMs) {
  auto s = load(session, types::kSession, "the session");
  if (!s) return s.status();
  return coach::startPlanned(Session::from(*s), nowMs);
}

Result<Edit> Coach::reschedule(const RecordId& session, int64_t startMs, int64_t nowMs) {
  auto s = load(session, types::kSession, "the session");
  if (!s) return s.status();
  return coach::reschedule(Session::from(*s), startMs, nowMs);
}

Result<Edit> Coach::capture(const RecordId& session, const ObservationInput& in, int64_t nowMs) {
  auto s = load(session, types::kSession, "the session");
  if (!s) return s.status();
  return coach::capture(nb_.newId(), Session::from(*s), in, nowMs);
}

Result<Edit> Coach::endCall(const RecordId& session, int64_t nowMs) {
  auto s = load(session, types::kSession, "the session");
  if (!s) return s.status();
  return coach::endCall(Session::from(*s), nowMs);
}

Result<Edit> Coach::addAction(const RecordId& rep, const ActionInput& in) {
  auto r = load(rep, types::kRep, "the rep");
  if (!r) return r.status();
  std::optional<Session> from;
  if (in.session) {
    auto s = load(*in.session, types::kSession, "the session");
    if (!s) return s.status();
    from = Session::from(*s);
  }
  return coach::addAction(nb_.newId(), Rep::from(*r), from ? &*from : nullptr, in);
}

Result<Edit> Coach::addGoal(const RecordId& rep, const GoalInput& in) {
  auto r = load(rep, types::kRep, "the rep");
  if (!r) return r.status();
  return coach::addGoal(nb_.newId(), Rep::from(*r), in);
}

Result<Edit> Coach::rate(const RecordId& session, const std::string& skill, int rating, int64_t nowMs) {
  auto s = load(session, types::kSession, "the session");
  if (!s) return s.status();
  Session sess = Session::from(*s);
  std::optional<SkillRating> existing;
  if (sess.rep) {
    auto timeline = nb_.repTimeline(*sess.rep, 5000);
    if (!timeline) return timeline.status();
    for (const auto& e : *timeline) {
      if (e.type != types::kRating || e.record.deleted()) continue;
      auto r = SkillRating::from(e.record);
      if (r.session == session && r.skill == skill) existing = r;
    }
  }
  return coach::rate(nb_.newId(), sess, existing, skill, rating, nowMs);
}

Result<Edit> Coach::finishDebrief(const RecordId& session, int64_t nowMs) {
  auto s = load(session, types::kSession, "the session");
  if (!s) return s.status();
  return coach::finishDebrief(Session::from(*s), nowMs);
}

Result<Edit> Coach::setCoachingStyle(const RecordId& rep, const std::string& style, const std::string& note) {
  auto r = load(rep, types::kRep, "the rep");
  if (!r) return r.status();
  return coach::setCoachingStyle(Rep::from(*r), style, note);
}

Result<Edit> Coach::addSkill(const std::string& name) {
  auto model = skills();
  if (!model) return model.status();
  return coach::addSkill(nb_.newId(), name, *model);
}

Result<Edit> Coach::moveSkill(const RecordId& skill, int delta) {
  auto model = skills();
  if (!model) return model.status();
  return coach::moveSkill(*model, skill, delta);
}

Result<Edit> Coach::addGuide(const std::string& name, const std::string& questions) {
  return coach::addGuide(nb_.newId(), name, questions);
}

Result<Edit> Coach::resolveConflict(const RecordId& id, const std::string& field, const Value& keep) {
  auto r = nb_.get(id);
  if (!r) return r.status().isNotFound() ? Status::notFound("record " + id.str() + " does not exist") : r.status();
  return coach::resolveConflict(*r, field, keep);
}

}  // namespace ridealong::core
