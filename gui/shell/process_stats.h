// Figures about this process for --timing and --idle-report: how long ago
// it started, and how much CPU it has used.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ridealong::shell {

// Monotonic clock, nanoseconds.
int64_t monoNowNs();
// Milliseconds since the kernel started this process (exec, before the
// dynamic loader), from /proc/self/stat in 10 ms steps; -1 if unknown.
double msSinceProcessStart();
// Milliseconds since static initialisation of this program (just before
// main): precise, but misses loading the shared libraries.
double msSinceProgramStart();
// User + system CPU time of all threads so far, in milliseconds.
double cpuMsUsed();

}  // namespace ridealong::shell

namespace ridealong::shell {

// Start-up stages for --timing: mark() records the time since program start
// under a name; report() prints "glfw 4.1 ms, notebook 38.0 ms, ...".
class StartupLog {
 public:
  void mark(std::string stage);
  std::string report() const;

 private:
  std::vector<std::pair<std::string, double>> marks_;
};

}  // namespace ridealong::shell
