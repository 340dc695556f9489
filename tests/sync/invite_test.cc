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
  inv.relay = "relay.example.com:7420";
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
  inv.relay.clear();
  CHECK(formatInvite(inv).status().isInvalidArgument());
  inv.relay.assign(256, 'x');
  CHECK(formatInvite(inv).status().isInvalidArgument());
}

}  // namespace
}  // namespace ridealong::sync
