// Deterministic mutations of seed inputs for the fuzz driver (fuzz_test.cc):
// bit flips, interesting bytes, truncation, insertions, deletions, splices of
// two seeds, and edits of the 32-bit length/offset fields Cap'n Proto puts in
// its segment table and pointers. Message-aware: a stream of framed Cap'n
// Proto messages can have one frame mutated while the others stay intact, so
// the mutation reaches the decoder behind the framing. Same seed, same
// outputs. Not thread-safe.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ridealong::testing {

// The framed messages of a byte stream (segment table + segments each), as
// far as the framing parses; a tail that does not parse is the last element.
std::vector<std::string> splitFrames(std::string_view stream);

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  // One to four stacked mutations of `input`; `other` is a splice partner.
  std::string mutate(const std::string& input, const std::string& other);
  // Like mutate(), applied to one frame of a multi-message stream.
  std::string mutateOneFrame(const std::string& stream, const std::string& other);

  uint64_t next() { return rng_(); }
  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng_() % n); }

 private:
  void mutateOnce(std::string& s, const std::string& other);
  std::mt19937_64 rng_;
};

}  // namespace ridealong::testing
