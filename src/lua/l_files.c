/* canns — small file helpers for the pipelines (the ASA runner's caches):
 *
 *   core.write_text(path, text)    writes a string atomically (a temporary
 *                                  name beside the file, then a rename)
 *   core.hash_file(path) -> hex    FNV-1a 64-bit digest of the file's
 *                                  bytes, 16 hex digits
 *   core.hash_string(s) -> hex     the same digest of a string
 *   core.list_dir(path) -> {name, ...}  the entries of a folder (without
 *                                  "." and ".."), sorted by name
 *
 * The digests are content addresses for caches, not cryptographic hashes.
 * Errors (a missing file, an unwritable folder) are Lua errors naming the
 * function and the path. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "canns/fileutil.h"
#include "lua/cnlua.h"

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv_update(uint64_t h, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * FNV_PRIME;
  return h;
}

static void push_digest(lua_State *L, uint64_t h) {
  char hex[17];
  snprintf(hex, sizeof hex, "%016" PRIx64, h);
  lua_pushstring(L, hex);
}

static int l_write_text(lua_State *L) {
  const char *path = cnL_checkstring(L, 1, "write_text", 1, "path");
  size_t n;
  if (lua_type(L, 2) != LUA_TSTRING) {
    char d[128];
    cnL_argerror(L, "write_text", 2, "text", "must be a string, got %s", cnL_describe(L, 2, d, sizeof d));
  }
  const char *text = lua_tolstring(L, 2, &n);
  cn_atomic_file f;
  cnL_check(L, cn_atomic_begin(&f, path), "write_text");
  if (n > 0 && fwrite(text, 1, n, f.fp) != n) {
    int e = errno;
    cn_atomic_abort(&f);
    return cnL_error(L, "write_text", "cannot write '%s': %s", path, strerror(e));
  }
  cnL_check(L, cn_atomic_commit(&f), "write_text");
  return 0;
}

static int l_hash_file(lua_State *L) {
  const char *path = cnL_checkstring(L, 1, "hash_file", 1, "path");
  FILE *fp = fopen(path, "rb");
  if (!fp) return cnL_error(L, "hash_file", "cannot open '%s': %s", path, strerror(errno));
  unsigned char buf[1 << 16];
  uint64_t h = FNV_OFFSET;
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, fp)) > 0) h = fnv_update(h, buf, got);
  int bad = ferror(fp);
  fclose(fp);
  if (bad) return cnL_error(L, "hash_file", "cannot read '%s'", path);
  push_digest(L, h);
  return 1;
}

static int l_hash_string(lua_State *L) {
  if (lua_type(L, 1) != LUA_TSTRING) {
    char d[128];
    cnL_argerror(L, "hash_string", 1, "s", "must be a string, got %s", cnL_describe(L, 1, d, sizeof d));
  }
  size_t n;
  const char *s = lua_tolstring(L, 1, &n);
  push_digest(L, fnv_update(FNV_OFFSET, (const unsigned char *)s, n));
  return 1;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int l_list_dir(lua_State *L) {
  const char *path = cnL_checkstring(L, 1, "list_dir", 1, "path");
  DIR *d = opendir(path);
  if (!d) return cnL_error(L, "list_dir", "cannot open the folder '%s': %s", path, strerror(errno));
  lua_newtable(L);
  struct dirent *e;
  int n = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    lua_pushstring(L, e->d_name);
    lua_rawseti(L, -2, ++n);
  }
  closedir(d);
  /* sort: copy the names out, qsort, write back (the strings stay
   * referenced by the table while we hold pointers into them) */
  const char **names = n ? malloc((size_t)n * sizeof *names) : NULL;
  if (n && !names) return cnL_error(L, "list_dir", "out of memory");
  for (int i = 0; i < n; i++) {
    lua_rawgeti(L, -1, i + 1);
    names[i] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  if (n > 1) qsort(names, (size_t)n, sizeof *names, cmp_str);
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, i + 1);
  }
  free(names);
  return 1;
}

void cnL_open_files(lua_State *L) {
  static const luaL_Reg f[] = {{"write_text", l_write_text},
                               {"hash_file", l_hash_file},
                               {"hash_string", l_hash_string},
                               {"list_dir", l_list_dir},
                               {NULL, NULL}};
  luaL_setfuncs(L, f, 0);
}
