/* canns — Lua bindings of array arithmetic, math functions, reductions,
 * linear algebra and FFT.  Each operation is reachable both as a function
 * (canns.exp(a)) and as a method (a:exp()); arithmetic also through the
 * metamethods (+ - * / % ^ unary -). */
#include <math.h>
#include <string.h>

#include "lua/cnlua.h"

/* --- binary arithmetic -------------------------------------------------- */

static const char *const binop_names[CN_NBINOPS] = {
    "add", "sub", "mul", "div", "pow", "mod", "maximum", "minimum",
    "eq", "ne", "lt", "le", "gt", "ge", "atan2"};

/* r = x op y where either side may be an array, a number or a table. */
static int binop_any(lua_State *L, cn_binop op, int ix, int iy, bool inplace) {
  const char *fn = binop_names[op];
  cn_array *a = cnL_toarray(L, ix), *b = cnL_toarray(L, iy), *r = NULL;
  cn_status s;
  char d[128];
  if (inplace) r = a;
  if (a && b) {
    s = cn_array_binop(&r, op, a, b);
  } else if (a && lua_type(L, iy) == LUA_TNUMBER) {
    s = cn_array_binop_scalar(&r, op, a, lua_tonumber(L, iy), false);
  } else if (b && lua_type(L, ix) == LUA_TNUMBER) {
    s = cn_array_binop_scalar(&r, op, b, lua_tonumber(L, ix), true);
  } else if (a || b) {
    int other = a ? iy : ix;
    if (!lua_istable(L, other) && !lua_isboolean(L, other))
      return cnL_errorf(L, "%s: cannot combine an array with %s", fn,
                        cnL_describe(L, other, d, sizeof d));
    cn_array *o = lua_isboolean(L, other)
                      ? NULL
                      : cnL_checkarraylike(L, other, (a ? a : b)->dtype, fn, a ? 2 : 1, "operand");
    if (!o) {
      s = a ? cn_array_binop_scalar(&r, op, a, lua_toboolean(L, other), false)
            : cn_array_binop_scalar(&r, op, b, lua_toboolean(L, other), true);
    } else {
      s = a ? cn_array_binop(&r, op, a, o) : cn_array_binop(&r, op, o, b);
      cn_array_release(o);
    }
  } else {
    return cnL_errorf(L, "%s: expected an array operand, got %s and %s", fn,
                      cnL_describe(L, ix, d, sizeof d), cnL_describe(L, iy, d + 64, 64));
  }
  if (s != CN_OK && !inplace) cn_array_release(r);
  cnL_check(L, s, fn);
  if (inplace) lua_pushvalue(L, ix);
  else cnL_pusharray(L, r);
  return 1;
}

#define BINOP_FN(name, op)                                                     \
  static int l_##name(lua_State *L) { return binop_any(L, op, 1, 2, false); }  \
  static int l_##name##_(lua_State *L) {                                       \
    if (!cnL_toarray(L, 1)) cnL_errorf(L, #name "_: self must be an array");   \
    return binop_any(L, op, 1, 2, true);                                       \
  }
BINOP_FN(add, CN_ADD)
BINOP_FN(sub, CN_SUB)
BINOP_FN(mul, CN_MUL)
BINOP_FN(div, CN_DIV)
BINOP_FN(pow, CN_POW)
BINOP_FN(mod, CN_MOD)
BINOP_FN(maximum, CN_MAXIMUM)
BINOP_FN(minimum, CN_MINIMUM)
BINOP_FN(atan2, CN_ATAN2)
static int l_eq(lua_State *L) { return binop_any(L, CN_EQ, 1, 2, false); }
static int l_ne(lua_State *L) { return binop_any(L, CN_NE, 1, 2, false); }
static int l_lt(lua_State *L) { return binop_any(L, CN_LT, 1, 2, false); }
static int l_le(lua_State *L) { return binop_any(L, CN_LE, 1, 2, false); }
static int l_gt(lua_State *L) { return binop_any(L, CN_GT, 1, 2, false); }
static int l_ge(lua_State *L) { return binop_any(L, CN_GE, 1, 2, false); }

static int mm_unm(lua_State *L) {
  cn_array *a = cnL_livearray(L, 1, "unm"), *r = NULL;
  cnL_check(L, cn_array_unop(&r, CN_NEG, a), "unm");
  cnL_pusharray(L, r);
  return 1;
}

/* canns.array_equal(a, b): same shape and equal elements. */
static int array_equal(lua_State *L) {
  cn_array *a = cnL_checkarray(L, 1, "array_equal", 1, "a");
  cn_array *b = cnL_checkarray(L, 2, "array_equal", 2, "b");
  bool eq = cn_array_same_shape(a, b);
  if (eq) cnL_check(L, cn_array_allclose(a, b, 0, 0, false, &eq), "array_equal");
  lua_pushboolean(L, eq);
  return 1;
}

/* a == b (a boolean, as Lua requires of __eq): array_equal for two arrays,
 * false against any other userdata.  Use a:eq(b) for the elementwise
 * comparison. */
static int mm_eq(lua_State *L) {
  if (!cnL_toarray(L, 1) || !cnL_toarray(L, 2)) {
    lua_pushboolean(L, 0);
    return 1;
  }
  return array_equal(L);
}

/* --- unary math ---------------------------------------------------------- */

static const struct { const char *name; cn_unop op; } unops[] = {
    {"exp", CN_EXP},       {"log", CN_LOG},           {"sqrt", CN_SQRT},
    {"sin", CN_SIN},       {"cos", CN_COS},           {"tan", CN_TAN},
    {"abs", CN_ABS},       {"square", CN_SQUARE},     {"tanh", CN_TANH},
    {"floor", CN_FLOOR},   {"ceil", CN_CEIL},         {"round", CN_ROUND},
    {"sign", CN_SIGN},     {"isnan", CN_ISNAN},       {"isfinite", CN_ISFINITE},
    {"logical_not", CN_NOT}, {"arcsin", CN_ARCSIN},   {"arccos", CN_ARCCOS},
    {"arctan", CN_ARCTAN}, {"expm1", CN_EXPM1},       {"log1p", CN_LOG1P},
    {"neg", CN_NEG}};
#define NUNOPS_L ((int)(sizeof unops / sizeof unops[0]))

/* op on a Lua number: a number (a boolean for the tests), in double as the
 * float64 kernels compute it. */
static void push_scalar_unop(lua_State *L, cn_unop op, double x) {
  switch (op) {
  case CN_ISNAN: lua_pushboolean(L, isnan(x)); return;
  case CN_ISFINITE: lua_pushboolean(L, isfinite(x)); return;
  case CN_NOT: lua_pushboolean(L, x == 0); return;
  default: break;
  }
  double y;
  switch (op) {
  case CN_NEG: y = -x; break;
  case CN_EXP: y = exp(x); break;
  case CN_LOG: y = log(x); break;
  case CN_SQRT: y = sqrt(x); break;
  case CN_SIN: y = sin(x); break;
  case CN_COS: y = cos(x); break;
  case CN_TAN: y = tan(x); break;
  case CN_ABS: y = fabs(x); break;
  case CN_SQUARE: y = x * x; break;
  case CN_TANH: y = tanh(x); break;
  case CN_FLOOR: y = floor(x); break;
  case CN_CEIL: y = ceil(x); break;
  case CN_ROUND: y = nearbyint(x); break;
  case CN_SIGN: y = x > 0 ? 1.0 : (x < 0 ? -1.0 : x); break;
  case CN_ARCSIN: y = asin(x); break;
  case CN_ARCCOS: y = acos(x); break;
  case CN_ARCTAN: y = atan(x); break;
  case CN_EXPM1: y = expm1(x); break;
  case CN_LOG1P: y = log1p(x); break;
  default: y = NAN; break;
  }
  lua_pushnumber(L, y);
}

static int l_unop(lua_State *L) {
  int k = (int)lua_tointeger(L, lua_upvalueindex(1));
  const char *fn = unops[k].name;
  if (lua_type(L, 1) == LUA_TNUMBER) {
    push_scalar_unop(L, unops[k].op, lua_tonumber(L, 1));
    return 1;
  }
  cn_array *a = cnL_checkarraylike(L, 1, cnL_toarray(L, 1) ? cnL_toarray(L, 1)->dtype : CN_FLOAT32,
                                   fn, 1, "x");
  cn_array *r = NULL;
  cn_status s = cn_array_unop(&r, unops[k].op, a);
  cn_array_release(a);
  cnL_check(L, s, fn);
  cnL_pusharray(L, r);
  return 1;
}

static int l_clip(lua_State *L) {
  cn_array *a = cnL_checkarray(L, 1, "clip", 1, "a"), *r = NULL;
  double lo = lua_isnil(L, 2) ? -INFINITY : cnL_checknumber(L, 2, "clip", 2, "a_min");
  double hi = lua_isnoneornil(L, 3) ? INFINITY : cnL_checknumber(L, 3, "clip", 3, "a_max");
  if (isnan(lo)) cnL_argerror(L, "clip", 2, "a_min", "must not be NaN");
  if (isnan(hi)) cnL_argerror(L, "clip", 3, "a_max", "must not be NaN");
  cnL_check(L, cn_array_clip(&r, a, lo, hi), "clip");
  cnL_pusharray(L, r);
  return 1;
}

static int l_where(lua_State *L) {
  cn_array *x = cnL_toarray(L, 2), *y = cnL_toarray(L, 3), *r = NULL;
  double xs = 0, ys = 0;
  if (!x) xs = cnL_checknumber(L, 2, "where", 2, "x");
  if (!y) ys = cnL_checknumber(L, 3, "where", 3, "y");
  /* last: no Lua error may follow while c is owned by no userdata */
  cn_array *c = cnL_checkarraylike(L, 1, CN_BOOL, "where", 1, "condition");
  cn_status s = cn_array_where(&r, c, x, xs, y, ys);
  cn_array_release(c);
  cnL_check(L, s, "where");
  cnL_pusharray(L, r);
  return 1;
}

/* --- reductions ------------------------------------------------------------ */

static const struct { const char *name; cn_redop op; } redops[] = {
    {"sum", CN_SUM},       {"mean", CN_MEAN}, {"max", CN_MAX}, {"min", CN_MIN},
    {"argmax", CN_ARGMAX}, {"argmin", CN_ARGMIN}, {"std", CN_STD}, {"var", CN_VAR},
    {"prod", CN_PROD},     {"any", CN_ANY},   {"all", CN_ALL}};
#define NREDOPS_L ((int)(sizeof redops / sizeof redops[0]))

/* a:sum() -> number; a:sum(axis) -> array (axis 1-based, negative from the
 * end); argmax/argmin give 1-based positions.  std/var take {ddof = 0}. */
static int l_reduce(lua_State *L) {
  int k = (int)lua_tointeger(L, lua_upvalueindex(1));
  const char *fn = redops[k].name;
  cn_redop op = redops[k].op;
  cn_array *a = cnL_checkarray(L, 1, fn, 1, "self");
  int axis = -1, ddof = 0;
  int opt = 3;
  if (lua_istable(L, 2)) opt = 2;
  else if (!lua_isnoneornil(L, 2)) {
    int64_t ax = cnL_checkint(L, 2, fn, 1, "axis");
    if (ax < 0) ax += a->ndim + 1;
    if (ax < 1 || ax > a->ndim)
      cnL_argerror(L, fn, 1, "axis", "must be in 1..%d for a %d-d array, got %lld", a->ndim,
                   a->ndim, (long long)lua_tointeger(L, 2));
    axis = (int)ax - 1;
  }
  if (lua_istable(L, opt)) {
    static const char *const ok[] = {"ddof", "axis", NULL};
    cnL_checkfields(L, opt, ok, fn);
    int64_t dd = cnL_optfieldrange(L, opt, "ddof", 0, -(INT64_C(1) << 30), INT64_C(1) << 30, fn);
    ddof = (int)dd;
    int64_t ax0 = cnL_optfieldint(L, opt, "axis", 0, fn), ax = ax0;
    if (ax != 0) {
      if (ax < 0) ax += a->ndim + 1;
      if (ax < 1 || ax > a->ndim)
        cnL_errorf(L, "%s: option 'axis' must be in 1..%d for a %d-d array, got %lld", fn,
                   a->ndim, a->ndim, (long long)ax0);
      axis = (int)ax - 1;
    }
  }
  cn_array *r = NULL;
  cnL_check(L, cn_array_reduce(&r, op, a, axis, ddof), fn);
  bool arg = op == CN_ARGMAX || op == CN_ARGMIN;
  if (axis < 0) {
    double v = cn_array_getd(r, 0);
    cn_dtype t = r->dtype;
    int64_t iv = t == CN_INT64 ? ((int64_t *)r->data)[0] : 0;
    cn_array_release(r);
    if (arg) lua_pushinteger(L, iv + 1);
    else if (t == CN_BOOL) lua_pushboolean(L, v != 0);
    else if (t == CN_INT64) lua_pushinteger(L, iv);
    else if (t == CN_INT32) lua_pushinteger(L, (lua_Integer)v);
    else lua_pushnumber(L, v);
    return 1;
  }
  if (arg) {
    int64_t *p = r->data;
    for (int64_t i = 0; i < r->size; i++) p[i] += 1;
  }
  cnL_pusharray(L, r);
  return 1;
}

static int l_cumsum(lua_State *L) {
  cn_array *a = cnL_checkarray(L, 1, "cumsum", 1, "self"), *r = NULL, *flat = NULL;
  if (lua_isnoneornil(L, 2)) {
    int64_t n = a->size;
    cnL_check(L, cn_array_reshape(&flat, a, 1, &n), "cumsum");
    cn_status s = cn_array_cumsum(&r, flat, 0);
    cn_array_release(flat);
    cnL_check(L, s, "cumsum");
  } else {
    int64_t ax = cnL_checkint(L, 2, "cumsum", 1, "axis");
    if (ax < 0) ax += a->ndim + 1;
    if (ax < 1 || ax > a->ndim) cnL_argerror(L, "cumsum", 1, "axis", "must be in 1..%d", a->ndim);
    cnL_check(L, cn_array_cumsum(&r, a, (int)ax - 1), "cumsum");
  }
  cnL_pusharray(L, r);
  return 1;
}

/* --- linear algebra, FFT, comparison ---------------------------------------- */

static int l_matmul(lua_State *L) {
  cn_array *a = cnL_checkarray(L, 1, "matmul", 1, "a");
  cn_array *b = cnL_checkarray(L, 2, "matmul", 2, "b"), *r = NULL;
  cnL_check(L, cn_array_matmul(&r, a, b), "matmul");
  cnL_pusharray(L, r);
  return 1;
}

static int l_dot(lua_State *L) {
  cn_array *a = cnL_checkarray(L, 1, "dot", 1, "a");
  cn_array *b = cnL_checkarray(L, 2, "dot", 2, "b");
  if (a->ndim == 1 && b->ndim == 1) {
    double v;
    cnL_check(L, cn_array_dot(&v, a, b), "dot");
    lua_pushnumber(L, v);
    return 1;
  }
  return l_matmul(L);
}

static int l_rfft(lua_State *L) {
  cn_array *a = cnL_checkarray(L, 1, "rfft", 1, "a"), *r = NULL;
  cnL_check(L, cn_array_rfft(&r, a), "rfft");
  cnL_pusharray(L, r);
  return 1;
}

static int l_irfft(lua_State *L) {
  cn_array *a = cnL_checkarray(L, 1, "irfft", 1, "a"), *r = NULL;
  int64_t n = lua_isnoneornil(L, 2) ? 0 : cnL_checkint(L, 2, "irfft", 2, "n");
  if (!lua_isnoneornil(L, 2) && n < 1) cnL_argerror(L, "irfft", 2, "n", "must be positive, got %lld", (long long)n);
  cnL_check(L, cn_array_irfft(&r, a, n), "irfft");
  cnL_pusharray(L, r);
  return 1;
}

static int l_allclose(lua_State *L) {
  double rtol = 1e-5, atol = 1e-8;
  bool eqnan = false;
  if (!lua_isnoneornil(L, 3)) {
    static const char *const ok[] = {"rtol", "atol", "equal_nan", NULL};
    cnL_checkfields(L, 3, ok, "allclose");
    rtol = cnL_optfieldnumber(L, 3, "rtol", rtol, "allclose");
    atol = cnL_optfieldnumber(L, 3, "atol", atol, "allclose");
    eqnan = cnL_optfieldbool(L, 3, "equal_nan", false, "allclose");
  }
  /* a is owned by a userdata before b is checked (b's error frees it) */
  cn_array *a = cnL_checkarraylike(L, 1, CN_FLOAT64, "allclose", 1, "a");
  cnL_pusharray(L, a);
  cn_array *b = cnL_checkarraylike(L, 2, CN_FLOAT64, "allclose", 2, "b");
  cnL_pusharray(L, b);
  bool res = false;
  cnL_check(L, cn_array_allclose(a, b, rtol, atol, eqnan, &res), "allclose");
  lua_pushboolean(L, res);
  return 1;
}

static int l_concatenate(lua_State *L) {
  lua_Integer len = lua_istable(L, 1) ? luaL_len(L, 1) : 0;
  if (len < 1 || len > INT32_MAX) {
    char d[128];
    cnL_argerror(L, "concatenate", 1, "arrays", "must be a non-empty list of arrays, got %s",
                 cnL_describe(L, 1, d, sizeof d));
  }
  int n = (int)len;
  int64_t axis = lua_isnoneornil(L, 2) ? 1 : cnL_checkint(L, 2, "concatenate", 2, "axis");
  cn_array **arr = lua_newuserdatauv(L, n * sizeof *arr, 0);
  for (int i = 0; i < n; i++) {
    lua_geti(L, 1, i + 1);
    arr[i] = cnL_toarray(L, -1);
    if (!arr[i]) {
      char d[128];
      cnL_argerror(L, "concatenate", 1, "arrays", "element %d must be an array, got %s", i + 1,
                   cnL_describe(L, -1, d, sizeof d));
    }
    lua_pop(L, 1); /* still referenced by the table */
  }
  int64_t ax = axis < 0 ? axis + arr[0]->ndim + 1 : axis;
  if (ax < 1 || ax > arr[0]->ndim)
    cnL_argerror(L, "concatenate", 2, "axis", "must be in 1..%d for these %d-d arrays, got %lld",
                 arr[0]->ndim, arr[0]->ndim, (long long)axis);
  cn_array *r = NULL;
  cnL_check(L, cn_array_concat(&r, arr, n, (int)ax - 1), "concatenate");
  cnL_pusharray(L, r);
  return 1;
}

/* --- registration ------------------------------------------------------------- */

static const luaL_Reg binops[] = {
    {"add", l_add}, {"sub", l_sub}, {"mul", l_mul}, {"div", l_div}, {"pow", l_pow},
    {"mod", l_mod}, {"maximum", l_maximum}, {"minimum", l_minimum}, {"atan2", l_atan2},
    {"add_", l_add_}, {"sub_", l_sub_}, {"mul_", l_mul_}, {"div_", l_div_},
    {"pow_", l_pow_}, {"mod_", l_mod_}, {"maximum_", l_maximum_}, {"minimum_", l_minimum_},
    {"atan2_", l_atan2_},
    {"eq", l_eq}, {"ne", l_ne}, {"lt", l_lt}, {"le", l_le}, {"gt", l_gt}, {"ge", l_ge},
    {"clip", l_clip}, {"cumsum", l_cumsum}, {"matmul", l_matmul}, {"dot", l_dot},
    {"rfft", l_rfft}, {"irfft", l_irfft}, {"allclose", l_allclose},
    {"array_equal", array_equal}, {NULL, NULL}};

static void add_generated(lua_State *L) {
  for (int k = 0; k < NUNOPS_L; k++) {
    lua_pushinteger(L, k);
    lua_pushcclosure(L, l_unop, 1);
    lua_setfield(L, -2, unops[k].name);
  }
  for (int k = 0; k < NREDOPS_L; k++) {
    lua_pushinteger(L, k);
    lua_pushcclosure(L, l_reduce, 1);
    lua_setfield(L, -2, redops[k].name);
  }
}

/* Called by cnL_open_array with [metatable, methods] on the stack. */
void cnL_array_methods_ops(lua_State *L) {
  luaL_setfuncs(L, binops, 0);
  add_generated(L);
  static const luaL_Reg meta[] = {
      {"__add", l_add}, {"__sub", l_sub}, {"__mul", l_mul}, {"__div", l_div},
      {"__pow", l_pow}, {"__mod", l_mod}, {"__unm", mm_unm}, {"__eq", mm_eq},
      {NULL, NULL}};
  lua_pushvalue(L, -2);
  luaL_setfuncs(L, meta, 0);
  lua_pop(L, 1);
}

/* Functions on the canns.core table. */
void cnL_open_ops(lua_State *L) {
  luaL_setfuncs(L, binops, 0);
  add_generated(L);
  static const luaL_Reg more[] = {{"where", l_where}, {"concatenate", l_concatenate}, {NULL, NULL}};
  luaL_setfuncs(L, more, 0);
}
