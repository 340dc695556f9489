#include "signals.h"

#include <atomic>
#include <csignal>

namespace ridealong::shell {

namespace {

std::atomic<bool> gQuit{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void onQuitSignal(int) { gQuit.store(true, std::memory_order_relaxed); }

}  // namespace

void installQuitSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = onQuitSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a waiting poll() returns early where it can
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool quitRequested() { return gQuit.load(std::memory_order_relaxed); }

}  // namespace ridealong::shell
