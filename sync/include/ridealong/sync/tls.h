// TLS between devices and the relay (OpenSSL, TLS 1.3 only), as a kj
// stream. Why not kj's own TLS (libkj-tls 0.9): it can neither pin a key
// without its certificate nor export keying material, and both are what
// this needs: devices accept only the relay key their invite code names
// (as Syncthing pins device ids), and the space sign-in is bound to the TLS
// channel (RFC 9266 "tls-exporter"), so a man in the middle that forwards
// a challenge gets a signature the relay will not accept. The stream is
// built like kj's: OpenSSL's readiness-based BIO over kj's
// ReadyInput/OutputStreamWrapper.
//
// Contexts are immutable after construction and safe to share across
// threads; each stream belongs to the kj event loop that made it.
#pragma once

#include <kj/async-io.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ridealong/platform/status.h"

namespace ridealong::sync {

// SHA-256 of a certificate's SubjectPublicKeyInfo (the key, not the
// certificate: renewing a certificate for the same key keeps the pin).
using KeyPin = std::array<uint8_t, 32>;

// "sha256:" + 64 lower-case hex digits: what `openssl x509 -pubkey -noout |
// openssl pkey -pubin -outform der | sha256sum` prints, so an operator can
// check it with standard tools.
std::string formatPin(const KeyPin& pin);
// Accepts the formatPin form (case-insensitive, ':' between bytes allowed).
Result<KeyPin> parsePin(std::string_view text);

// How a device trusts the relay it connects to.
enum class RelayTrust : uint8_t {
  kPinned = 1,    // exactly the key `pin` names, whatever its certificate
  kSystemCa = 2,  // a certificate for the host name from the system's CAs
  // 3 is never used: relays speak only TLS (an in-process test relay on a
  // pipe is the one exception, and it needs no endpoint).
  // Accept whatever key the relay presents and report it (Channel.peerPin),
  // to be pinned from then on, as ssh does on first contact. Only for
  // `space create` without --relay-key and for spaces set up before relays
  // spoke TLS; never in an invite code.
  kFirstUse = 4,
};

// Where a space's relay is and how to trust it.
struct RelayEndpoint {
  std::string address;  // HOST:PORT
  RelayTrust trust = RelayTrust::kPinned;
  KeyPin pin{};  // kPinned only
  bool operator==(const RelayEndpoint&) const = default;
};
// "HOST:PORT (key sha256:...)" / "(system CAs)" / "(plaintext)", for messages.
std::string describe(const RelayEndpoint& endpoint);

// The relay's TLS identity: PEM texts and the pin of the key.
struct RelayIdentity {
  std::string certPem, keyPem;
  KeyPin pin{};
};
// Reads a certificate (chain) and its private key from PEM files (e.g.
// from a company CA); InvalidArgument names the file that does not parse
// and a key that does not match the certificate.
Result<RelayIdentity> loadRelayIdentity(const std::string& certPath, const std::string& keyPath);
// `dir`/tls-key.pem (0600) and tls-cert.pem; on first use makes an Ed25519
// key and a self-signed certificate valid for 100 years, so the pin never
// has to change.
Result<RelayIdentity> loadOrCreateRelayIdentity(const std::string& dir);

// One end of an established connection. `binding` is the RFC 9266
// tls-exporter value (32 bytes) both ends compute; empty on a plaintext
// connection. `peerPin`: the server's key pin as the client saw it.
struct Channel {
  kj::Own<kj::AsyncIoStream> stream;
  std::string binding;
  KeyPin peerPin{};
};

// The relay's side.
class TlsServer {
 public:
  static Result<std::unique_ptr<TlsServer>> make(const RelayIdentity& identity);
  ~TlsServer();
  // Handshakes as the server; rejects with a kj::Exception on failure.
  // The caller bounds it with its own deadline.
  kj::Promise<Channel> wrap(kj::Own<kj::AsyncIoStream> stream);
  const KeyPin& pin() const { return pin_; }

 private:
  TlsServer() = default;
  void* ctx_ = nullptr;  // SSL_CTX*
  KeyPin pin_{};
};

// The device's side, for one endpoint.
class TlsClient {
 public:
  static Result<std::unique_ptr<TlsClient>> make(const RelayEndpoint& endpoint);
  ~TlsClient();
  // Handshakes as the client and checks the relay as the endpoint says.
  // A relay with another key fails before anything of ours is sent, with
  // an error that names both keys. kFirstUse accepts any key.
  kj::Promise<Channel> wrap(kj::Own<kj::AsyncIoStream> stream);

 private:
  TlsClient() = default;
  void* ctx_ = nullptr;  // SSL_CTX*
  RelayEndpoint endpoint_;
  std::string host_;  // the address without its port (SNI, CA check)
};

// Connects to the endpoint's address and handshakes (network lookup,
// connect, TLS), failing with a kj::Exception that says which step.
kj::Promise<Channel> connectRelay(kj::Network& network, const RelayEndpoint& endpoint);

}  // namespace ridealong::sync
