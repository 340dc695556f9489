// Connection handling for the relay: accept, serve RPC with limits, close, log.
#include "relay/relay_server.h"

#include <fmt/core.h>

#include <arpa/inet.h>
#include <capnp/rpc-twoparty.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace ridealong::relay {

// The RPC side of a connection, made once its TLS handshake is done.
struct RelayServer::Rpc {
  Rpc(RelayHub& hub, uint64_t id, sync::Channel channel)
      : stream(kj::mv(channel.stream)),
        network(*stream, capnp::rpc::twoparty::Side::SERVER, hub.options().limits.readerOptions()),
        rpc(capnp::makeRpcServer(network, hub.newConnection(id, std::move(channel.binding)))) {}
  kj::Own<kj::AsyncIoStream> stream;
  capnp::TwoPartyVatNetwork network;
  capnp::RpcSystem<capnp::rpc::twoparty::VatId> rpc;
};

struct RelayServer::Connection {
  // Members go in reverse: the RPC system before the handshake's stream.
  kj::Promise<void> handshake = nullptr;
  kj::Maybe<kj::Own<Rpc>> rpc;
  size_t queued() {
    KJ_IF_MAYBE (r, rpc) return (*r)->network.getCurrentQueueSize();
    return 0;
  }
  bool closing = false;     // a close is scheduled
  bool queueCheck = false;  // a checkQueueSoon is pending
  // The auth deadline, held here so that closing the connection cancels it:
  // a flood of short connections must not leave a timer behind for each.
  kj::Promise<void> authDeadline = nullptr;
  std::string address;        // the peer's address without its port
  uint64_t callsAtSweep = 0;  // hub.callsOf(id) at the last idle sweep
  int quietSweeps = 0;        // sweeps in a row without a call
};

namespace {

std::string peerName(kj::AsyncIoStream& stream) {
  sockaddr_storage addr{};
  kj::uint len = sizeof addr;
  try {
    stream.getpeername(reinterpret_cast<sockaddr*>(&addr), &len);
  } catch (const kj::Exception&) {
    return "unknown";
  }
  char host[INET6_ADDRSTRLEN] = "?";
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(a->sin_port));
  }
  if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(a->sin6_port));
  }
  return "local";
}

// "1.2.3.4:5678" -> "1.2.3.4", "[::1]:5678" -> "[::1]".
std::string addressOf(const std::string& peer) {
  auto colon = peer.rfind(':');
  return colon == std::string::npos || peer.back() == ']' ? peer : peer.substr(0, colon);
}

}  // namespace

RelayServer::RelayServer(RelayHub& hub, kj::Maybe<kj::Timer&> timer, ServerOptions options)
    : hub_(hub), timer_(timer), options_(options), tasks_(*this) {
  hub_.setCloseRequest(
      [this](uint64_t id, std::string reason) { tasks_.add(closeWhenFlushed(id, std::move(reason), 500)); });
  if (timer_ != nullptr) hub_.setPushGate([this]() { return roomForPush(); });
  hub_.setQueueHook([this](uint64_t id) { checkQueueSoon(id); });
  hub_.setQueueFull([this](uint64_t id) {
    auto it = connections_.find(id);
    return it != connections_.end() && closeIfNotReading(id, *it->second);
  });
  KJ_IF_MAYBE (t, timer_) {
    if (options_.idleTimeout > 0 * kj::SECONDS) tasks_.add(idleSweep(*t));
  }
}

kj::Promise<void> RelayServer::idleSweep(kj::Timer& timer) {
  return timer.afterDelay(options_.idleTimeout / 2).then([this, &timer] {
    std::vector<uint64_t> idle;
    for (auto& [id, conn] : connections_) {
      if (!hub_.authenticated(id)) continue;  // the auth deadline covers those
      uint64_t calls = hub_.callsOf(id);
      if (calls != conn->callsAtSweep) {
        conn->callsAtSweep = calls;
        conn->quietSweeps = 0;
      } else if (++conn->quietSweeps >= 2) {
        idle.push_back(id);
      }
    }
    for (uint64_t id : idle) close(id, fmt::format("idle: no call for {} s", options_.idleTimeout / kj::SECONDS));
    return idleSweep(timer);
  });
}

RelayServer::~RelayServer() {
  hub_.setCloseRequest(nullptr);
  hub_.setPushGate(nullptr);
  hub_.setQueueHook(nullptr);
  hub_.setQueueFull(nullptr);
  closeAll("relay shutting down");
}

kj::Promise<void> RelayServer::listen(kj::ConnectionReceiver& receiver) {
  // evalNow: kj's accept() can throw at once (EMFILE from accept4), not only
  // reject later; both reach the handler below.
  return kj::evalNow([&] { return receiver.accept(); })
      .then(
          [this, &receiver](kj::Own<kj::AsyncIoStream>&& stream) {
            acceptBackoff_ = kj::Duration(0 * kj::MILLISECONDS);
            std::string peer = peerName(*stream);
            accept(kj::mv(stream), std::move(peer));
            return listen(receiver);
          },
          [this, &receiver](kj::Exception&& e) -> kj::Promise<void> {
            // Out of file descriptors (EMFILE), say: the connections being
            // served matter more than the one waiting. Log, wait, try again;
            // the waiting peer stays in the backlog meanwhile. Never fatal.
            acceptBackoff_ = acceptBackoff_ == 0 * kj::MILLISECONDS ? 50 * kj::MILLISECONDS
                                                                    : kj::min(acceptBackoff_ * 2, 2 * kj::SECONDS);
            hub_.log(0, std::string("accept failed, retrying in ") + std::to_string(acceptBackoff_ / kj::MILLISECONDS) +
                            " ms: " + e.getDescription().cStr());
            KJ_IF_MAYBE (timer, timer_) {
              return timer->afterDelay(acceptBackoff_).then([this, &receiver] { return listen(receiver); });
            }
            return kj::evalLater([this, &receiver] { return listen(receiver); });
          });
}

void RelayServer::accept(kj::Own<kj::AsyncIoStream> stream, std::string peer) {
  uint64_t id = nextId_++;
  if (connections_.size() >= options_.maxConnections) {
    // Dropping the stream closes it; the client sees a disconnect.
    hub_.log(id, "refused connection from " + peer + ": too many connections");
    return;
  }
  std::string address = addressOf(peer);
  size_t& fromThere = perAddress_[address];
  if (fromThere >= options_.maxConnectionsPerAddress) {
    // One address must not take every slot and descriptor (a script
    // holding thousands of idle sessions); others keep being served.
    if (refusedPerAddress_++ % 1000 == 0)  // the first, then one line a thousand
      hub_.log(id, "refused connection from " + peer + ": " + std::to_string(fromThere) +
                       " connections from that address already (--max-connections-per-address; " +
                       std::to_string(refusedPerAddress_) + " refused so far)");
    return;
  }
  ++fromThere;
  auto conn = kj::heap<Connection>();
  conn->address = address;
  hub_.log(id, "accepted connection from " + peer);
  KJ_IF_MAYBE (timer, timer_) {
    conn->authDeadline = timer->afterDelay(options_.authTimeout)
                             .then([this, id]() {
                               // Closed from a task of its own: the close
                               // destroys this promise, which is running.
                               if (!hub_.authenticated(id))
                                 tasks_.add(kj::evalLater([this, id] { close(id, "not authenticated in time"); }));
                             })
                             .eagerlyEvaluate(nullptr);
  }
  auto& ref = *conn;
  connections_.emplace(id, kj::mv(conn));
  if (options_.tls == nullptr) {
    serve(id, sync::Channel{kj::mv(stream), {}, {}});
    return;
  }
  ref.handshake = options_.tls->wrap(kj::mv(stream))
                      .then([this, id](sync::Channel channel) { serve(id, kj::mv(channel)); },
                            [this, id](kj::Exception&& e) {
                              // A plaintext client, a scanner, a wrong version:
                              // closed from a task (this promise is running).
                              ++hub_.counters().tlsFailed;
                              std::string why = "TLS handshake failed: " + std::string(e.getDescription().cStr());
                              tasks_.add(kj::evalLater([this, id, why] { close(id, why); }));
                            })
                      .eagerlyEvaluate(nullptr);
}

void RelayServer::serve(uint64_t id, sync::Channel channel) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  auto rpc = kj::heap<Rpc>(hub_, id, kj::mv(channel));
  tasks_.add(rpc->network.onDisconnect().then(
      // Also how the RPC layer ends a connection over a limit or sending
      // garbage: it sends the peer an Abort with the reason and hangs up.
      [this, id]() { close(id, "connection ended (peer hung up, or the RPC layer refused its input)"); },
      [this, id](kj::Exception&& e) { close(id, e.getDescription().cStr()); }));
  it->second->rpc = kj::mv(rpc);
}

void RelayServer::closeAll(std::string_view reason) {
  while (!connections_.empty()) close(connections_.begin()->first, reason);
}

void RelayServer::close(uint64_t id, std::string_view reason) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  hub_.connectionClosed(id);
  hub_.log(id, "closed: " + std::string(reason));
  auto conn = kj::mv(it->second);
  connections_.erase(it);
  auto a = perAddress_.find(conn->address);
  if (a != perAddress_.end() && --a->second == 0) perAddress_.erase(a);
  // conn (network, RPC system, socket) is destroyed here.
}

kj::Promise<void> RelayServer::closeWhenFlushed(uint64_t id, std::string reason, int turns) {
  // evalLast: after the call that asked for the close has queued its reply.
  return kj::evalLast([this, id, reason = std::move(reason), turns]() mutable -> kj::Promise<void> {
    auto it = connections_.find(id);
    if (it == connections_.end()) return kj::READY_NOW;
    if (it->second->queued() == 0 || turns <= 0) {
      close(id, reason);
      return kj::READY_NOW;
    }
    // A socket write waits for the peer to read: check again a little later.
    KJ_IF_MAYBE (timer, timer_) {
      return timer->afterDelay(10 * kj::MILLISECONDS).then([this, id, reason = std::move(reason), turns]() mutable {
        return closeWhenFlushed(id, std::move(reason), turns - 1);
      });
    }
    return closeWhenFlushed(id, std::move(reason), turns - 1);
  });
}

size_t RelayServer::queuedBytes() {
  size_t total = 0;
  for (auto& [id, conn] : connections_) {
    total += conn->queued();
    closeIfNotReading(id, *conn);
  }
  return total;
}

bool RelayServer::closeIfNotReading(uint64_t id, Connection& conn) {
  size_t queued = conn.queued();
  if (queued <= options_.maxQueuedBytesPerConnection) return false;
  if (!conn.closing) {
    // Later, not now: this may run inside a call on that very connection.
    conn.closing = true;
    tasks_.add(kj::evalLater(
        [this, id, queued]() { close(id, "not reading: " + std::to_string(queued >> 20) + " MiB queued for it"); }));
  }
  return true;
}

void RelayServer::checkQueueSoon(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second->queueCheck) return;
  it->second->queueCheck = true;
  // evalLast: after the call's reply (or the notification) is queued.
  tasks_.add(kj::evalLast([this, id] {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    it->second->queueCheck = false;
    closeIfNotReading(id, *it->second);
  }));
}

kj::Maybe<kj::Promise<void>> RelayServer::roomForPush() {
  if (queuedBytes() <= options_.maxQueuedBytesTotal) return nullptr;
  KJ_IF_MAYBE (timer, timer_) {
    return timer->afterDelay(2 * kj::MILLISECONDS);
  }
  return nullptr;
}

void RelayServer::taskFailed(kj::Exception&& exception) {
  hub_.log(0, "connection task failed: " + std::string(exception.getDescription().cStr()));
}

}  // namespace ridealong::relay
