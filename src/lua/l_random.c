/* canns — Lua bindings of the random number generators.
 *
 *   canns.random.seed(42)
 *   canns.random.normal({3, 4})            -- N(0, 1), float32
 *   canns.random.uniform(10, 0, 2)          -- U[0, 2)
 *   local g = canns.random.Generator(7)     -- an independent generator
 *   g:normal(5, 1.0, 0.1, "float64")
 *
 * The same functions exist as methods of a Generator; the module-level
 * ones use the process-wide generator.
 */
#include <math.h>
#include <stdlib.h>

#include "canns/random.h"
#include "lua/cnlua.h"

#define GEN_MT "canns.Generator"

/* Functions take (shape, a, b, dtype) when called on the module and
 * (self, shape, a, b, dtype) as methods; `base` is the index of shape. */
static cn_rng *get_rng(lua_State *L, int *base) {
  cn_rng *g = luaL_testudata(L, 1, GEN_MT);
  if (g) {
    *base = 2;
    return g;
  }
  *base = 1;
  return cn_rng_global();
}

static uint64_t check_seed(lua_State *L, int idx, const char *fn, int arg) {
  int64_t s = cnL_checkint(L, idx, fn, arg, "seed");
  if (s < 0) cnL_argerror(L, fn, arg, "seed", "must be a non-negative integer, got %lld", (long long)s);
  return (uint64_t)s;
}

static cn_array *new_out(lua_State *L, int idx, int dt_idx, cn_dtype def, const char *fn, int arg) {
  int64_t shape[CN_MAXDIM];
  int nd = cnL_checkshape(L, idx, fn, arg, shape);
  cn_dtype t = cnL_optdtype(L, dt_idx, def, fn, arg + 3);
  cn_array *a;
  cnL_check(L, cn_array_empty(&a, t, nd, shape), fn);
  return a;
}

/* A new float array for a draw: shape at b, dtype at b + 3. */
static cn_array *float_out(lua_State *L, int b, const char *fn) {
  cn_array *a = new_out(L, b, b + 3, CN_FLOAT32, fn, 1);
  if (!cn_dtype_is_float(a->dtype)) {
    cn_array_release(a);
    cnL_argerror(L, fn, 4, "dtype", "must be float32 or float64");
  }
  return a;
}

/* Push the drawn array, or release it and raise the draw's error. */
static int push_draw(lua_State *L, cn_array *a, cn_status s, const char *fn) {
  if (s) cn_array_release(a);
  cnL_check(L, s, fn);
  cnL_pusharray(L, a);
  return 1;
}

static int l_normal(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  double loc = lua_isnoneornil(L, b + 1) ? 0 : cnL_checkfinite(L, b + 1, "normal", 2, "loc");
  double scale = lua_isnoneornil(L, b + 2) ? 1 : cnL_checkfinite(L, b + 2, "normal", 3, "scale");
  if (scale < 0) cnL_argerror(L, "normal", 3, "scale", "must be non-negative, got %g", scale);
  cn_array *a = float_out(L, b, "normal");
  return push_draw(L, a, cn_rng_normal(g, a, loc, scale), "normal");
}

static int l_uniform(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  double lo = lua_isnoneornil(L, b + 1) ? 0 : cnL_checkfinite(L, b + 1, "uniform", 2, "low");
  double hi = lua_isnoneornil(L, b + 2) ? 1 : cnL_checkfinite(L, b + 2, "uniform", 3, "high");
  if (hi < lo) cnL_argerror(L, "uniform", 3, "high", "must be >= low (%g), got %g", lo, hi);
  cn_array *a = float_out(L, b, "uniform");
  return push_draw(L, a, cn_rng_uniform(g, a, lo, hi), "uniform");
}

/* randint(shape, low, high [, dtype]): integers in [low, high). */
static int l_randint(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  int64_t lo = cnL_checkint(L, b + 1, "randint", 2, "low");
  int64_t hi = cnL_checkint(L, b + 2, "randint", 3, "high");
  if (hi <= lo) cnL_argerror(L, "randint", 3, "high", "must be > low (%lld), got %lld", (long long)lo, (long long)hi);
  cn_array *a = new_out(L, b, b + 3, CN_INT64, "randint", 1);
  return push_draw(L, a, cn_rng_randint(g, a, lo, hi), "randint");
}

/* permutation(n): the integers 1..n in random order (int64). */
static int l_permutation(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  int64_t n = cnL_checkcount(L, b, "permutation", 1, "n", CNL_MAX_COUNT);
  cn_array *a;
  cnL_check(L, cn_array_empty(&a, CN_INT64, 1, &n), "permutation");
  int64_t *p = a->data;
  cn_rng_permutation(g, n, p);
  for (int64_t i = 0; i < n; i++) p[i] += 1;
  cnL_pusharray(L, a);
  return 1;
}

static int l_shuffle(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  cn_array *a = cnL_checkarray(L, b, "shuffle", 1, "x");
  cnL_check(L, cn_rng_shuffle(g, a), "shuffle");
  lua_pushvalue(L, b);
  return 1;
}

static int l_random_scalar(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  lua_pushnumber(L, cn_rng_uniform1(g));
  return 1;
}

static int l_seed(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  cn_rng_seed(g, check_seed(L, b, "seed", 1));
  return 0;
}

static int l_get_seed(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  lua_pushinteger(L, (lua_Integer)g->key);
  return 1;
}

/* get_state() -> {seed, counter}; set_state(t) restores it. */
static int l_get_state(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, (lua_Integer)g->key);
  lua_setfield(L, -2, "seed");
  lua_pushinteger(L, (lua_Integer)g->counter);
  lua_setfield(L, -2, "counter");
  return 1;
}

static int l_set_state(lua_State *L) {
  int b;
  cn_rng *g = get_rng(L, &b);
  if (!lua_istable(L, b)) {
    char d[128];
    cnL_argerror(L, "set_state", 1, "state", "must be a table {seed =, counter =}, got %s",
                 cnL_describe(L, b, d, sizeof d));
  }
  g->key = (uint64_t)cnL_optfieldint(L, b, "seed", (int64_t)g->key, "set_state");
  g->counter = (uint64_t)cnL_optfieldint(L, b, "counter", 0, "set_state");
  return 0;
}

static int l_generator(lua_State *L) {
  uint64_t seed;
  if (lua_isnoneornil(L, 1)) seed = (uint64_t)(cn_rng_uniform1(cn_rng_global()) * 9007199254740992.0);
  else seed = check_seed(L, 1, "Generator", 1);
  cn_rng *g = lua_newuserdatauv(L, sizeof *g, 0);
  cn_rng_seed(g, seed);
  luaL_setmetatable(L, GEN_MT);
  return 1;
}

static int gen_tostring(lua_State *L) {
  cn_rng *g = luaL_checkudata(L, 1, GEN_MT);
  lua_pushfstring(L, "Generator(seed=%I, counter=%I)", (lua_Integer)g->key, (lua_Integer)g->counter);
  return 1;
}

static const luaL_Reg funcs[] = {
    {"normal", l_normal},         {"uniform", l_uniform},   {"randint", l_randint},
    {"permutation", l_permutation}, {"shuffle", l_shuffle}, {"random", l_random_scalar},
    {"seed", l_seed},             {"get_seed", l_get_seed}, {"get_state", l_get_state},
    {"set_state", l_set_state},   {NULL, NULL}};

cn_rng *cnL_checkgenerator(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, GEN_MT);
}

void cnL_open_random(lua_State *L) {
  luaL_newmetatable(L, GEN_MT);
  lua_newtable(L);
  luaL_setfuncs(L, funcs, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, gen_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_newtable(L); /* core.random */
  luaL_setfuncs(L, funcs, 0);
  lua_pushcfunction(L, l_generator);
  lua_setfield(L, -2, "Generator");
  lua_setfield(L, -2, "random");
}
