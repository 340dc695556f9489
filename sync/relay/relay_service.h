// The relay's RPC service. RelayHub is the state shared by all connections
// of one relay process (the store, live subscriptions, limits, the log);
// newConnection() makes the per-connection bootstrap Relay capability that
// holds that connection's hello/auth state and, after a valid signature,
// hands out a SyncSession bound to one space.
//
// Single-threaded: everything runs on the relay's kj event loop. The hub must
// outlive every capability it made (RelayServer drops connections first).
#pragma once

#include <kj/async.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "relay/relay_store.h"
#include "ridealong/sync/sync.capnp.h"
#include "ridealong/sync/wire.h"

namespace ridealong::relay {

// One line per event, without a trailing newline.
using LogSink = std::function<void(std::string_view line)>;

struct RelayOptions {
  sync::WireLimits limits;
  size_t maxSessionsPerSpace = 64;  // authenticated sessions at once
  // Anyone may register a space (a personal relay); else only with a
  // sign-up token the operator made.
  bool openSignup = false;
  // Changes one space may store per minute, as a token bucket: a burst of
  // `changesBurst` (a first sync of a big notebook), refilled at this rate.
  // Over it a push is refused with OVERLOADED; the device retries later.
  uint64_t changesPerMinute = 6000;
  uint64_t changesBurst = 250000;
  // Fills each hello challenge; libsodium's randombytes when empty. Only
  // tests set it, to replay recorded sessions (fuzz seeds, a subscriber that
  // never reads): a fixed challenge makes a recorded signature valid again.
  // No flag sets it.
  std::function<void(uint8_t* out, size_t n)> challengeBytes;
};

// Asks the server to close a connection once the replies already queued on
// it have been sent (RelayServer installs it).
using CloseRequest = std::function<void(uint64_t connId, std::string reason)>;
// Whether the server has room to queue a push's fan-out now (null), or a
// promise to wait on before asking again (RelayServer installs it:
// backpressure, so fast pushers cannot outrun slow readers until the relay
// runs out of memory).
using PushGate = std::function<kj::Maybe<kj::Promise<void>>()>;

struct RelayCounters {
  uint64_t authOk = 0, authFailed = 0, tlsFailed = 0;
  uint64_t pushes = 0, changesStored = 0, duplicates = 0, refusedPushes = 0;
  uint64_t pulls = 0, notifications = 0;
  uint64_t refusedSubscribes = 0;
  uint64_t registered = 0, refusedRegistrations = 0;
  uint64_t bytesIn = 0, bytesOut = 0;  // sealed change bytes pushed / pulled and fanned out
  // Refusals by reason, for /metrics ("quota", "rate", "fork", "limit", ...).
  std::map<std::string, uint64_t> refusals;
};

class RelayHub final : private kj::TaskSet::ErrorHandler {
 public:
  RelayHub(RelayStore& store, RelayOptions options, LogSink log);
  ~RelayHub();
  RelayHub(const RelayHub&) = delete;
  RelayHub& operator=(const RelayHub&) = delete;

  // The bootstrap capability for connection `connId` (unique per process);
  // `binding`: the connection's TLS channel binding, which auth signatures
  // must cover (empty on an in-process plaintext pipe).
  sync::wire::Relay::Client newConnection(uint64_t connId, std::string binding = {});
  // Drops the connection's subscriptions; call before destroying its RPC system.
  void connectionClosed(uint64_t connId);
  // Whether the connection has passed auth at least once.
  bool authenticated(uint64_t connId) const { return authenticated_.count(connId) != 0; }
  // Calls a connection's sessions have made, for the idle timeout; each
  // also runs the queue hook (the server checks that connection's queue
  // once the reply is queued: pipelined calls never read must not grow it).
  void noteCall(uint64_t connId) {
    ++calls_[connId];
    if (queueHook_) queueHook_(connId);
  }
  uint64_t callsOf(uint64_t connId) const {
    auto it = calls_.find(connId);
    return it == calls_.end() ? 0 : it->second;
  }

  void setCloseRequest(CloseRequest close) { closeRequest_ = std::move(close); }
  void setPushGate(PushGate gate) { pushGate_ = std::move(gate); }
  // Called with a connection that has just been given more to send.
  void setQueueHook(std::function<void(uint64_t)> hook) { queueHook_ = std::move(hook); }
  // Whether a connection already has more queued than it may (the server
  // then closes it); asked before building a reply, so pipelined calls
  // that are never read stop costing memory at the limit.
  void setQueueFull(std::function<bool(uint64_t)> full) { queueFull_ = std::move(full); }
  bool queueFull(uint64_t connId) const { return queueFull_ && queueFull_(connId); }

  void log(uint64_t connId, std::string_view what);
  const RelayOptions& options() const { return options_; }
  const RelayCounters& counters() const { return counters_; }
  RelayCounters& counters() { return counters_; }
  RelayStore& store() { return store_; }
  size_t subscriptionCount() const;
  // Authenticated sessions alive, all spaces.
  size_t sessionCount() const;

 private:
  class RelayImpl;
  class SessionImpl;
  class HandleImpl;
  struct Subscriber {
    uint64_t connId;
    sync::wire::Listener::Client listener;
  };

  uint64_t subscribe(const SpaceId& space, uint64_t connId, sync::wire::Listener::Client listener);
  void unsubscribe(const SpaceId& space, uint64_t subId);
  // Sends `changes` to every subscriber of `space` not on connection `fromConn`.
  void fanOut(const SpaceId& space, uint64_t fromConn, const std::vector<SealedChange>& changes);
  void taskFailed(kj::Exception&& exception) override;

  RelayStore& store_;
  RelayOptions options_;
  LogSink log_;
  CloseRequest closeRequest_;
  PushGate pushGate_;
  std::function<void(uint64_t)> queueHook_;
  std::function<bool(uint64_t)> queueFull_;
  RelayCounters counters_;
  std::map<SpaceId, std::map<uint64_t, Subscriber>> subscribers_;
  std::map<SpaceId, size_t> sessions_;
  std::set<uint64_t> authenticated_;
  std::map<uint64_t, uint64_t> calls_;  // connection -> session calls so far
  struct Bucket {
    double tokens = 0;
    int64_t atMs = 0;
  };
  std::map<SpaceId, Bucket> rate_;  // changes-per-minute buckets of spaces that pushed
  // Takes `n` changes from the space's bucket; false (nothing taken) when
  // there are not enough, with the seconds until there are in `waitSec`.
  bool takeRate(const SpaceId& space, uint64_t n, uint64_t* waitSec);
  void refuse(const std::string& reason) { ++counters_.refusals[reason]; }
  // Wall clock, ms: token expiry and the rate buckets (the expiry test
  // moves it with faketime).
  int64_t now() const;
  uint64_t nextSubId_ = 1;
  kj::TaskSet tasks_;
};

}  // namespace ridealong::relay
