// Checked conversions between sync values and sync.capnp structs.
#include "ridealong/sync/wire.h"

#include <algorithm>
#include <string>

namespace ridealong::sync {

capnp::ReaderOptions WireLimits::readerOptions() const {
  capnp::ReaderOptions o;
  // The traversal limit also bounds the size of a message the RPC layer will
  // read (it refuses larger ones before allocating); 2x leaves room for the
  // RPC layer reading a few parts of a message twice.
  o.traversalLimitInWords = 2 * maxMessageBytes / sizeof(capnp::word);
  o.nestingLimit = nestingLimit;
  return o;
}

Result<core::Id16> idFromWire(capnp::Data::Reader data, const char* what) {
  if (data.size() != 16) {
    return Status::invalidArgument(std::string(what) + " must be 16 bytes, got " + std::to_string(data.size()));
  }
  return core::Id16::fromBytes(data.begin());
}

Result<std::string> digestFromWire(capnp::Data::Reader data, const char* what) {
  if (data.size() != 0 && data.size() != kDigestBytes) {
    return Status::invalidArgument(std::string(what) + " must be empty or " + std::to_string(kDigestBytes) +
                                   " bytes, got " + std::to_string(data.size()));
  }
  return std::string(viewOf(data));
}

Result<std::array<uint8_t, 32>> keyFromWire(capnp::Data::Reader data, const char* what) {
  if (data.size() != 32) {
    return Status::invalidArgument(std::string(what) + " must be 32 bytes, got " + std::to_string(data.size()));
  }
  std::array<uint8_t, 32> key;
  std::copy(data.begin(), data.end(), key.begin());
  return key;
}

void toWire(const core::VersionVector& vv, wire::VersionVector::Builder out) {
  auto entries = out.initEntries(static_cast<unsigned>(vv.size()));
  unsigned i = 0;
  for (const auto& [actor, seq] : vv) {
    entries[i].setActor(dataOf(actor));
    entries[i].setSeq(seq);
    ++i;
  }
}

void toWire(const HeldVector& held, wire::VersionVector::Builder out) {
  auto entries = out.initEntries(static_cast<unsigned>(held.size()));
  unsigned i = 0;
  for (const auto& [actor, h] : held) {
    entries[i].setActor(dataOf(actor));
    entries[i].setSeq(h.seq);
    if (!h.digest.empty()) entries[i].setDigest(dataOf(h.digest));
    ++i;
  }
}

Result<HeldVector> heldFromWire(wire::VersionVector::Reader in, const WireLimits& limits) {
  auto entries = in.getEntries();
  if (entries.size() > limits.maxVersionVectorEntries) {
    return Status::invalidArgument("version vector has too many entries (" + std::to_string(entries.size()) + ")");
  }
  HeldVector held;
  for (auto e : entries) {
    auto actor = idFromWire(e.getActor(), "version vector actor");
    if (!actor) return actor.status();
    auto digest = digestFromWire(e.getDigest(), "version vector digest");
    if (!digest) return digest.status();
    if (e.getSeq() == 0) continue;  // "nothing held" either way
    auto [it, fresh] = held.emplace(*actor, HeldVersion{e.getSeq(), std::move(digest).value()});
    if (!fresh) return Status::invalidArgument("version vector names an actor twice");
  }
  return held;
}

Result<core::VersionVector> fromWire(wire::VersionVector::Reader in, const WireLimits& limits) {
  auto held = heldFromWire(in, limits);
  if (!held) return held.status();
  return seqsOf(*held);
}

void toWire(const SealedChange& c, wire::SealedChange::Builder out) {
  out.setActor(dataOf(c.actor));
  out.setSeq(c.seq);
  out.setNonce(dataOf(c.nonce));
  out.setCiphertext(dataOf(c.ciphertext));
  if (!c.digest.empty()) out.setDigest(dataOf(c.digest));
  if (!c.prev.empty()) out.setPrev(dataOf(c.prev));
}

void toWire(const std::vector<SealedChange>& cs, capnp::List<wire::SealedChange>::Builder out) {
  for (unsigned i = 0; i < cs.size(); ++i) toWire(cs[i], out[i]);
}

Result<SealedChange> fromWire(wire::SealedChange::Reader in, const WireLimits& limits) {
  auto actor = idFromWire(in.getActor(), "sealed change actor");
  if (!actor) return actor.status();
  SealedChange c;
  c.actor = *actor;
  c.seq = in.getSeq();
  if (c.seq == 0) return Status::invalidArgument("sealed change seq must be at least 1");
  if (in.getNonce().size() != kNonceBytes) {
    return Status::invalidArgument("sealed change nonce must be 24 bytes");
  }
  auto ct = in.getCiphertext();
  if (ct.size() < kTagBytes || ct.size() > limits.maxChangeBytes) {
    return Status::invalidArgument("sealed change ciphertext size " + std::to_string(ct.size()) + " is outside 16.." +
                                   std::to_string(limits.maxChangeBytes));
  }
  auto digest = digestFromWire(in.getDigest(), "sealed change digest");
  if (!digest) return digest.status();
  auto prev = digestFromWire(in.getPrev(), "sealed change prev");
  if (!prev) return prev.status();
  c.nonce.assign(viewOf(in.getNonce()));
  c.ciphertext.assign(viewOf(ct));
  c.digest = std::move(digest).value();
  c.prev = std::move(prev).value();
  return c;
}

Result<std::vector<SealedChange>> fromWire(capnp::List<wire::SealedChange>::Reader in, const WireLimits& limits) {
  std::vector<SealedChange> out;
  out.reserve(in.size());
  for (auto c : in) {
    auto r = fromWire(c, limits);
    if (!r) return r.status().withContext("change " + std::to_string(out.size()));
    out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace ridealong::sync
