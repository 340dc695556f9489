// Test doubles for platform::Env: a settable clock and a file system that can
// be told to fail. Part of the platform library so every module's tests and
// the crash/fault drivers can use them. Thread-safe.
#pragma once

#include <atomic>
#include <memory>

#include "ridealong/platform/env.h"

namespace ridealong::platform {

// A clock that stands still unless advanced or set; may be set to any skew.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t wallMs) : wall_(wallMs) {}
  int64_t wallMs() override { return wall_.load(); }
  int64_t monoNs() override { return mono_.load(); }
  void setWallMs(int64_t ms) { wall_ = ms; }
  void advanceMs(int64_t ms) {
    wall_ += ms;
    mono_ += ms * 1000000;
  }

 private:
  std::atomic<int64_t> wall_;
  std::atomic<int64_t> mono_{0};
};

enum class Fault { kNone, kDiskFull, kIOError };

// Wraps a FileSystem; while a fault is armed, writes and checkWrite fail.
class FaultyFileSystem final : public FileSystem {
 public:
  explicit FaultyFileSystem(FileSystem& base) : base_(base) {}
  void arm(Fault f) { fault_ = f; }
  Result<std::string> readFile(const std::string& path) override;
  Status writeFileAtomic(const std::string& path, std::string_view data) override;
  Status createDirs(const std::string& path) override;
  bool exists(const std::string& path) override { return base_.exists(path); }
  Status checkWrite(const std::string& path, uint64_t bytes) override;

 private:
  Status injected(const std::string& path) const;
  FileSystem& base_;
  std::atomic<Fault> fault_{Fault::kNone};
};

// An Env assembled from parts; the parts must outlive it.
class TestEnv final : public Env {
 public:
  TestEnv(Clock& clock, FileSystem& fs) : clock_(clock), fs_(fs) {}
  Clock& clock() override { return clock_; }
  FileSystem& fs() override { return fs_; }
  void randomBytes(void* out, size_t n) override { realEnv().randomBytes(out, n); }

 private:
  Clock& clock_;
  FileSystem& fs_;
};

}  // namespace ridealong::platform
