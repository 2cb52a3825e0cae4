#!/bin/sh
# `luarocks make` in a copy of the source tree (what a clone holds: the
# tracked and the not-ignored files) installs canns into a temporary
# `--tree`, and a stock lua5.4 requires it from there.
# usage: luarocks.sh SOURCE_DIR LUA
# Exit 77 (skipped) when luarocks is not installed (scripts/deps.sh
# installs Debian's luarocks, so CI runs it).
set -eu
SRC=$1; LUA=$2
if ! command -v luarocks >/dev/null 2>&1; then
  echo "luarocks is not installed (scripts/deps.sh installs it): skipped"
  exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/src"
if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$SRC" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf -) | tar -xf - -C "$t/src"
else
  (cd "$SRC" && tar --exclude='./build*' -cf - .) | tar -xf - -C "$t/src"
fi
cd "$t/src"
if ! CMAKE_BUILD_PARALLEL_LEVEL=$(nproc 2>/dev/null || echo 2) \
     luarocks --lua-version 5.4 make --tree "$t/tree" canns-scm-1.rockspec >"$t/log" 2>&1; then
  cat "$t/log"
  exit 1
fi
cd "$t"
eval "$(luarocks --lua-version 5.4 --tree "$t/tree" path)"
TREE="$t/tree" "$LUA" -e '
  local canns = require "canns"
  assert(canns.ones(3):sum() == 3)
  local tree = os.getenv("TREE")
  for _, m in ipairs({"canns", "canns.core"}) do
    local p = package.searchpath(m, m == "canns.core" and package.cpath or package.path)
    assert(p and p:sub(1, #tree) == tree, m .. " was not found in the tree: " .. tostring(p))
  end
  print("luarocks make --tree: require \"canns\" ok")'
