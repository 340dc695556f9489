#!/usr/bin/env bash
# Quick start: install, build, and open the Ridealong desktop app on a demo
# notebook. Usage: scripts/run.sh [DATA_DIR]   (default: a new notebook under /tmp)
# Without a display (a server, a container) it renders the Today screen to a
# PNG with Xvfb instead and prints where, so the command still shows the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
data="${1:-$(mktemp -d /tmp/ridealong-demo-XXXXXX)}"
app=./build/gui/shell/ridealong
echo "== Ridealong on the demo notebook in $data"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" --data "$data" --demo
fi
png="$data/today.png"
echo "No display here: rendering the Today screen with Xvfb to $png"
xvfb-run -a -s "-screen 0 1400x900x24" "$app" --data "$data" --demo --no-sync \
  --screenshot "$png" --screen today --size 1280x800
echo "Open $png to see it; on a desktop run: $app --data $data"
echo "The command line works without a display: ./build/cli/ridealong-cli --data $data --help"
