#include "window.h"

#include <cstdlib>
#include <string>

#include <GLFW/glfw3.h>

namespace ridealong::shell {

namespace {

// GLFW reports errors through a callback; keep the last one for messages.
std::string gLastError;

void onGlfwError(int code, const char* description) {
  gLastError = description ? description : "error " + std::to_string(code);
}

bool envSet(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

constexpr const char* kNoDisplayHint =
    "Run under a desktop session or `xvfb-run`; the CLI `ridealong-cli` works without one.";

}  // namespace

Status Glfw::checkDisplay() {
  if (!envSet("DISPLAY") && !envSet("WAYLAND_DISPLAY"))
    return Status::unavailable(std::string("cannot open a window: no display (DISPLAY/WAYLAND_DISPLAY unset). ") +
                               kNoDisplayHint);
  return Status::ok();
}

Result<std::unique_ptr<Glfw>> Glfw::init() {
  RIDEALONG_RETURN_IF_ERROR(checkDisplay());
  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit()) {
    const char* display = std::getenv("DISPLAY");
    return Status::unavailable("cannot open a window: " + gLastError + " (DISPLAY=" + (display ? display : "") + "). " +
                               kNoDisplayHint);
  }
  return std::unique_ptr<Glfw>(new Glfw());
}

Glfw::~Glfw() { glfwTerminate(); }

std::vector<Rect> Glfw::workAreas() const {
  std::vector<Rect> out;
  int count = 0;
  GLFWmonitor** monitors = glfwGetMonitors(&count);
  GLFWmonitor* primary = glfwGetPrimaryMonitor();
  auto add = [&](GLFWmonitor* m) {
    Rect r;
    glfwGetMonitorWorkarea(m, &r.x, &r.y, &r.width, &r.height);
    if (r.width > 0 && r.height > 0) out.push_back(r);
  };
  if (primary) add(primary);
  for (int i = 0; i < count; i++)
    if (monitors[i] != primary) add(monitors[i]);
  return out;
}

float Glfw::primaryContentScale() const {
  GLFWmonitor* primary = glfwGetPrimaryMonitor();
  if (!primary) return 1.0f;
  float x = 1, y = 1;
  glfwGetMonitorContentScale(primary, &x, &y);
  return x;
}

Result<std::unique_ptr<Window>> Window::create(const WindowRequest& request) {
  struct Attempt {
    int major, minor;
    bool core;
    const char* glsl;
  };
  static constexpr Attempt kAttempts[] = {{3, 2, true, "#version 150"}, {3, 0, false, "#version 130"}};
  std::string errors;
  for (const Attempt& a : kAttempts) {
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);  // placed first, then shown
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, a.major);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, a.minor);
    if (a.core) {
      glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
      glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    }
    gLastError.clear();
    GLFWwindow* w = glfwCreateWindow(request.placement.width, request.placement.height, "Ridealong", nullptr, nullptr);
    if (!w) {
      errors +=
          (errors.empty() ? "" : "; ") + std::to_string(a.major) + "." + std::to_string(a.minor) + ": " + gLastError;
      continue;
    }
    glfwMakeContextCurrent(w);
    glfwSwapInterval(request.vsync ? 1 : 0);
    glfwSetWindowSizeLimits(w, kMinWidth / 2, kMinHeight / 2, GLFW_DONT_CARE, GLFW_DONT_CARE);
    if (request.placement.at) glfwSetWindowPos(w, request.placement.x(), request.placement.y());
    auto window = std::unique_ptr<Window>(new Window(w, a.glsl));
    if (request.visible) window->show();
    return window;
  }
  return Status::unavailable("cannot create an OpenGL 3 window (" + errors + ")");
}

Window::~Window() { glfwDestroyWindow(window_); }

std::string Window::glVersion() const {
  const auto* v = reinterpret_cast<const char*>(glGetString(GL_VERSION));
  return v ? v : "?";
}

void Window::show() { glfwShowWindow(window_); }

float Window::contentScale() const {
  float x = 1, y = 1;
  glfwGetWindowContentScale(window_, &x, &y);
  return x;
}

float Window::framebufferScale() const {
  int w = 0, h = 0, fw = 0, fh = 0;
  glfwGetWindowSize(window_, &w, &h);
  glfwGetFramebufferSize(window_, &fw, &fh);
  return w > 0 && fw > 0 ? static_cast<float>(fw) / static_cast<float>(w) : 1.0f;
}

bool Window::iconified() const { return glfwGetWindowAttrib(window_, GLFW_ICONIFIED) != 0; }

Rect Window::frame() const {
  Rect r;
  glfwGetWindowPos(window_, &r.x, &r.y);
  glfwGetWindowSize(window_, &r.width, &r.height);
  return r;
}

}  // namespace ridealong::shell
