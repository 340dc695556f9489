#include "fuzz_mutator.h"

#include <algorithm>
#include <cstring>

namespace ridealong::testing {
namespace {

uint32_t readU32(std::string_view s, size_t at) {
  uint32_t v = 0;
  std::memcpy(&v, s.data() + at, 4);  // little-endian on the machines we run
  return v;
}

// Values that tend to break size arithmetic.
constexpr uint32_t kInteresting[] = {0,          1,          2,          3,          7,          8,         15,
                                     16,         255,        256,        0x7fff,     0xffff,     0x10000,   0x7fffffff,
                                     0x80000000, 0xfffffffe, 0xffffffff, 0xfffffff0, 0x1fffffff, 0x20000000};

}  // namespace

std::vector<std::string> splitFrames(std::string_view stream) {
  std::vector<std::string> frames;
  size_t at = 0;
  while (at < stream.size()) {
    size_t start = at;
    bool ok = stream.size() - at >= 8;
    size_t total = 0;
    if (ok) {
      uint64_t segments = uint64_t{readU32(stream, at)} + 1;
      size_t table = 4 + 4 * segments;
      table += table % 8;  // padded to a word
      ok = segments <= 512 && stream.size() - at >= table;
      if (ok) {
        uint64_t words = 0;
        for (uint64_t i = 0; i < segments; ++i) words += readU32(stream, at + 4 + 4 * i);
        total = table + words * 8;
        ok = words <= (uint64_t{1} << 28) && stream.size() - at >= total;
      }
    }
    if (!ok) {
      frames.emplace_back(stream.substr(start));
      break;
    }
    frames.emplace_back(stream.substr(start, total));
    at += total;
  }
  return frames;
}

std::string Mutator::mutate(const std::string& input, const std::string& other) {
  std::string s = input;
  int n = 1 + static_cast<int>(below(4));
  for (int i = 0; i < n; ++i) mutateOnce(s, other);
  return s;
}

std::string Mutator::mutateOneFrame(const std::string& stream, const std::string& other) {
  auto frames = splitFrames(stream);
  if (frames.empty()) return mutate(stream, other);
  size_t pick = below(frames.size());
  auto otherFrames = splitFrames(other);
  const std::string& partner = otherFrames.empty() ? other : otherFrames[below(otherFrames.size())];
  // Half the time the frame keeps its length, so its segment table still
  // matches and the damage is inside the message.
  if (below(2) == 0 && frames[pick].size() > 8) {
    std::string& f = frames[pick];
    size_t n = 1 + below(4);
    for (size_t i = 0; i < n; ++i) {
      size_t at = 8 + below(f.size() - 8);
      switch (below(3)) {
        case 0: f[at] = static_cast<char>(f[at] ^ (1u << below(8))); break;
        case 1: f[at] = static_cast<char>(next()); break;
        default: {
          size_t word = (8 + below(f.size() - 8)) & ~size_t{3};
          if (word + 4 <= f.size()) {
            uint32_t v = kInteresting[below(std::size(kInteresting))];
            std::memcpy(f.data() + word, &v, 4);
          }
        }
      }
    }
  } else {
    frames[pick] = mutate(frames[pick], partner);
  }
  std::string out;
  for (const auto& f : frames) out += f;
  return out;
}

void Mutator::mutateOnce(std::string& s, const std::string& other) {
  switch (below(10)) {
    case 0:  // flip one bit
      if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1u << below(8));
      break;
    case 1:  // random byte
      if (!s.empty()) s[below(s.size())] = static_cast<char>(next());
      break;
    case 2:  // interesting byte
      if (!s.empty()) {
        constexpr char kBytes[] = {0, 1, 0x7f, static_cast<char>(0x80), static_cast<char>(0xff)};
        s[below(s.size())] = kBytes[below(std::size(kBytes))];
      }
      break;
    case 3:  // truncate
      s.resize(below(s.size() + 1));
      break;
    case 4: {  // insert random bytes
      std::string junk(1 + below(64), '\0');
      for (char& c : junk) c = static_cast<char>(next());
      s.insert(below(s.size() + 1), junk);
      break;
    }
    case 5: {  // erase a range
      if (s.empty()) break;
      size_t at = below(s.size());
      s.erase(at, 1 + below(std::min<size_t>(64, s.size() - at)));
      break;
    }
    case 6: {  // duplicate a range
      if (s.empty()) break;
      size_t at = below(s.size());
      std::string piece = s.substr(at, 1 + below(64));
      s.insert(below(s.size() + 1), piece);
      break;
    }
    case 7: {  // splice: a prefix of this, a suffix of the other
      size_t keep = below(s.size() + 1);
      size_t from = below(other.size() + 1);
      s = s.substr(0, keep) + other.substr(from);
      break;
    }
    default: {  // a 32-bit length or offset field, word-aligned like Cap'n Proto's
      if (s.size() < 4) break;
      size_t at = below(s.size() / 4) * 4;
      uint32_t v;
      if (below(2) == 0) {
        v = kInteresting[below(std::size(kInteresting))];
      } else {
        std::memcpy(&v, s.data() + at, 4);
        v += static_cast<uint32_t>(static_cast<int>(below(17)) - 8) << (below(2) ? 0 : 3);
      }
      std::memcpy(s.data() + at, &v, 4);
      break;
    }
  }
}

}  // namespace ridealong::testing
