#include "input.h"

#include <algorithm>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <imgui.h>

namespace ridealong::shell {

namespace {

InputTracker& tracker(GLFWwindow* w) { return *static_cast<InputTracker*>(glfwGetWindowUserPointer(w)); }

void onFocus(GLFWwindow* w, int focused) {
  ImGui_ImplGlfw_WindowFocusCallback(w, focused);
  tracker(w).windowEvent();
}
void onCursorEnter(GLFWwindow* w, int entered) {
  ImGui_ImplGlfw_CursorEnterCallback(w, entered);
  tracker(w).pointer();
}
// 1.86 polls the cursor position each frame; a move only needs frames.
void onCursorPos(GLFWwindow* w, double, double) { tracker(w).pointer(); }
void onMouseButton(GLFWwindow* w, int button, int action, int mods) {
  ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
  tracker(w).input();
}
void onScroll(GLFWwindow* w, double dx, double dy) {
  ImGui_ImplGlfw_ScrollCallback(w, dx, dy);
  tracker(w).input();
}
void onKey(GLFWwindow* w, int key, int scancode, int action, int mods) { tracker(w).key(key, scancode, action, mods); }
void onChar(GLFWwindow* w, unsigned int c) { tracker(w).text(c); }
// Not input, but each needs a new frame: exposed, resized, moved to a
// monitor of another scale, restored.
void onRefresh(GLFWwindow* w) { tracker(w).windowEvent(); }
void onFramebufferSize(GLFWwindow* w, int, int) { tracker(w).windowEvent(); }
void onContentScale(GLFWwindow* w, float, float) { tracker(w).windowEvent(); }
void onIconify(GLFWwindow* w, int) { tracker(w).windowEvent(); }

}  // namespace

InputTracker::InputTracker(GLFWwindow* window) : window_(window) {
  glfwSetWindowUserPointer(window_, this);
  glfwSetWindowFocusCallback(window_, onFocus);
  glfwSetCursorEnterCallback(window_, onCursorEnter);
  glfwSetCursorPosCallback(window_, onCursorPos);
  glfwSetMouseButtonCallback(window_, onMouseButton);
  glfwSetScrollCallback(window_, onScroll);
  glfwSetKeyCallback(window_, onKey);
  glfwSetCharCallback(window_, onChar);
  glfwSetWindowRefreshCallback(window_, onRefresh);
  glfwSetFramebufferSizeCallback(window_, onFramebufferSize);
  glfwSetWindowContentScaleCallback(window_, onContentScale);
  glfwSetWindowIconifyCallback(window_, onIconify);
}

InputTracker::~InputTracker() {
  glfwSetWindowFocusCallback(window_, nullptr);
  glfwSetCursorEnterCallback(window_, nullptr);
  glfwSetCursorPosCallback(window_, nullptr);
  glfwSetMouseButtonCallback(window_, nullptr);
  glfwSetScrollCallback(window_, nullptr);
  glfwSetKeyCallback(window_, nullptr);
  glfwSetCharCallback(window_, nullptr);
  glfwSetWindowRefreshCallback(window_, nullptr);
  glfwSetFramebufferSizeCallback(window_, nullptr);
  glfwSetWindowContentScaleCallback(window_, nullptr);
  glfwSetWindowIconifyCallback(window_, nullptr);
  glfwSetWindowUserPointer(window_, nullptr);
}

InputTracker::Events InputTracker::takeEvents() {
  Events e = input_ != inputSeen_           ? Events::kInput
             : pointer_ != pointerSeen_     ? Events::kPointer
             : windowEvents_ != windowSeen_ ? Events::kWindow
                                            : Events::kNone;
  inputSeen_ = input_;
  pointerSeen_ = pointer_;
  windowSeen_ = windowEvents_;
  return e;
}

void InputTracker::key(int key, int scancode, int action, int mods) {
  input();
  if (action == GLFW_PRESS && key == GLFW_KEY_Q && (mods & GLFW_MOD_CONTROL)) {
    glfwSetWindowShouldClose(window_, GLFW_TRUE);
    return;
  }
  queue_.push_back({false, key, scancode, action, mods, 0});
}

void InputTracker::text(unsigned int codepoint) {
  input();
  queue_.push_back({true, 0, 0, 0, 0, codepoint});
}

size_t eventsForOneFrame(const std::deque<KeyOrText>& queue) {
  std::vector<int> changed;  // keys that went down or up in this frame
  bool typed = false, pressed = false;
  size_t n = 0;
  for (const KeyOrText& e : queue) {
    if (e.isText) {
      typed = true;
    } else if (e.action != GLFW_REPEAT) {
      bool again = std::find(changed.begin(), changed.end(), e.key) != changed.end();
      // A press after text would be handled before that text; a release
      // after a press (Ctrl let go before the F of Ctrl+F) would hide the
      // combination that was pressed.
      bool hides = e.action == GLFW_PRESS ? typed : pressed;
      if (n > 0 && (again || hides)) break;
      changed.push_back(e.key);
      pressed = pressed || e.action == GLFW_PRESS;
    }
    n++;
  }
  return n;
}

bool InputTracker::feedFrame() {
  for (size_t n = eventsForOneFrame(queue_); n > 0; n--) {
    const KeyOrText& e = queue_.front();
    if (e.isText) ImGui_ImplGlfw_CharCallback(window_, e.codepoint);
    else ImGui_ImplGlfw_KeyCallback(window_, e.key, e.scancode, e.action, e.mods);
    queue_.pop_front();
  }
  return !queue_.empty();
}

}  // namespace ridealong::shell
