/* canns — Lua bindings of build information, threads and progress bars. */
#include <stdio.h>

#include "canns/fileutil.h"
#include "canns/progress.h"
#include "canns/sysinfo.h"
#include "lua/cnlua.h"

#define PROGRESS_MT "canns.Progress"

static int l_build_info(lua_State *L) {
  static const struct { const char *key; void (*fn)(char *, int); } items[] = {
      {"build", cn_info_build},   {"blas", cn_info_blas},     {"fftw", cn_info_fftw},
      {"openmp", cn_info_openmp}, {"netcdf", cn_info_netcdf}, {"cuda", cn_info_cuda}};
  char buf[512];
  lua_newtable(L);
  for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
    items[i].fn(buf, sizeof buf);
    lua_pushstring(L, buf);
    lua_setfield(L, -2, items[i].key);
  }
  return 1;
}

static int l_num_threads(lua_State *L) {
  lua_pushinteger(L, cn_num_threads());
  return 1;
}

static int l_set_num_threads(lua_State *L) {
  int64_t n = cnL_checkcount(L, 1, "set_num_threads", 1, "n", 4096); /* 0 = default */
  cn_set_num_threads((int)n);
  return 0;
}

static int l_set_progress(lua_State *L) {
  if (!lua_isboolean(L, 1)) {
    char d[128];
    cnL_argerror(L, "set_progress", 1, "on", "must be a boolean, got %s", cnL_describe(L, 1, d, sizeof d));
  }
  cn_progress_set_enabled(lua_toboolean(L, 1));
  return 0;
}

static int l_progress_enabled(lua_State *L) {
  lua_pushboolean(L, cn_progress_enabled());
  return 1;
}

/* canns.mkdir(path): create a directory and its parents (mkdir -p);
 * returns path. */
static int l_mkdir(lua_State *L) {
  cnL_check(L, cn_mkdir_p(cnL_checkstring(L, 1, "mkdir", 1, "path")), "mkdir");
  lua_settop(L, 1);
  return 1;
}

/* canns.Progress(label, total) -> bar with :tick([n]) and :close() for
 * loops written in Lua. */
/* describe(v): the short description the bindings use in messages
 * ("-3", "'abc'", "nil", "a float32 array of shape {3, 4}", ...), so the
 * argument checks written in Lua (canns.argcheck) read the same. */
static int l_describe(lua_State *L) {
  char d[160];
  luaL_checkany(L, 1);
  lua_pushstring(L, cnL_describe(L, 1, d, sizeof d));
  return 1;
}

static int l_progress(lua_State *L) {
  if (!lua_isnoneornil(L, 1) && lua_type(L, 1) != LUA_TSTRING) {
    char d[128];
    cnL_argerror(L, "Progress", 1, "label", "must be a string, got %s", cnL_describe(L, 1, d, sizeof d));
  }
  const char *label = lua_isnoneornil(L, 1) ? "" : lua_tostring(L, 1);
  int64_t total = cnL_checkcount(L, 2, "Progress", 2, "total", INT64_MAX);
  cn_progress **ud = lua_newuserdatauv(L, sizeof *ud, 0);
  *ud = cn_progress_new(label, total);
  luaL_setmetatable(L, PROGRESS_MT);
  return 1;
}

static int progress_tick(lua_State *L) {
  cn_progress **ud = luaL_checkudata(L, 1, PROGRESS_MT);
  cn_progress_tick(*ud, lua_isnoneornil(L, 2) ? 1 : cnL_checkcount(L, 2, "tick", 1, "n", INT64_MAX));
  return 0;
}

static int progress_close(lua_State *L) {
  cn_progress **ud = luaL_checkudata(L, 1, PROGRESS_MT);
  cn_progress_free(*ud);
  *ud = NULL;
  return 0;
}

void cnL_open_sys(lua_State *L) {
  luaL_newmetatable(L, PROGRESS_MT);
  static const luaL_Reg pm[] = {{"tick", progress_tick}, {"close", progress_close}, {NULL, NULL}};
  lua_newtable(L);
  luaL_setfuncs(L, pm, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, progress_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, progress_close);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  static const luaL_Reg f[] = {{"build_info", l_build_info},
                               {"num_threads", l_num_threads},
                               {"set_num_threads", l_set_num_threads},
                               {"set_progress", l_set_progress},
                               {"progress_enabled", l_progress_enabled},
                               {"Progress", l_progress},
                               {"mkdir", l_mkdir},
                               {"describe", l_describe},
                               {NULL, NULL}};
  luaL_setfuncs(L, f, 0);
  lua_pushstring(L, cn_version());
  lua_setfield(L, -2, "version");
}
