#include "record_codec.h"

#include "merge.h"

#include <cstring>
#include <type_traits>
#include <vector>

namespace ridealong::core::detail {

namespace {

constexpr uint8_t kFormat = 2;

template <typename V, typename T>
V make(T x);

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool ok() const { return ok_; }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= s_.size()) return fail();
      uint8_t b = static_cast<uint8_t>(s_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return fail();
  }
  std::string_view bytes(size_t n) {
    if (s_.size() - pos_ < n) {
      fail();
      return {};
    }
    auto r = s_.substr(pos_, n);
    pos_ += n;
    return r;
  }
  std::string_view view() { return bytes(varint()); }
  Stamp stamp() {
    Stamp s;
    s.hlc = varint();
    auto a = bytes(16);
    if (ok_) s.actor = Id16::fromBytes(a.data());
    s.seq = varint();
    return s;
  }
  // V is Value (copies text) or ValueView (views the blob).
  template <typename V>
  V value() {
    auto k = bytes(1);
    if (!ok_) return V();
    switch (static_cast<Value::Kind>(k[0])) {
      case Value::Kind::kNull: return V();
      case Value::Kind::kBool: {
        auto b = bytes(1);
        return ok_ ? make<V>(b[0] != 0) : V();
      }
      case Value::Kind::kInt: {
        uint64_t z = varint();
        return make<V>(static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1)));
      }
      case Value::Kind::kFloat: {
        auto b = bytes(8);
        double d = 0;
        if (ok_) std::memcpy(&d, b.data(), 8);
        return make<V>(d);
      }
      case Value::Kind::kText: return make<V>(view());
    }
    fail();
    return V();
  }

 private:
  uint64_t fail() {
    ok_ = false;
    pos_ = s_.size();
    return 0;
  }
  std::string_view s_;
  size_t pos_ = 0;
  bool ok_ = true;
};

template <typename V, typename T>
V make(T x) {
  if constexpr (std::is_same_v<V, Value>) {
    if constexpr (std::is_same_v<T, std::string_view>) return Value(std::string(x));
    else return Value(x);
  } else if constexpr (std::is_same_v<T, bool>) {
    return ValueView::boolean(x);
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return ValueView::integer(x);
  } else if constexpr (std::is_same_v<T, double>) {
    return ValueView::real(x);
  } else {
    return ValueView::text(x);
  }
}

}  // namespace

// Most fields of a record were written by one or two changes, so stamps go
// in a table once and values refer to them by index.
// Writes through a raw pointer into a buffer sized for the worst case:
// byte-wise push_back was most of the encoding cost.
class Writer {
 public:
  explicit Writer(char* p) : p_(p) {}
  char* end() const { return p_; }
  void byte(uint8_t b) { *p_++ = static_cast<char>(b); }
  void varint(uint64_t v) {
    while (v >= 0x80) {
      *p_++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p_++ = static_cast<char>(v);
  }
  void raw(std::string_view s) {
    if (s.empty()) return;  // s.data() may be null, which memcpy must not get
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void str(std::string_view s) {
    varint(s.size());
    raw(s);
  }
  void stamp(const Stamp& s) {
    varint(s.hlc);
    raw(s.actor.view());
    varint(s.seq);
  }
  template <typename V>
  void value(const V& v) {
    byte(static_cast<uint8_t>(v.kind()));
    switch (v.kind()) {
      case Value::Kind::kNull: break;
      case Value::Kind::kBool: byte(v.asBool() ? 1 : 0); break;
      case Value::Kind::kInt: {
        int64_t i = v.asInt();
        varint((static_cast<uint64_t>(i) << 1) ^ static_cast<uint64_t>(i >> 63));
        break;
      }
      case Value::Kind::kFloat: {
        double d = v.asFloat();
        std::memcpy(p_, &d, 8);
        p_ += 8;
        break;
      }
      case Value::Kind::kText: str(v.asText()); break;
    }
  }

 private:
  char* p_;
};

constexpr size_t kMaxVarint = 10;

// Most fields of a record were written by one or two changes, so stamps go
// in a table once and values refer to them by index.
template <typename Rec>
void encodeRecordT(const Rec& r, std::string* out) {
  // At most a few distinct stamps: a linear scan beats any map.
  const Stamp* stampsInline[8];
  std::vector<const Stamp*> more;
  size_t n = 0;
  auto indexOf = [&](const Stamp& s) -> size_t {
    for (size_t i = 0; i < n; i++)
      if (*(i < 8 ? stampsInline[i] : more[i - 8]) == s) return i;
    if (n < 8) stampsInline[n] = &s;
    else more.push_back(&s);
    return n++;
  };
  indexOf(r.created);
  size_t bound = 1 + 3 * kMaxVarint + r.type.size();
  for (const auto& f : r.fields) {
    bound += 2 * kMaxVarint + f.name.size();
    for (const auto& v : f.values) {
      indexOf(v.stamp);
      bound += 1 + 2 * kMaxVarint + (v.value.isText() ? v.value.asText().size() : 0);
    }
  }
  bound += n * (2 * kMaxVarint + 16);
  out->resize(bound);
  Writer w(out->data());
  w.byte(kFormat);
  w.str(r.type);
  w.varint(n);
  for (size_t i = 0; i < n; i++) w.stamp(*(i < 8 ? stampsInline[i] : more[i - 8]));
  w.varint(r.fields.size());
  for (const auto& f : r.fields) {
    w.str(f.name);
    w.varint(f.values.size());
    for (const auto& v : f.values) {
      w.value(v.value);
      w.varint(indexOf(v.stamp));
    }
  }
  out->resize(static_cast<size_t>(w.end() - out->data()));
}

void encodeRecord(const Record& r, std::string* out) { encodeRecordT(r, out); }
void encodeRecord(const DraftRecord& r, std::string* out) { encodeRecordT(r, out); }

namespace {

// Fills `r` (type, created, fields); strings are assigned from views of the blob.
template <typename Rec, typename V>
Status decodeInto(const RecordId& id, std::string_view blob, Rec& r) {
  r.id = id;
  Reader in(blob);
  auto fmt = in.bytes(1);
  if (!in.ok() || static_cast<uint8_t>(fmt[0]) != kFormat)
    return Status::corruption("record " + id.str() + ": unknown format");
  r.type = decltype(r.type)(in.view());
  uint64_t nstamps = in.varint();
  if (nstamps == 0 || nstamps > blob.size()) return Status::corruption("record " + id.str() + ": bad stamp table");
  Stamp inlineStamps[8];
  std::vector<Stamp> moreStamps(nstamps > 8 ? nstamps : 0);
  Stamp* stamps = nstamps > 8 ? moreStamps.data() : inlineStamps;
  for (uint64_t i = 0; i < nstamps; i++) stamps[i] = in.stamp();
  r.created = stamps[0];
  uint64_t n = in.varint();
  if (n > blob.size()) return Status::corruption("record " + id.str() + ": bad field count");
  r.fields.reserve(n);
  for (uint64_t k = 0; k < n && in.ok(); k++) {
    auto& f = r.fields.emplace_back(newFieldOf(r, in.view()));
    uint64_t nv = in.varint();
    if (!in.ok()) break;
    if (nv == 0 || nv > blob.size()) return Status::corruption("record " + id.str() + ": bad value count");
    f.values.reserve(nv);
    for (uint64_t j = 0; j < nv; j++) {
      V v = in.value<V>();
      uint64_t si = in.varint();
      if (si >= nstamps) return Status::corruption("record " + id.str() + ": bad stamp index");
      f.values.push_back({std::move(v), stamps[si]});
    }
  }
  if (!in.ok()) return Status::corruption("record " + id.str() + ": truncated");
  return Status::ok();
}

}  // namespace

Result<Record> decodeRecord(const RecordId& id, std::string_view blob) {
  Record r;
  RIDEALONG_RETURN_IF_ERROR((decodeInto<Record, Value>(id, blob, r)));
  return r;
}

Status decodeRecord(const RecordId& id, std::string_view blob, DraftRecord* out) {
  return decodeInto<DraftRecord, ValueView>(id, blob, *out);
}

}  // namespace ridealong::core::detail
