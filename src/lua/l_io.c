/* canns — Lua bindings of array files: NPY, NPZ and netCDF-4.
 *
 *   core.save_npy(path, a)            core.load_npy(path) -> a
 *   core.save_npz(path, {name = a, ...} [, {compress = true}])
 *   core.load_npz(path) -> {name = a, ...}
 *   core.save_nc(path, {name = a, ...} [, {dims = ..., attrs = ...,
 *                deflate = 0}])
 *   core.load_nc(path) -> {name = a, ...}, meta
 *
 * meta = {dims = {name = {"time", ...}}, attrs = {global = {...},
 * name = {...}}, order = {names in file order}} has the layout save_nc takes
 * as options, so save_nc(p2, load_nc(p)) copies a file.  While a dataset is
 * being built from Lua tables it sits in a userdata box whose __gc frees
 * it, so an argument error part-way through leaks nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canns/io.h"
#include "lua/cnlua.h"

#define BOX_MT "canns.io.dataset"

/* ------------------------------------------------------------ helpers */
static const char *check_path(lua_State *L, int idx, const char *fname) {
  char d[128];
  size_t len;
  if (lua_type(L, idx) != LUA_TSTRING)
    cnL_argerror(L, fname, idx, "path", "must be a file name (string), got %s",
                 cnL_describe(L, idx, d, sizeof d));
  const char *p = lua_tolstring(L, idx, &len);
  if (len == 0 || strlen(p) != len)
    cnL_argerror(L, fname, idx, "path", "must be a non-empty file name "
                 "without NUL bytes, got %s", cnL_describe(L, idx, d, sizeof d));
  return p;
}

/* A new empty dataset in a box on top of the stack. */
/* An empty dataset slot on the stack: the GC frees whatever is put in it,
 * also when an error unwinds. */
static cn_dataset **new_box(lua_State *L) {
  cn_dataset **box = lua_newuserdatauv(L, sizeof *box, 0);
  *box = NULL;
  luaL_setmetatable(L, BOX_MT);
  return box;
}

static cn_dataset *push_box(lua_State *L, const char *fname) {
  cn_dataset **box = new_box(L);
  cnL_check(L, cn_dataset_new(box), fname);
  return *box;
}

/* A dataset read from path by load (cn_npz_load, cn_nc_load), kept in a
 * box on the stack. */
static cn_dataset *load_box(lua_State *L, cn_status (*load)(const char *, cn_dataset **),
                            const char *path, const char *fname) {
  cn_dataset **box = new_box(L);
  cnL_check(L, load(path, box), fname);
  return *box;
}

static int box_gc(lua_State *L) {
  cn_dataset **box = luaL_checkudata(L, 1, BOX_MT);
  cn_dataset_free(*box);
  *box = NULL;
  return 0;
}

/* A string key without NUL bytes at stack index -2 during lua_next. */
static const char *key_string(lua_State *L, const char *fname, int arg,
                              const char *what) {
  char d[128];
  size_t len;
  if (lua_type(L, -2) != LUA_TSTRING)
    cnL_argerror(L, fname, arg, what, "must be a table with string keys "
                 "(names), got key %s", cnL_describe(L, -2, d, sizeof d));
  const char *k = lua_tolstring(L, -2, &len);
  if (len == 0 || strlen(k) != len)
    cnL_argerror(L, fname, arg, what, "has an invalid name %s (empty or "
                 "with NUL bytes)", cnL_describe(L, -2, d, sizeof d));
  return k;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add every name -> array pair of the table at idx to ds, in sorted name
 * order (so files do not depend on table iteration order).  dims_idx (0:
 * none) is a table name -> {dimension names}. */
static void add_vars(lua_State *L, cn_dataset *ds, int idx, int dims_idx,
                     int order_idx, const char *fname, int arg,
                     const char *what) {
  char d[128];
  if (!lua_istable(L, idx))
    cnL_argerror(L, fname, arg, what, "must be a table of name = array, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    key_string(L, fname, arg, what);
    if (!cnL_toarray(L, -1)) {
      char nm[160];
      snprintf(nm, sizeof nm, "%s.%s", what, lua_tostring(L, -2));
      cnL_argerror(L, fname, arg, nm, "must be an array, got %s",
                   cnL_describe(L, -1, d, sizeof d));
    }
    n++;
    lua_pop(L, 1);
  }
  /* names are kept alive by the table at idx */
  const char **names = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *names, 0);
  int k = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    names[k++] = lua_tostring(L, -2);
    lua_pop(L, 1);
  }
  qsort(names, (size_t)n, sizeof *names, cmp_names);
  if (order_idx) {
    /* Names listed in opts.order come first, in that order. */
    lua_Integer m = luaL_len(L, order_idx);
    int placed = 0;
    for (lua_Integer i = 1; i <= m; i++) {
      lua_geti(L, order_idx, i);
      const char *nm = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      int j = placed;
      while (nm && j < n && strcmp(names[j], nm) != 0) j++;
      if (!nm || j == n)
        cnL_argerror(L, fname, arg + 1, "opts.order", "element %lld must name "
                     "a variable of argument %d (once), got %s", (long long)i,
                     arg, cnL_describe(L, -1, d, sizeof d));
      lua_pop(L, 1);
      const char *t = names[j];
      memmove(names + placed + 1, names + placed, (size_t)(j - placed) * sizeof *names);
      names[placed++] = t;
    }
  }
  for (int i = 0; i < n; i++) {
    lua_getfield(L, idx, names[i]);
    cn_array *a = cnL_toarray(L, -1);
    const char *dims[CN_MAXDIM] = {NULL};
    int pushed = 0;
    if (dims_idx) {
      lua_getfield(L, dims_idx, names[i]);
      pushed = 1;
    }
    if (pushed && !lua_isnil(L, -1)) {
      char nm[160];
      snprintf(nm, sizeof nm, "opts.dims.%s", names[i]);
      if (!lua_istable(L, -1))
        cnL_argerror(L, fname, arg + 1, nm, "must be a table of %d dimension "
                     "names, got %s", a->ndim, cnL_describe(L, -1, d, sizeof d));
      lua_Integer len = luaL_len(L, -1);
      if (len != a->ndim)
        cnL_argerror(L, fname, arg + 1, nm, "must name %d dimension%s, one "
                     "per axis of the array, got %lld name%s", a->ndim,
                     a->ndim == 1 ? "" : "s", (long long)len,
                     len == 1 ? "" : "s");
      for (int j = 0; j < a->ndim; j++) {
        lua_geti(L, -1, j + 1);
        if (lua_type(L, -1) != LUA_TSTRING || lua_rawlen(L, -1) == 0) {
          cnL_argerror(L, fname, arg + 1, nm, "element %d must be a non-empty "
                       "string, got %s", j + 1, cnL_describe(L, -1, d, sizeof d));
        }
        dims[j] = lua_tostring(L, -1); /* alive in the dims table */
        lua_pop(L, 1);
      }
    }
    lua_pop(L, pushed);
    cnL_check(L, cn_dataset_add(ds, names[i], a, dims), fname);
    lua_pop(L, 1);
  }
  lua_pop(L, 1); /* names */
}

/* Push a cn_dataset's variables as a table name -> array. */
static void push_vars(lua_State *L, const cn_dataset *ds) {
  lua_createtable(L, 0, ds->nvars);
  for (int i = 0; i < ds->nvars; i++) {
    cnL_pusharray(L, cn_array_retain(ds->vars[i].array));
    lua_setfield(L, -2, ds->vars[i].name);
  }
}

/* ------------------------------------------------------------ NPY */
static int l_save_npy(lua_State *L) {
  lua_settop(L, 2);
  const char *path = check_path(L, 1, "save_npy");
  cn_array *a = cnL_checkarray(L, 2, "save_npy", 2, "array");
  cnL_check(L, cn_npy_save(path, a), "save_npy");
  return 0;
}

static int l_load_npy(lua_State *L) {
  lua_settop(L, 1);
  const char *path = check_path(L, 1, "load_npy");
  cn_array *a;
  cnL_check(L, cn_npy_load(path, &a), "load_npy");
  cnL_pusharray(L, a);
  return 1;
}

/* ------------------------------------------------------------ NPZ */
static int l_save_npz(lua_State *L) {
  static const char *const ok[] = {"compress", NULL};
  lua_settop(L, 3);
  const char *path = check_path(L, 1, "save_npz");
  cnL_checkfields(L, 3, ok, "save_npz");
  bool compress = cnL_optfieldbool(L, 3, "compress", true, "save_npz");
  cn_dataset *ds = push_box(L, "save_npz");
  add_vars(L, ds, 2, 0, 0, "save_npz", 2, "arrays");
  cnL_check(L, cn_npz_save(path, ds, compress), "save_npz");
  return 0;
}

static int l_load_npz(lua_State *L) {
  lua_settop(L, 1);
  const char *path = check_path(L, 1, "load_npz");
  push_vars(L, load_box(L, cn_npz_load, path, "load_npz"));
  return 1;
}

/* ------------------------------------------------------------ netCDF */
/* Set attribute `name` of var (NULL: global) from the Lua value on top. */
static void set_attr(lua_State *L, cn_dataset *ds, const char *var,
                     const char *name, const char *fname, int arg,
                     const char *path) {
  char d[128];
  int t = lua_type(L, -1);
  cn_array *a = cnL_toarray(L, -1);
  if (t == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (strlen(s) != len)
      cnL_argerror(L, fname, arg, path, "must not contain NUL bytes");
    cnL_check(L, cn_dataset_set_text(ds, var, name, s), fname);
  } else if (t == LUA_TNUMBER || (t == LUA_TTABLE && !a)) {
    /* A number or a sequence of numbers: int32 when every value is an
     * integer that fits, int64 when they are integers, else float64. */
    int table = t == LUA_TTABLE, top = lua_gettop(L);
    lua_Integer n = table ? luaL_len(L, -1) : 1;
    if (n < 0 || n > (1 << 24))
      cnL_argerror(L, fname, arg, path, "is too long (%lld values)", (long long)n);
    bool ints = true, fit32 = true;
    for (lua_Integer i = 1; i <= n; i++) {
      if (table) lua_geti(L, top, i);
      if (lua_type(L, -1) != LUA_TNUMBER)
        cnL_argerror(L, fname, arg, path, "must be a string, a number, a "
                     "table of numbers or a 1-d array; element %lld is %s",
                     (long long)i, cnL_describe(L, -1, d, sizeof d));
      if (!lua_isinteger(L, -1)) ints = false;
      else if (lua_tointeger(L, -1) < INT32_MIN || lua_tointeger(L, -1) > INT32_MAX)
        fit32 = false;
      if (table) lua_pop(L, 1);
    }
    cn_dtype dt = !ints ? CN_FLOAT64 : fit32 ? CN_INT32 : CN_INT64;
    cn_array *v;
    cnL_check(L, cn_array_new1(&v, dt, n), fname);
    for (lua_Integer i = 1; i <= n; i++) {
      if (table) lua_geti(L, top, i);
      if (dt == CN_INT32) ((int32_t *)v->data)[i - 1] = (int32_t)lua_tointeger(L, -1);
      else if (dt == CN_INT64) ((int64_t *)v->data)[i - 1] = lua_tointeger(L, -1);
      else cn_f64(v)[i - 1] = lua_tonumber(L, -1);
      if (table) lua_pop(L, 1);
    }
    cn_status s = cn_dataset_set_values(ds, var, name, v);
    cn_array_release(v);
    cnL_check(L, s, fname);
  } else if (a) {
    if (a->ndim > 1 || a->dtype == CN_BOOL)
      cnL_argerror(L, fname, arg, path, "must be a 0-d or 1-d numeric (not "
                   "bool) array, got %s", cnL_describe(L, -1, d, sizeof d));
    cnL_check(L, cn_dataset_set_values(ds, var, name, a), fname);
  } else {
    cnL_argerror(L, fname, arg, path, "must be a string, a number, a table "
                 "of numbers or a 1-d array, got %s",
                 cnL_describe(L, -1, d, sizeof d));
  }
}

/* opts.attrs = {global = {name = value}, <var> = {name = value}}. */
static void add_attrs(lua_State *L, cn_dataset *ds, int idx, const char *fname,
                      int arg) {
  char d[128];
  if (!lua_istable(L, idx))
    cnL_argerror(L, fname, arg, "opts.attrs", "must be a table {global = "
                 "{...}, <variable> = {...}}, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *owner = key_string(L, fname, arg, "opts.attrs");
    bool global = strcmp(owner, "global") == 0;
    char path[320];
    snprintf(path, sizeof path, "opts.attrs.%s", owner);
    if (!global && !cn_dataset_find(ds, owner))
      cnL_argerror(L, fname, arg, path, "names no variable (use 'global' for "
                   "attributes of the file)");
    if (!lua_istable(L, -1))
      cnL_argerror(L, fname, arg, path, "must be a table of name = value, "
                   "got %s", cnL_describe(L, -1, d, sizeof d));
    int tbl = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, tbl)) {
      const char *name = key_string(L, fname, arg, path);
      char apath[480];
      snprintf(apath, sizeof apath, "%s.%s", path, name);
      set_attr(L, ds, global ? NULL : owner, name, fname, arg, apath);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
}

static int l_save_nc(lua_State *L) {
  static const char *const ok[] = {"dims", "attrs", "deflate", "order", NULL};
  const char *fn = "save_nc";
  char d[128];
  lua_settop(L, 3);
  const char *path = check_path(L, 1, fn);
  if (!lua_istable(L, 2))
    cnL_argerror(L, fn, 2, "vars", "must be a table of name = array, got %s",
                 cnL_describe(L, 2, d, sizeof d));
  cnL_checkfields(L, 3, ok, fn);
  int64_t deflate = cnL_optfieldcount(L, 3, "deflate", 0, 9, fn); /* a zlib level */
  int dims_idx = 0, attrs_idx = 0, order_idx = 0;
  if (lua_istable(L, 3)) {
    if (lua_getfield(L, 3, "dims") != LUA_TNIL) {
      if (!lua_istable(L, -1))
        cnL_argerror(L, fn, 3, "opts.dims", "must be a table {<variable> = "
                     "{dimension names}}, got %s", cnL_describe(L, -1, d, sizeof d));
      dims_idx = lua_gettop(L);
      lua_pushnil(L);
      while (lua_next(L, dims_idx)) {
        const char *k = key_string(L, fn, 3, "opts.dims");
        lua_getfield(L, 2, k);
        bool known = cnL_toarray(L, -1) != NULL;
        lua_pop(L, 2);
        if (!known)
          cnL_argerror(L, fn, 3, "opts.dims", "names variable '%s', which is "
                       "not in argument 2 (vars)", k);
      }
    } else {
      lua_pop(L, 1);
    }
    if (lua_getfield(L, 3, "attrs") != LUA_TNIL) attrs_idx = lua_gettop(L);
    else lua_pop(L, 1);
    if (lua_getfield(L, 3, "order") != LUA_TNIL) {
      if (!lua_istable(L, -1))
        cnL_argerror(L, fn, 3, "opts.order", "must be a list of variable "
                     "names, got %s", cnL_describe(L, -1, d, sizeof d));
      order_idx = lua_gettop(L);
    } else {
      lua_pop(L, 1);
    }
  }
  cn_dataset *ds = push_box(L, fn);
  add_vars(L, ds, 2, dims_idx, order_idx, fn, 2, "vars");
  if (attrs_idx) add_attrs(L, ds, attrs_idx, fn, 3);
  cnL_check(L, cn_nc_save(path, ds, (int)deflate), fn);
  return 0;
}

static void push_attrs(lua_State *L, const cn_attr *attrs, int n) {
  lua_createtable(L, 0, n);
  for (int i = 0; i < n; i++) {
    const cn_attr *a = &attrs[i];
    if (a->kind == CN_ATTR_TEXT) {
      lua_pushstring(L, a->text);
    } else {
      const cn_array *v = a->values;
      bool isint = !cn_dtype_is_float(v->dtype);
      if (v->size != 1) lua_createtable(L, (int)v->size, 0);
      for (int64_t k = 0; k < v->size; k++) {
        if (isint)
          lua_pushinteger(L, v->dtype == CN_INT64 ? ((int64_t *)v->data)[k]
                                                  : (lua_Integer)cn_array_getd(v, k));
        else
          lua_pushnumber(L, cn_array_getd(v, k));
        if (v->size != 1) lua_seti(L, -2, k + 1);
      }
    }
    lua_setfield(L, -2, a->name);
  }
}

static int l_load_nc(lua_State *L) {
  lua_settop(L, 1);
  const char *path = check_path(L, 1, "load_nc");
  const cn_dataset *ds = load_box(L, cn_nc_load, path, "load_nc");
  push_vars(L, ds);
  lua_createtable(L, 0, 3); /* meta */
  lua_createtable(L, 0, ds->nvars);
  for (int i = 0; i < ds->nvars; i++) {
    const cn_var *v = &ds->vars[i];
    lua_createtable(L, v->array->ndim, 0);
    for (int k = 0; k < v->array->ndim; k++) {
      lua_pushstring(L, v->dims[k]);
      lua_seti(L, -2, k + 1);
    }
    lua_setfield(L, -2, v->name);
  }
  lua_setfield(L, -2, "dims");
  lua_createtable(L, 0, ds->nvars + 1);
  for (int i = 0; i < ds->nvars; i++) {
    /* A variable called "global" cannot carry attributes here: the key
     * holds the file's attributes (see docs/io.md). */
    if (ds->vars[i].nattrs == 0 || strcmp(ds->vars[i].name, "global") == 0)
      continue;
    push_attrs(L, ds->vars[i].attrs, ds->vars[i].nattrs);
    lua_setfield(L, -2, ds->vars[i].name);
  }
  push_attrs(L, ds->attrs, ds->nattrs);
  lua_setfield(L, -2, "global");
  lua_setfield(L, -2, "attrs");
  lua_createtable(L, ds->nvars, 0);
  for (int i = 0; i < ds->nvars; i++) {
    lua_pushstring(L, ds->vars[i].name);
    lua_seti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "order");
  return 2;
}

/* ------------------------------------------------------------ registration */
static const luaL_Reg io_functions[] = {
    {"save_npy", l_save_npy}, {"load_npy", l_load_npy},
    {"save_npz", l_save_npz}, {"load_npz", l_load_npz},
    {"save_nc", l_save_nc},   {"load_nc", l_load_nc},
    {NULL, NULL}};

void cnL_open_io(lua_State *L) {
  if (luaL_newmetatable(L, BOX_MT)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, io_functions, 0);
}
