// The relay's TLS identity: load PEM files, or make an Ed25519 key and a
// self-signed certificate on first start; the OpenSSL helpers behind it.
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tls_internal.h"

namespace ridealong::sync {
namespace tls {

std::string opensslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char line[256];
    ERR_error_string_n(e, line, sizeof line);
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out.empty() ? "no detail from OpenSSL" : out;
}

KeyPin pinOf(X509* cert) {
  KeyPin pin{};
  X509_PUBKEY* key = X509_get_X509_PUBKEY(cert);
  int len = i2d_X509_PUBKEY(key, nullptr);
  if (len <= 0) return pin;
  std::string der(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509_PUBKEY(key, &p);
  SHA256(reinterpret_cast<const unsigned char*>(der.data()), der.size(), pin.data());
  return pin;
}

Result<std::vector<X509Ptr>> readCertificates(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::vector<X509Ptr> chain;
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) chain.emplace_back(x);
  ERR_clear_error();  // the read that ends the loop leaves "no start line"
  if (chain.empty()) return Status::invalidArgument("no PEM certificate in it");
  return chain;
}

Result<PkeyPtr> readPrivateKey(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return Status::invalidArgument("no unencrypted PEM private key in it: " + opensslErrors());
  return PkeyPtr(key);
}

}  // namespace tls

namespace {

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot read " + path + ": " + std::strerror(errno));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Written whole or not at all, readable by the owner only.
Status writePrivate(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::ioError("cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::ioError("cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::ok();
}

Result<RelayIdentity> identityFrom(std::string certPem, std::string keyPem, const std::string& certName,
                                   const std::string& keyName) {
  auto chain = tls::readCertificates(certPem);
  if (!chain) return Status::invalidArgument(certName + ": " + chain.status().message());
  auto key = tls::readPrivateKey(keyPem);
  if (!key) return Status::invalidArgument(keyName + ": " + key.status().message());
  if (X509_check_private_key((*chain)[0].get(), key->get()) != 1) {
    ERR_clear_error();
    return Status::invalidArgument(keyName + " is not the key of the certificate in " + certName);
  }
  RelayIdentity id;
  id.pin = tls::pinOf((*chain)[0].get());
  id.certPem = std::move(certPem);
  id.keyPem = std::move(keyPem);
  return id;
}

// A self-signed certificate for `key`.
Result<RelayIdentity> selfSigned(tls::PkeyPtr key) {
  tls::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // a positive number
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  // 100 years: devices pin the key, and nobody should have to re-invite
  // a team because a certificate expired.
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), 36525, 0, nullptr);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("ridealong-relay"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  if (X509_sign(cert.get(), key.get(), nullptr) <= 0)
    return Status::unavailable("cannot sign the relay's certificate: " + tls::opensslErrors());
  auto pem = [](auto write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    write(bio.get());
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
  };
  RelayIdentity id;
  id.certPem = pem([&](BIO* b) { PEM_write_bio_X509(b, cert.get()); });
  id.keyPem = pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  id.pin = tls::pinOf(cert.get());
  return id;
}

}  // namespace

Result<RelayIdentity> loadRelayIdentity(const std::string& certPath, const std::string& keyPath) {
  auto cert = readFile(certPath);
  if (!cert) return cert.status();
  auto key = readFile(keyPath);
  if (!key) return key.status();
  return identityFrom(std::move(cert).value(), std::move(key).value(), certPath, keyPath);
}

Result<RelayIdentity> loadOrCreateRelayIdentity(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::ioError("cannot create " + dir + ": " + ec.message());
  std::string certPath = dir + "/tls-cert.pem", keyPath = dir + "/tls-key.pem";
  bool haveCert = ::access(certPath.c_str(), F_OK) == 0, haveKey = ::access(keyPath.c_str(), F_OK) == 0;
  if (haveCert && haveKey) return loadRelayIdentity(certPath, keyPath);
  if (haveCert) {
    // Never replace the key: devices pin it.
    return Status::corruption(keyPath + " is missing but " + certPath +
                              " exists; restore the key from a backup (devices pin it), or remove "
                              "both to make a new identity and re-invite every device");
  }
  tls::PkeyPtr key;
  if (haveKey) {
    // The key was written and the certificate was not (a crash on first
    // start): a new certificate for the same key keeps the pin.
    auto text = readFile(keyPath);
    if (!text) return text.status();
    auto k = tls::readPrivateKey(*text);
    if (!k) return Status::corruption(keyPath + ": " + k.status().message());
    key = std::move(k).value();
  } else {
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key) return Status::unavailable("cannot make the relay's key: " + tls::opensslErrors());
  }
  auto id = selfSigned(std::move(key));
  if (!id) return id;
  if (!haveKey) {
    if (auto s = writePrivate(keyPath, id->keyPem); !s) return s;
  }
  if (auto s = writePrivate(certPath, id->certPem); !s) return s;
  return id;
}

}  // namespace ridealong::sync
