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
// Rewrites <dir>/device.id (after a re-key; the notebook's store holds the
// id that counts, the file mirrors it for older builds and people).
Status writeDeviceId(Env& env, const std::string& dir, const DeviceId& id);

// Where a notebook folder is: this machine's id (/etc/machine-id, else the
// host name) and the folder's canonical path. A notebook that finds itself
// somewhere else was moved or copied (restored from a backup, say).
std::string notebookHome(const std::string& dir);

}  // namespace ridealong::platform
