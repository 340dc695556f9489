#include "ridealong/core/change.h"

namespace ridealong::core {

void ChangeBuilder::create(const RecordId& id, std::string type, const FieldList& fields) {
  ops_.push_back(Op{Op::Kind::kCreate, id, std::move(type), Value()});
  for (const auto& [name, value] : fields) ops_.push_back(Op{Op::Kind::kSet, id, name, value});
}

void ChangeBuilder::set(const RecordId& id, std::string field, Value value) {
  ops_.push_back(Op{Op::Kind::kSet, id, std::move(field), std::move(value)});
}

}  // namespace ridealong::core
