// The window's GLFW callbacks: each forwards its event to ImGui's GLFW
// backend (initialised with install_callbacks = false) and notes what
// happened, so the frame loop draws only after input: user input (buttons,
// keys, text, wheel) needs a few frames to settle, the pointer moving two
// (hover), a window event (exposed, resized, focus, scale) one.
//
// Keys and text are queued and handed to ImGui frame by frame. Dear ImGui
// 1.86 reads keys as "down" flags once per frame, so within one batch of
// events (everything that arrived while the loop slept) a quick tap would
// never be seen down, and Ctrl+A followed by a capital letter would be seen
// as Ctrl+Shift+A. feedFrame() stops at the first event that would hide an
// earlier one -- the same key changing twice, a key press after typed text,
// a key release after a press -- and leaves the rest for the next frame
// (what later versions call trickling the input queue). Ctrl+Q closes the
// window. Main thread only: GLFW calls back from glfwPollEvents/Wait*.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

struct GLFWwindow;

namespace ridealong::shell {

// A queued key event (GLFW key, scancode, GLFW_PRESS/RELEASE/REPEAT, mods)
// or typed character.
struct KeyOrText {
  bool isText = false;
  int key = 0, scancode = 0, action = 0, mods = 0;
  unsigned int codepoint = 0;
};

// How many events from the front of `queue` one frame can take without one
// hiding another (at least one when the queue is not empty).
size_t eventsForOneFrame(const std::deque<KeyOrText>& queue);

class InputTracker {
 public:
  explicit InputTracker(GLFWwindow* window);
  ~InputTracker();
  InputTracker(const InputTracker&) = delete;
  InputTracker& operator=(const InputTracker&) = delete;

  enum class Events { kNone, kWindow, kPointer, kInput };
  // What arrived since the last call, the most demanding kind.
  Events takeEvents();
  // Before each frame: hands ImGui the queued keys and text this frame can
  // take. True while some are left for the next frame.
  bool feedFrame();
  bool pending() const { return !queue_.empty(); }

  // For the callbacks.
  void input() { input_++; }
  void pointer() { pointer_++; }
  void windowEvent() { windowEvents_++; }
  void key(int key, int scancode, int action, int mods);
  void text(unsigned int codepoint);

 private:
  GLFWwindow* window_;
  unsigned long input_ = 0, inputSeen_ = 0, pointer_ = 0, pointerSeen_ = 0, windowEvents_ = 0, windowSeen_ = 0;
  std::deque<KeyOrText> queue_;
};

}  // namespace ridealong::shell
