// Trash: everything deleted, with Restore. Deletes are soft, so nothing here
// is ever gone for good.
#include <fmt/core.h>
#include <imgui.h>

#include "ridealong/core/schema.h"
#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {
std::string describe(const core::Record& r) {
  for (const char* f : {"name", "text", "customer", "objective", "skill"}) {
    std::string t = r.text(f);
    if (!t.empty()) return t.size() > 90 ? t.substr(0, 90) + "..." : t;
  }
  return r.id.str();
}
}  // namespace

void trash(AppModel& m, ViewState&) {
  const auto& items = m.trash();
  ui::heading(fmt::format("Trash · {}", items.size()));
  if (items.empty()) {
    ui::empty("The trash is empty. Deleted reps, notes and actions land here and can be restored.");
    return;
  }
  if (!ImGui::BeginTable("##trash", 3,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(items.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
      const core::Record& r = items[i];
      ImGui::PushID(i);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const auto* t = core::findType(r.type);
      ui::muted(t ? std::string(t->label) : r.type);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(describe(r).c_str());
      ImGui::TableNextColumn();
      if (ui::button("Restore##" + r.id.str())) (void)m.restore(r.id);
      ui::track("trash/restore/" + describe(r));
      ImGui::PopID();
    }
  ImGui::EndTable();
}

}  // namespace ridealong::gui::views
