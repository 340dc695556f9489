// SyncEngine over connections cut after a growing number of bytes (a
// loopback proxy in front of a real relay process): each attempt keeps the
// whole pages it got through, the next resumes, and in the end both devices
// hold the same notes with nothing lost or duplicated.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "engine_fixture.h"
#include "ok_value.h"
#include "relay_process.h"
#include "ridealong/core/notebook.h"
#include "ridealong/sync/engine.h"
#include "temp_dir.h"

namespace ridealong::sync {
namespace {

// Accepts one connection, forwards it to the relay and closes both sides
// once `budget` bytes (both directions together) have passed.
class CuttingProxy {
 public:
  CuttingProxy(int relayPort, size_t budget) : relayPort_(relayPort), budget_(budget) {
    listenFd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listenFd_, 1) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~CuttingProxy() {
    ::shutdown(listenFd_, SHUT_RDWR);
    thread_.join();
    ::close(listenFd_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void run() {
    int client = ::accept(listenFd_, nullptr, nullptr);
    if (client < 0) return;
    int relay = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(relayPort_));
    if (::connect(relay, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      size_t passed = 0;
      char buf[4096];
      pollfd fds[2] = {{client, POLLIN, 0}, {relay, POLLIN, 0}};
      while (passed<budget_&& ::poll(fds, 2, 5000)> 0) {
        bool closed = false;
        for (int i = 0; i < 2; ++i) {
          if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
          size_t want = std::min(sizeof buf, budget_ - passed);
          ssize_t n = ::read(fds[i].fd, buf, want);
          if (n <= 0) {
            closed = true;
            break;
          }
          if (::write(fds[1 - i].fd, buf, static_cast<size_t>(n)) != n) closed = true;
          passed += static_cast<size_t>(n);
          if (passed >= budget_) break;
        }
        if (closed) break;
      }
    }
    ::close(relay);
    ::close(client);
  }

  int relayPort_;
  size_t budget_;
  int listenFd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// Runs syncOnce through fresh proxies with growing budgets until it
// succeeds; returns how many attempts were cut. Adds up what the engines
// reported pulled in `pulled`.
int syncThroughCuts(core::Notebook& nb, const SpaceKeys& keys, const testing::RelayProcess& relay,
                    uint64_t* pulled = nullptr) {
  const int relayPort = relay.port();
  int cuts = 0;
  for (size_t budget = 300;; budget = budget * 3 / 2) {
    CuttingProxy proxy(relayPort, budget);
    SyncEngineOptions options;
    options.relay = testing::endpointOf(relay);
    options.relay.address = proxy.address();  // through the proxy; TLS end to end
    options.pushPageChanges = 100;
    options.pullPageBytes = 4096;
    options.saveState = false;
    SyncEngine engine(platform::realEnv(), nb, keys, options);
    bool ok = engine.syncOnce().isOk();
    if (pulled) *pulled += engine.status().pulled;
    if (ok) return cuts;
    ++cuts;
    REQUIRE(cuts < 60);
  }
}

TEST_CASE("engine: syncs resume after connections cut anywhere", "[sync][engine][cut]") {
  TwoDeviceSpace space;
  auto& [tmp, relay, keys, a, b] = space;
  commitReps(*a, 600);

  CHECK(syncThroughCuts(*a, keys, relay) > 0);
  uint64_t pulled = 0;
  CHECK(syncThroughCuts(*b, keys, relay, &pulled) > 0);
  CHECK(OK_VALUE(a->dump()) == OK_VALUE(b->dump()));
  // Pages received before a cut are applied and counted: each change once.
  CHECK(pulled == 600);
  CHECK(OK_VALUE(a->versionVector()) == OK_VALUE(b->versionVector()));
  CHECK(OK_VALUE(b->stats()).changes == OK_VALUE(a->stats()).changes);
  CHECK(OK_VALUE(b->stats()).pending == 0);
}

}  // namespace
}  // namespace ridealong::sync
