/* canns — the BTN classification kernels for Lua (include/canns/btn.h):
 *
 *   core.btn.pack(trains, tmin, tmax) -> spikes (float64), offsets (int64): the
 *       trains (a list of arrays or tables of numbers) restricted to
 *       tmin <= s < tmax, end to end
 *   core.btn.isi_autocorr(spikes, offsets, edges, mint, maxt, one_sided) -> counts (n, ne-1) int64
 *   core.btn.features(counts, smooth_sigma, nbs [, rows])
 *       -> acorr_norm, acorr_smooth, distance_matrix, knn_indices (1-based), knn_dists, density_weights
 *       (rows: float64 curves normalised by their row sums, the dense mode)
 *   core.btn.dense_autocorr(spikes (T, N), max_lag_bins, binary) -> acorr (N, max_lag_bins) float64
 *   core.btn.tomato(knn_indices (1-based), weights, n_clusters) -> labels (0-based ids) int64, n_leaves
 *
 * canns.analyzer.data.cell_classification.btn checks the user's
 * arguments; these check shapes and types again. */
#include <stdint.h>
#include <string.h>

#include "canns/btn.h"
#include "lua/cnlua.h"

#define FN "BTNAnalyzer.classify_btn"

static cn_array *arg_array(lua_State *L, int idx, cn_dtype t, const char *name) {
  cn_array *a = cnL_checkarraylike(L, idx, t, FN, idx, name);
  cnL_pusharray(L, a); /* the stack owns it */
  return a;
}

static cn_array *new2(lua_State *L, cn_dtype t, int64_t r, int64_t c) {
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, t, r, c), FN);
  cnL_pusharray(L, o);
  return o;
}

static int l_isi_autocorr(lua_State *L) {
  cn_array *s = arg_array(L, 1, CN_FLOAT64, "spikes");
  cn_array *off = arg_array(L, 2, CN_INT64, "offsets");
  cn_array *e = arg_array(L, 3, CN_FLOAT64, "edges");
  double mint = cnL_checknumber(L, 4, FN, 4, "mint"), maxt = cnL_checknumber(L, 5, FN, 5, "maxt");
  bool one = lua_toboolean(L, 6);
  int64_t n = off->size - 1;
  const int64_t *o = (const int64_t *)off->data;
  if (n < 0) cnL_argerror(L, FN, 2, "offsets", "must have at least one element");
  if (o[n] > s->size) cnL_argerror(L, FN, 2, "offsets", "run past the %lld spikes", (long long)s->size);
  if (e->size < 2) cnL_argerror(L, FN, 3, "edges", "must have at least 2 elements");
  cn_array *c = new2(L, CN_INT64, n, e->size - 1);
  cnL_check(L, cn_btn_isi_autocorr(cn_f64(s), o, n, cn_f64(e), e->size, mint, maxt, one, (int64_t *)c->data), FN);
  return 1;
}

static int l_pack(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  double tmin = cnL_checknumber(L, 2, FN, 2, "tmin"), tmax = cnL_checknumber(L, 3, FN, 3, "tmax");
  lua_Integer n = luaL_len(L, 1);
  int64_t total = 0;
  for (lua_Integer i = 1; i <= n; i++) { /* convert in place, count */
    lua_rawgeti(L, 1, i);
    cn_array *a = cnL_checkarraylike(L, -1, CN_FLOAT64, FN, 1, "spike_data.spike");
    lua_pop(L, 1);
    cnL_pusharray(L, a);
    lua_rawseti(L, 1, i);
    total += a->size;
  }
  cn_array *flat, *off;
  cnL_check(L, cn_array_new1(&flat, CN_FLOAT64, total > 0 ? total : 1), FN);
  cnL_pusharray(L, flat);
  cnL_check(L, cn_array_new1(&off, CN_INT64, (int64_t)n + 1), FN);
  cnL_pusharray(L, off);
  double *f = cn_f64(flat);
  int64_t *o = (int64_t *)off->data, k = 0;
  o[0] = 0;
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 1, i);
    cn_array *a = cnL_toarray(L, -1);
    const double *v = cn_f64(a);
    for (int64_t q = 0; q < a->size; q++)
      if (v[q] >= tmin && v[q] < tmax) f[k++] = v[q];
    o[i] = k;
    lua_pop(L, 1);
  }
  return 2;
}

static int l_dense_autocorr(lua_State *L) {
  cn_array *S = arg_array(L, 1, CN_FLOAT64, "spikes");
  int64_t nlag = cnL_checkint(L, 2, FN, 2, "max_lag_bins");
  bool binary = lua_toboolean(L, 3);
  if (S->ndim != 2) cnL_argerror(L, FN, 1, "spikes", "must be a 2-D (T, N) array");
  if (nlag < 1) cnL_argerror(L, FN, 2, "max_lag_bins", "must be >= 1, got %lld", (long long)nlag);
  cn_array *a = new2(L, CN_FLOAT64, S->shape[1], nlag);
  cnL_check(L, cn_btn_binned_autocorr(cn_f64(S), S->shape[0], S->shape[1], nlag, binary, cn_f64(a)), FN);
  return 1;
}

static int l_features(lua_State *L) {
  lua_settop(L, 4);
  bool rows = lua_toboolean(L, 4); /* real-valued curves, row-sum normalisation */
  cn_array *c = arg_array(L, 1, rows ? CN_FLOAT64 : CN_INT64, "counts");
  double sigma = cnL_checknumber(L, 2, FN, 2, "smooth_sigma");
  int64_t nbs = cnL_checkint(L, 3, FN, 3, "nbs");
  if (c->ndim != 2 || c->shape[0] < 1 || c->shape[1] < 1)
    cnL_argerror(L, FN, 1, "counts", "must be a non-empty 2-D array");
  int64_t n = c->shape[0], m = c->shape[1];
  int top = lua_gettop(L);
  cn_array *norm = new2(L, CN_FLOAT64, n, m), *smooth = new2(L, CN_FLOAT64, n, m);
  if (rows)
    cnL_check(L, cn_btn_rowsum_smooth(cn_f64(c), n, m, sigma, cn_f64(norm), cn_f64(smooth)), FN);
  else
    cnL_check(L, cn_btn_normalize_smooth((const int64_t *)c->data, n, m, sigma, cn_f64(norm), cn_f64(smooth)), FN);
  cn_array *dist = new2(L, CN_FLOAT64, n, n);
  cnL_check(L, cn_btn_cosine_distances(cn_f64(smooth), n, m, cn_f64(dist)), FN);
  int64_t k = n > 1 ? (nbs < 1 ? 1 : nbs > n - 1 ? n - 1 : nbs) : 1;
  cn_array *idx = new2(L, CN_INT64, n, k), *kd = new2(L, CN_FLOAT64, n, k);
  cn_array *w;
  cnL_check(L, cn_array_new1(&w, CN_FLOAT64, n), FN);
  cnL_pusharray(L, w);
  int64_t kk;
  cnL_check(L, cn_btn_knn(cn_f64(dist), n, nbs, (int64_t *)idx->data, cn_f64(kd), cn_f64(w), &kk), FN);
  int64_t *ip = (int64_t *)idx->data;
  for (int64_t q = 0; q < n * k; q++) ip[q] += 1; /* 1-based, like every Lua index */
  return lua_gettop(L) - top;
}

static int l_tomato(lua_State *L) {
  cn_array *nb = arg_array(L, 1, CN_INT64, "knn_indices");
  cn_array *w = arg_array(L, 2, CN_FLOAT64, "density_weights");
  int64_t K = cnL_checkint(L, 3, FN, 3, "n_clusters");
  if (nb->ndim != 2 || nb->shape[0] < 1) cnL_argerror(L, FN, 1, "knn_indices", "must be a non-empty 2-D array");
  int64_t n = nb->shape[0], k = nb->shape[1];
  if (w->size != n) cnL_argerror(L, FN, 2, "density_weights", "must have %lld elements, got %lld", (long long)n, (long long)w->size);
  cn_array *z;
  cnL_check(L, cn_array_new2(&z, CN_INT64, n, k), FN);
  cnL_pusharray(L, z);
  const int64_t *src = (const int64_t *)nb->data;
  int64_t *zero = (int64_t *)z->data;
  for (int64_t q = 0; q < n * k; q++) zero[q] = src[q] - 1;
  cn_array *lab;
  cnL_check(L, cn_array_new1(&lab, CN_INT64, n), FN);
  cnL_pusharray(L, lab);
  int64_t leaves = 0;
  cnL_check(L, cn_tomato(zero, n, k, cn_f64(w), K, (int64_t *)lab->data, &leaves), FN);
  lua_pushinteger(L, (lua_Integer)leaves);
  return 2;
}

void cnL_open_btn(lua_State *L) {
  static const luaL_Reg f[] = {
      {"pack", l_pack}, {"isi_autocorr", l_isi_autocorr}, {"features", l_features}, {"tomato", l_tomato},
      {"dense_autocorr", l_dense_autocorr}, {NULL, NULL}};
  luaL_newlib(L, f);
  lua_setfield(L, -2, "btn");
}
