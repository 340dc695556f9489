// Dear ImGui on the window: the context, the GLFW + OpenGL3 backends, the
// fonts and style kept in step with the settings and the monitor's scale,
// and drawing one frame of the app. Main thread only (the GL context's).
#pragma once

#include <memory>
#include <optional>

#include "options.h"
#include "ridealong/gui/app_model.h"
#include "ridealong/gui/views.h"
#include "ui_scale.h"
#include "window.h"

namespace ridealong::shell {

class ImGuiLayer {
 public:
  // Needs the window's GL context current.
  static Result<std::unique_ptr<ImGuiLayer>> create(Window& window);
  ~ImGuiLayer();
  ImGuiLayer(const ImGuiLayer&) = delete;
  ImGuiLayer& operator=(const ImGuiLayer&) = delete;

  // Rebuilds the fonts (and uploads them) and the style when the settings
  // (theme, touch mode, font scale) or the scales changed since the last
  // call; true if anything was rebuilt. Call between frames.
  bool syncLook(const gui::GuiSettings& settings, float contentScale, float framebufferScale);

  // One frame of the app into the bound framebuffer. `fixedSize`: lay out
  // for this many pixels and ignore the mouse (screenshots); otherwise the
  // window's size and input.
  void drawFrame(gui::AppModel& model, gui::ViewState& state, std::optional<Size> fixedSize = std::nullopt);

  const gui::Fonts& fonts() const { return fonts_; }

 private:
  ImGuiLayer() = default;
  gui::Fonts fonts_;
  std::optional<LookKey> look_;
  bool deviceObjects_ = false;
};

}  // namespace ridealong::shell
