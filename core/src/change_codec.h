// Encoding of one Change to bytes (flat Cap'n Proto message, schema/change.capnp)
// and checked decoding of untrusted bytes. Internal to core.
#pragma once

#include <capnp/message.h>

#include <memory>
#include <string>
#include <vector>

#include "draft.h"
#include "ridealong/core/change.h"
#include "ridealong/platform/status.h"
#include "schema/change.capnp.h"

namespace ridealong::core::detail {

// Limits for decoding untrusted change bytes.
inline constexpr size_t kMaxChangeBytes = 16u << 20;
inline constexpr size_t kMaxOpsPerChange = 100000;
inline constexpr size_t kMaxNameBytes = 64;
// The newest change format this build reads (Change.minReader).
inline constexpr uint16_t kReaderFormat = 1;

// `prev`: chainHash() of this actor's change seq-1 (0 for seq 1).
std::string encodeChange(const ActorId& actor, uint64_t seq, Hlc hlc, const VersionVector& deps,
                         const std::vector<Op>& ops, uint64_t prev = 0);

// The change-chain hash of encoded change bytes: the low 32 bits of XXH3-64
// (Change.prev of the next change of its actor).
uint64_t chainHash(std::string_view bytes);

// A decoded change whose every field has been checked; readers stay valid
// while any copy lives (copies share the message).
class DecodedChange {
 public:
  // One checked op; views point into the message.
  struct OpView {
    RecordId record;
    bool create = false;
    std::string_view name;  // type for create, field for set
    ValueView value;        // set only
  };

  static Result<DecodedChange> decode(std::string_view bytes);
  // Without copying word-aligned bytes (a std::string's heap buffer is):
  // `bytes` must then outlive every copy of the result.
  static Result<DecodedChange> decodeBorrowed(std::string_view bytes);

  const ActorId& actor() const { return actor_; }
  uint64_t seq() const { return seq_; }
  Hlc hlc() const { return hlc_; }
  // Change.prev: chainHash of the actor's change seq-1; 0 when unchecked.
  uint64_t prev() const { return prev_; }
  // chainHash(bytes()), computed while decoding (on the decoding thread).
  uint64_t hash() const { return hash_; }
  const std::vector<std::pair<ActorId, uint64_t>>& deps() const { return deps_; }
  wire::Change::Reader reader() const { return root_; }
  const std::vector<OpView>& ops() const;
  std::string_view bytes() const;  // the exact encoded bytes
  Stamp stamp() const { return Stamp{hlc_, actor_, seq_}; }
  // Whether the author of this change had seen the write stamped `s`.
  bool saw(const Stamp& s) const;
  // Seq of `actor` this change depends on (0 if none).
  uint64_t depOn(const ActorId& actor) const;

 private:
  DecodedChange() = default;
  static Result<DecodedChange> decodeImpl(std::string_view bytes, bool borrow);
  struct Holder;  // bytes, input stream and reader at stable addresses
  std::shared_ptr<Holder> holder_;
  wire::Change::Reader root_;
  ActorId actor_;
  uint64_t seq_ = 0;
  Hlc hlc_ = 0;
  uint64_t prev_ = 0, hash_ = 0;
  std::vector<std::pair<ActorId, uint64_t>> deps_;
};

// A delivered change set aside before it could be decoded
// (CheckedChanges::checkEach); the applier quarantines it.
struct RejectedChange {
  ActorId actor;
  uint64_t seq = 0;
  std::string bytes;
  std::string reason;
  bool sealed = false;
};

// Decodes a batch, on two threads when it is large (sync pages, change
// files); the first bad change (in input order) fails the whole batch. The
// results borrow `encoded` (decodeBorrowed): keep it alive while they live.
Result<std::vector<DecodedChange>> decodeAll(const std::vector<std::string>& encoded);

}  // namespace ridealong::core::detail

namespace ridealong::core {

// The bytes and their decoding, which borrows them.
struct CheckedChanges::Impl {
  std::vector<std::string> encoded;
  std::vector<detail::DecodedChange> decoded;
  std::vector<detail::RejectedChange> rejected;
};

}  // namespace ridealong::core

namespace ridealong::core::detail {}  // namespace ridealong::core::detail
