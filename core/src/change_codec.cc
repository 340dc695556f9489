#include "change_codec.h"

#include <xxhash.h>

#include <capnp/serialize.h>

#include <cstring>
#include <optional>
#include <thread>

namespace ridealong::core::detail {

namespace {

void setValue(wire::FieldSet::Value::Builder b, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: b.setNull(); break;
    case Value::Kind::kBool: b.setBool(v.asBool()); break;
    case Value::Kind::kInt: b.setInt(v.asInt()); break;
    case Value::Kind::kFloat: b.setFloat(v.asFloat()); break;
    case Value::Kind::kText: b.setText(v.asText()); break;
  }
}

kj::ArrayPtr<const kj::byte> bytesOf(const Id16& id) { return kj::arrayPtr(id.bytes.data(), 16); }

Status bad(const std::string& what) { return Status::corruption("change: " + what); }

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF):
// text from a peer ends up in JSON dumps and on screen.
bool validUtf8(kj::StringPtr s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.begin());
  size_t n = s.size(), i = 0;
  while (i < n) {
    // Mostly ASCII: eight bytes at a time while no high bit is set.
    uint64_t w;
    if (i + 8 <= n && (std::memcpy(&w, p + i, 8), (w & 0x8080808080808080ull) == 0)) {
      i += 8;
      continue;
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

}  // namespace

// XXH3-64: every decoded change is hashed, and BLAKE2b cost 1.5 us per
// 1 KB change (+20% on applying w1). The chain tells copies of one device
// apart, against accidents, not adversaries: a member holding the space
// secret can write anything anyway, and sync's digests (keyed BLAKE2b) are
// what the relay compares.
// 32 bits: they fit the struct's padding, so the chain costs no bytes.
uint64_t chainHash(std::string_view bytes) { return static_cast<uint32_t>(XXH3_64bits(bytes.data(), bytes.size())); }

std::string encodeChange(const ActorId& actor, uint64_t seq, Hlc hlc, const VersionVector& deps,
                         const std::vector<Op>& ops, uint64_t prev) {
  capnp::MallocMessageBuilder message(1024);
  auto c = message.initRoot<wire::Change>();
  c.setActor(bytesOf(actor));
  c.setSeq(seq);
  c.setHlc(hlc);
  c.setPrev(static_cast<uint32_t>(prev));
  size_t ndeps = 0;
  for (const auto& [a, s] : deps) ndeps += (a != actor && s > 0);
  auto d = c.initDeps(static_cast<unsigned>(ndeps));
  unsigned i = 0;
  for (const auto& [a, s] : deps) {
    if (a == actor || s == 0) continue;
    d[i].setActor(bytesOf(a));
    d[i].setSeq(s);
    i++;
  }
  // Consecutive ops on one record share a RecordOps entry.
  std::vector<std::pair<size_t, size_t>> groups;  // [begin, end) into ops
  for (size_t k = 0; k < ops.size(); k++) {
    bool startsGroup =
        groups.empty() || ops[k].record != ops[groups.back().first].record || ops[k].kind == Op::Kind::kCreate;
    if (startsGroup) groups.emplace_back(k, k);
    groups.back().second = k + 1;
  }
  auto recs = c.initRecords(static_cast<unsigned>(groups.size()));
  for (unsigned g = 0; g < groups.size(); g++) {
    auto [from, to] = groups[g];
    auto r = recs[g];
    r.setRecord(bytesOf(ops[from].record));
    if (ops[from].kind == Op::Kind::kCreate) r.setCreate(ops[from++].name);
    auto sets = r.initSets(static_cast<unsigned>(to - from));
    for (unsigned k = 0; from + k < to; k++) {
      sets[k].setField(ops[from + k].name);
      setValue(sets[k].getValue(), ops[from + k].value);
    }
  }
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asChars();
  return std::string(bytes.begin(), bytes.size());
}

// Flat (unpacked) encoding: decoding is zero-copy over word-aligned bytes:
// the caller's own (decodeBorrowed) or one aligned copy.
struct DecodedChange::Holder {
  Holder(std::string_view b, bool borrow) : size(b.size()) {
    if (borrow && reinterpret_cast<uintptr_t>(b.data()) % alignof(capnp::word) == 0) {
      words = kj::arrayPtr(reinterpret_cast<const capnp::word*>(b.data()), b.size() / 8);
    } else {
      owned = kj::heapArray<capnp::word>(b.size() / 8);
      std::memcpy(owned.begin(), b.data(), b.size());
      words = owned.asPtr();
    }
  }
  size_t size;
  kj::Array<capnp::word> owned;
  kj::ArrayPtr<const capnp::word> words;
  std::optional<capnp::FlatArrayMessageReader> reader;
  std::vector<OpView> ops;
};

std::string_view DecodedChange::bytes() const {
  return {reinterpret_cast<const char*>(holder_->words.begin()), holder_->size};
}
const std::vector<DecodedChange::OpView>& DecodedChange::ops() const { return holder_->ops; }

Result<DecodedChange> DecodedChange::decode(std::string_view bytes) { return decodeImpl(bytes, false); }
Result<DecodedChange> DecodedChange::decodeBorrowed(std::string_view bytes) { return decodeImpl(bytes, true); }

Result<DecodedChange> DecodedChange::decodeImpl(std::string_view bytes, bool borrow) {
  if (bytes.size() < 8 || bytes.size() % 8 != 0) return bad("length is not a whole number of words");
  if (bytes.size() > kMaxChangeBytes) return bad("larger than " + std::to_string(kMaxChangeBytes) + " bytes");
  DecodedChange out;
  out.holder_ = std::make_shared<Holder>(bytes, borrow);
  try {
    capnp::ReaderOptions opts;
    // Bounds the work a hostile message can cause (amplification via
    // shared pointers) to a small multiple of its size.
    opts.traversalLimitInWords = out.holder_->words.size() * 4 + 64;
    opts.nestingLimit = 16;
    auto& h = *out.holder_;
    h.reader.emplace(h.words, opts);
    if (h.reader->getEnd() != h.words.end()) return bad("trailing bytes after the message");
    out.root_ = h.reader->getRoot<wire::Change>();
    auto c = out.root_;
    if (c.getActor().size() != 16) return bad("actor is not 16 bytes");
    out.actor_ = Id16::fromBytes(c.getActor().begin());
    out.seq_ = c.getSeq();
    out.hlc_ = c.getHlc();
    out.prev_ = c.getPrev();
    if (out.seq_ == 0) return bad("seq 0");
    if (out.seq_ == 1 && out.prev_ != 0) return bad("the first change of a device names a change before it");
    for (auto d : c.getDeps()) {
      if (d.getActor().size() != 16) return bad("dependency actor is not 16 bytes");
      ActorId a = Id16::fromBytes(d.getActor().begin());
      if (a == out.actor_) return bad("depends on its own actor");
      if (d.getSeq() == 0) return bad("dependency with seq 0");
      out.deps_.emplace_back(a, d.getSeq());
    }
    if (c.getMinReader() > kReaderFormat)
      return bad("written in format " + std::to_string(c.getMinReader()) + " by a newer Ridealong; update to read it");
    auto recs = c.getRecords();
    if (recs.size() == 0) return bad("no operations");
    size_t total = 0;
    for (auto r : recs) total += (r.hasCreate() ? 1 : 0) + r.getSets().size();
    if (total == 0) return bad("no operations");
    if (total > kMaxOpsPerChange) return bad("too many operations");
    h.ops.reserve(total);
    for (auto r : recs) {
      auto rec = r.getRecord();
      if (rec.size() != 16) return bad("record id is not 16 bytes");
      RecordId id = Id16::fromBytes(rec.begin());
      if (r.hasCreate()) {
        auto t = r.getCreate();
        if (t.size() == 0 || t.size() > kMaxNameBytes || !validUtf8(t) || t.findFirst('\0') != nullptr)
          return bad("bad record type");
        h.ops.push_back(OpView{id, true, std::string_view(t.begin(), t.size()), ValueView()});
      }
      for (auto fs : r.getSets()) {
        auto f = fs.getField();
        if (f.size() == 0 || f.size() > kMaxNameBytes || !validUtf8(f)) return bad("bad field name");
        auto v = fs.getValue();
        ValueView value;
        switch (v.which()) {
          case wire::FieldSet::Value::NULL_: break;
          case wire::FieldSet::Value::BOOL: value = ValueView::boolean(v.getBool()); break;
          case wire::FieldSet::Value::INT: value = ValueView::integer(v.getInt()); break;
          case wire::FieldSet::Value::FLOAT: value = ValueView::real(v.getFloat()); break;
          case wire::FieldSet::Value::TEXT: {
            auto t = v.getText();
            if (!validUtf8(t)) return bad("text is not UTF-8");
            value = ValueView::text(std::string_view(t.begin(), t.size()));
            break;
          }
          default: return bad("unknown value kind (written by a newer version?)");
        }
        h.ops.push_back(OpView{id, false, std::string_view(f.begin(), f.size()), value});
      }
    }
  } catch (const kj::Exception& e) {
    return bad(std::string("malformed: ") + e.getDescription().cStr());
  }
  out.hash_ = chainHash(bytes);
  return out;
}

bool DecodedChange::saw(const Stamp& s) const {
  if (s.actor == actor_) return s.seq <= seq_;
  return depOn(s.actor) >= s.seq;
}

uint64_t DecodedChange::depOn(const ActorId& a) const {
  for (const auto& [da, ds] : deps_)
    if (da == a) return ds;
  return 0;
}

Result<std::vector<DecodedChange>> decodeAll(const std::vector<std::string>& encoded) {
  std::vector<std::optional<Result<DecodedChange>>> slots(encoded.size());
  auto work = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; i++) slots[i].emplace(DecodedChange::decodeBorrowed(encoded[i]));
  };
  size_t half = encoded.size() >= 512 ? encoded.size() / 2 : encoded.size();
  std::jthread helper;  // joined however this scope ends
  if (half < encoded.size()) helper = std::jthread(work, half, encoded.size());
  work(0, half);
  if (helper.joinable()) helper.join();
  std::vector<DecodedChange> out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < slots.size(); i++) {
    auto& r = *slots[i];
    if (!r) return r.status().withContext("change " + std::to_string(i + 1) + " of " + std::to_string(encoded.size()));
    out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace ridealong::core::detail

namespace ridealong::core {

Result<ChangeHeader> readChangeHeader(std::string_view encoded) {
  auto d = detail::DecodedChange::decode(encoded);
  if (!d) return d.status();
  return ChangeHeader{d->actor(), d->seq(), d->hlc()};
}

Result<CheckedChanges> CheckedChanges::check(std::vector<std::string> encoded) {
  auto impl = std::make_shared<Impl>();
  // Moving the vector keeps each string's bytes where decoding borrows them.
  impl->encoded = std::move(encoded);
  auto decoded = detail::decodeAll(impl->encoded);
  if (!decoded) return decoded.status();
  impl->decoded = std::move(*decoded);
  CheckedChanges out;
  out.impl_ = std::move(impl);
  return out;
}

CheckedChanges CheckedChanges::checkEach(std::vector<Delivered> delivered) {
  auto impl = std::make_shared<Impl>();
  std::vector<size_t> from;  // index into `delivered` of each encoded entry
  for (size_t i = 0; i < delivered.size(); i++) {
    auto& d = delivered[i];
    if (!d.failure.empty()) {
      impl->rejected.push_back({d.actor, d.seq, std::move(d.bytes), std::move(d.failure), true});
      continue;
    }
    impl->encoded.push_back(std::move(d.bytes));
    from.push_back(i);
  }
  // Decoded on the caller's thread(s), each on its own: one bad change is
  // set aside, never the page.
  std::vector<std::optional<Result<detail::DecodedChange>>> slots(impl->encoded.size());
  auto work = [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; i++) slots[i].emplace(detail::DecodedChange::decodeBorrowed(impl->encoded[i]));
  };
  size_t half = slots.size() >= 512 ? slots.size() / 2 : slots.size();
  {
    std::jthread helper;
    if (half < slots.size()) helper = std::jthread(work, half, slots.size());
    work(0, half);
  }
  std::vector<std::string> keep;  // bytes of rejected entries leave `encoded`
  for (size_t i = 0; i < slots.size(); i++) {
    const auto& d = delivered[from[i]];
    auto& r = *slots[i];
    std::string where = "change " + std::to_string(d.seq) + " of device " + d.actor.str();
    if (!r) {
      impl->rejected.push_back(
          {d.actor, d.seq, impl->encoded[i], where + " cannot be read: " + r.status().message(), false});
    } else if (r->actor() != d.actor || r->seq() != d.seq) {
      impl->rejected.push_back(
          {d.actor, d.seq, impl->encoded[i],
           where + " claims to be change " + std::to_string(r->seq()) + " of device " + r->actor().str(), false});
    } else {
      impl->decoded.push_back(std::move(*r));
    }
  }
  CheckedChanges out;
  out.impl_ = std::move(impl);
  return out;
}

size_t CheckedChanges::rejectedCount() const { return impl_ ? impl_->rejected.size() : 0; }

size_t CheckedChanges::size() const { return impl_ ? impl_->decoded.size() : 0; }

ChangeHeader CheckedChanges::header(size_t i) const {
  const auto& d = impl_->decoded.at(i);
  return ChangeHeader{d.actor(), d.seq(), d.hlc()};
}

}  // namespace ridealong::core
