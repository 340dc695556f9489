#!/usr/bin/env bash
# shellcheck disable=SC2016  # the unit's literal $RIDEALONG_RELAY_ARGS is matched in single quotes
# Usage: check_debs.sh BUILD_DIR
#
# Makes the Debian packages from a built tree (cpack -G DEB, into a temporary
# directory; cpack with Ninja installs what is built and builds nothing) and
# checks what they hold:
#   ridealong-relay  the relay (it runs: --help, --print-key, and started with
#                    the unit's own ExecStart flags it serves /healthz and
#                    stops cleanly on SIGTERM), its systemd unit (accepted by
#                    systemd-analyze verify when there is one), the
#                    /etc/default file as a conffile, maintainer scripts that
#                    parse as POSIX sh; Depends from dpkg-shlibdeps
#   ridealong        the CLI, the desktop app (unless built without it) and
#                    its desktop entry
# Nothing is installed on the machine. Registered with CTest in
# packaging/CMakeLists.txt. Needs cpack, dpkg-deb, dpkg-shlibdeps (dpkg-dev)
# and file.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1/CPackConfig.cmake" ]; then
  echo "usage: $0 BUILD_DIR (a configured and built tree with CPackConfig.cmake)" >&2
  exit 2
fi
build=$(cd "$1" && pwd)

for tool in cpack dpkg-deb dpkg-shlibdeps file; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check_debs: $tool is missing (packages cmake, dpkg, dpkg-dev, file: bash scripts/deps.sh)" >&2
    exit 1
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ridealong-debs.XXXXXX")
relay_pid=""
cleanup() {
  if [ -n "$relay_pid" ]; then kill -KILL "$relay_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
ok() { echo "ok: $*"; }

version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
arch=$(dpkg --print-architecture)
with_app=1
if grep -q '^RIDEALONG_BUILD_APP:BOOL=OFF' "$build/CMakeCache.txt"; then with_app=0; fi

# --- cpack ---------------------------------------------------------------
start=$SECONDS
if ! (cd "$build" && cpack -G DEB -B "$work/out") >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  echo "FAIL: cpack -G DEB failed (are the binaries built? cmake --build $build)" >&2
  exit 1
fi
ok "cpack -G DEB ($((SECONDS - start)) s)"

relay_deb="$work/out/ridealong-relay_${version}_${arch}.deb"
app_deb="$work/out/ridealong_${version}_${arch}.deb"
mapfile -t debs < <(cd "$work/out" && ls -- *.deb)
if [ "${#debs[@]}" -ne 2 ] || [ ! -f "$relay_deb" ] || [ ! -f "$app_deb" ]; then
  fail "expected exactly ridealong-relay_${version}_${arch}.deb and ridealong_${version}_${arch}.deb, got: ${debs[*]}"
  exit 1
fi
ok "two packages: ${debs[*]} ($(du -k "$relay_deb" | cut -f1) KiB, $(du -k "$app_deb" | cut -f1) KiB)"

# --- helpers -----------------------------------------------------------
# unpack DEB NAME: data into $work/NAME/root, control into $work/NAME/DEBIAN
unpack() {
  local deb=$1 name=$2
  mkdir -p "$work/$name/root" "$work/$name/DEBIAN"
  dpkg-deb -I "$deb" >/dev/null || fail "$name: dpkg-deb -I cannot read $deb"
  dpkg-deb -x "$deb" "$work/$name/root"
  dpkg-deb -e "$deb" "$work/$name/DEBIAN"
}
field() { dpkg-deb -f "$1" "$2"; }
expect_field() {  # DEB FIELD VALUE
  local got
  got=$(field "$1" "$2")
  if [ "$got" = "$3" ]; then ok "$(basename "$1"): $2: $3"; else fail "$(basename "$1"): $2 is '$got', expected '$3'"; fi
}
expect_depends() {  # DEB PATTERN (an extended regex on one dependency)
  local deps
  deps=$(field "$1" Depends)
  if tr ',' '\n' <<<"$deps" | sed 's/^ *//' | grep -Eq "^($2)"; then
    ok "$(basename "$1"): Depends has $2"
  else
    fail "$(basename "$1"): Depends lacks $2: $deps"
  fi
}
expect_exe() {  # ROOT PATH
  if [ -f "$1/$2" ] && [ -x "$1/$2" ]; then ok "/$2 is an executable"; else fail "/$2 missing or not executable"; fi
}
expect_file() {  # ROOT PATH
  if [ -f "$1/$2" ]; then ok "/$2 is there"; else fail "/$2 missing"; fi
}
expect_root_owned() {  # DEB
  local others
  others=$(dpkg-deb -c "$1" | awk '$2 != "root/root"')
  if [ -z "$others" ]; then ok "$(basename "$1"): every file is root/root"; else fail "$(basename "$1"): not root/root: $others"; fi
}

# --- ridealong-relay ---------------------------------------------------------
unpack "$relay_deb" relay
r="$work/relay/root"
expect_field "$relay_deb" Package ridealong-relay
expect_field "$relay_deb" Version "$version"
expect_field "$relay_deb" Architecture "$arch"
expect_depends "$relay_deb" 'libcapnp'
expect_depends "$relay_deb" 'libssl3'
expect_depends "$relay_deb" 'adduser'
expect_root_owned "$relay_deb"
expect_exe "$r" usr/bin/ridealong-relay
expect_file "$r" lib/systemd/system/ridealong-relay.service
expect_file "$r" etc/default/ridealong-relay
if [ -e "$r/usr/bin/ridealong-cli" ] || [ -e "$r/usr/bin/ridealong" ]; then
  fail "the relay package holds the CLI or the app"
fi
if grep -qx /etc/default/ridealong-relay "$work/relay/DEBIAN/conffiles" 2>/dev/null; then
  ok "/etc/default/ridealong-relay is a conffile"
else
  fail "/etc/default/ridealong-relay is not listed in conffiles"
fi
for script in postinst prerm postrm; do
  s="$work/relay/DEBIAN/$script"
  if [ ! -f "$s" ]; then fail "maintainer script $script missing"; continue; fi
  [ -x "$s" ] || fail "$script is not executable"
  [ "$(head -n1 "$s")" = "#!/bin/sh" ] || fail "$script does not start with #!/bin/sh"
  grep -qx 'set -e' "$s" || fail "$script has no 'set -e'"
  if sh -n "$s"; then ok "$script parses (sh -n)"; else fail "$script: sh -n"; fi
  if command -v dash >/dev/null 2>&1 && ! dash -n "$s"; then fail "$script: dash -n"; fi
  if command -v shellcheck >/dev/null 2>&1; then
    if shellcheck -s sh "$s" >&2; then ok "$script passes shellcheck -s sh"; else fail "$script: shellcheck"; fi
  fi
done
grep -q 'adduser --system' "$work/relay/DEBIAN/postinst" || fail "postinst does not create the system user"
grep -q '/run/systemd/system' "$work/relay/DEBIAN/postinst" || fail "postinst does not check for a running systemd"

unit="$r/lib/systemd/system/ridealong-relay.service"
if [ -f "$unit" ]; then
  for line in 'User=ridealong' 'Group=ridealong' 'StateDirectory=ridealong-relay' 'StateDirectoryMode=0700' \
              'EnvironmentFile=-/etc/default/ridealong-relay' 'KillSignal=SIGTERM' 'Restart=on-failure' \
              'LimitNOFILE=65536' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' \
              'PrivateTmp=yes' 'PrivateDevices=yes' 'WantedBy=multi-user.target'; do
    grep -qx "$line" "$unit" || fail "the unit lacks $line"
  done
  exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
  case "$exec_start" in
    "/usr/bin/ridealong-relay --data /var/lib/ridealong-relay "*' $RIDEALONG_RELAY_ARGS') ok "ExecStart: $exec_start" ;;
    *) fail "ExecStart is '$exec_start'" ;;
  esac
  if command -v systemd-analyze >/dev/null 2>&1 && [ -d /lib/systemd/system ]; then
    # A root holding the package and the host's units (sysinit.target...),
    # so the ExecStart binary is the packaged one. verify exits 0 on unknown
    # keys and bad values, printing them: any line about the unit fails.
    vroot="$work/verify-root"
    mkdir -p "$vroot/usr/lib/systemd"
    cp -a "$r/." "$vroot/"
    cp -a /lib/systemd/system/. "$vroot/usr/lib/systemd/system/"
    cp "$unit" "$vroot/usr/lib/systemd/system/ridealong-relay.service"
    verify_rc=0
    (cd "$work" && systemd-analyze verify --root="$vroot" "$vroot/lib/systemd/system/ridealong-relay.service") \
      >"$work/verify.log" 2>&1 || verify_rc=$?
    if [ "$verify_rc" -eq 0 ] && ! grep -q 'ridealong-relay' "$work/verify.log"; then
      ok "systemd-analyze verify accepts the unit"
    else
      cat "$work/verify.log" >&2
      fail "systemd-analyze verify (exit $verify_rc)"
    fi
  else
    echo "skip: systemd-analyze verify (no systemd-analyze)"
  fi
fi
if grep -q '^#RIDEALONG_RELAY_ARGS=.*--cert' "$r/etc/default/ridealong-relay" 2>/dev/null; then
  ok "/etc/default/ridealong-relay has commented examples"
else
  fail "/etc/default/ridealong-relay has no commented --cert example"
fi

# The packaged relay runs.
relay="$r/usr/bin/ridealong-relay"
if "$relay" --help >"$work/help.txt" 2>&1 && grep -q -- '--data' "$work/help.txt"; then
  ok "ridealong-relay --help"
else
  cat "$work/help.txt" >&2
  fail "ridealong-relay --help"
fi
if pin=$("$relay" --data "$work/relay-data" --print-key 2>"$work/print-key.err") && [[ "$pin" == sha256:* ]]; then
  ok "ridealong-relay --print-key: $pin"
else
  cat "$work/print-key.err" >&2
  fail "ridealong-relay --print-key printed '$pin'"
fi
# The unit's flags, with a private data dir and free ports: it starts, serves
# /healthz on the admin address and stops cleanly on SIGTERM.
if [ -n "${exec_start:-}" ]; then
  read -r -a argv <<<"$exec_start"
  args=()
  for ((i = 1; i < ${#argv[@]}; i++)); do
    case "${argv[i]}" in
      --data) args+=(--data "$work/relay-data"); i=$((i + 1)) ;;
      --listen) args+=(--listen 127.0.0.1:0); i=$((i + 1)) ;;
      --admin-listen) args+=(--admin-listen 127.0.0.1:0); i=$((i + 1)) ;;
      '$RIDEALONG_RELAY_ARGS') ;;
      *) args+=("${argv[i]}") ;;
    esac
  done
  "$relay" "${args[@]}" 2>"$work/relay.log" &
  relay_pid=$!
  admin_port=""
  for _ in $(seq 1 300); do  # up to 30 s: a loaded machine starts processes slowly
    admin_port=$(sed -n 's|.*admin on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$work/relay.log")
    [ -n "$admin_port" ] && break
    kill -0 "$relay_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$admin_port" ]; then
    cat "$work/relay.log" >&2
    fail "the relay started with the unit's flags did not come up"
  else
    ok "the relay runs with the unit's flags (${args[*]})"
    grep -q '"msg":"relay key sha256:' "$work/relay.log" || fail "no JSON 'relay key' log line"
    health=""
    if exec 3<>"/dev/tcp/127.0.0.1/$admin_port"; then
      printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
      health=$(timeout 5 cat <&3 || true)
      exec 3<&-
    fi
    if grep -q '^ok' <<<"${health//$'\r'/}"; then ok "/healthz answers ok"; else fail "/healthz answered: $health"; fi
  fi
  kill -TERM "$relay_pid" 2>/dev/null || true
  relay_rc=0
  for _ in $(seq 1 100); do kill -0 "$relay_pid" 2>/dev/null || break; sleep 0.1; done
  wait "$relay_pid" || relay_rc=$?
  relay_pid=""
  if [ "$relay_rc" -eq 0 ] && grep -q 'shutting down' "$work/relay.log"; then
    ok "SIGTERM: the relay shut down cleanly"
  else
    cat "$work/relay.log" >&2
    fail "SIGTERM: the relay exited $relay_rc"
  fi
fi

# --- ridealong (app + CLI) ------------------------------------------------
unpack "$app_deb" app
a="$work/app/root"
expect_field "$app_deb" Package ridealong
expect_field "$app_deb" Version "$version"
expect_depends "$app_deb" 'libcapnp'
expect_depends "$app_deb" 'libssl3'
expect_root_owned "$app_deb"
expect_exe "$a" usr/bin/ridealong-cli
if "$a/usr/bin/ridealong-cli" --help >/dev/null 2>&1; then ok "ridealong-cli --help"; else fail "ridealong-cli --help"; fi
[ -e "$a/usr/bin/ridealong-relay" ] && fail "the app package holds the relay"
if [ "$with_app" -eq 1 ]; then
  expect_exe "$a" usr/bin/ridealong
  expect_file "$a" usr/share/applications/ridealong.desktop
  expect_depends "$app_deb" 'libglfw3'
  if v=$("$a/usr/bin/ridealong" --version 2>&1) && [ "$v" = "ridealong $version" ]; then
    ok "ridealong --version: $v"
  else
    fail "ridealong --version printed '$v'"
  fi
  if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$a/usr/share/applications/ridealong.desktop" || fail "desktop-file-validate"
  fi
  exec_line=$(sed -n 's/^Exec=//p' "$a/usr/share/applications/ridealong.desktop" 2>/dev/null)
  [ -x "$a/usr/bin/${exec_line%% *}" ] || fail "the desktop entry's Exec=$exec_line is not in the package"
else
  echo "skip: the desktop app (configured with RIDEALONG_BUILD_APP=OFF)"
fi

if [ "$failures" -ne 0 ]; then
  echo "check_debs: $failures check(s) failed" >&2
  exit 1
fi
echo "check_debs: all checks passed ($((SECONDS)) s)"
