#include "options.h"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "ridealong/platform/data_dir.h"

#ifndef RIDEALONG_VERSION
#define RIDEALONG_VERSION "unknown"
#endif

namespace ridealong::shell {

std::optional<Size> parseSize(const std::string& text) {
  auto x = text.find_first_of("xX");
  if (x == std::string::npos || x == 0 || x + 1 >= text.size()) return std::nullopt;
  auto number = [](const std::string& s) -> std::optional<int> {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoi(s);
  };
  auto w = number(text.substr(0, x)), h = number(text.substr(x + 1));
  if (!w || !h || *w < 64 || *h < 64 || *w > 16384 || *h > 16384) return std::nullopt;
  return Size{*w, *h};
}

std::string screenNameList() {
  std::string out;
  for (gui::Screen s : gui::kAllScreens) {
    if (!out.empty()) out += ", ";
    out += gui::screenName(s);
  }
  return out;
}

namespace {

int usageError(const std::string& message) {
  fmt::print(stderr, "ridealong: {}\nRun with --help for usage.\n", message);
  return kExitUsage;
}

}  // namespace

std::optional<int> parseCommandLine(int argc, char** argv, ShellOptions& out) {
  out.dataDir = platform::defaultDataDir();
  std::string screen, size;
  double idle = -1;

  CLI::App app("Ridealong: the coaching notebook for field sales managers (desktop app)", "ridealong");
  app.set_version_flag("--version", std::string("ridealong ") + RIDEALONG_VERSION);
  app.add_option("--data", out.dataDir, "Notebook directory")->capture_default_str();
  app.add_flag("--demo", out.demo, "If the notebook is empty, fill it with demo data first");
  app.add_flag("--empty", out.empty, "A new notebook starts without the standard competency model and coaching guide");
  app.add_flag("--no-sync", out.noSync, "Don't start syncing with the relay");
  app.add_flag("--touch", out.touch, "Touch mode: large targets for a tablet (kept, as the Settings switch is)");
  app.add_option("--screen", screen, "Screen to show: " + screenNameList());
  app.add_option("--size", size, "Window size WxH (default: the last one, or 1280x800)");
  app.add_option("--screenshot", out.screenshotPath,
                 "Render the screen (--screen, default today) into this PNG file and exit");
  app.add_flag("--timing", out.timing, "Print the time from process start to the first frame (stderr)");
  app.add_option("--idle-report", idle, "Run this many seconds without input, print frames drawn and CPU used, exit");
  app.footer(
      "Without a display (no DISPLAY/WAYLAND_DISPLAY) the app cannot start; run it under a desktop "
      "session or xvfb-run, or use ridealong-cli.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    return usageError(e.what());
  }

  if (!screen.empty()) {
    out.screen = gui::screenFromName(screen);
    if (!out.screen) return usageError(fmt::format("unknown screen '{}'; one of: {}", screen, screenNameList()));
  }
  if (!size.empty()) {
    out.size = parseSize(size);
    if (!out.size) return usageError(fmt::format("--size {}: expected WIDTHxHEIGHT, e.g. 1280x800 (64..16384)", size));
  }
  if (app.count("--idle-report")) {
    if (!(idle >= 0 && idle <= 3600)) return usageError("--idle-report: expected seconds from 0 to 3600");
    out.idleReportSeconds = idle;
  }
  if (!out.screenshotPath.empty() && out.idleReportSeconds)
    return usageError("--screenshot and --idle-report do not go together");
  if (out.dataDir.empty()) return usageError("--data: no notebook directory (set HOME or pass --data)");
  return std::nullopt;
}

}  // namespace ridealong::shell
