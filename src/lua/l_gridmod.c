/* canns — the grid-module kernels for Lua (include/canns/gridmodules.h):
 *
 *   core.gridmod.mask(h, w, center_bins)          -> excluded (h, w) bool (upstream's mask)
 *   core.gridmod.features(acs (n,h,w), center_bins) -> x (n, m) float32
 *   core.gridmod.knn_graph(x (n,m) float32, k, metric)
 *       -> edges (ne, 2) int64 (1-based), weights (ne) float64,
 *          knn_indices (n, k_eff+1) int64 (1-based), knn_dists (n, k_eff+1)
 *   core.gridmod.leiden(n, edges (1-based), weights, resolution, n_iterations, seed)
 *       -> membership (n) int64 (0-based cluster ids), quality
 *   core.gridmod.run(acs (n,h,w), params, cluster_id or nil) -> table (see l_run)
 *
 * metric: "manhattan" | "euclidean" | "chebyshev" | "cosine".
 * canns.analyzer.data.cell_classification.grid_modules checks the user's
 * arguments; these check shapes and types again. */
#include <math.h>
#include <string.h>

#include "canns/gridmodules.h"
#include "lua/cnlua.h"

#define FN "identify_grid_modules_and_stats"

static cn_array *arg_array(lua_State *L, int idx, cn_dtype t, const char *name, int ndim) {
  cn_array *a = cnL_checkarraylike(L, idx, t, FN, idx, name);
  cnL_pusharray(L, a); /* the stack owns it */
  if (a->ndim != ndim) cnL_argerror(L, FN, idx, name, "must be %d-D, got %d-D", ndim, a->ndim);
  return a;
}

static cn_array *push_new(lua_State *L, cn_dtype t, int64_t r, int64_t c) {
  cn_array *o;
  cnL_check(L, c < 0 ? cn_array_new1(&o, t, r) : cn_array_new2(&o, t, r, c), FN);
  cnL_pusharray(L, o);
  return o;
}

/* push a view of the first rows of a */
static void push_head(lua_State *L, cn_array *a, int64_t rows) {
  cn_array *v;
  cnL_check(L, cn_array_slice(&v, a, 0, 0, rows, 1), FN);
  cnL_pusharray(L, v);
}

/* the TDA engine's metric names, less Minkowski */
static cn_metric check_metric(lua_State *L, const char *s, int arg) {
  cn_metric m;
  if (cn_metric_from_name(s, &m) != CN_OK || m == CN_METRIC_MINKOWSKI)
    cnL_argerror(L, FN, arg, "metric",
                 "must be 'manhattan', 'euclidean', 'chebyshev' or 'cosine', got '%s'", s);
  return m;
}

static int l_mask(lua_State *L) {
  int64_t h = cnL_checkrange(L, 1, FN, 1, "h", 1, CNL_MAX_COUNT);
  int64_t w = cnL_checkrange(L, 2, FN, 2, "w", 1, CNL_MAX_COUNT);
  int64_t cb = cnL_checkrange(L, 3, FN, 3, "center_bins", 0, CNL_MAX_COUNT);
  cn_array *o = push_new(L, CN_BOOL, h, w);
  int64_t m;
  uint8_t *k = o->data;
  cnL_check(L, cn_gridmod_mask(h, w, cb, k, &m), FN);
  for (int64_t q = 0; q < h * w; q++) k[q] = !k[q]; /* upstream's mask marks what is left out */
  return 1;
}

static int l_features(lua_State *L) {
  cn_array *a = arg_array(L, 1, CN_FLOAT64, "autocorrs", 3);
  int64_t cb = cnL_checkrange(L, 2, FN, 2, "center_bins", 0, CNL_MAX_COUNT);
  int64_t n = a->shape[0], h = a->shape[1], w = a->shape[2], m;
  uint8_t *keep = lua_newuserdatauv(L, (size_t)(h * w > 0 ? h * w : 1), 0);
  cnL_check(L, cn_gridmod_mask(h, w, cb, keep, &m), FN);
  cn_array *x = push_new(L, CN_FLOAT32, n, m);
  cnL_check(L, cn_gridmod_features(cn_f64(a), n, h, w, keep, x->data), FN);
  return 1;
}

static int l_knn_graph(lua_State *L) {
  cn_array *x = arg_array(L, 1, CN_FLOAT32, "features", 2);
  int64_t k = cnL_checkrange(L, 2, FN, 2, "k", 1, CNL_MAX_COUNT);
  cn_metric metric = check_metric(L, cnL_checkstring(L, 3, FN, 3, "metric"), 3);
  int64_t n = x->shape[0], d = x->shape[1];
  if (n < 2) cnL_argerror(L, FN, 1, "features", "needs at least 2 rows (units), got %lld", (long long)n);
  int64_t keff = cn_gridmod_keff(n, k), ne;
  cn_array *ind = push_new(L, CN_INT64, n, keff + 1), *dist = push_new(L, CN_FLOAT64, n, keff + 1);
  cnL_check(L, cn_gridmod_knn(x->data, n, d, k, metric, ind->data, cn_f64(dist)), FN);
  cn_array *e = push_new(L, CN_INT64, n * keff, 2), *wt = push_new(L, CN_FLOAT64, n * keff, -1);
  cnL_check(L, cn_gridmod_edges(ind->data, cn_f64(dist), n, keff, e->data, cn_f64(wt), &ne), FN);
  int64_t *ev = e->data, *iv = ind->data;
  for (int64_t q = 0; q < 2 * ne; q++) ev[q] += 1;
  for (int64_t q = 0; q < n * (keff + 1); q++) iv[q] += 1;
  push_head(L, e, ne); /* the edges written */
  push_head(L, wt, ne);
  lua_pushvalue(L, -6), lua_pushvalue(L, -6);
  return 4;
}

static int l_leiden(lua_State *L) {
  int64_t n = cnL_checkrange(L, 1, FN, 1, "n", 1, CNL_MAX_COUNT);
  cn_array *e = arg_array(L, 2, CN_INT64, "edges", 2);
  cn_array *w = arg_array(L, 3, CN_FLOAT64, "weights", 1);
  double res = cnL_checkfinite(L, 4, FN, 4, "resolution");
  int64_t it = cnL_checkrange(L, 5, FN, 5, "n_iterations", -1, CNL_MAX_COUNT);
  int64_t seed = cnL_checkrange(L, 6, FN, 6, "seed", 0, INT64_MAX);
  int64_t ne = e->shape[0];
  if (e->shape[1] != 2 || w->shape[0] != ne)
    cnL_argerror(L, FN, 2, "edges", "must be (ne, 2) with ne weights, got (%lld, %lld) and %lld weights",
                 (long long)ne, (long long)e->shape[1], (long long)w->shape[0]);
  cn_array *e0 = push_new(L, CN_INT64, ne > 0 ? ne : 1, 2);
  const int64_t *src = e->data;
  int64_t *dst = e0->data;
  for (int64_t q = 0; q < 2 * ne; q++) dst[q] = src[q] - 1;
  cn_array *mem = push_new(L, CN_INT64, n, -1);
  int64_t nc;
  double quality;
  cnL_check(L, cn_gridmod_leiden(n, dst, cn_f64(w), ne, res, it, (uint64_t)seed, mem->data, &nc, &quality),
            FN);
  lua_pushnumber(L, quality);
  return 2;
}

static void get_params(lua_State *L, int idx, cn_gridmod_params *p) {
  *p = cn_gridmod_defaults();
  luaL_checktype(L, idx, LUA_TTABLE);
  p->center_bins = cnL_optfieldrange(L, idx, "center_bins", p->center_bins, 0, CNL_MAX_COUNT, FN);
  p->k = cnL_optfieldrange(L, idx, "k", p->k, 1, CNL_MAX_COUNT, FN);
  p->resolution = cnL_optfieldnumber(L, idx, "resolution", p->resolution, FN);
  p->score_thr = cnL_optfieldnumber(L, idx, "score_thr", p->score_thr, FN);
  p->consistency_thr = cnL_optfieldnumber(L, idx, "consistency_thr", p->consistency_thr, FN);
  p->min_cells = cnL_optfieldrange(L, idx, "min_cells", p->min_cells, INT64_MIN / 2, CNL_MAX_COUNT, FN);
  p->merge_corr_thr = cnL_optfieldnumber(L, idx, "merge_corr_thr", p->merge_corr_thr, FN);
  p->n_iterations = cnL_optfieldrange(L, idx, "n_iterations", p->n_iterations, -1, CNL_MAX_COUNT, FN);
  p->seed = (uint64_t)cnL_optfieldrange(L, idx, "seed", 0, 0, INT64_MAX, FN);
  p->metric = check_metric(L, cnL_optfieldstring(L, idx, "metric", "manhattan", FN), idx);
  cn_gridness_params *g = &p->gridness;
  g->threshold = cnL_optfieldnumber(L, idx, "threshold", g->threshold, FN);
  g->min_orientation = cnL_optfieldnumber(L, idx, "min_orientation", g->min_orientation, FN);
  g->min_center_radius = cnL_optfieldnumber(L, idx, "min_center_radius", g->min_center_radius, FN);
  g->num_gridness_radii = cnL_optfieldrange(L, idx, "num_gridness_radii", g->num_gridness_radii, 1,
                                            CNL_MAX_COUNT, FN);
}

/* -> {cluster_id (n), module_id (n), cluster_label, cluster_size,
 *     cluster_score, cluster_consistency, cluster_module (nclusters each),
 *     module_score, module_consistency (nmodules each), n_clusters,
 *     n_modules, quality} (ids 0-based; -1 = no module) */
static int l_run(lua_State *L) {
  cn_array *a = arg_array(L, 1, CN_FLOAT64, "autocorrs", 3);
  cn_gridmod_params p;
  get_params(L, 2, &p);
  int64_t n = a->shape[0];
  const int64_t *cin = NULL;
  if (!lua_isnoneornil(L, 3)) {
    cn_array *c = arg_array(L, 3, CN_INT64, "cluster_id", 1);
    if (c->shape[0] != n)
      cnL_argerror(L, FN, 3, "cluster_id", "must have %lld entries (one per map), got %lld", (long long)n,
                   (long long)c->shape[0]);
    cin = c->data;
  }
  int top = lua_gettop(L);
  cn_gridmod_result r;
  r.cluster_id = push_new(L, CN_INT64, n, -1)->data;
  r.module_id = push_new(L, CN_INT64, n, -1)->data;
  r.cluster_label = push_new(L, CN_INT64, n, -1)->data;
  r.cluster_size = push_new(L, CN_INT64, n, -1)->data;
  r.cluster_score = cn_f64(push_new(L, CN_FLOAT64, n, -1));
  r.cluster_consistency = cn_f64(push_new(L, CN_FLOAT64, n, -1));
  r.cluster_module = push_new(L, CN_INT64, n, -1)->data;
  r.module_score = cn_f64(push_new(L, CN_FLOAT64, n, -1));
  r.module_consistency = cn_f64(push_new(L, CN_FLOAT64, n, -1));
  cnL_check(L, cn_grid_modules(cn_f64(a), n, a->shape[1], a->shape[2], &p, cin, &r), FN);
  static const char *names[] = {"cluster_id", "module_id", "cluster_label", "cluster_size",
                                "cluster_score", "cluster_consistency", "cluster_module",
                                "module_score", "module_consistency"};
  lua_createtable(L, 0, 12);
  for (int q = 0; q < 9; q++) {
    if (q >= 2) /* per-cluster and per-module arrays */
      push_head(L, cnL_toarray(L, top + 1 + q), q >= 7 ? r.nmodules : r.nclusters);
    else lua_pushvalue(L, top + 1 + q);
    lua_setfield(L, -2, names[q]);
  }
  lua_pushinteger(L, (lua_Integer)r.nclusters), lua_setfield(L, -2, "n_clusters");
  lua_pushinteger(L, (lua_Integer)r.nmodules), lua_setfield(L, -2, "n_modules");
  lua_pushnumber(L, r.quality), lua_setfield(L, -2, "quality");
  return 1;
}

void cnL_open_gridmod(lua_State *L) {
  static const luaL_Reg f[] = {{"mask", l_mask}, {"features", l_features}, {"knn_graph", l_knn_graph},
                               {"leiden", l_leiden}, {"run", l_run}, {NULL, NULL}};
  luaL_newlib(L, f);
  lua_setfield(L, -2, "gridmod");
}
