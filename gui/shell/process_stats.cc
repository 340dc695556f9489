#include "process_stats.h"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <fmt/core.h>

#include <fstream>
#include <sstream>
#include <string>

namespace ridealong::shell {

namespace {

int64_t clockNs(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Taken while the program's globals are initialised, before main().
const int64_t kProgramStartNs = clockNs(CLOCK_MONOTONIC);

}  // namespace

int64_t monoNowNs() { return clockNs(CLOCK_MONOTONIC); }

double msSinceProgramStart() { return static_cast<double>(monoNowNs() - kProgramStartNs) / 1e6; }

double msSinceProcessStart() {
  std::ifstream f("/proc/self/stat");
  std::string line;
  if (!std::getline(f, line)) return -1;
  // Field 2 (the command) is in parentheses and may hold spaces: start after
  // the last ')'. Field 22 is the start time in clock ticks since boot.
  auto close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream in(line.substr(close + 2));
  std::string field;
  unsigned long long startTicks = 0;
  for (int i = 3; i <= 22 && in >> field; i++)
    if (i == 22) startTicks = std::stoull(field);
  long ticksPerSecond = sysconf(_SC_CLK_TCK);
  if (startTicks == 0 || ticksPerSecond <= 0) return -1;
  double startMs = static_cast<double>(startTicks) * 1000.0 / static_cast<double>(ticksPerSecond);
  double nowMs = static_cast<double>(clockNs(CLOCK_BOOTTIME)) / 1e6;
  return nowMs - startMs;
}

double cpuMsUsed() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
  };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

void StartupLog::mark(std::string stage) { marks_.emplace_back(std::move(stage), msSinceProgramStart()); }

std::string StartupLog::report() const {
  std::string out;
  double last = 0;
  for (const auto& [stage, at] : marks_) {
    out += fmt::format("{}{} {:.1f} ms", out.empty() ? "" : ", ", stage, at - last);
    last = at;
  }
  return out;
}

}  // namespace ridealong::shell
