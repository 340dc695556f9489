// libFuzzer entry for one target of tests/sync/fuzz_targets.h, chosen at
// build time (RIDEALONG_FUZZ_TARGET, RIDEALONG_FUZZ_NAME; tests/fuzz/
// CMakeLists.txt). A broken invariant (FuzzFailure) or any other escaping
// exception is printed and abort()s, so libFuzzer keeps the input.
//
//   RIDEALONG_FUZZ_SEED_DIR=DIR   at start-up, write the target's seeds
//                                 there as seed-<i> (scripts/fuzz.sh)
//
// libsodium's randomness is a fixed stream here: the targets' seeds (the
// sealed ones carry random nonces) are then the same bytes in every
// process, so a kept corpus or a crash input replays against the seeds it
// was found with.
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_targets.h"

namespace {

using Target = ridealong::testing::RIDEALONG_FUZZ_TARGET;

uint64_t randomCounter = 0;

void fixedBuf(void* buf, size_t n) {
  unsigned char seed[randombytes_SEEDBYTES] = {};
  std::memcpy(seed, &randomCounter, sizeof randomCounter);
  ++randomCounter;
  randombytes_buf_deterministic(buf, n, seed);
}
uint32_t fixedRandom() {
  uint32_t v;
  fixedBuf(&v, sizeof v);
  return v;
}
const char* fixedName() { return "ridealong-fuzz-fixed"; }
void fixedStir() {}
randombytes_implementation fixedRandomness = {fixedName, fixedRandom, fixedStir, nullptr, fixedBuf, nullptr};

Target& target() {
  static Target t;
  return t;
}

}  // namespace

// Undefined behaviour stops the run like a crash (and is kept as one).
extern "C" const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1"; }

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  randombytes_set_implementation(&fixedRandomness);
  const auto& seeds = target().seeds();
  if (const char* dir = std::getenv("RIDEALONG_FUZZ_SEED_DIR"); dir && *dir) {
    std::filesystem::create_directories(dir);
    for (size_t i = 0; i < seeds.size(); ++i) {
      std::ofstream out(std::filesystem::path(dir) / ("seed-" + std::to_string(i)), std::ios::binary | std::ios::trunc);
      out.write(seeds[i].data(), static_cast<std::streamsize>(seeds[i].size()));
    }
    std::fprintf(stderr, "fuzz %s: %zu seeds written to %s\n", RIDEALONG_FUZZ_NAME, seeds.size(), dir);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    (void)target().feed(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const ridealong::testing::FuzzFailure& e) {
    std::fprintf(stderr, "\nfuzz %s: invariant broken: %s\n", RIDEALONG_FUZZ_NAME, e.what());
    std::abort();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\nfuzz %s: uncaught exception: %s\n", RIDEALONG_FUZZ_NAME, e.what());
    std::abort();
  }
  return 0;
}
