// The real Env: system clocks, POSIX files, libsodium random bytes.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "ridealong/platform/env.h"

namespace ridealong::platform {

Status errnoStatus(int err, const std::string& what) {
  std::string msg = what + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT || err == EFBIG) return Status::diskFull(msg);
  if (err == ENOENT) return Status::notFound(msg);
  return Status::ioError(msg);
}

namespace {

class SystemClock final : public Clock {
 public:
  int64_t wallMs() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  int64_t monoNs() override {
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
  }
};

Status writeAll(int fd, std::string_view data, const std::string& path) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errnoStatus(errno, "writing " + path);
    }
    off += static_cast<size_t>(n);
  }
  return Status::ok();
}

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::string> readFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errnoStatus(errno, "opening " + path);
    std::string out;
    char buf[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        int e = errno;
        ::close(fd);
        return errnoStatus(e, "reading " + path);
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
  }

  Status writeFileAtomic(const std::string& path, std::string_view data) override {
    std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return errnoStatus(errno, "creating " + tmp);
    Status st = writeAll(fd, data, tmp);
    if (st.isOk() && ::fsync(fd) != 0) st = errnoStatus(errno, "syncing " + tmp);
    ::close(fd);
    if (st.isOk() && ::rename(tmp.c_str(), path.c_str()) != 0) st = errnoStatus(errno, "renaming " + tmp);
    if (!st.isOk()) ::unlink(tmp.c_str());
    return st;
  }

  Status createDirs(const std::string& path) override {
    if (path.empty()) return Status::invalidArgument("empty directory name");
    std::string cur;
    size_t pos = 0;
    while (pos != std::string::npos) {
      pos = path.find('/', pos + 1);
      cur = path.substr(0, pos);
      if (cur.empty()) continue;
      if (::mkdir(cur.c_str(), 0700) != 0 && errno != EEXIST) return errnoStatus(errno, "creating directory " + cur);
    }
    struct stat sb;
    if (::stat(path.c_str(), &sb) != 0 || !S_ISDIR(sb.st_mode))
      return Status::ioError(path + " exists and is not a directory");
    return Status::ok();
  }

  bool exists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Status checkWrite(const std::string&, uint64_t) override { return Status::ok(); }
};

class RealEnv final : public Env {
 public:
  RealEnv() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  }
  Clock& clock() override { return clock_; }
  FileSystem& fs() override { return fs_; }
  void randomBytes(void* out, size_t n) override { randombytes_buf(out, n); }

 private:
  SystemClock clock_;
  PosixFileSystem fs_;
};

}  // namespace

Env& realEnv() {
  static RealEnv env;  // stateless apart from libsodium's own init
  return env;
}

}  // namespace ridealong::platform
