// Search: reps, sessions and observation text. The search runs on a worker
// thread (model/search.h); results appear when ready.
#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

void search(AppModel& m, ViewState& s) {
  ui::heading("Search");
  if (s.focusSearch) {
    ImGui::SetKeyboardFocusHere();
    s.focusSearch = false;
  }
  ImGui::SetNextItemWidth(-1);
  ui::inputText("##search", s.searchQuery, "Search reps, sessions, notes and actions (Ctrl+F)");
  m.search().request(s.searchQuery, m.snapshot().generation);
  const auto& hits = m.search().results();
  if (s.searchQuery.empty())
    ui::empty(
        "Type a rep's name, a customer, or words from a note or an action item. Ctrl+F searches from "
        "any screen.");
  else if (m.search().busy()) ui::muted("Searching...");
  else ui::muted(fmt::format("{}{} result{}", hits.size(), hits.size() >= 300 ? "+" : "", hits.size() == 1 ? "" : "s"));
  ImGui::BeginChild("##hits");
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(hits.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
      const SearchHit& h = hits[i];
      ImGui::PushID(i);
      std::string who = m.snapshot().repName(h.rep);
      const char* kind = h.type == "session" ? "Session" : h.type == "action" ? "Action" : "Note";
      std::string line = h.type == "rep"
                             ? "Rep  " + h.title
                             : fmt::format("{}  {}  {}: {}", kind, h.timeMs ? ui::dayDate(h.timeMs) : "", who, h.title);
      // One line per hit (the list is clipped to what is in view): long
      // titles are shortened to the window's width.
      line = ui::fitText(line, ImGui::GetContentRegionAvail().x);
      if (ui::option(line, false, fmt::format("search/hit/{}", i))) {
        if (h.type == "rep") m.openRep(h.id);
        else if (h.session) m.openDebrief(*h.session);
        else if (h.rep) m.openRep(*h.rep);
      }
      ImGui::PopID();
    }
  ImGui::EndChild();
}

}  // namespace ridealong::gui::views
