// What a company's IT needs before it deploys a relay, each against a real
// ridealong-relay process on loopback: TLS with a pinned key (a relay with
// another key is refused before anything is sent; a man in the middle that
// forwards the challenge gets no session), sign-up tokens, per-space
// quotas and push rate, and the operator's /metrics, /healthz and --check.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <regex>
#include <thread>

#include "engine_fixture.h"
#include "ok_value.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"
#include "tcp_device.h"

namespace ridealong::sync {
namespace {

std::string errorOf(kj::Promise<void> p, kj::WaitScope& ws) {
  try {
    p.wait(ws);
  } catch (const kj::Exception& e) {
    return e.getDescription().cStr();
  }
  return "";
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A man in the middle on its own thread: it accepts TLS with its own key
// (a device was tricked into trusting it), opens TLS to the real relay,
// and forwards the bytes between them, so every challenge and signature
// passes through unchanged.
class ForwardingMitm {
 public:
  ForwardingMitm(const RelayIdentity& identity, RelayEndpoint relay) : relay_(std::move(relay)) {
    auto server = TlsServer::make(identity);
    REQUIRE(server);
    server_ = std::move(server).value();
    thread_ = std::thread([this] { run(); });
    while (port_.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~ForwardingMitm() {
    stop_ = true;
    thread_.join();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_.load()); }

 private:
  void run() {
    auto io = kj::setupAsyncIo();
    auto listener = io.provider->getNetwork().parseAddress("127.0.0.1", 0).wait(io.waitScope)->listen();
    port_ = listener->getPort();
    kj::TaskSet tasks(errors_);
    auto& network = io.provider->getNetwork();
    std::function<kj::Promise<void>()> acceptLoop = [&]() -> kj::Promise<void> {
      return listener->accept().then([&](kj::Own<kj::AsyncIoStream> raw) {
        tasks.add(server_->wrap(kj::mv(raw)).then([&](Channel device) {
          return connectRelay(network, relay_).then([device = kj::mv(device)](Channel upstream) mutable {
            auto& d = *device.stream;
            auto& u = *upstream.stream;
            auto up = d.pumpTo(u).ignoreResult().then([&u] { u.shutdownWrite(); });
            auto down = u.pumpTo(d).ignoreResult().then([&d] { d.shutdownWrite(); });
            return up.exclusiveJoin(kj::mv(down)).attach(kj::mv(device.stream), kj::mv(upstream.stream));
          });
        }));
        return acceptLoop();
      });
    };
    auto serving = acceptLoop();
    std::function<kj::Promise<void>()> watch = [&]() -> kj::Promise<void> {
      if (stop_) return kj::READY_NOW;
      return io.provider->getTimer().afterDelay(20 * kj::MILLISECONDS).then([&] { return watch(); });
    };
    serving.exclusiveJoin(watch()).wait(io.waitScope);
  }
  struct Errors final : kj::TaskSet::ErrorHandler {
    void taskFailed(kj::Exception&&) override {}
  } errors_;
  RelayEndpoint relay_;
  std::unique_ptr<TlsServer> server_;
  std::atomic<int> port_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_CASE("relay TLS: a forwarded challenge yields no session, nothing is stored", "[sync][relay-process][tls]") {
  TwoDeviceSpace space;
  auto mitmIdentity = loadOrCreateRelayIdentity(space.tmp.sub("mitm"));
  REQUIRE(mitmIdentity);
  ForwardingMitm mitm(*mitmIdentity, testing::endpointOf(space.relay));
  commitReps(*space.a, 3);
  SyncEngineOptions o;
  o.saveState = false;
  // The device was made to trust the attacker's key: TLS to the MITM works,
  // the RPC passes through, but the signature covers the device's channel
  // to the MITM, not the MITM's channel to the relay.
  o.relay = {mitm.address(), RelayTrust::kPinned, mitmIdentity->pin};
  SyncEngine fooled(platform::realEnv(), *space.a, space.keys, o);
  Status st = fooled.syncOnce();
  REQUIRE_FALSE(st.isOk());
  CHECK_THAT(st.message(), Catch::Contains("authentication failed"));
  CHECK_THAT(space.relay.log(), Catch::Contains("auth failed for device " + OK_VALUE(space.a->device()).str()));
  CHECK(count(space.relay.log(), "authenticated device") == 0);

  // Directly, with the relay's own key, the same device syncs; a second
  // device then gets exactly its three changes: nothing came through the MITM.
  o.relay = testing::endpointOf(space.relay);
  SyncEngine direct(platform::realEnv(), *space.a, space.keys, o);
  REQUIRE(direct.syncOnce());
  SyncEngine b(platform::realEnv(), *space.b, space.keys, o);
  REQUIRE(b.syncOnce());
  CHECK(b.status().pulled == 3);
}

TEST_CASE("relay TLS: another relay on the same address is refused before anything is sent",
          "[sync][relay-process][tls]") {
  testing::TempDir tmp;
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  RelayEndpoint pinned;
  std::string address;
  {
    testing::RelayProcess real(RIDEALONG_RELAY_PATH, tmp.sub("real"), tmp.sub("real.log"));
    pinned = testing::endpointOf(real);
    address = real.address();
    REQUIRE(registerSpaceOnRelay(pinned, keys));
  }
  // An impostor (its own key) takes the address: a spoofed DNS name, or a
  // reinstalled relay.
  testing::RelayProcess impostor(RIDEALONG_RELAY_PATH, tmp.sub("impostor"), tmp.sub("impostor.log"), address);
  REQUIRE(impostor.pin() != formatPin(pinned.pin));
  auto nb = openNotebook(tmp.sub("a"));
  commitReps(*nb, 2);
  SyncEngineOptions o;
  o.relay = pinned;
  o.saveState = false;
  SyncEngine engine(platform::realEnv(), *nb, keys, o);
  Status st = engine.syncOnce();
  REQUIRE_FALSE(st.isOk());
  CHECK_THAT(st.message(), Catch::Contains("presented key " + impostor.pin()));
  CHECK_THAT(st.message(), Catch::Contains("trusts only " + formatPin(pinned.pin)));
  CHECK_THAT(st.message(), Catch::Contains("nothing was sent"));
  // The impostor saw a handshake that failed, and no call at all.
  REQUIRE(eventually([&] { return impostor.log().find("TLS handshake failed") != std::string::npos; }));
  CHECK(impostor.log().find("hello") == std::string::npos);
  CHECK(impostor.log().find("registered") == std::string::npos);
  CHECK(impostor.log().find("enrol") == std::string::npos);
  // Trusting the system's CAs instead, the self-signed impostor is refused too.
  RelayEndpoint byCa{address, RelayTrust::kSystemCa, {}};
  auto ca = registerSpaceOnRelay(byCa, SpaceKeys::derive(newSpaceId(), newSpaceSecret()));
  REQUIRE_FALSE(ca.isOk());
  CHECK_THAT(ca.status().message(), Catch::Contains("its certificate is not trusted (self-signed certificate)"));
  // Registering is refused the same way.
  CHECK_THAT(registerSpaceOnRelay(pinned, SpaceKeys::derive(newSpaceId(), newSpaceSecret())).status().message(),
             Catch::Contains("presented key"));
}

TEST_CASE("relay sign-up: a space needs a token unless the relay has open sign-up", "[sync][relay-process][signup]") {
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), "127.0.0.1:0", {}, {},
                              /*openSignup=*/false);
  auto endpoint = testing::endpointOf(relay);
  auto fresh = [] { return SpaceKeys::derive(newSpaceId(), newSpaceSecret()); };

  auto none = registerSpaceOnRelay(endpoint, fresh());
  CHECK_THAT(none.status().message(), Catch::Contains("needs a sign-up token"));
  CHECK_THAT(registerSpaceOnRelay(endpoint, fresh(), "rdt-00000000000000000000000000000000").status().message(),
             Catch::Contains("unknown sign-up token"));

  std::string token = relay.tool({"token", "create", "--spaces", "2"});
  token.erase(token.find_last_not_of("\n") + 1);
  REQUIRE(token.rfind("rdt-", 0) == 0);
  auto first = fresh();
  CHECK(registerSpaceOnRelay(endpoint, first, token));
  CHECK(registerSpaceOnRelay(endpoint, first, token));  // the same space again uses nothing
  CHECK(registerSpaceOnRelay(endpoint, first));         // nor needs the token
  CHECK(registerSpaceOnRelay(endpoint, fresh(), token));
  CHECK_THAT(registerSpaceOnRelay(endpoint, fresh(), token).status().message(), Catch::Contains("used up"));
  CHECK_THAT(relay.tool({"token", "list"}), Catch::Contains("0 never"));
  CHECK(relay.tool({"--check"}).find("ok (2 spaces") != std::string::npos);
}

TEST_CASE("relay sign-up: an expired token is refused", "[sync][relay-process][signup]") {
  testing::TempDir tmp;
  std::string token;
  std::string address;
  {
    testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), "127.0.0.1:0", {}, {},
                                false);
    address = relay.address();
    // Valid through tomorrow (UTC).
    std::time_t t = std::time(nullptr) + 86400;
    char day[16];
    std::strftime(day, sizeof day, "%Y-%m-%d", std::gmtime(&t));
    token = relay.tool({"token", "create", "--expires", day});
    token.erase(token.find_last_not_of("\n") + 1);
  }
  // Three days later, the same relay.
  testing::RelayProcess later(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), address, {},
                              {"/usr/bin/faketime", "-f", "+3d"}, false);
  auto r = registerSpaceOnRelay(testing::endpointOf(later), SpaceKeys::derive(newSpaceId(), newSpaceSecret()), token);
  CHECK_THAT(r.status().message(), Catch::Contains("expired"));
}

TEST_CASE("relay quotas: a space over its bytes, devices or push rate gets a clear error, others sync",
          "[sync][relay-process][quota]") {
  testing::TempDir tmp;
  testing::RelayProcess relay(
      RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), "127.0.0.1:0",
      {"--quota-mib", "1", "--quota-devices", "2", "--changes-per-minute", "60", "--changes-burst", "40"});
  double idle = honestRoundTrip(relay, tmp, "idle");
  auto io = kj::setupAsyncIo();
  auto greedy = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  testing::TcpDevice d(io, relay, greedy);
  registerSpace(d.relay, greedy).wait(io.waitScope);
  auto session = openSession(d.relay, greedy, d.identity, d.binding).wait(io.waitScope);
  // 100 KB changes, one per push: the 11th passes 1 MiB.
  std::string body(100000, 'x'), refusal;
  uint64_t seq = 1;
  for (; seq <= 20 && refusal.empty(); ++seq) {
    auto req = session.pushRequest();
    toWire(std::vector<SealedChange>{greedy.seal(d.id, seq, body, seq > 1 ? greedy.digest(body) : "")},
           req.initChanges(1));
    refusal = errorOf(req.send().ignoreResult(), io.waitScope);
  }
  CHECK(seq - 1 == 11);
  CHECK_THAT(refusal, Catch::Contains("over its storage quota on this relay (1 MiB)"));
  // The burst (40 changes) then runs out: the rate refusal says when to retry.
  // Every push counts, refused or not.
  std::string rate;
  for (int i = 0; i < 60 && rate.find("pushing faster") == std::string::npos; ++i) {
    auto req = session.pushRequest();
    toWire(std::vector<SealedChange>{greedy.seal(d.id, 11, body, greedy.digest(body))}, req.initChanges(1));
    rate = errorOf(req.send().ignoreResult(), io.waitScope);
  }
  CHECK_THAT(rate, Catch::Contains("pushing faster than this relay allows (60 changes a minute"));
  CHECK_THAT(rate, Catch::Contains("try again in"));
  // A third device id in another space is over its devices quota.
  auto other = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  for (int i = 0; i < 3; ++i) {
    testing::TcpDevice member(io, relay, other);
    if (i == 0) registerSpace(member.relay, other).wait(io.waitScope);
    std::string e =
        errorOf(openSession(member.relay, other, member.identity, member.binding).ignoreResult(), io.waitScope);
    if (i < 2) {
      CHECK(e.empty());
    } else {
      CHECK_THAT(e, Catch::Contains("devices enrolled, the relay's quota"));
    }
  }
  // Meanwhile a space within its quotas syncs as usual.
  double during = honestRoundTrip(relay, tmp, "during");
  WARN("abuse figure, over quota: honest sync " << idle << " ms idle, " << during << " ms after; relay peak RSS "
                                                << (relay.peakRssBytes() >> 20) << " MiB");
  CHECK_THAT(relay.tool({"--check"}), Catch::Contains(": ok ("));
}

// One HTTP/1.1 GET on loopback; the whole response.
std::string httpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n";
  REQUIRE(::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size()));
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

uint64_t metric(const std::string& text, const std::string& name) {
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex("\n" + name + " (\\d+)")));
  return std::stoull(m[1]);
}

TEST_CASE("relay admin: /metrics counts what happens, /healthz answers", "[sync][relay-process][admin][slow]") {
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"), "127.0.0.1:0",
                              {"--admin-listen", "127.0.0.1:0"});
  // The admin line may come a moment after the relay's "listening" one.
  int port = std::stoi(relay.waitForLog("admin on http://127\\.0\\.0\\.1:(\\d+)/metrics"));
  auto health = httpGet(port, "/healthz");
  CHECK_THAT(health, Catch::StartsWith("HTTP/1.1 200"));
  CHECK_THAT(health, Catch::EndsWith("ok\n"));
  CHECK_THAT(httpGet(port, "/nothing"), Catch::StartsWith("HTTP/1.1 404"));
  auto before = httpGet(port, "/metrics");
  CHECK_THAT(before, Catch::Contains("# TYPE ridealong_relay_pushes_total counter"));
  CHECK(metric(before, "ridealong_relay_pushes_total") == 0);

  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  REQUIRE(registerSpaceOnRelay(testing::endpointOf(relay), keys));
  auto a = openNotebook(tmp.sub("a"));
  commitReps(*a, 4);
  SyncEngineOptions o;
  o.relay = testing::endpointOf(relay);
  o.saveState = false;
  SyncEngine engine(platform::realEnv(), *a, keys, o);
  REQUIRE(engine.syncOnce());
  // A plaintext client is a TLS failure.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(relay.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  (void)!::write(fd, "hello, relay\r\n", 14);
  char c;
  (void)!::read(fd, &c, 1);
  ::close(fd);

  std::string after;
  REQUIRE(eventually([&] {
    after = httpGet(port, "/metrics");
    return metric(after, "ridealong_relay_tls_failed_total") >= 1;
  }));
  CHECK(metric(after, "ridealong_relay_pushes_total") == 1);
  CHECK(metric(after, "ridealong_relay_changes_stored_total") == 4);
  CHECK(metric(after, "ridealong_relay_spaces") == 1);
  CHECK(metric(after, "ridealong_relay_auth_ok_total") == 1);
  CHECK(metric(after, "ridealong_relay_bytes_in_total") > 0);
  CHECK(metric(after, "ridealong_relay_store_bytes") > 0);
  CHECK_THAT(after, Catch::Contains("ridealong_relay_refusals_total{reason=\"quota\"} 0"));
  CHECK(relay.stop(SIGTERM) == 0);  // still a clean shutdown with the admin port open
}

}  // namespace
}  // namespace ridealong::sync
