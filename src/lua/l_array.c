/* canns — Lua bindings of arrays: creation, shape, indexing, conversion.
 *
 * Arrays are full userdata holding one reference to a cn_array.  Indexing
 * from Lua is 1-based: a[i] is element i of a 1-d array or row i (a view)
 * of an n-d array; a[{i, j}] is one element.  Negative indices count from
 * the end (-1 is the last).
 */
#include <math.h>
#include <string.h>

#include "lua/cnlua.h"

#define ARR(i, fn) cnL_checkarray(L, (i), (fn), (i) - 1, "self")

static cn_array *self_array(lua_State *L, const char *fn) {
  cn_array *a = cnL_toarray(L, 1);
  if (!a) {
    char d[128];
    cnL_errorf(L, "%s: expected an array as self (use a:%s(...)), got %s", fn, fn,
               cnL_describe(L, 1, d, sizeof d));
  }
  return a;
}

/* --- creation ---------------------------------------------------------- */

static int make_filled(lua_State *L, const char *fn, double value, bool fill,
                       int dtype_arg) {
  int64_t shape[CN_MAXDIM];
  int nd = cnL_checkshape(L, 1, fn, 1, shape);
  cn_dtype t = cnL_optdtype(L, dtype_arg, CN_FLOAT32, fn, dtype_arg);
  cn_array *a;
  cnL_check(L, fill ? cn_array_full(&a, t, nd, shape, value)
                    : cn_array_zeros(&a, t, nd, shape), fn);
  cnL_pusharray(L, a);
  return 1;
}

static int l_zeros(lua_State *L) { return make_filled(L, "zeros", 0, false, 2); }
static int l_ones(lua_State *L) { return make_filled(L, "ones", 1, true, 2); }
static int l_empty(lua_State *L) {
  int64_t shape[CN_MAXDIM];
  int nd = cnL_checkshape(L, 1, "empty", 1, shape);
  cn_dtype t = cnL_optdtype(L, 2, CN_FLOAT32, "empty", 2);
  cn_array *a;
  cnL_check(L, cn_array_empty(&a, t, nd, shape), "empty");
  cnL_pusharray(L, a);
  return 1;
}
static int l_full(lua_State *L) {
  double v;
  if (lua_isboolean(L, 2)) v = lua_toboolean(L, 2);
  else v = cnL_checknumber(L, 2, "full", 2, "fill_value");
  return make_filled(L, "full", v, true, 3);
}

/* The first scalar of a nested table (to infer bool tables). */
static int first_leaf_type(lua_State *L, int idx) {
  int depth = 0, t = lua_type(L, idx);
  lua_pushvalue(L, idx);
  while (t == LUA_TTABLE && depth++ < CN_MAXDIM + 1) {
    t = lua_geti(L, -1, 1);
    lua_remove(L, -2);
  }
  lua_pop(L, 1);
  return t;
}

static int l_array(lua_State *L) {
  cn_dtype t = cnL_optdtype(L, 2, CN_FLOAT32, "array", 2);
  if (lua_isnoneornil(L, 2) && cnL_toarray(L, 1)) t = cnL_toarray(L, 1)->dtype;
  else if (lua_isnoneornil(L, 2) && first_leaf_type(L, 1) == LUA_TBOOLEAN) t = CN_BOOL;
  cn_array *a = cnL_checkarraylike(L, 1, t, "array", 1, "data");
  if (a == cnL_toarray(L, 1)) { /* always a new array */
    cn_array *c;
    cn_status s = cn_array_copy(&c, a);
    cn_array_release(a);
    cnL_check(L, s, "array");
    a = c;
  }
  cnL_pusharray(L, a);
  return 1;
}

static int l_linspace(lua_State *L) {
  double a = cnL_checkfinite(L, 1, "linspace", 1, "start");
  double b = cnL_checkfinite(L, 2, "linspace", 2, "stop");
  int64_t n = cnL_checkcount(L, 3, "linspace", 3, "num", CNL_MAX_COUNT);
  bool endpoint = true;
  cn_dtype t = CN_FLOAT32;
  if (lua_isboolean(L, 4)) {
    endpoint = lua_toboolean(L, 4);
    t = cnL_optdtype(L, 5, CN_FLOAT32, "linspace", 5);
  } else if (lua_istable(L, 4)) {
    static const char *const ok[] = {"endpoint", "dtype", NULL};
    cnL_checkfields(L, 4, ok, "linspace");
    endpoint = cnL_optfieldbool(L, 4, "endpoint", true, "linspace");
    lua_getfield(L, 4, "dtype");
    t = cnL_optdtype(L, -1, CN_FLOAT32, "linspace", 4);
    lua_pop(L, 1);
  } else if (!lua_isnoneornil(L, 4)) {
    char d[128];
    cnL_argerror(L, "linspace", 4, "options", "must be a boolean (endpoint) or a table, got %s",
                 cnL_describe(L, 4, d, sizeof d));
  }
  cn_array *r;
  cnL_check(L, cn_linspace(&r, a, b, n, endpoint, t), "linspace");
  cnL_pusharray(L, r);
  return 1;
}

/* arange(stop) | arange(start, stop [, step]) [, dtype]: numpy's
 * half-open range.  The dtype defaults to int64 when every argument is an
 * integer, float32 otherwise. */
static int l_arange(lua_State *L) {
  int top = lua_gettop(L);
  int dt_arg = 0;
  if (top >= 1 && lua_type(L, top) == LUA_TSTRING) dt_arg = top--;
  if (top < 1 || top > 3)
    return cnL_errorf(L, "arange: expected (stop), (start, stop) or (start, stop, step), got %d arguments", top);
  double v[3] = {0, 0, 1};
  bool allint = true;
  static const char *const names[3] = {"start", "stop", "step"};
  for (int i = 1; i <= top; i++) {
    const char *nm = top == 1 ? "stop" : names[i - 1];
    double x = cnL_checkfinite(L, i, "arange", i, nm);
    if (x != floor(x)) allint = false;
    if (top == 1) v[1] = x;
    else v[i - 1] = x;
  }
  if (v[2] == 0) cnL_argerror(L, "arange", 3, "step", "must not be 0");
  cn_dtype t = allint ? CN_INT64 : CN_FLOAT32;
  if (dt_arg) t = cnL_optdtype(L, dt_arg, t, "arange", dt_arg);
  cn_array *r;
  cnL_check(L, cn_arange(&r, v[0], v[1], v[2], t), "arange");
  cnL_pusharray(L, r);
  return 1;
}

/* --- basic properties -------------------------------------------------- */

static int m_shape(lua_State *L) {
  cn_array *a = self_array(L, "shape");
  if (!lua_isnoneornil(L, 2)) {
    int64_t ax = cnL_checkint(L, 2, "shape", 1, "axis");
    if (ax < 0) ax += a->ndim + 1;
    if (ax < 1 || ax > a->ndim)
      cnL_argerror(L, "shape", 1, "axis", "must be in 1..%d, got %lld", a->ndim, (long long)ax);
    lua_pushinteger(L, a->shape[ax - 1]);
    return 1;
  }
  cnL_pushshape(L, a->ndim, a->shape);
  return 1;
}
static int m_ndim(lua_State *L) { lua_pushinteger(L, self_array(L, "ndim")->ndim); return 1; }
static int m_size(lua_State *L) { lua_pushinteger(L, self_array(L, "size")->size); return 1; }
static int m_dtype(lua_State *L) {
  lua_pushstring(L, cn_dtype_name(self_array(L, "dtype")->dtype));
  return 1;
}
static int m_len(lua_State *L) {
  cn_array *a = self_array(L, "__len");
  lua_pushinteger(L, a->ndim ? a->shape[0] : 1);
  return 1;
}
static int m_gc(lua_State *L) {
  cn_array **ud = luaL_checkudata(L, 1, CNL_ARRAY_MT);
  cn_array_release(*ud);
  *ud = NULL;
  return 0;
}
static int m_is_view(lua_State *L) {
  lua_pushboolean(L, self_array(L, "is_view")->base != NULL);
  return 1;
}

/* --- reshaping and copies --------------------------------------------- */

static int m_reshape(lua_State *L) {
  cn_array *a = self_array(L, "reshape");
  int64_t shape[CN_MAXDIM];
  int nd = 0;
  if (lua_istable(L, 2)) {
    lua_Integer n = luaL_len(L, 2);
    if (n > CN_MAXDIM) cnL_argerror(L, "reshape", 1, "shape", "has more than %d dimensions", CN_MAXDIM);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, 2, i);
      shape[nd++] = cnL_checkint(L, -1, "reshape", 1, "shape");
      lua_pop(L, 1);
    }
  } else {
    int top = lua_gettop(L);
    if (top - 1 > CN_MAXDIM) cnL_errorf(L, "reshape: more than %d dimensions", CN_MAXDIM);
    for (int i = 2; i <= top; i++) shape[nd++] = cnL_checkint(L, i, "reshape", i - 1, "shape");
  }
  cn_array *r;
  cnL_check(L, cn_array_reshape(&r, a, nd, shape), "reshape");
  cnL_pusharray(L, r);
  return 1;
}

static int m_flatten(lua_State *L) {
  cn_array *a = self_array(L, "flatten"), *r;
  int64_t n = a->size;
  cnL_check(L, cn_array_reshape(&r, a, 1, &n), "flatten");
  cnL_pusharray(L, r);
  return 1;
}

static int m_transpose(lua_State *L) {
  cn_array *a = self_array(L, "transpose"), *r;
  int perm[CN_MAXDIM];
  int *pp = NULL;
  if (!lua_isnoneornil(L, 2)) {
    if (!lua_istable(L, 2)) {
      char d[128];
      cnL_argerror(L, "transpose", 1, "axes", "must be a table of axes, got %s",
                   cnL_describe(L, 2, d, sizeof d));
    }
    if (luaL_len(L, 2) != a->ndim)
      cnL_argerror(L, "transpose", 1, "axes", "must list all %d axes", a->ndim);
    for (int i = 0; i < a->ndim; i++) {
      lua_geti(L, 2, i + 1);
      int64_t p = cnL_checkint(L, -1, "transpose", 1, "axes");
      if (p < 1 || p > a->ndim)
        cnL_argerror(L, "transpose", 1, "axes", "must be a permutation of 1..%d, got %lld",
                     a->ndim, (long long)p);
      perm[i] = (int)p - 1;
      lua_pop(L, 1);
    }
    pp = perm;
  }
  cnL_check(L, cn_array_transpose(&r, a, pp), "transpose");
  cnL_pusharray(L, r);
  return 1;
}

static int m_copy(lua_State *L) {
  cn_array *a = self_array(L, "copy"), *r;
  cnL_check(L, cn_array_copy(&r, a), "copy");
  cnL_pusharray(L, r);
  return 1;
}

static int m_astype(lua_State *L) {
  cn_array *a = self_array(L, "astype"), *r;
  if (lua_isnoneornil(L, 2)) cnL_argerror(L, "astype", 1, "dtype", "is required");
  cn_dtype t = cnL_optdtype(L, 2, CN_FLOAT32, "astype", 1);
  cnL_check(L, cn_array_astype(&r, a, t), "astype");
  cnL_pusharray(L, r);
  return 1;
}

/* a:slice(axis, {start, stop [, step]}) or a:slice(axis, i): 1-based,
 * inclusive bounds like Lua's string.sub; negative counts from the end. */
static int64_t norm_index(lua_State *L, int64_t i, int64_t n, const char *fn,
                          int arg, const char *name, bool allow_end) {
  if (i < 0) i += n + 1;
  if (i < 1 || i > n + (allow_end ? 1 : 0))
    cnL_argerror(L, fn, arg, name, "%lld is out of range 1..%lld", (long long)i, (long long)n);
  return i;
}

static int m_slice(lua_State *L) {
  cn_array *a = self_array(L, "slice"), *r;
  int64_t axis = cnL_checkint(L, 2, "slice", 1, "axis");
  if (axis < 0) axis += a->ndim + 1;
  if (axis < 1 || axis > a->ndim)
    cnL_argerror(L, "slice", 1, "axis", "must be in 1..%d, got %lld", a->ndim, (long long)axis);
  int64_t n = a->shape[axis - 1];
  int64_t start, stop, step = 1;
  if (lua_type(L, 3) == LUA_TNUMBER) {
    start = stop = norm_index(L, cnL_checkint(L, 3, "slice", 2, "range"), n, "slice", 2, "range", false);
  } else if (lua_istable(L, 3)) {
    lua_geti(L, 3, 1);
    lua_geti(L, 3, 2);
    lua_geti(L, 3, 3);
    step = lua_isnil(L, -1) ? 1 : cnL_checkint(L, -1, "slice", 2, "range step");
    if (step == 0) cnL_argerror(L, "slice", 2, "range", "step must not be 0");
    /* the defaults run over the whole axis in the direction of the step */
    start = lua_isnil(L, -3) ? (step > 0 ? 1 : n) : cnL_checkint(L, -3, "slice", 2, "range start");
    stop = lua_isnil(L, -2) ? (step > 0 ? n : 1) : cnL_checkint(L, -2, "slice", 2, "range stop");
    lua_pop(L, 3);
    if (start < 0) start += n + 1;
    if (stop < 0) stop += n + 1;
    /* forward: start may be n+1 and stop 0 (empty); backward: start may be
     * 0 and stop n+1 (empty), never past the axis */
    if (step > 0 ? (start < 1 || start > n + 1) : (start < 0 || start > n))
      cnL_argerror(L, "slice", 2, "range", "start %lld out of range 1..%lld", (long long)start, (long long)n);
    if (step > 0 ? (stop < 0 || stop > n) : (stop < 1 || stop > n + 1))
      cnL_argerror(L, "slice", 2, "range", "stop %lld out of range %d..%lld", (long long)stop,
                   step > 0 ? 0 : 1, (long long)(step > 0 ? n : n + 1));
  } else {
    char d[128];
    return cnL_argerror(L, "slice", 2, "range", "must be an index or {start, stop [, step]}, got %s",
                        cnL_describe(L, 3, d, sizeof d));
  }
  /* inclusive 1-based [start, stop] to 0-based, stop exclusive */
  int64_t s0 = start - 1, e0 = step > 0 ? stop : stop - 2;
  if (step > 0 && e0 < s0) e0 = s0;
  if (step < 0 && e0 > s0) e0 = s0;
  cnL_check(L, cn_array_slice(&r, a, (int)axis - 1, s0, e0, step), "slice");
  cnL_pusharray(L, r);
  return 1;
}

/* --- element access ---------------------------------------------------- */

static void push_element(lua_State *L, const cn_array *a, int64_t off) {
  double v = cn_array_getd(a, off);
  switch (a->dtype) {
  case CN_INT32: lua_pushinteger(L, ((const int32_t *)a->data)[off]); break;
  case CN_INT64: lua_pushinteger(L, ((const int64_t *)a->data)[off]); break;
  case CN_BOOL: lua_pushboolean(L, v != 0); break;
  default: lua_pushnumber(L, v); break;
  }
}

static void set_element(lua_State *L, cn_array *a, int64_t off, int vidx,
                        const char *fn) {
  if (!cnL_setelement(L, vidx, a, off)) cnL_checknumber(L, vidx, fn, 2, "value");
}

/* Offset of the 1-based multi-index in the table at idx. */
static int64_t table_offset(lua_State *L, cn_array *a, int idx, const char *fn) {
  lua_Integer n = luaL_len(L, idx);
  if (n != a->ndim)
    cnL_errorf(L, "%s: expected %d indices for a %d-d array, got %d", fn, a->ndim, a->ndim, (int)n);
  int64_t ix[CN_MAXDIM];
  for (int i = 0; i < a->ndim; i++) {
    lua_geti(L, idx, i + 1);
    int64_t k = cnL_checkint(L, -1, fn, 1, "index");
    lua_pop(L, 1);
    if (k < 0) k += a->shape[i] + 1;
    if (k < 1 || k > a->shape[i])
      cnL_errorf(L, "%s: index %lld out of range 1..%lld on axis %d", fn, (long long)k,
                 (long long)a->shape[i], i + 1);
    ix[i] = k - 1;
  }
  int64_t off;
  cnL_check(L, cn_array_offset(a, a->ndim, ix, &off), fn);
  return off;
}

/* a[i] and a[i] = v: the 1-based row i (argument 2, negative counts from
 * the end) along the first axis. */
static int64_t row_index(lua_State *L, const cn_array *a) {
  int64_t i = cnL_checkint(L, 2, "index", 1, "index");
  if (i < 0) i += a->shape[0] + 1;
  if (i < 1 || i > a->shape[0])
    cnL_errorf(L, "index: index %lld out of range 1..%lld", (long long)i,
               (long long)a->shape[0]);
  return i;
}

static int m_index(lua_State *L) {
  if (lua_type(L, 2) == LUA_TSTRING) { /* method lookup */
    luaL_getmetatable(L, CNL_ARRAY_MT);
    lua_getfield(L, -1, "__methods");
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
  }
  cn_array *a = cnL_livearray(L, 1, "index");
  if (lua_type(L, 2) == LUA_TNUMBER) {
    if (a->ndim == 0) return cnL_errorf(L, "index: cannot index a 0-d array (use a:item())");
    /* Like a Lua list, an integer index outside 1..n (or -n..-1) reads
     * nil, so that ipairs(a) ends one past the end. */
    int64_t i = cnL_checkint(L, 2, "index", 1, "index");
    if (i < 0) i += a->shape[0] + 1;
    if (i < 1 || i > a->shape[0]) {
      lua_pushnil(L);
      return 1;
    }
    if (a->ndim == 1) {
      push_element(L, a, i - 1);
    } else {
      cn_array *r;
      cnL_check(L, cn_array_select(&r, a, i - 1), "index");
      cnL_pusharray(L, r);
    }
    return 1;
  }
  if (lua_istable(L, 2)) {
    push_element(L, a, table_offset(L, a, 2, "index"));
    return 1;
  }
  char d[128];
  return cnL_errorf(L, "index: an array is indexed by an integer, a table of integers or a "
                    "method name, got %s", cnL_describe(L, 2, d, sizeof d));
}

/* pairs(a): the same (i, a[i]) as ipairs(a), i = 1 .. #a along the first
 * axis: elements of a 1-D array, rows (views) of an N-D array. */
static int pairs_next(lua_State *L) {
  cn_array *a = cnL_livearray(L, 1, "pairs");
  lua_Integer i = lua_isnil(L, 2) ? 1 : luaL_checkinteger(L, 2) + 1;
  if (i > a->shape[0]) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, i);
  if (a->ndim == 1) {
    push_element(L, a, i - 1);
  } else {
    cn_array *r;
    cnL_check(L, cn_array_select(&r, a, i - 1), "pairs");
    cnL_pusharray(L, r);
  }
  return 2;
}
static int m_pairs(lua_State *L) {
  cn_array *a = cnL_livearray(L, 1, "pairs");
  if (a->ndim == 0)
    return cnL_errorf(L, "pairs: cannot iterate over a 0-d array (use a:item())");
  lua_pushcfunction(L, pairs_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}
static int m_newindex(lua_State *L) {
  cn_array *a = cnL_livearray(L, 1, "index");
  if (lua_type(L, 2) == LUA_TNUMBER) {
    if (a->ndim == 0) return cnL_errorf(L, "index: cannot index a 0-d array");
    int64_t i = row_index(L, a);
    if (a->ndim == 1) {
      set_element(L, a, i - 1, 3, "index");
    } else { /* assign a whole row from an array, table or number */
      cn_array *row, *src;
      cnL_check(L, cn_array_select(&row, a, i - 1), "index");
      cnL_pusharray(L, row);
      if (lua_type(L, 3) == LUA_TNUMBER) {
        cn_array_fill(row, lua_tonumber(L, 3));
      } else {
        src = cnL_checkarraylike(L, 3, a->dtype, "index", 2, "value");
        cn_status s = src->size == row->size ? cn_array_assign(row, src)
                                             : cn_error(CN_ESHAPE, "row has %lld elements, value has %lld",
                                                        (long long)row->size, (long long)src->size);
        cn_array_release(src);
        cnL_check(L, s, "index");
      }
    }
    return 0;
  }
  if (lua_istable(L, 2)) {
    set_element(L, a, table_offset(L, a, 2, "index"), 3, "index");
    return 0;
  }
  char d[128];
  return cnL_errorf(L, "index: cannot assign to key %s of an array", cnL_describe(L, 2, d, sizeof d));
}

/* Flat offset of the 1-based indices in arguments 2 .. ndim+1. */
static int64_t args_offset(lua_State *L, const cn_array *a, const char *fn) {
  int64_t off = 0;
  for (int i = 0; i < a->ndim; i++) {
    int64_t k = cnL_checkint(L, i + 2, fn, i + 1, "index");
    k = norm_index(L, k, a->shape[i], fn, i + 1, "index", false);
    off = off * a->shape[i] + (k - 1);
  }
  return off;
}

static int m_get(lua_State *L) {
  cn_array *a = self_array(L, "get");
  int top = lua_gettop(L);
  if (top - 1 != a->ndim)
    return cnL_errorf(L, "get: expected %d indices, got %d", a->ndim, top - 1);
  push_element(L, a, args_offset(L, a, "get"));
  return 1;
}

static int m_set(lua_State *L) {
  cn_array *a = self_array(L, "set");
  int top = lua_gettop(L);
  if (top - 2 != a->ndim)
    return cnL_errorf(L, "set: expected %d indices and a value, got %d arguments", a->ndim, top - 1);
  set_element(L, a, args_offset(L, a, "set"), top, "set");
  return 0;
}

static int m_item(lua_State *L) {
  cn_array *a = self_array(L, "item");
  if (a->size != 1)
    return cnL_errorf(L, "item: the array has %lld elements, expected exactly 1", (long long)a->size);
  push_element(L, a, 0);
  return 1;
}

static int m_fill(lua_State *L) {
  cn_array *a = self_array(L, "fill");
  double v = lua_isboolean(L, 2) ? lua_toboolean(L, 2) : cnL_checknumber(L, 2, "fill", 1, "value");
  cn_array_fill(a, v);
  lua_settop(L, 1);
  return 1;
}

/* a:assign(b): copy b (array, table or number) into a, in place. */
static int m_assign(lua_State *L) {
  cn_array *a = self_array(L, "assign");
  if (lua_type(L, 2) == LUA_TNUMBER) {
    cn_array_fill(a, lua_tonumber(L, 2));
  } else {
    cn_array *b = cnL_checkarraylike(L, 2, a->dtype, "assign", 1, "value");
    cn_status s = cn_array_assign(a, b);
    cn_array_release(b);
    cnL_check(L, s, "assign");
  }
  lua_settop(L, 1);
  return 1;
}

static void totable_rec(lua_State *L, const cn_array *a, int d, int64_t *off) {
  lua_createtable(L, (int)a->shape[d], 0);
  for (int64_t i = 0; i < a->shape[d]; i++) {
    if (d + 1 == a->ndim) push_element(L, a, (*off)++);
    else totable_rec(L, a, d + 1, off);
    lua_rawseti(L, -2, i + 1);
  }
}

static int m_totable(lua_State *L) {
  cn_array *a = self_array(L, "totable");
  if (a->ndim == 0) {
    push_element(L, a, 0);
    return 1;
  }
  luaL_checkstack(L, a->ndim + 4, "totable: array too deep");
  int64_t off = 0;
  totable_rec(L, a, 0, &off);
  return 1;
}

static int l_isarray(lua_State *L) {
  lua_pushboolean(L, cnL_toarray(L, 1) != NULL);
  return 1;
}

/* --- registration ------------------------------------------------------ */

/* Other binding files (l_ops.c, l_array_print.c) add more methods. */
void cnL_array_methods_ops(lua_State *L);
int cnL_array_tostring(lua_State *L);

static const luaL_Reg methods[] = {
    {"shape", m_shape},   {"ndim", m_ndim},         {"size", m_size},
    {"dtype", m_dtype},   {"reshape", m_reshape},   {"flatten", m_flatten},
    {"transpose", m_transpose}, {"copy", m_copy},   {"astype", m_astype},
    {"slice", m_slice},   {"get", m_get},           {"set", m_set},
    {"item", m_item},     {"fill", m_fill},         {"assign", m_assign},
    {"totable", m_totable}, {"is_view", m_is_view}, {NULL, NULL}};

static const luaL_Reg functions[] = {
    {"zeros", l_zeros},       {"ones", l_ones},   {"empty", l_empty},
    {"full", l_full},         {"array", l_array}, {"linspace", l_linspace},
    {"arange", l_arange},     {"isarray", l_isarray}, {NULL, NULL}};

void cnL_open_array(lua_State *L) {
  luaL_newmetatable(L, CNL_ARRAY_MT);
  lua_pushcfunction(L, m_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, m_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, m_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, m_len);
  lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, m_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_pushcfunction(L, cnL_array_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_newtable(L); /* __methods */
  luaL_setfuncs(L, methods, 0);
  cnL_array_methods_ops(L); /* adds arithmetic methods and metamethods */
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__methods");
  /* The Lua package adds methods written in Lua (a:save, ...) here. */
  lua_setfield(L, -3, "array_methods");
  lua_pop(L, 1);
  luaL_setfuncs(L, functions, 0);
}
