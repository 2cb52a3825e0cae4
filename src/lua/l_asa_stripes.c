/* canns — Lua bindings of CohoMap's stripe fit (src/asa/stripes.c), in
 * core.asa next to the other ASA kernels:
 *
 *   local out = core.asa.rotate(img, angle_deg, reshape)
 *   local xr = core.asa.stripe_window(grid_size, trim, angle)
 *   local f = core.asa.stripe_objective(map, grid_size, trim, params {k, 3})
 *   local x, fun, p0 = core.asa.fit_stripes(map, grid_size, trim, ag, pg, sg, lo, hi)
 *
 * The public functions (argument names, defaults, checks) are in
 * lua/canns/analyzer/data/asa/cohomap.lua and cohomap_vectors.lua.
 */
#include <math.h>

#include "canns/asa.h"
#include "lua/cnlua.h"

static cn_array *f64arg(lua_State *L, int idx, const char *fn, const char *name) {
  cn_array *a = cnL_checkarraylike(L, idx, CN_FLOAT64, fn, idx, name);
  cnL_pusharray(L, a);
  if (a->dtype != CN_FLOAT64) {
    cn_array *F;
    cnL_check(L, cn_array_astype(&F, a, CN_FLOAT64), fn);
    cnL_pusharray(L, F);
    a = F;
  }
  return a;
}

static cn_array *square_map(lua_State *L, int idx, const char *fn) {
  cn_array *M = f64arg(L, idx, fn, "phase_map");
  if (M->ndim != 2 || M->shape[0] != M->shape[1]) {
    char b[96];
    cnL_argerror(L, fn, idx, "phase_map", "must be a square 2-d map, got %s", cnL_describe(L, idx, b, sizeof b));
  }
  return M;
}

/* rotate(img {r, c}, angle_deg, reshape) -> rotated copy */
static int l_rotate(lua_State *L) {
  const char *fn = "rotate";
  luaL_checkstack(L, 16, fn);
  cn_array *I = f64arg(L, 1, fn, "input");
  if (I->ndim != 2) {
    char b[96];
    cnL_argerror(L, fn, 1, "input", "must be a 2-d image, got %s", cnL_describe(L, 1, b, sizeof b));
  }
  double ang = luaL_checknumber(L, 2);
  if (!isfinite(ang)) cnL_argerror(L, fn, 2, "angle", "must be finite, got %g", ang);
  bool reshape = lua_toboolean(L, 3);
  int64_t r, c;
  cn_asa_rotate_shape(I->shape[0], I->shape[1], ang, reshape, &r, &c);
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_FLOAT64, r, c), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_asa_rotate(cn_f64(I), I->shape[0], I->shape[1], ang, reshape, cn_f64(out)), fn);
  return 1;
}

/* stripe_window(grid_size, trim, angle) -> {n, n} rotated ramp */
static int l_stripe_window(lua_State *L) {
  const char *fn = "cohomap_stripes";
  int64_t g = cnL_checkrange(L, 1, fn, 1, "grid_size", 4, 1 << 16);
  int64_t trim = cnL_checkrange(L, 2, fn, 2, "trim", 1, 1 << 15);
  double ang = luaL_checknumber(L, 3);
  int64_t n = g - 1 - 2 * trim;
  if (n < 1) cnL_error(L, fn, "grid_size %lld leaves no window after trim %lld", (long long)g, (long long)trim);
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_FLOAT64, n, n), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_asa_stripe_window(g, trim, ang, cn_f64(out)), fn);
  return 1;
}

/* stripe_objective(map {n, n}, grid_size, trim, params {k, 3}) -> {k} */
static int l_stripe_objective(lua_State *L) {
  const char *fn = "fit_cohomap_stripes";
  luaL_checkstack(L, 16, fn);
  cn_array *M = square_map(L, 1, fn);
  int64_t g = cnL_checkrange(L, 2, fn, 2, "grid_size", 4, 1 << 16);
  int64_t trim = cnL_checkrange(L, 3, fn, 3, "trim", 1, 1 << 15);
  cn_array *P = f64arg(L, 4, fn, "params");
  if (P->ndim != 2 || P->shape[1] != 3) {
    char b[96];
    cnL_argerror(L, fn, 4, "params", "must be a (k, 3) matrix, got %s", cnL_describe(L, 4, b, sizeof b));
  }
  cn_array *out;
  cnL_check(L, cn_array_new1(&out, CN_FLOAT64, P->shape[0]), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_asa_stripe_objective(cn_f64(M), M->shape[0], g, trim, cn_f64(P), P->shape[0], cn_f64(out)), fn);
  return 1;
}

/* fit_stripes(map, grid_size, trim, angle_grid, phase_grid, spacing_grid, lo, hi) -> x, fun, p0 */
static int l_fit_stripes(lua_State *L) {
  const char *fn = "fit_cohomap_stripes";
  luaL_checkstack(L, 16, fn);
  cn_array *M = square_map(L, 1, fn);
  int64_t g = cnL_checkrange(L, 2, fn, 2, "grid_size", 4, 1 << 16);
  int64_t trim = cnL_checkrange(L, 3, fn, 3, "trim", 1, 1 << 15);
  int64_t grid[3] = {cnL_checkrange(L, 4, fn, 4, "angle_grid", 1, 100000),
                     cnL_checkrange(L, 5, fn, 5, "phase_grid", 1, 100000),
                     cnL_checkrange(L, 6, fn, 6, "spacing_grid", 1, 100000)};
  double lo = luaL_checknumber(L, 7), hi = luaL_checknumber(L, 8);
  double p0[3], x[3], fun;
  cnL_check(L, cn_asa_fit_stripes(cn_f64(M), M->shape[0], g, trim, grid, lo, hi, p0, x, &fun), fn);
  cn_array *X, *P0;
  cnL_check(L, cn_array_new1(&X, CN_FLOAT64, 3), fn);
  cnL_pusharray(L, X);
  lua_pushnumber(L, fun);
  cnL_check(L, cn_array_new1(&P0, CN_FLOAT64, 3), fn);
  cnL_pusharray(L, P0);
  for (int k = 0; k < 3; k++) {
    cn_f64(X)[k] = x[k];
    cn_f64(P0)[k] = p0[k];
  }
  return 3;
}

static const luaL_Reg stripe_funcs[] = {
    {"rotate", l_rotate},
    {"stripe_window", l_stripe_window},
    {"stripe_objective", l_stripe_objective},
    {"fit_stripes", l_fit_stripes},
    {NULL, NULL}};

void cnL_asa_stripes_register(lua_State *L) { luaL_setfuncs(L, stripe_funcs, 0); }
