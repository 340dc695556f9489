// This notebook's device identity, kept in the store's `meta` database so
// that a re-key commits atomically with the log it rewrites and every
// process sees it at its next transaction:
//   "device"           the current device id (16 bytes)
//   "device.secret"    32 random bytes seeding the device's signing key
//   "retired/" ‖ id    a former id (RetiredDevice as JSON, secret in hex)
//   "home"             where the folder was opened (platform::notebookHome)
// Older builds kept only <dir>/device.id; it is adopted at first open and
// mirrored after each re-key. Internal to core.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ridealong/core/notebook.h"
#include "store.h"

namespace ridealong::core::detail {

std::optional<DeviceIdentity> readIdentity(const Txn& txn, const Dbs& dbs);
// The identity; a store without one is damaged (throws LmdbError MDB_CORRUPTED).
DeviceIdentity requireIdentity(const Txn& txn, const Dbs& dbs);
void writeIdentity(Txn& txn, const Dbs& dbs, const DeviceIdentity& id);
DeviceIdentity newIdentity(platform::Env& env);

std::vector<RetiredDevice> readRetired(const Txn& txn, const Dbs& dbs);
void writeRetired(Txn& txn, const Dbs& dbs, const RetiredDevice& r);
// Whether `id` is the current id or a retired one of this notebook.
bool isOwnId(const Txn& txn, const Dbs& dbs, const ActorId& id);

std::optional<std::string> readHome(const Txn& txn, const Dbs& dbs);
void writeHome(Txn& txn, const Dbs& dbs, const std::string& home);

}  // namespace ridealong::core::detail
