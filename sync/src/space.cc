// Space key derivation, change sealing and digests, device keys, enrolment
// and challenge signatures (libsodium).
#include "ridealong/sync/space.h"

#include <sodium.h>
#include <xxhash.h>

#include <algorithm>
#include <stdexcept>

namespace ridealong::sync {
namespace {

// crypto_kdf contexts are exactly 8 bytes; subkey ids name each key's role.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "ridealng";
constexpr uint64_t kEncryptionSubkey = 1;
constexpr uint64_t kAuthSeedSubkey = 2;
constexpr uint64_t kDigestSubkey = 3;
constexpr std::string_view kEnrolPrefix = "ridealong enrol v1";
constexpr size_t kAdBytes = 16 + 16 + 8;

void ensureSodium() {
  // Idempotent and thread-safe; failure means no usable RNG at all.
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::array<uint8_t, kAdBytes> associatedData(const SpaceId& space, const core::ActorId& actor, uint64_t seq) {
  std::array<uint8_t, kAdBytes> ad{};
  std::copy(space.bytes.begin(), space.bytes.end(), ad.begin());
  std::copy(actor.bytes.begin(), actor.bytes.end(), ad.begin() + 16);
  for (int i = 0; i < 8; ++i) ad[32 + i] = static_cast<uint8_t>(seq >> (56 - 8 * i));  // big-endian
  return ad;
}

const uint8_t* u8(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

}  // namespace

SpaceId newSpaceId() {
  ensureSodium();
  SpaceId id;
  randombytes_buf(id.bytes.data(), id.bytes.size());
  return id;
}

SpaceSecret newSpaceSecret() {
  ensureSodium();
  SpaceSecret s;
  randombytes_buf(s.data(), s.size());
  return s;
}

core::VersionVector seqsOf(const HeldVector& held) {
  core::VersionVector vv;
  for (const auto& [actor, h] : held) vv.emplace(actor, h.seq);
  return vv;
}

SpaceKeys SpaceKeys::derive(const SpaceId& space, const SpaceSecret& secret) {
  ensureSodium();
  static_assert(crypto_kdf_KEYBYTES == 32);
  static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);
  static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kNonceBytes);
  static_assert(crypto_sign_SEEDBYTES == 32 && crypto_sign_SECRETKEYBYTES == 64);
  SpaceKeys k;
  k.space_ = space;
  static_assert(crypto_generichash_KEYBYTES == 32 && crypto_generichash_BYTES_MIN <= kDigestBytes);
  crypto_kdf_derive_from_key(k.encryptionKey_.data(), k.encryptionKey_.size(), kEncryptionSubkey, kKdfContext,
                             secret.data());
  crypto_kdf_derive_from_key(k.digestKey_.data(), k.digestKey_.size(), kDigestSubkey, kKdfContext, secret.data());
  std::array<uint8_t, crypto_sign_SEEDBYTES> seed;
  crypto_kdf_derive_from_key(seed.data(), seed.size(), kAuthSeedSubkey, kKdfContext, secret.data());
  crypto_sign_seed_keypair(k.authPublic_.data(), k.authSecret_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  return k;
}

SpaceKeys::~SpaceKeys() {
  sodium_memzero(encryptionKey_.data(), encryptionKey_.size());
  sodium_memzero(digestKey_.data(), digestKey_.size());
  sodium_memzero(authSecret_.data(), authSecret_.size());
}

// Keyed BLAKE2b-128 of the change's XXH3-128: every change pushed and
// pulled is digested, and BLAKE2b over a whole 1 KB change cost 1.5 us, a
// tenth of an initial sync; over the 16-byte XXH3 it costs a sixth of
// that. The relay, which never sees plaintext nor the key, cannot make two
// changes share a digest; a member could find an XXH3 collision, but a
// member holding the space secret can write anything anyway.
std::string SpaceKeys::digest(std::string_view change) const {
  XXH128_canonical_t inner;
  XXH128_canonicalFromHash(&inner, XXH3_128bits(change.data(), change.size()));
  std::string out(kDigestBytes, '\0');
  crypto_generichash(reinterpret_cast<uint8_t*>(out.data()), out.size(), inner.digest, sizeof inner.digest,
                     digestKey_.data(), digestKey_.size());
  return out;
}

SealedChange SpaceKeys::seal(const core::ActorId& actor, uint64_t seq, std::string_view change,
                             std::string_view prev) const {
  SealedChange out;
  out.actor = actor;
  out.seq = seq;
  out.digest = digest(change);
  out.prev.assign(prev);
  out.nonce.resize(kNonceBytes);
  randombytes_buf(out.nonce.data(), kNonceBytes);
  out.ciphertext.resize(change.size() + kTagBytes);
  auto ad = associatedData(space_, actor, seq);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<uint8_t*>(out.ciphertext.data()), &len, u8(change),
                                             change.size(), ad.data(), ad.size(), nullptr, u8(out.nonce),
                                             encryptionKey_.data());
  out.ciphertext.resize(len);
  return out;
}

Result<std::string> SpaceKeys::open(const SealedChange& sealed) const {
  // Named only on failure: this runs for every change of a sync.
  auto who = [&] { return "change " + sealed.actor.str() + "/" + std::to_string(sealed.seq); };
  if (sealed.nonce.size() != kNonceBytes || sealed.ciphertext.size() < kTagBytes) {
    return Status::corruption(who() + ": malformed sealed change (nonce or ciphertext too short)");
  }
  std::string plain(sealed.ciphertext.size() - kTagBytes, '\0');
  auto ad = associatedData(space_, sealed.actor, sealed.seq);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<uint8_t*>(plain.data()), &len, nullptr,
                                                 u8(sealed.ciphertext), sealed.ciphertext.size(), ad.data(), ad.size(),
                                                 u8(sealed.nonce), encryptionKey_.data()) != 0) {
    return Status::unauthorized(who() +
                                " does not open with this space's key: it was sealed with another secret or for "
                                "another space, altered, or moved to another device or seq");
  }
  plain.resize(len);
  if (!sealed.digest.empty() && (sealed.digest.size() != kDigestBytes ||
                                 sodium_memcmp(u8(digest(plain)), u8(sealed.digest), kDigestBytes) != 0)) {
    return Status::corruption(who() + ": its digest does not match its contents");
  }
  return plain;
}

std::string authMessage(std::string_view challenge, const SpaceId& space, const core::ActorId& device,
                        std::string_view binding) {
  std::string m(challenge);
  m.append(space.view());
  m.append(device.view());
  m.append(binding);
  return m;
}

std::string enrolmentMessage(const SpaceId& space, const core::ActorId& device, const DevicePublicKey& deviceKey) {
  std::string m(kEnrolPrefix);
  m.append(space.view());
  m.append(device.view());
  m.append(reinterpret_cast<const char*>(deviceKey.data()), deviceKey.size());
  return m;
}

namespace {

std::string signDetached(std::string_view msg, const std::array<uint8_t, 64>& secret) {
  std::string sig(kSignatureBytes, '\0');
  crypto_sign_detached(reinterpret_cast<uint8_t*>(sig.data()), nullptr, u8(msg), msg.size(), secret.data());
  return sig;
}

bool verifyDetached(std::string_view signature, std::string_view msg, const std::array<uint8_t, 32>& key) {
  ensureSodium();
  if (signature.size() != kSignatureBytes) return false;
  return crypto_sign_verify_detached(u8(signature), u8(msg), msg.size(), key.data()) == 0;
}

}  // namespace

std::string SpaceKeys::signEnrolment(const core::ActorId& device, const DevicePublicKey& deviceKey) const {
  return signDetached(enrolmentMessage(space_, device, deviceKey), authSecret_);
}

DeviceKey DeviceKey::fromSecret(const DeviceSecret& secret) {
  ensureSodium();
  static_assert(crypto_sign_SEEDBYTES == sizeof(DeviceSecret));
  static_assert(crypto_sign_PUBLICKEYBYTES == sizeof(DevicePublicKey));
  DeviceKey k;
  crypto_sign_seed_keypair(k.public_.data(), k.secret_.data(), secret.data());
  return k;
}

DeviceKey::~DeviceKey() { sodium_memzero(secret_.data(), secret_.size()); }

std::string DeviceKey::signChallenge(std::string_view challenge, const SpaceId& space, const core::ActorId& device,
                                     std::string_view binding) const {
  return signDetached(authMessage(challenge, space, device, binding), secret_);
}

bool verifyAuth(const DevicePublicKey& deviceKey, std::string_view signature, std::string_view challenge,
                const SpaceId& space, const core::ActorId& device, std::string_view binding) {
  return verifyDetached(signature, authMessage(challenge, space, device, binding), deviceKey);
}

bool verifyEnrolment(const AuthPublicKey& spaceKey, std::string_view signature, const SpaceId& space,
                     const core::ActorId& device, const DevicePublicKey& deviceKey) {
  return verifyDetached(signature, enrolmentMessage(space, device, deviceKey), spaceKey);
}

}  // namespace ridealong::sync
