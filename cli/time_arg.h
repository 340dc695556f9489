// Parsing of the times and dates users type on the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ridealong::cli {

// "1767225606771" (ms since epoch), "2026-01-05", "2026-01-05T10:20",
// "2026-01-05T10:20:30[.123]" with an optional "Z" or "+02:00" offset (no
// offset = UTC; a space may replace the T). Milliseconds since the epoch.
std::optional<int64_t> parseTimeArg(std::string_view text);

}  // namespace ridealong::cli
