/* canns — Lua bindings of the grid-cell metrics (canns/spatial_metrics.h)
 * and of the systematic rate map (canns/gridcell.h); the public functions
 * are in lua/canns/analyzer/metrics.lua.
 *
 *   core.spatial_autocorrelation(map)          -> (h, w) float64
 *   core.grid_score(ac, inner, outer)          -> score, {c30, c60, c90, c120, c150}
 *   core.find_grid_spacing(ac)                 -> spacing in bins
 *   core.gcv_systematic_ratemap(m, bw, bh, resolution, speed) -> (R, R, num) float64
 */
#include "canns/gridcell.h"
#include "canns/spatial_metrics.h"
#include "lua/l_models.h"

/* A 2-D float array at idx as a contiguous float64 copy (Lua owns it; it
 * is pushed on the stack). */
static cn_array *check_map(lua_State *L, int idx, const char *fn, const char *name) {
  cn_array *a = cnL_checkfloatarray(L, idx, fn, 1, name, 2, (const int64_t[]){-1, -1});
  cn_array *c;
  cnL_check(L, cn_array_astype(&c, a, CN_FLOAT64), fn);
  cnL_pusharray(L, c);
  if (c->size == 0) cnL_argerror(L, fn, 1, name, "must not be empty");
  return c;
}

static int l_spatial_autocorrelation(lua_State *L) {
  const char *fn = "compute_spatial_autocorrelation";
  cn_array *m = check_map(L, 1, fn, "rate_map");
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT64, 2, m->shape), fn);
  cnL_pusharray(L, out);
  cn_status s = cn_spatial_autocorrelation(m->data, m->shape[0], m->shape[1], out->data);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  return 1;
}

static int l_grid_score(lua_State *L) {
  const char *fn = "compute_grid_score";
  cn_array *m = check_map(L, 1, fn, "autocorr");
  double inner = cnL_checknumber(L, 2, fn, 2, "annulus_inner");
  double outer = cnL_checknumber(L, 3, fn, 3, "annulus_outer");
  double score, c[5];
  cn_status s = cn_grid_score(m->data, m->shape[0], m->shape[1], inner, outer, &score, c);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  lua_pushnumber(L, score);
  lua_createtable(L, 5, 0);
  for (int k = 0; k < 5; k++) {
    lua_pushnumber(L, c[k]);
    lua_rawseti(L, -2, k + 1);
  }
  return 2;
}

static int l_find_grid_spacing(lua_State *L) {
  const char *fn = "find_grid_spacing";
  cn_array *m = check_map(L, 1, fn, "autocorr");
  double sp;
  cn_status s = cn_find_grid_spacing(m->data, m->shape[0], m->shape[1], &sp);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  lua_pushnumber(L, sp);
  return 1;
}

static int l_gcv_systematic_ratemap(lua_State *L) {
  const char *fn = "compute_systematic_ratemap";
  cn_model *m = cnL_checkmodel(L, 1, fn, 1, "model");
  double bw = cnL_checknumber(L, 2, fn, 2, "box_width");
  double bh = cnL_checknumber(L, 3, fn, 3, "box_height");
  int64_t res = cnL_checkrange(L, 4, fn, 4, "resolution", 1, CNL_MAX_COUNT);
  double speed = cnL_checknumber(L, 5, fn, 5, "speed");
  cn_array *out;
  cn_status s = cn_gcv_systematic_ratemap(m, bw, bh, res, speed, &out);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  cnL_pusharray(L, out);
  return 1;
}

static const luaL_Reg functions[] = {{"spatial_autocorrelation", l_spatial_autocorrelation},
                                     {"grid_score", l_grid_score},
                                     {"find_grid_spacing", l_find_grid_spacing},
                                     {"gcv_systematic_ratemap", l_gcv_systematic_ratemap},
                                     {NULL, NULL}};

void cnL_open_spatial_metrics(lua_State *L) { luaL_setfuncs(L, functions, 0); }
