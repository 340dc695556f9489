#include "ridealong/gui/headless.h"

#include <imgui.h>

namespace ridealong::gui {

HeadlessFrames::HeadlessFrames(const GuiSettings& settings, float width, float height) {
  ctx_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(ctx_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(width, height);
  io.DeltaTime = 1.0f / 60;
  fonts_ = loadFonts(1.0f);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // the atlas, in memory only
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
  applyStyle(settings, 1.0f);
}

HeadlessFrames::~HeadlessFrames() { ImGui::DestroyContext(ctx_); }

int HeadlessFrames::frame(AppModel& model, ViewState& state) {
  ImGui::SetCurrentContext(ctx_);
  model.update();
  ImGui::NewFrame();
  drawApp(model, state, fonts_);
  ImGui::Render();
  return ImGui::GetDrawData()->TotalVtxCount;
}

}  // namespace ridealong::gui
