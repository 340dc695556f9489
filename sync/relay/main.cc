// ridealong-relay: stores sealed changes per space and fans them out to the
// space's devices. Wires the LMDB store, the hub and the TCP server on one kj
// event loop; SIGTERM/SIGINT close connections and the store cleanly.
#include <fmt/chrono.h>
#include <fmt/core.h>
#include <kj/async-io.h>
#include <kj/async-unix.h>
#include <kj/debug.h>
#include <signal.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <string>

#include "relay/relay_server.h"
#include "relay/relay_service.h"
#include "relay/relay_store.h"

namespace {

void logLine(std::string_view line) {
  auto now = std::chrono::system_clock::now();
  fmt::print(stderr, "{:%Y-%m-%dT%H:%M:%S}Z ridealong-relay: {}\n",
             std::chrono::floor<std::chrono::seconds>(now), line);
  std::fflush(stderr);
}

// Each connection is a file descriptor; the usual soft limit (1024) would cap
// a relay far below --max-connections, so take the hard limit.
void raiseOpenFileLimit(size_t maxConnections) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0) getrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < maxConnections + 64) {
    logLine(fmt::format("warning: open files limited to {}; fewer than --max-connections {} "
                        "connections fit",
                        lim.rlim_cur, maxConnections));
  }
}

int run(const std::string& listen, const std::string& dataDir,
        ridealong::relay::RelayOptions options, ridealong::relay::ServerOptions serverOptions) {
  using namespace ridealong::relay;
  // Before any thread exists (LMDB makes none), so the mask is inherited.
  kj::UnixEventPort::captureSignal(SIGTERM);
  kj::UnixEventPort::captureSignal(SIGINT);
  signal(SIGPIPE, SIG_IGN);
  raiseOpenFileLimit(serverOptions.maxConnections);
  auto io = kj::setupAsyncIo();

  RelayStoreOptions storeOptions;
  storeOptions.log = logLine;
  auto store = RelayStore::openLmdb(dataDir, storeOptions);
  if (!store) {
    logLine("cannot start: " + store.status().toString());
    return 1;
  }
  RelayHub hub(**store, options, logLine);
  auto server = kj::heap<RelayServer>(hub, io.provider->getTimer(), serverOptions);

  kj::Own<kj::ConnectionReceiver> receiver;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                 auto addr =
                     io.provider->getNetwork().parseAddress(listen, 7420).wait(io.waitScope);
                 receiver = addr->listen();
               })) {
    logLine("cannot listen on " + listen + ": " + e->getDescription().cStr());
    return 1;
  }
  // Port 0 picks a free port; print the real one (tests read this line).
  std::string host = listen.substr(0, listen.rfind(':'));
  logLine(fmt::format("listening on {}:{} data {}", host, receiver->getPort(), dataDir));

  auto serving = server->listen(*receiver);
  auto stop = io.unixEventPort.onSignal(SIGTERM)
                  .exclusiveJoin(io.unixEventPort.onSignal(SIGINT))
                  .then([](siginfo_t info) { return info.si_signo; });
  int signo = 0;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                 signo = serving.then([]() { return 0; })
                             .exclusiveJoin(kj::mv(stop))
                             .wait(io.waitScope);
               })) {
    logLine("listener failed: " + std::string(e->getDescription().cStr()));
    return 1;
  }
  logLine(fmt::format("signal {}: shutting down", signo));
  server = nullptr;  // closes every connection, each with a log line
  const auto& c = hub.counters();
  logLine(fmt::format(
      "stopped: {} pushes ({} refused), {} changes stored, {} auth ok, {} auth failed", c.pushes,
      c.refusedPushes, c.changesStored, c.authOk, c.authFailed));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "ridealong-relay: stores end-to-end encrypted changes for Ridealong spaces "
      "and relays them between a space's devices. It never sees plaintext."};
  std::string listen = "127.0.0.1:7420";
  std::string dataDir;
  ridealong::relay::RelayOptions options;
  ridealong::relay::ServerOptions serverOptions;
  unsigned authTimeoutSec = 30;
  unsigned idleTimeoutSec = 600;
  uint64_t maxMessageMiB = options.limits.maxMessageBytes >> 20;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--data", dataDir, "directory of the relay's LMDB store (created if missing)")
      ->required();
  app.add_option("--max-message-mib", maxMessageMiB, "largest RPC message accepted, MiB")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--max-changes-per-push", options.limits.maxChangesPerPush,
                 "changes accepted in one push")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--max-sessions-per-space", options.maxSessionsPerSpace,
                 "authenticated connections per space at once")
      ->capture_default_str();
  app.add_option("--max-connections-per-address", serverOptions.maxConnectionsPerAddress,
                 "open connections from one IP address at once (raise it behind a large NAT)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--max-connections", serverOptions.maxConnections, "open connections at once")
      ->capture_default_str();
  size_t queuedMiB = serverOptions.maxQueuedBytesPerConnection >> 20;
  size_t queuedTotalMiB = serverOptions.maxQueuedBytesTotal >> 20;
  app.add_option("--max-queued-mib", queuedMiB,
                 "MiB of replies and notifications waiting for one connection's socket before "
                 "it is closed as not reading")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--max-queued-total-mib", queuedTotalMiB,
                 "MiB waiting for all sockets together before pushes wait (backpressure)")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  app.add_option("--auth-timeout", authTimeoutSec,
                 "seconds a connection may take to authenticate before it is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--idle-timeout", idleTimeoutSec,
                 "seconds an authenticated connection may make no call before it is closed "
                 "(devices send a heartbeat every 2 minutes; 0: never)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  CLI11_PARSE(app, argc, argv);
  options.limits.maxMessageBytes = maxMessageMiB << 20;
  serverOptions.authTimeout = authTimeoutSec * kj::SECONDS;
  serverOptions.idleTimeout = idleTimeoutSec * kj::SECONDS;
  serverOptions.maxQueuedBytesPerConnection = queuedMiB << 20;
  serverOptions.maxQueuedBytesTotal = queuedTotalMiB << 20;
  return run(listen, dataDir, options, serverOptions);
}
