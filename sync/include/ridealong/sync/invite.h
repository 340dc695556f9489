// Invite codes: the text a manager copies from one device to another to join
// a space. "rdl1-" + Crockford base32 of a versioned blob (format version,
// space id, secret, relay address, how to trust the relay: its key pin)
// ending in a checksum, so a mangled or
// truncated code is reported instead of joining a wrong space. The code
// carries the secret: treat it like a password. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "ridealong/platform/status.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/tls.h"

namespace ridealong::sync {

struct Invite {
  SpaceId space;
  SpaceSecret secret{};
  // HOST:PORT (at most 255 bytes) and its trust; codes from before TLS
  // (format 1) read as kFirstUse.
  RelayEndpoint relay;
  bool operator==(const Invite&) const = default;
};

inline constexpr std::string_view kInvitePrefix = "rdl1-";

// Lower-case code; InvalidArgument if the relay address is empty or too
// long, or its key is not known yet (kFirstUse).
Result<std::string> formatInvite(const Invite& invite);
// Case-insensitive; spaces, line breaks and '-' inside the code are ignored
// (copy and paste from mail). InvalidArgument names what is wrong: not an
// invite code, a character that cannot occur, a damaged code (checksum), or
// a code from a newer app version.
Result<Invite> parseInvite(std::string_view text);

}  // namespace ridealong::sync
