// ridealong: the desktop app. Parses the command line, checks for a display,
// then opens the notebook (the model) on a worker thread while the main
// thread starts GLFW and creates the window, its GL context and ImGui; then
// runs the frame loop -- or renders one screen to a PNG with --screenshot.
// Exit codes: 0 success, 2 usage error, 1 any other error; errors go to
// stderr prefixed "ridealong: ".
#include <exception>
#include <future>

#include <fmt/core.h>

#include "frame_loop.h"
#include "imgui_layer.h"
#include "options.h"
#include "process_stats.h"
#include "ridealong/gui/app_model.h"
#include "screen_selection.h"
#include "screenshot.h"
#include "signals.h"
#include "window.h"

namespace ridealong::shell {
namespace {

using ModelResult = Result<std::unique_ptr<gui::AppModel>>;

int fail(const std::string& message) {
  fmt::print(stderr, "ridealong: {}\n", message);
  return kExitError;
}

int run(const ShellOptions& o) {
  StartupLog startup;
  installQuitSignalHandlers();
  const bool screenshot = !o.screenshotPath.empty();
  platform::Env& env = platform::realEnv();

  // No display: say so before touching the notebook.
  if (Status st = Glfw::checkDisplay(); !st) return fail(st.message());

  // Opening the notebook (and building the first snapshot) takes about as
  // long as creating a GL context: do both at once. The model is handed to
  // this thread by get() and used only here from then on.
  gui::AppOptions appOptions;
  appOptions.startSync = !o.noSync && !screenshot;
  appOptions.demoIfEmpty = o.demo;
  appOptions.starterContent = !o.empty;
  double openMs = 0;
  std::future<ModelResult> opening = std::async(std::launch::async, [&]() -> ModelResult {
    int64_t t0 = monoNowNs();
    ModelResult m = gui::AppModel::open(env, o.dataDir, appOptions);
    openMs = static_cast<double>(monoNowNs() - t0) / 1e6;
    return m;
  });
  auto openModel = [&]() -> ModelResult {
    ModelResult m = opening.get();
    if (!m) return m.status().withContext("cannot open the notebook in " + o.dataDir);
    return m;
  };

  auto glfw = Glfw::init();
  if (!glfw) {
    opening.wait();
    return fail(glfw.status().message());
  }
  startup.mark("glfw");

  WindowRequest request;
  request.visible = false;  // shown once the notebook is open
  if (screenshot) {
    Size size = o.size.value_or(Size{kDefaultWidth, kDefaultHeight});
    request.placement = Placement{size.width, size.height, std::nullopt};
    request.vsync = false;
  } else {
    // The saved placement, read here as the model reads its settings in parallel.
    gui::GuiSettings saved;
    if (auto s = gui::loadSettings(env, o.dataDir)) saved = *s;
    std::optional<Rect> requested;
    if (o.size) requested = Rect{0, 0, o.size->width, o.size->height};
    request.placement = initialPlacement(saved, (*glfw)->workAreas(), (*glfw)->primaryContentScale(), requested);
  }
  auto window = Window::create(request);
  if (!window) {
    opening.wait();
    return fail(window.status().message());
  }
  startup.mark("window");
  if (o.timing)
    fmt::print(stderr, "ridealong: OpenGL {} (shaders \"{}\")\n", (*window)->glVersion(), (*window)->glslVersion());
  auto ui = ImGuiLayer::create(**window);
  if (!ui) {
    opening.wait();
    return fail(ui.status().message());
  }

  auto model = openModel();
  if (!model) return fail(model.status().message());
  if (o.touch && !(*model)->settings().touchMode) {
    (*model)->settings().touchMode = true;
    (*model)->settingsChanged();
  }
  startup.mark(fmt::format("waiting for the notebook (opened in {:.1f} ms on its own thread)", openMs));

  if (screenshot) {
    ScreenshotRequest shot{o.screenshotPath, o.screen.value_or(gui::Screen::kToday),
                           o.size.value_or(Size{kDefaultWidth, kDefaultHeight})};
    Status st = takeScreenshot(**ui, **model, shot);
    if (!st) return fail(st.message());
    fmt::print("{}\n", o.screenshotPath);
    return kExitOk;
  }

  if (o.screen) openScreen(**model, *o.screen);
  (*ui)->syncLook((*model)->settings(), (*window)->contentScale(), (*window)->framebufferScale());
  startup.mark("fonts");
  (*window)->show();
  LoopOptions loop;
  loop.timing = o.timing ? &startup : nullptr;
  loop.idleReportSeconds = o.idleReportSeconds;
  int code = runFrameLoop(**window, **ui, **model, loop);
  // The model's destructor saves drafts and the settings again; saving here
  // is what reports a failure.
  Status st = gui::saveSettings(env, (*model)->snapshot().dir, (*model)->settings());
  if (!st) fmt::print(stderr, "ridealong: could not save the window settings: {}\n", st.toString());
  return code;
}

}  // namespace
}  // namespace ridealong::shell

#if defined(__SANITIZE_ADDRESS__)
// The ASan build (scripts/sanitize.sh): no leak check in the windowed app.
// Mesa's GL driver, loaded and unloaded by GLX, leaves allocations that
// LeakSanitizer cannot even name (an unloaded module); the app's own code
// is leak-checked in gui_tests, which drive the same model and views
// headless. ASAN_OPTIONS=detect_leaks=1 still turns it on.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }
#endif

int main(int argc, char** argv) {
  using namespace ridealong::shell;
  ShellOptions options;
  if (auto code = parseCommandLine(argc, argv, options)) return *code;
  try {
    return run(options);
  } catch (const std::exception& e) {
    // Exceptions mean a broken invariant somewhere below; still exit cleanly.
    fmt::print(stderr, "ridealong: internal error: {}\n", e.what());
    return kExitError;
  }
}
