// SyncEngine: keeps one notebook in step with its space on a relay. It runs
// on its own thread with its own kj event loop, so callers (the GUI thread,
// the CLI) never block on the network: start() / stop() the thread, wake()
// after each local commit, read status() at any time.
//
// One round: connect (TCP, two-party Cap'n Proto), hello/enrol/auth as this
// device, have; compare this device's own history with the relay's digests
// and re-key when another copy of the notebook forked it; push this
// device's own changes the relay lacks in pages; pull what this device does
// not hold in pages, each applied with one Notebook::applyChanges (one
// transaction, so a cut connection resumes without loss or duplicates; a
// change that cannot be applied is quarantined, the rest apply).
// docs/sync_engine.md has the details. Then it subscribes for live
// pushes and waits for a wake-up, a local commit seen in the store, or a
// disconnect. Failures reconnect with exponential backoff and jitter (capped
// at 60 s), at once on wake().
//
// Each change is sealed under the (actor, seq) its header names and, when
// received, checked against it: a change that does not open or claims
// another author is set aside, never applied.
//
// Thread-safety: start/stop/wake/status from any thread. The notebook is
// used from the engine thread only while it runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"
#include "ridealong/platform/status.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/tls.h"

namespace ridealong::sync {

struct SyncStatus {
  enum class State { kOffline, kConnecting, kSyncing, kUpToDate };
  State state = State::kOffline;
  uint64_t pushed = 0;          // changes sent since start
  uint64_t pulled = 0;          // changes received since start
  uint64_t pendingLocal = 0;    // local log entries the relay lacks (last known)
  int64_t lastSyncMs = 0;       // wall clock of the last time up to date; 0 never
  std::string lastError;        // "" when the last attempt went well
  core::VersionVector relayVv;  // the relay's vv as last seen
};

const char* stateName(SyncStatus::State s);

struct SyncEngineOptions {
  RelayEndpoint relay;  // where and how to trust it (tls.h)
  size_t pushPageChanges = 500;
  // Largest pulled page; each is one transaction (one fsync) on this
  // device. A pull starts at firstPullPageBytes and doubles each page, so
  // the first changes apply soon while later, larger pages are received
  // and opened during the apply of the one before (docs/sync_engine.md).
  uint32_t pullPageBytes = uint32_t{4} << 20;
  uint32_t firstPullPageBytes = uint32_t{1} << 20;
  uint32_t connectTimeoutMs = 5000;
  uint32_t callTimeoutMs = 30000;
  uint32_t initialBackoffMs = 250;
  uint32_t maxBackoffMs = 60000;
  // While connected, how often to look for commits made by other processes.
  uint32_t pollMs = 500;
  // While connected and quiet, a `have` call this often, so the relay's
  // idle timeout (10 minutes by default) never closes a live subscription.
  uint32_t heartbeatMs = 120000;
  // Write <notebook dir>/sync_state.json after each successful round.
  bool saveState = true;
  // Called on the engine thread whenever the status changes.
  std::function<void(const SyncStatus&)> onStatus;
};

class SyncEngine {
 public:
  SyncEngine(platform::Env& env, core::Notebook& notebook, const SpaceKeys& keys, SyncEngineOptions options);
  ~SyncEngine();  // stop()
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  // Starts the background thread (no-op when running).
  void start();
  // Asks the thread to finish and joins it.
  void stop();
  // A local commit happened: push it now (reconnects at once if offline).
  void wake();
  SyncStatus status() const;

  // One round on a fresh engine thread, joined before returning: ok when the
  // relay and this notebook hold the same changes; otherwise why not
  // ("cannot reach relay HOST:PORT: ..."). Not while start()ed.
  Status syncOnce();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// This device's own changes (its current id's, and its retired ids' up to
// what they kept) that a relay holding `relayVv` lacks: what sync has yet
// to push. Changes of other devices are theirs to push.
Result<uint64_t> ownChangesNotOn(core::Notebook& nb, const core::VersionVector& relayVv);

// Registers the space's auth public key on the relay (`space create`) with
// a sign-up token ("" for a relay with open sign-up): a short-lived thread
// with its own event loop, bounded by `timeoutMs`. Returns the key pin the
// relay presented. Unavailable ("cannot reach relay HOST:PORT: ...", a
// wrong key) or the relay's refusal (no token, a used-up token).
Result<KeyPin> registerSpaceOnRelay(const RelayEndpoint& relay, const SpaceKeys& keys, const std::string& token = {},
                                    uint32_t timeoutMs = 5000);
// Connects and handshakes only, to learn the relay's key (kFirstUse).
Result<KeyPin> probeRelayKey(const RelayEndpoint& relay, uint32_t timeoutMs = 5000);

}  // namespace ridealong::sync
