// Per-change sealing for sync pages, bound to each change's own header.
#include "engine_pages.h"

#include <algorithm>

#include "ridealong/core/change.h"

namespace ridealong::sync {

Result<SealedChange> sealChange(const SpaceKeys& keys, std::string_view encoded, std::string_view prev) {
  auto header = core::readChangeHeader(encoded);
  if (!header) return header.status().withContext("local change not sent");
  return keys.seal(header->actor, header->seq, encoded, prev);
}

core::CheckedChanges openChanges(const SpaceKeys& keys, const std::vector<SealedChange>& sealed) {
  // One thread: during an initial sync the store applies the page before
  // this one meanwhile, and this machine class has two cores.
  std::vector<core::CheckedChanges::Delivered> delivered(sealed.size());
  for (size_t i = 0; i < sealed.size(); i++) {
    auto& d = delivered[i];
    d.actor = sealed[i].actor;
    d.seq = sealed[i].seq;
    auto bytes = keys.open(sealed[i]);
    if (bytes) {
      d.bytes = std::move(*bytes);
    } else {
      // Kept as received, so a later build (or key) can try again.
      d.bytes = sealed[i].nonce + sealed[i].ciphertext;
      d.failure = bytes.status().message();  // names the change
    }
  }
  // checkEach decodes once here (the store applies without decoding again)
  // and sets aside what names another (actor, seq) than it came under: a
  // member re-sealing another's change cannot impersonate its author.
  return core::CheckedChanges::checkEach(std::move(delivered));
}

Result<OpenedPage> openPage(const SpaceKeys& keys, capnp::List<wire::SealedChange>::Reader page) {
  auto sealed = fromWire(page, WireLimits{});
  if (!sealed) return sealed.status().withContext("a page from the relay");
  OpenedPage out{openChanges(keys, *sealed), {}};
  out.summary.changes = sealed->size();
  for (const auto& c : *sealed) {
    uint64_t& seq = out.summary.relayHas[c.actor];
    seq = std::max(seq, c.seq);
  }
  return out;
}

}  // namespace ridealong::sync
