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

// The screens to go to, in the sidebar or the Menu's popup.
void navEntries(AppModel& m) {
  for (Screen sc : kAllScreens) {
    bool selected = m.screen() == sc;
    std::string label = navLabel(m, sc) + "##nav-" + std::string(screenName(sc));
    // Touch mode: each entry as tall as a touch-sized button.
    float h = ui::frame().touch ? ImGui::GetFrameHeight() : 0.0f;
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));  // the label in the middle
    if (ImGui::Selectable(label.c_str(), selected, 0, ImVec2(0, h))) {
      m.go(sc);
      if (ImGui::IsPopupOpen("##nav-menu")) ImGui::CloseCurrentPopup();
    }
    ImGui::PopStyleVar();
    ui::trackTap("nav/" + std::string(screenName(sc)));
    if (sc == Screen::kDebrief || sc == Screen::kSearch) ImGui::Spacing();
  }
}

void sidebar(AppModel& m, float width) {
  ImGui::BeginChild("##nav", ImVec2(width, 0), true);
  ui::heading("Ridealong");
  navEntries(m);
  ImGui::EndChild();
}

// Narrow windows (a tablet, large text): a Menu button and the screen's
// name on top, the screens in a popup under the button (a tap, no hover).
void topBar(AppModel& m) {
  if (ui::button("Menu##nav-menu")) ImGui::OpenPopup("##nav-menu");
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(navLabel(m, m.screen()).c_str());
  if (ImGui::BeginPopup("##nav-menu")) {
    ImGui::Dummy(ImVec2(ImGui::GetFontSize() * 11, 0));  // the entries' least width
    navEntries(m);
    ImGui::EndPopup();
  }
}

// The bar at the bottom: what just happened (or the store's error, or the
// notebook at a glance), an undo button and where sync stands. One line
// when they fit, else the text above the button and the sync line.
struct StatusBar {
  std::string text;
  ImVec4 color;
  std::string undo;  // "" when there is nothing to undo
  views::SyncLine sync;
  bool twoRows = false;
  float height = 0;
};

StatusBar statusBarFor(AppModel& m) {
  StatusBar b;
  const Notice& n = m.notice();
  if (!n.text.empty() && m.now() - n.atMs < 15000) {
    b.text = n.text;
    b.color = n.error ? ui::red() : ui::mutedColor();
  } else if (!m.snapshot().error.empty()) {  // the store could not be read: say so while it lasts
    b.text = m.snapshot().error;
    b.color = ui::red();
  } else {
    b.text = fmt::format("{} reps · {} records · device {}", m.snapshot().reps.size(), m.snapshot().stats.records,
                         m.snapshot().device.str().substr(0, 6));
    b.color = ui::mutedColor();
  }
  // The keyboard shortcut only where there is a keyboard and room for it.
  if (m.canUndo())
    b.undo = ui::frame().touch || !ui::frame().layout.sidebar ? "Undo##status" : "Undo " + m.undoLabel() + " (Ctrl+Z)";
  b.sync = views::syncLine(m);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float avail = ImGui::GetContentRegionAvail().x;
  const float undo = b.undo.empty() ? 0 : ui::buttonWidth(b.undo) + style.ItemSpacing.x * 3;
  const float sync = ImGui::CalcTextSize(b.sync.text.c_str()).x;
  const float text = ImGui::CalcTextSize(b.text.c_str()).x;
  b.twoRows = text + style.ItemSpacing.x + undo + sync > avail;
  const float row = ImGui::GetFrameHeightWithSpacing();
  b.height = style.ItemSpacing.y + row;
  if (b.twoRows) b.height += ImGui::CalcTextSize(b.text.c_str(), nullptr, false, avail).y + style.ItemSpacing.y;
  return b;
}

void statusBar(AppModel& m, const StatusBar& b) {
  ImGui::AlignTextToFramePadding();
  ui::wrapped(b.text, b.color);
  if (!b.twoRows) ImGui::SameLine();
  const float right = ImGui::GetWindowContentRegionMax().x;
  const float sync = ImGui::CalcTextSize(b.sync.text.c_str()).x;
  if (!b.undo.empty()) {
    // From the right: room for the sync line, then the undo button.
    const float x = right - sync - ImGui::GetStyle().ItemSpacing.x * 3 - ui::buttonWidth(b.undo);
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), x));
    if (ui::smallButton(b.undo)) (void)m.undo();
    ui::track("undo", true);
    ImGui::SameLine();
  }
  ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right - sync));
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(b.sync.color, "%s", b.sync.text.c_str());
}

}  // namespace

void drawApp(AppModel& m, ViewState& s, const Fonts& fonts) {
  ui::Frame f;
  f.registry = s.registry;
  f.fonts = &fonts;
  f.touch = m.settings().touchMode;
  f.nowMs = m.now();
  f.memory = &s.memory;
  const ImGuiViewport* main = ImGui::GetMainViewport();
  f.layout = ui::layoutFor(main->WorkSize.x, main->WorkSize.y, ImGui::GetFontSize(), f.touch);
  ui::FrameScope scope(f);
  if (s.registry) s.registry->clear();

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("Ridealong", nullptr, flags);
  shortcuts(m, s);
  const ui::Layout& layout = f.layout;
  const StatusBar status = statusBarFor(m);
  const float statusHeight = status.height;
  if (layout.sidebar) {
    ImGui::BeginGroup();
    ImGui::BeginChild("##left", ImVec2(layout.sidebarWidth, -statusHeight), false);
    sidebar(m, layout.sidebarWidth);
    ImGui::EndChild();
    ImGui::EndGroup();
    ImGui::SameLine();
  } else {
    topBar(m);
    ImGui::Separator();
  }
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
  statusBar(m, status);
  ImGui::End();
}

}  // namespace ridealong::gui
