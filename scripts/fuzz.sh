#!/usr/bin/env bash
# Builds the libFuzzer targets (Clang, ASan+UBSan) into ./build-fuzz and runs
# each for a while; see docs/protocol.md, "Fuzzing".
#
#   bash scripts/fuzz.sh [relay|change|sealed]   # default: all four
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh relay   # per target (default 60)
#   FUZZ_RUNS=20000 bash scripts/fuzz.sh          # a fixed number of inputs
#                                                 # per target, seed 1 (CI)
#
# Each target's corpus is build-fuzz/corpus/<target> (kept between runs),
# topped up every run with the target's seeds and its regression inputs
# (tests/sync/fuzz_regressions/<target>-*.bin). Crashing inputs land in
# build-fuzz/artifacts/<target>-*; they are listed at the end (exit 1) and
# belong in tests/sync/fuzz_regressions/ as <target>-<what>.bin, which the
# Catch2 driver (tests/sync/fuzz_test.cc) replays on every test run.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(relay tls change sealed)
case "${1:-}" in
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  relay|tls|change|sealed) TARGETS=("$1") ;;
  *) echo "unknown target '$1' (relay, tls, change or sealed; --help)" >&2; exit 2 ;;
esac
SECONDS_EACH="${FUZZ_SECONDS:-60}"
BUILD=build-fuzz
# Repeatable when counted: the same inputs from the same seed every time.
if [ -n "${FUZZ_RUNS:-}" ]; then
  LIMIT=(-runs="$FUZZ_RUNS" -seed=1)
  HOW_LONG="$FUZZ_RUNS inputs"
else
  LIMIT=(-max_total_time="$SECONDS_EACH")
  HOW_LONG="${SECONDS_EACH}s"
fi

bash scripts/deps.sh clang libclang-rt-14-dev

CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRIDEALONG_LIBFUZZER=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]/#/ridealong-fuzz-}"

mkdir -p "$BUILD/artifacts"
stamp="$BUILD/artifacts/.run-started"
touch "$stamp"
failed=()
for t in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$t"
  mkdir -p "$corpus"
  for f in tests/sync/fuzz_regressions/"$t"-*.bin; do
    if [ -e "$f" ]; then cp "$f" "$corpus/"; fi
  done
  echo "== fuzz $t for $HOW_LONG" >&2
  # The target writes its seeds into the corpus before libFuzzer reads it.
  RIDEALONG_FUZZ_SEED_DIR="$corpus" "$BUILD/tests/fuzz/ridealong-fuzz-$t" "$corpus" \
    "${LIMIT[@]}" -artifact_prefix="$BUILD/artifacts/$t-" \
    -print_final_stats=1 || { echo "== fuzz $t stopped (exit $?)" >&2; failed+=("$t"); }
done

# This run's artifacts only (older ones stay where they are).
found=()
for t in "${TARGETS[@]}"; do
  while IFS= read -r f; do found+=("$f"); done \
    < <(find "$BUILD/artifacts" -maxdepth 1 -name "$t-*" -newer "$stamp" | sort)
done
if ((${#found[@]})); then
  echo >&2
  echo "Crashing inputs (replay one: $BUILD/tests/fuzz/ridealong-fuzz-<target> FILE):" >&2
  printf '  %s\n' "${found[@]}" >&2
  echo "Keep each as tests/sync/fuzz_regressions/<target>-<what>.bin (target: relay," >&2
  echo "change or sealed) once understood; tests/sync/fuzz_test.cc replays them." >&2
  exit 1
fi
if ((${#failed[@]})); then
  echo "Fuzzing stopped early without a crash input: ${failed[*]} (see the output above)" >&2
  exit 1
fi
echo "No crashes." >&2
