// A flood of hostile connections against a real ridealong-relay process:
// 300 opened at once, some silent, some sending random bytes, some sending
// a plaintext Cap'n Proto header (no TLS), and a few that handshake TLS and
// then announce a huge message and stall. While they are open a
// well-behaved device registers, pushes and pulls; the relay closes the
// plaintext ones without a byte of RPC, the oversized ones with a reason,
// stores nothing from any of them, and keeps serving.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <random>
#include <regex>
#include <thread>
#include <vector>

#include "relay_process.h"
#include "ridealong/sync/wire.h"
#include "tcp_device.h"
#include "temp_dir.h"

namespace ridealong::sync {
namespace {

int connectTo(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

// What the relay sent on `fd` before closing it; nullopt if still open after `ms`.
std::optional<std::string> readUntilClosed(int fd, int ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  std::string got;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return got;
    got.append(buf, static_cast<size_t>(n));
  }
  return std::nullopt;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

core::VersionVector have(kj::AsyncIoContext& io, wire::SyncSession::Client& s) {
  return *fromWire(s.haveRequest().send().wait(io.waitScope).getVv(), WireLimits{});
}

void pushRange(kj::AsyncIoContext& io, testing::TcpDevice& d, wire::SyncSession::Client& s, uint64_t from,
               uint64_t to) {
  std::vector<SealedChange> cs;
  for (uint64_t seq = from; seq <= to; ++seq)
    cs.push_back(d.keys.seal(d.id, seq, "note", seq > 1 ? d.keys.digest("note") : ""));
  auto req = s.pushRequest();
  toWire(cs, req.initChanges(static_cast<unsigned>(cs.size())));
  req.send().wait(io.waitScope);
}

TEST_CASE("a flood of hostile connections: the relay keeps serving, stores nothing", "[sync][relay-process][flood]") {
  testing::TempDir tmp;
  testing::RelayProcess relay(RIDEALONG_RELAY_PATH, tmp.sub("relay"), tmp.sub("relay.log"));
  std::mt19937 rng(7);
  std::vector<int> silent, garbage, oversized;
  for (int i = 0; i < 300; ++i) {
    int fd = connectTo(relay.port());
    if (i % 3 == 0) {
      silent.push_back(fd);
    } else if (i % 3 == 1) {
      std::string junk(1 + rng() % 2000, '\0');
      for (char& c : junk) c = static_cast<char>(rng());
      (void)!::write(fd, junk.data(), junk.size());
      garbage.push_back(fd);
    } else {
      // One segment of 2^28 words (2 GiB) announced, a few bytes sent.
      uint32_t header[2] = {0, 1u << 28};
      (void)!::write(fd, header, sizeof header);
      (void)!::write(fd, "partial", 7);
      oversized.push_back(fd);
    }
  }

  // A well-behaved device, served while all 300 are still open.
  auto io = kj::setupAsyncIo();
  auto keys = SpaceKeys::derive(newSpaceId(), newSpaceSecret());
  testing::TcpDevice good(io, relay, keys);
  registerSpace(good.relay, keys).wait(io.waitScope);
  auto session = openSession(good.relay, keys, good.identity, good.binding).wait(io.waitScope);
  pushRange(io, good, session, 1, 5);
  CHECK(have(io, session) == core::VersionVector{{good.id, 5}});

  // A plaintext client gets nothing: closed in the TLS handshake, and
  // what it read, if anything, is a TLS alert, never RPC.
  for (int fd : oversized) {
    auto sent = readUntilClosed(fd, 5000);
    REQUIRE(sent.has_value());
    CHECK(sent->size() < 16);
  }
  // Over TLS, an announced 2 GiB message is closed with a reason (a Cap'n
  // Proto Abort message) while the good device keeps its session.
  size_t explained = 0;
  for (int i = 0; i < 10; ++i) {
    auto channel = connectRelay(io.provider->getNetwork(), testing::endpointOf(relay)).wait(io.waitScope);
    uint32_t header[2] = {0, 1u << 28};
    channel.stream->write(header, sizeof header).wait(io.waitScope);
    channel.stream->write("partial", 7).wait(io.waitScope);
    auto reply = channel.stream->readAllText().wait(io.waitScope);
    explained += std::string(reply.cStr(), reply.size()).find("too large") != std::string::npos;
  }
  CHECK(explained == 10);
  for (auto* group : {&silent, &garbage, &oversized})
    for (int fd : *group) ::close(fd);

  pushRange(io, good, session, 6, 8);
  CHECK(have(io, session) == core::VersionVector{{good.id, 8}});  // nothing else stored
  std::string log = relay.log();
  CHECK(count(log, "accepted connection") >= 311);
  CHECK(count(log, "TLS handshake failed") >= 200);
  CHECK(count(log, "registered space") == 1);
  CHECK(count(log, "authenticated device") == 1);
  CHECK(count(log, "enrolled device") == 1);
}

}  // namespace
}  // namespace ridealong::sync
