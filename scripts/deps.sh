#!/usr/bin/env bash
# Installs the Debian packages Ridealong builds with (as root, or via sudo),
# only if some are missing. Everything comes from Debian; nothing is vendored.
# Extra packages for one script (scripts/fuzz.sh: clang) go as arguments.
set -euo pipefail
PACKAGES=(
  cmake ninja-build g++ pkg-config
  liblmdb-dev capnproto libcapnp-dev libsodium-dev libzstd-dev libxxhash-dev libssl-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  catch2
  libimgui-dev libstb-dev libglfw3-dev libgl-dev fonts-inter
  xvfb xauth libgl1-mesa-dri
  faketime
  dpkg-dev file  # cpack -G DEB (packaging/): dpkg-shlibdeps computes Depends; file finds the binaries
  clang-format   # scripts/format.sh (the CI checks the style)
  "$@"
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
