#include "ui.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/core.h>
#include <imgui_stdlib.h>

#include "ridealong/core/schema.h"

namespace ridealong::gui {

std::optional<ItemRect> ItemRegistry::find(const std::string& key) const {
  auto it = items_.find(key);
  if (it == items_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ItemRegistry::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : items_) out.push_back(k);
  return out;
}

namespace ui {

Frame& frame() {
  static Frame f;
  return f;
}

void track(const std::string& key) {
  if (!frame().registry) return;
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  // Only what is on screen can be clicked.
  if (!ImGui::IsItemVisible()) return;
  frame().registry->add(key, ItemRect{a.x, a.y, b.x, b.y});
}

bool button(const std::string& label, ImVec2 size) {
  bool pressed = ImGui::Button(label.c_str(), size);
  track(label);
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
  track(label);
  return changed;
}

bool inputMultiline(const std::string& label, std::string& text, float lines) {
  ImVec2 size(-1, ImGui::GetTextLineHeight() * lines + ImGui::GetStyle().FramePadding.y * 2);
  bool changed = ImGui::InputTextMultiline(label.c_str(), &text, size);
  track(label);
  return changed;
}

namespace {

// ImGui 1.86 text boxes do not wrap words, so a multi-line field shows its
// text wrapped in a box and turns into the text box when pressed (focused a
// frame later, as ImGui grants focus); it turns back when it loses focus.
struct WrapEditing {
  std::string widget;   // the field being edited; "" none
  int focusFrames = 0;  // frames left to wait for the focus asked for
};
WrapEditing& wrapEditing() {
  static WrapEditing w;
  return w;
}

bool wrappedMultiline(AppModel& m, const core::RecordId& id, const char* field, const std::string& widget,
                      std::string& buf, float lines) {
  WrapEditing& we = wrapEditing();
  const ImGuiStyle& style = ImGui::GetStyle();
  float width = ImGui::GetContentRegionAvail().x;
  float wrap = width - style.FramePadding.x * 2;
  float textHeight = ImGui::CalcTextSize(buf.c_str(), nullptr, false, wrap).y;
  float height = std::max(ImGui::GetTextLineHeight() * lines, textHeight) + style.FramePadding.y * 2;
  if (we.widget == widget) {
    if (we.focusFrames == 2) ImGui::SetKeyboardFocusHere();
    // The same size as the wrapped box: leaving the field must not move
    // what is below it under the pointer.
    bool changed = ImGui::InputTextMultiline(widget.c_str(), &buf, ImVec2(width, height));
    track(widget);
    if (changed) m.draftEdited(id, field);
    if (ImGui::IsItemActive()) we.focusFrames = 0;
    else if (we.focusFrames > 0) we.focusFrames--;
    else we.widget.clear();
    return changed;
  }
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(widget.c_str(), ImVec2(width, height));
  track(widget);
  if (ImGui::IsItemActivated()) {
    we.widget = widget;
    we.focusFrames = 2;
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

bool choice(const std::string& label, const std::vector<std::string_view>& choices, std::string& value,
            float width) {
  bool changed = false;
  if (width > 0) ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo(label.c_str(), value.empty() ? "-" : pretty(value).c_str())) {
    for (auto c : choices) {
      bool selected = value == c;
      if (ImGui::Selectable(pretty(c).c_str(), selected)) {
        value = std::string(c);
        changed = true;
      }
      track(label + "/" + std::string(c));
    }
    ImGui::EndCombo();
  }
  track(label);
  return changed;
}

void heading(const std::string& text) {
  if (frame().fonts && frame().fonts->heading) ImGui::PushFont(frame().fonts->heading);
  ImGui::TextUnformatted(text.c_str());
  if (frame().fonts && frame().fonts->heading) ImGui::PopFont();
}

void alignRight(float width) {
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - width));
}

float buttonWidth(const std::string& label) {
  std::string visible = label.substr(0, label.find("##"));
  return ImGui::CalcTextSize(visible.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
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

void muted(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, mutedColor());
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void badge(const std::string& text, ImVec4 color) {
  ImVec2 size = ImGui::CalcTextSize(text.c_str());
  ImVec2 pad(6, 1);
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
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
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

}  // namespace ui
}  // namespace ridealong::gui
