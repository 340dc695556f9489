// Typed views over generic records: missing or mistyped fields read as
// defaults, so data from a newer or older device still displays.
#include "ridealong/core/records.h"

#include "ridealong/core/fields.h"

namespace ridealong::core {

namespace {
std::optional<RecordId> ref(const Record& r, std::string_view f) { return Id16::parse(r.text(f)); }
int64_t num(const Record& r, std::string_view f) { return r.get(f).optInt().value_or(0); }
}  // namespace

Rep Rep::from(const Record& r) {
  namespace f = fields::rep;
  Rep p;
  p.id = r.id;
  p.name = r.text(f::kName);
  p.team = r.text(f::kTeam);
  p.territory = r.text(f::kTerritory);
  p.email = r.text(f::kEmail);
  p.coachingStyle = r.text(f::kCoachingStyle);
  p.coachingNote = r.text(f::kCoachingNote);
  p.deleted = r.deleted();
  return p;
}

Skill Skill::from(const Record& r) {
  namespace f = fields::skill;
  return Skill{r.id, r.text(f::kName), r.text(f::kDescription), num(r, f::kPosition), r.deleted()};
}

Session Session::from(const Record& r) {
  namespace f = fields::session;
  Session s;
  s.id = r.id;
  s.rep = ref(r, f::kRep);
  s.templateId = ref(r, f::kTemplate);
  s.startMs = num(r, f::kStart);
  s.endMs = num(r, f::kEnd);
  s.plannedMs = num(r, f::kPlanned);
  s.type = r.text(f::kType);
  s.area = r.text(f::kArea);
  s.status = r.text(f::kStatus);
  s.customer = r.text(f::kCustomer);
  s.objective = r.text(f::kObjective);
  s.outcome = r.text(f::kOutcome);
  s.selfAssessment = r.text(f::kSelfAssessment);
  s.sledSet = r.text(f::kSledSet);
  s.sledLead = r.text(f::kSledLead);
  s.sledExplore = r.text(f::kSledExplore);
  s.sledDevelop = r.text(f::kSledDevelop);
  s.roamResults = r.text(f::kRoamResults);
  s.roamObjectives = r.text(f::kRoamObjectives);
  s.roamActivities = r.text(f::kRoamActivities);
  s.roamMethodology = r.text(f::kRoamMethodology);
  s.solution = r.text(f::kSolution);
  s.notes = r.text(f::kNotes);
  s.deleted = r.deleted();
  return s;
}

Observation Observation::from(const Record& r) {
  namespace f = fields::observation;
  Observation o;
  o.id = r.id;
  o.session = ref(r, f::kSession);
  o.rep = ref(r, f::kRep);
  o.atMs = num(r, f::kAt);
  o.skill = r.text(f::kSkill);
  o.kind = r.text(f::kKind);
  o.text = r.text(f::kText);
  o.rating = r.get(f::kRating).optInt();
  o.deleted = r.deleted();
  return o;
}

ActionItem ActionItem::from(const Record& r) {
  namespace f = fields::action;
  ActionItem a;
  a.id = r.id;
  a.rep = ref(r, f::kRep);
  a.session = ref(r, f::kSession);
  a.text = r.text(f::kText);
  a.owner = r.text(f::kOwner);
  a.due = r.text(f::kDue);
  a.status = r.text(f::kStatus);
  a.deleted = r.deleted();
  return a;
}

Goal Goal::from(const Record& r) {
  namespace f = fields::goal;
  return Goal{r.id,       ref(r, f::kRep), r.text(f::kSkill), r.text(f::kText), r.text(f::kTarget), r.text(f::kStatus),
              r.deleted()};
}

SkillRating SkillRating::from(const Record& r) {
  namespace f = fields::rating;
  SkillRating s;
  s.id = r.id;
  s.rep = ref(r, f::kRep);
  s.session = ref(r, f::kSession);
  s.skill = r.text(f::kSkill);
  s.rating = num(r, f::kRating);
  s.atMs = num(r, f::kAt);
  s.deleted = r.deleted();
  return s;
}

Template Template::from(const Record& r) {
  namespace f = fields::guide;
  return Template{r.id, r.text(f::kName), r.text(f::kDescription), r.text(f::kQuestions), r.deleted()};
}

}  // namespace ridealong::core
