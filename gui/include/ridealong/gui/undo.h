// Undo of recent edits. Undoing never rewrites history: it commits a new
// change that puts back the values the undone change overwrote (and deletes
// what it created), so it syncs and merges like any other edit.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "ridealong/core/change.h"
#include "ridealong/core/record.h"
#include "ridealong/platform/status.h"

namespace ridealong::gui {

// A record as it is now; NotFound when there is none (Notebook::get).
using RecordLookup = std::function<Result<core::Record>(const core::RecordId&)>;

// The change that restores what `change` overwrites, from the records as they
// are before it commits. Empty if `change` has no ops. A lookup that fails
// other than NotFound is returned: an inverse built from a failed read would
// set the fields to null on undo.
Result<core::ChangeBuilder> inverseOf(const core::ChangeBuilder& change, const RecordLookup& lookup);

class UndoStack {
 public:
  explicit UndoStack(size_t capacity = 100) : capacity_(capacity) {}
  struct Entry {
    std::string label;  // "capture observation", "edit Outcome", ...
    core::ChangeBuilder inverse;
  };
  void push(Entry e);
  std::optional<Entry> pop();
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  const std::string& topLabel() const { return entries_.back().label; }

 private:
  std::deque<Entry> entries_;
  size_t capacity_;
};

}  // namespace ridealong::gui
