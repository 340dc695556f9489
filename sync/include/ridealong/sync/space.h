// A space is a notebook shared by a set of devices: a 16-byte id and a
// 32-byte secret that never leaves the devices. SpaceKeys derives from the
// secret (libsodium crypto_kdf, context "ridealng") the XChaCha20-Poly1305
// key that seals each change (subkey 1), the Ed25519 keypair that proves
// membership to the relay (subkey 2) and the key of the change digests
// (subkey 3, keyed BLAKE2b-128). The relay only ever gets the auth public
// key, device public keys and sealed changes with their digests, so it can
// store, route and compare changes but neither read nor forge them.
//
// Each device also has its own Ed25519 key (DeviceKey, seeded by the 32-byte
// device secret of core::DeviceIdentity): a holder of the space secret
// enrols it in the space (signEnrolment), then the device signs the relay's
// auth challenge with it, so the relay accepts a device's changes only from
// that device.
//
// Values; const methods are thread-safe. Key material is wiped on destruction.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "ridealong/core/change.h"
#include "ridealong/core/ids.h"
#include "ridealong/platform/status.h"

namespace ridealong::sync {

using SpaceId = core::Id16;
using SpaceSecret = std::array<uint8_t, 32>;
using AuthPublicKey = std::array<uint8_t, 32>;
using DevicePublicKey = std::array<uint8_t, 32>;  // Ed25519
using DeviceSecret = std::array<uint8_t, 32>;     // core::DeviceIdentity::secret

inline constexpr size_t kNonceBytes = 24;  // XChaCha20-Poly1305 nonce
inline constexpr size_t kTagBytes = 16;    // Poly1305 tag
inline constexpr size_t kChallengeBytes = 32;
inline constexpr size_t kSignatureBytes = 64;  // Ed25519 detached
inline constexpr size_t kDigestBytes = 16;     // keyed BLAKE2b-128

// One change as the relay sees it. Byte strings, so it copies cheaply
// between the store, the wire and the engine.
struct SealedChange {
  core::ActorId actor;
  uint64_t seq = 0;
  std::string nonce;       // kNonceBytes
  std::string ciphertext;  // change bytes + kTagBytes
  // SpaceKeys::digest of the plaintext (kDigestBytes), set by seal(); empty
  // when unknown (a change a version 1 relay stored).
  std::string digest;
  // Push only: the digest of the same actor's change seq-1 as the pusher
  // holds it; empty for seq 1. The relay never returns it.
  std::string prev;
  bool operator==(const SealedChange&) const = default;
};

// What a relay holds of one actor: the last contiguous seq and the digest
// of the change at that seq (empty when the relay does not know it).
struct HeldVersion {
  uint64_t seq = 0;
  std::string digest;
  bool operator==(const HeldVersion&) const = default;
};
using HeldVector = std::map<core::ActorId, HeldVersion>;
// The seqs alone.
core::VersionVector seqsOf(const HeldVector& held);

// Fresh random id and secret for `space create`.
SpaceId newSpaceId();
SpaceSecret newSpaceSecret();

class SpaceKeys {
 public:
  static SpaceKeys derive(const SpaceId& space, const SpaceSecret& secret);
  ~SpaceKeys();
  SpaceKeys(const SpaceKeys&) = default;
  SpaceKeys& operator=(const SpaceKeys&) = default;

  const SpaceId& space() const { return space_; }
  const AuthPublicKey& authPublicKey() const { return authPublic_; }

  // Keyed BLAKE2b-128 of one encoded core Change (kDigestBytes). Equal for
  // equal bytes whatever the nonce they are sealed with, so the relay can
  // tell a re-sent change from another change under the same (actor, seq)
  // without reading either.
  std::string digest(std::string_view change) const;

  // Encrypts one encoded core Change with a random nonce; the associated
  // data binds it to (space, actor, seq). Fills `digest`; `prev` (the
  // digest of the actor's change seq-1, empty for seq 1) is copied as given.
  SealedChange seal(const core::ActorId& actor, uint64_t seq, std::string_view change,
                    std::string_view prev = {}) const;
  // The change bytes, or Unauthorized when the change was sealed with another
  // secret or space, was altered, or was moved to another actor or seq (the
  // cipher cannot tell these apart); Corruption when the shape is wrong or a
  // non-empty `digest` is not the digest of what opened (the digest is not
  // covered by the cipher, so it is checked here).
  Result<std::string> open(const SealedChange& sealed) const;

  // For Relay.enrol: Ed25519 with the space auth key over
  // enrolmentMessage(space, device, deviceKey).
  std::string signEnrolment(const core::ActorId& device, const DevicePublicKey& deviceKey) const;

 private:
  SpaceKeys() = default;
  SpaceId space_;
  std::array<uint8_t, 32> encryptionKey_{};
  std::array<uint8_t, 32> digestKey_{};
  std::array<uint8_t, 64> authSecret_{};  // libsodium layout: seed ‖ public key
  AuthPublicKey authPublic_{};
};

// A device's own Ed25519 keypair, seeded by its 32-byte device secret
// (crypto_sign_seed_keypair): the same secret gives the same key. The
// secret half is wiped on destruction.
class DeviceKey {
 public:
  static DeviceKey fromSecret(const DeviceSecret& secret);
  ~DeviceKey();
  DeviceKey(const DeviceKey&) = default;
  DeviceKey& operator=(const DeviceKey&) = default;

  const DevicePublicKey& publicKey() const { return public_; }
  // For Relay.auth: Ed25519 over authMessage(challenge, space, device,
  // binding); `binding` is the connection's TLS channel binding.
  std::string signChallenge(std::string_view challenge, const SpaceId& space, const core::ActorId& device,
                            std::string_view binding = {}) const;

 private:
  DeviceKey() = default;
  std::array<uint8_t, 64> secret_{};  // libsodium layout: seed ‖ public key
  DevicePublicKey public_{};
};

// The bytes Relay.auth signs: challenge ‖ space ‖ device ‖ binding, where
// binding is the TLS exporter value of the connection the challenge came
// on (tls.h; empty only on an in-process plaintext pipe). A man in the
// middle that forwards the challenge gets a signature for its own channel,
// which the relay checks against the one it shares with the MITM: refused.
std::string authMessage(std::string_view challenge, const SpaceId& space, const core::ActorId& device,
                        std::string_view binding = {});
// True when `signature` is a valid Ed25519 signature of authMessage(...)
// by `deviceKey` (the relay's check).
bool verifyAuth(const DevicePublicKey& deviceKey, std::string_view signature, std::string_view challenge,
                const SpaceId& space, const core::ActorId& device, std::string_view binding = {});

// The bytes Relay.enrol's signature covers:
// "ridealong enrol v1" ‖ space ‖ device ‖ deviceKey.
std::string enrolmentMessage(const SpaceId& space, const core::ActorId& device, const DevicePublicKey& deviceKey);
// True when `signature` is a valid Ed25519 signature of enrolmentMessage(...)
// by the space's auth key (the relay's check).
bool verifyEnrolment(const AuthPublicKey& spaceKey, std::string_view signature, const SpaceId& space,
                     const core::ActorId& device, const DevicePublicKey& deviceKey);

}  // namespace ridealong::sync
