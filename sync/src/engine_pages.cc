// Per-change sealing for sync pages, bound to each change's own header.
#include "engine_pages.h"

#include <thread>

#include "ridealong/core/change.h"

namespace ridealong::sync {

Result<SealedChange> sealChange(const SpaceKeys& keys, std::string_view encoded) {
  auto header = core::readChangeHeader(encoded);
  if (!header) return header.status().withContext("local change not sent");
  return keys.seal(header->actor, header->seq, encoded);
}

namespace {

// Opens sealed[from, to) into out[from, to); the first failure in words.
Status openRange(const SpaceKeys& keys, const std::vector<SealedChange>& sealed, size_t from, size_t to,
                 std::vector<std::string>& out) {
  for (size_t i = from; i < to; i++) {
    const SealedChange& s = sealed[i];
    auto where = [&] { return "change " + s.actor.str() + "/" + std::to_string(s.seq) + " from the relay"; };
    auto bytes = keys.open(s);
    if (!bytes)
      return Status::unauthorized(where() +
                                  " does not open with this space's secret (wrong secret or "
                                  "tampered with); nothing from its page was applied");
    auto header = core::readChangeHeader(*bytes);
    if (!header) return header.status().withContext(where());
    // The seal binds (actor, seq); the header must say the same or the
    // author could be impersonated by a member re-sealing another's change.
    if (header->actor != s.actor || header->seq != s.seq)
      return Status::unauthorized(where() + " claims to be " + header->actor.str() + "/" +
                                  std::to_string(header->seq) + "; refused");
    out[i] = std::move(*bytes);
  }
  return Status::ok();
}

}  // namespace

Result<std::vector<std::string>> openChanges(const SpaceKeys& keys, const std::vector<SealedChange>& sealed) {
  std::vector<std::string> out(sealed.size());
  // A large page (an initial sync) is opened on two threads: decryption is
  // a sizeable share of pulling, and the apply that follows waits for it.
  size_t half = sealed.size() >= 512 ? sealed.size() / 2 : sealed.size();
  Status second;
  std::thread helper;
  if (half < sealed.size())
    helper = std::thread([&] { second = openRange(keys, sealed, half, sealed.size(), out); });
  Status first = openRange(keys, sealed, 0, half, out);
  if (helper.joinable()) helper.join();
  RIDEALONG_RETURN_IF_ERROR(first);
  RIDEALONG_RETURN_IF_ERROR(second);
  return out;
}

}  // namespace ridealong::sync
