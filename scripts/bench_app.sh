#!/usr/bin/env bash
# Desktop app figures for docs/benchmarks.md (issue 4 §6), under Xvfb on the
# benchmark notebook (200 reps, 5,000 sessions, 100,000 observations):
#   cold start: process start -> first frame drawn (glFinish + swap), --timing
#   idle: 10 s with no input after the first frame: frames drawn, CPU used
# Usage: scripts/bench_app.sh [NOTEBOOK_DIR] [RUNS]   (BUILD_DIR=build by default)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
data="${1:-/tmp/ridealong-bench-app}"
runs="${2:-9}"
app="./$build/gui/shell/ridealong"
cli="./$build/cli/ridealong-cli"
xvfb=(xvfb-run -a -s "-screen 0 1400x900x24")

if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target ridealong ridealong-cli >/dev/null
if [ ! -d "$data" ]; then
  "$cli" --data "$data" demo --reps 200 --weeks 26 --sessions 5000 --observations-per-session 20 | tail -1
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== cold start ($runs runs; the first warms the page cache)"
"${xvfb[@]}" "$app" --data "$data" --no-sync --idle-report 0 >/dev/null 2>&1
for _ in $(seq "$runs"); do
  "${xvfb[@]}" "$app" --data "$data" --no-sync --timing --idle-report 0 2>&1 >/dev/null | grep "first frame"
done | tee /tmp/ridealong-bench-cold.txt
sed -n 's/.*first frame \([0-9.]*\) ms after process start.*/\1/p' /tmp/ridealong-bench-cold.txt | sort -n |
  awk '{v[NR]=$1} END {printf "cold start ms: min %.0f, median %.0f, max %.0f (target <= 300)\n", v[1], v[int((NR+1)/2)], v[NR]}'

echo "== idle 10 s, no input (3 runs)"
for _ in 1 2 3; do
  "${xvfb[@]}" "$app" --data "$data" --no-sync --idle-report 10
done
echo "(target: <= 5 frames, <= 1% CPU)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
