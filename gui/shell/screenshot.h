// --screenshot: one screen of the app rendered with the real GL context
// into an offscreen framebuffer of the requested size (the window stays
// hidden), read back and written as a PNG. Used for the docs and the CI
// smoke test under Xvfb. Main thread only.
#pragma once

#include <string>

#include "imgui_layer.h"
#include "options.h"
#include "ridealong/gui/app_model.h"

namespace ridealong::shell {

struct ScreenshotRequest {
  std::string path;
  gui::Screen screen = gui::Screen::kToday;
  Size size{1280, 800};
};

// Opens the screen on something from the notebook (openScreen), draws a few
// frames so the layout settles, and writes the last one to request.path.
Status takeScreenshot(ImGuiLayer& ui, gui::AppModel& model, const ScreenshotRequest& request);

}  // namespace ridealong::shell
