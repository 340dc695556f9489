#include "ridealong/gui/drafts.h"

namespace ridealong::gui {

std::string& TextDrafts::buffer(const core::RecordId& record, std::string_view field, const std::string& stored) {
  auto [it, inserted] = drafts_.try_emplace(Key{record, std::string(field)});
  if (inserted) it->second.text = stored;
  return it->second.text;
}

void TextDrafts::edited(const core::RecordId& record, std::string_view field, int64_t nowMs) {
  auto it = drafts_.find(Key{record, std::string(field)});
  if (it == drafts_.end()) return;
  it->second.unsaved = true;
  it->second.failed = false;
  it->second.lastEditMs = nowMs;
}

std::vector<TextDrafts::Due> TextDrafts::takeDue(int64_t nowMs, bool all) {
  std::vector<Due> out;
  for (auto& [key, d] : drafts_) {
    if (!d.unsaved || (!all && (d.failed || nowMs - d.lastEditMs < debounceMs_))) continue;
    d.unsaved = false;
    out.push_back(Due{key.first, key.second, d.text});
  }
  return out;
}

void TextDrafts::markFailed(const Due& due) {
  Draft& d = drafts_[Key{due.record, due.field}];
  d.text = due.text;
  d.unsaved = true;
  d.failed = true;
}

void TextDrafts::dropSaved() {
  std::erase_if(drafts_, [](const auto& kv) { return !kv.second.unsaved; });
}

bool TextDrafts::hasUnsaved() const {
  for (const auto& [key, d] : drafts_)
    if (d.unsaved) return true;
  return false;
}

int64_t TextDrafts::nextDueMs() const {
  int64_t next = 0;
  for (const auto& [key, d] : drafts_)
    if (d.unsaved && !d.failed && (next == 0 || d.lastEditMs + debounceMs_ < next)) next = d.lastEditMs + debounceMs_;
  return next;
}

}  // namespace ridealong::gui
