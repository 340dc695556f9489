// posix_spawn with stdout and stderr on pipes, read with poll so neither
// pipe can fill up and stall the child.
#include "run_app.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace ridealong::testing {

AppRun runApp(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> all = {RIDEALONG_APP_PATH};
  all.insert(all.end(), args.begin(), args.end());
  return runProcess(all, options);
}

AppRun runAppUnderXvfb(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> all = {"xvfb-run", "-a", "-s", "-screen 0 1400x900x24", RIDEALONG_APP_PATH};
  all.insert(all.end(), args.begin(), args.end());
  AppRun run;
  for (int attempt = 0; attempt < 3; attempt++) {
    run = runProcess(all, options);
    if (!contains(run.err, "Xvfb failed to start")) break;
  }
  return run;
}

bool haveXvfbRun() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((dir + "/xvfb-run").c_str(), X_OK) == 0) return true;
  return false;
}

std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return "";
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << content;
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace ridealong::testing
