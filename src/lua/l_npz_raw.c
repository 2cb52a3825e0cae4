/* canns — Lua bindings for reading what the array readers refuse:
 *
 *   core.npz_raw(path [, max_bytes]) -> {name = bytes, ...}
 *       every member of an .npz as a string (default limit 4 GiB in all)
 *   core.array_from_bytes(bytes, descr, shape) -> array
 *       numeric elements in numpy's type string ("<f8", "|b1", ...)
 *
 * Used by lua/canns/data/pickle.lua for numpy's pickled object arrays. */
#include <string.h>

#include "canns/io.h"
#include "lua/cnlua.h"

static int l_npz_raw(lua_State *L) {
  const char *F = "npz_raw";
  const char *path = cnL_checkstring(L, 1, F, 1, "path");
  int64_t max = lua_isnoneornil(L, 2) ? ((int64_t)1 << 32)
                                      : cnL_checkrange(L, 2, F, 2, "max_bytes", 0, (int64_t)1 << 40);
  cn_npz_raw *m = NULL;
  int n = 0;
  cnL_check(L, cn_npz_load_raw(path, (size_t)max, &m, &n), F);
  lua_createtable(L, 0, n);
  for (int i = 0; i < n; i++) {
    lua_pushlstring(L, (const char *)m[i].data, m[i].len);
    lua_setfield(L, -2, m[i].name);
  }
  cn_npz_raw_free(m, n);
  return 1;
}

static int l_array_from_bytes(lua_State *L) {
  const char *F = "array_from_bytes";
  if (lua_type(L, 1) != LUA_TSTRING) {
    char d[128];
    cnL_argerror(L, F, 1, "bytes", "must be a string, got %s", cnL_describe(L, 1, d, sizeof d));
  }
  size_t len;
  const char *data = lua_tolstring(L, 1, &len);
  const char *descr = cnL_checkstring(L, 2, F, 2, "descr");
  int64_t shape[CN_MAXDIM];
  int ndim = cnL_checkshape(L, 3, F, 3, shape);
  cn_array *a = NULL;
  cnL_check(L, cn_array_from_bytes(data, len, descr, ndim, shape, &a), F);
  cnL_pusharray(L, a);
  return 1;
}

void cnL_open_npz_raw(lua_State *L) {
  static const luaL_Reg f[] = {{"npz_raw", l_npz_raw}, {"array_from_bytes", l_array_from_bytes},
                               {NULL, NULL}};
  luaL_setfuncs(L, f, 0);
}
