#!/usr/bin/env bash
# Quick start: install, build, and run Ridealong on a fresh demo notebook.
# Usage: scripts/run.sh [DATA_DIR]   (default: a new notebook under /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
data="${1:-$(mktemp -d /tmp/ridealong-demo-XXXXXX)}"
cli=./build/cli/ridealong-cli
echo "== Demo notebook in $data"
"$cli" --data "$data" demo --reps 8 --weeks 12
echo
echo "== Reps"
"$cli" --data "$data" rep list
echo
echo "Try: $cli --data $data --help"
