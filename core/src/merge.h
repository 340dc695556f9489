// The merge rules, as pure functions on a Record (no storage), so they can be
// tested and reasoned about alone.
//
// A field is a multi-value register: it holds the writes no later write has
// seen. A new write by change C removes every value C's author had seen
// (C.saw(stamp)) and joins the rest; the highest (hlc, actor) is the winner,
// the others are conflict siblings. With causal delivery (a change applies
// only after everything it saw), the result is the same in any order and a
// repeat is a no-op: apply is commutative, associative and idempotent.
#pragma once

#include <algorithm>
#include <string_view>

#include "ridealong/core/record.h"

namespace ridealong::core::detail {

// Record type from a create op. Types are fixed at creation; if two creates
// disagree (only a broken or hostile peer does that), the higher stamp wins
// everywhere.
void applyCreate(Record& r, std::string_view type, const Stamp& stamp);

// Field write. `saw(stamp)` says whether the writing change had seen a value.
template <typename Saw>
void applySet(Record& r, std::string_view name, Value value, const Stamp& stamp, const Saw& saw) {
  auto it = std::lower_bound(r.fields.begin(), r.fields.end(), name,
                             [](const Field& f, std::string_view n) { return f.name < n; });
  if (it == r.fields.end() || it->name != name) {
    it = r.fields.insert(it, Field{std::string(name), {}});
  }
  auto& vals = it->values;
  vals.erase(std::remove_if(vals.begin(), vals.end(), [&](const FieldValue& fv) { return saw(fv.stamp); }),
             vals.end());
  FieldValue nv{std::move(value), stamp};
  auto pos = std::lower_bound(vals.begin(), vals.end(), nv,
                              [](const FieldValue& a, const FieldValue& b) { return a.stamp > b.stamp; });
  vals.insert(pos, std::move(nv));
}

}  // namespace ridealong::core::detail
