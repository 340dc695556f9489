// GLFW and the app's one window with its OpenGL 3 context. Without a display
// GLFW cannot start: that is an error in words, not a crash. Main thread
// only, like GLFW itself.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "placement.h"
#include "ridealong/platform/status.h"

struct GLFWwindow;

namespace ridealong::shell {

// GLFW for this process: initialised by init(), terminated when destroyed.
class Glfw {
 public:
  // Fails when no display is named in the environment (no side effects:
  // checked first, before the notebook is touched).
  static Status checkDisplay();
  // Fails with the message to print (no display, display unreachable).
  static Result<std::unique_ptr<Glfw>> init();
  ~Glfw();
  Glfw(const Glfw&) = delete;
  Glfw& operator=(const Glfw&) = delete;

  // The monitors' work areas, the primary first; empty if none is known.
  std::vector<Rect> workAreas() const;
  float primaryContentScale() const;

 private:
  Glfw() = default;
};

struct WindowRequest {
  Placement placement;
  bool visible = true;  // false: hidden until show() (or for good: screenshots)
  bool vsync = true;
};

class Window {
 public:
  // OpenGL 3.2 core ("#version 150"), else 3.0 ("#version 130").
  static Result<std::unique_ptr<Window>> create(const WindowRequest& request);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  GLFWwindow* handle() const { return window_; }
  const char* glslVersion() const { return glsl_; }
  std::string glVersion() const;  // the driver's GL_VERSION string
  void show();

  float contentScale() const;      // 1 normally, 2 on a 2x HiDPI monitor
  float framebufferScale() const;  // framebuffer pixels per window coordinate
  bool iconified() const;
  Rect frame() const;  // position and size, screen coordinates

 private:
  Window(GLFWwindow* w, const char* glsl) : window_(w), glsl_(glsl) {}
  GLFWwindow* window_;
  const char* glsl_;
};

}  // namespace ridealong::shell
