#include "ridealong/gui/undo.h"

#include <map>
#include <set>

namespace ridealong::gui {

Result<core::ChangeBuilder> inverseOf(const core::ChangeBuilder& change, const RecordLookup& lookup) {
  core::ChangeBuilder inv;
  std::set<core::RecordId> created;
  std::set<std::pair<core::RecordId, std::string>> seen;
  std::map<core::RecordId, std::optional<core::Record>> before;
  for (const auto& op : change.ops()) {
    if (op.kind == core::Op::Kind::kCreate) {
      if (created.insert(op.record).second) inv.remove(op.record);
      continue;
    }
    if (created.count(op.record) || !seen.insert({op.record, op.name}).second) continue;
    auto it = before.find(op.record);
    if (it == before.end()) {
      auto rec = lookup(op.record);
      if (!rec && !rec.status().isNotFound()) return rec.status();
      it = before.emplace(op.record, rec ? std::optional<core::Record>(std::move(rec).value()) : std::nullopt).first;
    }
    core::Value old;  // a field never set before goes back to null
    if (it->second) old = it->second->get(op.name);
    if (op.name == core::kDeletedField && old.isNull()) old = core::Value(false);
    inv.set(op.record, op.name, old);
  }
  return inv;
}

void UndoStack::push(Entry e) {
  if (e.inverse.empty()) return;
  entries_.push_back(std::move(e));
  while (entries_.size() > capacity_) entries_.pop_front();
}

std::optional<UndoStack::Entry> UndoStack::pop() {
  if (entries_.empty()) return std::nullopt;
  Entry e = std::move(entries_.back());
  entries_.pop_back();
  return e;
}

}  // namespace ridealong::gui
