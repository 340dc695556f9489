// Identifiers and clocks (ids.h): Crockford base32 round trip, the aliases
// parse accepts and what it refuses, time-ordered record ids, hlcTick, and
// calendar dates (parseDate/formatDate/formatTimeMs).
#include <catch2/catch.hpp>

#include <random>

#include "ridealong/core/ids.h"

using namespace ridealong::core;

namespace {

Id16 randomId(std::mt19937_64& rng) {
  Id16 id;
  for (auto& b : id.bytes) b = static_cast<uint8_t>(rng());
  return id;
}

}  // namespace

TEST_CASE("base32 ids round trip and keep byte order", "[ids]") {
  std::mt19937_64 rng(7);
  Id16 prev;
  std::string prevText;
  for (int i = 0; i < 2000; i++) {
    Id16 id = randomId(rng);
    if (i % 3 == 0) id.bytes[rng() % 16] = 0xff;  // extremes within a byte
    std::string s = id.str();
    REQUIRE(s.size() == 26);
    auto back = Id16::parse(s);
    REQUIRE(back);
    CHECK(*back == id);
    // Text order equals byte order, so time-ordered ids sort as text too.
    if (i > 0) CHECK((prev < id) == (prevText < s));
    prev = id;
    prevText = s;
  }
  Id16 zero, ones;
  ones.bytes.fill(0xff);
  CHECK(zero.isZero());
  CHECK_FALSE(ones.isZero());
  CHECK(zero.str() == std::string(26, '0'));
  CHECK(ones.str() == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  CHECK(*Id16::parse(ones.str()) == ones);
}

TEST_CASE("base32 parse accepts lowercase and the I/L/O aliases", "[ids]") {
  Id16 id;
  for (size_t i = 0; i < 16; i++) id.bytes[i] = static_cast<uint8_t>(i * 17 + 1);
  std::string s = id.str();
  std::string lower = s;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(Id16::parse(lower) == id);
  // I and L read as 1, O as 0, in either case.
  Id16 one = *Id16::parse("00000000000000000000000001");
  CHECK(Id16::parse("0000000000000000000000000I") == one);
  CHECK(Id16::parse("0000000000000000000000000l") == one);
  CHECK(Id16::parse("0000000000000000000000000L") == one);
  CHECK(Id16::parse("O000000000000000000000000o") == Id16{});
  CHECK(one.bytes[15] == 1);
}

TEST_CASE("base32 parse refuses malformed text", "[ids]") {
  std::string good = Id16{}.str();
  CHECK_FALSE(Id16::parse(""));
  CHECK_FALSE(Id16::parse(good.substr(0, 25)));
  CHECK_FALSE(Id16::parse(good + "0"));
  for (char bad : {'U', 'u', '-', ' ', '*', '\0', '\xc3'}) {
    std::string s = good;
    s[13] = bad;
    INFO("char " << static_cast<int>(bad));
    CHECK_FALSE(Id16::parse(s));
  }
  // 26 digits carry 130 bits: a first digit above 7 would overflow 128.
  CHECK(Id16::parse("7" + std::string(25, 'Z')));
  CHECK_FALSE(Id16::parse("8" + std::string(25, '0')));
  CHECK_FALSE(Id16::parse("Z" + std::string(25, '0')));
}

TEST_CASE("record ids are time-ordered and carry their time", "[ids]") {
  uint8_t lo[10] = {0}, hi[10];
  std::fill(std::begin(hi), std::end(hi), 0xff);
  int64_t t = 1767225600000;
  RecordId a = makeRecordId(t, hi), b = makeRecordId(t + 1, lo);
  CHECK(a < b);  // time dominates the random part
  CHECK(a.str() < b.str());
  uint64_t ms = 0;
  for (int i = 0; i < 6; i++) ms = (ms << 8) | a.bytes[i];
  CHECK(static_cast<int64_t>(ms) == t);
  CHECK(makeRecordId(-5, lo) == makeRecordId(0, lo));  // a pre-epoch clock clamps, never wraps
}

TEST_CASE("hlcTick is strictly increasing and follows the wall clock", "[ids]") {
  int64_t t = 1767225600000;
  CHECK(hlcTick(0, t) == hlcMake(t, 0));
  // Wall clock ahead of the last reading: take the wall time, counter 0.
  CHECK(hlcTick(hlcMake(t, 5), t + 1) == hlcMake(t + 1, 0));
  // Same ms or a clock that went back: bump the counter.
  CHECK(hlcTick(hlcMake(t, 5), t) == hlcMake(t, 6));
  CHECK(hlcTick(hlcMake(t, 5), t - 60000) == hlcMake(t, 6));
  // Counter overflow carries into the ms part; still strictly greater.
  Hlc full = hlcMake(t, 0xffff);
  CHECK(hlcTick(full, t) == hlcMake(t + 1, 0));
  CHECK(hlcTick(full, t) > full);
  CHECK(hlcMs(hlcMake(t, 0xffff)) == t);
  // A frozen clock over many ticks.
  Hlc h = 0;
  for (int i = 0; i < 200000; i++) {
    Hlc n = hlcTick(h, t);
    REQUIRE(n > h);
    h = n;
  }
  CHECK(hlcMs(h) > t);  // 200000 ticks do not fit one ms's counter
}

TEST_CASE("dates parse and format as proleptic Gregorian days", "[ids]") {
  CHECK(parseDate("1970-01-01") == 0);
  CHECK(parseDate("1970-01-02") == 1);
  CHECK(parseDate("1969-12-31") == -1);
  CHECK(parseDate("2000-03-01") == 11017);
  CHECK(formatDate(0) == "1970-01-01");
  CHECK(formatDate(-1) == "1969-12-31");
  CHECK(formatDate(20454) == "2026-01-01");
  // Every day from 1900 to 2200 round trips, and consecutive days differ by one.
  int64_t first = *parseDate("1900-01-01"), last = *parseDate("2199-12-31");
  for (int64_t d = first; d <= last; d++) {
    std::string s = formatDate(d);
    auto back = parseDate(s);
    REQUIRE(back);
    REQUIRE(*back == d);
  }
  CHECK(last - first + 1 == 300 * 365 + 73);  // 73 leap days in 1900..2199
}

TEST_CASE("parseDate refuses impossible or malformed dates", "[ids]") {
  CHECK(parseDate("2024-02-29"));
  CHECK(parseDate("2000-02-29"));
  CHECK_FALSE(parseDate("2026-02-29"));
  CHECK_FALSE(parseDate("1900-02-29"));  // century, not a leap year
  CHECK_FALSE(parseDate("2100-02-29"));
  CHECK_FALSE(parseDate("2026-04-31"));
  CHECK_FALSE(parseDate("2026-13-01"));
  CHECK_FALSE(parseDate("2026-00-10"));
  CHECK_FALSE(parseDate("2026-01-00"));
  CHECK_FALSE(parseDate("2026-01-32"));
  CHECK_FALSE(parseDate("1899-12-31"));
  CHECK_FALSE(parseDate("2026-1-05"));
  CHECK_FALSE(parseDate("2026-01-5"));
  CHECK_FALSE(parseDate("2026/01/05"));
  CHECK_FALSE(parseDate("20260105"));
  CHECK_FALSE(parseDate("2026-01-05 "));
  CHECK_FALSE(parseDate("2026-0a-05"));
  CHECK_FALSE(parseDate("+026-01-05"));
  CHECK_FALSE(parseDate("-026-01-05"));
  CHECK_FALSE(parseDate(""));
}

TEST_CASE("formatTimeMs prints UTC with whole seconds", "[ids]") {
  CHECK(formatTimeMs(0) == "1970-01-01T00:00:00Z");
  CHECK(formatTimeMs(999) == "1970-01-01T00:00:00Z");
  CHECK(formatTimeMs(1767225600000 + 3723000) == "2026-01-01T01:02:03Z");
  CHECK(formatTimeMs(-1) == "1969-12-31T23:59:59Z");
  CHECK(formatTimeMs(-1000) == "1969-12-31T23:59:59Z");
  CHECK(formatTimeMs(-1001) == "1969-12-31T23:59:58Z");
  CHECK(formatTimeMs(-86400000) == "1969-12-31T00:00:00Z");
}
