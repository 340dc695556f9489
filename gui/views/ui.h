// Small drawing helpers shared by the screens: tracked buttons (tests find
// them by label), draft-backed text fields, dates in words, colours.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "layout.h"
#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/records.h"
#include "ridealong/gui/app_model.h"
#include "ridealong/gui/views.h"

namespace ridealong::gui::ui {

// The frame's context for helpers: registry, fonts, touch mode, and the
// app's view memory. It lives for one frame of one app (FrameScope), so
// nothing in it outlasts the app or leaks into another.
struct Frame {
  ItemRegistry* registry = nullptr;
  const Fonts* fonts = nullptr;
  bool touch = false;
  int64_t nowMs = 0;
  ViewMemory* memory = nullptr;
  Layout layout;  // how this window size and text size lay out
};
// The frame being drawn; outside drawApp an empty one.
const Frame& frame();
// Makes `f` the frame() while it lives (drawApp, one frame).
class FrameScope {
 public:
  explicit FrameScope(const Frame& f);
  ~FrameScope();
  FrameScope(const FrameScope&) = delete;
  FrameScope& operator=(const FrameScope&) = delete;

 private:
  const Frame* previous_;
};

// Records the last item's rectangle under `key` (tests only); `control`:
// a button or text field, which must fit where it is drawn (and is tapped).
void track(const std::string& key, bool control = false);
// Records a selectable row or entry: tapped, but it may reach into the
// spacing around it.
void trackTap(const std::string& key);
// Text wrapped at word boundaries to the content region (or the wrap
// position pushed): ImGui breaks a word wider than the line inside it, which
// the layout checks report (tests only).
void wrapped(const std::string& text);
void wrapped(const std::string& text, ImVec4 color);
// Records a line of text the last item showed (tests read it).
void trackText(const std::string& key, const std::string& text);
bool button(const std::string& label, ImVec2 size = ImVec2(0, 0));
bool coloredButton(const std::string& label, ImVec4 color, ImVec2 size = ImVec2(0, 0));
bool inputText(const std::string& label, std::string& text, const char* hint = nullptr);
// A one-line field of an "add" form: true when Enter was pressed in it
// (the caller adds what was typed; the field keeps the keyboard focus for
// the next entry when the caller asks with refocus()).
bool inputSubmit(const std::string& label, std::string& text, const char* hint = nullptr);
// Gives `label` (an inputSubmit field) the keyboard focus in the next frame.
void refocus(const std::string& label);
// The width of the space left on this line after an item of `width` and
// the item spacing (for a field followed by a button).
float widthBefore(float width);
bool inputMultiline(const std::string& label, std::string& text, float lines = 3);
// A record field the user types into; saves itself shortly after typing stops.
// One-line fields are `width` wide (-1: the rest of the line).
bool draftText(AppModel& m, const core::RecordId& id, const char* field, const std::string& stored,
               const std::string& label, bool multiline, float lines = 3, float width = -1);
// One entry of a combo's list or a list of rows: a selectable as tall as a
// button in touch mode (a touch target), tracked under `key`.
bool option(const std::string& label, bool selected, const std::string& key);
// A choice among a schema field's values; true when changed.
bool choice(const std::string& label, const std::vector<std::string_view>& choices, std::string& value,
            float width = 0);
void heading(const std::string& text);
// Continues the current line so that `width` pixels end at the right edge
// of the content region (scrollbar excluded); on a new line when the line
// is already too full for them.
void alignRight(float width);
// A big coloured button whose text wraps inside it at word boundaries
// (the capture screen's skill tiles); `id` is its ImGui label ("##...").
bool tileButton(const std::string& id, const std::string& text, ImVec4 color, ImVec2 size);
// A secondary button ("drop", "Remove", "x"): small on a desktop, a
// full-size target in touch mode.
bool smallButton(const std::string& label);
// Continues the line when an item `width` wide still fits on it (forms:
// fields side by side on a wide window, one under the other on a narrow one).
void nextTo(float width);
// The width of choice(label, ..., width): the box and its visible label.
float choiceWidth(const std::string& label, float width);

// Two columns side by side when the window is wide enough (Layout::
// twoColumns), else one under the other: Columns c("##id"); left...;
// c.next(); right...; (ends with its scope).
class Columns {
 public:
  explicit Columns(const char* id, float leftWeight = 1.0f, float rightWeight = 1.0f, bool border = false);
  ~Columns();
  void next();
  Columns(const Columns&) = delete;
  Columns& operator=(const Columns&) = delete;

 private:
  bool table_ = false;
};

// A person's name in `width` px: whole when it fits, else "Bram J."
// (first name and initials), else the first name alone.
std::string fitName(const std::string& name, float width);

// `text` in `width` px: whole when it fits, else shortened at a word
// boundary with "..." (a list's one-line rows).
std::string fitText(const std::string& text, float width);

// The width of button(label), for alignRight.
float buttonWidth(const std::string& label);
// The widths of several buttons on one line, with the spacing between them.
float buttonsWidth(std::initializer_list<std::string> labels);
// One line of muted text, not wrapped.
void mutedLine(const std::string& text);
void subheading(const std::string& text);
void muted(const std::string& text);
void badge(const std::string& text, ImVec4 color);
float badgeWidth(const std::string& text);
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

// A rep's coaching style as shown: "Self-directed"; "" when not set.
std::string coachingStyleName(std::string_view style);
// What a style means in practice, in a few words.
const char* coachingStyleHint(std::string_view style);
// "Coaching style: Collaborative — likes to find the answer himself";
// "" when neither a style nor a note is set.
std::string coachingStyleLine(const core::Rep& rep);
// Coaching adherence: "4/5" held on time of those that came due; "-" none.
std::string onTimeFigure(const core::Adherence& a);
// Green when most were held on time, amber, red.
ImVec4 adherenceColor(const core::Adherence& a);

}  // namespace ridealong::gui::ui
