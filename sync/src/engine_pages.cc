// Per-change sealing for sync pages, bound to each change's own header.
#include "engine_pages.h"

#include <algorithm>

#include "ridealong/core/change.h"

namespace ridealong::sync {

Result<SealedChange> sealChange(const SpaceKeys& keys, std::string_view encoded) {
  auto header = core::readChangeHeader(encoded);
  if (!header) return header.status().withContext("local change not sent");
  return keys.seal(header->actor, header->seq, encoded);
}

namespace {

std::string where(const SealedChange& s) {
  return "change " + s.actor.str() + "/" + std::to_string(s.seq) + " from the relay";
}

}  // namespace

Result<core::CheckedChanges> openChanges(const SpaceKeys& keys, const std::vector<SealedChange>& sealed) {
  // One thread: during an initial sync the store applies the page before
  // this one meanwhile, and this machine class has two cores.
  std::vector<std::string> opened(sealed.size());
  for (size_t i = 0; i < sealed.size(); i++) {
    auto bytes = keys.open(sealed[i]);
    if (!bytes)
      return Status::unauthorized(where(sealed[i]) +
                                  " does not open with this space's secret (wrong secret or "
                                  "tampered with); nothing from its page was applied");
    opened[i] = std::move(*bytes);
  }
  // Decoded once here; the store applies these without decoding again.
  auto checked = core::CheckedChanges::check(std::move(opened));
  if (!checked) return checked.status().withContext("a page from the relay");
  for (size_t i = 0; i < sealed.size(); i++) {
    // The seal binds (actor, seq); the header must say the same or the
    // author could be impersonated by a member re-sealing another's change.
    auto h = checked->header(i);
    if (h.actor != sealed[i].actor || h.seq != sealed[i].seq)
      return Status::unauthorized(where(sealed[i]) + " claims to be " + h.actor.str() + "/" +
                                  std::to_string(h.seq) + "; refused");
  }
  return checked;
}

Result<OpenedPage> openPage(const SpaceKeys& keys, capnp::List<wire::SealedChange>::Reader page) {
  auto sealed = fromWire(page, WireLimits{});
  if (!sealed) return sealed.status().withContext("a page from the relay");
  auto checked = openChanges(keys, *sealed);
  if (!checked) return checked.status();
  OpenedPage out{std::move(*checked), {}};
  out.summary.changes = sealed->size();
  for (const auto& c : *sealed) {
    uint64_t& seq = out.summary.relayHas[c.actor];
    seq = std::max(seq, c.seq);
  }
  return out;
}

}  // namespace ridealong::sync
