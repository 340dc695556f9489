// Runs a program as a subprocess for the tests that drive real binaries
// (the CLI, the desktop app, xvfb-run) and captures what it printed.
#pragma once

#include <string>
#include <vector>

namespace ridealong::testing {

struct ProcessRun {
  int code = -1;  // exit status; 128+N if killed by signal N
  std::string out, err;
};

struct RunOptions {
  std::vector<std::string> unsetEnv;  // variables removed from the child's environment
  // Called with the child's pid once it runs.
  void (*onStarted)(int pid, void* arg) = nullptr;
  void* arg = nullptr;
};

// Runs `argv` (argv[0] looked up in PATH), stdin from /dev/null.
ProcessRun runProcess(const std::vector<std::string>& argv, const RunOptions& options = {});

bool contains(const std::string& haystack, const std::string& needle);

}  // namespace ridealong::testing
