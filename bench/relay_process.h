// A real ridealong-relay process on a loopback port for the sync benchmarks:
// started with port 0, its port read from the "listening on" log line; its
// resident memory read from /proc. Killed when destroyed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ridealong::bench {

class RelayProcess {
 public:
  // `extraArgs` go after --listen/--data (limits for the fan-out runs).
  RelayProcess(const std::string& binary, const std::string& dataDir, const std::string& logPath,
               const std::vector<std::string>& extraArgs = {});
  ~RelayProcess();
  RelayProcess(const RelayProcess&) = delete;
  RelayProcess& operator=(const RelayProcess&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  // Resident set now and its peak (VmRSS, VmHWM), bytes.
  uint64_t rssBytes() const;
  uint64_t peakRssBytes() const;
  // A /proc/PID/status field in bytes ("RssAnon:", "RssFile:", ...).
  uint64_t statusField(const char* name) const;

 private:
  std::string logPath_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The relay built with this bench (or $RIDEALONG_RELAY if set).
std::string relayBinary();
// Raises this process's open-file soft limit to the hard limit; returns it.
uint64_t raiseOpenFileLimit();

}  // namespace ridealong::bench
