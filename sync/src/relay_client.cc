// Relay connection and handshake from the device side: register, hello,
// enrol, sign, auth; the digests call.
#include "ridealong/sync/relay_client.h"

#include <kj/debug.h>

#include <algorithm>

#include "ridealong/sync/wire.h"

namespace ridealong::sync {

RelayLink::RelayLink(Channel channel, capnp::ReaderOptions options)
    : stream(kj::mv(channel.stream)),
      binding(std::move(channel.binding)),
      network(*stream, capnp::rpc::twoparty::Side::CLIENT, options),
      rpc(capnp::makeRpcClient(network)) {
  capnp::MallocMessageBuilder message(8);
  auto vatId = message.initRoot<capnp::rpc::twoparty::VatId>();
  vatId.setSide(capnp::rpc::twoparty::Side::SERVER);
  relay = rpc.bootstrap(vatId).castAs<wire::Relay>();
}

kj::Promise<void> registerSpace(wire::Relay::Client relay, const SpaceKeys& keys, const std::string& token) {
  auto req = relay.registerRequest();
  req.setToken(token);
  req.setSpace(dataOf(keys.space()));
  req.setAuthPublicKey(capnp::Data::Reader(keys.authPublicKey().data(), keys.authPublicKey().size()));
  return req.send().ignoreResult();
}

kj::Promise<void> enrolDevice(wire::Relay::Client relay, const SpaceKeys& keys, const core::ActorId& device,
                              const DevicePublicKey& deviceKey) {
  auto req = relay.enrolRequest();
  req.setSpace(dataOf(keys.space()));
  req.setDevice(dataOf(device));
  req.setDeviceKey(dataOf(deviceKey));
  req.setSignature(dataOf(keys.signEnrolment(device, deviceKey)));
  return req.send().ignoreResult();
}

kj::Promise<wire::SyncSession::Client> openSession(wire::Relay::Client relay, const SpaceKeys& keys,
                                                   const core::DeviceIdentity& device, std::string binding,
                                                   uint32_t protocolVersion) {
  auto hello = relay.helloRequest();
  hello.setSpace(dataOf(keys.space()));
  hello.setDevice(dataOf(device.id));
  hello.setProtocolVersion(protocolVersion);
  // keys and the device key are copied (and wiped when the continuation
  // goes): it may outlive the caller's references.
  return hello.send().then([relay, keys, deviceKey = DeviceKey::fromSecret(device.secret), id = device.id,
                            binding = std::move(binding),
                            protocolVersion](auto&& reply) mutable -> kj::Promise<wire::SyncSession::Client> {
    KJ_REQUIRE(reply.getProtocolVersion() == protocolVersion,
               "sync protocol version mismatch: the relay speaks a different version; update "
               "the app or the relay",
               protocolVersion, reply.getProtocolVersion());
    kj::Maybe<kj::Promise<void>> enrolled;
    if (!reply.getEnrolled()) enrolled = enrolDevice(relay, keys, id, deviceKey.publicKey());
    // Sent now, behind enrol: the relay handles calls on one capability in
    // order, so auth finds the key enrol stored.
    auto auth = relay.authRequest();
    auth.setSignature(dataOf(deviceKey.signChallenge(viewOf(reply.getChallenge()), keys.space(), id, binding)));
    auto session = auth.send().then([](auto&& r) { return r.getSession(); });
    KJ_IF_MAYBE (e, enrolled) {
      return e->then([session = kj::mv(session)]() mutable { return kj::mv(session); });
    }
    return kj::mv(session);
  });
}

kj::Promise<std::vector<std::string>> fetchDigests(wire::SyncSession::Client session, const core::ActorId& actor,
                                                   std::vector<uint64_t> seqs) {
  const size_t perCall = WireLimits{}.maxDigestsPerCall;
  size_t calls = (seqs.size() + perCall - 1) / perCall;
  auto replies = kj::heapArrayBuilder<kj::Promise<std::vector<std::string>>>(calls);
  for (size_t from = 0; from < seqs.size(); from += perCall) {
    size_t n = std::min(perCall, seqs.size() - from);
    auto req = session.digestsRequest();
    req.setActor(dataOf(actor));
    auto list = req.initSeqs(static_cast<unsigned>(n));
    for (size_t i = 0; i < n; ++i) list.set(static_cast<unsigned>(i), seqs[from + i]);
    replies.add(req.send().then([n](auto&& r) {
      auto got = r.getDigests();
      KJ_REQUIRE(got.size() == n, "the relay answered digests with the wrong count", got.size(), n);
      std::vector<std::string> out;
      out.reserve(n);
      for (auto d : got) {
        auto digest = digestFromWire(d, "digest");
        KJ_REQUIRE(digest.isOk(), digest.status().message());
        out.push_back(std::move(digest).value());
      }
      return out;
    }));
  }
  return kj::joinPromises(replies.finish()).then([](kj::Array<std::vector<std::string>> parts) {
    std::vector<std::string> all;
    for (auto& p : parts) {
      for (auto& d : p) all.push_back(std::move(d));
    }
    return all;
  });
}

}  // namespace ridealong::sync
