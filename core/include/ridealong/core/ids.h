// Identifiers and clocks shared by every record and change.
//  - RecordId / ActorId: 16 bytes, printed as 26 Crockford base32 characters.
//    Record ids are time-ordered (48-bit ms + 80 random bits).
//  - Hlc: hybrid logical clock, 48-bit wall ms + 16-bit counter in one u64.
//  - Stamp: (hlc, actor, seq) of the change that wrote a value; the LWW order.
// Plain values; thread-safe.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ridealong::core {

struct Id16 {
  std::array<uint8_t, 16> bytes{};
  auto operator<=>(const Id16&) const = default;
  bool isZero() const;
  std::string str() const;  // 26-char Crockford base32
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes.data()), 16}; }
  static Id16 fromBytes(const void* p);
  // Accepts Crockford base32 (case-insensitive; I/L read as 1, O as 0).
  static std::optional<Id16> parse(std::string_view text);
};

using RecordId = Id16;
using ActorId = Id16;

// Makes a time-ordered record id from a wall time and 10 random bytes.
RecordId makeRecordId(int64_t wallMs, const uint8_t random10[10]);

using Hlc = uint64_t;
inline Hlc hlcMake(int64_t ms, uint16_t counter) { return (static_cast<uint64_t>(ms) << 16) | counter; }
inline int64_t hlcMs(Hlc h) { return static_cast<int64_t>(h >> 16); }
// Next local clock reading: strictly greater than `last`, at least `wallMs`.
Hlc hlcTick(Hlc last, int64_t wallMs);

struct Stamp {
  Hlc hlc = 0;
  ActorId actor;
  uint64_t seq = 0;
  // LWW order: hlc first, then actor bytes. seq only breaks exact ties
  // inside one actor, which cannot happen for distinct changes.
  auto operator<=>(const Stamp&) const = default;
};

// "2026-01-05" <-> days since the epoch; the calendar dates of action items.
std::optional<int64_t> parseDate(std::string_view ymd);
std::string formatDate(int64_t daysSinceEpoch);
// Milliseconds -> "2026-01-05T10:20:30Z".
std::string formatTimeMs(int64_t ms);

}  // namespace ridealong::core
