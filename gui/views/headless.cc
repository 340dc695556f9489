#include "ridealong/gui/headless.h"

#include <utility>

#include <imgui.h>

namespace ridealong::gui {

HeadlessFrames::HeadlessFrames(const GuiSettings& settings, float width, float height) {
  ctx_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(ctx_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(width, height);
  io.DeltaTime = 1.0f / 60;
  // The keys by GLFW code, as the shell's GLFW backend maps them, so tests
  // press Enter, Tab, Escape, ... as a person would.
  const std::pair<ImGuiKey, int> keys[] = {
      {ImGuiKey_Tab, 258},         {ImGuiKey_LeftArrow, 263}, {ImGuiKey_RightArrow, 262}, {ImGuiKey_UpArrow, 265},
      {ImGuiKey_DownArrow, 264},   {ImGuiKey_Home, 268},      {ImGuiKey_End, 269},        {ImGuiKey_Delete, 261},
      {ImGuiKey_Backspace, 259},   {ImGuiKey_Space, 32},      {ImGuiKey_Enter, 257},      {ImGuiKey_Escape, 256},
      {ImGuiKey_KeyPadEnter, 335}, {ImGuiKey_A, 'A'},         {ImGuiKey_C, 'C'},          {ImGuiKey_V, 'V'},
      {ImGuiKey_X, 'X'},           {ImGuiKey_Y, 'Y'},         {ImGuiKey_Z, 'Z'}};
  for (const auto& [key, code] : keys) io.KeyMap[key] = code;
  setLook(settings, 1.0f);
}

void HeadlessFrames::setLook(const GuiSettings& settings, float scale) {
  ImGui::SetCurrentContext(ctx_);
  ImGuiIO& io = ImGui::GetIO();
  fonts_ = loadFonts(scale);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // the atlas, in memory only
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
  applyStyle(settings, scale);
}

void HeadlessFrames::makeCurrent() { ImGui::SetCurrentContext(ctx_); }

void HeadlessFrames::resize(float width, float height) {
  ImGui::SetCurrentContext(ctx_);
  ImGui::GetIO().DisplaySize = ImVec2(width, height);
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
