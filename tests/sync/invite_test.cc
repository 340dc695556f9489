// Invite codes: round trip, and clear errors for wrong or mangled codes.
#include "ridealong/sync/invite.h"

#include <catch2/catch.hpp>
#include <cctype>

namespace ridealong::sync {
namespace {

Invite sample() {
  Invite inv;
  inv.space = newSpaceId();
  inv.secret = newSpaceSecret();
  inv.relay.address = "relay.example.com:7420";
  inv.relay.trust = RelayTrust::kPinned;
  for (size_t i = 0; i < inv.relay.pin.size(); ++i) inv.relay.pin[i] = static_cast<uint8_t>(i * 7);
  return inv;
}

TEST_CASE("an invite code round-trips", "[sync][invite]") {
  Invite inv = sample();
  auto code = formatInvite(inv);
  REQUIRE(code.isOk());
  CHECK(code->rfind("rdl1-", 0) == 0);
  auto back = parseInvite(*code);
  REQUIRE(back.isOk());
  CHECK(*back == inv);

  SECTION("upper case, surrounding and inner whitespace and dashes are tolerated") {
    std::string mangled = "  " + *code + "\n";
    for (char& c : mangled) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    mangled.insert(20, "-");
    mangled.insert(40, "\n ");
    auto r = parseInvite(mangled);
    REQUIRE(r.isOk());
    CHECK(*r == inv);
  }
}

TEST_CASE("wrong or mangled invite codes are clear errors", "[sync][invite]") {
  std::string code = *formatInvite(sample());

  SECTION("not an invite code") {
    auto r = parseInvite("hello world");
    CHECK(r.status().isInvalidArgument());
    CHECK_THAT(r.status().message(), Catch::Contains("not a Ridealong invite code"));
  }
  SECTION("another format version's prefix") {
    auto r = parseInvite("rdl2-" + code.substr(5));
    CHECK_THAT(r.status().message(), Catch::Contains("not supported"));
  }
  SECTION("every single-character change is caught") {
    const std::string alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    for (size_t pos = 5; pos < code.size(); ++pos) {
      for (char c : alphabet) {
        if (c == code[pos]) continue;
        std::string bad = code;
        bad[pos] = c;
        INFO(bad);
        REQUIRE_FALSE(parseInvite(bad).isOk());
      }
    }
  }
  SECTION("an extra character is caught") {
    CHECK_THAT(parseInvite(code + "0").status().message(), Catch::Contains("damaged"));
  }
  SECTION("a changed character is caught by the checksum") {
    for (size_t pos : {size_t{5}, size_t{30}, code.size() - 1}) {
      std::string bad = code;
      bad[pos] = bad[pos] == 'a' ? 'b' : 'a';
      auto r = parseInvite(bad);
      CHECK(r.status().isInvalidArgument());
      CHECK_THAT(r.status().message(), Catch::Contains("damaged"));
    }
  }
  SECTION("truncated") {
    for (size_t keep : {size_t{5}, size_t{20}, code.size() - 3}) {
      auto r = parseInvite(code.substr(0, keep));
      CHECK_THAT(r.status().message(), Catch::Contains("damaged"));
    }
  }
  SECTION("a character outside the alphabet") {
    auto r = parseInvite(code.substr(0, 10) + "u" + code.substr(11));
    CHECK_THAT(r.status().message(), Catch::Contains("'u'"));
  }
}

TEST_CASE("an invite needs a relay address", "[sync][invite]") {
  Invite inv = sample();
  inv.relay.address.clear();
  CHECK(formatInvite(inv).status().isInvalidArgument());
  inv.relay.address.assign(256, 'x');
  CHECK(formatInvite(inv).status().isInvalidArgument());
}

TEST_CASE("an invite carries how to trust the relay", "[sync][invite][tls]") {
  Invite inv = sample();
  SECTION("a pinned key round-trips (above); a changed pin byte is caught") {
    auto a = *formatInvite(inv);
    inv.relay.pin[31] ^= 1;
    auto b = *formatInvite(inv);
    CHECK(a != b);
    CHECK(parseInvite(b)->relay.pin == inv.relay.pin);
  }
  SECTION("the system's CAs round-trip without a pin") {
    inv.relay.trust = RelayTrust::kSystemCa;
    inv.relay.pin = {};
    auto back = parseInvite(*formatInvite(inv));
    REQUIRE(back.isOk());
    CHECK(*back == inv);
  }
  SECTION("a relay whose key is not known yet cannot be invited to") {
    inv.relay.trust = RelayTrust::kFirstUse;
    CHECK_THAT(formatInvite(inv).status().message(), Catch::Contains("not known yet"));
  }
  SECTION("a code from before TLS (format 1) joins, learning the key on first contact") {
    // Made by the format-1 encoder: space 00..0f, secret 20..3f.
    auto old = parseInvite(
        "rdl1-040020g30g2gc1r81450p30d1r7j08924cj2a9h750mjmasc5mq2yc1h68sk8d9p6ww3jehv7gykwfrpe9jpr"
        "rbs5sjqgrbde1p6abk3dxpkmdsm68r0v4ntxc");
    REQUIRE(old.isOk());
    CHECK(old->relay.address == "relay.example.com:7420");
    CHECK(old->relay.trust == RelayTrust::kFirstUse);
    CHECK(old->secret[0] == 0x20);
  }
}

}  // namespace
}  // namespace ridealong::sync
