#include "raw_devices.h"

#include "ridealong/sync/wire.h"

namespace ridealong::bench {
namespace {

class CheckingListener final : public sync::wire::Listener::Server {
 public:
  explicit CheckingListener(RawDevice& d) : d_(d) {}
  kj::Promise<void> changes(ChangesContext context) override {
    for (auto c : context.getParams().getChanges()) {
      auto actor = sync::idFromWire(c.getActor(), "actor");
      if (!actor) {
        ++d_.outOfOrder;
        continue;
      }
      uint64_t& last = d_.seen[*actor];
      if (c.getSeq() != last + 1) ++d_.outOfOrder;
      last = c.getSeq();
      ++d_.received;
    }
    return kj::READY_NOW;
  }

 private:
  RawDevice& d_;
};

kj::Promise<void> open(kj::Network& network, const sync::RelayEndpoint& relay, RawDevice& d,
                       const sync::SpaceKeys& keys) {
  return sync::connectRelay(network, relay).then([&d, &keys](sync::Channel channel) {
    d.link = kj::heap<sync::RelayLink>(kj::mv(channel), sync::WireLimits{}.readerOptions());
    auto session = sync::openSession(d.link->relay, keys, core::DeviceIdentity{d.id, d.secret}, d.link->binding);
    return session.then([&d](sync::wire::SyncSession::Client s) {
      d.session = kj::mv(s);
      auto req = d.session.subscribeRequest();
      req.setListener(kj::heap<CheckingListener>(d));
      return req.send().then([&d](auto&& r) { d.handle = r.getHandle(); });
    });
  });
}

}  // namespace

void connectAll(kj::AsyncIoContext& io, const sync::RelayEndpoint& relay, const std::vector<sync::SpaceKeys>& spaces,
                std::vector<std::unique_ptr<RawDevice>>& devices, size_t inFlight) {
  for (size_t from = 0; from < devices.size(); from += inFlight) {
    auto batch = kj::heapArrayBuilder<kj::Promise<void>>(std::min(inFlight, devices.size() - from));
    for (size_t i = from; i < from + batch.capacity(); ++i)
      batch.add(open(io.provider->getNetwork(), relay, *devices[i], spaces[devices[i]->space]));
    kj::joinPromises(batch.finish()).wait(io.waitScope);
  }
}

void registerAll(kj::AsyncIoContext& io, const sync::RelayEndpoint& relay, const std::vector<sync::SpaceKeys>& spaces) {
  sync::RelayLink link(sync::connectRelay(io.provider->getNetwork(), relay).wait(io.waitScope),
                       sync::WireLimits{}.readerOptions());
  for (const auto& keys : spaces) sync::registerSpace(link.relay, keys).wait(io.waitScope);
}

}  // namespace ridealong::bench
