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

kj::Promise<void> open(kj::NetworkAddress& addr, RawDevice& d, const sync::SpaceKeys& keys) {
  return addr.connect().then([&d, &keys](kj::Own<kj::AsyncIoStream> stream) {
    d.link = kj::heap<sync::RelayLink>(kj::mv(stream), sync::WireLimits{}.readerOptions());
    auto session = sync::openSession(d.link->relay, keys, core::DeviceIdentity{d.id, d.secret});
    return session.then([&d](sync::wire::SyncSession::Client s) {
      d.session = kj::mv(s);
      auto req = d.session.subscribeRequest();
      req.setListener(kj::heap<CheckingListener>(d));
      return req.send().then([&d](auto&& r) { d.handle = r.getHandle(); });
    });
  });
}

}  // namespace

void connectAll(kj::AsyncIoContext& io, const std::string& host, int port,
                const std::vector<sync::SpaceKeys>& spaces,
                std::vector<std::unique_ptr<RawDevice>>& devices, size_t inFlight) {
  auto addr = io.provider->getNetwork().parseAddress(host, port).wait(io.waitScope);
  for (size_t from = 0; from < devices.size(); from += inFlight) {
    auto batch = kj::heapArrayBuilder<kj::Promise<void>>(std::min(inFlight, devices.size() - from));
    for (size_t i = from; i < from + batch.capacity(); ++i)
      batch.add(open(*addr, *devices[i], spaces[devices[i]->space]));
    kj::joinPromises(batch.finish()).wait(io.waitScope);
  }
}

void registerAll(kj::AsyncIoContext& io, const std::string& host, int port,
                 const std::vector<sync::SpaceKeys>& spaces) {
  auto addr = io.provider->getNetwork().parseAddress(host, port).wait(io.waitScope);
  auto stream = addr->connect().wait(io.waitScope);
  capnp::TwoPartyClient client(*stream);
  auto relay = client.bootstrap().castAs<sync::wire::Relay>();
  for (const auto& keys : spaces) sync::registerSpace(relay, keys).wait(io.waitScope);
}

}  // namespace ridealong::bench
