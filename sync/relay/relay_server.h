// RelayServer: accepts connections and runs one two-party Cap'n Proto RPC
// system per connection, each with its own bootstrap Relay capability from
// the RelayHub. It is what capnp::TwoPartyServer does, built from the same
// parts (TwoPartyVatNetwork + makeRpcServer) because TwoPartyServer neither
// takes ReaderOptions (our explicit traversal/nesting/size limits) nor gives
// a per-connection bootstrap (the hello/auth state) or connection events.
//
// Single-threaded, on the relay's kj event loop. Destroy it before the hub.
#pragma once

#include <kj/async-io.h>
#include <kj/timer.h>

#include <cstdint>
#include <map>
#include <string>

#include "relay/relay_service.h"
#include "ridealong/sync/tls.h"

namespace ridealong::relay {

struct ServerOptions {
  // Every connection handshakes TLS with this identity before any RPC; the
  // auth deadline covers the handshake. Null only for in-process tests that
  // serve plaintext pipes (the channel binding is then empty).
  sync::TlsServer* tls = nullptr;
  size_t maxConnections = 20000;
  // Connections from one IP address at once: a device keeps one, a
  // company's NAT may put a few hundred behind one address. Over it new
  // connections from that address are closed at once; others are served.
  size_t maxConnectionsPerAddress = 256;
  // A connection that has not authenticated by then is closed, so idle or
  // stuck clients cannot pile up. Needs a timer.
  kj::Duration authTimeout = 30 * kj::SECONDS;
  // Replies and live notifications queued for one connection but not yet
  // taken by its socket; over this the peer is not reading (stuck or
  // hostile) and the connection is closed. It pulls when it reconnects.
  size_t maxQueuedBytesPerConnection = size_t{16} << 20;
  // Over this much queued for all connections together, pushes wait
  // (backpressure) until the readers catch up. Needs a timer. The heap in
  // use while fanning out runs several times this (messages being built,
  // calls in flight): 8 MiB kept 1,000 devices under 100 MiB in all.
  size_t maxQueuedBytesTotal = size_t{8} << 20;
  // An authenticated connection whose sessions make no call for this long
  // is closed (between 1x and 1.5x of it): a stuck or abandoned client must
  // not hold a session forever. The sync engine sends a heartbeat well
  // inside it. 0: never. Needs a timer.
  kj::Duration idleTimeout = 600 * kj::SECONDS;
};

class RelayServer final : private kj::TaskSet::ErrorHandler {
 public:
  // Without a timer there is no auth deadline (some in-process tests).
  RelayServer(RelayHub& hub, kj::Maybe<kj::Timer&> timer, ServerOptions options = {});
  ~RelayServer();
  RelayServer(const RelayServer&) = delete;
  RelayServer& operator=(const RelayServer&) = delete;

  // Accepts until the promise is dropped; a failed accept (out of file
  // descriptors) is logged and retried with backoff, never fatal.
  kj::Promise<void> listen(kj::ConnectionReceiver& receiver);
  // Serves one connection (tests pass one end of kj::newTwoWayPipe()).
  void accept(kj::Own<kj::AsyncIoStream> stream, std::string peer);
  // Closes every connection (shutdown); each gets a log line.
  void closeAll(std::string_view reason);

  size_t connectionCount() const { return connections_.size(); }
  // Bytes queued for all connections; closes any over its own limit.
  size_t queuedBytes();

 private:
  struct Connection;
  struct Rpc;
  // Starts RPC on a connection whose handshake is done.
  void serve(uint64_t id, sync::Channel channel);
  void close(uint64_t id, std::string_view reason);
  // Closes `id` once its queued replies are written (so the peer gets the
  // error that explains the close), after at most `turns` checks.
  kj::Promise<void> closeWhenFlushed(uint64_t id, std::string reason, int turns);
  // Once the current turn's replies are queued, closes `id` if over its
  // queue limit (one check scheduled per connection at a time).
  void checkQueueSoon(uint64_t id);
  // Whether `conn` has more queued than it may; if so, its close is
  // scheduled (once).
  bool closeIfNotReading(uint64_t id, Connection& conn);
  // Null when queuedBytes() is under the total limit, else a short wait.
  kj::Maybe<kj::Promise<void>> roomForPush();
  void taskFailed(kj::Exception&& exception) override;
  // Every idleTimeout/2: closes authenticated connections silent for two
  // sweeps in a row. One pass over the connections, not a timer each.
  kj::Promise<void> idleSweep(kj::Timer& timer);

  RelayHub& hub_;
  kj::Maybe<kj::Timer&> timer_;
  ServerOptions options_;
  uint64_t nextId_ = 1;
  uint64_t refusedPerAddress_ = 0;            // logged once a thousand
  std::map<std::string, size_t> perAddress_;  // open connections by peer address
  kj::Duration acceptBackoff_ = 0 * kj::MILLISECONDS;
  std::map<uint64_t, kj::Own<Connection>> connections_;
  kj::TaskSet tasks_;
};

}  // namespace ridealong::relay
