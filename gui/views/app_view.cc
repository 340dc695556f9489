// The frame around every screen: navigation on the left, the screen, a
// status bar (what just happened, sync, undo), and the global shortcuts.
#include <algorithm>

#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui {

namespace {

// Keys are GLFW key codes (the backend fills io.KeysDown with them); for
// letters and digits that is their upper-case ASCII.
bool ctrlKey(char key) {
  const ImGuiIO& io = ImGui::GetIO();
  return io.KeyCtrl && ImGui::IsKeyPressed(key, false);
}

void shortcuts(AppModel& m, ViewState& s) {
  const ImGuiIO& io = ImGui::GetIO();
  if (ctrlKey('F')) {
    m.go(Screen::kSearch);
    s.focusSearch = true;
  }
  if (ctrlKey('R')) m.go(Screen::kRideAlong);
  if (ctrlKey('T')) m.go(Screen::kToday);
  // Inside a text field Ctrl+Z undoes typing; elsewhere it undoes the last edit.
  if (ctrlKey('Z') && !io.WantTextInput && m.canUndo()) (void)m.undo();
}

std::string navLabel(AppModel& m, Screen sc) {
  const Snapshot& snap = m.snapshot();
  std::string title(screenTitle(sc));
  int count = 0;
  switch (sc) {
    case Screen::kToday: count = snap.dueForCoaching; break;
    case Screen::kActions: count = snap.overdueActions; break;
    case Screen::kSync: count = static_cast<int>(snap.conflicts.size()); break;
    default: break;
  }
  if (sc == Screen::kRideAlong && m.activeCall()) title += "  (live)";
  if (count > 0) title += fmt::format("  {}", count);
  return title;
}

void sidebar(AppModel& m, float width) {
  ImGui::BeginChild("##nav", ImVec2(width, 0), true);
  ui::heading("Ridealong");
  for (Screen sc : kAllScreens) {
    bool selected = m.screen() == sc;
    std::string label = navLabel(m, sc) + "##nav-" + std::string(screenName(sc));
    // Touch mode: each entry as tall as a touch-sized button.
    float h = ui::frame().touch ? ImGui::GetFrameHeight() - ImGui::GetStyle().ItemSpacing.y : 0.0f;
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));  // the label in the middle
    if (ImGui::Selectable(label.c_str(), selected, 0, ImVec2(0, h))) m.go(sc);
    ImGui::PopStyleVar();
    ui::track("nav/" + std::string(screenName(sc)));
    if (sc == Screen::kDebrief || sc == Screen::kSearch) ImGui::Spacing();
  }
  ImGui::EndChild();
}

void statusBar(AppModel& m) {
  const Notice& n = m.notice();
  if (!n.text.empty() && m.now() - n.atMs < 15000) {
    ImGui::PushStyleColor(ImGuiCol_Text, n.error ? ui::red() : ui::mutedColor());
    ImGui::TextUnformatted(n.text.c_str());
    ImGui::PopStyleColor();
  } else if (!m.snapshot().error.empty()) {  // the store could not be read: say so while it lasts
    ImGui::TextColored(ui::red(), "%s", m.snapshot().error.c_str());
  } else {
    ui::muted(fmt::format("{} reps · {} records · device {}", m.snapshot().reps.size(), m.snapshot().stats.records,
                          m.snapshot().device.str().substr(0, 6)));
  }
  ImGui::SameLine();
  // From the right: room for the sync badge (its longest wording, at this
  // text size), then the undo button with a gap before it.
  const float right = ImGui::GetWindowContentRegionMax().x;
  const float badge = ImGui::CalcTextSize("Offline (paused) · 9999 to send").x;
  if (m.canUndo()) {
    std::string undo = "Undo " + m.undoLabel() + " (Ctrl+Z)";
    float x = right - badge - ImGui::GetStyle().ItemSpacing.x * 3 - ui::buttonWidth(undo);
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), x));
    if (ImGui::SmallButton(undo.c_str())) (void)m.undo();
    ui::track("undo", true);
    ImGui::SameLine();
  }
  ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right - badge));
  views::syncBadge(m);
}

}  // namespace

void drawApp(AppModel& m, ViewState& s, const Fonts& fonts) {
  ui::Frame f;
  f.registry = s.registry;
  f.fonts = &fonts;
  f.touch = m.settings().touchMode;
  f.nowMs = m.now();
  f.memory = &s.memory;
  ui::FrameScope scope(f);
  if (s.registry) s.registry->clear();

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("Ridealong", nullptr, flags);
  shortcuts(m, s);
  float navWidth = ImGui::GetFontSize() * (f.touch ? 11.0f : 9.5f);
  float statusHeight = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  ImGui::BeginGroup();
  ImGui::BeginChild("##left", ImVec2(navWidth, -statusHeight), false);
  sidebar(m, navWidth);
  ImGui::EndChild();
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginChild("##screen", ImVec2(0, -statusHeight), false);
  switch (m.screen()) {
    case Screen::kToday: views::today(m, s); break;
    case Screen::kTeam: views::team(m, s); break;
    case Screen::kRep: views::rep(m, s); break;
    case Screen::kRideAlong: views::rideAlong(m, s); break;
    case Screen::kDebrief: views::debrief(m, s); break;
    case Screen::kActions: views::actions(m, s); break;
    case Screen::kSearch: views::search(m, s); break;
    case Screen::kTrash: views::trash(m, s); break;
    case Screen::kSync: views::sync(m, s); break;
    case Screen::kSettings: views::settings(m, s); break;
  }
  ImGui::EndChild();
  ImGui::Separator();
  statusBar(m);
  ImGui::End();
}

}  // namespace ridealong::gui
