// The app's event-driven frame loop: sleeps in glfwWaitEventsTimeout until
// input arrives or the model has work (a due draft, another process's
// commit, sync), and draws only when something changed (see FramePacer).
// Idle, it draws nothing and uses no CPU to speak of. Main thread only.
#pragma once

#include <optional>

#include "imgui_layer.h"
#include "process_stats.h"
#include "ridealong/gui/app_model.h"
#include "window.h"

namespace ridealong::shell {

struct LoopOptions {
  // Print the start-up stages and the time to the first frame to stderr.
  StartupLog* timing = nullptr;
  // Leave after this many seconds past the first frame and print to stdout
  // "idle-report seconds=S frames=N cpu_ms=C cpu_percent=P" (frames drawn
  // after the first; CPU of all threads).
  std::optional<double> idleReportSeconds;
};

// Runs until the window is closed (close button, Ctrl+Q, SIGINT/SIGTERM)
// or the idle report is done. Leaves the window's placement in
// model.settings(). Returns the exit code.
int runFrameLoop(Window& window, ImGuiLayer& ui, gui::AppModel& model, const LoopOptions& options);

}  // namespace ridealong::shell
