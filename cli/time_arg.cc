// Parsing of user-typed times: plain milliseconds or ISO 8601 (UTC default).
#include "time_arg.h"

#include <charconv>

#include "ridealong/core/ids.h"

namespace ridealong::cli {

namespace {

// Reads exactly `digits` decimal digits at `pos`.
std::optional<int> readNum(std::string_view s, size_t& pos, size_t digits) {
  if (pos + digits > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < digits; i++) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += digits;
  return v;
}

}  // namespace

std::optional<int64_t> parseTimeArg(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    int64_t ms = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return ms;
  }
  if (text.size() < 10) return std::nullopt;
  auto days = core::parseDate(text.substr(0, 10));
  if (!days) return std::nullopt;
  int64_t ms = *days * 86400000;
  size_t pos = 10;
  if (pos == text.size()) return ms;
  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
  pos++;
  auto hh = readNum(text, pos, 2);
  if (!hh || pos >= text.size() || text[pos] != ':') return std::nullopt;
  pos++;
  auto mm = readNum(text, pos, 2);
  if (!mm || *hh > 23 || *mm > 59) return std::nullopt;
  int sec = 0, milli = 0;
  if (pos < text.size() && text[pos] == ':') {
    pos++;
    auto ss = readNum(text, pos, 2);
    if (!ss || *ss > 59) return std::nullopt;
    sec = *ss;
    if (pos < text.size() && text[pos] == '.') {
      pos++;
      // Up to millisecond precision; extra digits are ignored.
      int scale = 100, digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (scale > 0) milli += (text[pos] - '0') * scale;
        scale /= 10;
        pos++;
        digits++;
      }
      if (digits == 0) return std::nullopt;
    }
  }
  ms += (*hh * 3600LL + *mm * 60LL + sec) * 1000 + milli;
  if (pos == text.size()) return ms;
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) return ms;
  if (text[pos] == '+' || text[pos] == '-') {
    int sign = text[pos] == '+' ? 1 : -1;
    pos++;
    auto oh = readNum(text, pos, 2);
    if (!oh) return std::nullopt;
    int om = 0;
    if (pos < text.size() && text[pos] == ':') pos++;
    if (pos < text.size()) {
      auto m = readNum(text, pos, 2);
      if (!m) return std::nullopt;
      om = *m;
    }
    if (pos != text.size() || *oh > 23 || om > 59) return std::nullopt;
    return ms - sign * (*oh * 3600000LL + om * 60000LL);
  }
  return std::nullopt;
}

}  // namespace ridealong::cli
