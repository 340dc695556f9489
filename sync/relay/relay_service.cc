// Relay, SyncSession, Handle implementations and the subscription fan-out.
#include "relay/relay_service.h"

#include <kj/debug.h>
#include <sodium.h>

#include <capnp/orphan.h>
#include <algorithm>

#include <chrono>
#include <cstring>
#include <memory>
#include <optional>

namespace ridealong::relay {

namespace wire = sync::wire;
using sync::dataOf;
using sync::viewOf;

namespace {

// Expected refusals travel to the client as the call's exception; the
// description is what the device shows, so it is plain words.
[[noreturn]] void fail(const std::string& message, kj::Exception::Type type = kj::Exception::Type::FAILED) {
  kj::throwFatalException(kj::Exception(type, __FILE__, __LINE__, kj::str(message)));
}

template <typename T>
T orFail(Result<T> r) {
  if (!r) fail(r.status().message());
  return std::move(r).value();
}

}  // namespace

// Live subscription; dropping the last reference ends it.
class RelayHub::HandleImpl final : public wire::Handle::Server {
 public:
  HandleImpl(RelayHub& hub, SpaceId space, uint64_t subId, std::shared_ptr<bool> active)
      : hub_(hub), space_(space), subId_(subId), active_(std::move(active)) {
    *active_ = true;
  }
  ~HandleImpl() {
    *active_ = false;
    hub_.unsubscribe(space_, subId_);
  }

 private:
  RelayHub& hub_;
  SpaceId space_;
  uint64_t subId_;
  std::shared_ptr<bool> active_;  // shared with the session: it may outlive us or not
};

// One authenticated device in one space.
class RelayHub::SessionImpl final : public wire::SyncSession::Server {
 public:
  SessionImpl(RelayHub& hub, uint64_t connId, SpaceId space, core::ActorId device)
      : hub_(hub), connId_(connId), space_(space), device_(device) {
    ++hub_.sessions_[space_];
  }
  ~SessionImpl() {
    auto it = hub_.sessions_.find(space_);
    if (it != hub_.sessions_.end() && --it->second == 0) hub_.sessions_.erase(it);
  }

  // A client that keeps calling without reading its replies.
  void refuseIfNotReading() {
    if (!hub_.queueFull(connId_)) return;
    hub_.refuse("not_reading");
    fail("this connection is not reading its replies; the relay closes it", kj::Exception::Type::OVERLOADED);
  }

  kj::Promise<void> have(HaveContext context) override {
    hub_.noteCall(connId_);
    refuseIfNotReading();
    auto held = orFail(hub_.store_.heldVersions(space_));
    sync::toWire(held, context.getResults().initVv());
    return kj::READY_NOW;
  }

  kj::Promise<void> push(PushContext context) override {
    hub_.noteCall(connId_);
    // Checked and stored in one turn, so the next push sees this fan-out.
    if (hub_.pushGate_) {
      KJ_IF_MAYBE (wait, hub_.pushGate_()) {
        return wait->then([this, context]() mutable { return push(context); });
      }
    }
    return store(context);
  }

  kj::Promise<void> store(PushContext& context) {
    const auto& limits = hub_.options_.limits;
    auto list = context.getParams().getChanges();
    uint64_t waitSec = 0;
    if (list.size() <= limits.maxChangesPerPush && !hub_.takeRate(space_, list.size(), &waitSec)) {
      ++hub_.counters_.refusedPushes;
      hub_.refuse("rate");
      fail("space " + space_.str() + " is pushing faster than this relay allows (" +
               std::to_string(hub_.options_.changesPerMinute) + " changes a minute after a burst of " +
               std::to_string(hub_.options_.changesBurst) + "); try again in " + std::to_string(waitSec) + " s",
           kj::Exception::Type::OVERLOADED);
    }
    if (list.size() > limits.maxChangesPerPush) {
      hub_.refuse("limit");
      // Like any other limit: a clear error, then that connection is closed
      // (a well-behaved device pages its pushes and never gets here).
      ++hub_.counters_.refusedPushes;
      std::string why = "push of " + std::to_string(list.size()) + " changes is over the relay's limit of " +
                        std::to_string(limits.maxChangesPerPush) + " per push";
      hub_.log(connId_, "push refused: " + why);
      if (hub_.closeRequest_) hub_.closeRequest_(connId_, why);
      fail(why + "; send smaller pages (the relay closes this connection)");
    }
    auto changes = sync::fromWire(list, limits);
    if (!changes) {
      ++hub_.counters_.refusedPushes;
      hub_.refuse("malformed");
      fail("push refused: " + changes.status().message());
    }
    for (const auto& c : *changes) {
      if (c.actor == device_) continue;
      // A device's changes come from that device only (its key signed in
      // this session); nothing of such a push is stored.
      ++hub_.counters_.refusedPushes;
      hub_.refuse("foreign_device");
      std::string why = "push refused: change " + std::to_string(c.seq) + " of device " + c.actor.str() +
                        " in a session of device " + device_.str() + "; a device sends only its own changes";
      hub_.log(connId_, why);
      fail(why);
    }
    for (const auto& c : *changes) hub_.counters_.bytesIn += relay::pagedSize(c);
    auto r = hub_.store_.push(space_, *changes);
    if (!r) {
      ++hub_.counters_.refusedPushes;
      hub_.refuse(r.status().isDiskFull() ? "quota" : r.status().isCorruption() ? "equivocation" : "order");
      // Equivocation or a fork means a copied notebook or a broken device: worth a log line.
      hub_.log(connId_, "push refused from device " + device_.str() + ": " + r.status().toString());
      fail(r.status().message());
    }
    ++hub_.counters_.pushes;
    hub_.counters_.changesStored += r->stored;
    hub_.counters_.duplicates += r->duplicates;
    sync::toWire(r->vv, context.getResults().initVv());
    if (!r->storedIndexes.empty()) {
      std::vector<SealedChange> fresh;
      fresh.reserve(r->storedIndexes.size());
      for (size_t i : r->storedIndexes) {
        fresh.push_back(std::move((*changes)[i]));
        fresh.back().prev.clear();  // push only; others get what a pull gives
      }
      hub_.fanOut(space_, connId_, fresh);
    }
    return kj::READY_NOW;
  }

  kj::Promise<void> pull(PullContext context) override {
    hub_.noteCall(connId_);
    refuseIfNotReading();
    const auto& limits = hub_.options_.limits;
    auto params = context.getParams();
    auto since = sync::fromWire(params.getSince(), limits);
    if (!since) fail("pull refused: " + since.status().message());
    size_t maxBytes = std::clamp<size_t>(params.getMaxBytes(), 1, limits.maxPullBytes);
    auto page = orFail(hub_.store_.pull(space_, *since, maxBytes));
    ++hub_.counters_.pulls;
    for (const auto& c : page.changes) hub_.counters_.bytesOut += relay::pagedSize(c);
    auto results = context.getResults();
    sync::toWire(page.changes, results.initChanges(static_cast<unsigned>(page.changes.size())));
    results.setMore(page.more);
    return kj::READY_NOW;
  }

  kj::Promise<void> subscribe(SubscribeContext context) override {
    hub_.noteCall(connId_);
    // One at a time: each subscription is a listener the relay calls on
    // every push, so more would multiply one client's share of fan-out.
    if (*subscribed_) {
      ++hub_.counters_.refusedSubscribes;
      hub_.refuse("subscribe");
      fail(
          "subscribe refused: this session is already subscribed (one subscription per session; "
          "drop the handle to subscribe again)");
    }
    uint64_t subId = hub_.subscribe(space_, connId_, context.getParams().getListener());
    context.getResults().setHandle(kj::heap<HandleImpl>(hub_, space_, subId, subscribed_));
    return kj::READY_NOW;
  }

  kj::Promise<void> digests(DigestsContext context) override {
    hub_.noteCall(connId_);
    refuseIfNotReading();
    auto params = context.getParams();
    auto actor = sync::idFromWire(params.getActor(), "actor");
    if (!actor) fail("digests refused: " + actor.status().message());
    auto list = params.getSeqs();
    uint32_t most = hub_.options_.limits.maxDigestsPerCall;
    if (list.size() > most) {
      fail("digests refused: " + std::to_string(list.size()) + " seqs is over the relay's limit of " +
           std::to_string(most) + " per call");
    }
    std::vector<uint64_t> seqs;
    seqs.reserve(list.size());
    for (uint64_t seq : list) seqs.push_back(seq);
    auto found = orFail(hub_.store_.digestsAt(space_, *actor, seqs));
    auto out = context.getResults().initDigests(static_cast<unsigned>(found.size()));
    for (unsigned i = 0; i < found.size(); ++i) out.set(i, dataOf(found[i]));
    return kj::READY_NOW;
  }

 private:
  RelayHub& hub_;
  uint64_t connId_;
  SpaceId space_;
  core::ActorId device_;
  std::shared_ptr<bool> subscribed_ = std::make_shared<bool>(false);
};

// The bootstrap capability of one connection: register, hello, enrol, auth.
class RelayHub::RelayImpl final : public wire::Relay::Server {
 public:
  RelayImpl(RelayHub& hub, uint64_t connId, std::string binding)
      : hub_(hub), connId_(connId), binding_(std::move(binding)) {}

  kj::Promise<void> register_(RegisterContext context) override {
    auto params = context.getParams();
    auto space = orFail(sync::idFromWire(params.getSpace(), "space"));
    auto keyData = params.getAuthPublicKey();
    if (keyData.size() != 32) fail("auth public key must be 32 bytes");
    AuthPublicKey key;
    std::copy(keyData.begin(), keyData.end(), key.begin());
    SignUp signUp{hub_.options_.openSignup, params.getToken(), hub_.now()};
    auto fresh = hub_.store_.registerSpace(space, key, signUp);
    if (!fresh) {
      ++hub_.counters_.refusedRegistrations;
      hub_.refuse("signup");
      hub_.log(connId_, "register refused for space " + space.str() + ": " + fresh.status().toString());
      fail(fresh.status().message(), kj::Exception::Type::FAILED);
    }
    if (*fresh) ++hub_.counters_.registered;
    hub_.log(connId_, std::string(*fresh ? "registered" : "re-registered") + " space " + space.str());
    return kj::READY_NOW;
  }

  kj::Promise<void> hello(HelloContext context) override {
    auto params = context.getParams();
    pending_.reset();  // a new hello replaces any earlier challenge
    uint32_t theirs = params.getProtocolVersion();
    if (theirs != sync::kProtocolVersion) {
      hub_.log(connId_, "hello refused: protocol version " + std::to_string(theirs));
      fail("sync protocol version mismatch: the device speaks version " + std::to_string(theirs) +
           ", this relay speaks version " + std::to_string(sync::kProtocolVersion) + "; update the " +
           (theirs < sync::kProtocolVersion ? "app" : "relay"));
    }
    Pending p;
    p.space = orFail(sync::idFromWire(params.getSpace(), "space"));
    p.device = orFail(sync::idFromWire(params.getDevice(), "device"));
    auto key = hub_.store_.authKey(p.space);
    if (!key) {
      hub_.log(connId_, "hello refused: " + key.status().toString());
      fail(key.status().message());
    }
    auto deviceKey = hub_.store_.deviceKey(p.space, p.device);
    if (!deviceKey && !deviceKey.status().isNotFound()) fail(deviceKey.status().message());
    p.challenge.resize(sync::kChallengeBytes);
    auto* bytes = reinterpret_cast<uint8_t*>(p.challenge.data());
    if (hub_.options_.challengeBytes) hub_.options_.challengeBytes(bytes, p.challenge.size());
    else randombytes_buf(bytes, p.challenge.size());
    auto results = context.getResults();
    results.setChallenge(dataOf(p.challenge));
    results.setProtocolVersion(sync::kProtocolVersion);
    results.setEnrolled(deviceKey.isOk());
    pending_ = std::move(p);
    return kj::READY_NOW;
  }

  kj::Promise<void> enrol(EnrolContext context) override {
    auto params = context.getParams();
    auto space = orFail(sync::idFromWire(params.getSpace(), "space"));
    auto device = orFail(sync::idFromWire(params.getDevice(), "device"));
    auto deviceKey = orFail(sync::keyFromWire(params.getDeviceKey(), "device key"));
    auto refuse = [&](const std::string& why) {
      hub_.log(connId_, "enrol refused for device " + device.str() + " in space " + space.str() + ": " + why);
      fail(why);
    };
    auto spaceKey = hub_.store_.authKey(space);
    if (!spaceKey) refuse(spaceKey.status().message());
    if (!sync::verifyEnrolment(*spaceKey, viewOf(params.getSignature()), space, device, deviceKey)) {
      refuse(
          "enrolment not signed with the space's key (the device does not hold the space's "
          "secret)");
    }
    auto fresh = hub_.store_.enrolDevice(space, device, deviceKey);
    if (!fresh) {
      hub_.refuse(fresh.status().isDiskFull() ? "quota" : "enrol");
      refuse(fresh.status().message());
    }
    hub_.log(connId_,
             std::string(*fresh ? "enrolled" : "re-enrolled") + " device " + device.str() + " in space " + space.str());
    return kj::READY_NOW;
  }

  kj::Promise<void> auth(AuthContext context) override {
    if (!pending_) fail("auth without a hello: call hello first", kj::Exception::Type::FAILED);
    Pending p = std::move(*pending_);
    pending_.reset();  // one attempt per challenge
    // Looked up now, not at hello: an enrol pipelined between them counts.
    auto key = hub_.store_.deviceKey(p.space, p.device);
    if (!key) {
      ++hub_.counters_.authFailed;
      hub_.log(connId_, "auth failed: " + key.status().message());
      fail(key.status().message());
    }
    if (!sync::verifyAuth(*key, viewOf(context.getParams().getSignature()), p.challenge, p.space, p.device, binding_)) {
      // Also what a forwarded challenge gets: the device signed the
      // binding of its channel to the forwarder, not of this one.
      ++hub_.counters_.authFailed;
      hub_.log(connId_, "auth failed for device " + p.device.str() + " in space " + p.space.str());
      fail("authentication failed: this device does not hold its enrolled device key");
    }
    auto open = hub_.sessions_.find(p.space);
    if (open != hub_.sessions_.end() && open->second >= hub_.options_.maxSessionsPerSpace) {
      hub_.log(connId_, "auth refused: too many sessions in space " + p.space.str());
      fail("the relay has too many connections for this space; try again later", kj::Exception::Type::OVERLOADED);
    }
    ++hub_.counters_.authOk;
    hub_.authenticated_.insert(connId_);
    hub_.log(connId_, "authenticated device " + p.device.str() + " in space " + p.space.str());
    context.getResults().setSession(kj::heap<SessionImpl>(hub_, connId_, p.space, p.device));
    return kj::READY_NOW;
  }

 private:
  struct Pending {
    SpaceId space;
    core::ActorId device;
    std::string challenge;
  };
  RelayHub& hub_;
  uint64_t connId_;
  std::string binding_;
  std::optional<Pending> pending_;
};

RelayHub::RelayHub(RelayStore& store, RelayOptions options, LogSink log)
    : store_(store), options_(std::move(options)), log_(std::move(log)), tasks_(*this) {}

RelayHub::~RelayHub() = default;

wire::Relay::Client RelayHub::newConnection(uint64_t connId, std::string binding) {
  return kj::heap<RelayImpl>(*this, connId, std::move(binding));
}

int64_t RelayHub::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool RelayHub::takeRate(const SpaceId& space, uint64_t n, uint64_t* waitSec) {
  auto [it, fresh] = rate_.try_emplace(space);
  Bucket& b = it->second;
  int64_t t = now();
  double cap = static_cast<double>(options_.changesBurst);
  double perMs = static_cast<double>(options_.changesPerMinute) / 60000.0;
  b.tokens = fresh ? cap : std::min(cap, b.tokens + perMs * static_cast<double>(std::max<int64_t>(0, t - b.atMs)));
  b.atMs = t;
  // A push larger than the whole burst could never pass: let it through
  // when the bucket is full, so a legal page is never refused forever.
  if (static_cast<double>(n) <= b.tokens || b.tokens >= cap) {
    b.tokens = std::max(0.0, b.tokens - static_cast<double>(n));
    return true;
  }
  *waitSec = perMs > 0 ? static_cast<uint64_t>((static_cast<double>(n) - b.tokens) / perMs / 1000.0) + 1 : 60;
  return false;
}

void RelayHub::connectionClosed(uint64_t connId) {
  authenticated_.erase(connId);
  calls_.erase(connId);
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    std::erase_if(it->second, [&](const auto& e) { return e.second.connId == connId; });
    it = it->second.empty() ? subscribers_.erase(it) : std::next(it);
  }
}

void RelayHub::log(uint64_t connId, std::string_view what) {
  if (log_) log_("conn=" + std::to_string(connId) + " " + std::string(what));
}

size_t RelayHub::subscriptionCount() const {
  size_t n = 0;
  for (const auto& [space, subs] : subscribers_) n += subs.size();
  return n;
}

size_t RelayHub::sessionCount() const {
  size_t n = 0;
  for (const auto& [space, count] : sessions_) n += count;
  return n;
}

uint64_t RelayHub::subscribe(const SpaceId& space, uint64_t connId, wire::Listener::Client listener) {
  uint64_t id = nextSubId_++;
  subscribers_[space].emplace(id, Subscriber{connId, std::move(listener)});
  return id;
}

void RelayHub::unsubscribe(const SpaceId& space, uint64_t subId) {
  auto it = subscribers_.find(space);
  if (it == subscribers_.end()) return;
  it->second.erase(subId);
  if (it->second.empty()) subscribers_.erase(it);
}

void RelayHub::fanOut(const SpaceId& space, uint64_t fromConn, const std::vector<SealedChange>& changes) {
  auto it = subscribers_.find(space);
  if (it == subscribers_.end()) return;
  // One copy of each ciphertext for every subscriber's message: word-aligned
  // and zero-padded to a whole word (Cap'n Proto writes the padding, which
  // must not be whatever the heap held), referenced, not copied, by each
  // message. It lives as long as the slowest of those calls: a call's
  // promise settles only after its message was written, or when its
  // connection is gone and nothing more is written.
  struct Shared {
    std::vector<kj::Array<capnp::word>> blobs;
  };
  auto blobs = std::make_shared<Shared>();
  blobs->blobs.reserve(changes.size());
  for (const auto& c : changes) {
    auto words = kj::heapArray<capnp::word>((c.ciphertext.size() + 7) / 8);
    std::memset(words.begin(), 0, words.size() * sizeof(capnp::word));
    std::memcpy(words.begin(), c.ciphertext.data(), c.ciphertext.size());
    blobs->blobs.push_back(kj::mv(words));
  }
  for (auto& [subId, sub] : it->second) {
    if (sub.connId == fromConn) continue;
    auto req = sub.listener.changesRequest();
    auto list = req.initChanges(static_cast<unsigned>(changes.size()));
    for (unsigned i = 0; i < changes.size(); ++i) {
      const auto& c = changes[i];
      auto out = list[i];
      out.setActor(sync::dataOf(c.actor));
      out.setSeq(c.seq);
      out.setNonce(sync::dataOf(c.nonce));
      if (!c.digest.empty()) out.setDigest(sync::dataOf(c.digest));
      auto external = capnp::Orphanage::getForMessageContaining(out).referenceExternalData(
          capnp::Data::Reader(reinterpret_cast<const kj::byte*>(blobs->blobs[i].begin()), c.ciphertext.size()));
      out.adoptCiphertext(kj::mv(external));
    }
    ++counters_.notifications;
    for (const auto& c : changes) counters_.bytesOut += relay::pagedSize(c);
    if (queueHook_) queueHook_(sub.connId);
    // A listener that fails (gone, or refusing) loses its subscription; the
    // device catches up by pulling when it reconnects.
    uint64_t id = subId, conn = sub.connId;
    tasks_.add(req.send()
                   .ignoreResult()
                   .attach(std::shared_ptr<Shared>(blobs))
                   .catch_([this, space, id, conn](kj::Exception&& e) {
                     log(conn, "subscription dropped: " + std::string(e.getDescription().cStr()));
                     unsubscribe(space, id);
                   }));
  }
}

void RelayHub::taskFailed(kj::Exception&& exception) {
  if (log_) log_("internal task failed: " + std::string(exception.getDescription().cStr()));
}

}  // namespace ridealong::relay
