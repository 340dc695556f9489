// RelayFuzzTarget: recorded sessions as seeds, one pipe connection per
// input, invariants checked through a well-behaved subscribed device.

#include "fuzz_targets.h"
#include "session_recorder.h"

namespace ridealong::testing {
namespace {

namespace wire = sync::wire;

sync::SpaceKeys seedKeys() {
  sync::SpaceSecret secret;
  secret.fill(7);
  return sync::SpaceKeys::derive(core::Id16::fromBytes(std::string(16, 's').data()), secret);
}

core::DeviceIdentity fixedIdentity(char id, uint8_t secret) {
  core::DeviceIdentity d;
  d.id = core::Id16::fromBytes(std::string(16, id).data());
  d.secret.fill(secret);
  return d;
}

// A stand-in for the digest of `actor`'s change `seq` (never all zeros).
std::string fixedDigest(const core::ActorId& actor, uint64_t seq) {
  std::string d = "digest " + actor.str().substr(0, 4) + "/" + std::to_string(seq);
  d.resize(sync::kDigestBytes, '#');
  return d;
}

// The relay checks shapes, not contents: fixed bytes keep the seeds stable.
// Each names the one before (prev), as a device does.
std::vector<sync::SealedChange> fixedChanges(const core::ActorId& actor, uint64_t from, uint64_t to) {
  std::vector<sync::SealedChange> out;
  for (uint64_t seq = from; seq <= to; ++seq) {
    sync::SealedChange c{actor, seq, std::string(sync::kNonceBytes, static_cast<char>('A' + seq)),
                         "sealed change number " + std::to_string(seq) + " ciphertext"};
    c.digest = fixedDigest(actor, seq);
    if (seq > 1) c.prev = fixedDigest(actor, seq - 1);
    out.push_back(std::move(c));
  }
  return out;
}

class CountingListener final : public wire::Listener::Server {
 public:
  explicit CountingListener(uint64_t& count) : count_(count) {}
  kj::Promise<void> changes(ChangesContext context) override {
    count_ += context.getParams().getChanges().size();
    return kj::READY_NOW;
  }

 private:
  uint64_t& count_;
};

kj::Promise<void> drain(kj::AsyncIoStream& s, kj::ArrayPtr<kj::byte> buf) {
  return s.tryRead(buf.begin(), 1, buf.size()).then([&s, buf](size_t n) -> kj::Promise<void> {
    if (n == 0) return kj::READY_NOW;
    return drain(s, buf);
  });
}

}  // namespace

struct RelayFuzzTarget::State {
  // The seeds are recorded on a relay of their own (so this one starts
  // empty), gone before this one's event loop exists: one loop per thread.
  State() : seeds(recordSeeds(keys, seedIdentity)), h(fixedChallenge()) {
    good = h.connect();
    sync::registerSpace(good->relay, keys).wait(h.ws());
    goodSession = sync::openSession(good->relay, keys, goodDevice).wait(h.ws());
    goodId = goodDevice.id;
    auto req = goodSession.subscribeRequest();
    req.setListener(kj::heap<CountingListener>(delivered));
    goodHandle = req.send().wait(h.ws()).getHandle();
    h.log.clear();
  }

  static std::vector<std::string> recordSeeds(const sync::SpaceKeys& keys, const core::DeviceIdentity& seedIdentity) {
    const core::ActorId& seedDevice = seedIdentity.id;
    auto deviceKey = sync::DeviceKey::fromSecret(seedIdentity.secret);
    std::vector<std::string> seeds;
    RelayHarness recorder(fixedChallenge());
    // 0: a whole session, each call awaited.
    seeds.push_back(recordClientStream(recorder, [&](wire::Relay::Client& relay, kj::WaitScope& ws) {
      sync::registerSpace(relay, keys).wait(ws);
      auto session = sync::openSession(relay, keys, seedIdentity).wait(ws);
      session.haveRequest().send().wait(ws);
      push(session, fixedChanges(seedDevice, 1, 3)).wait(ws);
      auto pull = session.pullRequest();
      pull.initSince();
      pull.setMaxBytes(1 << 20);
      pull.send().wait(ws);
      uint64_t ignored = 0;
      auto sub = session.subscribeRequest();
      sub.setListener(kj::heap<CountingListener>(ignored));
      sub.send().wait(ws);
      sync::fetchDigests(session, seedDevice, {1, 2, 3, 4}).wait(ws);
    }));
    // 1: hello, enrol, auth and session calls pipelined without waiting
    // (the challenge is fixed, so the signature is known up front).
    seeds.push_back(recordClientStream(recorder, [&](wire::Relay::Client& relay, kj::WaitScope& ws) {
      auto hello = relay.helloRequest();
      hello.setSpace(sync::dataOf(keys.space()));
      hello.setDevice(sync::dataOf(seedDevice));
      hello.setProtocolVersion(sync::kProtocolVersion);
      auto helloDone = hello.send();
      auto enrolled = sync::enrolDevice(relay, keys, seedDevice, deviceKey.publicKey());
      auto auth = relay.authRequest();
      auth.setSignature(
          sync::dataOf(deviceKey.signChallenge(std::string(sync::kChallengeBytes, 0x5a), keys.space(), seedDevice)));
      auto session = auth.send().getSession();
      auto pushed = push(session, fixedChanges(seedDevice, 4, 6));
      auto pull = session.pullRequest();
      sync::toWire(core::VersionVector{{seedDevice, 2}}, pull.initSince());
      pull.setMaxBytes(100);
      auto pulled = pull.send();
      auto have = session.haveRequest().send();
      auto digests = session.digestsRequest();
      digests.setActor(sync::dataOf(seedDevice));
      digests.initSeqs(3).set(1, 5);
      auto digested = digests.send();
      helloDone.wait(ws);
      enrolled.wait(ws);
      pushed.wait(ws);
      digested.wait(ws);
      pulled.wait(ws);
      have.wait(ws);
    }));
    // 2: refusals: a wrong protocol version, auth without hello, a bad key,
    // an enrolment not signed with the space key, auth of a device that is
    // not enrolled.
    seeds.push_back(recordClientStream(recorder, [&](wire::Relay::Client& relay, kj::WaitScope& ws) {
      (void)errorOf(sync::openSession(relay, keys, seedIdentity, {}, sync::kProtocolVersion + 1), ws);
      auto auth = relay.authRequest();
      auth.setSignature(sync::dataOf(std::string(sync::kSignatureBytes, 'x')));
      (void)errorOf(auth.send(), ws);
      auto reg = relay.registerRequest();
      reg.setSpace(sync::dataOf(keys.space()));
      reg.setAuthPublicKey(sync::dataOf(std::string_view("short")));
      (void)errorOf(reg.send(), ws);
      auto stranger = fixedIdentity('x', 9);
      auto strangerKey = sync::DeviceKey::fromSecret(stranger.secret);
      auto enrol = relay.enrolRequest();
      enrol.setSpace(sync::dataOf(keys.space()));
      enrol.setDevice(sync::dataOf(stranger.id));
      enrol.setDeviceKey(sync::dataOf(strangerKey.publicKey()));
      enrol.setSignature(sync::dataOf(std::string(sync::kSignatureBytes, 'e')));
      (void)errorOf(enrol.send(), ws);
      auto hello = relay.helloRequest();
      hello.setSpace(sync::dataOf(keys.space()));
      hello.setDevice(sync::dataOf(stranger.id));
      hello.setProtocolVersion(sync::kProtocolVersion);
      hello.send().wait(ws);
      auto notEnrolled = relay.authRequest();
      notEnrolled.setSignature(
          sync::dataOf(strangerKey.signChallenge(std::string(sync::kChallengeBytes, 0x5a), keys.space(), stranger.id)));
      (void)errorOf(notEnrolled.send(), ws);
    }));
    // 3: refused pushes in a session: another device's change, a fork, an
    // equivocation, a gap, too many digests.
    seeds.push_back(recordClientStream(recorder, [&](wire::Relay::Client& relay, kj::WaitScope& ws) {
      auto session = sync::openSession(relay, keys, seedIdentity).wait(ws);
      (void)errorOf(push(session, fixedChanges(fixedIdentity('o', 5).id, 1, 1)), ws);
      auto fork = fixedChanges(seedDevice, 7, 7);
      fork[0].prev = fixedDigest(seedDevice, 99);
      (void)errorOf(push(session, fork), ws);
      auto other = fixedChanges(seedDevice, 2, 2);
      other[0].digest = fixedDigest(seedDevice, 98);
      (void)errorOf(push(session, other), ws);
      (void)errorOf(push(session, fixedChanges(seedDevice, 9, 9)), ws);
      auto digests = session.digestsRequest();
      digests.setActor(sync::dataOf(seedDevice));
      digests.initSeqs(4097);
      (void)errorOf(digests.send(), ws);
    }));
    for (const auto& s : seeds) {
      if (s.size() < 64) throw FuzzFailure("recording a relay seed failed");
    }
    return seeds;
  }

  core::VersionVector have() {
    auto vv = sync::fromWire(goodSession.haveRequest().send().wait(h.ws()).getVv(), sync::WireLimits{});
    if (!vv) throw FuzzFailure("the relay's vv does not parse: " + vv.status().toString());
    return *vv;
  }

  void feed(std::string_view bytes) {
    auto before = h.hub().counters();
    uint64_t deliveredBefore = delivered;
    auto vvBefore = have();
    {
      auto pipe = kj::newTwoWayPipe();
      h.server().accept(kj::mv(pipe.ends[0]), "fuzz");
      auto& end = *pipe.ends[1];
      auto buf = kj::heapArray<kj::byte>(1 << 16);
      // Replies are read and dropped so the relay never waits on them.
      auto drained = drain(end, buf).eagerlyEvaluate([](kj::Exception&&) {});
      auto written = end.write(bytes.data(), bytes.size())
                         .then([&end]() { end.shutdownWrite(); })
                         .eagerlyEvaluate([](kj::Exception&&) {});
      h.ws().poll();
    }
    h.ws().poll();
    check(before, deliveredBefore, vvBefore);
  }

  void check(const relay::RelayCounters& before, uint64_t deliveredBefore, const core::VersionVector& vvBefore) {
    const auto& now = h.hub().counters();
    if (h.server().connectionCount() != 1)
      throw FuzzFailure(
          "connection not closed after the peer hung up: " + std::to_string(h.server().connectionCount()) + " open");
    if (h.hub().sessionCount() != 1) throw FuzzFailure("sessions leaked: " + std::to_string(h.hub().sessionCount()));
    if (h.hub().subscriptionCount() != 1)
      throw FuzzFailure("subscriptions leaked: " + std::to_string(h.hub().subscriptionCount()));
    uint64_t stored = now.changesStored - before.changesStored;
    if (delivered - deliveredBefore != stored)
      throw FuzzFailure("stored " + std::to_string(stored) + " changes but delivered " +
                        std::to_string(delivered - deliveredBefore) + " to the subscriber");
    auto vv = have();
    if (now.pushes == before.pushes && vv != vvBefore) throw FuzzFailure("the store changed without an accepted push");
    uint64_t total = 0, totalBefore = 0;
    for (const auto& [a, s] : vv) total += s;
    for (const auto& [a, s] : vvBefore) totalBefore += s;
    if (total - totalBefore != stored)
      throw FuzzFailure("the vv grew by " + std::to_string(total - totalBefore) + " but " + std::to_string(stored) +
                        " changes were stored");
    for (const auto& line : h.log) {
      if (line.find("task failed") != std::string::npos) throw FuzzFailure("relay log: " + line);
    }
    h.log.clear();
    // Now and then the well-behaved device writes and reads back.
    if (++fed % 32 == 0) {
      ++goodSeq;
      auto r = push(goodSession, fixedChanges(goodId, goodSeq, goodSeq)).wait(h.ws());
      auto after = sync::fromWire(r.getVv(), sync::WireLimits{});
      if (!after || after->at(goodId) != goodSeq) throw FuzzFailure("the well-behaved device's push was not stored");
    }
  }

  sync::SpaceKeys keys = seedKeys();
  core::DeviceIdentity seedIdentity = fixedIdentity('d', 4);
  core::DeviceIdentity goodDevice = fixedIdentity('g', 6);
  core::ActorId goodId;
  std::vector<std::string> seeds;
  RelayHarness h;
  kj::Own<RelayConnection> good;
  wire::SyncSession::Client goodSession = nullptr;
  wire::Handle::Client goodHandle = nullptr;
  uint64_t delivered = 0, goodSeq = 0, fed = 0;
};

RelayFuzzTarget::RelayFuzzTarget() : s_(std::make_unique<State>()) {}
RelayFuzzTarget::~RelayFuzzTarget() = default;
const std::vector<std::string>& RelayFuzzTarget::seeds() const { return s_->seeds; }
void RelayFuzzTarget::feed(std::string_view bytes) { s_->feed(bytes); }

uint64_t RelayFuzzTarget::sessionsOpened() const { return s_->h.hub().counters().authOk; }

std::string RelayFuzzTarget::summary() const {
  const auto& c = s_->h.hub().counters();
  return "sessions " + std::to_string(c.authOk) + ", auth failed " + std::to_string(c.authFailed) + ", pushes " +
         std::to_string(c.pushes) + " (" + std::to_string(c.changesStored) + " changes stored), refused " +
         std::to_string(c.refusedPushes) + ", pulls " + std::to_string(c.pulls);
}

uint64_t RelayFuzzTarget::changesInSeedSpace() {
  uint64_t total = 0;
  for (const auto& [actor, seq] : s_->have()) total += actor == s_->goodId ? 0 : seq;
  return total;
}

}  // namespace ridealong::testing
