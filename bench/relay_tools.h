// The relay binary the sync benchmarks start (as a process: RelayProcess in
// tests/support/relay_process.h) and the open-file limit they need.
#pragma once

#include <cstdint>
#include <string>

#include "relay_endpoint.h"
#include "relay_process.h"

namespace ridealong::bench {

using testing::endpointOf;
using testing::RelayProcess;

// The relay built with this bench (or $RIDEALONG_RELAY if set).
std::string relayBinary();
// Raises this process's open-file soft limit to the hard limit; returns it.
uint64_t raiseOpenFileLimit();

}  // namespace ridealong::bench
