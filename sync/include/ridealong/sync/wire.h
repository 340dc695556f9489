// Conversions between sync values (SealedChange, core::VersionVector,
// HeldVector) and
// their Cap'n Proto wire form (sync.capnp), plus the limits both ends apply
// to untrusted messages. Readers come from the peer: every conversion checks
// sizes and returns InvalidArgument instead of trusting them. Thread-safe.
#pragma once

#include <capnp/message.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/platform/status.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/sync.capnp.h"

namespace ridealong::sync {

inline constexpr uint32_t kProtocolVersion = wire::PROTOCOL_VERSION;

// Limits on what one peer may send the other.
struct WireLimits {
  // Largest RPC message in bytes; also caps ReaderOptions' traversal limit.
  uint64_t maxMessageBytes = uint64_t{16} << 20;
  // Struct/list nesting; the protocol itself needs fewer than 10 levels.
  int nestingLimit = 16;
  uint32_t maxChangesPerPush = 1000;
  uint32_t maxChangeBytes = uint32_t{1} << 20;  // one sealed ciphertext
  uint32_t maxPullBytes = uint32_t{4} << 20;    // a pull page, whatever the client asks
  uint32_t maxVersionVectorEntries = 100000;
  uint32_t maxDigestsPerCall = 4096;  // seqs in one SyncSession.digests

  capnp::ReaderOptions readerOptions() const;
};

// Version vectors. Entry digests: toWire(HeldVector) fills them (have());
// fromWire checks each is empty or kDigestBytes and drops them;
// heldFromWire keeps them (empty: unknown).
void toWire(const core::VersionVector& vv, wire::VersionVector::Builder out);
void toWire(const HeldVector& held, wire::VersionVector::Builder out);
Result<core::VersionVector> fromWire(wire::VersionVector::Reader in, const WireLimits& limits);
Result<HeldVector> heldFromWire(wire::VersionVector::Reader in, const WireLimits& limits);

// Sealed changes, with digest and prev (each empty or kDigestBytes).

void toWire(const SealedChange& c, wire::SealedChange::Builder out);
void toWire(const std::vector<SealedChange>& cs, capnp::List<wire::SealedChange>::Builder out);
Result<SealedChange> fromWire(wire::SealedChange::Reader in, const WireLimits& limits);
Result<std::vector<SealedChange>> fromWire(capnp::List<wire::SealedChange>::Reader in, const WireLimits& limits);

// 16-byte ids from Data fields; InvalidArgument naming `what` otherwise.
Result<core::Id16> idFromWire(capnp::Data::Reader data, const char* what);
// A digest field: empty (unknown) or kDigestBytes; InvalidArgument otherwise.
Result<std::string> digestFromWire(capnp::Data::Reader data, const char* what);
// A 32-byte public key; InvalidArgument naming `what` otherwise.
Result<std::array<uint8_t, 32>> keyFromWire(capnp::Data::Reader data, const char* what);
inline capnp::Data::Reader dataOf(std::string_view s) {
  return capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(s.data()), s.size());
}
inline capnp::Data::Reader dataOf(const core::Id16& id) {
  return capnp::Data::Reader(id.bytes.data(), id.bytes.size());
}
inline capnp::Data::Reader dataOf(const std::array<uint8_t, 32>& key) {
  return capnp::Data::Reader(key.data(), key.size());
}
inline std::string_view viewOf(capnp::Data::Reader d) { return {reinterpret_cast<const char*>(d.begin()), d.size()}; }

}  // namespace ridealong::sync
