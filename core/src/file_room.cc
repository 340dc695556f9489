#include "file_room.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ridealong::core::detail {

namespace {
constexpr uint64_t kMinRoom = uint64_t{256} << 10, kMaxRoom = uint64_t{8} << 20;
constexpr uint64_t kChunk = uint64_t{64} << 10;
alignas(4096) const char kZeros[kChunk] = {};
}  // namespace

uint64_t roomFor(uint64_t usedBytes) { return std::clamp(usedBytes / 8, kMinRoom, kMaxRoom); }

uint64_t keepRoom(int fd, uint64_t usedBytes) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return 0;
  const uint64_t size = static_cast<uint64_t>(st.st_size), room = roomFor(usedBytes);
  if (size >= usedBytes + room / 2) return 0;
  // Whole chunks from the current end: the tail stays block-aligned.
  const uint64_t target = (usedBytes + room + kChunk - 1) / kChunk * kChunk;
  uint64_t at = size;
  while (at < target) {
    size_t n = static_cast<size_t>(std::min(kChunk - at % kChunk, target - at));
    ssize_t w = ::pwrite(fd, kZeros, n, static_cast<off_t>(at));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;  // ENOSPC, EFBIG (SIGXFSZ ignored), EIO: stop here
    at += static_cast<uint64_t>(w);
  }
  return at - size;
}

}  // namespace ridealong::core::detail
