// Small drawing helpers shared by the screens: tracked buttons (tests find
// them by label), draft-backed text fields, dates in words, colours.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "ridealong/gui/app_model.h"
#include "ridealong/gui/views.h"

namespace ridealong::gui::ui {

// The frame's context for helpers: registry, fonts, touch mode.
struct Frame {
  ItemRegistry* registry = nullptr;
  const Fonts* fonts = nullptr;
  bool touch = false;
  int64_t nowMs = 0;
};
Frame& frame();

// Records the last item's rectangle under `key` (tests only).
void track(const std::string& key);
bool button(const std::string& label, ImVec2 size = ImVec2(0, 0));
bool coloredButton(const std::string& label, ImVec4 color, ImVec2 size = ImVec2(0, 0));
bool inputText(const std::string& label, std::string& text, const char* hint = nullptr);
bool inputMultiline(const std::string& label, std::string& text, float lines = 3);
// A record field the user types into; saves itself shortly after typing stops.
// One-line fields are `width` wide (-1: the rest of the line).
bool draftText(AppModel& m, const core::RecordId& id, const char* field, const std::string& stored,
               const std::string& label, bool multiline, float lines = 3, float width = -1);
// A choice among a schema field's values; true when changed.
bool choice(const std::string& label, const std::vector<std::string_view>& choices, std::string& value,
            float width = 0);
void heading(const std::string& text);
// Continues the current line so that `width` pixels end at the right edge.
void alignRight(float width);
// The width of button(label), for alignRight.
float buttonWidth(const std::string& label);
// One line of muted text, not wrapped.
void mutedLine(const std::string& text);
void subheading(const std::string& text);
void muted(const std::string& text);
void badge(const std::string& text, ImVec4 color);
void empty(const std::string& text);  // a friendly empty state

// Colours that read on both themes.
ImVec4 green();
ImVec4 amber();
ImVec4 red();
ImVec4 accent();
ImVec4 mutedColor();
ImVec4 ratingColor(int rating);  // 1 red .. 5 green

// "today", "yesterday", "3 days ago", "in 2 days", "never" (0).
std::string relativeDay(int64_t ms, int64_t nowMs);
// "Mon 5 Jan 14:30" in UTC.
std::string dateTime(int64_t ms);
std::string dayDate(int64_t ms);  // "Mon 5 Jan"
// "12:05" elapsed from a duration in ms.
std::string clock(int64_t ms);
// A schema enum value as shown to people: "in_progress" -> "In progress".
std::string pretty(std::string_view value);
std::vector<std::string_view> choicesOf(std::string_view type, std::string_view field);

}  // namespace ridealong::gui::ui
