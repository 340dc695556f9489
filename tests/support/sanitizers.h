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
#if defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderTsan = true;
#else
inline constexpr bool kUnderTsan = false;
#endif
// A process's RSS says how much memory it uses: not under ASan or TSan,
// whose shadow memory (and ASan's quarantine) add hundreds of MiB.
inline constexpr bool kRssMeaningful = !kUnderAsan && !kUnderTsan;

}  // namespace ridealong::testing
