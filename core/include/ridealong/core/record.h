// The generic record layer under the typed coaching records: a record is an
// id, a type and named fields. Each field holds one or more concurrent
// values: values[0] is the last-writer-wins winner, any others are conflict
// siblings (concurrent writes the winner's author had not seen), kept so no
// typed text is lost. Plain values; thread-safe to copy.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/ids.h"
#include "ridealong/core/value.h"

namespace ridealong::core {

struct FieldValue {
  Value value;
  Stamp stamp;
  bool operator==(const FieldValue&) const = default;
};

struct Field {
  std::string name;
  std::vector<FieldValue> values;  // winner first, then siblings by stamp, newest first
  const Value& value() const { return values.front().value; }
  // True when a sibling holds a value different from the winner's.
  bool conflicted() const;
  bool operator==(const Field&) const = default;
};

// The soft-delete flag is an ordinary field, so delete and restore merge like
// any other edit.
inline constexpr std::string_view kDeletedField = "deleted";

struct Record {
  RecordId id;
  std::string type;
  Stamp created;              // stamp of the create op (zero if not seen yet)
  std::vector<Field> fields;  // sorted by name

  const Field* field(std::string_view name) const;
  // Winner value of a field; null Value if the field was never set.
  const Value& get(std::string_view name) const;
  std::string text(std::string_view name) const { return get(name).text(); }
  bool deleted() const { return get(kDeletedField).truthy(); }
  bool hasConflicts() const;
  bool operator==(const Record&) const = default;
};

}  // namespace ridealong::core
