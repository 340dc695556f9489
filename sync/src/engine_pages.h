// Sealing and opening the changes of one push or pull page for SyncEngine.
// Each received change is checked on its own: one that does not open, does
// not decode, or claims another (actor, seq) than it is sealed under is set
// aside (core quarantines it with the reason) while the rest of its page
// applies, so one bad change never blocks the good ones. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/platform/status.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/wire.h"

namespace ridealong::sync {

// Seals an encoded core Change under the actor and seq its header names;
// `prev` is the digest of the same actor's change seq-1 (empty for seq 1).
Result<SealedChange> sealChange(const SpaceKeys& keys, std::string_view encoded, std::string_view prev = {});
// The changes of a received page, in order, opened, decoded and checked
// each on its own: ready for Notebook::applyChanges, which applies the good
// ones and quarantines the others.
core::CheckedChanges openChanges(const SpaceKeys& keys, const std::vector<SealedChange>& sealed);

// What a page brought, for the engine's status once it is applied.
struct PageSummary {
  size_t changes = 0;
  core::VersionVector relayHas;  // highest seq per actor in the page
  core::ApplyReport report;      // what applying it did
};

// A pulled page, opened and checked, waiting to be applied.
struct OpenedPage {
  core::CheckedChanges changes;
  PageSummary summary;
};

// fromWire (with the wire limits) + openChanges. Fails only when the page
// itself is malformed (then no change in it can be named).
Result<OpenedPage> openPage(const SpaceKeys& keys, capnp::List<wire::SealedChange>::Reader page);

}  // namespace ridealong::sync
