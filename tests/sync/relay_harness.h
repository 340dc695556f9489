// In-process relay for protocol tests: a real LMDB RelayStore, RelayHub and
// RelayServer on a kj event loop, with clients connected over
// kj::newTwoWayPipe() (the capnp rpc-twoparty-test pattern). Log lines are
// captured for assertions; the relay clock is a kj::TimerImpl the test
// advances. Plus Device/Space helpers. Single-threaded, like the relay.
#pragma once

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/async.h>
#include <kj/timer.h>

#include <memory>
#include <string>
#include <vector>

#include "relay/relay_server.h"
#include "relay/relay_service.h"
#include "relay/relay_store.h"
#include "ridealong/sync/relay_client.h"
#include "ridealong/sync/wire.h"
#include "temp_dir.h"

namespace ridealong::testing {

// One client connection; the members are destroyed in reverse order.
struct RelayConnection {
  explicit RelayConnection(kj::Own<kj::AsyncIoStream> s)
      : stream(kj::mv(s)), client(*stream), relay(client.bootstrap().castAs<sync::wire::Relay>()) {}
  kj::Own<kj::AsyncIoStream> stream;
  capnp::TwoPartyClient client;
  sync::wire::Relay::Client relay;
};

class RelayHarness {
 public:
  explicit RelayHarness(relay::RelayOptions options = {}, relay::ServerOptions serverOptions = {})
      : store_(openStore(dir_)),
        hub_(*store_, openSignup(options), [this](std::string_view l) { log.emplace_back(l); }),
        server_(hub_, timer_, serverOptions) {}
  ~RelayHarness() { server_.closeAll("test over"); }

  // In-process relays take any space (sign-up is tested on a real relay
  // process, tests/sync/relay_deploy_test.cc).
  static relay::RelayOptions openSignup(relay::RelayOptions o) {
    o.openSignup = true;
    return o;
  }

  kj::Own<RelayConnection> connect() {
    auto pipe = kj::newTwoWayPipe();
    server_.accept(kj::mv(pipe.ends[0]), "pipe");
    return kj::heap<RelayConnection>(kj::mv(pipe.ends[1]));
  }

  bool logged(std::string_view text) const {
    for (const auto& l : log) {
      if (l.find(text) != std::string::npos) return true;
    }
    return false;
  }

  kj::WaitScope& ws() { return ws_; }
  // Moves the relay's (fake) clock forward and runs what became due.
  void advance(kj::Duration d) {
    timer_.advanceTo(timer_.now() + d);
    ws_.poll();
  }
  // When the relay's next timer is due; null when none is pending.
  kj::Maybe<kj::TimePoint> nextTimerEvent() { return timer_.nextEvent(); }
  relay::RelayHub& hub() { return hub_; }
  relay::RelayServer& server() { return server_; }
  const TempDir& dir() const { return dir_; }

  std::vector<std::string> log;

 private:
  static std::unique_ptr<relay::RelayStore> openStore(const TempDir& dir) {
    auto s = relay::RelayStore::openLmdb(dir.sub("relay"));
    if (!s) throw std::runtime_error(s.status().toString());
    return std::move(s).value();
  }

  kj::EventLoop loop_;
  kj::WaitScope ws_{loop_};
  kj::TimerImpl timer_{kj::origin<kj::TimePoint>()};
  TempDir dir_;
  std::unique_ptr<relay::RelayStore> store_;
  relay::RelayHub hub_;
  relay::RelayServer server_;
};

// The exception description a promise rejects with, or "" if it resolves.
template <typename T>
std::string errorOf(kj::Promise<T>&& p, kj::WaitScope& ws) {
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { p.wait(ws); })) {
    return e->getDescription().cStr();
  }
  return "";
}

// A fresh space's keys.
struct Space {
  sync::SpaceKeys keys = sync::SpaceKeys::derive(sync::newSpaceId(), sync::newSpaceSecret());
};

inline core::ActorId newDevice() { return sync::newSpaceId(); }  // 16 random bytes either way
// A device id and its device secret (what core::Notebook::identity gives).
inline core::DeviceIdentity newIdentity() {
  return core::DeviceIdentity{newDevice(), sync::newSpaceSecret()};  // 32 random bytes
}

// A device: its own connection and, once authenticated, a session.
struct Device {
  Device(RelayHarness& h, const sync::SpaceKeys& keys)
      : identity(newIdentity()), id(identity.id), keys(keys), conn(h.connect()) {}
  void open(RelayHarness& h) { session = sync::openSession(conn->relay, keys, identity).wait(h.ws()); }

  core::DeviceIdentity identity;
  core::ActorId id;
  sync::SpaceKeys keys;
  kj::Own<RelayConnection> conn;
  kj::Maybe<sync::wire::SyncSession::Client> session;
  sync::wire::SyncSession::Client& s() { return KJ_ASSERT_NONNULL(session); }
};

// The plaintext sealRange seals as `d`'s change `seq`.
inline std::string noteOf(const Device& d, uint64_t seq) {
  return "note " + std::to_string(seq) + " from " + d.id.str();
}

// d's changes from..to, each with its digest and the prev a device sets
// (the digest of its change seq-1).
inline std::vector<sync::SealedChange> sealRange(const Device& d, uint64_t from, uint64_t to) {
  std::vector<sync::SealedChange> out;
  for (uint64_t seq = from; seq <= to; ++seq) {
    std::string prev = seq > 1 ? d.keys.digest(noteOf(d, seq - 1)) : std::string();
    out.push_back(d.keys.seal(d.id, seq, noteOf(d, seq), prev));
  }
  return out;
}

inline kj::Promise<capnp::Response<sync::wire::SyncSession::PushResults>> push(
    sync::wire::SyncSession::Client& s, const std::vector<sync::SealedChange>& cs) {
  auto req = s.pushRequest();
  sync::toWire(cs, req.initChanges(static_cast<unsigned>(cs.size())));
  return req.send();
}

}  // namespace ridealong::testing
