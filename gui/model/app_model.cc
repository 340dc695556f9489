#include "ridealong/gui/app_model.h"

#include <algorithm>

#include "ridealong/core/demo.h"
#include "ridealong/core/schema.h"

namespace ridealong::gui {

Result<std::unique_ptr<AppModel>> AppModel::open(platform::Env& env, const std::string& dataDir,
                                                 const AppOptions& options) {
  core::NotebookOptions nbOptions;
  nbOptions.create = options.createIfMissing;
  auto nb = core::Notebook::open(env, dataDir, nbOptions);
  if (!nb) return nb.status();
  if (options.demoIfEmpty && (*nb)->stats().records == 0) {
    core::DemoOptions demo;
    demo.nowMs = env.clock().wallMs();
    auto r = core::generateDemo(**nb, demo);
    if (!r) return r.status().withContext("writing the demo notebook");
  }
  return std::unique_ptr<AppModel>(new AppModel(env, std::move(*nb), options));
}

AppModel::AppModel(platform::Env& env, std::unique_ptr<core::Notebook> nb, const AppOptions& options)
    : env_(env),
      nb_(std::move(nb)),
      options_(options),
      drafts_(options.draftDebounceMs),
      searcher_(*nb_) {
  auto s = loadSettings(env_, nb_->dir());
  if (s) settings_ = *s;
  else note(s.status().message(), true);
  sync_ = std::make_unique<SyncController>(env_, *nb_, options.startSync);
  refresh();
}

AppModel::~AppModel() {
  saveDrafts();
  saveSettings(env_, nb_->dir(), settings_);
  sync_.reset();
}

void AppModel::note(std::string text, bool error) { notice_ = Notice{std::move(text), error, now()}; }

// ---- frame loop ----

void AppModel::refresh() {
  snap_ = buildSnapshot(*nb_, now(), settings_.cadenceDays);
  repCache_.clear();
  sessionCache_.clear();
  trashCache_.reset();
  drafts_.dropSaved();
  lastRedrawMinute_ = now() / 60000;
}

bool AppModel::update() {
  bool changed = saveDueDrafts(false);
  // Another process (the CLI, the sync engine) may have committed; and the
  // "days since" figures move with the clock.
  if (nb_->generation() != snap_.generation || now() / 60000 != lastRedrawMinute_) {
    refresh();
    changed = true;
  }
  if (sync_->poll()) changed = true;
  if (searcher_.poll()) changed = true;
  return changed;
}

int64_t AppModel::msUntilUpdate() const {
  int64_t wait = 1000;  // look for commits by other processes once a second
  if (int64_t due = drafts_.nextDueMs()) wait = std::min(wait, std::max<int64_t>(0, due - now()));
  if (searcher_.busy() || !sync_->view().busy.empty()) wait = std::min<int64_t>(wait, 50);
  return wait;
}

bool AppModel::saveDueDrafts(bool all) {
  auto due = drafts_.takeDue(now(), all);
  if (due.empty()) return false;
  // One change per record: all its fields typed in the same pause.
  std::map<core::RecordId, std::vector<TextDrafts::Due>> byRecord;
  for (auto& d : due) byRecord[d.record].push_back(std::move(d));
  for (auto& [id, fields] : byRecord) {
    auto rec = nb_->get(id);
    if (!rec) {
      for (const auto& d : fields) drafts_.markFailed(d);
      note("could not save your text: the record is gone", true);
      continue;
    }
    core::ChangeBuilder change;
    std::string label;
    for (const auto& d : fields) {
      if (rec->get(d.field) == core::Value(d.text)) continue;
      if (rec->get(d.field).isNull() && d.text.empty()) continue;
      change.set(id, d.field, core::Value(d.text));
      label = "edit " + core::fieldLabel(rec->type, d.field);
    }
    if (change.empty()) continue;
    if (!commit(change, label)) {
      for (const auto& d : fields) drafts_.markFailed(d);
    }
  }
  return true;
}

void AppModel::saveDrafts() { saveDueDrafts(true); }

// ---- navigation ----

void AppModel::go(Screen s) {
  if (s != screen_) saveDrafts();
  screen_ = s;
}

void AppModel::openRep(const core::RecordId& rep) {
  selectedRep_ = rep;
  go(Screen::kRep);
}

void AppModel::openDebrief(const core::RecordId& session) {
  debriefSession_ = session;
  go(Screen::kDebrief);
}

const RepDetail* AppModel::repDetail(const core::RecordId& rep) {
  auto it = repCache_.find(rep);
  if (it == repCache_.end()) {
    auto d = buildRepDetail(*nb_, rep);
    if (!d) return nullptr;
    it = repCache_.emplace(rep, std::move(*d)).first;
  }
  return &it->second;
}

const SessionDetail* AppModel::sessionDetail(const core::RecordId& session) {
  auto it = sessionCache_.find(session);
  if (it == sessionCache_.end()) {
    auto d = buildSessionDetail(*nb_, session);
    if (!d) return nullptr;
    it = sessionCache_.emplace(session, std::move(*d)).first;
  }
  return &it->second;
}

const std::vector<core::Record>& AppModel::trash() {
  if (!trashCache_) trashCache_ = nb_->trash();
  return *trashCache_;
}

// ---- commits ----

Status AppModel::commit(const core::ChangeBuilder& change, const std::string& label, bool undoable) {
  auto inverse = inverseOf(change, [this](const core::RecordId& id) { return nb_->get(id); });
  auto r = nb_->commit(change);
  if (!r) {
    // Nothing was written; say so in words. The caller keeps what was typed.
    note("could not " + label + ": " + r.status().message(), true);
    return r.status();
  }
  if (undoable) undo_.push({label, std::move(inverse)});
  sync_->wake();
  return Status::ok();
}

Status AppModel::undo() {
  saveDrafts();
  auto e = undo_.pop();
  if (!e) return Status::notFound("nothing to undo");
  Status st = commit(e->inverse, "undo " + e->label, /*undoable=*/false);
  if (st) note("Undid: " + e->label);
  return st;
}

Status AppModel::setField(const core::RecordId& id, const std::string& field, core::Value value,
                          const std::string& label) {
  core::ChangeBuilder c;
  c.set(id, field, std::move(value));
  return commit(c, label);
}

// ---- ride-along ----

void AppModel::setRideRep(const core::RecordId& rep) {
  if (rideRep_ != rep) activeCall_.reset();
  rideRep_ = rep;
  // Resume today's call still in progress, if any.
  for (const auto& s : rideCalls())
    if (s.status == "in_progress" && s.endMs == 0) activeCall_ = s.id;
}

std::vector<core::Session> AppModel::rideCalls() {
  std::vector<core::Session> out;
  if (!rideRep_) return out;
  const RepDetail* d = repDetail(*rideRep_);
  if (!d) return out;
  int64_t startOfDay = now() / kDayMs * kDayMs;
  for (const auto& s : d->sessions)
    if (s.startMs >= startOfDay && s.status != "planned") out.push_back(s);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.startMs < b.startMs; });
  return out;
}

Status AppModel::startCall(const NewCall& call) {
  if (!rideRep_) return Status::invalidArgument("pick a rep first");
  core::ChangeBuilder c;
  core::RecordId id = nb_->newId();
  core::FieldList f = {{"rep", rideRep_->str()},          {"start", now()},
                       {"type", call.type},                {"area", call.area},
                       {"status", std::string("in_progress")}};
  if (!call.customer.empty()) f.push_back({"customer", call.customer});
  if (!call.objective.empty()) f.push_back({"objective", call.objective});
  if (call.guide) f.push_back({"template", call.guide->str()});
  c.create(id, std::string(core::types::kSession), f);
  RIDEALONG_RETURN_IF_ERROR(commit(c, "start a call"));
  activeCall_ = id;
  note("Call started" + (call.customer.empty() ? std::string() : " with " + call.customer));
  return Status::ok();
}

Status AppModel::capture(const std::string& skill, const std::string& kind, const std::string& text,
                         std::optional<int> rating) {
  if (!activeCall_) return Status::invalidArgument("start a call first");
  const SessionDetail* s = sessionDetail(*activeCall_);
  if (!s || !s->session.rep) return Status::notFound("the call is gone");
  core::ChangeBuilder c;
  core::FieldList f = {{"session", activeCall_->str()}, {"rep", s->session.rep->str()},
                       {"at", now()},                   {"skill", skill},
                       {"kind", kind}};
  if (!text.empty()) f.push_back({"text", text});
  if (rating) f.push_back({"rating", *rating});
  c.create(nb_->newId(), std::string(core::types::kObservation), f);
  RIDEALONG_RETURN_IF_ERROR(commit(c, "capture an observation"));
  note((kind == "strength" ? "Strength: " : "Needs work: ") + skill);
  return Status::ok();
}

Status AppModel::endCall() {
  if (!activeCall_) return Status::invalidArgument("no call is running");
  core::RecordId call = *activeCall_;
  RIDEALONG_RETURN_IF_ERROR(setField(call, "end", core::Value(now()), "end the call"));
  activeCall_.reset();
  openDebrief(call);
  return Status::ok();
}

// ---- edits ----

Status AppModel::addRep(const std::string& name, const std::string& team, const std::string& territory) {
  core::ChangeBuilder c;
  core::FieldList f = {{"name", name}};
  if (!team.empty()) f.push_back({"team", team});
  if (!territory.empty()) f.push_back({"territory", territory});
  c.create(nb_->newId(), std::string(core::types::kRep), f);
  RIDEALONG_RETURN_IF_ERROR(commit(c, "add a rep"));
  note("Added " + name);
  return Status::ok();
}

Status AppModel::planSession(const core::RecordId& rep, int64_t startMs, const NewCall& call) {
  core::ChangeBuilder c;
  core::FieldList f = {{"rep", rep.str()}, {"start", startMs}, {"type", call.type},
                       {"area", call.area}, {"status", std::string("planned")}};
  if (!call.customer.empty()) f.push_back({"customer", call.customer});
  if (!call.objective.empty()) f.push_back({"objective", call.objective});
  if (call.guide) f.push_back({"template", call.guide->str()});
  c.create(nb_->newId(), std::string(core::types::kSession), f);
  RIDEALONG_RETURN_IF_ERROR(commit(c, "plan a session"));
  note("Session planned for " + core::formatTimeMs(startMs).substr(0, 10));
  return Status::ok();
}

Status AppModel::startPlanned(const core::RecordId& session) {
  auto rec = nb_->get(session);
  if (!rec) return Status::notFound("that session is gone");
  auto s = core::Session::from(*rec);
  core::ChangeBuilder c;
  c.set(session, "status", core::Value("in_progress"));
  c.set(session, "start", core::Value(now()));
  RIDEALONG_RETURN_IF_ERROR(commit(c, "start the session"));
  if (s.rep) {
    rideRep_ = s.rep;
    activeCall_ = session;
  }
  go(Screen::kRideAlong);
  return Status::ok();
}

Status AppModel::addAction(const core::RecordId& rep, const std::optional<core::RecordId>& session,
                           const std::string& text, const std::string& owner, const std::string& due) {
  core::ChangeBuilder c;
  core::FieldList f = {{"rep", rep.str()}, {"text", text}, {"owner", owner}, {"status", std::string("open")}};
  if (session) f.push_back({"session", session->str()});
  if (!due.empty()) f.push_back({"due", due});
  c.create(nb_->newId(), std::string(core::types::kAction), f);
  return commit(c, "add an action item");
}

Status AppModel::addGoal(const core::RecordId& rep, const std::string& skill, const std::string& text,
                         const std::string& target) {
  core::ChangeBuilder c;
  core::FieldList f = {{"rep", rep.str()}, {"text", text}, {"status", std::string("active")}};
  if (!skill.empty()) f.push_back({"skill", skill});
  if (!target.empty()) f.push_back({"target", target});
  c.create(nb_->newId(), std::string(core::types::kGoal), f);
  return commit(c, "add a goal");
}

Status AppModel::rate(const core::RecordId& session, const std::string& skill, int rating) {
  const SessionDetail* s = sessionDetail(session);
  if (!s || !s->session.rep) return Status::notFound("that session is gone");
  if (auto it = s->ratingIds.find(skill); it != s->ratingIds.end())
    return setField(it->second, "rating", core::Value(rating), "rate " + skill);
  core::ChangeBuilder c;
  c.create(nb_->newId(), std::string(core::types::kRating),
           {{"rep", s->session.rep->str()}, {"skill", skill}, {"rating", rating}, {"at", now()},
            {"session", session.str()}});
  return commit(c, "rate " + skill);
}

Status AppModel::finishDebrief(const core::RecordId& session) {
  saveDrafts();
  auto rec = nb_->get(session);
  if (!rec) return Status::notFound("that session is gone");
  core::ChangeBuilder c;
  c.set(session, "status", core::Value("done"));
  if (rec->get("end").isNull()) c.set(session, "end", core::Value(now()));
  RIDEALONG_RETURN_IF_ERROR(commit(c, "finish the debrief"));
  if (activeCall_ == session) activeCall_.reset();
  note("Debrief finished");
  return Status::ok();
}

Status AppModel::remove(const core::RecordId& id, const std::string& what) {
  core::ChangeBuilder c;
  c.remove(id);
  RIDEALONG_RETURN_IF_ERROR(commit(c, "delete " + what));
  note("Moved " + what + " to the trash (Ctrl+Z undoes)");
  return Status::ok();
}

Status AppModel::restore(const core::RecordId& id) {
  core::ChangeBuilder c;
  c.restore(id);
  RIDEALONG_RETURN_IF_ERROR(commit(c, "restore"));
  note("Restored");
  return Status::ok();
}

Status AppModel::resolve(const core::RecordId& id, const std::string& field, const core::Value& keep) {
  // A new set that has seen every sibling supersedes them all.
  return setField(id, field, keep, "keep a value");
}

Status AppModel::addSkill(const std::string& name) {
  int64_t position = snap_.skills.empty() ? 1 : snap_.skills.back().position + 1;
  core::ChangeBuilder c;
  c.create(nb_->newId(), std::string(core::types::kSkill), {{"name", name}, {"position", position}});
  return commit(c, "add a skill");
}

Status AppModel::moveSkill(const core::RecordId& skill, int delta) {
  auto& skills = snap_.skills;
  auto it = std::find_if(skills.begin(), skills.end(), [&](const auto& s) { return s.id == skill; });
  if (it == skills.end()) return Status::notFound("that skill is gone");
  auto i = static_cast<long>(it - skills.begin());
  long j = i + delta;
  if (j < 0 || j >= static_cast<long>(skills.size())) return Status::ok();
  // Positions may repeat (two devices added a skill at once): renumber the
  // whole list in its shown order, with the two swapped.
  std::vector<core::RecordId> order;
  for (const auto& s : skills) order.push_back(s.id);
  std::swap(order[i], order[j]);
  core::ChangeBuilder c;
  for (size_t k = 0; k < order.size(); k++)
    if (skills[k].id != order[k] || skills[k].position != static_cast<int64_t>(k + 1))
      c.set(order[k], "position", core::Value(static_cast<int64_t>(k + 1)));
  return commit(c, "reorder skills");
}

Status AppModel::addTemplate(const std::string& name) {
  core::ChangeBuilder c;
  c.create(nb_->newId(), std::string(core::types::kTemplate), {{"name", name}});
  return commit(c, "add a coaching guide");
}

void AppModel::settingsChanged() {
  Status st = saveSettings(env_, nb_->dir(), settings_);
  if (!st) note("could not save settings: " + st.message(), true);
  refresh();
}

}  // namespace ridealong::gui
