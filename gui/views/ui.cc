#include "ui.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/core.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "ridealong/core/fields.h"
#include "ridealong/core/schema.h"

namespace ridealong::gui {

std::optional<ItemRect> ItemRegistry::find(const std::string& key) const {
  auto it = items_.find(key);
  if (it == items_.end() || it->second.clipped) return std::nullopt;
  return it->second;
}

std::vector<std::string> ItemRegistry::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : items_) out.push_back(k);
  return out;
}

namespace ui {

namespace {
// The frame being drawn on this thread (each thread has its own ImGui
// context, see HeadlessFrames); set by FrameScope for one frame only.
thread_local const Frame* current = nullptr;
}  // namespace

const Frame& frame() {
  static const Frame kNone;
  return current ? *current : kNone;
}

FrameScope::FrameScope(const Frame& f) : previous_(current) { current = &f; }
FrameScope::~FrameScope() { current = previous_; }

namespace {
// Records the last item (tests only): `control` must fit where it is drawn,
// `tappable` must be touch-sized in touch mode.
void record(const std::string& key, bool control, bool tappable) {
  if (!frame().registry) return;
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 clip0 = dl->GetClipRectMin(), clip1 = dl->GetClipRectMax();
  ItemRect r{a.x, a.y, b.x, b.y};
  r.control = control;
  r.tappable = tappable;
  r.clipX0 = clip0.x;
  r.clipX1 = clip1.x;
  // Only what is on screen can be clicked; a control cut away sideways is
  // kept (as clipped) for the layout checks.
  if (!ImGui::IsItemVisible()) {
    bool sideways = b.y > clip0.y && a.y < clip1.y;
    if (!control || !sideways) return;
    r.clipped = true;
  }
  frame().registry->add(key, std::move(r));
}

}  // namespace

void track(const std::string& key, bool control) { record(key, control, control); }

void trackTap(const std::string& key) { record(key, false, true); }

namespace {

// Tests only: a word of `text` wider than `width` is broken inside by
// ImGui's wrapping ("Develo / pment").
void checkWords(const std::string& text, float width) {
  if (!frame().registry) return;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find_first_of(" \n", at);
    if (end == std::string::npos) end = text.size();
    if (end > at) {
      float w = ImGui::CalcTextSize(text.data() + at, text.data() + end).x;
      if (w > width + 0.5f)
        frame().registry->fault(
            fmt::format("word '{}' ({:.0f} px) broken in a line of {:.0f} px", text.substr(at, end - at), w, width));
    }
    at = end + 1;
  }
}

// The width TextWrapped wraps at from the cursor: the pushed wrap position
// or the content region's right edge (in a table: the column's).
float wrapWidth() {
  ImGuiWindow* w = ImGui::GetCurrentWindowRead();
  const float x = ImGui::GetCursorScreenPos().x;
  float right = w->DC.TextWrapPos > 0 ? w->Pos.x - w->Scroll.x + w->DC.TextWrapPos
                                      : ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  return std::max(right - x, 1.0f);
}

}  // namespace

void wrapped(const std::string& text) {
  if (frame().registry) checkWords(text, wrapWidth());  // tests only: no work in the app's frames
  // A wrap position pushed by the caller stays; else the region's edge.
  const bool pushed = ImGui::GetCurrentWindowRead()->DC.TextWrapPos > 0;
  if (!pushed) ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  if (!pushed) ImGui::PopTextWrapPos();
}

void wrapped(const std::string& text, ImVec4 color) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  wrapped(text);
  ImGui::PopStyleColor();
}

void trackText(const std::string& key, const std::string& text) {
  if (!frame().registry) return;
  track(key);
  if (auto r = frame().registry->find(key)) {
    r->text = text;
    frame().registry->add(key, std::move(*r));
  }
}

namespace {
// Tests only: a label wider than the button given its size is cut by it.
void checkLabel(const std::string& label) {
  if (!frame().registry) return;
  const std::string visible = label.substr(0, label.find("##"));
  const float room = ImGui::GetItemRectSize().x - ImGui::GetStyle().FramePadding.x * 2;
  const float need = ImGui::CalcTextSize(visible.c_str(), nullptr, true).x;
  if (need > room + 1.0f)
    frame().registry->fault(fmt::format("button '{}': label {:.0f} px in {:.0f} px", visible, need, room));
}
}  // namespace

bool button(const std::string& label, ImVec2 size) {
  bool pressed = ImGui::Button(label.c_str(), size);
  track(label, true);
  if (size.x > 0) checkLabel(label);
  return pressed;
}

bool coloredButton(const std::string& label, ImVec4 color, ImVec2 size) {
  ImGui::PushStyleColor(ImGuiCol_Button, color);
  ImVec4 hover(color.x * 1.1f, color.y * 1.1f, color.z * 1.1f, 1.0f);
  ImVec4 active(color.x * 0.85f, color.y * 0.85f, color.z * 0.85f, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, hover);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, active);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  bool pressed = button(label, size);
  ImGui::PopStyleColor(4);
  return pressed;
}

bool inputText(const std::string& label, std::string& text, const char* hint) {
  bool changed = hint ? ImGui::InputTextWithHint(label.c_str(), hint, &text) : ImGui::InputText(label.c_str(), &text);
  track(label, true);
  return changed;
}

bool inputSubmit(const std::string& label, std::string& text, const char* hint) {
  ViewMemory* memory = frame().memory;
  if (memory && memory->refocus == label) {
    ImGui::SetKeyboardFocusHere();
    memory->refocus.clear();
  }
  // Enter leaves the field (ImGui ends the edit); the text is the caller's
  // to add, and the field is focused again by refocus() when it was.
  bool entered = hint ? ImGui::InputTextWithHint(label.c_str(), hint, &text, ImGuiInputTextFlags_EnterReturnsTrue)
                      : ImGui::InputText(label.c_str(), &text, ImGuiInputTextFlags_EnterReturnsTrue);
  track(label, true);
  return entered;
}

void refocus(const std::string& label) {
  if (frame().memory) frame().memory->refocus = label;
}

float widthBefore(float width) {
  return std::max(ImGui::GetFontSize() * 4, ImGui::GetContentRegionAvail().x - width - ImGui::GetStyle().ItemSpacing.x);
}

bool inputMultiline(const std::string& label, std::string& text, float lines) {
  ImVec2 size(-1, ImGui::GetTextLineHeight() * lines + ImGui::GetStyle().FramePadding.y * 2);
  bool changed = ImGui::InputTextMultiline(label.c_str(), &text, size);
  track(label, true);
  return changed;
}

namespace {

// ImGui 1.86 text boxes do not wrap words, so a multi-line field shows its
// text wrapped in a box and turns into the text box when pressed (focused a
// frame later, as ImGui grants focus); it turns back when it loses focus.
// (The field being edited is kept in the app's ViewMemory.)
bool wrappedMultiline(AppModel& m, const core::RecordId& id, const char* field, const std::string& widget,
                      std::string& buf, float lines) {
  ViewMemory* memory = frame().memory;
  const ImGuiStyle& style = ImGui::GetStyle();
  float width = ImGui::GetContentRegionAvail().x;
  float wrap = width - style.FramePadding.x * 2;
  float textHeight = ImGui::CalcTextSize(buf.c_str(), nullptr, false, wrap).y;
  float height = std::max(ImGui::GetTextLineHeight() * lines, textHeight) + style.FramePadding.y * 2;
  if (!memory || memory->wrapEditing == widget) {
    if (memory && memory->wrapFocusFrames == 2) ImGui::SetKeyboardFocusHere();
    // The same size as the wrapped box: leaving the field must not move
    // what is below it under the pointer.
    bool changed = ImGui::InputTextMultiline(widget.c_str(), &buf, ImVec2(width, height));
    track(widget, true);
    if (changed) m.draftEdited(id, field);
    if (!memory) return changed;
    if (ImGui::IsItemActive()) memory->wrapFocusFrames = 0;
    else if (memory->wrapFocusFrames > 0) memory->wrapFocusFrames--;
    else memory->wrapEditing.clear();
    return changed;
  }
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(widget.c_str(), ImVec2(width, height));
  track(widget, true);
  if (ImGui::IsItemActivated()) {
    memory->wrapEditing = widget;
    memory->wrapFocusFrames = 2;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 bg = ImGui::GetColorU32(ImGui::IsItemHovered() ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg);
  ImVec2 q(p.x + width, p.y + height);
  dl->AddRectFilled(p, q, bg, style.FrameRounding);
  if (style.FrameBorderSize > 0) dl->AddRect(p, q, ImGui::GetColorU32(ImGuiCol_Border), style.FrameRounding);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + style.FramePadding.x, p.y + style.FramePadding.y),
              ImGui::GetColorU32(ImGuiCol_Text), buf.c_str(), nullptr, wrap);
  return false;
}

}  // namespace

bool draftText(AppModel& m, const core::RecordId& id, const char* field, const std::string& stored,
               const std::string& label, bool multiline, float lines, float width) {
  std::string& buf = m.draft(id, field, stored);
  // Tests find the widget as "##<record id><field>".
  std::string widget = "##" + id.str() + field;
  if (!label.empty() && label[0] != '#') ImGui::TextUnformatted(label.c_str());
  if (!multiline) {
    ImGui::SetNextItemWidth(width);
    bool changed = inputText(widget, buf);
    if (changed) m.draftEdited(id, field);
    return changed;
  }
  return wrappedMultiline(m, id, field, widget, buf, lines);
}

bool option(const std::string& label, bool selected, const std::string& key) {
  const float h = frame().touch ? ImGui::GetFrameHeight() : 0.0f;
  ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
  bool pressed = ImGui::Selectable(label.c_str(), selected, 0, ImVec2(0, h));
  ImGui::PopStyleVar();
  trackTap(key);
  return pressed;
}

bool choice(const std::string& label, const std::vector<std::string_view>& choices, std::string& value, float width) {
  bool changed = false;
  if (width > 0) ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo(label.c_str(), value.empty() ? "-" : pretty(value).c_str())) {
    for (auto c : choices) {
      bool selected = value == c;
      if (option(pretty(c), selected, label + "/" + std::string(c))) {
        value = std::string(c);
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  track(label, true);
  return changed;
}

void heading(const std::string& text) {
  if (frame().fonts && frame().fonts->heading) ImGui::PushFont(frame().fonts->heading);
  ImGui::TextUnformatted(text.c_str());
  if (frame().fonts && frame().fonts->heading) ImGui::PopFont();
}

void alignRight(float width) {
  // In screen coordinates: SameLine(x) counts x from a table column's start
  // while the content region is counted from the window's, so mixing them
  // put buttons in a right-hand column past the screen's edge. The right
  // edge is the content region's (in a table: the column's), which leaves
  // out the scrollbar; the last item ended at GetItemRectMax.
  const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  const float lineEnd = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
  if (lineEnd + width <= right + 0.5f) {
    ImGui::SameLine(0, 0);
    ImGui::SetCursorScreenPos(ImVec2(right - width, ImGui::GetCursorScreenPos().y));
  } else {
    // No room on this line: the next one, right-aligned.
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(std::max(p.x, right - width), p.y));
  }
}

bool tileButton(const std::string& id, const std::string& text, ImVec4 color, ImVec2 size) {
  bool pressed = coloredButton(id, color, size);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  const float wrap = std::max(1.0f, b.x - a.x - pad.x * 2);
  checkWords(text, wrap);
  const ImVec2 textSize = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
  if (frame().registry && textSize.y > b.y - a.y + 0.5f)
    frame().registry->fault(
        fmt::format("'{}': text of {:.0f} px in a button {:.0f} px high", text, textSize.y, b.y - a.y));
  const ImVec2 at(a.x + pad.x, a.y + std::max(0.0f, (b.y - a.y - textSize.y) / 2));
  const ImVec4 clip(a.x, a.y, b.x, b.y);
  ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at, IM_COL32_WHITE, text.c_str(), nullptr,
                                      wrap, &clip);
  return pressed;
}

bool smallButton(const std::string& label) {
  bool pressed = frame().touch ? ImGui::Button(label.c_str()) : ImGui::SmallButton(label.c_str());
  track(label, true);
  return pressed;
}

void nextTo(float width) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right + 0.5f) ImGui::SameLine();
}

float choiceWidth(const std::string& label, float width) {
  std::string visible = label.substr(0, label.find("##"));
  float w = width > 0 ? width : ImGui::CalcItemWidth();
  if (!visible.empty()) w += ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(visible.c_str()).x;
  return w;
}

Columns::Columns(const char* id, float leftWeight, float rightWeight, bool border) {
  if (!frame().layout.twoColumns) return;
  ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchProp | (border ? ImGuiTableFlags_BordersInnerV : 0);
  table_ = ImGui::BeginTable(id, 2, flags);
  if (!table_) return;
  ImGui::TableSetupColumn("left", ImGuiTableColumnFlags_WidthStretch, leftWeight);
  ImGui::TableSetupColumn("right", ImGuiTableColumnFlags_WidthStretch, rightWeight);
  ImGui::TableNextColumn();
}

void Columns::next() {
  if (table_) ImGui::TableNextColumn();
  else ImGui::Spacing();
}

Columns::~Columns() {
  if (table_) ImGui::EndTable();
}

std::string fitName(const std::string& name, float width) {
  if (ImGui::CalcTextSize(name.c_str()).x <= width) return name;
  const size_t space = name.find(' ');
  if (space == std::string::npos) return name;
  std::string initials = name.substr(0, space);
  for (size_t at = space; at != std::string::npos && at + 1 < name.size(); at = name.find(' ', at + 1)) {
    if (name[at + 1] == ' ') continue;
    size_t end = at + 2;  // the initial's whole UTF-8 sequence
    while (end < name.size() && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) end++;
    initials += " " + name.substr(at + 1, end - at - 1) + ".";
  }
  if (ImGui::CalcTextSize(initials.c_str()).x <= width) return initials;
  return name.substr(0, space);
}

std::string fitText(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  const float dots = ImGui::CalcTextSize("...").x;
  // The longest prefix ending at a space that fits with the dots.
  size_t best = 0;
  for (size_t at = text.find(' '); at != std::string::npos; at = text.find(' ', at + 1)) {
    if (ImGui::CalcTextSize(text.data(), text.data() + at).x + dots > width) break;
    best = at;
  }
  if (best == 0) {  // not even the first word: cut it by characters (UTF-8 safe)
    size_t at = 0;
    while (at < text.size()) {
      size_t next = at + 1;
      while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) next++;
      if (ImGui::CalcTextSize(text.data(), text.data() + next).x + dots > width) break;
      at = next;
    }
    best = at;
  }
  return text.substr(0, best) + "...";
}

float buttonWidth(const std::string& label) {
  std::string visible = label.substr(0, label.find("##"));
  return ImGui::CalcTextSize(visible.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

float buttonsWidth(std::initializer_list<std::string> labels) {
  float w = 0;
  for (const auto& l : labels) w += buttonWidth(l);
  if (labels.size() > 1) w += ImGui::GetStyle().ItemSpacing.x * static_cast<float>(labels.size() - 1);
  return w;
}

void mutedLine(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, mutedColor());
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
}

void subheading(const std::string& text) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, accent());
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  ImGui::Separator();
}

void muted(const std::string& text) { wrapped(text, mutedColor()); }

namespace {
constexpr float kBadgePadX = 6, kBadgePadY = 1;
}  // namespace

float badgeWidth(const std::string& text) { return ImGui::CalcTextSize(text.c_str()).x + kBadgePadX * 2; }

void badge(const std::string& text, ImVec4 color) {
  ImVec2 size = ImGui::CalcTextSize(text.c_str());
  ImVec2 pad(kBadgePadX, kBadgePadY);
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + size.x + pad.x * 2, p.y + size.y + pad.y * 2),
                                            ImGui::GetColorU32(color), 8.0f);
  ImGui::SetCursorScreenPos(ImVec2(p.x + pad.x, p.y + pad.y));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
}

void empty(const std::string& text) {
  ImGui::Spacing();
  muted(text);
  ImGui::Spacing();
}

ImVec4 green() { return ImVec4(0.16f, 0.60f, 0.38f, 1.0f); }
ImVec4 amber() { return ImVec4(0.85f, 0.52f, 0.10f, 1.0f); }
ImVec4 red() { return ImVec4(0.80f, 0.22f, 0.22f, 1.0f); }
ImVec4 accent() { return ImVec4(0.22f, 0.46f, 0.85f, 1.0f); }
ImVec4 mutedColor() {
  ImVec4 t = ImGui::GetStyleColorVec4(ImGuiCol_Text);
  return ImVec4(t.x, t.y, t.z, 0.6f);
}

ImVec4 ratingColor(int rating) {
  static const ImVec4 k[] = {ImVec4(0.80f, 0.22f, 0.22f, 1), ImVec4(0.88f, 0.45f, 0.20f, 1),
                             ImVec4(0.85f, 0.70f, 0.15f, 1), ImVec4(0.45f, 0.70f, 0.30f, 1),
                             ImVec4(0.16f, 0.60f, 0.38f, 1)};
  return k[std::clamp(rating, 1, 5) - 1];
}

std::string relativeDay(int64_t ms, int64_t nowMs) {
  if (ms == 0) return "never";
  int64_t days = nowMs / kDayMs - ms / kDayMs;
  if (days == 0) return "today";
  if (days == 1) return "yesterday";
  if (days == -1) return "tomorrow";
  if (days > 0) return fmt::format("{} days ago", days);
  return fmt::format("in {} days", -days);
}

namespace {
std::tm utc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}  // namespace

std::string dayDate(int64_t ms) {
  std::tm tm = utc(ms);
  return fmt::format("{} {} {}", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon]);
}

std::string dateTime(int64_t ms) {
  std::tm tm = utc(ms);
  return fmt::format("{} {:02}:{:02}", dayDate(ms), tm.tm_hour, tm.tm_min);
}

std::string clock(int64_t ms) {
  int64_t s = std::max<int64_t>(0, ms / 1000);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

std::string pretty(std::string_view value) {
  std::string out(value);
  for (auto& c : out)
    if (c == '_') c = ' ';
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  if (out == "Improve") return "Needs work";
  return out;
}

std::vector<std::string_view> choicesOf(std::string_view type, std::string_view field) {
  if (const auto* t = core::findType(type))
    if (const auto* f = t->field(field)) return f->choices;
  return {};
}

std::string coachingStyleName(std::string_view style) {
  namespace cs = core::values::coaching_style;
  if (style == cs::kDirective) return "Directive";
  if (style == cs::kCollaborative) return "Collaborative";
  if (style == cs::kSelfDirected) return "Self-directed";
  return style.empty() ? "" : pretty(style);
}

const char* coachingStyleHint(std::string_view style) {
  namespace cs = core::values::coaching_style;
  if (style == cs::kDirective) return "tell and show, for someone new to the role or the skill";
  if (style == cs::kCollaborative) return "work it out together, ask first and then suggest";
  if (style == cs::kSelfDirected) return "let them lead, ask and listen, agree the next step";
  return "";
}

std::string coachingStyleLine(const core::Rep& rep) {
  if (rep.coachingStyle.empty() && rep.coachingNote.empty()) return "";
  std::string line =
      "Coaching style: " + (rep.coachingStyle.empty() ? std::string("not set") : coachingStyleName(rep.coachingStyle));
  if (!rep.coachingNote.empty()) line += " \u2014 " + rep.coachingNote;
  return line;
}

std::string onTimeFigure(const core::Adherence& a) {
  if (a.due() == 0) return "-";
  return fmt::format("{}/{}", a.onTime, a.due());
}

ImVec4 adherenceColor(const core::Adherence& a) {
  double share = a.onTimeShare();
  return share >= 0.8 ? green() : share >= 0.5 ? amber() : red();
}

}  // namespace ui
}  // namespace ridealong::gui
