#!/usr/bin/env bash
# Formats the C++ sources with clang-format and the style in .clang-format.
#
#   bash scripts/format.sh            # rewrites every tracked *.cc, *.h, *.cpp, *.hpp
#                                     # under core sync gui cli platform tests bench
#   bash scripts/format.sh --check    # changes nothing: prints the files that
#                                     # differ from the style, exit 1 if any (CI)
#   bash scripts/format.sh [--check] FILE...   # only these files
#
# The style is clang-format 14's (Debian 12: package clang-format); another
# version formats some lines differently, so it is preferred when installed
# (CLANG_FORMAT=... picks another binary).
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
case "${1:-}" in
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  --check) check=1; shift ;;
  -*) echo "unknown option '$1' (--check, --help)" >&2; exit 2 ;;
esac

if [ -z "${CLANG_FORMAT:-}" ]; then
  if command -v clang-format-14 >/dev/null 2>&1; then CLANG_FORMAT=clang-format-14
  elif command -v clang-format >/dev/null 2>&1; then CLANG_FORMAT=clang-format
  else
    echo "format: clang-format is missing (Debian package clang-format)" >&2
    exit 1
  fi
fi
version=$("$CLANG_FORMAT" --version)
case "$version" in
  *"version 14."*) ;;
  *) echo "format: warning: $version; the style is clang-format 14's, some lines may differ" >&2 ;;
esac

if (($#)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files -- core sync gui cli platform tests bench | grep -E '\.(cc|h|cpp|hpp)$')
fi
((${#files[@]})) || exit 0
jobs=$(nproc)

if ((check == 0)); then
  printf '%s\0' "${files[@]}" | xargs -0 -n 16 -P "$jobs" "$CLANG_FORMAT" -i --style=file
  exit 0
fi

# One line per file that differs (sorted; nothing else on stdout, so
# `--check | wc -l` counts them).
differ=$(printf '%s\0' "${files[@]}" |
  xargs -0 -n 1 -P "$jobs" sh -c '"$0" --style=file "$1" | cmp -s - "$1" || printf "%s\n" "$1"' "$CLANG_FORMAT" |
  sort)
if [ -n "$differ" ]; then
  printf '%s\n' "$differ"
  echo "format: $(printf '%s\n' "$differ" | wc -l) file(s) differ from .clang-format; bash scripts/format.sh fixes them" >&2
  exit 1
fi
