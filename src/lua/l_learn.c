/* canns — bindings of the learning rules (include/canns/learn.h).
 *
 * These are the kernels behind canns.models.AmariHopfieldNetwork,
 * LinearLayer, SpikingLayer and canns.trainer.*: they work in place on the
 * model's float32 arrays.  The public classes (lua/canns/trainer/,
 * lua/canns/models/brain_inspired.lua) check the user's arguments; these
 * check types and shapes again so that a direct call cannot crash. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "canns/learn.h"
#include "canns/random.h"
#include "lua/cnlua.h"

static cn_array *f32arg(lua_State *L, int idx, const char *fn, const char *name) {
  cn_array *a = cnL_checkarray(L, idx, fn, idx, name);
  if (a->dtype != CN_FLOAT32) {
    char d[128];
    cnL_argerror(L, fn, idx, name, "must be a float32 array, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  }
  return a;
}

/* hebbian_update(W, X, {sign, subtract_mean, normalize, zero_diagonal}) */
static int l_hebbian_update(lua_State *L) {
  const char *fn = "hebbian_update";
  cn_array *W = f32arg(L, 1, fn, "W"), *X = f32arg(L, 2, fn, "patterns");
  luaL_checktype(L, 3, LUA_TTABLE);
  static const char *const keys[] = {"sign", "subtract_mean", "normalize", "zero_diagonal", NULL};
  cnL_checkfields(L, 3, keys, fn);
  double sign = cnL_optfieldnumber(L, 3, "sign", 1.0, fn);
  bool sm = cnL_optfieldbool(L, 3, "subtract_mean", true, fn);
  bool nm = cnL_optfieldbool(L, 3, "normalize", true, fn);
  bool zd = cnL_optfieldbool(L, 3, "zero_diagonal", true, fn);
  cnL_check(L, cn_hebbian_update(W, X, sign, sm, nm, zd), fn);
  return 0;
}

static void hopfield_opts(lua_State *L, int idx, cn_hopfield_opts *o, const char *fn) {
  luaL_checktype(L, idx, LUA_TTABLE);
  static const char *const keys[] = {"activation", "threshold", "temperature", "asyn",
                                     "order", "progress", NULL};
  cnL_checkfields(L, idx, keys, fn);
  const char *act = cnL_optfieldstring(L, idx, "activation", "sign", fn);
  if (cn_hopfield_act_from_name(act, &o->activation) != CN_OK)
    cnL_error(L, fn, "option 'activation' must be 'sign', 'tanh' or 'sigmoid', got '%s'", act);
  o->threshold = cnL_optfieldnumber(L, idx, "threshold", 0.0, fn);
  o->temperature = cnL_optfieldnumber(L, idx, "temperature", 1.0, fn);
  o->asyn = cnL_optfieldbool(L, idx, "asyn", false, fn);
}

/* hopfield_recall(W, S, num_iter, {activation, threshold, temperature,
 * asyn, order (int64 array of 0-based indices), progress (label)}) */
static int l_hopfield_recall(lua_State *L) {
  const char *fn = "hopfield_recall";
  cn_array *W = f32arg(L, 1, fn, "W"), *S = f32arg(L, 2, fn, "states");
  int64_t num_iter = cnL_checkcount(L, 3, fn, 3, "num_iter", CNL_MAX_COUNT);
  cn_hopfield_opts o;
  hopfield_opts(L, 4, &o, fn);
  const int64_t *perm = NULL;
  int64_t n = S->ndim ? S->shape[S->ndim - 1] : 0;
  lua_getfield(L, 4, "order");
  if (!lua_isnil(L, -1)) {
    cn_array *p = cnL_toarray(L, -1);
    if (!p || p->dtype != CN_INT64 || p->ndim != 1 || p->shape[0] != n) {
      char d[128];
      cnL_error(L, fn, "option 'order' must be an int64 array of length %lld, got %s",
                (long long)n, cnL_describe(L, -1, d, sizeof d));
    }
    perm = p->data;
  }
  lua_getfield(L, 4, "progress");
  const char *label = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
  int64_t B = S->ndim == 2 ? S->shape[0] : 1;
  cn_progress *bar = label ? cn_progress_new(label, B) : NULL;
  cn_status s = cn_hopfield_recall(W, S, num_iter, &o, perm, bar);
  cn_progress_free(bar);
  lua_pop(L, 2);
  cnL_check(L, s, fn);
  return 0;
}

/* hopfield_energy(W, S [, threshold]) -> number (S 1-d) or float64 array */
static int l_hopfield_energy(lua_State *L) {
  const char *fn = "hopfield_energy";
  cn_array *W = f32arg(L, 1, fn, "W"), *S = f32arg(L, 2, fn, "states");
  double thr = luaL_opt(L, luaL_checknumber, 3, 0.0);
  if (S->ndim == 1) {
    double e = 0;
    cnL_check(L, cn_hopfield_energy(W, S, thr, &e), fn);
    lua_pushnumber(L, e);
    return 1;
  }
  if (S->ndim != 2) cnL_error(L, fn, "states must be 1-d or 2-d");
  cn_array *out;
  cnL_check(L, cn_array_new1(&out, CN_FLOAT64, S->shape[0]), fn);
  cn_status s = cn_hopfield_energy(W, S, thr, cn_f64(out));
  if (s != CN_OK) cn_array_release(out);
  cnL_check(L, s, fn);
  cnL_pusharray(L, out);
  return 1;
}

static double lrarg(lua_State *L, int idx, const char *fn) {
  double lr = cnL_checknumber(L, idx, fn, idx, "learning_rate");
  if (!isfinite(lr)) cnL_argerror(L, fn, idx, "learning_rate", "must be finite, got %g", lr);
  return lr;
}

/* oja_train(W, X, lr, normalize) / sanger_train(...) */
static int l_oja_train(lua_State *L) {
  const char *fn = "oja_train";
  cn_array *W = f32arg(L, 1, fn, "W"), *X = f32arg(L, 2, fn, "patterns");
  cnL_check(L, cn_oja_train(W, X, lrarg(L, 3, fn), lua_toboolean(L, 4)), fn);
  return 0;
}

static int l_sanger_train(lua_State *L) {
  const char *fn = "sanger_train";
  cn_array *W = f32arg(L, 1, fn, "W"), *X = f32arg(L, 2, fn, "patterns");
  cnL_check(L, cn_sanger_train(W, X, lrarg(L, 3, fn), lua_toboolean(L, 4)), fn);
  return 0;
}

/* bcm_train(W, theta, X, lr, threshold_tau) */
static int l_bcm_train(lua_State *L) {
  const char *fn = "bcm_train";
  cn_array *W = f32arg(L, 1, fn, "W"), *th = f32arg(L, 2, fn, "theta");
  cn_array *X = f32arg(L, 3, fn, "patterns");
  double lr = lrarg(L, 4, fn), tau = cnL_checknumber(L, 5, fn, 5, "threshold_tau");
  cnL_check(L, cn_bcm_train(W, th, X, lr, tau), fn);
  return 0;
}

static void lif_params(lua_State *L, int idx, cn_lif_params *p, const char *fn) {
  luaL_checktype(L, idx, LUA_TTABLE);
  static const char *const keys[] = {"threshold", "v_reset", "leak", "trace_decay", NULL};
  cnL_checkfields(L, idx, keys, fn);
  p->threshold = cnL_optfieldnumber(L, idx, "threshold", 1.0, fn);
  p->v_reset = cnL_optfieldnumber(L, idx, "v_reset", 0.0, fn);
  p->leak = cnL_optfieldnumber(L, idx, "leak", 0.9, fn);
  p->trace_decay = cnL_optfieldnumber(L, idx, "trace_decay", 0.95, fn);
}

/* lif_forward(W, X, params, v, trace_pre, trace_post, spike) -> spikes
 * (T, out) when X is 2-d, else nothing (spike holds the step's output). */
static int l_lif_forward(lua_State *L) {
  const char *fn = "lif_forward";
  cn_array *W = f32arg(L, 1, fn, "W"), *X = f32arg(L, 2, fn, "inputs");
  cn_lif_params p;
  lif_params(L, 3, &p, fn);
  cn_array *v = f32arg(L, 4, fn, "v"), *tpre = f32arg(L, 5, fn, "trace_pre");
  cn_array *tpost = f32arg(L, 6, fn, "trace_post"), *spike = f32arg(L, 7, fn, "spike");
  cn_array *spikes = NULL;
  if (X->ndim == 2 && W->ndim == 2)
    cnL_check(L, cn_array_new2(&spikes, CN_FLOAT32, X->shape[0], W->shape[0]), fn);
  cn_status s = cn_lif_forward(W, X, &p, v, tpre, tpost, spike, spikes);
  if (s != CN_OK) cn_array_release(spikes);
  cnL_check(L, s, fn);
  if (!spikes) return 0;
  cnL_pusharray(L, spikes);
  return 1;
}

/* stdp_train(W, X, lif_params, {learning_rate, A_plus, A_minus, w_min,
 * w_max}, v, trace_pre, trace_post, spike) */
static int l_stdp_train(lua_State *L) {
  const char *fn = "stdp_train";
  cn_array *W = f32arg(L, 1, fn, "W"), *X = f32arg(L, 2, fn, "inputs");
  cn_lif_params p;
  lif_params(L, 3, &p, fn);
  luaL_checktype(L, 4, LUA_TTABLE);
  static const char *const keys[] = {"learning_rate", "A_plus", "A_minus", "w_min", "w_max", NULL};
  cnL_checkfields(L, 4, keys, fn);
  cn_stdp_params sp = {
      cnL_optfieldnumber(L, 4, "learning_rate", 0.01, fn),
      cnL_optfieldnumber(L, 4, "A_plus", 0.005, fn),
      cnL_optfieldnumber(L, 4, "A_minus", 0.00525, fn),
      cnL_optfieldnumber(L, 4, "w_min", 0.0, fn),
      cnL_optfieldnumber(L, 4, "w_max", 1.0, fn)};
  cn_array *v = f32arg(L, 5, fn, "v"), *tpre = f32arg(L, 6, fn, "trace_pre");
  cn_array *tpost = f32arg(L, 7, fn, "trace_post"), *spike = f32arg(L, 8, fn, "spike");
  if (X->ndim != 2) cnL_argerror(L, fn, 2, "inputs", "must be 2-d (time, inputs)");
  cnL_check(L, cn_stdp_train(W, X, &p, &sp, v, tpre, tpost, spike), fn);
  return 0;
}

/* resize_matrix(W, rows, cols) -> a new float32 (rows, cols) array of zeros
 * with the top-left block of W copied (W nil: all zeros). */
static int l_resize_matrix(lua_State *L) {
  const char *fn = "resize_matrix";
  cn_array *W = lua_isnil(L, 1) ? NULL : f32arg(L, 1, fn, "W");
  int64_t r = cnL_checkcount(L, 2, fn, 2, "rows", INT32_MAX);
  int64_t c = cnL_checkcount(L, 3, fn, 3, "cols", INT32_MAX);
  if (W && W->ndim != 2) cnL_argerror(L, fn, 1, "W", "must be 2-d");
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_FLOAT32, r, c), fn);
  float *o = cn_f32(out);
  for (int64_t i = 0; i < r * c; i++) o[i] = 0.0f;
  if (W) {
    int64_t mr = W->shape[0] < r ? W->shape[0] : r, mc = W->shape[1] < c ? W->shape[1] : c;
    for (int64_t i = 0; i < mr; i++)
      for (int64_t j = 0; j < mc; j++) o[i * c + j] = cn_f32(W)[i * W->shape[1] + j];
  }
  cnL_pusharray(L, out);
  return 1;
}

/* zero_diagonal(W): W[i][i] = 0 in place (float32, 2-d). */
static int l_zero_diagonal(lua_State *L) {
  cn_array *W = f32arg(L, 1, "zero_diagonal", "W");
  if (W->ndim != 2) cnL_argerror(L, "zero_diagonal", 1, "W", "must be 2-d");
  int64_t m = W->shape[0] < W->shape[1] ? W->shape[0] : W->shape[1];
  for (int64_t i = 0; i < m; i++) cn_f32(W)[i * W->shape[1] + i] = 0.0f;
  return 0;
}

void cnL_open_learn(lua_State *L) {
  static const luaL_Reg fns[] = {
      {"hebbian_update", l_hebbian_update}, {"hopfield_recall", l_hopfield_recall},
      {"hopfield_energy", l_hopfield_energy}, {"oja_train", l_oja_train},
      {"sanger_train", l_sanger_train},     {"bcm_train", l_bcm_train},
      {"lif_forward", l_lif_forward},       {"stdp_train", l_stdp_train},
      {"resize_matrix", l_resize_matrix},   {"zero_diagonal", l_zero_diagonal},
      {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
}
