// sync-fanout and sync-idle: thousands of device connections (RawDevice,
// one kj loop in this process) against one real ridealong-relay process.
//  - fanout: D devices in S spaces, all subscribed, each pushes C changes
//    at once; done when every device has had every other device's changes
//    of its space delivered live, once and in order, and the relay's vv of
//    each space holds all of them. Wall time from the first push; the
//    relay's peak RSS (VmHWM).
//  - idle: N subscribed connections doing nothing; the relay's RSS. A push
//    into one space afterwards checks the subscriptions are live.
//  - handshake: N new connections, 32 at a time: TCP, TLS 1.3 and sign-in
//    (hello, enrol, auth), then closed. The relay is one thread, so its CPU
//    time (/proc/PID/stat) per connection gives sign-ins per second on one
//    core; TLS alone is timed the same way.
#include <fmt/core.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "benches.h"
#include "raw_devices.h"
#include "relay_tools.h"
#include "ridealong/sync/wire.h"

namespace ridealong::bench {

using namespace ridealong::sync;

namespace {

std::vector<SpaceKeys> newSpaces(int n) {
  std::vector<SpaceKeys> out;
  for (int i = 0; i < n; ++i) out.push_back(SpaceKeys::derive(newSpaceId(), newSpaceSecret()));
  return out;
}

std::vector<std::unique_ptr<RawDevice>> newDevices(int n, int spaces) {
  std::vector<std::unique_ptr<RawDevice>> out;
  for (int i = 0; i < n; ++i) {
    auto d = std::make_unique<RawDevice>();
    d->space = static_cast<size_t>(i % spaces);
    d->id = newSpaceId();          // 16 random bytes either way
    d->secret = newSpaceSecret();  // 32 likewise
    out.push_back(std::move(d));
  }
  return out;
}

std::string mib(uint64_t bytes) { return fmt::format("{:.1f} MiB", bytes / 1048576.0); }

// Runs the loop until `done()` or `seconds` pass.
template <typename F>
bool runUntil(kj::AsyncIoContext& io, F done, int seconds) {
  double deadline = nowMs() + seconds * 1000.0;
  while (!done() && nowMs() < deadline) io.provider->getTimer().afterDelay(5 * kj::MILLISECONDS).wait(io.waitScope);
  return done();
}

std::vector<std::string> relayArgs(const Options& o, int perSpace, int connections) {
  // Every device is a new device id of its space, and all of them come
  // from this machine's address: lift the devices quota and the cap per address.
  std::vector<std::string> args = {"--max-sessions-per-space",
                                   std::to_string(perSpace),
                                   "--max-connections",
                                   std::to_string(connections + 100),
                                   "--max-connections-per-address",
                                   std::to_string(connections + 100),
                                   "--quota-devices",
                                   "1000000"};
  std::istringstream extra(o.relayArgs);
  for (std::string a; extra >> a;) args.push_back(a);
  return args;
}

// A relay process sized for `devices` connections in `spaces` spaces (one
// more session per space for a probe device), the spaces registered, the
// devices made but not yet connected.
struct Swarm {
  Swarm(const Options& o, int deviceCount, int spaceCount) : scratch(o.dir) {
    uint64_t fds = raiseOpenFileLimit();
    if (fds < static_cast<uint64_t>(deviceCount) + 100)
      throw std::runtime_error(fmt::format("open files limited to {}", fds));
    int perSpace = (deviceCount + spaceCount - 1) / spaceCount + 1;
    relay.emplace(relayBinary(), scratch.path() + "/relay", scratch.path() + "/relay.log", "127.0.0.1:0",
                  relayArgs(o, perSpace, deviceCount));
    startRss = relay->rssBytes();
    spaces = newSpaces(spaceCount);
    registerAll(io, endpointOf(*relay), spaces);
    devices = newDevices(deviceCount, spaceCount);
  }
  // Connects, authenticates and subscribes every device; milliseconds.
  double connect() {
    double t0 = nowMs();
    connectAll(io, endpointOf(*relay), spaces, devices);
    return nowMs() - t0;
  }
  ScratchDir scratch;
  std::optional<RelayProcess> relay;
  uint64_t startRss = 0;
  kj::AsyncIoContext io = kj::setupAsyncIo();
  std::vector<SpaceKeys> spaces;
  std::vector<std::unique_ptr<RawDevice>> devices;
};

}  // namespace

std::vector<Figure> benchSyncFanout(const Options& o) {
  Swarm swarm(o, o.fanoutDevices, o.fanoutSpaces);
  auto& [scratch, relayOpt, startRss, io, spaces, devices] = swarm;
  auto& relay = *relayOpt;
  double connectMs = swarm.connect();
  fmt::print("sync-fanout: {} devices in {} spaces connected and subscribed in {:.0f} ms\n", devices.size(),
             spaces.size(), connectMs);

  // Sealed before the clock starts: the figure is the relay's, not libsodium's.
  std::vector<std::vector<SealedChange>> pushes;
  for (auto& d : devices) {
    pushes.emplace_back();
    for (int seq = 1; seq <= o.fanoutChanges; ++seq) {
      // Each change names the digest of the one before (the relay checks it).
      std::string prev = seq > 1 ? pushes.back().back().digest : std::string();
      pushes.back().push_back(spaces[d->space].seal(
          d->id, static_cast<uint64_t>(seq),
          fmt::format("observation {} of {}: asked about the timeline before pricing", seq, d->id.str()), prev));
    }
  }
  double t0 = nowMs();
  auto sends = kj::heapArrayBuilder<kj::Promise<void>>(devices.size());
  for (size_t i = 0; i < devices.size(); ++i) {
    auto req = devices[i]->session.pushRequest();
    toWire(pushes[i], req.initChanges(static_cast<unsigned>(pushes[i].size())));
    sends.add(req.send().ignoreResult());
  }
  kj::joinPromises(sends.finish()).wait(io.waitScope);
  double pushedMs = nowMs() - t0;
  std::vector<uint64_t> inSpace(spaces.size(), 0);
  for (auto& d : devices) inSpace[d->space] += static_cast<uint64_t>(o.fanoutChanges);
  auto converged = [&] {
    for (auto& d : devices)
      if (d->received != inSpace[d->space] - static_cast<uint64_t>(o.fanoutChanges)) return false;
    return true;
  };
  bool ok = runUntil(io, converged, 300);
  double wallMs = nowMs() - t0;
  uint64_t peak = relay.peakRssBytes();
  uint64_t anon = relay.statusField("RssAnon:"), file = relay.statusField("RssFile:");
  uint64_t bad = 0;
  for (auto& d : devices) bad += d->outOfOrder;
  if (!ok || bad) throw std::runtime_error(fmt::format("fan-out did not converge ({} out of order)", bad));
  // The relay holds every change of each space (its vv, asked by one device per space).
  for (size_t s = 0; s < spaces.size(); ++s) {
    auto it = std::find_if(devices.begin(), devices.end(), [&](auto& d) { return d->space == s; });
    auto reply = (*it)->session.haveRequest().send().wait(io.waitScope);
    auto vv = fromWire(reply.getVv(), WireLimits{});
    uint64_t held = 0;
    for (const auto& [actor, seq] : *vv) held += seq;
    if (held != inSpace[s]) throw std::runtime_error(fmt::format("space {} holds {} changes", s, held));
  }
  uint64_t delivered = 0;
  for (auto& d : devices) delivered += d->received;
  std::vector<Figure> f;
  f.push_back({"all pushes acknowledged", fmt::format("{:.0f} ms", pushedMs), ""});
  f.push_back({"all devices converged", fmt::format("{:.0f} ms", wallMs), ""});
  f.push_back({"changes delivered live", fmt::format("{}", delivered), ""});
  f.push_back({"relay peak RSS (VmHWM)", mib(peak), "<= 200 MB"});
  f.push_back({"relay RSS at the end: heap", mib(anon), ""});
  f.push_back({"relay RSS at the end: mapped store", mib(file), ""});
  printFigures(
      fmt::format("Fan-out ({} devices in {} spaces, {} changes each)", devices.size(), spaces.size(), o.fanoutChanges),
      f);
  return f;
}

std::vector<Figure> benchSyncIdle(const Options& o) {
  Swarm swarm(o, o.idleConnections, o.idleSpaces);
  auto& [scratch, relayOpt, startRss, io, spaces, devices] = swarm;
  auto& relay = *relayOpt;
  double connectMs = swarm.connect();
  runUntil(
      io, [] { return false; }, 2);  // settle
  uint64_t rss = relay.rssBytes(), peak = relay.peakRssBytes();
  uint64_t anon = relay.statusField("RssAnon:");

  // Still live: one more device of space 0 pushes; every subscriber there hears it.
  std::vector<std::unique_ptr<RawDevice>> extra = newDevices(1, 1);
  connectAll(io, endpointOf(relay), spaces, extra);
  auto req = extra[0]->session.pushRequest();
  toWire(std::vector<SealedChange>{spaces[0].seal(extra[0]->id, 1, "ping")}, req.initChanges(1));
  req.send().wait(io.waitScope);
  bool heard = runUntil(
      io,
      [&] {
        for (auto& d : devices)
          if (d->space == 0 && d->received != 1) return false;
        return true;
      },
      60);
  if (!heard) throw std::runtime_error("idle subscribers did not all get the push");

  std::vector<Figure> f;
  f.push_back({"connect + auth + subscribe, all", fmt::format("{:.0f} ms", connectMs), ""});
  f.push_back({"relay RSS before connections", mib(startRss), ""});
  f.push_back({"relay RSS, all idle and subscribed", mib(rss), "<= 500 MB"});
  f.push_back({"relay peak RSS (VmHWM)", mib(peak), ""});
  f.push_back({"relay RSS: heap", mib(anon), ""});
  double perConnection = static_cast<double>(rss - startRss) / 1024.0 / devices.size();
  f.push_back({"relay RSS per connection", fmt::format("{:.1f} KiB", perConnection), ""});
  printFigures(fmt::format("Idle ({} subscribed connections in {} spaces)", devices.size(), spaces.size()), f);
  return f;
}

}  // namespace ridealong::bench

namespace ridealong::bench {

std::vector<Figure> benchSyncHandshake(const Options& o) {
  const int n = o.handshakes;
  Swarm swarm(o, 100, 1);
  auto& relay = *swarm.relay;
  auto& io = swarm.io;
  auto endpoint = endpointOf(relay);
  // TLS only: connect, handshake, close.
  double cpu0 = relay.cpuSeconds(), t0 = nowMs();
  for (int from = 0; from < n; from += 32) {
    auto batch = kj::heapArrayBuilder<kj::Promise<void>>(std::min(32, n - from));
    for (int i = from; i < from + static_cast<int>(batch.capacity()); ++i)
      batch.add(connectRelay(io.provider->getNetwork(), endpoint).then([](Channel) {}));
    kj::joinPromises(batch.finish()).wait(io.waitScope);
  }
  double tlsWall = nowMs() - t0, tlsCpu = relay.cpuSeconds() - cpu0;
  // Sign-ins: TLS, hello, enrol, auth (each a new device).
  auto devices = newDevices(n, 1);
  cpu0 = relay.cpuSeconds();
  t0 = nowMs();
  for (int from = 0; from < n; from += 32) {
    std::vector<std::unique_ptr<RawDevice>> batch;
    for (int i = from; i < std::min(n, from + 32); ++i) batch.push_back(std::move(devices[i]));
    connectAll(io, endpoint, swarm.spaces, batch, 32);
  }
  double authWall = nowMs() - t0, authCpu = relay.cpuSeconds() - cpu0;
  std::vector<Figure> f;
  f.push_back({"TLS handshakes per second of relay CPU", fmt::format("{:.0f}", n / std::max(tlsCpu, 1e-3)), ""});
  f.push_back({"TLS handshakes per second, wall (client on the same machine)",
               fmt::format("{:.0f}", n / (tlsWall / 1000.0)), ""});
  f.push_back({"sign-ins (TLS + hello + enrol + auth + subscribe) per second of relay CPU",
               fmt::format("{:.0f}", n / std::max(authCpu, 1e-3)), ""});
  f.push_back({"sign-ins per second, wall", fmt::format("{:.0f}", n / (authWall / 1000.0)), ""});
  printFigures(fmt::format("Handshakes ({} connections, 32 at a time, one relay thread)", n), f);
  return f;
}

}  // namespace ridealong::bench
