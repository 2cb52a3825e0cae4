/* canns — entry point of `canns.core` as a Lua C module for a stock
 * lua5.4 interpreter (build/lib/canns/core.so). */
#include <lua.h>

int cnL_open(lua_State *L);

__attribute__((visibility("default"))) int luaopen_canns_core(lua_State *L) {
  return cnL_open(L);
}
