// Limits that hold against a client that abuses its own session, through a
// real ridealong-relay process on loopback, while an honest device of
// another space keeps syncing.
#include <catch2/catch.hpp>

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine_fixture.h"
#include "ok_value.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"
#include "sanitizers.h"
#include "tcp_device.h"

namespace ridealong::sync {
namespace {

class NullListener final : public wire::Listener::Server {
 public:
  kj::Promise<void> changes(ChangesContext) override { return kj::READY_NOW; }
};

std::string errorOf(kj::Promise<void> p, kj::WaitScope& ws) {
  try {
    p.wait(ws);
  } catch (const kj::Exception& e) {
    return e.getDescription().cStr();
  }
  return "";
}

TEST_CASE("relay process: one subscription per session, and another once it is dropped",
          "[sync][relay-process][abuse]") {
  TwoDeviceSpace honest;
  kj::AsyncIoContext io = kj::setupAsyncIo();
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  testing::TcpDevice d(io, honest.relay, keys);
  registerSpace(d.relay, keys).wait(io.waitScope);
  auto session = openSession(d.relay, keys, d.identity, d.binding).wait(io.waitScope);
  auto subscribe = [&] {
    auto req = session.subscribeRequest();
    req.setListener(kj::heap<NullListener>());
    return req.send();
  };
  auto first = subscribe().wait(io.waitScope).getHandle();
  // A client that tries to multiply its listeners gets a clear refusal.
  for (int i = 0; i < 3; ++i)
    CHECK_THAT(errorOf(subscribe().ignoreResult(), io.waitScope),
               Catch::Contains("already subscribed (one subscription per session"));
  // Dropping the handle ends the subscription; then a new one is fine.
  { auto drop = kj::mv(first); }
  session.haveRequest().send().wait(io.waitScope);  // the release reaches the relay first
  auto second = subscribe().wait(io.waitScope).getHandle();

  // Meanwhile an honest device of another space syncs as usual.
  commitReps(*honest.a, 3);
  SyncEngineOptions o;
  o.relay = testing::endpointOf(honest.relay);
  o.saveState = false;
  SyncEngine a(platform::realEnv(), *honest.a, honest.keys, o);
  REQUIRE(a.syncOnce());
  SyncEngine b(platform::realEnv(), *honest.b, honest.keys, o);
  REQUIRE(b.syncOnce());
  CHECK(OK_VALUE(honest.b->dump()) == OK_VALUE(honest.a->dump()));
}

}  // namespace
}  // namespace ridealong::sync

namespace ridealong::sync {
namespace {

// Plain TCP connections that never say a word: each holds one of the
// relay's file descriptors. `from`: the source address (any of 127/8 is
// this machine), so one test can be two clients.
std::vector<int> openSockets(int port, int n, const char* from = "127.0.0.1") {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    REQUIRE(::inet_pton(AF_INET, from, &src.sin_addr) == 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) == 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    fds.push_back(fd);
  }
  return fds;
}

TEST_CASE("relay process: out of file descriptors, accept fails, is logged and retried, never fatal",
          "[sync][relay-process][abuse][slow]") {
  // Under ASan the relay held at 48 descriptors refused the honest device
  // once its flood was accepted (a CI run, not yet understood; the normal
  // build passes): left to the normal suite until it is (docs/testing.md).
  if (testing::kUnderAsan) {
    WARN("skipped under ASan");
    return;
  }
  testing::TempDir tmp;
  // 48 descriptors: the store and the listener take a few, so 80 silent
  // connections exhaust them (the rest wait in the listen backlog).
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), "127.0.0.1:0",
                              {"--auth-timeout", "2"}, {"/usr/bin/prlimit", "--nofile=48:48"});
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys).isOk());
  auto flood = openSockets(relay.port(), 80);
  REQUIRE(eventually([&] { return relay.log().find("accept failed") != std::string::npos; }, 10000));
  CHECK_THAT(relay.log(), Catch::Contains("Too many open files"));
  CHECK(relay.alive());
  // The flood's connections are closed by the auth deadline (2 s) as they
  // are accepted; then an honest device syncs.
  auto a = openNotebook(tmp.sub("a"));
  commitReps(*a, 2);
  SyncEngineOptions o;
  o.relay = testing::endpointOf(relay);
  o.saveState = false;
  o.connectTimeoutMs = 20000;
  o.callTimeoutMs = 20000;
  SyncEngine engine(platform::realEnv(), *a, keys, o);
  Status st = engine.syncOnce();
  INFO(st.toString());
  CHECK(st);
  CHECK(engine.status().pushed == 2);
  for (int fd : flood) ::close(fd);
  CHECK(relay.alive());
}

}  // namespace
}  // namespace ridealong::sync

namespace ridealong::sync {
namespace {

TEST_CASE("relay process: an idle authenticated connection is closed, a syncing device's heartbeat keeps it",
          "[sync][relay-process][abuse]") {
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), "127.0.0.1:0",
                              {"--idle-timeout", "1"});
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys).isOk());
  auto a = openNotebook(tmp.sub("a"));
  auto b = openNotebook(tmp.sub("b"));
  SyncEngineOptions o;
  o.relay = testing::endpointOf(relay);
  o.saveState = false;
  o.heartbeatMs = 300;
  SyncEngine live(platform::realEnv(), *b, keys, o);
  live.start();
  REQUIRE(eventually([&] { return live.status().state == SyncStatus::State::kUpToDate; }));

  // A client that signs in and then says nothing.
  kj::AsyncIoContext io = kj::setupAsyncIo();
  testing::TcpDevice silent(io, relay, keys);
  auto session = openSession(silent.relay, keys, silent.identity, silent.binding).wait(io.waitScope);
  REQUIRE(eventually([&] { return relay.log().find("idle: no call for 1 s") != std::string::npos; }, 10000));
  CHECK_FALSE(errorOf(session.haveRequest().send().ignoreResult(), io.waitScope).empty());  // closed

  // Three idle timeouts later the live device is still subscribed: a change
  // from another device reaches it without a reconnect.
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  uint64_t connects = 0;
  const std::string signIn = "authenticated device " + OK_VALUE(b->device()).str();
  for (size_t at = 0; (at = relay.log().find(signIn, at)) != std::string::npos; ++at) ++connects;
  CHECK(connects == 1);
  commitReps(*a, 1);
  SyncEngine once(platform::realEnv(), *a, keys, o);
  REQUIRE(once.syncOnce());
  CHECK(eventually([&] { return live.status().pulled == 1; }, 10000));
  live.stop();
}

}  // namespace
}  // namespace ridealong::sync

namespace ridealong::sync {
namespace {

// The soft open-files limit raised to the hard one (as the relay does);
// the number of descriptors this process may hold.
size_t raiseOpenFiles() {
  rlimit lim{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &lim) == 0);
  lim.rlim_cur = lim.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &lim);
  ::getrlimit(RLIMIT_NOFILE, &lim);
  return lim.rlim_cur == RLIM_INFINITY ? size_t{1} << 20 : static_cast<size_t>(lim.rlim_cur);
}

TEST_CASE("relay process: thousands of connections from one address do not crowd out other devices",
          "[sync][relay-process][abuse]") {
  // 2,000 where the limits allow (a fresh machine's hard limit may be 1,024).
  const int floodSize = static_cast<int>(std::min<size_t>(2000, raiseOpenFiles() - 200));
  REQUIRE(floodSize > 300);
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys).isOk());
  double idle = honestRoundTrip(relay, tmp, "idle");
  uint64_t rssBefore = relay.statusField("VmRSS:");
  // A script on 127.0.0.2 opens its connections and keeps them.
  auto flood = openSockets(relay.port(), floodSize, "127.0.0.2");
  REQUIRE(eventually([&] { return relay.log().find("--max-connections-per-address") != std::string::npos; }));
  // An honest device on 127.0.0.1 syncs meanwhile.
  double during = honestRoundTrip(relay, tmp, "during");
  WARN("abuse figure, " << floodSize << " connections from one address: honest sync " << idle << " ms idle, " << during
                        << " ms during; relay peak RSS " << (relay.peakRssBytes() >> 20) << " MiB");
  // Only 256 of them were served; the relay stayed small.
  size_t accepted = 0;
  for (size_t at = 0; (at = relay.log().find("accepted connection from 127.0.0.2", at)) != std::string::npos; ++at)
    ++accepted;
  CHECK(accepted == 256);
  if (testing::kRssMeaningful) CHECK(relay.statusField("VmRSS:") < rssBefore + (uint64_t{64} << 20));
  for (int fd : flood) ::close(fd);
  CHECK(relay.alive());
}

}  // namespace
}  // namespace ridealong::sync

namespace ridealong::sync {
namespace {

// A socket whose reads can be switched off: TLS and RPC go on above it, but
// once `paused` nothing the relay sends is taken, as with a client that
// stops reading and keeps sending.
class PausableStream final : public kj::AsyncIoStream {
 public:
  explicit PausableStream(kj::Own<kj::AsyncIoStream> inner) : inner_(kj::mv(inner)) {}
  bool paused = false;
  kj::Promise<size_t> tryRead(void* buf, size_t min, size_t max) override {
    if (paused) return kj::NEVER_DONE;
    return inner_->tryRead(buf, min, max);
  }
  kj::Promise<void> write(const void* buf, size_t size) override { return inner_->write(buf, size); }
  kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override {
    return inner_->write(pieces);
  }
  kj::Promise<void> whenWriteDisconnected() override { return inner_->whenWriteDisconnected(); }
  void shutdownWrite() override { inner_->shutdownWrite(); }

 private:
  kj::Own<kj::AsyncIoStream> inner_;
};

TEST_CASE("relay process: pipelined pulls never read close that connection, the relay stays small",
          "[sync][relay-process][abuse]") {
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), "127.0.0.1:0",
                              {"--max-queued-mib", "2"});
  double idle = honestRoundTrip(relay, tmp, "idle");
  kj::AsyncIoContext io = kj::setupAsyncIo();
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys));
  auto raw = io.provider->getNetwork().parseAddress(relay.address()).wait(io.waitScope)->connect().wait(io.waitScope);
  auto pausable = kj::heap<PausableStream>(kj::mv(raw));
  auto& valve = *pausable;
  auto tls = TlsClient::make(testing::endpointOf(relay));
  REQUIRE(tls);
  testing::TcpDevice d((*tls)->wrap(kj::mv(pausable)).wait(io.waitScope), keys);
  auto session = openSession(d.relay, keys, d.identity, d.binding).wait(io.waitScope);
  // 4 MiB of its own changes on the relay, in pushes of 40.
  std::string body(100000, 'n');
  for (uint64_t from = 1; from <= 40; from += 10) {
    std::vector<SealedChange> cs;
    for (uint64_t seq = from; seq < from + 10; ++seq)
      cs.push_back(keys.seal(d.id, seq, body, seq > 1 ? keys.digest(body) : ""));
    auto req = session.pushRequest();
    toWire(cs, req.initChanges(10));
    req.send().wait(io.waitScope);
  }
  uint64_t rssBefore = relay.rssBytes();
  // Then it stops reading and pipelines 200 pulls of everything (800 MiB
  // of replies if the relay queued them all).
  valve.paused = true;
  std::vector<kj::Promise<void>> pulls;
  for (int i = 0; i < 200; ++i) {
    auto req = session.pullRequest();
    req.initSince();
    req.setMaxBytes(8u << 20);
    pulls.push_back(req.send().ignoreResult().catch_([](kj::Exception&&) {}));
    io.waitScope.poll();
  }
  REQUIRE(eventually(
      [&] {
        io.waitScope.poll();
        return relay.log().find("not reading:") != std::string::npos;
      },
      20000));
  if (testing::kRssMeaningful) CHECK(relay.peakRssBytes() < rssBefore + (uint64_t{96} << 20));
  // An honest device of another space on the same relay syncs as usual.
  double during = honestRoundTrip(relay, tmp, "during");
  WARN("abuse figure, 200 pipelined unread pulls: honest sync "
       << idle << " ms idle, " << during << " ms after; relay peak RSS " << (relay.peakRssBytes() >> 20) << " MiB");
  CHECK(relay.alive());
}

}  // namespace
}  // namespace ridealong::sync

namespace ridealong::sync {
namespace {

TEST_CASE("relay process: 2000 signed-in idle connections from one address: 256 served, others sync",
          "[sync][relay-process][abuse]") {
  const int attempts = static_cast<int>(std::min<size_t>(2000, raiseOpenFiles() - 200));
  REQUIRE(attempts > 300);
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  double idle = honestRoundTrip(relay, tmp, "idle");
  uint64_t rssBefore = relay.rssBytes();
  // A script on 127.0.0.2 signs devices of its own spaces in (TLS, enrol,
  // auth) and keeps every session, doing nothing with them.
  // Spread over 8 spaces: one space takes 64 sessions at most.
  kj::AsyncIoContext io = kj::setupAsyncIo();
  std::vector<SpaceKeys> spaces;
  for (int i = 0; i < 8; ++i) {
    spaces.push_back(SpaceKeys::derive(newSpaceId(), newSpaceSecret()));
    REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), spaces.back()));
  }
  auto tls = TlsClient::make(testing::endpointOf(relay));
  REQUIRE(tls);
  struct Held {
    kj::Own<testing::TcpDevice> device;
    wire::SyncSession::Client session = nullptr;
  };
  std::vector<Held> held;
  int refused = 0;
  auto fds = openSockets(relay.port(), attempts, "127.0.0.2");
  for (int from = 0; from < attempts; from += 50) {
    auto batch = kj::heapArrayBuilder<kj::Promise<void>>(std::min(attempts, from + 50) - from);
    for (int i = from; i < std::min(attempts, from + 50); ++i) {
      auto stream = io.lowLevelProvider->wrapSocketFd(fds[i], kj::LowLevelAsyncIoProvider::TAKE_OWNERSHIP);
      batch.add((*tls)
                    ->wrap(kj::mv(stream))
                    .then([&, i](Channel channel) {
                      const SpaceKeys& keys = spaces[static_cast<size_t>(i) % spaces.size()];
                      auto d = kj::heap<testing::TcpDevice>(kj::mv(channel), keys);
                      auto& ref = *d;
                      return openSession(ref.relay, keys, ref.identity, ref.binding)
                          .then([&held, d = kj::mv(d)](wire::SyncSession::Client s) mutable {
                            held.push_back({kj::mv(d), kj::mv(s)});
                          });
                    })
                    .catch_([&refused](kj::Exception&&) { ++refused; }));
    }
    kj::joinPromises(batch.finish()).wait(io.waitScope);
  }
  CHECK(held.size() == 256);  // --max-connections-per-address
  CHECK(refused == attempts - 256);
  double during = honestRoundTrip(relay, tmp, "during");
  WARN("abuse figure, " << attempts << " sign-ins held from one address (" << held.size() << " served): honest sync "
                        << idle << " ms idle, " << during << " ms during; relay peak RSS "
                        << (relay.peakRssBytes() >> 20) << " MiB");
  // A sanitizer's shadow memory makes RSS mean something else.
  if (testing::kRssMeaningful) CHECK(relay.peakRssBytes() < rssBefore + (uint64_t{64} << 20));
  // The held sessions are real: one still answers.
  CHECK_NOTHROW(held.front().session.haveRequest().send().wait(io.waitScope));
  CHECK(relay.alive());
}

}  // namespace
}  // namespace ridealong::sync

namespace ridealong::sync {
namespace {

class CountingListener final : public wire::Listener::Server {
 public:
  explicit CountingListener(uint64_t& bytes) : bytes_(bytes) {}
  kj::Promise<void> changes(ChangesContext context) override {
    for (auto c : context.getParams().getChanges()) bytes_ += c.getCiphertext().size();
    return kj::READY_NOW;
  }

 private:
  uint64_t& bytes_;
};

TEST_CASE("relay process: a push fans out to 40 subscribers from one shared copy", "[sync][relay-process][fanout]") {
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), "127.0.0.1:0",
                              {"--max-queued-total-mib", "512"});
  kj::AsyncIoContext io = kj::setupAsyncIo();
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys));
  const int subscribers = 40;
  std::vector<kj::Own<testing::TcpDevice>> devices;
  std::vector<wire::SyncSession::Client> sessions;
  std::vector<wire::Handle::Client> handles;
  std::vector<uint64_t> received(subscribers + 1, 0);
  for (int i = 0; i <= subscribers; ++i) {
    devices.push_back(kj::heap<testing::TcpDevice>(io, relay, keys));
    auto& d = *devices.back();
    sessions.push_back(openSession(d.relay, keys, d.identity, d.binding).wait(io.waitScope));
    auto sub = sessions.back().subscribeRequest();
    sub.setListener(kj::heap<CountingListener>(received[i]));
    handles.push_back(sub.send().wait(io.waitScope).getHandle());
  }
  uint64_t rssBefore = relay.rssBytes();
  // The last device pushes 8 MiB in one push: 16 changes of 512 KiB.
  auto& pusher = *devices.back();
  std::string body(512 * 1024, 'p');
  std::vector<SealedChange> cs;
  for (uint64_t seq = 1; seq <= 16; ++seq)
    cs.push_back(keys.seal(pusher.id, seq, body, seq > 1 ? keys.digest(body) : ""));
  auto req = sessions.back().pushRequest();
  toWire(cs, req.initChanges(16));
  req.send().wait(io.waitScope);
  uint64_t each = 0;
  for (const auto& c : cs) each += c.ciphertext.size();
  REQUIRE(eventually(
      [&] {
        io.waitScope.poll();
        for (int i = 0; i < subscribers; ++i)
          if (received[i] != each) return false;
        return true;
      },
      60000));
  // 40 copies would be 320 MiB of messages; one shared copy and the
  // subscribers' small message parts stay far below.
  uint64_t grew = relay.peakRssBytes() - rssBefore;
  WARN("fan-out of 8 MiB to 40 subscribers: relay peak RSS grew " << (grew >> 20) << " MiB");
  if (testing::kRssMeaningful) CHECK(grew < (uint64_t{96} << 20));
  CHECK(received[subscribers] == 0);  // not echoed to the pusher
}

}  // namespace
}  // namespace ridealong::sync
