// Where a notebook lives on disk, and the device identity kept there.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "ridealong/platform/env.h"

namespace ridealong::platform {

// $XDG_DATA_HOME/ridealong, else $HOME/.local/share/ridealong.
std::string defaultDataDir();

// 16 random bytes naming this device (the "actor" of its changes).
using DeviceId = std::array<uint8_t, 16>;

// Creates <dir>/device.id with fresh random bytes if it does not exist yet;
// returns the id either way. A malformed file is an error, never replaced.
Result<DeviceId> initDeviceId(Env& env, const std::string& dir);
// Reads <dir>/device.id; NotFound (with a hint to run `init`) if missing.
Result<DeviceId> loadDeviceId(Env& env, const std::string& dir);

}  // namespace ridealong::platform
