#!/usr/bin/env bash
# Renders every screen of the desktop app on a fresh demo notebook, with a
# real GL context under Xvfb, into docs/screenshots/:
#   <screen>.png            1280x800, a laptop
#   tablet/<screen>-landscape.png   1024x768, touch mode
#   tablet/<screen>-portrait.png    768x1024, touch mode
# The ride-along is shown during a call (started with ridealong-cli).
# Usage: scripts/screenshots.sh [OUT_DIR]    (BUILD_DIR=build by default)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
out="${1:-docs/screenshots}"
app="./$build/gui/shell/ridealong"
cli="./$build/cli/ridealong-cli"

command -v xvfb-run >/dev/null || bash scripts/deps.sh
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target ridealong ridealong-cli

data="$(mktemp -d /tmp/ridealong-screens-XXXXXX)"
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
"$cli" --data "$data" demo >/dev/null

# shot SCREEN SIZE FILE [--touch]
shot() {
  xvfb-run -a -s "-screen 0 2000x1200x24" "$app" --data "$data" \
    --screenshot "$3" --screen "$1" --size "$2" ${4:-}
}
# Every size of one screen (touch mode is kept in the notebook's settings
# once set, so the desktop shot goes first and turns it off again).
shots() {
  echo '{"touchMode": false}' >"$data/gui_settings.json"
  shot "$1" 1280x800 "$out/$1.png"
  shot "$1" 1024x768 "$out/tablet/$1-landscape.png" --touch
  shot "$1" 768x1024 "$out/tablet/$1-portrait.png" --touch
}
mkdir -p "$out/tablet"

# The same names as `ridealong --help` lists for --screen.
for screen in today team rep debrief actions search trash sync settings; do
  shots "$screen"
done

# A call with the first rep, started 12 minutes ago, with a few captures.
rep="$("$cli" --data "$data" rep list --json | grep -m1 '"id"' | sed 's/.*"id": *"\([^"]*\)".*/\1/')"
start=$(( $(date +%s) * 1000 - 12 * 60 * 1000 ))
call="$("$cli" --data "$data" session new --rep "$rep" --type developmental --area skills \
  --customer "Harbour Foods" --objective "Agree a pilot with the operations lead" --start "$start" | head -1)"
"$cli" --data "$data" observe --session "$call" --skill "Discovery questions" --kind strength \
  --text "Opened with the customer's own numbers" >/dev/null
"$cli" --data "$data" observe --session "$call" --skill "Active listening" --kind improve \
  --text "Talked over the buyer twice" --rating 2 >/dev/null
"$cli" --data "$data" observe --session "$call" --skill "Next-step setting" --kind strength \
  --text "Booked the follow-up in the room" --rating 4 >/dev/null
shots ride-along
