#!/usr/bin/env bash
# Builds the tests with sanitizers (gcc) and runs them with CTest
# (docs/testing.md, "Sanitizers"):
#
#   bash scripts/sanitize.sh asan   # ASan + UBSan into ./build-asan; every test
#   bash scripts/sanitize.sh tsan   # TSan into ./build-tsan; the tests labelled
#                                   # `threads` (several threads or processes), not `slow`
#   bash scripts/sanitize.sh asan -R 'merge'   # more arguments go to ctest
#
# Any report fails its test: ASan and UBSan stop at the first error
# (halt_on_error, -fno-sanitize-recover), TSan exits 66 after a race, and the
# programs the tests start (ridealong-cli, ridealong-relay, ridealong) are
# built and checked the same way. Suppressions of reports that belong to
# system libraries are in tests/sanitizers/*.supp, each with its reason.
# The build is -O1 with line tables (fast to build, tests run at a useful
# speed) and skips the benchmarks; libstdc++'s own checks are on under ASan.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  asan)
    BUILD=build-asan
    CONFIG=(-DRIDEALONG_SANITIZE=address,undefined -DCMAKE_CXX_FLAGS=-D_GLIBCXX_ASSERTIONS)
    SELECT=()
    ;;
  tsan)
    BUILD=build-tsan
    # The windowed app has no threads of its own to check (its model is
    # tested in gui_tests) and needs Mesa, which TSan does not see into.
    CONFIG=(-DRIDEALONG_SANITIZE=thread -DRIDEALONG_BUILD_APP=OFF)
    # The threaded tests that are not [slow]: TSan makes the 100,000-record
    # imports and the minute-long partition run take many minutes each;
    # the same helper threads run in the smaller imports, and the slow
    # tests run in the normal and ASan stages.
    SELECT=(-L threads -LE slow)
    ;;
  *) echo "usage: $0 asan|tsan [ctest arguments] (--help)" >&2; exit 2 ;;
esac
shift

bash scripts/deps.sh
LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Sanitize \
  -DCMAKE_C_FLAGS_SANITIZE="-O1 -g1" -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" \
  -DRIDEALONG_BUILD_BENCH=OFF "${LAUNCHER[@]}" "${CONFIG[@]}" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

supp="$PWD/tests/sanitizers"
# ASan: libfaketime (the wrong-clock tests) is preloaded ahead of ASan's
# runtime, which is harmless for the checks but ASan refuses it by default.
# Leaks are checked (LeakSanitizer is on by default), except in the windowed
# app under Xvfb (gui/shell/main.cc says why).
export ASAN_OPTIONS="halt_on_error=1:verify_asan_link_order=0:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp:print_suppressions=0"

RUN=()
if [ "$BUILD" = build-tsan ] && ! "$BUILD/tests/platform_tests" --list-test-names-only >/dev/null 2>&1; then
  # Kernels with more address-space randomisation than gcc 12's TSan knows
  # ("unexpected memory mapping"): run the tests without it.
  RUN=(setarch "$(uname -m)" -R)
fi
"${RUN[@]}" ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" --timeout 1800 "${SELECT[@]}" "$@"
