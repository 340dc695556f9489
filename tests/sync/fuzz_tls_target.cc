// TlsFuzzTarget: the relay's TLS-wrapped handshake. An in-process relay
// serves TLS (its own key, as the process does); each input is what a
// client sends on one fresh connection. Seeds are the bytes a real client
// wrote: a ClientHello alone, and a whole handshake followed by register
// and hello. Replayed, a recorded handshake cannot complete (the server's
// randomness differs), so mutations exercise OpenSSL's parsing of what
// reaches it and our stream's error paths. After each input: the
// connection is closed, no session was opened, nothing was logged as an
// internal failure, and a well-behaved TLS device is still served.

#include "fuzz_targets.h"
#include "relay_harness.h"
#include "ridealong/sync/tls.h"
#include "temp_dir.h"

namespace ridealong::testing {
namespace {

namespace wire = sync::wire;

// Passes everything through and keeps a copy of what was written.
class RecordingStream final : public kj::AsyncIoStream {
 public:
  RecordingStream(kj::Own<kj::AsyncIoStream> inner, std::string& log) : inner_(kj::mv(inner)), log_(log) {}
  kj::Promise<size_t> tryRead(void* buf, size_t min, size_t max) override { return inner_->tryRead(buf, min, max); }
  kj::Promise<void> write(const void* buf, size_t size) override {
    log_.append(static_cast<const char*>(buf), size);
    return inner_->write(buf, size);
  }
  kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override {
    for (auto p : pieces) log_.append(reinterpret_cast<const char*>(p.begin()), p.size());
    return inner_->write(pieces);
  }
  kj::Promise<void> whenWriteDisconnected() override { return inner_->whenWriteDisconnected(); }
  void shutdownWrite() override { inner_->shutdownWrite(); }

 private:
  kj::Own<kj::AsyncIoStream> inner_;
  std::string& log_;
};

kj::Promise<void> drain(kj::AsyncIoStream& s, kj::ArrayPtr<kj::byte> buf) {
  return s.tryRead(buf.begin(), 1, buf.size()).then([&s, buf](size_t n) -> kj::Promise<void> {
    if (n == 0) return kj::READY_NOW;
    return drain(s, buf);
  });
}

sync::RelayIdentity identityIn(const TempDir& dir) {
  auto id = sync::loadOrCreateRelayIdentity(dir.sub("tls"));
  if (!id) throw FuzzFailure("cannot make a relay identity: " + id.status().toString());
  return std::move(id).value();
}

std::unique_ptr<sync::TlsServer> serverFor(const sync::RelayIdentity& id) {
  auto s = sync::TlsServer::make(id);
  if (!s) throw FuzzFailure("cannot make a TLS server: " + s.status().toString());
  return std::move(s).value();
}

sync::SpaceSecret fixedSecret(uint8_t b) {
  sync::SpaceSecret s;
  s.fill(b);
  return s;
}

relay::ServerOptions tlsOptions(sync::TlsServer* tls) {
  relay::ServerOptions o;
  o.tls = tls;
  return o;
}

}  // namespace

struct TlsFuzzTarget::State {
  State() : identity(identityIn(dir)), tls(serverFor(identity)), h({}, tlsOptions(tls.get())) {
    endpoint = {"127.0.0.1:7420", sync::RelayTrust::kPinned, identity.pin};
    // Seed 0: a whole client stream (handshake, register, hello).
    seeds.push_back(record(true));
    // Seed 1: its first record, the ClientHello.
    const std::string& whole = seeds[0];
    size_t helloLen =
        whole.size() >= 5 ? 5 + ((static_cast<uint8_t>(whole[3]) << 8) | static_cast<uint8_t>(whole[4])) : 0;
    if (helloLen < 64 || helloLen > whole.size()) throw FuzzFailure("recorded no ClientHello");
    seeds.push_back(whole.substr(0, helloLen));
    // The well-behaved device: TLS, a space, a session.
    good = connect();
    sync::registerSpace(good->relay, keys).wait(h.ws());
    goodSession = sync::openSession(good->relay, keys, goodDevice, good->binding).wait(h.ws());
    baselineAuth = h.hub().counters().authOk;
    h.log.clear();
  }

  kj::Own<sync::RelayLink> connect(std::string* log = nullptr) {
    auto pipe = kj::newTwoWayPipe();
    h.server().accept(kj::mv(pipe.ends[0]), "fuzz-good");
    kj::Own<kj::AsyncIoStream> end = kj::mv(pipe.ends[1]);
    if (log) end = kj::heap<RecordingStream>(kj::mv(end), *log);
    auto client = sync::TlsClient::make(endpoint);
    if (!client) throw FuzzFailure(client.status().toString());
    auto channel = (*client)->wrap(kj::mv(end)).wait(h.ws());
    return kj::heap<sync::RelayLink>(kj::mv(channel), sync::WireLimits{}.readerOptions());
  }

  std::string record(bool calls) {
    std::string log;
    {
      auto link = connect(&log);
      if (calls) {
        auto other = sync::SpaceKeys::derive(core::Id16::fromBytes(std::string(16, 'r').data()), fixedSecret(8));
        sync::registerSpace(link->relay, other).wait(h.ws());
        auto hello = link->relay.helloRequest();
        hello.setSpace(sync::dataOf(other.space()));
        hello.setDevice(sync::dataOf(goodDevice.id));
        hello.setProtocolVersion(sync::kProtocolVersion);
        hello.send().wait(h.ws());
      }
    }
    h.ws().poll();
    return log;
  }

  void feed(std::string_view bytes) {
    {
      auto pipe = kj::newTwoWayPipe();
      h.server().accept(kj::mv(pipe.ends[0]), "fuzz");
      auto& end = *pipe.ends[1];
      auto buf = kj::heapArray<kj::byte>(1 << 16);
      auto drained = drain(end, buf).eagerlyEvaluate([](kj::Exception&&) {});
      auto written = end.write(bytes.data(), bytes.size())
                         .then([&end]() { end.shutdownWrite(); })
                         .eagerlyEvaluate([](kj::Exception&&) {});
      h.ws().poll();
    }
    h.ws().poll();
    if (h.server().connectionCount() != 1)
      throw FuzzFailure(
          "connection not closed after the peer hung up: " + std::to_string(h.server().connectionCount()) + " open");
    if (h.hub().counters().authOk != baselineAuth) throw FuzzFailure("a fuzzed stream opened a session");
    if (h.hub().sessionCount() != 1) throw FuzzFailure("sessions leaked");
    for (const auto& line : h.log)
      if (line.find("task failed") != std::string::npos) throw FuzzFailure("relay log: " + line);
    h.log.clear();
    if (++fed % 32 == 0) goodSession.haveRequest().send().wait(h.ws());  // still served
  }

  TempDir dir;
  sync::RelayIdentity identity;
  std::unique_ptr<sync::TlsServer> tls;
  RelayHarness h;
  sync::RelayEndpoint endpoint;
  sync::SpaceKeys keys = sync::SpaceKeys::derive(core::Id16::fromBytes(std::string(16, 't').data()), fixedSecret(9));
  core::DeviceIdentity goodDevice{core::Id16::fromBytes(std::string(16, 'g').data()), [] {
                                    sync::DeviceSecret s;
                                    s.fill(6);
                                    return s;
                                  }()};
  std::vector<std::string> seeds;
  kj::Own<sync::RelayLink> good;
  wire::SyncSession::Client goodSession = nullptr;
  uint64_t baselineAuth = 0, fed = 0;
};

TlsFuzzTarget::TlsFuzzTarget() : s_(std::make_unique<State>()) {}
TlsFuzzTarget::~TlsFuzzTarget() = default;
const std::vector<std::string>& TlsFuzzTarget::seeds() const { return s_->seeds; }
void TlsFuzzTarget::feed(std::string_view bytes) { s_->feed(bytes); }
std::string TlsFuzzTarget::summary() const {
  const auto& c = s_->h.hub().counters();
  return "handshakes failed " + std::to_string(c.tlsFailed) + ", sessions " + std::to_string(c.authOk);
}

}  // namespace ridealong::testing
