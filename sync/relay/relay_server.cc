// Connection handling for the relay: accept, serve RPC with limits, close, log.
#include "relay/relay_server.h"

#include <arpa/inet.h>
#include <capnp/rpc-twoparty.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace ridealong::relay {

struct RelayServer::Connection {
  Connection(RelayHub& hub, uint64_t id, kj::Own<kj::AsyncIoStream> s)
      : stream(kj::mv(s)),
        network(*stream, capnp::rpc::twoparty::Side::SERVER, hub.options().limits.readerOptions()),
        rpc(capnp::makeRpcServer(network, hub.newConnection(id))) {}
  kj::Own<kj::AsyncIoStream> stream;
  capnp::TwoPartyVatNetwork network;
  capnp::RpcSystem<capnp::rpc::twoparty::VatId> rpc;
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

}  // namespace

RelayServer::RelayServer(RelayHub& hub, kj::Maybe<kj::Timer&> timer, ServerOptions options)
    : hub_(hub), timer_(timer), options_(options), tasks_(*this) {}

RelayServer::~RelayServer() { closeAll("relay shutting down"); }

kj::Promise<void> RelayServer::listen(kj::ConnectionReceiver& receiver) {
  return receiver.accept().then([this, &receiver](kj::Own<kj::AsyncIoStream>&& stream) {
    std::string peer = peerName(*stream);
    accept(kj::mv(stream), std::move(peer));
    return listen(receiver);
  });
}

void RelayServer::accept(kj::Own<kj::AsyncIoStream> stream, std::string peer) {
  uint64_t id = nextId_++;
  if (connections_.size() >= options_.maxConnections) {
    // Dropping the stream closes it; the client sees a disconnect.
    hub_.log(id, "refused connection from " + peer + ": too many connections");
    return;
  }
  auto conn = kj::heap<Connection>(hub_, id, kj::mv(stream));
  hub_.log(id, "accepted connection from " + peer);
  tasks_.add(conn->network.onDisconnect().then(
      [this, id]() { close(id, "peer disconnected"); },
      [this, id](kj::Exception&& e) { close(id, e.getDescription().cStr()); }));
  connections_.emplace(id, kj::mv(conn));
  KJ_IF_MAYBE (timer, timer_) {
    tasks_.add(timer->afterDelay(options_.authTimeout).then([this, id]() {
      if (!hub_.authenticated(id)) close(id, "not authenticated in time");
    }));
  }
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
  // conn (network, RPC system, socket) is destroyed here.
}

void RelayServer::taskFailed(kj::Exception&& exception) {
  hub_.log(0, "connection task failed: " + std::string(exception.getDescription().cStr()));
}

}  // namespace ridealong::relay
