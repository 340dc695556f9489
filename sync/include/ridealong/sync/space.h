// A space is a notebook shared by a set of devices: a 16-byte id and a
// 32-byte secret that never leaves the devices. SpaceKeys derives from the
// secret (libsodium crypto_kdf, context "ridealng") the XChaCha20-Poly1305
// key that seals each change and the Ed25519 keypair that proves membership
// to the relay. The relay only ever gets the auth public key and sealed
// changes, so it can store and route but neither read nor forge.
//
// Values; const methods are thread-safe. Key material is wiped on destruction.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ridealong/core/ids.h"
#include "ridealong/platform/status.h"

namespace ridealong::sync {

using SpaceId = core::Id16;
using SpaceSecret = std::array<uint8_t, 32>;
using AuthPublicKey = std::array<uint8_t, 32>;

inline constexpr size_t kNonceBytes = 24;  // XChaCha20-Poly1305 nonce
inline constexpr size_t kTagBytes = 16;    // Poly1305 tag
inline constexpr size_t kChallengeBytes = 32;
inline constexpr size_t kSignatureBytes = 64;  // Ed25519 detached

// One change as the relay sees it. Byte strings, so it copies cheaply
// between the store, the wire and the engine.
struct SealedChange {
  core::ActorId actor;
  uint64_t seq = 0;
  std::string nonce;       // kNonceBytes
  std::string ciphertext;  // change bytes + kTagBytes
  bool operator==(const SealedChange&) const = default;
};

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

  // Encrypts one encoded core Change with a random nonce; the associated
  // data binds it to (space, actor, seq).
  SealedChange seal(const core::ActorId& actor, uint64_t seq, std::string_view change) const;
  // The change bytes, or Unauthorized when the change was sealed with another
  // secret or space, was altered, or was moved to another actor or seq (the
  // cipher cannot tell these apart); Corruption when the shape is wrong.
  Result<std::string> open(const SealedChange& sealed) const;

  // Ed25519 signature over challenge ‖ space ‖ device, for Relay.auth.
  std::string signChallenge(std::string_view challenge, const core::ActorId& device) const;

 private:
  SpaceKeys() = default;
  SpaceId space_;
  std::array<uint8_t, 32> encryptionKey_{};
  std::array<uint8_t, 64> authSecret_{};  // libsodium layout: seed ‖ public key
  AuthPublicKey authPublic_{};
};

// The bytes Relay.auth signs; shared by SpaceKeys and the relay's check.
std::string authMessage(std::string_view challenge, const SpaceId& space,
                        const core::ActorId& device);
// True when `signature` is a valid Ed25519 signature of authMessage(...).
bool verifyAuth(const AuthPublicKey& key, std::string_view signature, std::string_view challenge,
                const SpaceId& space, const core::ActorId& device);

}  // namespace ridealong::sync
