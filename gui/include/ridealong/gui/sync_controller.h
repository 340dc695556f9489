// The app's side of sync: whether this notebook is in a space, the engine
// running in the background when it is, and creating or joining a space on a
// worker thread (creating talks to the relay). Nothing here blocks the GUI
// thread: status is a snapshot, long work finishes in poll().
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ridealong/core/notebook.h"
#include "ridealong/core/trouble.h"
#include "ridealong/platform/env.h"
#include "ridealong/sync/engine.h"
#include "ridealong/sync/membership.h"

namespace ridealong::gui {

struct SyncView {
  bool inSpace = false;
  std::string relay, space, inviteCode;  // relay: address and how it is trusted; the code is a password
  bool running = false;                  // the engine is started
  sync::SyncStatus status;
  std::string busy;   // "Creating space on HOST:PORT..." while a worker runs
  std::string error;  // the last create/join failure, in words
  // What the person should know (a copy found, changes set aside, a wrong
  // clock), read from the store when the status changes, not every frame.
  std::vector<core::Notice> notices;
};

class SyncController {
 public:
  // `autoStart`: start the engine at once when the notebook is in a space.
  SyncController(platform::Env& env, core::Notebook& nb, bool autoStart);
  ~SyncController();

  const SyncView& view() const { return view_; }
  // On a worker: `relay` HOST:PORT, `relayKey` its pin ("" trusts the key
  // it presents now), `token` the operator's sign-up token ("" for open
  // sign-up).
  void createSpace(const std::string& relay, const std::string& relayKey = {}, const std::string& token = {});
  void joinSpace(const std::string& code);
  void start();
  void stop();
  // A local commit: push it now.
  void wake();
  // Picks up engine status and finished workers; true when the view changed.
  bool poll();

 private:
  void adopt(const sync::Membership& m);
  // Reads view_.notices; a failed read becomes view_.error.
  void readNotices();
  platform::Env& env_;
  core::Notebook& nb_;
  std::optional<sync::SpaceKeys> keys_;
  sync::RelayEndpoint endpoint_;
  std::unique_ptr<sync::SyncEngine> engine_;
  std::future<Result<sync::Membership>> worker_;
  SyncView view_;
};

}  // namespace ridealong::gui
