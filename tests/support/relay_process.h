// A real ridealong-relay process on a loopback port, for integration tests
// and the sync benchmarks: it listens on port 0 (or a given address, to
// restart on the same port) and the port is read from its log line; its
// memory is read from /proc. Killed (SIGKILL) when it goes out of scope
// unless stopped before. Catch-free (failures throw) so bench/ uses it too.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace ridealong::testing {

class RelayProcess {
 public:
  // `extraArgs` go after --listen/--data (limits, say); `prefix` before the
  // binary: a program that execs it, e.g. {"/usr/bin/prlimit", "--nofile=48"}.
  // `openSignup`: most tests create spaces without tokens (--open-signup);
  // the sign-up tests turn it off.
  RelayProcess(const std::string& binary, const std::string& dataDir, const std::string& logPath,
               const std::string& listen = "127.0.0.1:0", const std::vector<std::string>& extraArgs = {},
               const std::vector<std::string>& prefix = {}, bool openSignup = true)
      : logPath_(logPath), dataDir_(dataDir), binary_(binary) {
    std::vector<std::string> args = prefix;
    for (std::string a : {binary, std::string("--listen"), listen, std::string("--data"), dataDir}) args.push_back(a);
    if (openSignup) args.push_back("--open-signup");
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    size_t skip = log().size();  // the log may hold earlier runs
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + binary);
    std::regex listening("listening on 127\\.0\\.0\\.1:(\\d+)");
    std::regex keyLine("relay key (sha256:[0-9a-f]{64})");
    // Up to 30 s: a loaded CI machine can be slow to start a process.
    for (int i = 0; i < 3000 && port_ == 0; ++i) {
      std::smatch m;
      std::string tail = log().substr(skip);
      if (std::regex_search(tail, m, listening)) {
        port_ = std::stoi(m[1]);
        if (std::regex_search(tail, m, keyLine)) pin_ = m[1];
      } else std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (port_ == 0) {
      stop(SIGKILL);
      throw std::runtime_error("the relay did not start listening; see " + logPath);
    }
  }
  ~RelayProcess() {
    if (pid_ > 0) stop(SIGKILL);
  }
  RelayProcess(const RelayProcess&) = delete;
  RelayProcess& operator=(const RelayProcess&) = delete;

  int port() const { return port_; }
  // Still running (not exited, not reaped)?
  bool alive() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // The relay's key pin as it logged it ("sha256:..."), for --relay-key.
  const std::string& pin() const { return pin_; }
  // Runs `ridealong-relay --data DIR ARGS...` (token create, --check) and
  // returns its stdout; throws when it fails.
  std::string tool(const std::vector<std::string>& args) const {
    std::string cmd = binary_ + " --data " + dataDir_;
    for (const auto& a : args) cmd += " '" + a + "'";
    FILE* p = ::popen((cmd + " 2>/dev/null").c_str(), "r");
    if (!p) throw std::runtime_error("cannot run " + cmd);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int rc = ::pclose(p);
    if (rc != 0) throw std::runtime_error(cmd + " failed: " + out);
    return out;
  }
  // Waits up to 30 s (a loaded machine) for a log line matching `pattern`
  // and returns its first group; throws when none comes.
  std::string waitForLog(const std::string& pattern) const {
    std::regex re(pattern);
    for (int i = 0; i < 3000; ++i) {
      std::smatch m;
      std::string text = log();
      if (std::regex_search(text, m, re)) return m[1];
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("no line matching '" + pattern + "' in " + logPath_);
  }
  std::string log() const {
    std::ifstream in(logPath_, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  // Sends `sig` and returns the wait status.
  int stop(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  // A /proc/PID/status field in bytes ("VmRSS:", "VmHWM:", "RssAnon:", ...).
  uint64_t statusField(const char* name) const {
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
  uint64_t rssBytes() const { return statusField("VmRSS:"); }
  // CPU time the process has used, user + system, in seconds.
  double cpuSeconds() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = stat.rfind(')');  // the command name may hold spaces
    if (close == std::string::npos) return 0;
    std::istringstream fields(stat.substr(close + 2));
    std::string f;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
      if (i == 14) utime = std::stoull(f);
      if (i == 15) stime = std::stoull(f);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  uint64_t peakRssBytes() const { return statusField("VmHWM:"); }

 private:
  std::string logPath_, dataDir_, binary_, pin_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace ridealong::testing
