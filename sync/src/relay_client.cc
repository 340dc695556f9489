// Relay connection and handshake from the device side: register, hello, sign, auth.
#include "ridealong/sync/relay_client.h"

#include <kj/debug.h>

#include "ridealong/sync/wire.h"

namespace ridealong::sync {

RelayLink::RelayLink(kj::Own<kj::AsyncIoStream> s, capnp::ReaderOptions options)
    : stream(kj::mv(s)),
      network(*stream, capnp::rpc::twoparty::Side::CLIENT, options),
      rpc(capnp::makeRpcClient(network)) {
  capnp::MallocMessageBuilder message(8);
  auto vatId = message.initRoot<capnp::rpc::twoparty::VatId>();
  vatId.setSide(capnp::rpc::twoparty::Side::SERVER);
  relay = rpc.bootstrap(vatId).castAs<wire::Relay>();
}

kj::Promise<void> registerSpace(wire::Relay::Client relay, const SpaceKeys& keys) {
  auto req = relay.registerRequest();
  req.setSpace(dataOf(keys.space()));
  req.setAuthPublicKey(
      capnp::Data::Reader(keys.authPublicKey().data(), keys.authPublicKey().size()));
  return req.send().ignoreResult();
}

kj::Promise<wire::SyncSession::Client> openSession(wire::Relay::Client relay, const SpaceKeys& keys,
                                                   const core::ActorId& device,
                                                   uint32_t protocolVersion) {
  auto hello = relay.helloRequest();
  hello.setSpace(dataOf(keys.space()));
  hello.setDevice(dataOf(device));
  hello.setProtocolVersion(protocolVersion);
  // keys is copied: the continuation may outlive the caller's reference.
  return hello.send().then([relay, keys, device, protocolVersion](auto&& reply) mutable {
    KJ_REQUIRE(reply.getProtocolVersion() == protocolVersion,
               "sync protocol version mismatch: the relay speaks a different version; update "
               "the app or the relay",
               protocolVersion, reply.getProtocolVersion());
    auto auth = relay.authRequest();
    auth.setSignature(dataOf(keys.signChallenge(viewOf(reply.getChallenge()), device)));
    return auth.send().then([](auto&& r) { return r.getSession(); });
  });
}

}  // namespace ridealong::sync
