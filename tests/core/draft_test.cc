// DraftRecord (draft.h), the applier's arena-backed working record, must
// follow exactly the rules of the public Record: the same merge results,
// index entries and blob bytes, and a blob decodes to the same draft.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "arena.h"
#include "draft.h"
#include "fixed_ids.h"
#include "indexes.h"
#include "merge.h"
#include "record_codec.h"

using namespace ridealong::core;
using namespace ridealong::core::detail;
using namespace ridealong::core::fixed_ids;

TEST_CASE("draft: random writes give the same record, index entries and blob as Record", "[draft]") {
  Arena arena;
  const std::vector<std::string> fields = {"at", "deleted", "rating", "rep", "session", "skill", "status", "text"};
  const std::vector<std::string> types = {"observation", "session", "rating", "action", "goal"};
  const std::vector<std::string> texts = {"done",       "open", recordN(3).str(), recordN(4).str(),
                                          "2026-01-05", "",     "x\0y",           "é"};
  for (uint32_t seed = 1; seed <= 300; seed++) {
    std::mt19937 rng(seed);
    arena.reset();
    std::vector<std::string> strings;  // the drafts view these
    strings.reserve(64);
    Record rec;
    DraftRecord draft(&arena);
    rec.id = draft.id = recordN(static_cast<uint8_t>(seed));
    const std::string& type = types[rng() % types.size()];
    Stamp create{1000 + rng() % 5, actorN(1), 1};
    applyCreate(rec, type, create);
    applyCreate(draft, type, create);
    uint64_t seq[4] = {1, 0, 0, 0};
    for (int w = 0; w < 12; w++) {
      uint8_t actor = static_cast<uint8_t>(rng() % 4);
      Stamp s{1000 + rng() % 20, actorN(actor), ++seq[actor]};
      uint64_t sawUpTo = rng() % 3;  // how much of other actors' writes this one saw
      auto saw = [&](const Stamp& st) { return st.actor == s.actor ? st.seq < s.seq : st.seq <= sawUpTo; };
      const std::string& f = fields[rng() % fields.size()];
      Value v;
      ValueView vv;
      switch (rng() % 5) {
        case 0: break;
        case 1: v = Value(rng() % 2 == 0), vv = ValueView::boolean(v.asBool()); break;
        case 2: v = Value(static_cast<int64_t>(rng() % 7) - 3), vv = ValueView::integer(v.asInt()); break;
        case 3: v = Value(0.5 * (rng() % 4)), vv = ValueView::real(v.asFloat()); break;
        default:
          strings.push_back(texts[rng() % texts.size()]);
          v = Value(strings.back());
          vv = ValueView::text(strings.back());
      }
      applySet(rec, f, v, s, saw);
      applySet(draft, f, vv, s, saw);
    }
    INFO("seed " << seed);
    REQUIRE(draft.toRecord() == rec);
    CHECK(draft.hasConflicts() == rec.hasConflicts());
    CHECK(draft.deleted() == rec.deleted());
    CHECK(indexEntries(draft) == indexEntries(rec));
    std::string a, b;
    encodeRecord(rec, &a);
    encodeRecord(draft, &b);
    REQUIRE(a == b);
    DraftRecord back(&arena);
    REQUIRE(decodeRecord(rec.id, b, &back));
    CHECK(back.toRecord() == rec);
  }
}

TEST_CASE("draft: a truncated blob is refused like Record's", "[draft]") {
  Arena arena;
  Record rec;
  rec.id = recordN(1);
  applyCreate(rec, "rep", Stamp{5, actorN(1), 1});
  applySet(rec, "name", Value("Ana"), Stamp{6, actorN(1), 2}, [](const Stamp&) { return false; });
  std::string blob;
  encodeRecord(rec, &blob);
  for (size_t n = 0; n < blob.size(); n++) {
    DraftRecord d(&arena);
    CHECK_FALSE(decodeRecord(rec.id, std::string_view(blob).substr(0, n), &d).isOk());
    CHECK_FALSE(decodeRecord(rec.id, std::string_view(blob).substr(0, n)));
  }
}
