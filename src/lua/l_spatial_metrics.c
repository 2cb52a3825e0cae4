/* canns — Lua bindings of the grid-cell metrics (canns/spatial_metrics.h)
 * and of the systematic rate map (canns/gridcell.h); the public functions
 * are in lua/canns/analyzer/metrics.lua.
 *
 *   core.spatial_autocorrelation(map)          -> (h, w) float64
 *   core.grid_score(ac, inner, outer)          -> score, {c30, c60, c90, c120, c150}
 *   core.find_grid_spacing(ac)                 -> spacing in bins
 *   core.gcv_systematic_ratemap(m, bw, bh, resolution, speed) -> (R, R, num) float64
 *   core.firing_field(A, positions, width, height, M, K)  -> (N, M, K) float64
 *   core.gaussian_smooth_heatmaps(h, sigma)    -> (N, M, K), h's float dtype
 *   core.spike_train_to_firing_rate(s, dt_spike, dt_rate) -> (R, N) float64
 *   core.firing_rate_to_spike_train(r, dt_rate, dt_spike) -> (T, N) int32
 */
#include "canns/gridcell.h"
#include "canns/spatial_metrics.h"
#include <math.h>

#include "lua/l_models.h"

/* An ndim-D array at idx (any numeric dtype) as a contiguous float64 copy
 * (Lua owns it; it is pushed on the stack). */
static cn_array *check_f64(lua_State *L, int idx, const char *fn, const char *name, int ndim) {
  cn_array *a = cnL_checkarray(L, idx, fn, idx, name);
  if (a->ndim != ndim)
    cnL_argerror(L, fn, idx, name, "must be a %d-D array, got %d-D", ndim, a->ndim);
  cn_array *c;
  cnL_check(L, cn_array_astype(&c, a, CN_FLOAT64), fn);
  cnL_pusharray(L, c);
  return c;
}

/* A 2-D float map at idx as a float64 copy, not empty. */
static cn_array *check_map(lua_State *L, int idx, const char *fn, const char *name) {
  cnL_checkfloatarray(L, idx, fn, 1, name, 2, (const int64_t[]){-1, -1});
  cn_array *c = check_f64(L, idx, fn, name, 2);
  if (c->size == 0) cnL_argerror(L, fn, 1, name, "must not be empty");
  return c;
}

static void check_all_finite(lua_State *L, const cn_array *a, const char *fn, int arg,
                             const char *name) {
  const double *d = a->data;
  for (int64_t i = 0; i < a->size; i++)
    if (!isfinite(d[i])) cnL_argerror(L, fn, arg, name, "must be finite, got %g at element %lld",
                                      d[i], (long long)i + 1);
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

static int l_firing_field(lua_State *L) {
  const char *fn = "compute_firing_field";
  cn_array *A = check_f64(L, 1, fn, "A", 2);
  cn_array *P = check_f64(L, 2, fn, "positions", 2);
  if (P->shape[0] != A->shape[0] || P->shape[1] != 2)
    cnL_argerror(L, fn, 2, "positions", "must be (%lld, 2) to match A, got (%lld, %lld)",
                 (long long)A->shape[0], (long long)P->shape[0], (long long)P->shape[1]);
  double w = cnL_checkfinite(L, 3, fn, 3, "width"), h = cnL_checkfinite(L, 4, fn, 4, "height");
  int64_t M = cnL_checkrange(L, 5, fn, 5, "M", 1, 46340);
  int64_t K = cnL_checkrange(L, 6, fn, 6, "K", 1, 46340);
  if (A->shape[1] < 1) cnL_argerror(L, fn, 1, "A", "must have at least one neuron (column)");
  if (A->shape[1] > CN_ARRAY_MAX_BYTES / 8 / (M * K))
    cnL_argerror(L, fn, 1, "A", "makes %lld maps of %lld x %lld: too large", (long long)A->shape[1],
                 (long long)M, (long long)K);
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT64, 3, (int64_t[]){A->shape[1], M, K}), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_firing_field(A->data, A->shape[0], A->shape[1], P->data, w, h, M, K, out->data),
            fn);
  return 1;
}

static int l_gaussian_smooth_heatmaps(lua_State *L) {
  const char *fn = "gaussian_smooth_heatmaps";
  cn_array *in = cnL_checkarray(L, 1, fn, 1, "heatmaps");
  cn_array *H = check_f64(L, 1, fn, "heatmaps", 3);
  double sigma = cnL_checkfinite(L, 2, fn, 2, "sigma");
  if (sigma < 0) cnL_argerror(L, fn, 2, "sigma", "must be >= 0, got %g", sigma);
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT64, 3, H->shape), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_gaussian_smooth_heatmaps(H->data, H->shape[0], H->shape[1], H->shape[2], sigma,
                                           out->data), fn);
  if (in->dtype == CN_FLOAT32) { /* scipy keeps the input's dtype */
    cn_array *o32;
    cnL_check(L, cn_array_astype(&o32, out, CN_FLOAT32), fn);
    cnL_pusharray(L, o32);
  }
  return 1;
}

/* dt_a, dt_b at 2, 3: finite and > 0 */
static void check_steps(lua_State *L, const char *fn, const char *na, const char *nb, double *a,
                        double *b) {
  *a = cnL_checkfinite(L, 2, fn, 2, na);
  *b = cnL_checkfinite(L, 3, fn, 3, nb);
  if (!(*a > 0)) cnL_argerror(L, fn, 2, na, "must be > 0, got %g", *a);
  if (!(*b > 0)) cnL_argerror(L, fn, 3, nb, "must be > 0, got %g", *b);
}

static int l_spike_train_to_firing_rate(lua_State *L) {
  const char *fn = "spike_train_to_firing_rate";
  cn_array *S = check_f64(L, 1, fn, "spike_train", 2);
  double ds, dr;
  check_steps(L, fn, "dt_spike", "dt_rate", &ds, &dr);
  if (dr < ds) cnL_argerror(L, fn, 3, "dt_rate", "must be >= dt_spike (%g), got %g", ds, dr);
  int64_t rows;
  cnL_check(L, cn_spike_rate_rows(S->shape[0], ds, dr, &rows), fn);
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT64, 2, (int64_t[]){rows, S->shape[1]}), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_spike_train_to_rate(S->data, S->shape[0], S->shape[1], ds, dr, rows, out->data),
            fn);
  return 1;
}

static int l_firing_rate_to_spike_train(lua_State *L) {
  const char *fn = "firing_rate_to_spike_train";
  cn_array *R = check_f64(L, 1, fn, "firing_rates", 2);
  check_all_finite(L, R, fn, 1, "firing_rates");
  double dr, ds;
  check_steps(L, fn, "dt_rate", "dt_spike", &dr, &ds);
  if (ds > dr) cnL_argerror(L, fn, 3, "dt_spike", "must be <= dt_rate (%g), got %g", dr, ds);
  if (R->shape[0] < 1) cnL_argerror(L, fn, 1, "firing_rates", "must have at least one row");
  int64_t rows;
  cnL_check(L, cn_spike_rate_rows(R->shape[0], dr, ds, &rows), fn);
  if (R->shape[1] > 0 && rows > CN_ARRAY_MAX_BYTES / 4 / R->shape[1])
    cnL_argerror(L, fn, 3, "dt_spike", "makes %lld x %lld spikes: too large", (long long)rows,
                 (long long)R->shape[1]);
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_INT32, 2, (int64_t[]){rows, R->shape[1]}), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_rate_to_spike_train(R->data, R->shape[0], R->shape[1], dr, ds, rows,
                                      cn_rng_global(), out->data), fn);
  return 1;
}

static const luaL_Reg functions[] = {{"firing_field", l_firing_field},
                                     {"gaussian_smooth_heatmaps", l_gaussian_smooth_heatmaps},
                                     {"spike_train_to_firing_rate", l_spike_train_to_firing_rate},
                                     {"firing_rate_to_spike_train", l_firing_rate_to_spike_train},{"spatial_autocorrelation", l_spatial_autocorrelation},
                                     {"grid_score", l_grid_score},
                                     {"find_grid_spacing", l_find_grid_spacing},
                                     {"gcv_systematic_ratemap", l_gcv_systematic_ratemap},
                                     {NULL, NULL}};

void cnL_open_spatial_metrics(lua_State *L) { luaL_setfuncs(L, functions, 0); }
