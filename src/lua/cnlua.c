/* canns — helpers shared by the Lua bindings (see cnlua.h). */
#include "lua/cnlua.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* An integral double beyond the int64 range (|x| >= 2^63) is refused as
 * too large (or too small) rather than as "not an integer". */
static const char *int_problem(double x, char *buf, size_t n) {
  if (x != floor(x) || !isfinite(x)) return "must be an integer";
  if (x >= 9223372036854775808.0) {
    snprintf(buf, n, "is too large: must be at most %lld", (long long)INT64_MAX);
    return buf;
  }
  if (x < -9223372036854775808.0) {
    snprintf(buf, n, "is too small: must be at least %lld", (long long)INT64_MIN);
    return buf;
  }
  return NULL;
}


int cnL_argerror(lua_State *L, const char *fname, int arg, const char *name,
                 const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (name)
    return cnL_errorf(L, "%s: argument %d (%s) %s", fname, arg, name, msg);
  return cnL_errorf(L, "%s: argument %d %s", fname, arg, msg);
}

int cnL_error(lua_State *L, const char *fname, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return cnL_errorf(L, "%s: %s", fname, msg);
}

int cnL_errorf(lua_State *L, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  lua_pushstring(L, msg);
  return lua_error(L);
}

void cnL_check(lua_State *L, cn_status s, const char *fname) {
  if (s != CN_OK) {
    const char *m = cn_errmsg();
    if (!m || !*m) m = cn_strstatus(s);
    /* many library messages already start with the function's name */
    size_t n = strlen(fname);
    if (strncmp(m, fname, n) == 0 && m[n] == ':' && m[n + 1] == ' ') cnL_errorf(L, "%s", m);
    cnL_errorf(L, "%s: %s", fname, m);
  }
}

static void shape_str(const cn_array *a, char *buf, size_t n) {
  size_t p = 0;
  p += snprintf(buf + p, n - p, "{");
  for (int i = 0; i < a->ndim && p < n; i++)
    p += snprintf(buf + p, n - p, "%s%lld", i ? "," : "", (long long)a->shape[i]);
  if (p < n) snprintf(buf + p, n - p, "}");
}

const char *cnL_describe(lua_State *L, int idx, char *buf, size_t n) {
  cn_array *a;
  switch (lua_type(L, idx)) {
  case LUA_TNONE: case LUA_TNIL: snprintf(buf, n, "nil"); break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) snprintf(buf, n, "%lld", (long long)lua_tointeger(L, idx));
    else if (isnan(lua_tonumber(L, idx))) snprintf(buf, n, "nan");
    else snprintf(buf, n, "%.14g", lua_tonumber(L, idx));
    break;
  case LUA_TBOOLEAN: snprintf(buf, n, "%s", lua_toboolean(L, idx) ? "true" : "false"); break;
  case LUA_TSTRING: {
    const char *s = lua_tostring(L, idx);
    snprintf(buf, n, "'%.40s%s'", s, strlen(s) > 40 ? "..." : "");
    break;
  }
  case LUA_TUSERDATA:
    if (luaL_testudata(L, idx, CNL_ARRAY_MT) && !cnL_toarray(L, idx)) {
      snprintf(buf, n, "a released array");
      break;
    }
    if ((a = cnL_toarray(L, idx)) != NULL) {
      char sh[96];
      shape_str(a, sh, sizeof sh);
      const char *dn = cn_dtype_name(a->dtype);
      snprintf(buf, n, "%s %s array of shape %s", dn[0] == 'i' ? "an" : "a", dn, sh);
      break;
    }
    /* fall through */
  default: snprintf(buf, n, "a %s", luaL_typename(L, idx)); break;
  }
  return buf;
}

/* --- arrays ---------------------------------------------------------- */

void cnL_pusharray(lua_State *L, cn_array *a) {
  cn_array **ud = lua_newuserdatauv(L, sizeof *ud, 0);
  *ud = a;
  luaL_setmetatable(L, CNL_ARRAY_MT);
}

cn_array *cnL_toarray(lua_State *L, int idx) {
  cn_array **ud = luaL_testudata(L, idx, CNL_ARRAY_MT);
  return ud ? *ud : NULL;
}

cn_array *cnL_livearray(lua_State *L, int idx, const char *fname) {
  cn_array *a = cnL_toarray(L, idx);
  if (!a)
    cnL_errorf(L, "%s: the array has been released (used after its finalizer ran)", fname);
  return a;
}

cn_array *cnL_checkarray(lua_State *L, int idx, const char *fname, int arg,
                         const char *name) {
  cn_array *a = cnL_toarray(L, idx);
  if (!a) {
    char d[128];
    cnL_argerror(L, fname, arg, name, "must be an array, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  }
  return a;
}

/* Shape of a nested table of numbers (rectangular). */
static int table_shape(lua_State *L, int idx, int depth, int64_t *shape,
                       int *ndim) {
  lua_Integer n = luaL_len(L, idx);
  if (depth >= CN_MAXDIM) return 0;
  if (depth >= *ndim) {
    *ndim = depth + 1;
    shape[depth] = n;
  } else if (shape[depth] != n) {
    return 0;
  }
  if (n == 0) return depth + 1 == *ndim;
  lua_geti(L, idx, 1);
  int ok = 1;
  if (lua_istable(L, -1) || cnL_toarray(L, -1)) {
    lua_pop(L, 1);
    for (lua_Integer i = 1; i <= n && ok; i++) {
      lua_geti(L, idx, i);
      if (!lua_istable(L, -1)) ok = 0;
      else ok = table_shape(L, lua_gettop(L), depth + 1, shape, ndim);
      lua_pop(L, 1);
    }
  } else {
    lua_pop(L, 1);
    if (*ndim != depth + 1) ok = 0;
  }
  return ok;
}

int cnL_setelement(lua_State *L, int idx, cn_array *a, int64_t pos) {
  if (lua_isboolean(L, idx)) {
    cn_array_setd(a, pos, lua_toboolean(L, idx));
  } else if (lua_type(L, idx) != LUA_TNUMBER) {
    return 0;
  } else if (a->dtype == CN_INT64 && lua_isinteger(L, idx)) {
    ((int64_t *)a->data)[pos] = lua_tointeger(L, idx);
  } else {
    cn_array_setd(a, pos, lua_tonumber(L, idx));
  }
  return 1;
}

static int fill_from_table(lua_State *L, int idx, cn_array *a, int depth,
                           int64_t *pos) {
  lua_Integer n = luaL_len(L, idx);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, idx, i);
    if (depth + 1 < a->ndim) {
      if (!lua_istable(L, -1)) { lua_pop(L, 1); return 0; }
      if (!fill_from_table(L, lua_gettop(L), a, depth + 1, pos)) { lua_pop(L, 1); return 0; }
    } else if (!cnL_setelement(L, -1, a, (*pos)++)) {
      lua_pop(L, 1);
      return 0;
    }
    lua_pop(L, 1);
  }
  return 1;
}

cn_array *cnL_checkarraylike(lua_State *L, int idx, cn_dtype t,
                             const char *fname, int arg, const char *name) {
  idx = lua_absindex(L, idx);
  cn_array *a = cnL_toarray(L, idx);
  if (a) {
    if (a->dtype == t) return cn_array_retain(a);
    cn_array *c;
    cnL_check(L, cn_array_astype(&c, a, t), fname);
    return c;
  }
  if (lua_type(L, idx) == LUA_TNUMBER) {
    cn_array *c;
    cnL_check(L, cn_array_empty(&c, t, 0, NULL), fname);
    cnL_setelement(L, idx, c, 0);
    return c;
  }
  if (lua_istable(L, idx)) {
    int64_t shape[CN_MAXDIM];
    int ndim = 0;
    if (!table_shape(L, idx, 0, shape, &ndim))
      cnL_argerror(L, fname, arg, name,
                   "must be a rectangular nested table of numbers (at most %d levels)",
                   CN_MAXDIM);
    cn_array *c;
    cnL_check(L, cn_array_empty(&c, t, ndim, shape), fname);
    /* a userdata owns c while the table is read (a metamethod may raise) */
    cnL_pusharray(L, c);
    int64_t pos = 0;
    if (!fill_from_table(L, idx, c, 0, &pos))
      cnL_argerror(L, fname, arg, name, "must contain only numbers or booleans");
    cn_array_retain(c); /* the caller's reference */
    lua_pop(L, 1);
    return c;
  }
  char d[128];
  cnL_argerror(L, fname, arg, name, "must be an array, a number or a table of numbers, got %s",
               cnL_describe(L, idx, d, sizeof d));
  return NULL;
}

cn_array *cnL_checkfloatarray(lua_State *L, int idx, const char *fname,
                              int arg, const char *name, int ndim,
                              const int64_t *shape) {
  cn_array *a = cnL_checkarray(L, idx, fname, arg, name);
  char d[128];
  if (!cn_dtype_is_float(a->dtype))
    cnL_argerror(L, fname, arg, name, "must be a float32 or float64 array, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  if (ndim >= 0) {
    bool ok = a->ndim == ndim;
    for (int i = 0; ok && shape && i < ndim; i++)
      if (shape[i] >= 0 && a->shape[i] != shape[i]) ok = false;
    if (!ok) {
      char want[96];
      size_t p = snprintf(want, sizeof want, "{");
      for (int i = 0; i < ndim && p < sizeof want; i++) {
        if (shape && shape[i] >= 0)
          p += snprintf(want + p, sizeof want - p, "%s%lld", i ? "," : "", (long long)shape[i]);
        else
          p += snprintf(want + p, sizeof want - p, "%sn", i ? "," : "");
      }
      if (p < sizeof want) snprintf(want + p, sizeof want - p, "}");
      cnL_argerror(L, fname, arg, name, "must have shape %s, got %s", want,
                   cnL_describe(L, idx, d, sizeof d));
    }
  }
  return a;
}

void cnL_pushshape(lua_State *L, int ndim, const int64_t *shape) {
  lua_createtable(L, ndim, 0);
  for (int i = 0; i < ndim; i++) {
    lua_pushinteger(L, shape[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

int cnL_checkshape(lua_State *L, int idx, const char *fname, int arg,
                   int64_t *shape) {
  char d[128];
  if (lua_type(L, idx) == LUA_TNUMBER) {
    if (!lua_isinteger(L, idx)) {
      char w[96];
      const char *why = int_problem(lua_tonumber(L, idx), w, sizeof w);
      if (why)
        cnL_argerror(L, fname, arg, "shape", "%s, got %s", why, cnL_describe(L, idx, d, sizeof d));
    }
    /* a Lua integer is read as one: (int64_t)(double)math.maxinteger is
     * out of range */
    int64_t x = lua_isinteger(L, idx) ? lua_tointeger(L, idx) : (int64_t)lua_tonumber(L, idx);
    if (x < 0)
      cnL_argerror(L, fname, arg, "shape", "must be non-negative, got %s",
                   cnL_describe(L, idx, d, sizeof d));
    shape[0] = x;
    return 1;
  }
  if (cnL_toarray(L, idx) == NULL && lua_istable(L, idx)) {
    lua_Integer n = luaL_len(L, idx);
    if (n > CN_MAXDIM)
      cnL_argerror(L, fname, arg, "shape", "must have at most %d dimensions, got %lld",
                   CN_MAXDIM, (long long)n);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, idx, i);
      int isint = lua_isinteger(L, -1);
      lua_Number x = lua_tonumber(L, -1);
      char w[96];
      if (lua_type(L, -1) != LUA_TNUMBER || (!isint && int_problem(x, w, sizeof w)))
        cnL_argerror(L, fname, arg, "shape", "must be a table of integers, element %lld is %s",
                     (long long)i, cnL_describe(L, -1, d, sizeof d));
      if (x < 0)
        cnL_argerror(L, fname, arg, "shape", "must be non-negative, got %s at position %lld",
                     cnL_describe(L, -1, d, sizeof d), (long long)i);
      shape[i - 1] = isint ? lua_tointeger(L, -1) : (int64_t)x;
      lua_pop(L, 1);
    }
    return (int)n;
  }
  return cnL_argerror(L, fname, arg, "shape",
                      "must be a non-negative integer or a table of them, got %s",
                      cnL_describe(L, idx, d, sizeof d));
}

cn_dtype cnL_optdtype(lua_State *L, int idx, cn_dtype def, const char *fname,
                      int arg) {
  if (lua_isnoneornil(L, idx)) return def;
  char d[128];
  if (lua_type(L, idx) != LUA_TSTRING)
    cnL_argerror(L, fname, arg, "dtype", "must be a dtype name such as 'float32', got %s",
                 cnL_describe(L, idx, d, sizeof d));
  cn_dtype t;
  if (cn_dtype_from_name(lua_tostring(L, idx), &t) != CN_OK)
    cnL_argerror(L, fname, arg, "dtype",
                 "must be one of float32, float64, int32, int64, bool; got %s",
                 cnL_describe(L, idx, d, sizeof d));
  return t;
}

/* --- numbers --------------------------------------------------------- */

const char *cnL_checkstring(lua_State *L, int idx, const char *fname, int arg,
                            const char *name) {
  if (lua_type(L, idx) != LUA_TSTRING) {
    char d[128];
    cnL_argerror(L, fname, arg, name, "must be a string, got %s", cnL_describe(L, idx, d, sizeof d));
  }
  return lua_tostring(L, idx);
}

double cnL_checknumber(lua_State *L, int idx, const char *fname, int arg,
                       const char *name) {
  if (lua_type(L, idx) != LUA_TNUMBER) {
    char d[128];
    cnL_argerror(L, fname, arg, name, "must be a number, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  }
  return lua_tonumber(L, idx);
}

double cnL_checkfinite(lua_State *L, int idx, const char *fname, int arg,
                       const char *name) {
  double x = cnL_checknumber(L, idx, fname, arg, name);
  if (!isfinite(x)) {
    char d[128];
    cnL_argerror(L, fname, arg, name, "must be a finite number, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  }
  return x;
}

int64_t cnL_checkint(lua_State *L, int idx, const char *fname, int arg,
                     const char *name) {
  char d[128], w[96];
  if (lua_type(L, idx) != LUA_TNUMBER)
    cnL_argerror(L, fname, arg, name, "must be an integer, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  if (lua_isinteger(L, idx)) return lua_tointeger(L, idx);
  double x = lua_tonumber(L, idx);
  const char *why = int_problem(x, w, sizeof w);
  if (why)
    cnL_argerror(L, fname, arg, name, "%s, got %s", why, cnL_describe(L, idx, d, sizeof d));
  return (int64_t)x;
}

/* The range check of cnL_checkrange / cnL_optfieldrange: `what` is
 * "fname: argument 2 (n)" or "fname: option 'n'"; the value is at -1 or
 * idx.  An integral float past hi (2^53, 1e300) is "too large" with the
 * limit, never "not an integer". */
static void range_low(lua_State *L, int idx, const char *what, int64_t lo) {
  char d[128];
  cnL_describe(L, idx, d, sizeof d);
  if (lo == 0) cnL_errorf(L, "%s must be non-negative, got %s", what, d);
  cnL_errorf(L, "%s must be >= %lld, got %s", what, (long long)lo, d);
}

static int64_t range_check(lua_State *L, int idx, const char *what, int64_t lo,
                           int64_t hi) {
  char d[128];
  if (lua_type(L, idx) != LUA_TNUMBER)
    cnL_errorf(L, "%s must be an integer, got %s", what, cnL_describe(L, idx, d, sizeof d));
  int64_t v;
  if (lua_isinteger(L, idx)) {
    v = lua_tointeger(L, idx);
  } else {
    double x = lua_tonumber(L, idx);
    if (x != floor(x) || !isfinite(x))
      cnL_errorf(L, "%s must be an integer, got %s", what, cnL_describe(L, idx, d, sizeof d));
    if (x > (double)hi)
      cnL_errorf(L, "%s is too large: must be at most %lld, got %s", what, (long long)hi,
                 cnL_describe(L, idx, d, sizeof d));
    if (x < (double)lo)
      range_low(L, idx, what, lo);
    v = (int64_t)x;
  }
  if (v > hi)
    cnL_errorf(L, "%s is too large: must be at most %lld, got %s", what, (long long)hi,
               cnL_describe(L, idx, d, sizeof d));
  if (v < lo)
    range_low(L, idx, what, lo);
  return v;
}

int64_t cnL_checkrange(lua_State *L, int idx, const char *fname, int arg,
                       const char *name, int64_t lo, int64_t hi) {
  char what[160];
  if (name) snprintf(what, sizeof what, "%s: argument %d (%s)", fname, arg, name);
  else snprintf(what, sizeof what, "%s: argument %d", fname, arg);
  return range_check(L, idx, what, lo, hi);
}

int64_t cnL_checkcount(lua_State *L, int idx, const char *fname, int arg,
                       const char *name, int64_t max) {
  return cnL_checkrange(L, idx, fname, arg, name, 0, max);
}

/* --- option tables ----------------------------------------------------- */

static int getfield(lua_State *L, int idx, const char *key) {
  if (lua_isnoneornil(L, idx)) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  return lua_getfield(L, idx, key);
}

static int optfield_err(lua_State *L, const char *fname, const char *key,
                        const char *what) {
  char d[128];
  cnL_describe(L, -1, d, sizeof d);
  return cnL_errorf(L, "%s: option '%s' must be %s, got %s", fname, key, what, d);
}

double cnL_optfieldnumber(lua_State *L, int idx, const char *key, double def,
                          const char *fname) {
  idx = lua_absindex(L, idx);
  int t = getfield(L, idx, key);
  double v = def;
  if (t == LUA_TNUMBER) v = lua_tonumber(L, -1);
  else if (t != LUA_TNIL) optfield_err(L, fname, key, "a number");
  lua_pop(L, 1);
  return v;
}

int64_t cnL_optfieldint(lua_State *L, int idx, const char *key, int64_t def,
                        const char *fname) {
  idx = lua_absindex(L, idx);
  int t = getfield(L, idx, key);
  int64_t v = def;
  if (t == LUA_TNUMBER) {
    if (lua_isinteger(L, -1)) v = lua_tointeger(L, -1);
    else {
      double x = lua_tonumber(L, -1);
      char w[96];
      const char *why = int_problem(x, w, sizeof w);
      if (why) {
        char d[128];
        cnL_describe(L, -1, d, sizeof d);
        cnL_errorf(L, "%s: option '%s' %s, got %s", fname, key, why, d);
      }
      v = (int64_t)x;
    }
  } else if (t != LUA_TNIL) {
    optfield_err(L, fname, key, "an integer");
  }
  lua_pop(L, 1);
  return v;
}

int64_t cnL_optfieldrange(lua_State *L, int idx, const char *key, int64_t def,
                          int64_t lo, int64_t hi, const char *fname) {
  idx = lua_absindex(L, idx);
  if (getfield(L, idx, key) == LUA_TNIL) {
    lua_pop(L, 1);
    return def;
  }
  char what[160];
  snprintf(what, sizeof what, "%s: option '%s'", fname, key);
  int64_t v = range_check(L, -1, what, lo, hi);
  lua_pop(L, 1);
  return v;
}

int64_t cnL_optfieldcount(lua_State *L, int idx, const char *key, int64_t def,
                          int64_t max, const char *fname) {
  return cnL_optfieldrange(L, idx, key, def, 0, max, fname);
}

bool cnL_optfieldbool(lua_State *L, int idx, const char *key, bool def,
                      const char *fname) {
  idx = lua_absindex(L, idx);
  int t = getfield(L, idx, key);
  bool v = def;
  if (t == LUA_TBOOLEAN) v = lua_toboolean(L, -1);
  else if (t != LUA_TNIL) optfield_err(L, fname, key, "a boolean");
  lua_pop(L, 1);
  return v;
}

const char *cnL_optfieldstring(lua_State *L, int idx, const char *key,
                               const char *def, const char *fname) {
  idx = lua_absindex(L, idx);
  int t = getfield(L, idx, key);
  const char *v = def;
  if (t == LUA_TSTRING) {
    v = lua_tostring(L, -1);
    /* keep the string alive: it is referenced by the options table */
  } else if (t != LUA_TNIL) {
    optfield_err(L, fname, key, "a string");
  }
  lua_pop(L, 1);
  return v;
}

void cnL_checkfields(lua_State *L, int idx, const char *const *allowed,
                     const char *fname) {
  if (lua_isnoneornil(L, idx)) return;
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) {
    char d[128];
    cnL_errorf(L, "%s: options must be a table, got %s", fname,
               cnL_describe(L, idx, d, sizeof d));
  }
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) continue; /* positional entries */
    const char *k = lua_tostring(L, -1);
    bool ok = false;
    for (int i = 0; allowed[i]; i++)
      if (strcmp(allowed[i], k) == 0) ok = true;
    if (!ok) {
      char list[512];
      size_t p = 0;
      for (int i = 0; allowed[i] && p < sizeof list; i++)
        p += snprintf(list + p, sizeof list - p, "%s%s", i ? ", " : "", allowed[i]);
      cnL_errorf(L, "%s: unknown option '%s' (expected one of: %s)", fname, k, list);
    }
  }
}

void **cnL_pushbox(lua_State *L, const char *mt, lua_CFunction gc) {
  void **b = lua_newuserdatauv(L, sizeof *b, 0);
  *b = NULL;
  if (luaL_newmetatable(L, mt)) {
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return b;
}
