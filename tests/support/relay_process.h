// A real ridealong-relay process on a free loopback port for integration
// tests: it listens on port 0 (or a given address, to restart on the same
// port) and the port is read from its log line.
// Killed (SIGKILL) when it goes out of scope unless stopped before.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace ridealong::testing {

class RelayProcessRunner {
 public:
  RelayProcessRunner(const std::string& binary, const std::string& dataDir,
                     const std::string& logPath, const std::string& listen = "127.0.0.1:0")
      : logPath_(logPath) {
    std::vector<std::string> args = {binary, "--listen", listen, "--data", dataDir};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    size_t skip = slurp().size();  // the log may hold earlier runs
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    std::regex listening("listening on 127\\.0\\.0\\.1:(\\d+)");
    // Up to 30 s: a loaded CI machine can be slow to start a process.
    for (int i = 0; i < 3000 && port_ == 0; ++i) {
      std::smatch m;
      std::string log = slurp().substr(skip);
      if (std::regex_search(log, m, listening))
        port_ = std::stoi(m[1]);
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(port_ != 0);
  }
  ~RelayProcessRunner() {
    if (pid_ > 0) stop(SIGKILL);
  }
  RelayProcessRunner(const RelayProcessRunner&) = delete;
  RelayProcessRunner& operator=(const RelayProcessRunner&) = delete;

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return slurp(); }
  // Sends `sig` and returns the wait status.
  int stop(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  std::string slurp() const {
    std::ifstream in(logPath_, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  std::string logPath_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace ridealong::testing
