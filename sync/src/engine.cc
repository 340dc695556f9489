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
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "engine_pages.h"
#include "own_history.h"
#include "page_applier.h"
#include "ridealong/core/trouble.h"
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

}  // namespace

Result<uint64_t> ownChangesNotOn(core::Notebook& nb, const core::VersionVector& relayVv) {
  auto onRelay = [&](const core::ActorId& a) {
    auto it = relayVv.find(a);
    return it == relayVv.end() ? uint64_t{0} : it->second;
  };
  auto self = nb.device();
  if (!self) return self.status();
  auto vv = nb.versionVector();
  if (!vv) return vv.status();
  auto retired = nb.retiredDevices();
  if (!retired) return retired.status();
  const uint64_t mine = (*vv)[*self];
  uint64_t n = mine > onRelay(*self) ? mine - onRelay(*self) : 0;
  for (const auto& r : *retired)
    if (r.keptUpTo > onRelay(r.identity.id)) n += r.keptUpTo - onRelay(r.identity.id);
  return n;
}

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
      // A fork to heal or a re-key to make: done by the next round.
      if (engine_.needRekey_ || engine_.needHeal_) engine_.wake();
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
    auto timeout =
        l.io.provider->getTimer().afterDelay(timeoutMs * kj::MILLISECONDS).then([what, timeoutMs]() -> kj::Promise<T> {
          return failure(what + " timed out after " + std::to_string(timeoutMs) + " ms");
        });
    auto stopped = l.stopped.addBranch().then([]() -> kj::Promise<T> { return failure("sync stopped"); });
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
    const std::string& relay = options_.relay.address;
    if (options_.relay.trust == RelayTrust::kFirstUse)
      throw failure("relay " + relay + ": its key is not pinned yet (pin it first: sync::pinRelayOnFirstUse)");
    try {
      auto channel =
          await(l, connectRelay(l.io.provider->getNetwork(), options_.relay), options_.connectTimeoutMs, "connecting");
      return kj::heap<RelayLink>(kj::mv(channel), WireLimits{}.readerOptions());
    } catch (const kj::Exception& e) {
      throw failure("cannot reach relay " + relay + ": " + describe(e));
    }
  }

  core::DeviceIdentity identity() {
    auto id = nb_.identity();
    if (!id) throw failure(id.status().withContext("reading this device's identity").toString());
    return *id;
  }

  // Signs in as `device` (this device's current id, or one it retired).
  wire::SyncSession::Client openSessionOn(Loop& l, RelayLink& conn, const core::DeviceIdentity& device) {
    return await(l, openSession(conn.relay, keys_, device, conn.binding), options_.callTimeoutMs,
                 "signing in to relay " + options_.relay.address);
  }

  wire::SyncSession::Client openSessionOn(Loop& l, RelayLink& conn) {
    auto device = identity();
    auto session = openSessionOn(l, conn, device);
    sessionDevice_ = device.id;
    return session;
  }

  // One transaction per page: a cut connection leaves whole pages only.
  // Called on the engine thread (live pushes) or the PageApplier's.
  Status applyOpened(OpenedPage& page) {
    if (page.changes.empty()) return Status::ok();
    auto report = nb_.applyChanges(page.changes);
    if (!report) return report.status().withContext("applying changes from the relay");
    page.summary.report = *report;
    if (report->ownFromElsewhere > 0) needRekey_ = true;
    if (report->conflictingDuplicates > 0) needHeal_ = true;
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
    PageApplier applier([this](OpenedPage& p) { return applyOpened(p); }, /*depth=*/1);
    // However this returns or throws, the pages received so far are applied
    // (whole and checked: keeping them loses nothing) and counted.
    KJ_DEFER({
      // Its status matters on the normal path only, which returns it below;
      // on an error path the error being returned or thrown is reported, and
      // a page that also failed to apply is pulled again next round (the
      // round starts from what the store holds).
      (void)applier.finish();
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

  // Seals and pushes `actor`'s changes after `relaySeq` up to `upTo` (0: all
  // held), in pages bounded by count and bytes (well under the RPC limit),
  // each chained to the digest of the change before it. The relay refuses a
  // page whose first change does not follow what it holds (a fork).
  Status pushOwn(Loop& l, wire::SyncSession::Client& session, const core::ActorId& actor, uint64_t relaySeq,
                 uint64_t upTo, core::VersionVector& relayVv) {
    std::string prev;
    if (relaySeq > 0) {
      auto before = nb_.changeAt(actor, relaySeq);
      if (!before) return before.status().withContext("reading change " + std::to_string(relaySeq) + " of this device");
      prev = keys_.digest(*before);
    }
    for (uint64_t after = relaySeq;;) {
      size_t want = options_.pushPageChanges;
      if (upTo > 0) want = static_cast<size_t>(std::min<uint64_t>(want, upTo - after));
      if (want == 0) return Status::ok();
      auto local = nb_.changesOf(actor, after, want);
      if (!local) return local.status();
      if (local->empty()) return Status::ok();
      std::vector<SealedChange> page;
      size_t bytes = 0;
      for (size_t i = 0; i < local->size(); ++i) {
        auto sealed = sealChange(keys_, (*local)[i], prev);
        if (!sealed) return sealed.status();
        prev = sealed->digest;
        bytes += sealed->ciphertext.size();
        page.push_back(std::move(*sealed));
        if (bytes >= (4u << 20) || i + 1 == local->size()) {
          after = page.back().seq;
          RIDEALONG_RETURN_IF_ERROR(pushPage(l, session, page, relayVv));
          page.clear();
          bytes = 0;
        }
      }
    }
  }

  Status pushPage(Loop& l, wire::SyncSession::Client& session, const std::vector<SealedChange>& page,
                  core::VersionVector& relayVv) {
    auto req = session.pushRequest();
    toWire(page, req.initChanges(static_cast<unsigned>(page.size())));
    auto reply = await(l, req.send(), options_.callTimeoutMs, "push");
    auto vv = fromWire(reply.getVv(), WireLimits{});
    if (!vv) return vv.status().withContext("the relay's version vector");
    // The reply holds the pushed actors' entries only; the relay's
    // entries only grow.
    for (const auto& [actor, seq] : *vv) relayVv[actor] = std::max(relayVv[actor], seq);
    update([&](SyncStatus& s) {
      s.pushed += page.size();
      s.relayVv = relayVv;
    });
    return Status::ok();
  }

  // The last seq at which this notebook and the relay hold the same change
  // of `actor`, looking at most up to min(local, relay).
  Result<uint64_t> sharedWithRelay(Loop& l, wire::SyncSession::Client& session, const core::ActorId& actor,
                                   uint64_t localSeq, const HeldVersion& relay) {
    uint64_t upTo = std::min(localSeq, relay.seq);
    auto local = [&](uint64_t seq) -> Result<std::string> {
      auto bytes = nb_.changeAt(actor, seq);
      if (!bytes) return bytes.status();
      return keys_.digest(*bytes);
    };
    auto remote = [&](uint64_t seq) -> Result<std::string> {
      if (seq == relay.seq) return relay.digest;
      auto d = await(l, fetchDigests(session, actor, {seq}), options_.callTimeoutMs, "digests");
      return d.at(0);
    };
    return lastSharedSeq(upTo, local, remote);
  }

  // Another copy of this notebook (a copied folder, a restored backup)
  // pushed other changes under one of this device's ids (its current one or
  // one it retired): this copy becomes a new device, its changes under that
  // id after the seq where the histories part re-issued under the new id
  // (core keeps the shared history and loses nothing), so the other copy's
  // changes can be pulled under the old id. Signs in again as the new id.
  // True when it re-keyed.
  Result<bool> healAgainstRelay(Loop& l, RelayLink& conn, wire::SyncSession::Client& session, const HeldVector& relay) {
    auto device = identity();
    auto vv = nb_.versionVector();
    if (!vv) return vv.status().withContext("reading this notebook's version vector");
    auto retired = nb_.retiredDevices();
    if (!retired) return retired.status().withContext("reading this notebook's retired ids");
    std::vector<std::pair<core::ActorId, uint64_t>> own{{device.id, (*vv)[device.id]}};
    for (const auto& r : *retired) {
      // A retired id's history only changes by a re-key: compared once.
      if (checkedRetired_[r.identity.id] != r.keptUpTo) own.emplace_back(r.identity.id, r.keptUpTo);
    }
    for (const auto& [actor, localSeq] : own) {
      auto it = relay.find(actor);
      bool same = it == relay.end() || localSeq == 0;
      uint64_t shared = 0;
      if (!same) {
        auto found = sharedWithRelay(l, session, actor, localSeq, it->second);
        if (!found) return found.status().withContext("comparing this device's changes with the relay's");
        shared = *found;
        same = shared == std::min(localSeq, it->second.seq);
      }
      if (same) {
        if (actor != device.id) checkedRetired_[actor] = localSeq;
        continue;
      }
      core::RekeyPlan plan{device.id,
                           {{actor, shared}},
                           "another copy of this notebook (a copied folder or a restored backup) sent "
                           "other changes as device " +
                               actor.str() + " after its change " + std::to_string(shared)};
      auto k = nb_.rekey(plan);
      if (!k) return k.status().withContext("re-keying after finding another copy of this notebook");
      session = openSessionOn(l, conn);
      return true;  // one fork a round: the next round compares again
    }
    return false;
  }

  // Changes this device wrote under an id it retired (before a copy was
  // found, say) that the relay lacks, pushed by signing in as that id
  // (once healAgainstRelay found the relay's history of it to be this one's).
  Status pushRetired(Loop& l, RelayLink& conn, const HeldVector& relay, core::VersionVector& relayVv) {
    auto retired = nb_.retiredDevices();
    if (!retired) return retired.status().withContext("reading this notebook's retired ids");
    for (const auto& r : *retired) {
      auto it = relay.find(r.identity.id);
      HeldVersion held = it == relay.end() ? HeldVersion{} : it->second;
      if (held.seq >= r.keptUpTo) continue;
      // Not compared yet (a re-key this round stopped the comparing): the
      // next round compares, then pushes.
      auto checked = checkedRetired_.find(r.identity.id);
      if (checked == checkedRetired_.end() || checked->second != r.keptUpTo) continue;
      auto session = openSessionOn(l, conn, r.identity);
      RIDEALONG_RETURN_IF_ERROR(pushOwn(l, session, r.identity.id, held.seq, r.keptUpTo, relayVv));
    }
    return Status::ok();
  }

  // After changes arrived: core::settleArrivals heals a fork found among
  // them or makes this copy a new device; then it signs in again as the new
  // id. True when it re-keyed.
  Result<bool> settleArrivals(Loop& l, RelayLink& conn, wire::SyncSession::Client& session) {
    bool forkSeen = needHeal_.exchange(false), ownArrived = needRekey_.exchange(false);
    if (!forkSeen && !ownArrived) return false;
    auto k = core::settleArrivals(nb_, forkSeen, ownArrived);
    if (!k) return k.status();
    if (!k->has_value()) return false;
    session = openSessionOn(l, conn);
    return true;
  }

  // have; heal a fork with the relay; push own pages; pull pages; settle
  // what arrived. Sets again_ when this device re-keyed (another round
  // compares the rest and pushes under the new id). Throws kj::Exception on
  // network errors.
  Status round(Loop& l, RelayLink& conn, wire::SyncSession::Client& session) {
    update([](SyncStatus& s) { s.state = SyncStatus::State::kSyncing; });
    {
      // This round reads the store after this point, so earlier wake-ups are
      // covered; later ones set the flag again.
      std::lock_guard lock(mu_);
      wakeRequested_ = false;
    }
    again_ = false;
    lastGeneration_ = nb_.generation();
    auto device = nb_.device();
    if (!device) return device.status().withContext("reading this device's id");
    if (*device != sessionDevice_) session = openSessionOn(l, conn);  // another process re-keyed
    auto have = await(l, session.haveRequest().send(), options_.callTimeoutMs, "have");
    auto held = heldFromWire(have.getVv(), WireLimits{});
    if (!held) return held.status().withContext("the relay's version vector");
    core::VersionVector relayVv = seqsOf(*held);

    auto healed = healAgainstRelay(l, conn, session, *held);
    if (!healed) return healed.status();
    if (*healed) {
      // The relay's view of the new id (none) and of what was re-issued.
      again_ = true;
    }
    {
      auto self = nb_.device();
      if (!self) return self.status().withContext("reading this device's id");
      auto vv = nb_.versionVector();
      if (!vv) return vv.status().withContext("reading this notebook's version vector");
      auto it = held->find(*self);
      uint64_t relaySeq = it == held->end() ? 0 : it->second.seq;
      if ((*vv)[*self] > relaySeq) RIDEALONG_RETURN_IF_ERROR(pushOwn(l, session, *self, relaySeq, 0, relayVv));
    }
    RIDEALONG_RETURN_IF_ERROR(pushRetired(l, conn, *held, relayVv));

    // From what this notebook holds, applied, waiting or quarantined: a
    // change set aside is not downloaded again and again.
    auto holds = nb_.heldVersionVector();
    if (!holds) return holds.status().withContext("reading what this notebook holds");
    core::VersionVector since = std::move(holds).value();
    RIDEALONG_RETURN_IF_ERROR(pullPages(l, session, since));
    for (const auto& [actor, seq] : since) relayVv[actor] = std::max(relayVv[actor], seq);
    auto settled = settleArrivals(l, conn, session);
    if (!settled) return settled.status();
    again_ = again_ || *settled;

    int64_t now = env_.clock().wallMs();
    auto pending = ownChangesNotOn(nb_, relayVv);
    if (!pending) return pending.status().withContext("counting this device's changes the relay lacks");
    update([&](SyncStatus& s) {
      s.state = again_ ? SyncStatus::State::kSyncing : SyncStatus::State::kUpToDate;
      s.relayVv = relayVv;
      s.pendingLocal = *pending;
      if (!again_) s.lastSyncMs = now;
      s.lastError.clear();
    });
    if (options_.saveState && !again_) {
      Status st = saveSyncState(env_, nb_.dir(), SyncState{now, relayVv, ""});
      if (!st) return st.withContext("saving the sync state");
    }
    return Status::ok();
  }

  // A re-key leaves changes under the new id to push: another round at
  // once (bounded: a round re-keys only when it found something new).
  Status rounds(Loop& l, RelayLink& conn, wire::SyncSession::Client& session) {
    Status st = round(l, conn, session);
    for (int i = 0; st && again_ && i < 4; ++i) st = round(l, conn, session);
    return st;
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
      Status st = rounds(l, *conn, session);
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
    Status first = rounds(l, conn, session);
    if (!first) throw failure(first.toString());
    int64_t lastCall = env_.clock().monoNs();
    while (!stopRequested()) {
      auto woke = nextWake().then([] { return true; });
      auto tick = l.io.provider->getTimer().afterDelay(options_.pollMs * kj::MILLISECONDS).then([] { return false; });
      auto dropped = disconnected.addBranch().then(
          []() -> kj::Promise<bool> { return failure("the relay closed the connection"); });
      auto stopped = l.stopped.addBranch().then([] { return false; });
      bool wakeUp = woke.exclusiveJoin(kj::mv(tick))
                        .exclusiveJoin(kj::mv(dropped))
                        .exclusiveJoin(kj::mv(stopped))
                        .wait(l.io.waitScope);
      if (stopRequested()) break;
      if (wakeUp || nb_.generation() != lastGeneration_) {
        Status st = rounds(l, conn, session);
        if (!st) throw failure(st.toString());
        lastCall = env_.clock().monoNs();
      } else if (env_.clock().monoNs() - lastCall > int64_t{options_.heartbeatMs} * 1000000) {
        await(l, session.haveRequest().send(), options_.callTimeoutMs, "heartbeat");
        lastCall = env_.clock().monoNs();
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
  uint64_t lastGeneration_ = 0;                       // engine thread only
  core::ActorId sessionDevice_;                       // the id the session signed in as; engine thread only
  bool again_ = false;                                // the last round re-keyed; engine thread only
  std::map<core::ActorId, uint64_t> checkedRetired_;  // retired id -> keptUpTo found shared
  // Set by whichever thread applied the changes (applier, engine).
  std::atomic<bool> needRekey_{false}, needHeal_{false};
  Status onceResult_;

  mutable std::mutex mu_;
  SyncStatus status_;
  bool stopRequested_ = false;
  bool wakeRequested_ = false;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> wakeFulfiller_;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> stopFulfiller_;
  std::thread thread_;
};

SyncEngine::SyncEngine(platform::Env& env, core::Notebook& notebook, const SpaceKeys& keys, SyncEngineOptions options)
    : impl_(std::make_unique<Impl>(env, notebook, keys, std::move(options))) {}
SyncEngine::~SyncEngine() = default;
void SyncEngine::start() { impl_->start(); }
void SyncEngine::stop() { impl_->stop(); }
void SyncEngine::wake() { impl_->wake(); }
SyncStatus SyncEngine::status() const { return impl_->status(); }
Status SyncEngine::syncOnce() { return impl_->syncOnce(); }

}  // namespace ridealong::sync
