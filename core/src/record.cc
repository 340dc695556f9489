#include "ridealong/core/record.h"

#include <algorithm>

namespace ridealong::core {

bool Field::conflicted() const {
  for (size_t i = 1; i < values.size(); i++)
    if (!(values[i].value == values[0].value)) return true;
  return false;
}

const Field* Record::field(std::string_view name) const {
  auto it = std::lower_bound(fields.begin(), fields.end(), name,
                             [](const Field& f, std::string_view n) { return f.name < n; });
  if (it == fields.end() || it->name != name) return nullptr;
  return &*it;
}

const Value& Record::get(std::string_view name) const {
  static const Value kNull;
  const Field* f = field(name);
  return f ? f->value() : kNull;
}

bool Record::hasConflicts() const {
  return std::any_of(fields.begin(), fields.end(), [](const Field& f) { return f.conflicted(); });
}

}  // namespace ridealong::core
