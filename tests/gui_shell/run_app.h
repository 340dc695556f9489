// Runs the real `ridealong` binary for the shell tests: directly, or under
// `xvfb-run -a` (a private X server per run), and captures its output.
#pragma once

#include <string>
#include <vector>

#include "run_process.h"

namespace ridealong::testing {

using AppRun = ProcessRun;  // under xvfb-run, onStarted gets xvfb-run's pid
// RIDEALONG_APP_PATH with `args`, no X server.
AppRun runApp(const std::vector<std::string>& args, const RunOptions& options = {});
// The same under `xvfb-run -a -s "-screen 0 1400x900x24"`, retried if the
// X server could not start (display numbers taken by parallel runs).
AppRun runAppUnderXvfb(const std::vector<std::string>& args, const RunOptions& options = {});

bool haveXvfbRun();
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);

}  // namespace ridealong::testing
