// Changes that cannot be applied, kept aside in the `quarantine` database
// (actor ‖ seq -> entry) with why, when and by which build, so one bad
// change never stops the others: what does not depend on it applies, what
// does waits in `pending` as for any missing change. Entries count as held
// (heldVersionVector), so sync does not download them again. Internal to core.
#pragma once

#include <string>
#include <vector>

#include "ridealong/core/notebook.h"
#include "store.h"

namespace ridealong::core::detail {

// The build id this code writes into entries (version and reader format).
std::string thisBuild();

void putQuarantined(Txn& txn, const Dbs& dbs, const QuarantinedChange& q);
std::vector<QuarantinedChange> readQuarantined(const Txn& txn, const Dbs& dbs);
bool isQuarantined(const Txn& txn, const Dbs& dbs, const ActorId& actor, uint64_t seq);

// Per actor, the highest seq s such that every change 1..s is in `vv` (the
// log) or stored under actor ‖ seq in `pending` or `quarantine`.
VersionVector heldVersionVector(const Txn& txn, const Dbs& dbs, VersionVector vv);

}  // namespace ridealong::core::detail
