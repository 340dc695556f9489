#include "ridealong/gui/snapshot.h"

#include <algorithm>

#include "ridealong/core/fields.h"
#include "ridealong/core/schema.h"

namespace ridealong::gui {

namespace {

template <typename T>
std::vector<T> typed(const std::vector<core::Record>& records) {
  std::vector<T> out;
  out.reserve(records.size());
  for (const auto& r : records) out.push_back(T::from(r));
  return out;
}

bool byDue(const core::ActionItem& a, const core::ActionItem& b) {
  bool aNone = a.due.empty(), bNone = b.due.empty();
  if (aNone != bNone) return bNone;  // undated last
  return a.due < b.due;
}

}  // namespace

std::string Snapshot::repName(const std::optional<core::RecordId>& id) const {
  if (!id) return "";
  auto it = repNames.find(*id);
  return it == repNames.end() ? "(unknown rep)" : it->second;
}

const TeamRow* Snapshot::teamRow(const core::RecordId& rep) const {
  for (const auto& row : team)
    if (row.overview.rep == rep) return &row;
  return nullptr;
}

// Early return of a failed read from a function returning Result.
#define READ_OR_RETURN(var, expr) \
  auto var = (expr);              \
  if (!var) return var.status()

Result<Snapshot> buildSnapshot(core::Notebook& nb, int64_t nowMs, int cadenceDays) {
  Snapshot s;
  s.generation = nb.generation();
  s.builtAtMs = nowMs;
  READ_OR_RETURN(skills, nb.listType(core::types::kSkill));
  s.skills = core::orderedSkills(typed<core::Skill>(*skills));
  READ_OR_RETURN(reps, nb.listType(core::types::kRep));
  s.reps = typed<core::Rep>(*reps);
  std::sort(s.reps.begin(), s.reps.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& r : s.reps) s.repNames[r.id] = r.name;
  READ_OR_RETURN(templates, nb.listType(core::types::kTemplate));
  s.templates = typed<core::Template>(*templates);
  std::sort(s.templates.begin(), s.templates.end(), [](const auto& a, const auto& b) { return a.name < b.name; });

  READ_OR_RETURN(overview, nb.teamOverview(nowMs));
  for (auto& o : *overview) {
    TeamRow row;
    auto due = core::coachingDue(o.lastCoachedMs, cadenceDays, nowMs);
    row.daysSinceCoached = due.daysSince;
    row.due = due.due;
    s.dueForCoaching += row.due;
    row.adherence = o.adherence;
    s.adherence += o.adherence;
    row.overview = std::move(o);
    s.team.push_back(std::move(row));
  }
  // Never coached first, then the longest since coaching.
  std::stable_sort(s.team.begin(), s.team.end(), [](const TeamRow& a, const TeamRow& b) {
    int da = a.daysSinceCoached < 0 ? 1 << 30 : a.daysSinceCoached;
    int db = b.daysSinceCoached < 0 ? 1 << 30 : b.daysSinceCoached;
    return da > db;
  });

  READ_OR_RETURN(openActions, nb.openActionsByDue(2000));
  s.openActions = typed<core::ActionItem>(*openActions);
  for (const auto& a : s.openActions) s.overdueActions += core::isOverdue(a, nowMs);

  // By start, from the open-sessions index (not every session ever held).
  READ_OR_RETURN(openSessions, nb.openSessions(2000));
  for (auto& sess : typed<core::Session>(*openSessions)) {
    core::Kept kept = core::keptOf(sess, nowMs);
    if (kept == core::Kept::kUpcoming) s.adherence.upcoming++;
    if (sess.status != core::values::session_status::kPlanned) s.inProgress.push_back(std::move(sess));
    else if (core::dayNumber(sess.startMs) < core::dayNumber(nowMs)) s.missed.push_back(std::move(sess));
    else s.planned.push_back(std::move(sess));
  }
  std::reverse(s.missed.begin(), s.missed.end());
  READ_OR_RETURN(conflicts, nb.conflicts());
  s.conflicts = std::move(conflicts).value();
  for (const auto& c : s.conflicts) {
    auto rec = nb.get(c.record);
    if (!rec && !rec.status().isNotFound()) return rec.status();
    if (!rec) continue;
    std::string name = rec->text("name");
    if (name.empty() && c.type != core::types::kRep)
      if (auto rep = core::Id16::parse(rec->text("rep"))) name = s.repName(rep);
    if (!name.empty()) s.conflictNames[c.record] = std::move(name);
  }
  READ_OR_RETURN(stats, nb.stats());
  s.stats = *stats;
  READ_OR_RETURN(device, nb.device());
  s.device = *device;
  s.dir = nb.dir();
  return s;
}

Result<RepDetail> buildRepDetail(core::Notebook& nb, const core::RecordId& rep) {
  READ_OR_RETURN(rec, nb.get(rep));
  if (rec->type != core::types::kRep) return Status::notFound(rep.str() + " is not a rep");
  RepDetail d;
  d.rep = core::Rep::from(*rec);
  READ_OR_RETURN(timeline, nb.repTimeline(rep, 5000));
  for (auto& e : *timeline) {
    if (e.record.deleted()) continue;
    if (e.type == core::types::kSession) d.sessions.push_back(core::Session::from(e.record));
    else if (e.type == core::types::kObservation) d.observations.push_back(core::Observation::from(e.record));
    else if (e.type == core::types::kAction) d.actions.push_back(core::ActionItem::from(e.record));
    else if (e.type == core::types::kGoal) d.goals.push_back(core::Goal::from(e.record));
    else if (e.type == core::types::kRating) {
      auto r = core::SkillRating::from(e.record);
      if (r.rating >= 1 && r.rating <= 5) d.ratings[r.skill].push_back({r.atMs, static_cast<int>(r.rating)});
    }
  }
  for (auto& [skill, points] : d.ratings)
    std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.atMs < b.atMs; });
  std::stable_sort(d.actions.begin(), d.actions.end(), [](const auto& a, const auto& b) {
    bool ao = a.status == core::values::action_status::kOpen, bo = b.status == core::values::action_status::kOpen;
    if (ao != bo) return ao;
    return byDue(a, b);
  });
  return d;
}

Result<SessionDetail> buildSessionDetail(core::Notebook& nb, const core::RecordId& session) {
  READ_OR_RETURN(rec, nb.get(session));
  if (rec->type != core::types::kSession) return Status::notFound(session.str() + " is not a session");
  SessionDetail d;
  d.session = core::Session::from(*rec);
  READ_OR_RETURN(observations, nb.sessionObservations(session));
  for (const auto& r : *observations)
    if (!r.deleted()) d.observations.push_back(core::Observation::from(r));
  std::sort(d.observations.begin(), d.observations.end(), [](const auto& a, const auto& b) { return a.atMs < b.atMs; });
  if (d.session.rep) {
    auto rep = nb.get(*d.session.rep);
    if (rep) d.repName = rep->text("name");
    else if (!rep.status().isNotFound()) return rep.status();
    // The session's actions and ratings hang off the rep's timeline.
    READ_OR_RETURN(timeline, nb.repTimeline(*d.session.rep, 5000));
    for (auto& e : *timeline) {
      if (e.record.deleted()) continue;
      if (e.type == core::types::kAction) {
        auto a = core::ActionItem::from(e.record);
        if (a.session == session) d.actions.push_back(std::move(a));
      } else if (e.type == core::types::kRating) {
        auto r = core::SkillRating::from(e.record);
        if (r.session == session) {
          d.ratings[r.skill] = static_cast<int>(r.rating);
          d.ratingIds[r.skill] = r.id;
        }
      }
    }
    std::sort(d.actions.begin(), d.actions.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  }
  if (d.session.templateId) {
    auto t = nb.get(*d.session.templateId);
    if (t) d.guide = core::Template::from(*t);
    else if (!t.status().isNotFound()) return t.status();
  }
  return d;
}

#undef READ_OR_RETURN

}  // namespace ridealong::gui
