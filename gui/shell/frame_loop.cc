#include "frame_loop.h"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>
#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>

#include "frame_pacer.h"
#include "input.h"
#include "signals.h"

namespace ridealong::shell {

namespace {

struct IdleWindow {
  int64_t startNs = 0, endNs = 0;
  double startCpuMs = 0;
  long startFrames = 0;
};

// Where the seconds of the clock on screen turn over: the running call's
// start (the ride-along timer counts from it).
std::optional<int64_t> clockOrigin(gui::AppModel& m) {
  if (!m.animating() || !m.activeCall()) return std::nullopt;
  if (const auto* d = m.sessionDetail(*m.activeCall())) return d->session.startMs;
  return int64_t{0};
}

}  // namespace

int runFrameLoop(Window& window, ImGuiLayer& ui, gui::AppModel& model, const LoopOptions& options) {
  GLFWwindow* w = window.handle();
  InputTracker input(w);
  FramePacer pacer;
  gui::ViewState state;
  long frames = 0;
  std::optional<IdleWindow> idle;

  for (;;) {
    if (quitRequested()) glfwSetWindowShouldClose(w, GLFW_TRUE);
    if (glfwWindowShouldClose(w)) break;

    int64_t now = model.now();
    std::optional<int64_t> origin = clockOrigin(model);
    if (pacer.shouldDraw(now, origin)) {
      if (window.iconified()) {
        while (input.feedFrame()) {
        }
        pacer.drew(now);  // nothing to see; owe nothing
      } else {
        bool moreInput = input.feedFrame();
        bool newLook = ui.syncLook(model.settings(), window.contentScale(), window.framebufferScale());
        ui.drawFrame(model, state);
        glfwSwapBuffers(w);
        pacer.drew(now);
        if (moreInput) pacer.onInput();  // the rest of a fast burst of keys, frame by frame
        if (newLook) pacer.owe(FramePacer::kSettleFrames);
        if (++frames == 1) {
          if (options.timing) {
            glFinish();
            options.timing->mark("first frame");
            fmt::print(stderr,
                       "ridealong: first frame {:.1f} ms after process start ({:.1f} ms after main: {}; "
                       "CPU {:.1f} ms)\n",
                       msSinceProcessStart(), msSinceProgramStart(), options.timing->report(), cpuMsUsed());
          }
          if (options.idleReportSeconds) {
            int64_t start = monoNowNs();
            idle =
                IdleWindow{start, start + static_cast<int64_t>(*options.idleReportSeconds * 1e9), cpuMsUsed(), frames};
          }
        }
      }
    }

    int64_t waitMs = pacer.waitMs(model.now(), model.msUntilUpdate(), origin);
    if (idle) {
      int64_t left = idle->endNs - monoNowNs();
      if (left <= 0) break;
      waitMs = std::min<int64_t>(waitMs, (left + 999'999) / 1'000'000);
    }
    if (waitMs <= 0) glfwPollEvents();
    else glfwWaitEventsTimeout(static_cast<double>(waitMs) / 1000.0);

    switch (input.takeEvents()) {
      case InputTracker::Events::kInput: pacer.onInput(); break;
      case InputTracker::Events::kPointer: pacer.onPointer(); break;
      case InputTracker::Events::kWindow: pacer.onWindowEvent(); break;
      case InputTracker::Events::kNone: break;
    }
    if (model.update()) pacer.onModelChanged();
  }

  if (idle) {
    double seconds = static_cast<double>(monoNowNs() - idle->startNs) / 1e9;
    double cpu = cpuMsUsed() - idle->startCpuMs;
    fmt::print("idle-report seconds={:.2f} frames={} cpu_ms={:.1f} cpu_percent={:.2f}\n", seconds,
               frames - idle->startFrames, cpu, seconds > 0 ? cpu / (seconds * 10.0) : 0.0);
    std::fflush(stdout);
  }
  if (!window.iconified()) rememberPlacement(model.settings(), window.frame());
  return 0;
}

}  // namespace ridealong::shell
