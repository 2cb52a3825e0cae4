/* canns — Lua bindings of downloads and SHA-256 (include/canns/download.h):
 *
 *   core.download(url, dest [, {sha256 = hex, resume = true, label = s,
 *                 connect_timeout = 30}])   fetches url into dest (through
 *                 dest.part; see the header for resume and verification)
 *   core.sha256_file(path) -> hex   64 lower-case hex digits
 *   core.download_backend() -> libcurl's version string
 *
 * Errors are Lua errors naming the function and, for transfers, the URL
 * and libcurl's message. */
#include <string.h>

#include "canns/download.h"
#include "lua/cnlua.h"

static const char *check_name(lua_State *L, int idx, const char *fname, const char *name) {
  size_t len;
  const char *s = cnL_checkstring(L, idx, fname, idx, name);
  lua_tolstring(L, idx, &len);
  if (len == 0 || strlen(s) != len) {
    char d[128];
    cnL_argerror(L, fname, idx, name, "must be a non-empty string without NUL bytes, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  }
  return s;
}

static int l_download(lua_State *L) {
  const char *F = "download";
  const char *url = check_name(L, 1, F, "url");
  const char *dest = check_name(L, 2, F, "dest");
  cn_download_opts o = {.resume = true};
  if (!lua_isnoneornil(L, 3)) {
    if (!lua_istable(L, 3)) {
      char d[128];
      cnL_argerror(L, F, 3, "opts", "must be a table, got %s", cnL_describe(L, 3, d, sizeof d));
    }
    static const char *const ok[] = {"sha256", "resume", "label", "connect_timeout", NULL};
    cnL_checkfields(L, 3, ok, F);
    o.sha256 = cnL_optfieldstring(L, 3, "sha256", NULL, F);
    o.resume = cnL_optfieldbool(L, 3, "resume", true, F);
    o.label = cnL_optfieldstring(L, 3, "label", NULL, F);
    o.connect_timeout_s = (long)cnL_optfieldrange(L, 3, "connect_timeout", 30, 1, 3600, F);
  }
  cnL_check(L, cn_download(url, dest, &o), F);
  lua_pushstring(L, dest);
  return 1;
}

static int l_sha256_file(lua_State *L) {
  const char *path = check_name(L, 1, "sha256_file", "path");
  char hex[65];
  cnL_check(L, cn_sha256_file(path, hex), "sha256_file");
  lua_pushstring(L, hex);
  return 1;
}

static int l_download_backend(lua_State *L) {
  lua_pushstring(L, cn_download_backend());
  return 1;
}

void cnL_open_download(lua_State *L) {
  static const luaL_Reg f[] = {{"download", l_download},
                               {"sha256_file", l_sha256_file},
                               {"download_backend", l_download_backend},
                               {NULL, NULL}};
  luaL_setfuncs(L, f, 0);
}
