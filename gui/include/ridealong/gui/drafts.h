// TextDrafts: text the user is typing into a record field. There is no Save
// button: a draft is saved on its own once the user pauses (the debounce,
// ~0.8 s after the last keystroke), when they leave the screen, and when the
// app closes, so a crash loses at most the last second. Plain state, used on
// the GUI thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/ids.h"

namespace ridealong::gui {

class TextDrafts {
 public:
  explicit TextDrafts(int64_t debounceMs = 800) : debounceMs_(debounceMs) {}

  // The buffer an input widget edits. A new draft starts as `stored`.
  std::string& buffer(const core::RecordId& record, std::string_view field, const std::string& stored);
  // The widget changed the buffer at `nowMs`.
  void edited(const core::RecordId& record, std::string_view field, int64_t nowMs);

  struct Due {
    core::RecordId record;
    std::string field, text;
  };
  // Drafts to save now: those idle for the debounce, or every unsaved one
  // when `all`. They are marked saved.
  std::vector<Due> takeDue(int64_t nowMs, bool all);
  // Its save failed (e.g. a required field left empty): the text stays as an
  // unsaved draft, retried after the next keystroke or when saving all.
  void markFailed(const Due& d);
  // The store changed: forget saved drafts so the widgets show the stored
  // value again (which may have been merged from another device).
  void dropSaved();

  bool hasUnsaved() const;
  // When the next save is due (ms, wall clock); 0 when nothing waits.
  int64_t nextDueMs() const;
  int64_t debounceMs() const { return debounceMs_; }

 private:
  struct Draft {
    std::string text;
    bool unsaved = false;
    bool failed = false;
    int64_t lastEditMs = 0;
  };
  using Key = std::pair<core::RecordId, std::string>;
  std::map<Key, Draft, std::less<>> drafts_;
  int64_t debounceMs_;
};

}  // namespace ridealong::gui
