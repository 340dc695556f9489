// OpenSSL helpers shared by tls.cc (streams, contexts) and
// tls_identity.cc (the relay's key and certificate). Not a public header.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ridealong/platform/status.h"
#include "ridealong/sync/tls.h"

namespace ridealong::sync::tls {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// OpenSSL's queued errors as one line (and the queue cleared).
std::string opensslErrors();
// SHA-256 of the certificate's SubjectPublicKeyInfo (DER).
KeyPin pinOf(X509* cert);
// Every certificate in a PEM text, leaf first; InvalidArgument if none.
Result<std::vector<X509Ptr>> readCertificates(std::string_view pem);
Result<PkeyPtr> readPrivateKey(std::string_view pem);

}  // namespace ridealong::sync::tls
