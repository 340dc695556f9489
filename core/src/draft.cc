#include "draft.h"

#include <algorithm>

namespace ridealong::core::detail {

Value ValueView::toValue() const {
  switch (kind_) {
    case Value::Kind::kNull: return Value();
    case Value::Kind::kBool: return Value(asBool());
    case Value::Kind::kInt: return Value(i_);
    case Value::Kind::kFloat: return Value(f_);
    case Value::Kind::kText: return Value(std::string(text_));
  }
  return Value();
}

bool DraftField::conflicted() const {
  for (size_t i = 1; i < values.size(); i++)
    if (!(values[i].value == values[0].value)) return true;
  return false;
}

const DraftField* DraftRecord::field(std::string_view name) const {
  auto it = std::lower_bound(fields.begin(), fields.end(), name,
                             [](const DraftField& f, std::string_view n) { return f.name < n; });
  if (it == fields.end() || it->name != name) return nullptr;
  return &*it;
}

const ValueView& DraftRecord::get(std::string_view name) const {
  static const ValueView kNull;
  const DraftField* f = field(name);
  return f ? f->value() : kNull;
}

bool DraftRecord::hasConflicts() const {
  return std::any_of(fields.begin(), fields.end(), [](const DraftField& f) { return f.conflicted(); });
}

Record DraftRecord::toRecord() const {
  Record r;
  r.id = id;
  r.type = std::string(type);
  r.created = created;
  r.fields.reserve(fields.size());
  for (const auto& f : fields) {
    Field& out = r.fields.emplace_back();
    out.name = std::string(f.name);
    for (const auto& v : f.values) out.values.push_back(FieldValue{v.value.toValue(), v.stamp});
  }
  return r;
}

}  // namespace ridealong::core::detail
