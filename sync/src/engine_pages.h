// Sealing and opening the changes of one push or pull page for SyncEngine.
// The header of each change must match the (actor, seq) it is sealed under;
// a received change that does not open, or claims another author or seq,
// fails the whole page. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/platform/status.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/wire.h"

namespace ridealong::sync {

// Seals an encoded core Change under the actor and seq its header names.
Result<SealedChange> sealChange(const SpaceKeys& keys, std::string_view encoded);
// The changes of a received page, in order, opened, decoded and checked:
// ready for Notebook::applyChanges.
Result<core::CheckedChanges> openChanges(const SpaceKeys& keys, const std::vector<SealedChange>& sealed);

// What a page brought, for the engine's status once it is applied.
struct PageSummary {
  size_t changes = 0;
  core::VersionVector relayHas;  // highest seq per actor in the page
};

// A pulled page, opened and checked, waiting to be applied.
struct OpenedPage {
  core::CheckedChanges changes;
  PageSummary summary;
};

// fromWire (with the wire limits) + openChanges.
Result<OpenedPage> openPage(const SpaceKeys& keys, capnp::List<wire::SealedChange>::Reader page);

}  // namespace ridealong::sync
