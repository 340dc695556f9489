// Runs the real `ridealong` binary for the shell tests: directly, or under
// `xvfb-run -a` (a private X server per run), and captures its output.
#pragma once

#include <string>
#include <vector>

namespace ridealong::testing {

struct AppRun {
  int code = -1;  // exit status; 128+N if killed by signal N
  std::string out, err;
};

struct RunOptions {
  std::vector<std::string> unsetEnv;  // variables removed from the child's environment
  // Called with the child's pid once it runs (under xvfb-run: xvfb-run's pid).
  void (*onStarted)(int pid, void* arg) = nullptr;
  void* arg = nullptr;
};

// Runs `argv` (argv[0] looked up in PATH), stdin from /dev/null.
AppRun runProcess(const std::vector<std::string>& argv, const RunOptions& options = {});
// RIDEALONG_APP_PATH with `args`, no X server.
AppRun runApp(const std::vector<std::string>& args, const RunOptions& options = {});
// The same under `xvfb-run -a -s "-screen 0 1400x900x24"`, retried if the
// X server could not start (display numbers taken by parallel runs).
AppRun runAppUnderXvfb(const std::vector<std::string>& args, const RunOptions& options = {});

bool haveXvfbRun();
bool contains(const std::string& haystack, const std::string& needle);
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);

}  // namespace ridealong::testing
