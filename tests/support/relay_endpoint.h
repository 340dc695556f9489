// Where devices find a test relay process: its address pinned to the key
// it logged. Separate from relay_process.h, which needs no Ridealong library.
#pragma once

#include <stdexcept>

#include "relay_process.h"
#include "ridealong/sync/tls.h"

namespace ridealong::testing {

inline sync::RelayEndpoint endpointOf(const RelayProcess& relay) {
  auto pin = sync::parsePin(relay.pin());
  if (!pin) throw std::runtime_error("the relay logged no key");
  return {relay.address(), sync::RelayTrust::kPinned, *pin};
}

}  // namespace ridealong::testing
