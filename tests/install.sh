#!/bin/sh
# `cmake --install` puts the executable, libcanns and the Lua package where
# the installed canns and a stock lua5.4 find them.
# usage: install.sh BUILD_DIR LUA
set -eu
BUILD=$1; LUA=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$BUILD" --prefix "$prefix" >/dev/null
"$prefix/bin/canns" -e 'assert(require("canns").ones(3):sum() == 3); print("installed canns: ok")'
LUA_PATH="$prefix/share/lua/5.4/?.lua;$prefix/share/lua/5.4/?/init.lua;;" \
LUA_CPATH="$prefix/lib/lua/5.4/?.so;;" \
  "$LUA" -e 'assert(require("canns").ones(3):sum() == 3); print("stock lua, installed tree: ok")'
test -f "$prefix/include/canns/array.h"
