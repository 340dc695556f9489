// DraftRecord: the applier's working copy of a record during one write
// transaction. Same shape and rules as the public Record (record.h), but its
// containers live in the transaction's Arena and its strings are views: into
// the decoded change messages the applier keeps alive, or into an arena copy
// of the stored blob. Building 10,000 records then copies no text and frees
// nothing one by one. Internal to core.
#pragma once

#include <memory_resource>
#include <string_view>
#include <vector>

#include "ridealong/core/record.h"
#include "ridealong/platform/status.h"

namespace ridealong::core::detail {

// A Value whose text is a view; the accessors match Value's so the merge,
// index and codec templates take either.
class ValueView {
 public:
  ValueView() = default;
  static ValueView boolean(bool b) { return ValueView(Value::Kind::kBool, b ? 1 : 0, 0, {}); }
  static ValueView integer(int64_t i) { return ValueView(Value::Kind::kInt, i, 0, {}); }
  static ValueView real(double d) { return ValueView(Value::Kind::kFloat, 0, d, {}); }
  static ValueView text(std::string_view t) { return ValueView(Value::Kind::kText, 0, 0, t); }

  Value::Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Value::Kind::kNull; }
  bool isText() const { return kind_ == Value::Kind::kText; }
  bool isInt() const { return kind_ == Value::Kind::kInt; }
  bool isBool() const { return kind_ == Value::Kind::kBool; }
  bool asBool() const { return i_ != 0; }
  int64_t asInt() const { return i_; }
  double asFloat() const { return f_; }
  std::string_view asText() const { return text_; }
  std::optional<int64_t> optInt() const {
    if (isInt()) return i_;
    return std::nullopt;
  }
  bool truthy() const { return isBool() || isInt() ? i_ != 0 : false; }
  Value toValue() const;

  // As Value's ==: same kind and same payload (floats compare as doubles).
  bool operator==(const ValueView& o) const {
    if (kind_ != o.kind_) return false;
    switch (kind_) {
      case Value::Kind::kNull: return true;
      case Value::Kind::kBool:
      case Value::Kind::kInt: return i_ == o.i_;
      case Value::Kind::kFloat: return f_ == o.f_;
      case Value::Kind::kText: return text_ == o.text_;
    }
    return false;
  }

 private:
  ValueView(Value::Kind k, int64_t i, double f, std::string_view t) : kind_(k), i_(i), f_(f), text_(t) {}
  Value::Kind kind_ = Value::Kind::kNull;
  int64_t i_ = 0;
  double f_ = 0;
  std::string_view text_;
};

struct DraftValue {
  ValueView value;
  Stamp stamp;
};

struct DraftField {
  std::string_view name;
  std::pmr::vector<DraftValue> values;  // winner first, as Field::values
  const ValueView& value() const { return values.front().value; }
  bool conflicted() const;
};

struct DraftRecord {
  explicit DraftRecord(std::pmr::memory_resource* mr) : fields(mr) {}
  RecordId id;
  std::string_view type;
  Stamp created;
  std::pmr::vector<DraftField> fields;  // sorted by name

  const DraftField* field(std::string_view name) const;
  const ValueView& get(std::string_view name) const;
  bool deleted() const { return get(kDeletedField).truthy(); }
  bool hasConflicts() const;
  // A field for applySet to insert (merge.h); the name must outlive the draft.
  DraftField newField(std::string_view name) {
    return DraftField{name, std::pmr::vector<DraftValue>(fields.get_allocator())};
  }
  Record toRecord() const;  // for tests and comparisons
};

// schema.h's validateField for a value view (defined in schema.cc).
Status validateFieldView(std::string_view type, std::string_view field, const ValueView& v);

}  // namespace ridealong::core::detail
