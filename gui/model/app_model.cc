#include "ridealong/gui/app_model.h"

#include <algorithm>

#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/demo.h"
#include "ridealong/core/schema.h"
#include "ridealong/core/starter.h"

namespace ridealong::gui {

Result<std::unique_ptr<AppModel>> AppModel::open(platform::Env& env, const std::string& dataDir,
                                                 const AppOptions& options) {
  core::NotebookOptions nbOptions;
  nbOptions.create = options.createIfMissing;
  bool isNew = !env.fs().exists(dataDir + "/device.id");
  auto nb = core::Notebook::open(env, dataDir, nbOptions);
  if (!nb) return nb.status();
  // First run: a new notebook starts with the standard competency model and
  // a coaching guide, unless asked to start empty or with the demo.
  if (isNew && options.starterContent && !options.demoIfEmpty) {
    auto r = core::addStarterContent(**nb);
    if (!r) return r.status().withContext("adding the starter competency model");
  }
  auto stats = (*nb)->stats();
  if (!stats) return stats.status().withContext("reading the notebook");
  if (options.demoIfEmpty && stats->records == 0) {
    core::DemoOptions demo;
    demo.nowMs = env.clock().wallMs();
    auto r = core::generateDemo(**nb, demo);
    if (!r) return r.status().withContext("writing the demo notebook");
  }
  return std::unique_ptr<AppModel>(new AppModel(env, std::move(*nb), options));
}

AppModel::AppModel(platform::Env& env, std::unique_ptr<core::Notebook> nb, const AppOptions& options)
    : env_(env), nb_(std::move(nb)), options_(options), drafts_(options.draftDebounceMs), searcher_(*nb_) {
  auto s = loadSettings(env_, nb_->dir());
  if (s) settings_ = *s;
  else note(s.status().message(), true);
  sync_ = std::make_unique<SyncController>(env_, *nb_, options.startSync);
  refresh();
}

AppModel::~AppModel() {
  saveDrafts();
  // Best effort: settingsChanged() already saved (and reported) every change;
  // at exit there is no status bar left to tell.
  (void)saveSettings(env_, nb_->dir(), settings_);
  sync_.reset();
}

void AppModel::note(std::string text, bool error) { notice_ = Notice{std::move(text), error, now()}; }

// ---- frame loop ----

void AppModel::refresh() {
  auto snap = buildSnapshot(*nb_, now(), settings_.cadenceDays);
  if (snap) {
    snap_ = std::move(snap).value();
  } else {
    // Keep showing what was last read rather than an empty screen, and say
    // why it is not current; read again at the next store change or minute.
    std::string error = "could not read the notebook: " + snap.status().message();
    if (error != snap_.error) note(error, true);
    snap_.error = std::move(error);
    snap_.generation = nb_->generation();
  }
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
  if (searcher_.poll()) {
    changed = true;
    if (!searcher_.error().empty()) note(searcher_.error(), true);
  }
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
      note("could not save your text: " +
               (rec.status().isNotFound() ? std::string("the record is gone") : rec.status().message()),
           true);
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
    if (!d) {
      if (!d.status().isNotFound()) note("could not read the rep: " + d.status().message(), true);
      return nullptr;
    }
    it = repCache_.emplace(rep, std::move(*d)).first;
  }
  return &it->second;
}

const SessionDetail* AppModel::sessionDetail(const core::RecordId& session) {
  auto it = sessionCache_.find(session);
  if (it == sessionCache_.end()) {
    auto d = buildSessionDetail(*nb_, session);
    if (!d) {
      if (!d.status().isNotFound()) note("could not read the session: " + d.status().message(), true);
      return nullptr;
    }
    it = sessionCache_.emplace(session, std::move(*d)).first;
  }
  return &it->second;
}

const std::vector<core::Record>& AppModel::trash() {
  if (!trashCache_) {
    auto t = nb_->trash();
    if (t) {
      trashCache_ = std::move(t).value();
    } else {
      // Not "the trash is empty": the banner says what failed until the
      // next refresh reads again.
      trashCache_.emplace();
      snap_.error = "could not read the trash: " + t.status().message();
      note(snap_.error, true);
    }
  }
  return *trashCache_;
}

// ---- commits ----

Status AppModel::commit(const core::ChangeBuilder& change, const std::string& label, bool undoable) {
  auto inverse = inverseOf(change, [this](const core::RecordId& id) { return nb_->get(id); });
  if (!inverse) {
    // The records could not be read, so neither can the edit be undone.
    note("could not " + label + ": " + inverse.status().message(), true);
    return inverse.status();
  }
  auto r = nb_->commit(change);
  if (!r) {
    // Nothing was written; say so in words. The caller keeps what was typed.
    note("could not " + label + ": " + r.status().message(), true);
    return r.status();
  }
  if (undoable) undo_.push({label, std::move(inverse).value()});
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

Status AppModel::run(const std::string& what, Result<core::Edit> edit) {
  if (!edit) {
    note("could not " + what + ": " + edit.status().message(), true);
    return edit.status();
  }
  return commit(edit->change, edit->label);
}

// ---- ride-along ----

void AppModel::setRideRep(const core::RecordId& rep) {
  if (rideRep_ != rep) activeCall_.reset();
  rideRep_ = rep;
  // Resume today's call still in progress, if any.
  if (const RepDetail* d = repDetail(rep))
    if (auto open = core::openCallToday(d->sessions, now())) activeCall_ = open;
}

std::vector<core::Session> AppModel::rideCalls() {
  if (!rideRep_) return {};
  const RepDetail* d = repDetail(*rideRep_);
  return d ? core::callsToday(d->sessions, now()) : std::vector<core::Session>{};
}

Status AppModel::startCall(const NewCall& call) {
  if (!rideRep_) return Status::invalidArgument("pick a rep first");
  auto edit = coach().startCall(*rideRep_, call, now());
  RIDEALONG_RETURN_IF_ERROR(run("start a call", edit));
  activeCall_ = edit->id;
  note("Call started" + (call.customer.empty() ? std::string() : " with " + call.customer));
  return Status::ok();
}

Status AppModel::capture(const std::string& skill, const std::string& kind, const std::string& text,
                         std::optional<int> rating) {
  if (!activeCall_) return Status::invalidArgument("start a call first");
  RIDEALONG_RETURN_IF_ERROR(
      run("capture an observation", coach().capture(*activeCall_, {skill, kind, text, rating}, now())));
  note((kind == core::values::observation_kind::kStrength ? "Strength: " : "Needs work: ") + skill);
  return Status::ok();
}

Status AppModel::endCall() {
  if (!activeCall_) return Status::invalidArgument("no call is running");
  core::RecordId call = *activeCall_;
  RIDEALONG_RETURN_IF_ERROR(run("end the call", coach().endCall(call, now())));
  activeCall_.reset();
  openDebrief(call);
  return Status::ok();
}

// ---- edits ----

Status AppModel::addRep(const std::string& name, const std::string& team, const std::string& territory) {
  RIDEALONG_RETURN_IF_ERROR(run("add a rep", coach().addRep({name, team, territory, {}})));
  note("Added " + name);
  return Status::ok();
}

Status AppModel::planSession(const core::RecordId& rep, int64_t startMs, const NewCall& call) {
  RIDEALONG_RETURN_IF_ERROR(run("plan a session", coach().newSession(rep, call, startMs, now())));
  note("Session planned for " + core::formatTimeMs(startMs).substr(0, 10));
  return Status::ok();
}

Status AppModel::startPlanned(const core::RecordId& session) {
  auto edit = coach().startPlanned(session, now());
  RIDEALONG_RETURN_IF_ERROR(run("start the session", edit));
  if (const SessionDetail* s = sessionDetail(session); s && s->session.rep) {
    rideRep_ = s->session.rep;
    activeCall_ = session;
  }
  go(Screen::kRideAlong);
  return Status::ok();
}

Status AppModel::reschedule(const core::RecordId& session, int64_t startMs) {
  RIDEALONG_RETURN_IF_ERROR(run("move the session", coach().reschedule(session, startMs, now())));
  note("Session moved to " + core::formatTimeMs(startMs).substr(0, 10));
  return Status::ok();
}

Status AppModel::addAction(const core::RecordId& rep, const std::optional<core::RecordId>& session,
                           const std::string& text, const std::string& owner, const std::string& due) {
  return run("add an action item", coach().addAction(rep, {session, text, owner, due}));
}

Status AppModel::addGoal(const core::RecordId& rep, const std::string& skill, const std::string& text,
                         const std::string& target) {
  return run("add a goal", coach().addGoal(rep, {skill, text, target}));
}

Status AppModel::rate(const core::RecordId& session, const std::string& skill, int rating) {
  return run("rate " + skill, coach().rate(session, skill, rating, now()));
}

Status AppModel::setCoachingStyle(const core::RecordId& rep, const std::string& style, const std::string& note) {
  return run("set the coaching style", coach().setCoachingStyle(rep, style, note));
}

Status AppModel::finishDebrief(const core::RecordId& session) {
  saveDrafts();
  RIDEALONG_RETURN_IF_ERROR(run("finish the debrief", coach().finishDebrief(session, now())));
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
  return run("keep a value", coach().resolveConflict(id, field, keep));
}

Status AppModel::addSkill(const std::string& name) {
  return run("add a skill", core::coach::addSkill(nb_->newId(), name, snap_.skills));
}

Status AppModel::moveSkill(const core::RecordId& skill, int delta) {
  return run("reorder skills", core::coach::moveSkill(snap_.skills, skill, delta));
}

Status AppModel::addTemplate(const std::string& name) { return run("add a coaching guide", coach().addGuide(name)); }

Status AppModel::addStarterContent() {
  auto r = core::addStarterContent(*nb_);
  if (!r) {
    note("could not add the standard competency model: " + r.status().message(), true);
    return r.status();
  }
  note(*r ? "Added the standard competency model and coaching guide" : "The standard model is already here");
  return Status::ok();
}

void AppModel::settingsChanged() {
  Status st = saveSettings(env_, nb_->dir(), settings_);
  if (!st) note("could not save settings: " + st.message(), true);
  refresh();
}

}  // namespace ridealong::gui
