#include "relay_tools.h"

#include <sys/resource.h>

#include <cstdlib>

namespace ridealong::bench {

std::string relayBinary() {
  const char* env = std::getenv("RIDEALONG_RELAY");
  return env && *env ? env : RIDEALONG_RELAY_PATH;
}

uint64_t raiseOpenFileLimit() {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  getrlimit(RLIMIT_NOFILE, &lim);
  return lim.rlim_cur;
}

}  // namespace ridealong::bench
