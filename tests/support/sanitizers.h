// Whether this test binary (and the programs it starts, built the same
// way: scripts/sanitize.sh) runs under a sanitizer, for the few checks
// that measure memory or exhaust resources a sanitizer's runtime changes.
#pragma once

namespace ridealong::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderAsan = true;
#else
inline constexpr bool kUnderAsan = false;
#endif

}  // namespace ridealong::testing
