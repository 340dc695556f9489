// Value: what a record field holds. A small closed set so every replica and
// the canonical dump agree on types: null, bool, 64-bit int, double, text.
// Ids of other records are stored as their base32 text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace ridealong::core {

class Value {
 public:
  enum class Kind { kNull = 0, kBool, kInt, kFloat, kText };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int v) : v_(static_cast<int64_t>(v)) {}
  Value(int64_t v) : v_(v) {}
  Value(double v) : v_(v) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(const char* s) : v_(std::string(s)) {}

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool isNull() const { return kind() == Kind::kNull; }
  bool isText() const { return kind() == Kind::kText; }
  bool isInt() const { return kind() == Kind::kInt; }
  bool isBool() const { return kind() == Kind::kBool; }
  bool asBool() const { return std::get<bool>(v_); }
  int64_t asInt() const { return std::get<int64_t>(v_); }
  double asFloat() const { return std::get<double>(v_); }
  const std::string& asText() const { return std::get<std::string>(v_); }

  // Lenient accessors for typed views: a default when the kind differs.
  std::string text() const { return isText() ? asText() : std::string(); }
  std::optional<int64_t> optInt() const {
    if (isInt()) return asInt();
    return std::nullopt;
  }
  bool truthy() const { return isBool() ? asBool() : (isInt() ? asInt() != 0 : false); }

  // Human text: "true", "42", "3.5", the text itself, "" for null.
  std::string toDisplay() const;

  bool operator==(const Value&) const = default;

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string> v_;
};

}  // namespace ridealong::core
