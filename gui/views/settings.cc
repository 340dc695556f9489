// Settings: coaching cadence, look (theme, touch mode, text size), the
// competency model (ordered skills) and the coaching guides managers pick
// when they start a session.
#include <algorithm>

#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

void preferences(AppModel& m) {
  GuiSettings& st = m.settings();
  GuiSettings before = st;
  ui::subheading("Coaching cadence");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::InputInt("##cadence", &st.cadenceDays);
  ui::track("settings/cadence", true);
  const char* cadence = "days between sessions per rep";
  ui::nextTo(ImGui::CalcTextSize(cadence).x);
  ImGui::AlignTextToFramePadding();
  ui::wrapped(cadence);
  st.cadenceDays = std::clamp(st.cadenceDays, 1, 365);
  ui::subheading("Look");
  int theme = st.theme == Theme::kDark ? 1 : 0;
  ImGui::RadioButton("Light", &theme, 0);
  ui::track("settings/light", true);
  ImGui::SameLine();
  ImGui::RadioButton("Dark", &theme, 1);
  ui::track("settings/dark", true);
  st.theme = theme ? Theme::kDark : Theme::kLight;
  ImGui::Checkbox("Touch mode", &st.touchMode);
  ui::track("settings/touch", true);
  ui::muted("Large targets for a tablet: every button at least 44 px.");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  ImGui::SliderFloat("Text size", &st.fontScale, 0.75f, 2.0f, "%.2fx");
  // Sliders change continuously; save when the user lets go.
  bool sliding = ImGui::IsItemActive();
  if (!(st == before) && !sliding) m.settingsChanged();
  if (ImGui::IsItemDeactivatedAfterEdit()) m.settingsChanged();
}

void skills(AppModel& m, ViewState& s) {
  const auto& list = m.snapshot().skills;
  ui::subheading(fmt::format("Competency model ({} skills, rated 1-5)", list.size()));
  for (size_t i = 0; i < list.size(); i++) {
    const auto& sk = list[i];
    ImGui::PushID(sk.id.str().c_str());
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%zu.", i + 1);
    ImGui::SameLine();
    // The name as wide as what is left after the arrows and "Remove".
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float after = ImGui::GetFrameHeight() * 2 + ui::buttonWidth("Remove") + spacing * 3;
    const float width = std::min(ImGui::GetFontSize() * 14, ImGui::GetContentRegionAvail().x - after);
    ui::draftText(m, sk.id, "name", sk.name, "##name", false, 1, std::max(width, ImGui::GetFontSize() * 4));
    ImGui::SameLine();
    ImGui::BeginDisabled(i == 0);
    if (ImGui::ArrowButton("##up", ImGuiDir_Up)) (void)m.moveSkill(sk.id, -1);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(i + 1 == list.size());
    if (ImGui::ArrowButton("##down", ImGuiDir_Down)) (void)m.moveSkill(sk.id, +1);
    ImGui::EndDisabled();
    ImGui::SameLine();
    bool remove = ui::smallButton("Remove");
    ui::track("skill/remove/" + sk.name, true);
    if (remove) (void)m.remove(sk.id, "skill " + sk.name);
    ImGui::PopID();
  }
  ImGui::SetNextItemWidth(std::min(ImGui::GetFontSize() * 14, ui::widthBefore(ui::buttonWidth("Add skill"))));
  bool entered = ui::inputSubmit("##new-skill", s.newSkillName, "New skill");
  ui::nextTo(ui::buttonWidth("Add skill"));
  const bool blank = s.newSkillName.find_first_not_of(' ') == std::string::npos;
  ImGui::BeginDisabled(blank);
  bool add = ui::button("Add skill");
  ImGui::EndDisabled();
  if ((add || (entered && !blank)) && m.addSkill(s.newSkillName)) {
    s.newSkillName.clear();
    if (entered) ui::refocus("##new-skill");
  }
}

void guides(AppModel& m, ViewState& s) {
  const auto& list = m.snapshot().templates;
  ui::subheading(fmt::format("Coaching guides ({})", list.size()));
  for (const auto& t : list) {
    ImGui::PushID(t.id.str().c_str());
    // Framed in touch mode: as tall as a button.
    const bool open =
        ImGui::TreeNodeEx((t.name + "##guide").c_str(), ui::frame().touch ? ImGuiTreeNodeFlags_Framed : 0);
    ui::trackTap("guide/" + t.name);
    if (open) {
      ui::draftText(m, t.id, "name", t.name, "Name", false);
      ui::draftText(m, t.id, "description", t.description, "Description", true, 2);
      ui::draftText(m, t.id, "questions", t.questions, "Questions (one per line)", true, 6);
      bool remove = ui::smallButton("Remove guide");
      ui::track("guide/remove/" + t.name, true);
      if (remove) (void)m.remove(t.id, "guide " + t.name);
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
  ImGui::SetNextItemWidth(std::min(ImGui::GetFontSize() * 14, ui::widthBefore(ui::buttonWidth("Add guide"))));
  bool entered = ui::inputSubmit("##new-guide", s.newTemplateName, "New guide's name");
  ui::nextTo(ui::buttonWidth("Add guide"));
  const bool blank = s.newTemplateName.find_first_not_of(' ') == std::string::npos;
  ImGui::BeginDisabled(blank);
  bool add = ui::button("Add guide");
  ImGui::EndDisabled();
  if ((add || (entered && !blank)) && m.addTemplate(s.newTemplateName)) {
    s.newTemplateName.clear();
    if (entered) ui::refocus("##new-guide");
  }
}

}  // namespace

void settings(AppModel& m, ViewState& s) {
  ui::heading("Settings");
  ui::Columns columns("##settings");
  preferences(m);
  skills(m, s);
  columns.next();
  guides(m, s);
  ui::subheading("This device");
  // A folder and an id are single tokens: they may break anywhere, so
  // ImGui's plain wrapping (not ui::wrapped's word check) is right here.
  ui::mutedLine("Notebook folder");
  ImGui::TextWrapped("%s", m.snapshot().dir.c_str());
  ui::mutedLine("Device id");
  ImGui::TextWrapped("%s", m.snapshot().device.str().c_str());
}

}  // namespace ridealong::gui::views
