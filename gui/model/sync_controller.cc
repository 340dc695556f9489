#include "ridealong/gui/sync_controller.h"

namespace ridealong::gui {

SyncController::SyncController(platform::Env& env, core::Notebook& nb, bool autoStart) : env_(env), nb_(nb) {
  readNotices();
  auto m = sync::currentMembership(env_, nb_.dir());
  if (m) {
    adopt(*m);
    if (auto state = sync::loadSyncState(env_, nb_.dir())) view_.status.lastSyncMs = state->lastSyncMs;
    if (endpoint_.trust == sync::RelayTrust::kFirstUse) {
      // A space from before relays spoke TLS: pin the relay's key on a
      // worker (network), then start from poll().
      view_.busy = "Meeting the relay " + endpoint_.address + "...";
      worker_ = std::async(std::launch::async, [this, config = m->config]() -> Result<sync::Membership> {
        auto pinned = sync::pinRelayOnFirstUse(env_, nb_.dir(), config);
        if (!pinned) return pinned.status();
        return sync::currentMembership(env_, nb_.dir());
      });
    } else if (autoStart) {
      start();
    }
  } else if (!m.status().isNotFound()) {
    view_.error = m.status().message();
  }
}

void SyncController::readNotices() {
  auto notes = core::notices(nb_);
  if (notes) view_.notices = std::move(notes).value();
  else view_.error = "could not read the sync notices: " + notes.status().message();
}

SyncController::~SyncController() {
  if (worker_.valid()) worker_.wait();
  stop();
}

void SyncController::adopt(const sync::Membership& m) {
  view_.inSpace = true;
  endpoint_ = m.config.relay;
  view_.relay = sync::describe(m.config.relay);
  view_.space = m.config.space.str();
  view_.inviteCode = m.inviteCode;
  keys_ = sync::SpaceKeys::derive(m.config.space, m.config.secret);
}

void SyncController::createSpace(const std::string& relay, const std::string& relayKey, const std::string& token) {
  if (worker_.valid()) return;
  view_.error.clear();
  sync::RelayEndpoint endpoint{relay, sync::RelayTrust::kFirstUse, {}};
  if (!relayKey.empty()) {
    auto pin = sync::parsePin(relayKey);
    if (!pin) {
      view_.error = pin.status().message();
      return;
    }
    endpoint.trust = sync::RelayTrust::kPinned;
    endpoint.pin = *pin;
  }
  view_.busy = "Creating a space on " + relay + "...";
  worker_ = std::async(std::launch::async,
                       [this, endpoint, token] { return sync::createSpace(env_, nb_.dir(), endpoint, token); });
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
  options.relay = endpoint_;
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
    bool same = s.state == view_.status.state && s.pushed == view_.status.pushed && s.pulled == view_.status.pulled &&
                s.pendingLocal == view_.status.pendingLocal && s.lastSyncMs == view_.status.lastSyncMs &&
                s.lastError == view_.status.lastError;
    if (!same) {
      view_.status = std::move(s);
      readNotices();
      changed = true;
    }
  }
  return changed;
}

}  // namespace ridealong::gui
