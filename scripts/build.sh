#!/usr/bin/env bash
# Configures and builds into ./build (Release with debug info by default).
# WERROR=1 makes compiler warnings errors (the CI's build; RIDEALONG_WERROR).
set -euo pipefail
cd "$(dirname "$0")/.."
werror=OFF
if [ "${WERROR:-0}" = 1 ]; then werror=ON; fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DRIDEALONG_WERROR="$werror" >/dev/null
cmake --build build -j"$(nproc)"
