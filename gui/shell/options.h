// The `ridealong` command line: what to open and how (a window, or one
// screenshot), parsed with CLI11. Exit codes follow ridealong-cli: 0 success,
// 2 usage error (nothing was touched), 1 any other error.
#pragma once

#include <optional>
#include <string>

#include "ridealong/gui/screens.h"

namespace ridealong::shell {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

struct Size {
  int width = 0, height = 0;
};

struct ShellOptions {
  std::string dataDir;
  bool demo = false;                        // fill an empty notebook with the demo data
  bool empty = false;                       // a new notebook starts without the starter model
  bool noSync = false;                      // don't start the sync engine
  bool touch = false;                       // touch mode on (kept in the settings, as Settings does)
  std::optional<gui::Screen> screen;        // the screen to show first
  std::optional<Size> size;                 // the window's (or screenshot's) size
  std::string screenshotPath;               // non-empty: render one screen to PNG and exit
  bool timing = false;                      // print start-up timings to stderr
  std::optional<double> idleReportSeconds;  // run N s without input, report, exit
};

// "1280x800" -> {1280, 800}; nullopt unless both are in 64..16384.
std::optional<Size> parseSize(const std::string& text);

// "today, team, rep, ..." for messages and --help.
std::string screenNameList();

// Parses argv into `out`. Returns nullopt to go on, or the exit code to
// leave with (0 after --help/--version, 2 after a usage error, which it has
// already printed).
std::optional<int> parseCommandLine(int argc, char** argv, ShellOptions& out);

}  // namespace ridealong::shell
