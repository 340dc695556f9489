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

namespace ridealong::relay {

struct ServerOptions {
  size_t maxConnections = 20000;
  // A connection that has not authenticated by then is closed, so idle or
  // stuck clients cannot pile up. Needs a timer.
  kj::Duration authTimeout = 30 * kj::SECONDS;
};

class RelayServer final : private kj::TaskSet::ErrorHandler {
 public:
  // Without a timer there is no auth deadline (some in-process tests).
  RelayServer(RelayHub& hub, kj::Maybe<kj::Timer&> timer, ServerOptions options = {});
  ~RelayServer();
  RelayServer(const RelayServer&) = delete;
  RelayServer& operator=(const RelayServer&) = delete;

  // Accepts until the promise is dropped.
  kj::Promise<void> listen(kj::ConnectionReceiver& receiver);
  // Serves one connection (tests pass one end of kj::newTwoWayPipe()).
  void accept(kj::Own<kj::AsyncIoStream> stream, std::string peer);
  // Closes every connection (shutdown); each gets a log line.
  void closeAll(std::string_view reason);

  size_t connectionCount() const { return connections_.size(); }

 private:
  struct Connection;
  void close(uint64_t id, std::string_view reason);
  void taskFailed(kj::Exception&& exception) override;

  RelayHub& hub_;
  kj::Maybe<kj::Timer&> timer_;
  ServerOptions options_;
  uint64_t nextId_ = 1;
  std::map<uint64_t, kj::Own<Connection>> connections_;
  kj::TaskSet tasks_;
};

}  // namespace ridealong::relay
