// The merge rules, as pure functions on a record (no storage), so they can be
// tested and reasoned about alone. They are templates over the record shape:
// the public Record and the applier's DraftRecord (draft.h) follow the same
// rules by construction.
//
// A field is a multi-value register: it holds the writes no later write has
// seen. A new write by change C removes every value C's author had seen
// (C.saw(stamp)) and joins the rest; the highest (hlc, actor) is the winner,
// the others are conflict siblings. With causal delivery (a change applies
// only after everything it saw), the result is the same in any order and a
// repeat is a no-op: apply is commutative, associative and idempotent.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "ridealong/core/record.h"

namespace ridealong::core::detail {

inline Field newFieldOf(Record&, std::string_view name) { return Field{std::string(name), {}}; }
template <typename Rec>
auto newFieldOf(Rec& r, std::string_view name) {
  return r.newField(name);
}

// Record type from a create op. Types are fixed at creation; if two creates
// disagree (only a broken or hostile peer does that), the higher stamp wins
// everywhere.
template <typename Rec>
void applyCreate(Rec& r, std::string_view type, const Stamp& stamp) {
  // A zero stamp (record known only from field writes so far) orders first.
  if (r.created < stamp) {
    r.type = decltype(r.type)(type);
    r.created = stamp;
  }
}

// Field write. `saw(stamp)` says whether the writing change had seen a value.
template <typename Rec, typename Val, typename Saw>
void applySet(Rec& r, std::string_view name, Val value, const Stamp& stamp, const Saw& saw) {
  auto it = std::lower_bound(r.fields.begin(), r.fields.end(), name,
                             [](const auto& f, std::string_view n) { return f.name < n; });
  if (it == r.fields.end() || it->name != name) {
    it = r.fields.insert(it, newFieldOf(r, name));
  }
  auto& vals = it->values;
  vals.erase(std::remove_if(vals.begin(), vals.end(), [&](const auto& fv) { return saw(fv.stamp); }), vals.end());
  using FV = typename std::remove_reference_t<decltype(vals)>::value_type;
  FV nv{std::move(value), stamp};
  auto pos = std::lower_bound(vals.begin(), vals.end(), nv, [](const FV& a, const FV& b) { return a.stamp > b.stamp; });
  vals.insert(pos, std::move(nv));
}

}  // namespace ridealong::core::detail
