#!/bin/sh
# docs/coverage.md must be what scripts/coverage/coverage.lua writes for
# the Lua tree of this build.  Usage: coverage.sh CANNS_EXE SOURCE_DIR
set -eu
exe=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$exe" "$src/scripts/coverage/coverage.lua" "$tmp/coverage.md" >/dev/null
if ! diff -u "$src/docs/coverage.md" "$tmp/coverage.md" >"$tmp/diff"; then
  head -60 "$tmp/diff"
  echo "docs/coverage.md is out of date: regenerate it with" >&2
  echo "  build/canns scripts/coverage/coverage.lua" >&2
  exit 1
fi
echo "docs/coverage.md is current"
