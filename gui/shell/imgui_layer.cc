#include "imgui_layer.h"

#include <cfloat>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

namespace ridealong::shell {

Result<std::unique_ptr<ImGuiLayer>> ImGuiLayer::create(Window& window) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed; nothing to remember in ./imgui.ini
  io.LogFilename = nullptr;
  // A blinking caret would need a frame twice a second while a text field
  // has focus; a steady one costs nothing.
  io.ConfigInputTextCursorBlink = false;
  // Our own callbacks (InputTracker) forward to the backend's.
  ImGui_ImplGlfw_InitForOpenGL(window.handle(), /*install_callbacks=*/false);
  if (!ImGui_ImplOpenGL3_Init(window.glslVersion())) {
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    return Status::unavailable("cannot set up OpenGL for drawing (GL " + window.glVersion() + ")");
  }
  return std::unique_ptr<ImGuiLayer>(new ImGuiLayer());
}

ImGuiLayer::~ImGuiLayer() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
}

bool ImGuiLayer::syncLook(const gui::GuiSettings& settings, float contentScale, float framebufferScale) {
  LookKey key = lookKey(settings, contentScale, framebufferScale);
  if (look_ && *look_ == key) return false;
  if (!look_ || fontsDiffer(*look_, key)) {
    fonts_ = gui::loadFonts(key.scale.fontPixels);
    if (deviceObjects_) {
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      ImGui_ImplOpenGL3_CreateFontsTexture();
    } else {
      ImGui_ImplOpenGL3_CreateDeviceObjects();  // shaders, buffers and the font texture
      deviceObjects_ = true;
    }
  }
  gui::applyStyle(settings, key.scale.layout);
  ImGui::GetIO().FontGlobalScale = key.scale.fontGlobal;
  look_ = key;
  return true;
}

void ImGuiLayer::drawFrame(gui::AppModel& model, gui::ViewState& state, std::optional<Size> fixedSize) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  if (fixedSize) {
    io.DisplaySize = ImVec2(static_cast<float>(fixedSize->width), static_cast<float>(fixedSize->height));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    for (bool& down : io.MouseDown) down = false;
  }
  ImGui::NewFrame();
  gui::drawApp(model, state, fonts_);
  ImGui::Render();

  ImDrawData* dd = ImGui::GetDrawData();
  int width = static_cast<int>(dd->DisplaySize.x * dd->FramebufferScale.x);
  int height = static_cast<int>(dd->DisplaySize.y * dd->FramebufferScale.y);
  glViewport(0, 0, width, height);
  const ImVec4& bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(dd);
}

}  // namespace ridealong::shell
