#include "ridealong/core/value.h"

#include <cstdio>

namespace ridealong::core {

std::string Value::toDisplay() const {
  switch (kind()) {
    case Kind::kNull: return "";
    case Kind::kBool: return asBool() ? "true" : "false";
    case Kind::kInt: return std::to_string(asInt());
    case Kind::kFloat: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", asFloat());
      return buf;
    }
    case Kind::kText: return asText();
  }
  return "";
}

}  // namespace ridealong::core
