// JSON forms of values and records, shared by the canonical dump, exports
// and the CLI's --json output so they never drift apart.
#pragma once

#include <nlohmann/json.hpp>

#include "ridealong/core/record.h"

namespace ridealong::core {

// A value as a JSON scalar. J is nlohmann::json (sorted keys, the canonical
// dump) or nlohmann::ordered_json (human-facing output).
template <typename J>
J valueToJson(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return nullptr;
    case Value::Kind::kBool: return v.asBool();
    case Value::Kind::kInt: return v.asInt();
    case Value::Kind::kFloat: return v.asFloat();
    case Value::Kind::kText: return v.asText();
  }
  return nullptr;
}

// {"id","type","deleted","fields":{name: winner}, "conflicts":{name: [siblings]}}
// (conflicts only when a field has a differing sibling).
nlohmann::ordered_json recordToJson(const Record& r);

}  // namespace ridealong::core
