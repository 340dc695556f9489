#include "change_codec.h"

#include <capnp/serialize-packed.h>
#include <kj/io.h>

#include <cstring>

namespace ridealong::core::detail {

namespace {

void setValue(wire::Value::Builder b, const Value& v) {
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

bool validUtf8(kj::StringPtr s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.begin());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) return false;
    for (size_t k = 1; k < len; k++)
      if ((p[i + k] & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

}  // namespace

std::string encodeChange(const ActorId& actor, uint64_t seq, Hlc hlc, const VersionVector& deps,
                         const std::vector<Op>& ops) {
  capnp::MallocMessageBuilder message(1024);
  auto c = message.initRoot<wire::Change>();
  c.setActor(bytesOf(actor));
  c.setSeq(seq);
  c.setHlc(hlc);
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
  auto o = c.initOps(static_cast<unsigned>(ops.size()));
  for (unsigned k = 0; k < ops.size(); k++) {
    o[k].setRecord(bytesOf(ops[k].record));
    if (ops[k].kind == Op::Kind::kCreate) {
      o[k].setCreate(ops[k].name);
    } else {
      auto s = o[k].initSet();
      s.setField(ops[k].name);
      setValue(s.initValue(), ops[k].value);
    }
  }
  kj::VectorOutputStream out;
  capnp::writePackedMessage(out, message);
  auto arr = out.getArray();
  return std::string(reinterpret_cast<const char*>(arr.begin()), arr.size());
}

// The packed reader may read later segments lazily from its stream, so the
// stream and the bytes under it live as long as the reader.
struct DecodedChange::Holder {
  explicit Holder(std::string b)
      : bytes(std::move(b)),
        in(kj::arrayPtr(reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size())) {}
  std::string bytes;
  kj::ArrayInputStream in;
  std::unique_ptr<capnp::PackedMessageReader> reader;
};

const std::string& DecodedChange::bytes() const { return holder_->bytes; }

Result<DecodedChange> DecodedChange::decode(std::string bytes) {
  if (bytes.empty()) return bad("empty");
  if (bytes.size() > kMaxChangeBytes) return bad("larger than " + std::to_string(kMaxChangeBytes) + " bytes");
  DecodedChange out;
  out.holder_ = std::make_shared<Holder>(std::move(bytes));
  try {
    capnp::ReaderOptions opts;
    // Packed data expands at most ~8x; this bounds the work a hostile message can cause.
    opts.traversalLimitInWords = out.holder_->bytes.size() * 2 + 1024;
    opts.nestingLimit = 16;
    out.holder_->reader = std::make_unique<capnp::PackedMessageReader>(out.holder_->in, opts);
    out.root_ = out.holder_->reader->getRoot<wire::Change>();
    auto c = out.root_;
    if (c.getActor().size() != 16) return bad("actor is not 16 bytes");
    out.actor_ = Id16::fromBytes(c.getActor().begin());
    out.seq_ = c.getSeq();
    out.hlc_ = c.getHlc();
    if (out.seq_ == 0) return bad("seq 0");
    for (auto d : c.getDeps()) {
      if (d.getActor().size() != 16) return bad("dependency actor is not 16 bytes");
      ActorId a = Id16::fromBytes(d.getActor().begin());
      if (a == out.actor_) return bad("depends on its own actor");
      if (d.getSeq() == 0) return bad("dependency with seq 0");
      out.deps_.emplace_back(a, d.getSeq());
    }
    auto ops = c.getOps();
    if (ops.size() == 0) return bad("no operations");
    if (ops.size() > kMaxOpsPerChange) return bad("too many operations");
    for (auto op : ops) {
      if (op.getRecord().size() != 16) return bad("record id is not 16 bytes");
      switch (op.which()) {
        case wire::Op::CREATE: {
          auto t = op.getCreate();
          if (t.size() == 0 || t.size() > kMaxNameBytes || !validUtf8(t)) return bad("bad record type");
          break;
        }
        case wire::Op::SET: {
          auto s = op.getSet();
          auto f = s.getField();
          if (f.size() == 0 || f.size() > kMaxNameBytes || !validUtf8(f)) return bad("bad field name");
          auto v = s.getValue();
          switch (v.which()) {
            case wire::Value::NULL_: case wire::Value::BOOL: case wire::Value::INT: case wire::Value::FLOAT: break;
            case wire::Value::TEXT:
              if (!validUtf8(v.getText())) return bad("text is not UTF-8");
              break;
            default: return bad("unknown value kind (written by a newer version?)");
          }
          break;
        }
        default: return bad("unknown operation (written by a newer version?)");
      }
    }
    // Force any lazily read segments in, then insist nothing follows.
    if (out.holder_->in.tryGetReadBuffer().size() != 0) return bad("trailing bytes after the message");
  } catch (const kj::Exception& e) {
    return bad(std::string("malformed: ") + e.getDescription().cStr());
  }
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

Value toValue(wire::Value::Reader v) {
  switch (v.which()) {
    case wire::Value::NULL_: return Value();
    case wire::Value::BOOL: return Value(v.getBool());
    case wire::Value::INT: return Value(static_cast<int64_t>(v.getInt()));
    case wire::Value::FLOAT: return Value(v.getFloat());
    case wire::Value::TEXT: {
      auto t = v.getText();
      return Value(std::string(t.begin(), t.size()));
    }
  }
  return Value();
}

}  // namespace ridealong::core::detail
