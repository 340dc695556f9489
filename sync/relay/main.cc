// ridealong-relay: stores sealed changes per space and fans them out to the
// space's devices. Wires the LMDB store, the hub, TLS, the TCP server and
// the admin endpoint on one kj event loop; SIGTERM/SIGINT close connections
// and the store cleanly. Subcommands: `token create|list` (sign-up tokens).
#include <fmt/chrono.h>
#include <fmt/core.h>
#include <kj/async-io.h>
#include <kj/async-unix.h>
#include <kj/debug.h>
#include <signal.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <chrono>
#include <ctime>
#include <string>

#include "relay/admin_server.h"
#include "relay/relay_server.h"
#include "relay/relay_service.h"
#include "relay/relay_store.h"

namespace {

bool jsonLogs = false;

// One line per event: text for a terminal, or one JSON object per line
// (--log-format json) for journald/ELK; "conn=N rest" becomes fields.
void logLine(std::string_view line) {
  auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  if (!jsonLogs) {
    fmt::print(stderr, "{:%Y-%m-%dT%H:%M:%S}Z ridealong-relay: {}\n", std::chrono::floor<std::chrono::seconds>(now),
               line);
  } else {
    nlohmann::json j;
    j["ts"] = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", now);
    if (line.rfind("conn=", 0) == 0) {
      auto space = line.find(' ');
      j["conn"] = std::strtoull(std::string(line.substr(5, space - 5)).c_str(), nullptr, 10);
      line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    }
    j["msg"] = std::string(line);
    fmt::print(stderr, "{}\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  std::fflush(stderr);
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
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
    logLine(
        fmt::format("warning: open files limited to {}; fewer than --max-connections {} "
                    "connections fit",
                    lim.rlim_cur, maxConnections));
  }
}

struct TlsArgs {
  std::string cert, key;
};

ridealong::Result<ridealong::sync::RelayIdentity> identityOf(const std::string& dataDir, const TlsArgs& tls) {
  if (!tls.cert.empty()) return ridealong::sync::loadRelayIdentity(tls.cert, tls.key);
  return ridealong::sync::loadOrCreateRelayIdentity(dataDir);
}

int run(const std::string& listen, const std::string& dataDir, const std::string& adminListen, const TlsArgs& tlsArgs,
        ridealong::relay::RelayStoreOptions storeOptions, ridealong::relay::RelayOptions options,
        ridealong::relay::ServerOptions serverOptions) {
  using namespace ridealong::relay;
  // Before any thread exists (LMDB makes none), so the mask is inherited.
  kj::UnixEventPort::captureSignal(SIGTERM);
  kj::UnixEventPort::captureSignal(SIGINT);
  signal(SIGPIPE, SIG_IGN);
  raiseOpenFileLimit(serverOptions.maxConnections);
  auto io = kj::setupAsyncIo();

  storeOptions.log = logLine;
  auto store = RelayStore::openLmdb(dataDir, storeOptions);
  if (!store) {
    logLine("cannot start: " + store.status().toString());
    return 1;
  }
  auto identity = identityOf(dataDir, tlsArgs);
  if (!identity) {
    logLine("cannot start: TLS identity: " + identity.status().toString());
    return 1;
  }
  auto tls = ridealong::sync::TlsServer::make(*identity);
  if (!tls) {
    logLine("cannot start: TLS: " + tls.status().toString());
    return 1;
  }
  serverOptions.tls = tls->get();
  // Devices pin this key: the operator gives it with each sign-up token.
  logLine("relay key " + ridealong::sync::formatPin(identity->pin) +
          (tlsArgs.cert.empty() ? " (self-signed, " + dataDir + "/tls-cert.pem)" : " (" + tlsArgs.cert + ")"));
  if (options.openSignup) logLine("open sign-up: anyone who can reach this relay may create a space");
  RelayHub hub(**store, options, logLine);
  auto server = kj::heap<RelayServer>(hub, io.provider->getTimer(), serverOptions);

  kj::Own<kj::ConnectionReceiver> receiver;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                 auto addr = io.provider->getNetwork().parseAddress(listen, 7420).wait(io.waitScope);
                 receiver = addr->listen();
               })) {
    logLine("cannot listen on " + listen + ": " + e->getDescription().cStr());
    return 1;
  }
  // Port 0 picks a free port; print the real one (tests read this line).
  std::string host = listen.substr(0, listen.rfind(':'));
  logLine(fmt::format("listening on {}:{} data {}", host, receiver->getPort(), dataDir));

  kj::Own<AdminServer> admin;
  kj::Own<kj::ConnectionReceiver> adminReceiver;
  kj::Promise<void> adminServing = kj::NEVER_DONE;
  if (!adminListen.empty()) {
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                   auto addr = io.provider->getNetwork().parseAddress(adminListen, 9420).wait(io.waitScope);
                   adminReceiver = addr->listen();
                 })) {
      logLine("cannot listen on " + adminListen + " (--admin-listen): " + e->getDescription().cStr());
      return 1;
    }
    admin = kj::heap<AdminServer>(io.provider->getTimer(), hub, *server);
    std::string adminHost = adminListen.substr(0, adminListen.rfind(':'));
    logLine(fmt::format("admin on http://{}:{}/metrics and /healthz", adminHost, adminReceiver->getPort()));
    adminServing = admin->listen(*adminReceiver).eagerlyEvaluate([](kj::Exception&& e) {
      logLine("admin listener failed: " + std::string(e.getDescription().cStr()));
    });
  }

  auto serving = server->listen(*receiver);
  auto stop =
      io.unixEventPort.onSignal(SIGTERM).exclusiveJoin(io.unixEventPort.onSignal(SIGINT)).then([](siginfo_t info) {
        return info.si_signo;
      });
  int signo = 0;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                 signo = serving.then([]() { return 0; }).exclusiveJoin(kj::mv(stop)).wait(io.waitScope);
               })) {
    logLine("listener failed: " + std::string(e->getDescription().cStr()));
    return 1;
  }
  logLine(fmt::format("signal {}: shutting down", signo));
  adminServing = nullptr;
  admin = nullptr;
  server = nullptr;  // closes every connection, each with a log line
  const auto& c = hub.counters();
  logLine(fmt::format("stopped: {} pushes ({} refused), {} changes stored, {} auth ok, {} auth failed", c.pushes,
                      c.refusedPushes, c.changesStored, c.authOk, c.authFailed));
  return 0;
}

// `token create|list`: sign-up tokens, in the relay's store (the relay may
// be running: LMDB allows another process).
int runToken(const std::string& dataDir, bool create, uint64_t spaces, const std::string& expires) {
  using namespace ridealong::relay;
  auto store = RelayStore::openLmdb(dataDir);
  if (!store) {
    fmt::print(stderr, "ridealong-relay: {}\n", store.status().toString());
    return 1;
  }
  if (create) {
    int64_t expiresMs = 0;
    if (!expires.empty()) {
      std::tm tm{};
      if (!strptime(expires.c_str(), "%Y-%m-%d", &tm)) {
        fmt::print(stderr, "ridealong-relay: --expires must be a date YYYY-MM-DD, got '{}'\n", expires);
        return 2;
      }
      expiresMs = static_cast<int64_t>(timegm(&tm)) * 1000 + 86400000;  // to the end of that day (UTC)
      if (expiresMs <= nowMs()) {
        fmt::print(stderr, "ridealong-relay: --expires {} is in the past\n", expires);
        return 2;
      }
    }
    auto token = (*store)->createToken(spaces, expiresMs, nowMs());
    if (!token) {
      fmt::print(stderr, "ridealong-relay: {}\n", token.status().toString());
      return 1;
    }
    fmt::print("{}\n", *token);
    fmt::print(stderr,
               "token for {} space(s){}; give it with the relay's address and key to the person "
               "creating the space (`space create --relay ADDRESS --relay-key KEY --token TOKEN`)\n",
               spaces, expires.empty() ? "" : ", valid through " + expires);
    return 0;
  }
  auto all = (*store)->tokens();
  if (!all) {
    fmt::print(stderr, "ridealong-relay: {}\n", all.status().toString());
    return 1;
  }
  fmt::print("{:<10} {:>11} {:<12} {}\n", "ID", "SPACES LEFT", "EXPIRES", "CREATED");
  auto day = [](int64_t ms) {
    std::time_t t = ms / 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return std::string(buf);
  };
  for (const auto& t : *all)
    fmt::print("{:<10} {:>11} {:<12} {}\n", t.id, t.spacesLeft, t.expiresMs ? day(t.expiresMs - 1) : "never",
               day(t.createdMs));
  return 0;
}

// --check: walks the store; 0 when sound.
int runCheck(const std::string& dataDir) {
  auto store = ridealong::relay::RelayStore::openLmdb(dataDir);
  if (!store) {
    fmt::print(stderr, "ridealong-relay --check: {}\n", store.status().toString());
    return 1;
  }
  auto st = (*store)->verifyAll();
  auto spaces = (*store)->spaceCount();
  auto size = (*store)->sizeBytes();
  if (!st) {
    fmt::print(stderr, "ridealong-relay --check: {}: {}\n", dataDir, st.toString());
    return 1;
  }
  fmt::print("ridealong-relay --check: {}: ok ({} spaces, {:.1f} MiB)\n", dataDir, spaces ? *spaces : 0,
             size ? static_cast<double>(*size) / (1 << 20) : 0.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "ridealong-relay: stores end-to-end encrypted changes for Ridealong spaces "
      "and relays them between a space's devices over TLS. It never sees plaintext."};
  app.footer(
      "First start makes a TLS key and a self-signed certificate in the data directory and logs "
      "its key (sha256:...). Give devices that key and a sign-up token:\n"
      "  ridealong-relay --data DIR token create --spaces 1\n"
      "  ridealong-cli space create --relay HOST:PORT --relay-key sha256:... --token rdt-...");
  std::string listen = "127.0.0.1:7420";
  std::string dataDir;
  std::string adminListen;
  std::string logFormat = "text";
  TlsArgs tlsArgs;
  bool printKey = false, checkOnly = false;
  ridealong::relay::RelayOptions options;
  ridealong::relay::ServerOptions serverOptions;
  ridealong::relay::RelayStoreOptions storeOptions;
  unsigned authTimeoutSec = 30;
  unsigned idleTimeoutSec = 600;
  uint64_t maxMessageMiB = options.limits.maxMessageBytes >> 20;
  uint64_t quotaMiB = storeOptions.quota.maxBytes >> 20;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  app.add_option("--data", dataDir, "directory of the relay's LMDB store and TLS identity (created if missing)")
      ->required();
  auto* cert = app.add_option("--cert", tlsArgs.cert,
                              "PEM certificate (chain) to present instead of the self-signed one, e.g. "
                              "from a company CA; needs --key");
  auto* key = app.add_option("--key", tlsArgs.key, "PEM private key of --cert (unencrypted, mode 0600)");
  cert->needs(key);
  key->needs(cert);
  app.add_flag("--print-key", printKey, "print the relay's key pin (sha256:...) and exit");
  app.add_flag("--check", checkOnly, "verify the store (every change, version vector and count) and exit");
  app.add_option("--admin-listen", adminListen,
                 "HOST:PORT for /metrics (Prometheus) and /healthz over plain HTTP; keep it private");
  app.add_option("--log-format", logFormat, "text, or json (one object per line)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--open-signup", options.openSignup,
               "let anyone who can reach the relay create a space (a personal relay); by default a "
               "space needs a sign-up token (`token create`)");
  app.add_option("--quota-mib", quotaMiB, "MiB of sealed changes one space may store")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 24));
  app.add_option("--quota-devices", storeOptions.quota.maxDevices, "device ids one space may enrol")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--changes-per-minute", options.changesPerMinute,
                 "changes one space may push a minute, after a burst of --changes-burst")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  app.add_option("--changes-burst", options.changesBurst, "changes one space may push at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  app.add_option("--max-message-mib", maxMessageMiB, "largest RPC message accepted, MiB")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--max-changes-per-push", options.limits.maxChangesPerPush, "changes accepted in one push")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--max-sessions-per-space", options.maxSessionsPerSpace, "authenticated connections per space at once")
      ->capture_default_str();
  app.add_option("--max-connections-per-address", serverOptions.maxConnectionsPerAddress,
                 "open connections from one IP address at once (raise it behind a large NAT)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--max-connections", serverOptions.maxConnections, "open connections at once")->capture_default_str();
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
                 "seconds a connection may take to handshake and authenticate before it is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--idle-timeout", idleTimeoutSec,
                 "seconds an authenticated connection may make no call before it is closed "
                 "(devices send a heartbeat every 2 minutes; 0: never)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));

  auto* token = app.add_subcommand("token", "Sign-up tokens: who may create a space on this relay");
  token->require_subcommand(1);
  token->fallthrough();
  uint64_t tokenSpaces = 1;
  std::string tokenExpires;
  auto* create = token->add_subcommand("create", "Make a token and print it (shown once; only its hash is kept)");
  create->fallthrough();
  create->add_option("--spaces", tokenSpaces, "how many spaces it may create")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  create->add_option("--expires", tokenExpires, "last day it works, YYYY-MM-DD (UTC); default never");
  auto* list = token->add_subcommand("list", "List tokens: id, spaces left, expiry");
  list->fallthrough();
  CLI11_PARSE(app, argc, argv);
  jsonLogs = logFormat == "json";
  if (create->parsed()) return runToken(dataDir, true, tokenSpaces, tokenExpires);
  if (list->parsed()) return runToken(dataDir, false, 0, "");
  if (checkOnly) return runCheck(dataDir);
  if (printKey) {
    auto identity = identityOf(dataDir, tlsArgs);
    if (!identity) {
      fmt::print(stderr, "ridealong-relay: {}\n", identity.status().toString());
      return 1;
    }
    fmt::print("{}\n", ridealong::sync::formatPin(identity->pin));
    return 0;
  }
  options.limits.maxMessageBytes = maxMessageMiB << 20;
  storeOptions.quota.maxBytes = quotaMiB << 20;
  serverOptions.authTimeout = authTimeoutSec * kj::SECONDS;
  serverOptions.idleTimeout = idleTimeoutSec * kj::SECONDS;
  serverOptions.maxQueuedBytesPerConnection = queuedMiB << 20;
  serverOptions.maxQueuedBytesTotal = queuedTotalMiB << 20;
  return run(listen, dataDir, adminListen, tlsArgs, storeOptions, options, serverOptions);
}
