#!/bin/sh
# `cmake --install` puts the executable, libcanns and the Lua package where
# the installed canns and a stock lua5.4 find them.
# usage: install.sh BUILD_DIR LUA LUA_DIR LUA_CDIR  (the last two relative to the prefix)
set -eu
BUILD=$1; LUA=$2; LDIR=$3; CDIR=$4
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$BUILD" --prefix "$prefix" >/dev/null
"$prefix/bin/canns" -e 'assert(require("canns").ones(3):sum() == 3); print("installed canns: ok")'
LUA_PATH="$prefix/$LDIR/?.lua;$prefix/$LDIR/?/init.lua;;" \
LUA_CPATH="$prefix/$CDIR/?.so;;" \
  "$LUA" -e 'assert(require("canns").ones(3):sum() == 3); print("stock lua, installed tree: ok")'
test -f "$prefix/include/canns/array.h"
