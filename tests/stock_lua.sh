#!/bin/sh
# The library loads from a stock lua5.4 once LUA_PATH/LUA_CPATH point at the
# build (what `canns --env` prints), and a spec passes there too.
# usage: stock_lua.sh LUA BUILD_DIR BUSTED SOURCE_DIR
set -eu
LUA=$1; BUILD=$2; BUSTED=$3; SRC=$4
eval "$("$BUILD/canns" --env)"
"$LUA" -e 'local canns = require "canns"; local a = canns.ones({2, 3}); assert(a:sum() == 6); print("stock lua: ok", canns.version)'
export CANNS_SOURCE_DIR="$SRC"
cd "$SRC"
"$LUA" "$BUSTED" --output=plainTerminal --helper="$SRC/spec/helper.lua" "$SRC/spec/array_spec.lua"
