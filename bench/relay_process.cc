#include "relay_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace ridealong::bench {

std::string relayBinary() {
  const char* env = std::getenv("RIDEALONG_RELAY");
  return env && *env ? env : RIDEALONG_RELAY_PATH;
}

uint64_t raiseOpenFileLimit() {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  getrlimit(RLIMIT_NOFILE, &lim);
  return lim.rlim_cur;
}

RelayProcess::RelayProcess(const std::string& binary, const std::string& dataDir,
                           const std::string& logPath, const std::vector<std::string>& extraArgs)
    : logPath_(logPath) {
  std::vector<std::string> args = {binary, "--listen", "127.0.0.1:0", "--data", dataDir};
  args.insert(args.end(), extraArgs.begin(), extraArgs.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + binary);
  std::regex listening("listening on 127\\.0\\.0\\.1:(\\d+)");
  for (int i = 0; i < 3000 && port_ == 0; ++i) {
    std::ifstream in(logPath, std::ios::binary);
    std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::smatch m;
    if (std::regex_search(log, m, listening))
      port_ = std::stoi(m[1]);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) throw std::runtime_error("the relay did not start; see " + logPath);
}

RelayProcess::~RelayProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

uint64_t RelayProcess::statusField(const char* name) const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string key;
  while (in >> key) {
    if (key == name) {
      uint64_t kb = 0;
      in >> kb;
      return kb * 1024;
    }
    std::getline(in, key);
  }
  return 0;
}

uint64_t RelayProcess::rssBytes() const { return statusField("VmRSS:"); }
uint64_t RelayProcess::peakRssBytes() const { return statusField("VmHWM:"); }

}  // namespace ridealong::bench
