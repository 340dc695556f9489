#!/usr/bin/env bash
# A large notebook through a real relay, as the user runs it: whole cold
# `ridealong-cli` processes on the real disk. Device A generates the demo
# notebook (200 reps, 5,000 sessions, 20 observations each: 110,560
# changes), creates a space and pushes it all; device B joins and pulls it
# all. Reports push and pull wall time, the bytes on the wire each way
# (through a counting loopback proxy, in a separate pull so the proxy costs
# no time in the timed one), and the store sizes on the relay and the
# devices (disk blocks used, `du`).
#   bench/sync_notebook.sh [BUILD_DIR] [SCRATCH_DIR]
set -euo pipefail
build="$(cd "${1:-build}" && pwd)"
scratch="$(mktemp -d "${2:-${TMPDIR:-/tmp}}/sync_notebook.XXXXXX")"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$scratch"' EXIT
cli="$build/cli/ridealong-cli"
relay_bin="$build/sync/relay/ridealong-relay"
here="$(cd "$(dirname "$0")" && pwd)"

# A relay of this build or an older one (before sign-up tokens and TLS).
signup=()
"$relay_bin" --help | grep -q -- --open-signup && signup=(--open-signup)
"$relay_bin" --listen 127.0.0.1:0 --data "$scratch/relay" "${signup[@]}" >"$scratch/relay.log" 2>&1 &
for _ in $(seq 300); do
  port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$scratch/relay.log" | grep -oE '[0-9]+$' || true)
  [ -n "$port" ] && break
  sleep 0.02
done
[ -n "$port" ] || { echo "relay did not start" >&2; exit 1; }
ms() { date +%s%3N; }

"$cli" --data "$scratch/a" demo --reps 200 --sessions 5000 --observations-per-session 20 >/dev/null 2>&1
changes=$("$cli" --data "$scratch/a" changes vv | python3 -c 'import json,sys; print(sum(json.load(sys.stdin).values()))')
code=$("$cli" --data "$scratch/a" space create --relay "127.0.0.1:$port" 2>/dev/null)
t0=$(ms); "$cli" --data "$scratch/a" sync >/dev/null; t1=$(ms)
"$cli" --data "$scratch/b" init >/dev/null 2>&1
"$cli" --data "$scratch/b" space join "$code" 2>/dev/null
t2=$(ms); "$cli" --data "$scratch/b" sync >/dev/null; t3=$(ms)

# The same pull again on a fresh device, through the counting proxy.
proxy_port=$((port + 1))
python3 "$here/count_proxy.py" "$proxy_port" "$port" "$scratch/counts" &
sleep 0.5
"$cli" --data "$scratch/c" init >/dev/null 2>&1
"$cli" --data "$scratch/c" space join "$code" 2>/dev/null
python3 - "$scratch/c/space.json" "$proxy_port" <<'PY'
import json, sys
p = sys.argv[1]; j = json.load(open(p)); j["relay"] = "127.0.0.1:" + sys.argv[2]; json.dump(j, open(p, "w"))
PY
"$cli" --data "$scratch/c" sync >/dev/null
read -r up down <"$scratch/counts"

kb() { du -sk "$1" | cut -f1; }
echo "changes:            $changes"
echo "push (cold CLI):    $((t1 - t0)) ms"
echo "pull (cold CLI):    $((t3 - t2)) ms"
echo "pull wire down:     $down bytes ($((down / changes)) B/change), up $up bytes"
echo "relay store:        $(kb "$scratch/relay") KiB ($(( $(kb "$scratch/relay") * 1024 / changes )) B/change)"
echo "device store (A):   $(kb "$scratch/a") KiB ($(( $(kb "$scratch/a") * 1024 / changes )) B/change)"
echo "device store (B):   $(kb "$scratch/b") KiB ($(( $(kb "$scratch/b") * 1024 / changes )) B/change)"
