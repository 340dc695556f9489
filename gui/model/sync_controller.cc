#include "ridealong/gui/sync_controller.h"

namespace ridealong::gui {

SyncController::SyncController(platform::Env& env, core::Notebook& nb, bool autoStart)
    : env_(env), nb_(nb) {
  view_.notices = core::notices(nb_);
  auto m = sync::currentMembership(env_, nb_.dir());
  if (m) {
    adopt(*m);
    if (auto state = sync::loadSyncState(env_, nb_.dir())) view_.status.lastSyncMs = state->lastSyncMs;
    if (autoStart) start();
  } else if (!m.status().isNotFound()) {
    view_.error = m.status().message();
  }
}

SyncController::~SyncController() {
  if (worker_.valid()) worker_.wait();
  stop();
}

void SyncController::adopt(const sync::Membership& m) {
  view_.inSpace = true;
  view_.relay = m.config.relay;
  view_.space = m.config.space.str();
  view_.inviteCode = m.inviteCode;
  keys_ = sync::SpaceKeys::derive(m.config.space, m.config.secret);
}

void SyncController::createSpace(const std::string& relay) {
  if (worker_.valid()) return;
  view_.error.clear();
  view_.busy = "Creating a space on " + relay + "...";
  worker_ = std::async(std::launch::async,
                       [this, relay] { return sync::createSpace(env_, nb_.dir(), relay); });
}

void SyncController::joinSpace(const std::string& code) {
  if (worker_.valid()) return;
  view_.error.clear();
  view_.busy = "Joining the space...";
  worker_ = std::async(std::launch::async, [this, code] { return sync::joinSpace(env_, nb_.dir(), code); });
}

void SyncController::start() {
  if (!keys_ || engine_) return;
  sync::SyncEngineOptions options;
  options.relay = view_.relay;
  engine_ = std::make_unique<sync::SyncEngine>(env_, nb_, *keys_, options);
  engine_->start();
  view_.running = true;
}

void SyncController::stop() {
  if (!engine_) return;
  engine_->stop();
  view_.status = engine_->status();
  engine_.reset();
  view_.running = false;
  view_.status.state = sync::SyncStatus::State::kOffline;
}

void SyncController::wake() {
  if (engine_) engine_->wake();
}

bool SyncController::poll() {
  bool changed = false;
  if (worker_.valid() && worker_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    auto m = worker_.get();
    view_.busy.clear();
    if (m) {
      adopt(*m);
      start();
    } else {
      view_.error = m.status().message();
    }
    changed = true;
  }
  if (engine_) {
    auto s = engine_->status();
    bool same = s.state == view_.status.state && s.pushed == view_.status.pushed &&
                s.pulled == view_.status.pulled && s.pendingLocal == view_.status.pendingLocal &&
                s.lastSyncMs == view_.status.lastSyncMs && s.lastError == view_.status.lastError;
    if (!same) {
      view_.status = std::move(s);
      view_.notices = core::notices(nb_);
      changed = true;
    }
  }
  return changed;
}

}  // namespace ridealong::gui
