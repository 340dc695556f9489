#include "ridealong/core/ids.h"

#include <cctype>
#include <cstring>
#include <ctime>

namespace ridealong::core {

namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

struct DecodeTable {
  int8_t v[256];
  DecodeTable() {
    for (auto& x : v) x = -1;
    for (int i = 0; i < 32; i++) {
      v[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
      v[static_cast<uint8_t>(std::tolower(kAlphabet[i]))] = static_cast<int8_t>(i);
    }
    for (char c : {'O', 'o'}) v[static_cast<uint8_t>(c)] = 0;
    for (char c : {'I', 'i', 'L', 'l'}) v[static_cast<uint8_t>(c)] = 1;
  }
};
const DecodeTable kDecode;

int decodeChar(char c) { return kDecode.v[static_cast<uint8_t>(c)]; }
}  // namespace

bool Id16::isZero() const {
  for (auto b : bytes)
    if (b) return false;
  return true;
}

// 128 bits as 26 base32 digits, most significant first (the first digit
// carries the top 3 bits, as in ULID).
std::string Id16::str() const {
  std::string out(26, '0');
  int bit = 130;  // 26*5 bits, top 2 are zero
  for (int i = 0; i < 26; i++) {
    int v = 0;
    for (int k = 0; k < 5; k++) {
      bit--;
      v <<= 1;
      if (bit < 128) {
        int byte = 15 - bit / 8, off = bit % 8;
        v |= (bytes[byte] >> off) & 1;
      }
    }
    out[i] = kAlphabet[v];
  }
  return out;
}

Id16 Id16::fromBytes(const void* p) {
  Id16 id;
  std::memcpy(id.bytes.data(), p, 16);
  return id;
}

std::optional<Id16> Id16::parse(std::string_view text) {
  if (text.size() != 26) return std::nullopt;
  int first = decodeChar(text[0]);
  if (first < 0 || first > 7) return std::nullopt;
  // 26 digits carry 130 bits; the first digit is at most 7, so the value
  // fits in 128 bits.
  unsigned __int128 acc = 0;
  for (char c : text) {
    int v = decodeChar(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 5) | static_cast<unsigned>(v);
  }
  Id16 id;
  for (int i = 15; i >= 0; i--) {
    id.bytes[i] = static_cast<uint8_t>(acc);
    acc >>= 8;
  }
  return id;
}

RecordId makeRecordId(int64_t wallMs, const uint8_t random10[10]) {
  RecordId id;
  uint64_t ms = static_cast<uint64_t>(wallMs < 0 ? 0 : wallMs);
  for (int i = 0; i < 6; i++) id.bytes[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  std::memcpy(id.bytes.data() + 6, random10, 10);
  return id;
}

Hlc hlcTick(Hlc last, int64_t wallMs) {
  Hlc candidate = hlcMake(wallMs, 0);
  if (candidate > last) return candidate;
  return last + 1;  // counter overflow simply carries into the ms part
}

// Howard Hinnant's days_from_civil / civil_from_days.
static int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](size_t pos, size_t len) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + len; i++) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int maxd = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > maxd) return std::nullopt;
  return daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string formatDate(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y0 = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = y0 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string formatTimeMs(int64_t ms) {
  int64_t secs = ms / 1000;
  if (ms < 0 && ms % 1000) secs--;
  int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days--;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", formatDate(days).c_str(), static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return buf;
}

}  // namespace ridealong::core
