// Invite code encoding: base32 text over
// [version][space][secret][len][relay][trust][pin if pinned][checksum].
#include "ridealong/sync/invite.h"

#include <sodium.h>

#include <cctype>

namespace ridealong::sync {
namespace {

constexpr uint8_t kBlobVersion = 2;  // 1: before TLS (no trust, no pin)
constexpr size_t kChecksumBytes = 4;
constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford

std::string checksum(std::string_view data) {
  if (sodium_init() < 0) return {};  // no usable libsodium: every code reads as damaged
  uint8_t h[crypto_generichash_BYTES_MIN];
  crypto_generichash(h, sizeof h, reinterpret_cast<const uint8_t*>(data.data()), data.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(h), kChecksumBytes);
}

std::string base32(std::string_view bytes) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(acc >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (5 - bits)) & 31]);
  return out;
}

int base32Value(char c) {
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c == 'o') return 0;
  if (c == 'i' || c == 'l') return 1;
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

Status damaged() {
  return Status::invalidArgument("invite code is damaged or incomplete (checksum mismatch): copy the whole code again");
}

}  // namespace

Result<std::string> formatInvite(const Invite& invite) {
  const auto& relay = invite.relay;
  if (relay.address.empty() || relay.address.size() > 255) {
    return Status::invalidArgument("invite: relay address must be 1 to 255 bytes");
  }
  if (relay.trust == RelayTrust::kFirstUse) {
    return Status::invalidArgument(
        "invite: the relay's key is not known yet; run `sync` once so this device learns it");
  }
  std::string blob;
  blob.push_back(static_cast<char>(kBlobVersion));
  blob.append(invite.space.view());
  blob.append(reinterpret_cast<const char*>(invite.secret.data()), invite.secret.size());
  blob.push_back(static_cast<char>(relay.address.size()));
  blob.append(relay.address);
  blob.push_back(static_cast<char>(relay.trust));
  if (relay.trust == RelayTrust::kPinned)
    blob.append(reinterpret_cast<const char*>(relay.pin.data()), relay.pin.size());
  blob.append(checksum(blob));
  return std::string(kInvitePrefix) + base32(blob);
}

Result<Invite> parseInvite(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  auto lower = [](std::string_view s) {
    std::string r(s);
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
  };
  if (text.size() < kInvitePrefix.size() || lower(text.substr(0, kInvitePrefix.size())) != kInvitePrefix) {
    if (text.size() >= 3 && lower(text.substr(0, 3)) == "rdl") {
      return Status::invalidArgument(
          "invite code format is not supported by this version (expected it to start with rdl1-)");
    }
    return Status::invalidArgument("not a Ridealong invite code (it should start with rdl1-)");
  }
  text.remove_prefix(kInvitePrefix.size());

  std::string blob;
  uint32_t acc = 0;
  int bits = 0;
  size_t pos = kInvitePrefix.size();
  for (char c : text) {
    ++pos;
    if (c == '-' || std::isspace(static_cast<unsigned char>(c))) continue;
    int v = base32Value(c);
    if (v < 0) {
      return Status::invalidArgument("invite code has a character that cannot occur in it: '" + std::string(1, c) +
                                     "' at position " + std::to_string(pos));
    }
    acc = (acc << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      blob.push_back(static_cast<char>((acc >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  // Canonical encodings end with fewer than 5 zero padding bits; anything
  // else is a changed or extra last character.
  if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0) return damaged();
  // Minimum: version, space, secret, length byte, one relay byte, checksum.
  if (blob.size() < 1 + 16 + 32 + 1 + 1 + kChecksumBytes) return damaged();
  std::string_view body(blob.data(), blob.size() - kChecksumBytes);
  if (checksum(body) != blob.substr(body.size())) return damaged();
  uint8_t version = static_cast<uint8_t>(body[0]);
  if (version != 1 && version != kBlobVersion) {
    return Status::invalidArgument("invite code is from a newer version of Ridealong (format " +
                                   std::to_string(static_cast<uint8_t>(body[0])) + "): update this app to join");
  }
  Invite inv;
  inv.space = SpaceId::fromBytes(body.data() + 1);
  std::copy(body.begin() + 17, body.begin() + 49, reinterpret_cast<char*>(inv.secret.data()));
  size_t len = static_cast<uint8_t>(body[49]);
  if (body.size() < 50 + len || len == 0) return damaged();
  inv.relay.address.assign(body.substr(50, len));
  std::string_view rest = body.substr(50 + len);
  if (version == 1) {
    // Made before relays spoke TLS: the key is learned on first contact.
    if (!rest.empty()) return damaged();
    inv.relay.trust = RelayTrust::kFirstUse;
    return inv;
  }
  if (rest.empty()) return damaged();
  auto trust = static_cast<RelayTrust>(static_cast<uint8_t>(rest[0]));
  rest.remove_prefix(1);
  if (trust == RelayTrust::kPinned) {
    if (rest.size() != inv.relay.pin.size()) return damaged();
    std::copy(rest.begin(), rest.end(), reinterpret_cast<char*>(inv.relay.pin.data()));
  } else if (trust == RelayTrust::kSystemCa) {
    if (!rest.empty()) return damaged();
  } else {
    return Status::invalidArgument(
        "invite code names a way to trust the relay this version does not know: update this app to join");
  }
  inv.relay.trust = trust;
  return inv;
}

}  // namespace ridealong::sync
