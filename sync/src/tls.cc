// TLS 1.3 streams over kj (OpenSSL), the relay's and the device's contexts,
// key pinning and the tls-exporter channel binding.
#include "ridealong/sync/tls.h"

#include <kj/compat/readiness-io.h>
#include <kj/debug.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cctype>

#include "tls_internal.h"

namespace ridealong::sync {

namespace {

// RFC 9266 defines "EXPORTER-Channel-Binding"; a label of our own keeps
// the value from being reused by another protocol on the same channel.
constexpr std::string_view kExporterLabel = "EXPORTER-ridealong-sign-in";
constexpr size_t kBindingBytes = 32;

[[noreturn]] void throwTls(std::string_view what) {
  kj::throwFatalException(kj::Exception(kj::Exception::Type::DISCONNECTED, __FILE__, __LINE__,
                                        kj::str(std::string(what).c_str(), ": ", tls::opensslErrors().c_str())));
}

SSL_CTX* ctxOf(void* p) { return static_cast<SSL_CTX*>(p); }

// One TLS connection over an inner kj stream: what kj's TlsConnection does
// (readiness-based OpenSSL I/O through kj's buffering wrappers), plus the
// pin check and the exporter.
class TlsStream final : public kj::AsyncIoStream {
 public:
  TlsStream(kj::Own<kj::AsyncIoStream> inner, SSL_CTX* ctx)
      : inner_(kj::mv(inner)), readBuffer_(*inner_), writeBuffer_(*inner_) {
    ssl_ = SSL_new(ctx);
    if (ssl_ == nullptr) throwTls("cannot start TLS");
    BIO* bio = BIO_new(bioMethod());
    if (bio == nullptr) {
      SSL_free(ssl_);
      throwTls("cannot start TLS");
    }
    BIO_set_data(bio, this);
    BIO_set_init(bio, 1);
    SSL_set_bio(ssl_, bio, bio);
    SSL_set_app_data(ssl_, this);
  }
  ~TlsStream() noexcept(false) { SSL_free(ssl_); }

  // The pin check, from OpenSSL's certificate verification callback.
  static int verifyPinned(X509_STORE_CTX* store, void*) {
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* self = static_cast<TlsStream*>(SSL_get_app_data(ssl));
    X509* leaf = X509_STORE_CTX_get0_cert(store);
    if (self == nullptr || leaf == nullptr) return 0;
    self->seenPin_ = tls::pinOf(leaf);
    self->sawCert_ = true;
    return self->seenPin_ == self->expectedPin_ ? 1 : 0;
  }

  kj::Promise<void> connect(const RelayEndpoint& endpoint, const std::string& host) {
    expectedPin_ = endpoint.pin;
    if (endpoint.trust == RelayTrust::kSystemCa) {
      SSL_set_tlsext_host_name(ssl_, host.c_str());
      if (SSL_set1_host(ssl_, host.c_str()) != 1) throwTls("bad relay host name");
    }
    return sslCall([this]() { return SSL_connect(ssl_); })
        .then(
            [this, endpoint](size_t) -> kj::Promise<void> {
              X509* cert = SSL_get1_peer_certificate(ssl_);
              KJ_REQUIRE(cert != nullptr, "the relay presented no certificate");
              seenPin_ = tls::pinOf(cert);
              X509_free(cert);
              if (endpoint.trust == RelayTrust::kSystemCa) {
                long r = SSL_get_verify_result(ssl_);
                if (r != X509_V_OK)
                  KJ_FAIL_REQUIRE(
                      kj::str("the relay's certificate is not trusted: ", X509_verify_cert_error_string(r)));
              }
              return kj::READY_NOW;
            },
            [this, endpoint](kj::Exception&& e) -> kj::Promise<void> {
              if (endpoint.trust == RelayTrust::kPinned && sawCert_ && seenPin_ != expectedPin_) {
                return KJ_EXCEPTION(
                    FAILED, kj::str("relay ", endpoint.address.c_str(), " presented key ", formatPin(seenPin_).c_str(),
                                    " but this space trusts only ", formatPin(expectedPin_).c_str(),
                                    ": it is not your relay, or it was reinstalled with a "
                                    "new key (ask its operator; nothing was sent)"));
              }
              if (endpoint.trust == RelayTrust::kSystemCa) {
                long r = SSL_get_verify_result(ssl_);
                if (r != X509_V_OK) {
                  return KJ_EXCEPTION(FAILED,
                                      kj::str("relay ", endpoint.address.c_str(), ": its certificate is not trusted (",
                                              X509_verify_cert_error_string(r),
                                              "): not from a CA this system trusts, or not "
                                              "for this host name"));
                }
              }
              return kj::mv(e);
            });
  }

  kj::Promise<void> accept() {
    return sslCall([this]() { return SSL_accept(ssl_); }).then([](size_t n) {
      if (n == 0) kj::throwFatalException(KJ_EXCEPTION(DISCONNECTED, "peer left during the TLS handshake"));
    });
  }

  std::string binding() {
    std::string out(kBindingBytes, '\0');
    if (SSL_export_keying_material(ssl_, reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                   kExporterLabel.data(), kExporterLabel.size(), nullptr, 0, 0) != 1)
      throwTls("cannot derive the channel binding");
    return out;
  }
  const KeyPin& seenPin() const { return seenPin_; }

  kj::Promise<size_t> tryRead(void* buffer, size_t minBytes, size_t maxBytes) override {
    return readAtLeast(static_cast<kj::byte*>(buffer), minBytes, maxBytes, 0);
  }
  kj::Promise<void> write(const void* buffer, size_t size) override {
    return writeAll(kj::arrayPtr(static_cast<const kj::byte*>(buffer), size), nullptr);
  }
  kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override {
    if (pieces.size() == 0) return kj::READY_NOW;
    auto cork = writeBuffer_.cork();
    return writeAll(pieces[0], pieces.slice(1, pieces.size())).attach(kj::mv(cork));
  }
  kj::Promise<void> whenWriteDisconnected() override { return inner_->whenWriteDisconnected(); }
  void shutdownWrite() override {
    if (shutdown_ != nullptr) return;
    shutdown_ = sslCall([this]() {
                  int r = SSL_shutdown(ssl_);
                  return r == 0 ? 1 : r;  // 0: sent ours, theirs not read yet; fine
                })
                    .ignoreResult()
                    .eagerlyEvaluate([](kj::Exception&&) {});
  }
  void abortRead() override { inner_->abortRead(); }
  void getsockopt(int level, int option, void* value, kj::uint* length) override {
    inner_->getsockopt(level, option, value, length);
  }
  void setsockopt(int level, int option, const void* value, kj::uint length) override {
    inner_->setsockopt(level, option, value, length);
  }
  void getsockname(struct sockaddr* addr, kj::uint* length) override { inner_->getsockname(addr, length); }
  void getpeername(struct sockaddr* addr, kj::uint* length) override { inner_->getpeername(addr, length); }
  kj::Maybe<int> getFd() const override { return inner_->getFd(); }

 private:
  kj::Promise<size_t> readAtLeast(kj::byte* buffer, size_t minBytes, size_t maxBytes, size_t done) {
    if (disconnected_) return done;
    return sslCall([this, buffer, maxBytes]() {
             return SSL_read(ssl_, buffer, static_cast<int>(std::min<size_t>(maxBytes, INT32_MAX)));
           })
        .then([this, buffer, minBytes, maxBytes, done](size_t n) -> kj::Promise<size_t> {
          if (n >= minBytes || n == 0) return done + n;
          return readAtLeast(buffer + n, minBytes - n, maxBytes - n, done + n);
        });
  }

  kj::Promise<void> writeAll(kj::ArrayPtr<const kj::byte> first,
                             kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> rest) {
    // SSL_write of 0 bytes returns 0, which means an error: skip empty pieces.
    while (first.size() == 0) {
      if (rest.size() == 0) return kj::READY_NOW;
      first = rest[0];
      rest = rest.slice(1, rest.size());
    }
    return sslCall([this, first]() {
             return SSL_write(ssl_, first.begin(), static_cast<int>(std::min<size_t>(first.size(), INT32_MAX)));
           })
        .then([this, first, rest](size_t n) -> kj::Promise<void> {
          if (n == 0) return KJ_EXCEPTION(DISCONNECTED, "TLS connection ended during a write");
          if (n < first.size()) return writeAll(first.slice(n, first.size()), rest);
          if (rest.size() > 0) return writeAll(rest[0], rest.slice(1, rest.size()));
          return kj::READY_NOW;
        });
  }

  // Runs an SSL call; when OpenSSL wants bytes to move first, waits for the
  // inner stream and runs it again.
  template <typename F>
  kj::Promise<size_t> sslCall(F func) {
    if (disconnected_) return size_t(0);
    ERR_clear_error();
    int result = func();
    if (result > 0) return static_cast<size_t>(result);
    switch (SSL_get_error(ssl_, result)) {
      case SSL_ERROR_ZERO_RETURN: disconnected_ = true; return size_t(0);
      case SSL_ERROR_WANT_READ: return readBuffer_.whenReady().then([this, func]() mutable { return sslCall(func); });
      case SSL_ERROR_WANT_WRITE: return writeBuffer_.whenReady().then([this, func]() mutable { return sslCall(func); });
      case SSL_ERROR_SYSCALL:
        if (result == 0 && ERR_peek_error() == 0) {
          disconnected_ = true;
          return size_t(0);
        }
        return KJ_EXCEPTION(DISCONNECTED, "TLS connection broken");
      default: throwTls("TLS failed");
    }
  }

  static int bioRead(BIO* b, char* out, int len) {
    BIO_clear_retry_flags(b);
    auto* self = static_cast<TlsStream*>(BIO_get_data(b));
    KJ_IF_MAYBE (n, self->readBuffer_.read(kj::arrayPtr(out, len).asBytes())) {
      return static_cast<int>(*n);
    }
    BIO_set_retry_read(b);
    return -1;
  }
  static int bioWrite(BIO* b, const char* in, int len) {
    BIO_clear_retry_flags(b);
    auto* self = static_cast<TlsStream*>(BIO_get_data(b));
    KJ_IF_MAYBE (n, self->writeBuffer_.write(kj::arrayPtr(in, len).asBytes())) {
      return static_cast<int>(*n);
    }
    BIO_set_retry_write(b);
    return -1;
  }
  static long bioCtrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }
  static int bioCreate(BIO* b) {
    BIO_set_data(b, nullptr);
    return 1;
  }
  static int bioDestroy(BIO*) { return 1; }  // the BIO does not own the stream
  static BIO_METHOD* bioMethod() {
    static BIO_METHOD* const method = [] {
      BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "ridealong kj");
      BIO_meth_set_write(m, bioWrite);
      BIO_meth_set_read(m, bioRead);
      BIO_meth_set_ctrl(m, bioCtrl);
      BIO_meth_set_create(m, bioCreate);
      BIO_meth_set_destroy(m, bioDestroy);
      return m;
    }();
    return method;
  }

  kj::Own<kj::AsyncIoStream> inner_;
  SSL* ssl_ = nullptr;
  kj::ReadyInputStreamWrapper readBuffer_;
  kj::ReadyOutputStreamWrapper writeBuffer_;
  bool disconnected_ = false;
  kj::Maybe<kj::Promise<void>> shutdown_;
  KeyPin expectedPin_{}, seenPin_{};
  bool sawCert_ = false;
};

// Settings both sides share: TLS 1.3 only, no session resumption (every
// connection is a full handshake, so a binding is always fresh), buffers
// released while idle (thousands of idle subscribed connections).
void commonSettings(SSL_CTX* ctx) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
}

}  // namespace

std::string formatPin(const KeyPin& pin) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (uint8_t b : pin) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

Result<KeyPin> parsePin(std::string_view text) {
  std::string hex;
  std::string_view body = text;
  if (body.size() >= 7) {
    std::string head(body.substr(0, 7));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == "sha256:") body.remove_prefix(7);
  }
  for (char c : body) {
    if (c == ':' || c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return Status::invalidArgument("relay key must be sha256: and 64 hex digits, got '" + std::string(text) + "'");
    }
    hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (hex.size() != 64) {
    return Status::invalidArgument("relay key must be sha256: and 64 hex digits, got '" + std::string(text) + "'");
  }
  KeyPin pin{};
  for (size_t i = 0; i < 32; ++i) pin[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return pin;
}

std::string describe(const RelayEndpoint& e) {
  switch (e.trust) {
    case RelayTrust::kPinned: return e.address + " (key " + formatPin(e.pin) + ")";
    case RelayTrust::kSystemCa: return e.address + " (certificate from the system's CAs)";
    case RelayTrust::kFirstUse: return e.address + " (key not yet known)";
  }
  return e.address;
}

Result<std::unique_ptr<TlsServer>> TlsServer::make(const RelayIdentity& identity) {
  std::unique_ptr<TlsServer> s(new TlsServer());
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return Status::unavailable("cannot make a TLS context: " + tls::opensslErrors());
  s->ctx_ = ctx;
  commonSettings(ctx);
  SSL_CTX_set_num_tickets(ctx, 0);
  auto chain = tls::readCertificates(identity.certPem);
  if (!chain) return chain.status();
  auto key = tls::readPrivateKey(identity.keyPem);
  if (!key) return key.status();
  if (SSL_CTX_use_certificate(ctx, (*chain)[0].get()) != 1 || SSL_CTX_use_PrivateKey(ctx, key->get()) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    return Status::invalidArgument("the TLS key does not match the certificate: " + tls::opensslErrors());
  }
  for (size_t i = 1; i < chain->size(); ++i) SSL_CTX_add1_chain_cert(ctx, (*chain)[i].get());
  s->pin_ = tls::pinOf((*chain)[0].get());
  return s;
}

TlsServer::~TlsServer() { SSL_CTX_free(ctxOf(ctx_)); }

kj::Promise<Channel> TlsServer::wrap(kj::Own<kj::AsyncIoStream> stream) {
  auto tls = kj::heap<TlsStream>(kj::mv(stream), ctxOf(ctx_));
  auto& ref = *tls;
  return ref.accept().then([tls = kj::mv(tls), this]() mutable {
    Channel c;
    c.binding = tls->binding();
    c.peerPin = pin_;
    c.stream = kj::mv(tls);
    return c;
  });
}

Result<std::unique_ptr<TlsClient>> TlsClient::make(const RelayEndpoint& endpoint) {
  std::unique_ptr<TlsClient> c(new TlsClient());
  c->endpoint_ = endpoint;
  auto colon = endpoint.address.rfind(':');
  c->host_ = endpoint.address.substr(0, colon);
  if (c->host_.size() > 2 && c->host_.front() == '[' && c->host_.back() == ']')
    c->host_ = c->host_.substr(1, c->host_.size() - 2);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return Status::unavailable("cannot make a TLS context: " + tls::opensslErrors());
  c->ctx_ = ctx;
  commonSettings(ctx);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (endpoint.trust == RelayTrust::kPinned) {
    // The key decides, not a CA: the certificate is self-signed.
    SSL_CTX_set_cert_verify_callback(ctx, &TlsStream::verifyPinned, nullptr);
  } else if (endpoint.trust == RelayTrust::kFirstUse) {
    SSL_CTX_set_cert_verify_callback(
        ctx, [](X509_STORE_CTX*, void*) { return 1; }, nullptr);
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return Status::unavailable("cannot load the system's CA certificates: " + tls::opensslErrors());
  }
  return c;
}

TlsClient::~TlsClient() { SSL_CTX_free(ctxOf(ctx_)); }

kj::Promise<Channel> TlsClient::wrap(kj::Own<kj::AsyncIoStream> stream) {
  auto tls = kj::heap<TlsStream>(kj::mv(stream), ctxOf(ctx_));
  auto& ref = *tls;
  return ref.connect(endpoint_, host_).then([tls = kj::mv(tls)]() mutable {
    Channel c;
    c.binding = tls->binding();
    c.peerPin = tls->seenPin();
    c.stream = kj::mv(tls);
    return c;
  });
}

kj::Promise<Channel> connectRelay(kj::Network& network, const RelayEndpoint& endpoint) {
  auto client = TlsClient::make(endpoint);
  if (!client) {
    return KJ_EXCEPTION(FAILED, kj::str(client.status().message().c_str()));
  }
  auto* c = client->get();
  return network.parseAddress(endpoint.address.c_str(), 7420)
      .then([](kj::Own<kj::NetworkAddress> addr) { return addr->connect().attach(kj::mv(addr)); })
      .then([c](kj::Own<kj::AsyncIoStream> stream) { return c->wrap(kj::mv(stream)); })
      .attach(std::move(client).value());
}

}  // namespace ridealong::sync
