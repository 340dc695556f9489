// platform::Env: the operating system as an injected interface (clock, random
// bytes, files), after LevelDB's Env. Production code gets realEnv(); tests
// use FakeClock and FaultyFileSystem (testing.h) for skewed or frozen time,
// disk full and I/O errors. Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ridealong/platform/status.h"

namespace ridealong::platform {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall clock, milliseconds since the Unix epoch. May jump or be wrong.
  virtual int64_t wallMs() = 0;
  // Monotonic nanoseconds, for durations only.
  virtual int64_t monoNs() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<std::string> readFile(const std::string& path) = 0;
  // Writes to a temporary file, fsyncs and renames: the old file or the new
  // one, never a torn mix.
  virtual Status writeFileAtomic(const std::string& path, std::string_view data) = 0;
  virtual Status createDirs(const std::string& path) = 0;
  virtual bool exists(const std::string& path) = 0;
  // Called by stores right before they make a write durable; lets tests
  // inject a disk-full or I/O error at that point. The real one returns ok.
  virtual Status checkWrite(const std::string& path, uint64_t bytes) = 0;
};

class Env {
 public:
  virtual ~Env() = default;
  virtual Clock& clock() = 0;
  virtual FileSystem& fs() = 0;
  // Cryptographically random bytes (libsodium).
  virtual void randomBytes(void* out, size_t n) = 0;
};

// The process-wide real environment (system clocks, POSIX files, libsodium).
Env& realEnv();

// Maps errno from a failed file operation to a Status naming the path.
Status errnoStatus(int err, const std::string& what);

}  // namespace ridealong::platform
