// Mutation fuzzing of the relay's message handling, change decoding/applying
// and sealed-change opening (targets and invariants: fuzz_targets.h).
// Deterministic: fixed seeds, so a CI run is short and repeatable.
//
//   RIDEALONG_FUZZ_ITERATIONS=N   inputs per target (default: a short CI run)
//   RIDEALONG_FUZZ_SEED=S         another mutation sequence, for long runs
//
// An input that breaks an invariant is written to $TMPDIR/ridealong-fuzz-*
// and named in the failure; one that crashes the process (a fatal signal)
// is written to $TMPDIR/ridealong-fuzz-crash-<target>.bin by a signal
// handler before the process dies. Either goes into
// tests/sync/fuzz_regressions/ as <target>-<what>.bin, replayed below on
// every run.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz_mutator.h"
#include "fuzz_targets.h"

namespace ridealong::testing {
namespace {

namespace fs = std::filesystem;

size_t iterations(size_t ciDefault) {
  const char* v = std::getenv("RIDEALONG_FUZZ_ITERATIONS");
  return v && *v ? std::strtoull(v, nullptr, 10) : ciDefault;
}

uint64_t baseSeed() {
  const char* v = std::getenv("RIDEALONG_FUZZ_SEED");
  return v && *v ? std::strtoull(v, nullptr, 10) : 1;
}

fs::path tmpDir() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? fs::path(t) : fs::temp_directory_path();
}

void writeFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// While installed, a fatal signal first writes the input being fed to a
// file (async-signal-safe calls only), then goes to the previous handler.
class CrashKeeper {
 public:
  explicit CrashKeeper(const fs::path& path) {
    std::snprintf(path_, sizeof path_, "%s", path.c_str());
    struct sigaction sa {};
    sa.sa_handler = &CrashKeeper::onSignal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &sa, &old_[i]);
  }
  ~CrashKeeper() {
    for (size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &old_[i], nullptr);
    input_ = nullptr;
  }
  void feeding(const std::string& input) {
    size_ = input.size();
    input_ = input.data();
  }

 private:
  static constexpr int kSignals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
  static void onSignal(int sig) {
    if (input_) {
      int fd = ::open(path_, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        (void)!::write(fd, input_, size_);
        ::close(fd);
      }
      const char msg[] = "\nfuzz: crashing input written to ";
      (void)!::write(2, msg, sizeof msg - 1);
      (void)!::write(2, path_, std::strlen(path_));
      (void)!::write(2, "\n", 1);
    }
    for (size_t i = 0; i < std::size(kSignals); ++i)
      if (kSignals[i] == sig) sigaction(sig, &old_[i], nullptr);
    ::raise(sig);
  }
  static inline char path_[512];
  static inline const char* volatile input_ = nullptr;
  static inline size_t size_ = 0;
  static inline struct sigaction old_[std::size(kSignals)];
};

// Feeds `n` mutated seeds to `target`; the first bad input fails the test.
template <typename Target>
void fuzz(Target& target, const std::string& name, size_t n, bool framed) {
  const auto& seeds = target.seeds();
  REQUIRE_FALSE(seeds.empty());
  uint64_t seed = baseSeed() * 1000003 + std::hash<std::string>{}(name);
  Mutator m(seed);
  CrashKeeper keeper(tmpDir() / ("ridealong-fuzz-crash-" + name + ".bin"));
  for (size_t i = 0; i < n; ++i) {
    const auto& a = seeds[m.below(seeds.size())];
    const auto& b = seeds[m.below(seeds.size())];
    std::string input = framed && m.below(2) ? m.mutateOneFrame(a, b) : m.mutate(a, b);
    keeper.feeding(input);
    try {
      target.feed(input);
    } catch (const FuzzFailure& e) {
      fs::path kept =
          tmpDir() / ("ridealong-fuzz-" + name + "-" + std::to_string(seed) + "-" + std::to_string(i) + ".bin");
      writeFile(kept, input);
      FAIL(name << " input " << i << " (seed " << seed << "): " << e.what() << "; kept in " << kept.string());
    }
  }
}

TEST_CASE("fuzz: the relay survives mutated RPC streams", "[sync][fuzz]") {
  RelayFuzzTarget target;
  // The seeds do what they were recorded to do, so mutations start from
  // sessions that reach push, pull and subscribe.
  target.feed(target.seeds()[0]);
  CHECK(target.changesInSeedSpace() == 3);
  target.feed(target.seeds()[1]);
  CHECK(target.changesInSeedSpace() == 6);
  target.feed(target.seeds()[2]);
  target.feed(target.seeds()[3]);  // refused pushes only
  CHECK(target.changesInSeedSpace() == 6);
  uint64_t seeded = target.sessionsOpened();
  fuzz(target, "relay", iterations(4000), /*framed=*/true);
  WARN("relay fuzz: " << target.summary());
  CHECK(target.sessionsOpened() > seeded);  // mutations got past auth too
}

TEST_CASE("fuzz: the relay's TLS handshake survives mutated client bytes", "[sync][fuzz][tls]") {
  TlsFuzzTarget target;
  for (const auto& s : target.seeds()) target.feed(s);
  fuzz(target, "tls", iterations(2000), /*framed=*/false);
  WARN("tls fuzz: " << target.summary());
}

TEST_CASE("fuzz: change decoding and applying refuse mutated changes cleanly", "[sync][fuzz]") {
  ChangeFuzzTarget target;
  for (const auto& s : target.seeds()) target.feed(s);
  CHECK(target.changesHeld() == 4);
  fuzz(target, "change", iterations(8000), /*framed=*/false);
  WARN("change fuzz: " << target.summary());
}

TEST_CASE("fuzz: only unaltered sealed changes open", "[sync][fuzz]") {
  SealedFuzzTarget target;
  for (const auto& s : target.seeds()) CHECK(target.feed(s));
  fuzz(target, "sealed", iterations(20000), /*framed=*/false);
  WARN("sealed fuzz: " << target.summary());
}

TEST_CASE("fuzz: every kept regression input is handled", "[sync][fuzz]") {
  fs::path dir = fs::path(__FILE__).parent_path() / "fuzz_regressions";
  REQUIRE(fs::is_directory(dir));
  size_t replayed = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.path().extension() != ".bin") continue;
    CAPTURE(name);
    std::string bytes = readFile(e.path());
    // A fresh target per input: each replays exactly as it was found.
    if (name.rfind("relay-", 0) == 0) {
      RelayFuzzTarget t;
      CHECK_NOTHROW(t.feed(bytes));
    } else if (name.rfind("tls-", 0) == 0) {
      TlsFuzzTarget t;
      CHECK_NOTHROW(t.feed(bytes));
    } else if (name.rfind("change-", 0) == 0) {
      ChangeFuzzTarget t;
      CHECK_NOTHROW(t.feed(bytes));
    } else if (name.rfind("sealed-", 0) == 0) {
      SealedFuzzTarget t;
      CHECK_NOTHROW(t.feed(bytes));
    } else {
      FAIL("regression input without a target prefix (relay-, tls-, change-, sealed-)");
    }
    ++replayed;
  }
  if (replayed == 0) WARN("no regression inputs kept yet in " << dir.string());
}

TEST_CASE("fuzz: the mutator is deterministic and splits frames", "[sync][fuzz]") {
  std::string frame(8, '\0');
  frame[4] = 1;  // one segment of one word
  frame += std::string(8, 'x');
  auto frames = splitFrames(frame + frame + "tail");
  REQUIRE(frames.size() == 3);
  CHECK(frames[0] == frame);
  CHECK(frames[2] == "tail");
  Mutator a(5), b(5);
  for (int i = 0; i < 50; ++i) CHECK(a.mutateOneFrame(frame + frame, frame) == b.mutateOneFrame(frame + frame, frame));
}

}  // namespace
}  // namespace ridealong::testing
