// Typed views over generic records: missing or mistyped fields read as
// defaults, so data from a newer or older device still displays.
#include "ridealong/core/records.h"

namespace ridealong::core {

namespace {
std::optional<RecordId> ref(const Record& r, std::string_view f) { return Id16::parse(r.text(f)); }
int64_t num(const Record& r, std::string_view f) { return r.get(f).optInt().value_or(0); }
}  // namespace

Rep Rep::from(const Record& r) {
  return Rep{r.id, r.text("name"), r.text("team"), r.text("territory"), r.text("email"), r.deleted()};
}

Skill Skill::from(const Record& r) {
  return Skill{r.id, r.text("name"), r.text("description"), num(r, "position"), r.deleted()};
}

Session Session::from(const Record& r) {
  Session s;
  s.id = r.id;
  s.rep = ref(r, "rep");
  s.templateId = ref(r, "template");
  s.startMs = num(r, "start");
  s.endMs = num(r, "end");
  s.type = r.text("type");
  s.area = r.text("area");
  s.status = r.text("status");
  s.customer = r.text("customer");
  s.objective = r.text("objective");
  s.outcome = r.text("outcome");
  s.selfAssessment = r.text("self_assessment");
  s.sledSet = r.text("sled_set");
  s.sledLead = r.text("sled_lead");
  s.sledExplore = r.text("sled_explore");
  s.sledDevelop = r.text("sled_develop");
  s.roamResults = r.text("roam_results");
  s.roamObjectives = r.text("roam_objectives");
  s.roamActivities = r.text("roam_activities");
  s.roamMethodology = r.text("roam_methodology");
  s.solution = r.text("solution");
  s.notes = r.text("notes");
  s.deleted = r.deleted();
  return s;
}

Observation Observation::from(const Record& r) {
  Observation o;
  o.id = r.id;
  o.session = ref(r, "session");
  o.rep = ref(r, "rep");
  o.atMs = num(r, "at");
  o.skill = r.text("skill");
  o.kind = r.text("kind");
  o.text = r.text("text");
  o.rating = r.get("rating").optInt();
  o.deleted = r.deleted();
  return o;
}

ActionItem ActionItem::from(const Record& r) {
  ActionItem a;
  a.id = r.id;
  a.rep = ref(r, "rep");
  a.session = ref(r, "session");
  a.text = r.text("text");
  a.owner = r.text("owner");
  a.due = r.text("due");
  a.status = r.text("status");
  a.deleted = r.deleted();
  return a;
}

Goal Goal::from(const Record& r) {
  return Goal{r.id, ref(r, "rep"), r.text("skill"), r.text("text"), r.text("target"), r.text("status"), r.deleted()};
}

SkillRating SkillRating::from(const Record& r) {
  SkillRating s;
  s.id = r.id;
  s.rep = ref(r, "rep");
  s.session = ref(r, "session");
  s.skill = r.text("skill");
  s.rating = num(r, "rating");
  s.atMs = num(r, "at");
  s.deleted = r.deleted();
  return s;
}

Template Template::from(const Record& r) {
  return Template{r.id, r.text("name"), r.text("description"), r.text("questions"), r.deleted()};
}

}  // namespace ridealong::core
