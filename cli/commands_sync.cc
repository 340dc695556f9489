// `space create|invite|join` and `sync [--once|--watch] | sync status`: joining
// a notebook to a space on a relay and keeping it in step (sync/engine.h).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli_context.h"
#include "output.h"
#include "ridealong/core/trouble.h"
#include "ridealong/sync/engine.h"
#include "ridealong/sync/membership.h"
#include "ridealong/sync/space_config.h"

namespace ridealong::cli {

namespace {

struct CreateArgs {
  std::string relay, relayKey, token;
  bool systemCa = false;
};

Status createSpace(CliContext& ctx, const CreateArgs& args) {
  auto nb = ctx.open();  // a notebook must exist before it joins a space
  if (!nb) return nb.status();
  sync::RelayEndpoint relay{args.relay, sync::RelayTrust::kFirstUse, {}};
  if (!args.relayKey.empty()) {
    auto pin = sync::parsePin(args.relayKey);
    if (!pin) return pin.status();
    relay.trust = sync::RelayTrust::kPinned;
    relay.pin = *pin;
  } else if (args.systemCa) {
    relay.trust = sync::RelayTrust::kSystemCa;
  }
  auto m = sync::createSpace(ctx.env, ctx.dataDir, relay, args.token);
  if (!m) return m.status();
  fmt::print("{}\n", m->inviteCode);
  fmt::print(stderr,
             "space create: space {} registered on {}; join other devices with `space join CODE` "
             "(the code is a password)\n",
             m->config.space.str(), sync::describe(m->config.relay));
  if (relay.trust == sync::RelayTrust::kFirstUse) {
    fmt::print(stderr,
               "space create: trusting the key the relay presented; compare it with the one its "
               "operator sees (`ridealong-relay --print-key`), or pass --relay-key next time\n");
  }
  return Status::ok();
}

// Spaces made before relays spoke TLS pin the relay's key at their first sync.
Result<sync::SpaceConfig> loadPinnedConfig(CliContext& ctx) {
  auto config = sync::loadSpaceConfig(ctx.env, ctx.dataDir);
  if (!config) return config.status();
  bool learned = false;
  auto pinned = sync::pinRelayOnFirstUse(ctx.env, ctx.dataDir, *config, &learned);
  if (pinned && learned)
    fmt::print(stderr, "sync: note: pinned the relay's key {} (first contact over TLS)\n",
               sync::formatPin(pinned->relay.pin));
  return pinned;
}

Status printInvite(CliContext& ctx) {
  auto m = sync::currentMembership(ctx.env, ctx.dataDir);
  if (!m) return m.status();
  fmt::print("{}\n", m->inviteCode);
  return Status::ok();
}

Status joinSpace(CliContext& ctx, const std::string& text) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto m = sync::joinSpace(ctx.env, ctx.dataDir, text);
  if (!m) return m.status();
  fmt::print(stderr, "space join: joined space {} on {}; run `sync` to fetch its notes\n", m->config.space.str(),
             sync::describe(m->config.relay));
  return Status::ok();
}

// What the store says a person should know (a copy found, changes set
// aside, a wrong clock) and is new since `sinceMs`, on stderr after a sync;
// `sync status` lists them all.
Status printNotices(core::Notebook& nb, int64_t sinceMs) {
  auto notes = core::notices(nb);
  if (!notes) return notes.status().withContext("reading the notices after the sync");
  for (const auto& n : *notes)
    if (n.atMs >= sinceMs) fmt::print(stderr, "sync: note: {}\n", n.text);
  return Status::ok();
}

std::string statusLine(const sync::SyncStatus& s) {
  std::string line = fmt::format("sync: {}; pushed {}, pulled {}", sync::stateName(s.state), s.pushed, s.pulled);
  if (!s.lastError.empty()) line += "; last error: " + s.lastError;
  return line;
}

Status runSync(CliContext& ctx, bool watch) {
  auto config = loadPinnedConfig(ctx);
  if (!config) return config.status();
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto keys = sync::SpaceKeys::derive(config->space, config->secret);
  sync::SyncEngineOptions options;
  options.relay = config->relay;
  if (!watch) {
    // Progress on a terminal, rewritten in place: a first sync of a large
    // notebook over a slow link takes a while.
    const bool progress = isatty(STDERR_FILENO) != 0;
    if (progress) {
      options.onStatus = [](const sync::SyncStatus& s) {
        if (s.state != sync::SyncStatus::State::kSyncing) return;
        fmt::print(stderr, "\rsync: pushed {}, pulled {} changes...", s.pushed, s.pulled);
        std::fflush(stderr);
      };
    }
    auto before = sync::loadSyncState(ctx.env, ctx.dataDir);
    int64_t previous = before ? before->lastSyncMs : 0;
    sync::SyncEngine engine(ctx.env, **nb, keys, options);
    Status st = engine.syncOnce();
    if (progress) fmt::print(stderr, "\r\033[K");  // the line is replaced by the result
    if (!st) return st;
    auto s = engine.status();
    fmt::print("sync: up to date with {}; pushed {}, pulled {} changes\n", config->relay.address, s.pushed, s.pulled);
    return printNotices(**nb, previous);
  }
  // Ctrl-C / SIGTERM end --watch: blocked here (the engine thread inherits
  // the mask) and taken with sigwait, so no handler races the engine.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  auto last = std::make_shared<std::string>();
  options.onStatus = [last](const sync::SyncStatus& s) {
    std::string line = statusLine(s);
    if (line == *last) return;
    *last = line;
    fmt::print("{}\n", line);
    std::fflush(stdout);
  };
  sync::SyncEngine engine(ctx.env, **nb, keys, options);
  engine.start();
  int sig = 0;
  sigwait(&stopSignals, &sig);
  engine.stop();
  fmt::print(stderr, "sync: stopped\n");
  return Status::ok();
}

uint64_t total(const core::VersionVector& vv) {
  uint64_t n = 0;
  for (const auto& [actor, seq] : vv) n += seq;
  return n;
}

Status printSyncStatus(CliContext& ctx, bool json) {
  auto config = sync::loadSpaceConfig(ctx.env, ctx.dataDir);
  if (!config) return config.status();
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto state = sync::loadSyncState(ctx.env, ctx.dataDir);
  if (!state) return state.status();
  auto local = (*nb)->versionVector();
  if (!local) return local.status();
  auto pending = sync::ownChangesNotOn(**nb, state->relayVv);
  if (!pending) return pending.status();
  auto notes = core::notices(**nb);
  if (!notes) return notes.status();
  auto device = (*nb)->device();
  if (!device) return device.status();
  auto setAside = (*nb)->quarantined();
  if (!setAside) return setAside.status();
  std::string last = state->lastSyncMs ? core::formatTimeMs(state->lastSyncMs) : "never";
  if (json) {
    Json j = {{"space", config->space.str()},
              {"relay", config->relay.address},
              {"relayTrust", sync::describe(config->relay)},
              {"device", device->str()},
              {"localChanges", total(*local)},
              {"relayChangesAtLastSync", total(state->relayVv)},
              {"pendingLocal", *pending},
              {"lastSyncMs", state->lastSyncMs},
              {"lastSync", last},
              {"lastError", state->lastError},
              {"notices", Json::array()},
              {"setAside", Json::array()}};
    for (const auto& n : *notes)
      j["notices"].push_back({{"kind", core::kindName(n.kind)}, {"text", n.text}, {"atMs", n.atMs}});
    for (const auto& q : *setAside)
      j["setAside"].push_back({{"device", q.actor.str()},
                               {"seq", q.seq},
                               {"reason", q.reason},
                               {"atMs", q.atMs},
                               {"build", q.build},
                               {"sealed", q.sealed}});
    fmt::print("{}", jsonText(j));
    return Status::ok();
  }
  fmt::print("space:          {}\n", config->space.str());
  fmt::print("relay:          {}\n", sync::describe(config->relay));
  fmt::print("device:         {}\n", device->str());
  fmt::print("last sync:      {}\n", last);
  fmt::print("local changes:  {}\n", total(*local));
  fmt::print("on relay:       {} (as of the last sync)\n", total(state->relayVv));
  fmt::print("not yet pushed: {}\n", *pending);
  if (!state->lastError.empty()) fmt::print("last error:     {}\n", state->lastError);
  if (!notes->empty()) fmt::print("\n");
  for (const auto& n : *notes) fmt::print("note ({}): {}\n", core::kindName(n.kind), n.text);
  return Status::ok();
}

}  // namespace

void addSyncCommands(CLI::App& app, CliContext& ctx) {
  auto* space = app.add_subcommand("space", "Share this notebook with other devices through a relay");
  space->require_subcommand(1);
  {
    auto args = std::make_shared<CreateArgs>();
    auto* cmd = space->add_subcommand("create", "Create a space on a relay and print its invite code");
    cmd->add_option("--relay", args->relay, "Relay address HOST:PORT")->required();
    auto* key = cmd->add_option("--relay-key", args->relayKey,
                                "The relay's key (sha256:..., from `ridealong-relay --print-key`); "
                                "without it, the key the relay presents now is trusted from now on");
    cmd->add_flag("--relay-ca-system", args->systemCa,
                  "Trust a certificate for the relay's host name from the system's CAs "
                  "(a relay run with --cert/--key from a public or company CA)")
        ->excludes(key);
    cmd->add_option("--token", args->token, "Sign-up token from the relay's operator (`ridealong-relay token create`)");
    cmd->callback([&ctx, args] { ctx.run = [&ctx, args] { return createSpace(ctx, *args); }; });
  }
  {
    auto* cmd = space->add_subcommand("invite", "Print the invite code again (it is a password)");
    cmd->callback([&ctx] { ctx.run = [&ctx] { return printInvite(ctx); }; });
  }
  {
    auto code = std::make_shared<std::string>();
    auto* cmd = space->add_subcommand("join", "Join the space of an invite code");
    cmd->add_option("CODE", *code, "Invite code from `space create` or `space invite`")->required();
    cmd->callback([&ctx, code] { ctx.run = [&ctx, code] { return joinSpace(ctx, *code); }; });
  }
  auto* sync = app.add_subcommand("sync", "Exchange changes with the space's relay");
  auto once = std::make_shared<bool>(false);
  auto watch = std::make_shared<bool>(false);
  auto* onceFlag = sync->add_flag("--once", *once, "Sync until up to date, then exit (default)");
  sync->add_flag("--watch", *watch, "Keep syncing, printing status lines, until Ctrl-C")->excludes(onceFlag);
  auto json = std::make_shared<bool>(false);
  auto* status = sync->add_subcommand("status", "Show the space, relay and what the last sync saw (no network)");
  status->add_flag("--json", *json, "Print as JSON");
  status->callback([&ctx, json] { ctx.run = [&ctx, json] { return printSyncStatus(ctx, *json); }; });
  // `once` is only parsed (the default): the callback holds it, as the
  // flag writes through its reference while the command line is parsed.
  sync->callback([&ctx, watch, once, status] {
    (void)once;
    if (status->parsed()) return;  // `sync status` set its own action
    ctx.run = [&ctx, watch] { return runSync(ctx, *watch); };
  });
}

}  // namespace ridealong::cli
