// Unit tests of the internal pieces under the merge model:
//  - merge.h: applySet (multi-value register) and applyCreate, including
//    order-independence over random causal histories and idempotence;
//  - record_codec.h: the on-disk record blob round trip and its refusal of
//    truncated or garbled blobs;
//  - change_codec.h: Change encode/decode round trip, saw()/depOn(), and the
//    checks on untrusted bytes (each rule violated by a hand-built message).
#include <capnp/any.h>
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>

#include "change_codec.h"
#include "fixed_ids.h"
#include "merge.h"
#include "record_codec.h"

using namespace ridealong;
using namespace ridealong::core;
using namespace ridealong::core::detail;
using namespace ridealong::core::fixed_ids;

namespace {

Stamp stampOf(Hlc hlc, uint8_t actor, uint64_t seq) { return Stamp{hlc, actorN(actor), seq}; }

auto sawNothing = [](const Stamp&) { return false; };

std::vector<Value> valuesOf(const Field& f) {
  std::vector<Value> out;
  for (const auto& fv : f.values) out.push_back(fv.value);
  return out;
}

// ---- a random causal history of writes to one field ----
struct Write {
  Value value;
  Stamp stamp;
  std::set<size_t> seen;  // indexes of earlier writes the author had seen (closed downwards)
};

std::vector<Write> randomHistory(std::mt19937_64& rng, size_t n) {
  std::vector<Write> ws;
  std::map<uint8_t, uint64_t> seqs;
  std::map<uint8_t, std::set<size_t>> knows;  // what each actor has seen so far
  for (size_t i = 0; i < n; i++) {
    uint8_t actor = static_cast<uint8_t>(1 + rng() % 3);
    std::set<size_t>& k = knows[actor];
    // Learn a random earlier write together with everything it had seen.
    if (!ws.empty() && rng() % 2) {
      size_t j = rng() % ws.size();
      k.insert(j);
      k.insert(ws[j].seen.begin(), ws[j].seen.end());
    }
    Hlc hlc = 100 + rng() % 4;  // frequent ties between actors
    for (size_t j : k) hlc = std::max(hlc, ws[j].stamp.hlc + 1);
    Write w{Value(static_cast<int64_t>(rng() % 4)), stampOf(hlc, actor, ++seqs[actor]), k};
    ws.push_back(w);
    k.insert(i);
  }
  return ws;
}

Field applyInOrder(const std::vector<Write>& ws, const std::vector<size_t>& order) {
  Record r;
  for (size_t i : order) {
    const Write& w = ws[i];
    auto saw = [&](const Stamp& s) {
      if (s.actor == w.stamp.actor) return s.seq <= w.stamp.seq;
      for (size_t j : w.seen)
        if (ws[j].stamp == s) return true;
      return false;
    };
    applySet(r, "f", w.value, w.stamp, saw);
  }
  REQUIRE(r.fields.size() == 1);
  return r.fields[0];
}

// A random linear extension of the causal order (causal delivery).
std::vector<size_t> randomCausalOrder(std::mt19937_64& rng, const std::vector<Write>& ws) {
  std::vector<size_t> order;
  std::vector<bool> done(ws.size());
  while (order.size() < ws.size()) {
    std::vector<size_t> ready;
    for (size_t i = 0; i < ws.size(); i++) {
      if (done[i]) continue;
      bool ok = true;
      for (size_t j : ws[i].seen) ok = ok && done[j];
      // Same-actor writes are seen implicitly (seq order).
      for (size_t j = 0; j < i; j++)
        if (ws[j].stamp.actor == ws[i].stamp.actor) ok = ok && done[j];
      if (ok) ready.push_back(i);
    }
    size_t pick = ready[rng() % ready.size()];
    done[pick] = true;
    order.push_back(pick);
  }
  return order;
}

// ---- hand-built wire messages for the decoder's checks ----
std::string flat(capnp::MessageBuilder& m) {
  auto words = capnp::messageToFlatArray(m);
  auto bytes = words.asChars();
  return std::string(bytes.begin(), bytes.size());
}

kj::ArrayPtr<const kj::byte> bytes16(uint8_t fill, size_t n = 16) {
  static std::vector<std::vector<kj::byte>> keep;  // stable storage for the test's lifetime
  keep.emplace_back(n, fill);
  return kj::arrayPtr(keep.back().data(), n);
}

// A valid change with one set op; `edit` breaks one rule before packing.
template <typename Edit>
std::string buildChange(Edit&& edit) {
  capnp::MallocMessageBuilder m;
  auto c = m.initRoot<wire::Change>();
  c.setActor(bytes16(1));
  c.setSeq(1);
  c.setHlc(hlcMake(1767225600000, 0));
  c.initDeps(0);
  auto recs = c.initRecords(1);
  recs[0].setRecord(bytes16(9));
  auto s = recs[0].initSets(1)[0];
  s.setField("name");
  s.getValue().setText("Ana");
  edit(c);
  return flat(m);
}

}  // namespace

TEST_CASE("applySet: concurrent writes are kept, winner first by stamp", "[merge]") {
  Record r;
  applySet(r, "team", Value("East"), stampOf(10, 1, 1), sawNothing);
  applySet(r, "team", Value("West"), stampOf(12, 2, 1), sawNothing);
  applySet(r, "team", Value("South"), stampOf(11, 3, 1), sawNothing);
  REQUIRE(r.fields.size() == 1);
  const Field& f = r.fields[0];
  CHECK(valuesOf(f) == std::vector<Value>{"West", "South", "East"});
  CHECK(f.conflicted());
  // Equal hlc: the higher actor wins.
  Record t;
  applySet(t, "x", Value(1), stampOf(10, 5, 1), sawNothing);
  applySet(t, "x", Value(2), stampOf(10, 7, 1), sawNothing);
  CHECK(t.get("x") == Value(2));
  // Siblings holding the winner's value are kept but are no conflict.
  Record same;
  applySet(same, "x", Value("v"), stampOf(10, 1, 1), sawNothing);
  applySet(same, "x", Value("v"), stampOf(11, 2, 1), sawNothing);
  CHECK(same.fields[0].values.size() == 2);
  CHECK_FALSE(same.fields[0].conflicted());
  CHECK_FALSE(same.hasConflicts());
}

TEST_CASE("applySet: a write removes exactly what its author had seen", "[merge]") {
  Record r;
  Stamp a = stampOf(10, 1, 1), b = stampOf(11, 2, 1);
  applySet(r, "f", Value("a"), a, sawNothing);
  applySet(r, "f", Value("b"), b, sawNothing);
  // A resolution that saw both replaces both, even with a lower hlc than b
  // would get from a skewed clock.
  Stamp c = stampOf(9, 3, 1);
  applySet(r, "f", Value("c"), c, [&](const Stamp& s) { return s == a || s == b; });
  CHECK(valuesOf(r.fields[0]) == std::vector<Value>{"c"});
  // A write that saw only c keeps nothing else either; one that saw nothing
  // joins as a sibling.
  applySet(r, "f", Value("d"), stampOf(5, 4, 1), sawNothing);
  CHECK(valuesOf(r.fields[0]) == std::vector<Value>{"c", "d"});
  // Other fields are untouched and fields stay sorted by name.
  applySet(r, "a", Value(true), stampOf(1, 1, 2), sawNothing);
  applySet(r, "z", Value(), stampOf(1, 1, 3), sawNothing);
  REQUIRE(r.fields.size() == 3);
  CHECK(r.fields[0].name == "a");
  CHECK(r.fields[1].name == "f");
  CHECK(r.fields[2].name == "z");
  CHECK(r.field("f")->values.size() == 2);
  CHECK(r.get("z").isNull());
  CHECK(r.get("missing").isNull());
}

TEST_CASE("applySet: re-applying a write is a no-op", "[merge]") {
  Record r;
  Stamp a = stampOf(10, 1, 1), b = stampOf(11, 2, 1);
  auto sawA = [&](const Stamp& s) { return s.actor == a.actor && s.seq <= a.seq; };
  auto sawB = [&](const Stamp& s) { return s.actor == b.actor && s.seq <= b.seq; };
  applySet(r, "f", Value("a"), a, sawA);
  applySet(r, "f", Value("b"), b, sawB);
  Record once = r;
  applySet(r, "f", Value("a"), a, sawA);
  applySet(r, "f", Value("b"), b, sawB);
  CHECK(r.fields == once.fields);
}

TEST_CASE("applySet: any causal delivery order gives the same field", "[merge]") {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 300; round++) {
    INFO("round " << round);
    auto ws = randomHistory(rng, 2 + rng() % 12);
    std::vector<size_t> inOrder(ws.size());
    for (size_t i = 0; i < ws.size(); i++) inOrder[i] = i;
    Field reference = applyInOrder(ws, inOrder);
    // The field holds the writes no other write saw, highest stamp first.
    std::vector<FieldValue> expected;
    for (size_t i = 0; i < ws.size(); i++) {
      bool superseded = false;
      for (size_t j = 0; j < ws.size(); j++)
        if (j != i && (ws[j].seen.count(i) || (ws[j].stamp.actor == ws[i].stamp.actor && j > i))) superseded = true;
      if (!superseded) expected.push_back({ws[i].value, ws[i].stamp});
    }
    std::sort(expected.begin(), expected.end(), [](auto& a, auto& b) { return a.stamp > b.stamp; });
    REQUIRE(reference.values == expected);
    for (int k = 0; k < 5; k++) REQUIRE(applyInOrder(ws, randomCausalOrder(rng, ws)).values == expected);
  }
}

TEST_CASE("applyCreate: the higher create stamp decides the type", "[merge]") {
  Record r;
  // Field writes may arrive before the create is known: zero stamp, no type.
  applySet(r, "name", Value("Ana"), stampOf(20, 1, 2), sawNothing);
  CHECK(r.type.empty());
  CHECK(r.created == Stamp{});
  applyCreate(r, "rep", stampOf(10, 1, 1));
  CHECK(r.type == "rep");
  CHECK(r.created == stampOf(10, 1, 1));
  // A conflicting create (broken peer): the higher stamp wins in any order.
  Record a = r, b;
  applyCreate(a, "skill", stampOf(11, 2, 1));
  applyCreate(b, "skill", stampOf(11, 2, 1));
  applyCreate(b, "rep", stampOf(10, 1, 1));
  CHECK(a.type == "skill");
  CHECK(b.type == "skill");
  CHECK(a.created == b.created);
  applyCreate(a, "goal", stampOf(9, 9, 1));
  CHECK(a.type == "skill");
  applyCreate(a, "skill", stampOf(11, 2, 1));  // repeat: no-op
  CHECK(a.created == stampOf(11, 2, 1));
}

TEST_CASE("record blobs round trip every value kind", "[merge]") {
  Record r;
  r.id = recordN(3);
  r.type = "session";
  r.created = Stamp{hlcMake(1767225600000, 7), actorN(0xab), 123456789012ull};
  auto put = [&](std::string name, std::vector<Value> vals) {
    Field f{std::move(name), {}};
    uint64_t seq = 0;
    for (auto& v : vals) {
      seq++;
      f.values.push_back({std::move(v), Stamp{~0ull - seq, actorN(static_cast<uint8_t>(seq)), seq}});
    }
    r.fields.push_back(std::move(f));
  };
  put("a_null", {Value()});
  put("b_bool", {Value(true), Value(false)});
  put("c_int", {Value(std::numeric_limits<int64_t>::min()), Value(std::numeric_limits<int64_t>::max()), Value(0),
                Value(-1), Value(1), Value(int64_t{-64}), Value(int64_t{64})});
  put("d_float",
      {Value(0.0), Value(-0.0), Value(3.25), Value(-1e300), Value(std::numeric_limits<double>::denorm_min())});
  put("e_text", {Value(""), Value("héllo\n\tw\xc3\xb6rld"), Value(std::string(100000, 'x')),
                 Value(std::string("nul\0inside", 10))});
  std::string blob;
  encodeRecord(r, &blob);
  auto back = decodeRecord(r.id, blob);
  REQUIRE(back);
  CHECK(back->id == r.id);
  CHECK(back->type == r.type);
  CHECK(back->created == r.created);
  REQUIRE(back->fields.size() == r.fields.size());
  for (size_t i = 0; i < r.fields.size(); i++) {
    INFO(r.fields[i].name);
    CHECK(back->fields[i].name == r.fields[i].name);
    CHECK(back->fields[i].values == r.fields[i].values);
  }
  CHECK(std::signbit(back->field("d_float")->values[1].value.asFloat()));
  // An empty record (known only by id so far) round trips too.
  Record empty;
  empty.id = recordN(4);
  encodeRecord(empty, &blob);
  auto e = decodeRecord(empty.id, blob);
  REQUIRE(e);
  CHECK(e->type.empty());
  CHECK(e->fields.empty());
}

TEST_CASE("record blobs: truncated or garbled blobs are refused, never crash", "[merge]") {
  Record r;
  r.id = recordN(5);
  r.type = "rep";
  r.created = stampOf(hlcMake(1767225600000, 0), 1, 1);
  applySet(r, "name", Value("Ana"), stampOf(hlcMake(1767225600000, 1), 1, 2), sawNothing);
  applySet(r, "name", Value("Bo"), stampOf(hlcMake(1767225600000, 1), 2, 1), sawNothing);
  applySet(r, "n", Value(int64_t{-77}), stampOf(5, 2, 2), sawNothing);
  applySet(r, "x", Value(2.5), stampOf(6, 2, 3), sawNothing);
  std::string blob;
  encodeRecord(r, &blob);
  for (size_t n = 0; n < blob.size(); n++) {
    INFO("prefix of " << n << " bytes");
    auto d = decodeRecord(r.id, std::string_view(blob).substr(0, n));
    REQUIRE_FALSE(d);
    CHECK(d.status().isCorruption());
    CHECK_THAT(d.status().message(), Catch::Contains(r.id.str()));
  }
  std::string wrongFormat = blob;
  for (int x : {0x01, 0x80, 0xff}) {
    wrongFormat[0] = static_cast<char>(blob[0] ^ x);
    CHECK(decodeRecord(r.id, wrongFormat).status().isCorruption());
  }
  // Field counts are bounded by the blob size, and every flip terminates.
  for (size_t i = 0; i < blob.size(); i++) {
    for (int bit = 0; bit < 8; bit++) {
      std::string flipped = blob;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      auto d = decodeRecord(r.id, flipped);
      if (d) CHECK(d->fields.size() <= flipped.size());
    }
  }
  std::mt19937_64 rng(3);
  for (int i = 0; i < 2000; i++) {
    std::string junk(rng() % 64, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    auto d = decodeRecord(r.id, junk);
    if (d) CHECK(d->fields.size() <= junk.size());
  }
}

TEST_CASE("changes round trip through encode/decode", "[merge]") {
  ActorId me = actorN(1), other = actorN(2), third = actorN(3);
  VersionVector deps{{me, 4}, {other, 7}, {third, 0}};  // own actor and zero entries are dropped
  std::vector<Op> ops;
  RecordId rec = recordN(1);
  ops.push_back(Op{Op::Kind::kCreate, rec, "rep", Value()});
  ops.push_back(Op{Op::Kind::kSet, rec, "a", Value()});
  ops.push_back(Op{Op::Kind::kSet, rec, "b", Value(true)});
  ops.push_back(Op{Op::Kind::kSet, rec, "c", Value(std::numeric_limits<int64_t>::min())});
  ops.push_back(Op{Op::Kind::kSet, rec, "d", Value(-2.5)});
  ops.push_back(Op{Op::Kind::kSet, rec, "e", Value("héllo")});
  Hlc hlc = hlcMake(1767225600000, 3);
  auto d = DecodedChange::decode(encodeChange(me, 5, hlc, deps, ops));
  REQUIRE(d);
  CHECK(d->actor() == me);
  CHECK(d->seq() == 5);
  CHECK(d->hlc() == hlc);
  CHECK(d->stamp() == Stamp{hlc, me, 5});
  REQUIRE(d->deps().size() == 1);
  CHECK(d->deps()[0] == std::make_pair(other, uint64_t{7}));
  CHECK(d->depOn(other) == 7);
  CHECK(d->depOn(third) == 0);
  CHECK(d->depOn(me) == 0);
  // saw: own earlier (and this) seq, others up to the dep.
  CHECK(d->saw(Stamp{0, me, 4}));
  CHECK(d->saw(Stamp{0, me, 5}));
  CHECK_FALSE(d->saw(Stamp{0, me, 6}));
  CHECK(d->saw(Stamp{0, other, 7}));
  CHECK_FALSE(d->saw(Stamp{0, other, 8}));
  CHECK_FALSE(d->saw(Stamp{0, third, 1}));
  // One record, so one group: the create, then the sets in order.
  REQUIRE(d->reader().getRecords().size() == 1);
  const auto& views = d->ops();
  REQUIRE(views.size() == ops.size());
  CHECK(views[0].create);
  CHECK(views[0].name == "rep");
  for (size_t i = 1; i < ops.size(); i++) {
    REQUIRE_FALSE(views[i].create);
    CHECK(views[i].name == ops[i].name);
    CHECK(views[i].value.toValue() == ops[i].value);
    CHECK(views[i].record == rec);
  }
  // Decoding keeps the exact bytes (they are what is stored and forwarded).
  std::string enc = encodeChange(me, 5, hlc, deps, ops);
  CHECK(DecodedChange::decode(enc)->bytes() == enc);
  // Copies share the message and stay readable after the original is gone.
  std::optional<DecodedChange> copy;
  {
    auto tmp = DecodedChange::decode(enc);
    copy = *tmp;
  }
  CHECK(copy->ops().size() == ops.size());
}

TEST_CASE("change decoding refuses each broken rule with a corruption error", "[merge]") {
  auto expectBad = [](const std::string& bytes, const char* what) {
    INFO(what);
    auto d = DecodedChange::decode(bytes);
    REQUIRE_FALSE(d);
    CHECK(d.status().isCorruption());
    CHECK_THAT(d.status().message(), Catch::Contains("change"));
  };
  // The builder itself makes a valid change.
  // The hand builder makes exactly what encodeChange makes (same format).
  {
    std::vector<Op> ops{{Op::Kind::kSet, RecordId::fromBytes(std::string(16, '\x09').data()), "name", Value("Ana")}};
    std::string viaCodec = encodeChange(actorN(1), 1, hlcMake(1767225600000, 0), {}, ops);
    REQUIRE(buildChange([](wire::Change::Builder) {}) == viaCodec);
    REQUIRE(DecodedChange::decode(viaCodec));
  }
  expectBad("", "empty");
  expectBad(std::string(kMaxChangeBytes + 8, '\0'), "oversize");
  expectBad(std::string(12, '\0'), "not whole words");
  expectBad(buildChange([](auto c) { c.setActor(bytes16(1, 15)); }), "short actor");
  expectBad(buildChange([](auto c) { c.setSeq(0); }), "seq 0");
  expectBad(buildChange([](auto c) {
              auto d = c.initDeps(1);
              d[0].setActor(bytes16(1));
              d[0].setSeq(3);
            }),
            "depends on itself");
  expectBad(buildChange([](auto c) {
              auto d = c.initDeps(1);
              d[0].setActor(bytes16(2));
              d[0].setSeq(0);
            }),
            "dep seq 0");
  expectBad(buildChange([](auto c) {
              auto d = c.initDeps(1);
              d[0].setActor(bytes16(2, 17));
              d[0].setSeq(1);
            }),
            "dep actor 17 bytes");
  expectBad(buildChange([](auto c) { c.initRecords(0); }), "no ops");
  expectBad(buildChange([](auto c) { c.getRecords()[0].initSets(0); }), "record without ops");
  expectBad(buildChange([](auto c) { c.getRecords()[0].setRecord(bytes16(9, 8)); }), "short record id");
  expectBad(buildChange([](auto c) { c.getRecords()[0].setCreate(""); }), "empty type");
  expectBad(buildChange([](auto c) { c.getRecords()[0].setCreate(std::string(kMaxNameBytes + 1, 't')); }), "long type");
  expectBad(buildChange([](auto c) { c.getRecords()[0].setCreate("\xff\xfe"); }), "type not UTF-8");
  expectBad(buildChange([](auto c) { c.getRecords()[0].getSets()[0].setField(""); }), "empty field");
  expectBad(buildChange([](auto c) { c.getRecords()[0].getSets()[0].setField(std::string(kMaxNameBytes + 1, 'f')); }),
            "long field");
  expectBad(buildChange([](auto c) { c.getRecords()[0].getSets()[0].setField("a\xc3"); }), "field cut mid-UTF-8");
  expectBad(buildChange([](auto c) { c.getRecords()[0].getSets()[0].getValue().setText("\xe2\x82"); }),
            "text not UTF-8");
  expectBad(buildChange([](auto c) { c.getRecords()[0].getSets()[0].getValue().setText("\xc3\x28"); }),
            "bad continuation");
  // Strict UTF-8: overlong forms, surrogates and code points past U+10FFFF
  // would break JSON dumps downstream.
  for (const char* t : {"\xc0\x80", "\xc1\x81", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                        "\xff", "\x80", "a\xf0\x9f\x98"}) {
    INFO("text bytes " << Catch::Detail::stringify(std::string(t)));
    expectBad(buildChange([&](auto c) { c.getRecords()[0].getSets()[0].getValue().setText(t); }), "bad UTF-8 text");
  }
  for (const char* t : {"\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\xc2\x80", "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf", ""}) {
    INFO("text bytes " << Catch::Detail::stringify(std::string(t)));
    CHECK(DecodedChange::decode(buildChange([&](auto c) { c.getRecords()[0].getSets()[0].getValue().setText(t); })));
  }
  // Unions from a newer schema: unknown op and value kinds.
  expectBad(buildChange([](auto c) { c.setMinReader(kReaderFormat + 1); }), "newer format (unknown op kinds)");
  expectBad(buildChange([](auto c) {
              auto data = capnp::toAny(c.getRecords()[0].getSets()[0]).getDataSection();
              data[0] = 9;  // the value union's discriminant
            }),
            "unknown value kind");
  // Exactly the limits is fine.
  CHECK(DecodedChange::decode(
      buildChange([](auto c) { c.getRecords()[0].getSets()[0].setField(std::string(kMaxNameBytes, 'f')); })));
  // Every strict prefix and anything appended is refused.
  std::string good = buildChange([](wire::Change::Builder) {});
  for (size_t n = 0; n < good.size(); n++) expectBad(good.substr(0, n), "prefix");
  expectBad(good + std::string(8, '\0'), "trailing zero word");
  expectBad(good + good, "two messages");
}
