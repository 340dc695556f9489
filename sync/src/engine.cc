// SyncEngine: the engine thread, its kj event loop, status and wake-ups.
// Network waits are written as sequential .wait() calls on the engine's own
// loop (nothing else runs on that thread), each bounded by a timeout and
// interruptible by stop(); listener calls from the relay are served while
// the thread waits.
#include "ridealong/sync/engine.h"

#include <capnp/message.h>
#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/debug.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <thread>

#include "engine_pages.h"
#include "page_applier.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/space_config.h"
#include "ridealong/sync/wire.h"

namespace ridealong::sync {

const char* stateName(SyncStatus::State s) {
  switch (s) {
    case SyncStatus::State::kOffline: return "offline";
    case SyncStatus::State::kConnecting: return "connecting";
    case SyncStatus::State::kSyncing: return "syncing";
    case SyncStatus::State::kUpToDate: return "up to date";
  }
  return "?";
}

namespace {

kj::Exception failure(const std::string& text) {
  return kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__, kj::str(text.c_str()));
}

// "remote exception: authentication failed" -> "authentication failed".
std::string describe(const kj::Exception& e) {
  std::string d = e.getDescription().cStr();
  for (std::string_view prefix : {"remote exception: ", "std::exception: "}) {
    if (d.rfind(prefix, 0) == 0) d = d.substr(prefix.size());
  }
  return d;
}

uint64_t lacking(const core::VersionVector& mine, const core::VersionVector& theirs) {
  uint64_t n = 0;
  for (const auto& [actor, seq] : mine) {
    auto it = theirs.find(actor);
    uint64_t have = it == theirs.end() ? 0 : it->second;
    if (seq > have) n += seq - have;
  }
  return n;
}

}  // namespace

class SyncEngine::Impl {
 public:
  Impl(platform::Env& env, core::Notebook& nb, const SpaceKeys& keys, SyncEngineOptions options)
      : env_(env), nb_(nb), keys_(keys), options_(std::move(options)) {
    auto state = loadSyncState(env_, nb_.dir());
    if (state) {
      status_.lastSyncMs = state->lastSyncMs;
      status_.relayVv = state->relayVv;
    }
  }
  ~Impl() { stop(); }

  void start() {
    if (thread_.joinable()) return;
    {
      std::lock_guard lock(mu_);
      stopRequested_ = false;
    }
    thread_ = std::thread([this] { threadMain(/*once=*/false); });
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stopRequested_ = true;
      if (stopFulfiller_) stopFulfiller_->fulfill();
    }
    if (thread_.joinable()) thread_.join();
  }

  void wake() {
    std::lock_guard lock(mu_);
    wakeRequested_ = true;
    if (wakeFulfiller_) wakeFulfiller_->fulfill();
  }

  SyncStatus status() const {
    std::lock_guard lock(mu_);
    return status_;
  }

  Status syncOnce() {
    if (thread_.joinable()) return Status::busy("the sync engine is already running");
    {
      std::lock_guard lock(mu_);
      stopRequested_ = false;
    }
    std::thread t([this] { threadMain(/*once=*/true); });
    t.join();
    return onceResult_;
  }

  // Serves the relay's live pushes on the engine thread.
  class Listener final : public wire::Listener::Server {
   public:
    explicit Listener(Impl& engine) : engine_(engine) {}
    kj::Promise<void> changes(ChangesContext context) override {
      Status st = engine_.applyPage(context.getParams().getChanges());
      if (!st) return failure(st.toString());
      engine_.lastGeneration_ = engine_.nb_.generation();
      engine_.update([](SyncStatus& s) {});
      return kj::READY_NOW;
    }

   private:
    Impl& engine_;
  };

 private:
  struct Loop {
    kj::AsyncIoContext io = kj::setupAsyncIo();
    kj::ForkedPromise<void> stopped = nullptr;
  };

  void update(const std::function<void(SyncStatus&)>& f) {
    SyncStatus copy;
    {
      std::lock_guard lock(mu_);
      f(status_);
      copy = status_;
    }
    if (options_.onStatus) options_.onStatus(copy);
  }

  // Waits for `p` on the engine loop; throws a kj::Exception after
  // `timeoutMs` ("<what> timed out") or when stop() is called.
  template <typename T>
  T await(Loop& l, kj::Promise<T> p, uint32_t timeoutMs, const std::string& what) {
    auto timeout = l.io.provider->getTimer().afterDelay(timeoutMs * kj::MILLISECONDS).then(
        [what, timeoutMs]() -> kj::Promise<T> {
          return failure(what + " timed out after " + std::to_string(timeoutMs) + " ms");
        });
    auto stopped = l.stopped.addBranch().then(
        []() -> kj::Promise<T> { return failure("sync stopped"); });
    return p.exclusiveJoin(kj::mv(timeout)).exclusiveJoin(kj::mv(stopped)).wait(l.io.waitScope);
  }

  // A promise fulfilled by the next wake() (at once if one came already).
  kj::Promise<void> nextWake() {
    std::lock_guard lock(mu_);
    if (wakeRequested_) {
      wakeRequested_ = false;
      return kj::READY_NOW;
    }
    auto pair = kj::newPromiseAndCrossThreadFulfiller<void>();
    wakeFulfiller_ = kj::mv(pair.fulfiller);
    return kj::mv(pair.promise);
  }

  bool stopRequested() {
    std::lock_guard lock(mu_);
    return stopRequested_;
  }

  void threadMain(bool once) {
    Loop l;
    {
      std::lock_guard lock(mu_);
      auto pair = kj::newPromiseAndCrossThreadFulfiller<void>();
      if (stopRequested_ && !once) pair.fulfiller->fulfill();
      stopFulfiller_ = kj::mv(pair.fulfiller);
      l.stopped = pair.promise.fork();
    }
    if (once) {
      onceResult_ = runOnce(l);
    } else {
      runLoop(l);
    }
    std::lock_guard lock(mu_);
    stopFulfiller_ = nullptr;
    wakeFulfiller_ = nullptr;
  }

  // Connects and authenticates; errors name the relay.
  kj::Own<RelayLink> connect(Loop& l) {
    update([](SyncStatus& s) { s.state = SyncStatus::State::kConnecting; });
    const std::string& relay = options_.relay;
    try {
      auto addr = await(l, l.io.provider->getNetwork().parseAddress(relay.c_str(), 7420),
                        options_.connectTimeoutMs, "looking up the address");
      auto stream = await(l, addr->connect(), options_.connectTimeoutMs, "connecting");
      return kj::heap<RelayLink>(kj::mv(stream), WireLimits{}.readerOptions());
    } catch (const kj::Exception& e) {
      throw failure("cannot reach relay " + relay + ": " + describe(e));
    }
  }

  wire::SyncSession::Client openSessionOn(Loop& l, RelayLink& conn) {
    return await(l, openSession(conn.relay, keys_, nb_.device()), options_.callTimeoutMs,
                 "signing in to relay " + options_.relay);
  }

  // One transaction per page: a cut connection leaves whole pages only.
  // Called on the engine thread (live pushes) or the PageApplier's.
  Status applyOpened(const OpenedPage& page) {
    if (page.changes.empty()) return Status::ok();
    auto report = nb_.applyChanges(page.changes);
    if (!report) return report.status().withContext("applying changes from the relay");
    return Status::ok();
  }

  void countApplied(const std::vector<PageSummary>& pages) {
    if (pages.empty()) return;
    update([&](SyncStatus& s) {
      for (const auto& page : pages) {
        s.pulled += page.changes;
        for (const auto& [actor, seq] : page.relayHas) s.relayVv[actor] = std::max(s.relayVv[actor], seq);
      }
    });
  }

  Status applyPage(capnp::List<wire::SealedChange>::Reader page) {
    auto opened = openPage(keys_, page);
    if (!opened) return opened.status();
    RIDEALONG_RETURN_IF_ERROR(applyOpened(*opened));
    countApplied({opened->summary});
    return Status::ok();
  }

  // Pulls pages from `since` until the relay has no more, advancing `since`
  // by what was received (not by the store's vv: changes waiting for their
  // deps must not be asked for again and again). Three stages overlap: the
  // relay reads and sends the next page (asked for before this one is
  // opened) while this thread receives and opens one and the applier
  // applies the one before (the store's writer; one transaction per page, in
  // order). Status is updated here, on the engine thread, as pages land.
  // Throws kj::Exception on network errors.
  Status pullPages(Loop& l, wire::SyncSession::Client& session, core::VersionVector& since) {
    uint32_t pageBytes = std::min(options_.firstPullPageBytes, options_.pullPageBytes);
    auto pull = [&](const core::VersionVector& from) {
      auto req = session.pullRequest();
      toWire(from, req.initSince());
      req.setMaxBytes(pageBytes);
      pageBytes = pageBytes > options_.pullPageBytes / 2 ? options_.pullPageBytes : pageBytes * 2;
      auto sent = req.send();
      l.io.waitScope.poll();  // writes the request now, not at the next wait
      return sent;
    };
    PageApplier applier([this](const OpenedPage& p) { return applyOpened(p); }, /*depth=*/1);
    // However this returns or throws, the pages received so far are applied
    // (whole and checked: keeping them loses nothing) and counted.
    KJ_DEFER({
      applier.finish();
      countApplied(applier.takeApplied());
    });
    auto next = pull(since);
    for (bool more = true; more;) {
      auto reply = await(l, kj::mv(next), options_.callTimeoutMs, "pull");
      countApplied(applier.takeApplied());
      for (auto c : reply.getChanges()) {
        auto actor = idFromWire(c.getActor(), "actor");
        if (actor) since[*actor] = std::max(since[*actor], c.getSeq());
      }
      more = reply.getMore() && reply.getChanges().size() > 0;
      if (more) next = pull(since);
      auto opened = openPage(keys_, reply.getChanges());
      if (!opened) return opened.status();
      RIDEALONG_RETURN_IF_ERROR(applier.push(std::move(*opened)));
    }
    return applier.finish();
  }

  // have, push pages, pull pages. Throws kj::Exception on network errors.
  Status round(Loop& l, wire::SyncSession::Client& session) {
    update([](SyncStatus& s) { s.state = SyncStatus::State::kSyncing; });
    {
      // This round reads the store after this point, so earlier wake-ups are
      // covered; later ones set the flag again.
      std::lock_guard lock(mu_);
      wakeRequested_ = false;
    }
    lastGeneration_ = nb_.generation();
    auto have = await(l, session.haveRequest().send(), options_.callTimeoutMs, "have");
    auto relayVv = fromWire(have.getVv(), WireLimits{});
    if (!relayVv) return relayVv.status().withContext("the relay's version vector");

    auto local = nb_.changesSince(*relayVv);
    if (!local) return local.status();
    for (size_t i = 0; i < local->size();) {
      std::vector<SealedChange> page;
      size_t bytes = 0;
      // Bounded by count and size so a page stays well under the RPC limit.
      for (; i < local->size() && page.size() < options_.pushPageChanges && bytes < (4u << 20);
           ++i) {
        auto sealed = sealChange(keys_, (*local)[i]);
        if (!sealed) return sealed.status();
        bytes += sealed->ciphertext.size();
        page.push_back(std::move(*sealed));
      }
      auto req = session.pushRequest();
      toWire(page, req.initChanges(static_cast<unsigned>(page.size())));
      auto reply = await(l, req.send(), options_.callTimeoutMs, "push");
      auto vv = fromWire(reply.getVv(), WireLimits{});
      if (!vv) return vv.status().withContext("the relay's version vector");
      *relayVv = std::move(*vv);
      update([&](SyncStatus& s) {
        s.pushed += page.size();
        s.relayVv = *relayVv;
      });
    }

    core::VersionVector since = nb_.versionVector();
    RIDEALONG_RETURN_IF_ERROR(pullPages(l, session, since));
    for (const auto& [actor, seq] : since) (*relayVv)[actor] = std::max((*relayVv)[actor], seq);

    int64_t now = env_.clock().wallMs();
    uint64_t pending = lacking(nb_.versionVector(), *relayVv);
    update([&](SyncStatus& s) {
      s.state = SyncStatus::State::kUpToDate;
      s.relayVv = *relayVv;
      s.pendingLocal = pending;
      s.lastSyncMs = now;
      s.lastError.clear();
    });
    if (options_.saveState) {
      Status st = saveSyncState(env_, nb_.dir(), SyncState{now, *relayVv, ""});
      if (!st) return st.withContext("saving the sync state");
    }
    return Status::ok();
  }

  // Records the failure, also for `sync status` (best effort: the error
  // being reported matters more than saving it).
  void fail(const std::string& error) {
    SyncState saved;
    update([&](SyncStatus& s) {
      s.state = SyncStatus::State::kOffline;
      s.lastError = error;
      saved = SyncState{s.lastSyncMs, s.relayVv, error};
    });
    if (options_.saveState) (void)saveSyncState(env_, nb_.dir(), saved);
  }

  Status runOnce(Loop& l) {
    try {
      auto conn = connect(l);
      auto session = openSessionOn(l, *conn);
      Status st = round(l, session);
      if (!st) fail(st.toString());
      return st;
    } catch (const kj::Exception& e) {
      fail(describe(e));
      return Status::unavailable(describe(e));
    }
  }

  // Connected: subscribe, a first round, then a round on every wake-up or
  // store change, until the connection drops (throws) or stop() is called.
  // Subscribing before the first pull leaves no window in which another
  // device's push is neither pulled nor delivered.
  void serve(Loop& l, RelayLink& conn, wire::SyncSession::Client& session) {
    auto req = session.subscribeRequest();
    req.setListener(kj::heap<Listener>(*this));
    auto handle = await(l, req.send(), options_.callTimeoutMs, "subscribe").getHandle();
    auto disconnected = conn.network.onDisconnect().fork();
    Status first = round(l, session);
    if (!first) throw failure(first.toString());
    while (!stopRequested()) {
      auto woke = nextWake().then([] { return true; });
      auto tick = l.io.provider->getTimer().afterDelay(options_.pollMs * kj::MILLISECONDS).then(
          [] { return false; });
      auto dropped = disconnected.addBranch().then(
          []() -> kj::Promise<bool> { return failure("the relay closed the connection"); });
      auto stopped = l.stopped.addBranch().then([] { return false; });
      bool wakeUp = woke.exclusiveJoin(kj::mv(tick))
                        .exclusiveJoin(kj::mv(dropped))
                        .exclusiveJoin(kj::mv(stopped))
                        .wait(l.io.waitScope);
      if (stopRequested()) break;
      if (wakeUp || nb_.generation() != lastGeneration_) {
        Status st = round(l, session);
        if (!st) throw failure(st.toString());
      }
    }
  }

  void runLoop(Loop& l) {
    std::mt19937_64 rng(std::random_device{}());
    uint32_t backoffMs = options_.initialBackoffMs;
    while (!stopRequested()) {
      try {
        auto conn = connect(l);
        auto session = openSessionOn(l, *conn);
        backoffMs = options_.initialBackoffMs;
        serve(l, *conn, session);
      } catch (const kj::Exception& e) {
        if (stopRequested()) break;
        fail(describe(e));
      }
      if (stopRequested()) break;
      // Jitter in [delay/2, delay] keeps many devices from retrying in step.
      uint32_t delay = backoffMs / 2 + static_cast<uint32_t>(rng() % (backoffMs / 2 + 1));
      backoffMs = std::min(options_.maxBackoffMs, backoffMs * 2);
      auto timer = l.io.provider->getTimer().afterDelay(delay * kj::MILLISECONDS);
      auto stopped = l.stopped.addBranch();
      nextWake().exclusiveJoin(kj::mv(timer)).exclusiveJoin(kj::mv(stopped)).wait(l.io.waitScope);
    }
    update([](SyncStatus& s) { s.state = SyncStatus::State::kOffline; });
  }

  platform::Env& env_;
  core::Notebook& nb_;
  SpaceKeys keys_;
  SyncEngineOptions options_;
  uint64_t lastGeneration_ = 0;  // engine thread only
  Status onceResult_;

  mutable std::mutex mu_;
  SyncStatus status_;
  bool stopRequested_ = false;
  bool wakeRequested_ = false;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> wakeFulfiller_;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> stopFulfiller_;
  std::thread thread_;
};

SyncEngine::SyncEngine(platform::Env& env, core::Notebook& notebook, const SpaceKeys& keys,
                       SyncEngineOptions options)
    : impl_(std::make_unique<Impl>(env, notebook, keys, std::move(options))) {}
SyncEngine::~SyncEngine() = default;
void SyncEngine::start() { impl_->start(); }
void SyncEngine::stop() { impl_->stop(); }
void SyncEngine::wake() { impl_->wake(); }
SyncStatus SyncEngine::status() const { return impl_->status(); }
Status SyncEngine::syncOnce() { return impl_->syncOnce(); }

}  // namespace ridealong::sync
