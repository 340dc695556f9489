// Per-change sealing for sync pages, bound to each change's own header.
#include "engine_pages.h"

#include "ridealong/core/change.h"

namespace ridealong::sync {

Result<SealedChange> sealChange(const SpaceKeys& keys, std::string_view encoded) {
  auto header = core::readChangeHeader(encoded);
  if (!header) return header.status().withContext("local change not sent");
  return keys.seal(header->actor, header->seq, encoded);
}

Result<std::vector<std::string>> openChanges(const SpaceKeys& keys,
                                             const std::vector<SealedChange>& sealed) {
  std::vector<std::string> out;
  out.reserve(sealed.size());
  for (const auto& s : sealed) {
    std::string where = "change " + s.actor.str() + "/" + std::to_string(s.seq) + " from the relay";
    auto bytes = keys.open(s);
    if (!bytes)
      return Status::unauthorized(where +
                                  " does not open with this space's secret (wrong secret or "
                                  "tampered with); nothing from its page was applied");
    auto header = core::readChangeHeader(*bytes);
    if (!header) return header.status().withContext(where);
    // The seal binds (actor, seq); the header must say the same or the
    // author could be impersonated by a member re-sealing another's change.
    if (header->actor != s.actor || header->seq != s.seq)
      return Status::unauthorized(where + " claims to be " + header->actor.str() + "/" +
                                  std::to_string(header->seq) + "; refused");
    out.push_back(std::move(*bytes));
  }
  return out;
}

}  // namespace ridealong::sync
