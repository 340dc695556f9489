#include "record_codec.h"

#include <cstring>
#include <vector>

namespace ridealong::core::detail {

namespace {

constexpr uint8_t kFormat = 2;

void putVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void putStr(std::string* out, std::string_view s) {
  putVarint(out, s.size());
  out->append(s);
}

void putStamp(std::string* out, const Stamp& s) {
  putVarint(out, s.hlc);
  out->append(s.actor.view());
  putVarint(out, s.seq);
}

void putValue(std::string* out, const Value& v) {
  out->push_back(static_cast<char>(v.kind()));
  switch (v.kind()) {
    case Value::Kind::kNull: break;
    case Value::Kind::kBool: out->push_back(v.asBool() ? 1 : 0); break;
    case Value::Kind::kInt: {
      int64_t i = v.asInt();
      putVarint(out, (static_cast<uint64_t>(i) << 1) ^ static_cast<uint64_t>(i >> 63));
      break;
    }
    case Value::Kind::kFloat: {
      double d = v.asFloat();
      char b[8];
      std::memcpy(b, &d, 8);
      out->append(b, 8);
      break;
    }
    case Value::Kind::kText: putStr(out, v.asText()); break;
  }
}

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
  std::string str() { return std::string(bytes(varint())); }
  Stamp stamp() {
    Stamp s;
    s.hlc = varint();
    auto a = bytes(16);
    if (ok_) s.actor = Id16::fromBytes(a.data());
    s.seq = varint();
    return s;
  }
  Value value() {
    auto k = bytes(1);
    if (!ok_) return Value();
    switch (static_cast<Value::Kind>(k[0])) {
      case Value::Kind::kNull: return Value();
      case Value::Kind::kBool: {
        auto b = bytes(1);
        return ok_ ? Value(b[0] != 0) : Value();
      }
      case Value::Kind::kInt: {
        uint64_t z = varint();
        return Value(static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1)));
      }
      case Value::Kind::kFloat: {
        auto b = bytes(8);
        double d = 0;
        if (ok_) std::memcpy(&d, b.data(), 8);
        return Value(d);
      }
      case Value::Kind::kText: return Value(str());
    }
    fail();
    return Value();
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

}  // namespace

// Most fields of a record were written by one or two changes, so stamps go
// in a table once and values refer to them by index.
void encodeRecord(const Record& r, std::string* out) {
  std::vector<const Stamp*> stamps{&r.created};
  auto indexOf = [&](const Stamp& s) {
    for (size_t i = 0; i < stamps.size(); i++)
      if (*stamps[i] == s) return i;
    stamps.push_back(&s);
    return stamps.size() - 1;
  };
  std::string body;
  body.reserve(64 + r.fields.size() * 48);
  putVarint(&body, r.fields.size());
  for (const auto& f : r.fields) {
    putStr(&body, f.name);
    putVarint(&body, f.values.size());
    for (const auto& v : f.values) {
      putValue(&body, v.value);
      putVarint(&body, indexOf(v.stamp));
    }
  }
  out->clear();
  out->reserve(body.size() + r.type.size() + stamps.size() * 36 + 8);
  out->push_back(static_cast<char>(kFormat));
  putStr(out, r.type);
  putVarint(out, stamps.size());
  for (const Stamp* s : stamps) putStamp(out, *s);
  out->append(body);
}

Result<Record> decodeRecord(const RecordId& id, std::string_view blob) {
  Record r;
  r.id = id;
  Reader in(blob);
  auto fmt = in.bytes(1);
  if (!in.ok() || static_cast<uint8_t>(fmt[0]) != kFormat)
    return Status::corruption("record " + id.str() + ": unknown format");
  r.type = in.str();
  uint64_t nstamps = in.varint();
  if (nstamps == 0 || nstamps > blob.size()) return Status::corruption("record " + id.str() + ": bad stamp table");
  std::vector<Stamp> stamps(nstamps);
  for (auto& s : stamps) s = in.stamp();
  r.created = stamps[0];
  uint64_t n = in.varint();
  if (n > blob.size()) return Status::corruption("record " + id.str() + ": bad field count");
  r.fields.resize(n);
  for (auto& f : r.fields) {
    f.name = in.str();
    uint64_t nv = in.varint();
    if (nv == 0 || nv > blob.size()) return Status::corruption("record " + id.str() + ": bad value count");
    f.values.resize(nv);
    for (auto& v : f.values) {
      v.value = in.value();
      uint64_t si = in.varint();
      if (si >= stamps.size()) return Status::corruption("record " + id.str() + ": bad stamp index");
      v.stamp = stamps[si];
    }
    if (!in.ok()) break;
  }
  if (!in.ok()) return Status::corruption("record " + id.str() + ": truncated");
  return r;
}

}  // namespace ridealong::core::detail
