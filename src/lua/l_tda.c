/* canns — Lua bindings of the TDA engine (include/canns/tda.h).
 *
 *   local r = core.tda.ripser(X, {maxdim = 2, coeff = 3, do_cocycles = true})
 *   r.dgms[2]          -- H1 diagram, float64 array {n_bars, 2}
 *   r.cocycles[2][1]   -- cocycle of the first H1 bar, int64 {m, 3}
 *   local s = core.tda.shuffle_null_model(spikes, {num_shuffles = 100})
 *
 * X is a point cloud (rows = points), a dense distance matrix (with
 * distance_matrix = true) or a sparse one given as triplets
 * {row = ..., col = ..., data = ..., n = N} (1-based indices).  Vertex ids
 * in cocycles and idx_perm are 1-based here (0-based in the C API).
 * The public documentation is in lua/canns/analyzer/tda.lua.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/tda.h"
#include "lua/cnlua.h"

#define RESULT_MT "canns.tda.result"

/* --- a GC-owned box for a C result while it is converted ------------- */
static int result_gc(lua_State *L) {
  cn_ripser_result **box = luaL_checkudata(L, 1, RESULT_MT);
  cn_ripser_result_free(*box);
  *box = NULL;
  return 0;
}

static cn_ripser_result **push_box(lua_State *L) {
  return (cn_ripser_result **)cnL_pushbox(L, RESULT_MT, result_gc);
}

static const char *num_str(double x, char *buf, size_t n);

/* --- options ---------------------------------------------------------- */
static const char *const ripser_fields[] = {
    "maxdim", "thresh", "coeff", "distance_matrix", "do_cocycles", "metric", "metric_p",
    "n_perm", "verbose", "progress_bar", "progress_update_interval",
    "num_threads", "apparent_pairs", "engine", NULL};

static int check_coeff(lua_State *L, int idx, const char *fn) {
  int64_t p = cnL_optfieldrange(L, idx, "coeff", 2, INT64_MIN, 65535, fn);
  if (p < 2 || p > 65535)
    cnL_error(L, fn, "coeff (modulus) must be a prime in 2..65535, got %lld", (long long)p);
  return (int)p;
}

static int check_maxdim(lua_State *L, int idx, const char *fn, int hi) {
  int64_t d = cnL_optfieldcount(L, idx, "maxdim", 1, hi, fn);
  return (int)d;
}

static double check_thresh(lua_State *L, int idx, const char *fn) {
  double t = cnL_optfieldnumber(L, idx, "thresh", INFINITY, fn);
  char b[32];
  if (isnan(t) || t < 0)
    cnL_error(L, fn, "thresh must be >= 0 (or math.huge), got %s", num_str(t, b, sizeof b));
  return t;
}

static int check_threads(lua_State *L, int idx, const char *fn) {
  int64_t t = cnL_optfieldcount(L, idx, "num_threads", 0, 4096, fn);
  return (int)t;
}

/* metric_p as canns-lib's ripser: a finite number >= 1 (default 2), only
 * with metric = "minkowski"; Minkowski with p = 2 is the Euclidean path
 * exactly. */
static double check_metric_p(lua_State *L, int idx, const char *fn, cn_metric *metric) {
  double p = cnL_optfieldnumber(L, idx, "metric_p", 2.0, fn);
  char b[32];
  if (!(isfinite(p) && p >= 1))
    cnL_error(L, fn, "option 'metric_p' must be finite and >= 1, got %s", num_str(p, b, sizeof b));
  if (*metric != CN_METRIC_MINKOWSKI && p != 2)
    cnL_error(L, fn, "option 'metric_p' is only used with metric = \"minkowski\", got %s with metric \"%s\"",
              num_str(p, b, sizeof b), cn_metric_name(*metric));
  if (*metric == CN_METRIC_MINKOWSKI && p == 2) *metric = CN_METRIC_EUCLIDEAN;
  return p;
}

/* The options `metric` and `metric_p` (ripser, shuffle_null_model). */
static void read_metric(lua_State *L, int idx, const char *fn, cn_metric *m, double *p) {
  const char *metric = cnL_optfieldstring(L, idx, "metric", "euclidean", fn);
  if (cn_metric_from_name(metric, m) != CN_OK)
    cnL_error(L, fn, "metric must be \"euclidean\", \"manhattan\", \"cosine\", "
                     "\"chebyshev\" or \"minkowski\", got '%s'", metric);
  *p = check_metric_p(L, idx, fn, m);
}

static bool read_ripser_opts(lua_State *L, int idx, const char *fn, cn_ripser_opts *o) {
  cn_ripser_opts_default(o);
  if (lua_isnoneornil(L, idx)) return false;
  cnL_checkfields(L, idx, ripser_fields, fn);
  o->maxdim = check_maxdim(L, idx, fn, CN_RIPSER_MAXDIM);
  o->thresh = check_thresh(L, idx, fn);
  o->coeff = check_coeff(L, idx, fn);
  o->do_cocycles = cnL_optfieldbool(L, idx, "do_cocycles", false, fn);
  read_metric(L, idx, fn, &o->metric, &o->metric_p);
  int64_t np = cnL_optfieldcount(L, idx, "n_perm", 0, CNL_MAX_COUNT, fn);
  o->n_perm = np;
  bool verbose = cnL_optfieldbool(L, idx, "verbose", false, fn);
  o->progress = cnL_optfieldbool(L, idx, "progress_bar", false, fn) || verbose;
  double iv = cnL_optfieldnumber(L, idx, "progress_update_interval", 3.0, fn);
  char b[32];
  if (!(iv > 0))
    cnL_error(L, fn, "progress_update_interval must be > 0, got %s", num_str(iv, b, sizeof b));
  o->num_threads = check_threads(L, idx, fn);
  o->apparent_pairs = cnL_optfieldbool(L, idx, "apparent_pairs", true, fn);
  const char *eng = cnL_optfieldstring(L, idx, "engine", "auto", fn);
  if (strcmp(eng, "auto") == 0) o->engine = CN_RIPSER_AUTO;
  else if (strcmp(eng, "dense") == 0) o->engine = CN_RIPSER_DENSE;
  else if (strcmp(eng, "sparse") == 0) o->engine = CN_RIPSER_SPARSE;
  else cnL_error(L, fn, "engine must be \"auto\", \"dense\" or \"sparse\", got '%s'", eng);
  return cnL_optfieldbool(L, idx, "distance_matrix", false, fn);
}

/* --- inputs ----------------------------------------------------------- */
static bool is_triplets(lua_State *L, int idx) {
  if (!lua_istable(L, idx) || cnL_toarray(L, idx)) return false;
  bool t = lua_getfield(L, idx, "row") != LUA_TNIL;
  lua_pop(L, 1);
  return t;
}

/* A field of the triplet table as a 1-d array of dtype t (pushed).  Index
 * fields (t = int64) given as numbers must hold integers: converting 1.5
 * or 1e30 would silently truncate or saturate them. */
static cn_array *triplet_field(lua_State *L, int idx, const char *key, cn_dtype t,
                               const char *fn) {
  lua_getfield(L, idx, key);
  if (lua_isnil(L, -1)) cnL_error(L, fn, "argument 1 (X): sparse input needs a field '%s'", key);
  char name[32];
  snprintf(name, sizeof name, "X.%s", key);
  cn_array *given = cnL_toarray(L, -1);
  bool check_int = t == CN_INT64 && !(given && (given->dtype == CN_INT32 || given->dtype == CN_INT64));
  cn_array *a = cnL_checkarraylike(L, -1, check_int ? CN_FLOAT64 : t, fn, 1, name);
  lua_pop(L, 1);
  cnL_pusharray(L, a); /* GC owns it */
  if (a->ndim > 1) cnL_error(L, fn, "argument 1 (X): field '%s' must be 1-D", key);
  if (check_int) {
    const double *v = cn_f64(a);
    for (int64_t q = 0; q < a->size; q++)
      if (!(fabs(v[q]) <= 9.0e15) || v[q] != floor(v[q])) {
        char b[32];
        cnL_error(L, fn, "argument 1 (X): %s entry %lld must be an integer index, got %s", name,
                  (long long)(q + 1), num_str(v[q], b, sizeof b));
      }
    cn_array *ai;
    cnL_check(L, cn_array_astype(&ai, a, CN_INT64), fn);
    cnL_pusharray(L, ai);
    a = ai;
  }
  return a;
}

typedef struct sparse_in {
  int64_t n, nnz;
  int64_t *row, *col; /* 0-based, GC-owned arrays */
  const float *val;
} sparse_in;

static void read_triplets(lua_State *L, int idx, const char *fn, sparse_in *s) {
  cn_array *r = triplet_field(L, idx, "row", CN_INT64, fn);
  cn_array *c = triplet_field(L, idx, "col", CN_INT64, fn);
  cn_array *v = triplet_field(L, idx, "data", CN_FLOAT32, fn);
  if (r->size != c->size || r->size != v->size)
    cnL_error(L, fn, "argument 1 (X): row, col and data must have the same length, got %lld, %lld, %lld",
              (long long)r->size, (long long)c->size, (long long)v->size);
  /* copies converted to 0-based */
  cn_array *r0, *c0;
  cnL_check(L, cn_array_copy(&r0, r), fn);
  cnL_pusharray(L, r0);
  cnL_check(L, cn_array_copy(&c0, c), fn);
  cnL_pusharray(L, c0);
  int64_t *ri = r0->data, *ci = c0->data, maxi = 0;
  for (int64_t q = 0; q < r->size; q++) {
    if (ri[q] < 1 || ci[q] < 1)
      cnL_error(L, fn, "argument 1 (X): sparse entry %lld has index (%lld, %lld); indices start at 1",
                (long long)(q + 1), (long long)ri[q], (long long)ci[q]);
    ri[q]--;
    ci[q]--;
    if (ri[q] + 1 > maxi) maxi = ri[q] + 1;
    if (ci[q] + 1 > maxi) maxi = ci[q] + 1;
  }
  int64_t n = cnL_optfieldrange(L, idx, "n", maxi, 1, CNL_MAX_COUNT, fn);
  if (n < 1) cnL_error(L, fn, "argument 1 (X): the sparse matrix must have at least 1 vertex, got n = %lld",
                       (long long)n);
  if (n < maxi)
    cnL_error(L, fn, "argument 1 (X): n = %lld but an entry has index %lld", (long long)n, (long long)maxi);
  s->n = n;
  s->nnz = r->size;
  s->row = ri;
  s->col = ci;
  s->val = cn_f32(v);
}

/* --- results ---------------------------------------------------------- */
void cnL_push_ripser_result(lua_State *L, cn_ripser_result *r, const char *fn) {
  int nd = r->maxdim + 1;
  lua_createtable(L, 0, 12);
  lua_createtable(L, nd, 0);
  for (int d = 0; d < nd; d++) {
    cn_array *a;
    cnL_check(L, cn_array_new2(&a, CN_FLOAT64, r->n_bars[d], 2), fn);
    cnL_pusharray(L, a);
    double *x = a->data;
    for (int64_t i = 0; i < 2 * r->n_bars[d]; i++) x[i] = r->dgms[d][i];
    lua_rawseti(L, -2, d + 1);
  }
  lua_setfield(L, -2, "dgms");
  lua_createtable(L, nd, 0);
  for (int d = 0; d < nd; d++) {
    int64_t nb = r->cocycles && d > 0 ? r->n_bars[d] : 0;
    lua_createtable(L, (int)(nb < 1000000 ? nb : 0), 0);
    for (int64_t i = 0; i < nb; i++) {
      int64_t lo = r->cocycle_off[d][i], hi = r->cocycle_off[d][i + 1], w = d + 2;
      cn_array *a;
      cnL_check(L, cn_array_new2(&a, CN_INT64, hi - lo, w), fn);
      cnL_pusharray(L, a);
      int64_t *x = a->data;
      for (int64_t q = lo; q < hi; q++)
        for (int64_t k = 0; k < w; k++) {
          int64_t v = r->cocycles[d][q * w + k];
          x[(q - lo) * w + k] = k < w - 1 ? v + 1 : v; /* 1-based vertices */
        }
      lua_rawseti(L, -2, i + 1);
    }
    lua_rawseti(L, -2, d + 1);
  }
  lua_setfield(L, -2, "cocycles");
  lua_pushinteger(L, r->num_edges);
  lua_setfield(L, -2, "num_edges");
  lua_pushnumber(L, r->r_cover);
  lua_setfield(L, -2, "r_cover");
  lua_pushnumber(L, r->threshold);
  lua_setfield(L, -2, "threshold");
  cn_array *ip;
  cnL_check(L, cn_array_new1(&ip, CN_INT64, r->n_perm), fn);
  cnL_pusharray(L, ip);
  for (int64_t i = 0; i < r->n_perm; i++) ((int64_t *)ip->data)[i] = r->idx_perm[i] + 1;
  lua_setfield(L, -2, "idx_perm");
  if (r->dperm2all) {
    cn_array *dp;
    cnL_check(L, cn_array_new2(&dp, CN_FLOAT32, r->n_perm, r->dperm2all_cols), fn);
    cnL_pusharray(L, dp);
    if (r->n_perm * r->dperm2all_cols > 0)
      memcpy(dp->data, r->dperm2all, (size_t)(r->n_perm * r->dperm2all_cols) * sizeof(float));
    lua_setfield(L, -2, "dperm2all");
  }
  lua_createtable(L, 0, 3);
  lua_createtable(L, nd, 0);
  for (int d = 0; d < nd; d++) {
    lua_pushinteger(L, r->n_columns[d]);
    lua_rawseti(L, -2, d + 1);
  }
  lua_setfield(L, -2, "columns");
  lua_pushinteger(L, r->peak_bytes);
  lua_setfield(L, -2, "peak_bytes");
  lua_pushstring(L, r->sparse_engine ? "sparse" : "dense");
  lua_setfield(L, -2, "engine");
  lua_setfield(L, -2, "stats");
}

static const char *num_str(double x, char *buf, size_t n) {
  if (isnan(x)) snprintf(buf, n, "NaN");
  else if (isinf(x)) snprintf(buf, n, "%sinf", x < 0 ? "-" : "");
  else snprintf(buf, n, "%g", x);
  return buf;
}

/* Dense matrices are checked here too, to name entries 1-based. */
static void check_dense(lua_State *L, const float *D, int64_t n, const char *fn) {
  char b1[32], b2[32];
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i; j < n; j++) {
      float a = D[i * n + j], b = D[j * n + i];
      int64_t r = i + 1, c = j + 1;
      if (isnan(a) || a < 0)
        cnL_argerror(L, fn, 1, "X", "has distance %s at (%lld, %lld); distances must be >= 0",
                     num_str(a, b1, sizeof b1), (long long)r, (long long)c);
      if (isnan(b) || b < 0)
        cnL_argerror(L, fn, 1, "X", "has distance %s at (%lld, %lld); distances must be >= 0",
                     num_str(b, b1, sizeof b1), (long long)c, (long long)r);
      float m = fabsf(a) > fabsf(b) ? fabsf(a) : fabsf(b);
      if (a != b && (isinf(a) || isinf(b) || fabsf(a - b) > 1e-5f * m))
        cnL_argerror(L, fn, 1, "X", "is not symmetric: X[%lld][%lld] = %s but X[%lld][%lld] = %s",
                     (long long)r, (long long)c, num_str(a, b1, sizeof b1), (long long)c,
                     (long long)r, num_str(b, b2, sizeof b2));
    }
}

/* Shared body of ripser and ripser_reference. */
static int do_ripser(lua_State *L, bool reference) {
  const char *fn = reference ? "ripser_reference" : "ripser";
  cn_ripser_opts o;
  bool dm = read_ripser_opts(L, 2, fn, &o);
  cn_ripser_result **box = push_box(L);
  cn_status st;
  if (is_triplets(L, 1)) {
    sparse_in s;
    read_triplets(L, 1, fn, &s);
    st = reference ? cn_ripser_reference_sparse(&o, s.n, s.nnz, s.row, s.col, s.val, box)
                   : cn_ripser_sparse(&o, s.n, s.nnz, s.row, s.col, s.val, box);
  } else {
    cn_array *X = cnL_checkarraylike(L, 1, CN_FLOAT32, fn, 1, "X");
    cnL_pusharray(L, X);
    char d[128];
    if (X->ndim != 2)
      cnL_argerror(L, fn, 1, "X", "must be a 2-D array (%s), got %s",
                   dm ? "a distance matrix" : "points x coordinates",
                   cnL_describe(L, -1, d, sizeof d));
    if (X->shape[0] == 0) cnL_argerror(L, fn, 1, "X", "must not be empty, got %s",
                                       cnL_describe(L, -1, d, sizeof d));
    if (dm) {
      if (X->shape[0] != X->shape[1])
        cnL_argerror(L, fn, 1, "X", "must be a square distance matrix, got %s",
                     cnL_describe(L, -1, d, sizeof d));
      check_dense(L, cn_f32(X), X->shape[0], fn);
      st = reference ? cn_ripser_reference_dense(&o, cn_f32(X), X->shape[0], box)
                     : cn_ripser_dense(&o, cn_f32(X), X->shape[0], box);
    } else if (reference) {
      if (X->shape[1] == 0) cnL_argerror(L, fn, 1, "X", "must have at least 1 coordinate");
      for (int64_t i = 0; i < X->size; i++)
        if (!isfinite(cn_f32(X)[i]))
          cnL_argerror(L, fn, 1, "X", "has a non-finite coordinate at point %lld",
                       (long long)(i / X->shape[1] + 1));
      cn_array *D;
      cnL_check(L, cn_array_new2(&D, CN_FLOAT32, X->shape[0], X->shape[0]), fn);
      cnL_pusharray(L, D);
      cnL_check(L, cn_pairwise_distances_p(cn_f32(X), X->shape[0], X->shape[1], o.metric, o.metric_p,
                                           cn_f32(D)), fn);
      st = cn_ripser_reference_dense(&o, cn_f32(D), X->shape[0], box);
    } else {
      for (int64_t i = 0; i < X->size; i++)
        if (!isfinite(cn_f32(X)[i]))
          cnL_argerror(L, fn, 1, "X", "has a non-finite coordinate (%s) at point %lld",
                       num_str(cn_f32(X)[i], d, sizeof d),
                       (long long)(i / (X->shape[1] ? X->shape[1] : 1) + 1));
      st = cn_ripser_points(&o, cn_f32(X), X->shape[0], X->shape[1], box);
    }
  }
  cnL_check(L, st, fn);
  cnL_push_ripser_result(L, *box, fn);
  return 1;
}

static int l_ripser(lua_State *L) { return do_ripser(L, false); }
static int l_ripser_reference(lua_State *L) { return do_ripser(L, true); }

/* pairwise_distances(X [, metric [, p]]) -> float32 {n, n} */
static int l_pairwise_distances(lua_State *L) {
  const char *fn = "pairwise_distances";
  cn_array *X = cnL_checkarraylike(L, 1, CN_FLOAT32, fn, 1, "X");
  cnL_pusharray(L, X);
  char d[128];
  if (X->ndim != 2)
    cnL_argerror(L, fn, 1, "X", "must be a 2-D array (points x coordinates), got %s",
                 cnL_describe(L, -1, d, sizeof d));
  const char *m = luaL_optstring(L, 2, "euclidean");
  cn_metric metric;
  if (cn_metric_from_name(m, &metric) != CN_OK)
    cnL_argerror(L, fn, 2, "metric", "must be \"euclidean\", \"manhattan\", \"cosine\", "
                                     "\"chebyshev\" or \"minkowski\", got '%s'", m);
  double p = 2.0;
  if (!lua_isnoneornil(L, 3)) {
    p = cnL_checknumber(L, 3, fn, 3, "p");
    if (!(isfinite(p) && p >= 1))
      cnL_argerror(L, fn, 3, "p", "must be finite and >= 1, got %s", cnL_describe(L, 3, d, sizeof d));
    if (metric != CN_METRIC_MINKOWSKI && p != 2)
      cnL_argerror(L, fn, 3, "p", "is only used with metric \"minkowski\", got %s with \"%s\"",
                   cnL_describe(L, 3, d, sizeof d), cn_metric_name(metric));
  }
  if (metric == CN_METRIC_MINKOWSKI && p == 2) metric = CN_METRIC_EUCLIDEAN;
  cn_array *D;
  cnL_check(L, cn_array_new2(&D, CN_FLOAT32, X->shape[0], X->shape[0]), fn);
  cnL_pusharray(L, D);
  cnL_check(L, cn_pairwise_distances_p(cn_f32(X), X->shape[0], X->shape[1], metric, p, cn_f32(D)), fn);
  return 1;
}

static const char *const shuffle_fields[] = {"num_shuffles", "maxdim", "thresh", "coeff",
                                             "seed", "num_threads", "progress_bar", "metric",
                                             "metric_p", "shifts", NULL};

/* Option `shifts`: an integer {num_shuffles, N} matrix of numpy.roll
 * offsets in [0, T) (canns-lib 0.11's), instead of the seed.  Returns
 * its data (GC-owned, pushed) or NULL when absent. */
static const int64_t *read_shifts(lua_State *L, int idx, const char *fn, int64_t T, int64_t N,
                                  cn_shuffle_opts *o) {
  if (lua_getfield(L, idx, "shifts") == LUA_TNIL) {
    lua_pop(L, 1);
    return NULL;
  }
  lua_getfield(L, idx, "seed");
  if (!lua_isnil(L, -1)) cnL_error(L, fn, "options 'shifts' and 'seed' exclude each other");
  lua_pop(L, 1);
  cn_array *given = cnL_toarray(L, -1);
  if (given && given->dtype != CN_INT32 && given->dtype != CN_INT64)
    cnL_error(L, fn, "option 'shifts' must be an integer array, got %s", cn_dtype_name(given->dtype));
  cn_array *s = cnL_checkarraylike(L, -1, CN_INT64, fn, 2, "shifts");
  cnL_pusharray(L, s);
  if (s->dtype != CN_INT64) {
    cn_array *t;
    cnL_check(L, cn_array_astype(&t, s, CN_INT64), fn);
    cnL_pusharray(L, t);
    s = t;
  }
  lua_getfield(L, idx, "num_shuffles");
  bool has_k = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (!has_k && s->ndim == 2) o->num_shuffles = s->shape[0];
  if (s->ndim != 2 || s->shape[0] != o->num_shuffles || s->shape[1] != N)
    cnL_error(L, fn, "option 'shifts' must be a (num_shuffles, neurons) = (%lld, %lld) matrix",
              (long long)o->num_shuffles, (long long)N);
  const int64_t *v = s->data;
  for (int64_t i = 0; i < s->size; i++)
    if (v[i] < 0 || v[i] >= T)
      cnL_error(L, fn, "option 'shifts' entry (%lld, %lld) must be in [0, %lld), got %lld",
                (long long)(i / N + 1), (long long)(i % N + 1), (long long)T, (long long)v[i]);
  return v;
}

/* shuffle_null_model(spikes {T, N}, opts) -> {[d+1] = float32 {K}, ...} */
static int l_shuffle_null_model(lua_State *L) {
  const char *fn = "shuffle_null_model";
  cn_array *X = cnL_checkarraylike(L, 1, CN_FLOAT32, fn, 1, "spikes");
  cnL_pusharray(L, X);
  char d[128];
  if (X->ndim != 2 || X->shape[0] < 1 || X->shape[1] < 1)
    cnL_argerror(L, fn, 1, "spikes", "must be a non-empty 2-D array (time x neurons), got %s",
                 cnL_describe(L, -1, d, sizeof d));
  cn_shuffle_opts o;
  cn_shuffle_opts_default(&o);
  if (!lua_isnoneornil(L, 2)) {
    cnL_checkfields(L, 2, shuffle_fields, fn);
    int64_t k = cnL_optfieldrange(L, 2, "num_shuffles", 1000, 1, CNL_MAX_COUNT, fn);
    o.num_shuffles = k;
    o.maxdim = check_maxdim(L, 2, fn, 2);
    o.thresh = check_thresh(L, 2, fn);
    o.coeff = check_coeff(L, 2, fn);
    int64_t seed = cnL_optfieldint(L, 2, "seed", 0, fn);
    if (seed < 0) cnL_error(L, fn, "seed must be a non-negative integer, got %lld", (long long)seed);
    o.seed = (uint64_t)seed;
    o.num_threads = check_threads(L, 2, fn);
    o.progress = cnL_optfieldbool(L, 2, "progress_bar", false, fn);
    read_metric(L, 2, fn, &o.metric, &o.metric_p);
    o.shifts = read_shifts(L, 2, fn, X->shape[0], X->shape[1], &o);
  }
  for (int64_t i = 0; i < X->size; i++)
    if (!isfinite(cn_f32(X)[i]))
      cnL_argerror(L, fn, 1, "spikes", "has a non-finite value at row %lld, column %lld",
                   (long long)(i / X->shape[1] + 1), (long long)(i % X->shape[1] + 1));
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_FLOAT32, o.maxdim + 1, o.num_shuffles), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_shuffle_null_model(&o, cn_f32(X), X->shape[0], X->shape[1], cn_f32(out)), fn);
  lua_createtable(L, o.maxdim + 1, 3);
  lua_createtable(L, o.maxdim + 1, 0); /* thresholds */
  lua_createtable(L, o.maxdim + 1, 0); /* means */
  for (int dd = 0; dd <= o.maxdim; dd++) {
    cn_array *row;
    cnL_check(L, cn_array_new1(&row, CN_FLOAT32, o.num_shuffles), fn);
    cnL_pusharray(L, row);
    const float *src = cn_f32(out) + (int64_t)dd * o.num_shuffles;
    memcpy(row->data, src, (size_t)o.num_shuffles * sizeof(float));
    lua_rawseti(L, -4, dd + 1);
    lua_pushnumber(L, cn_percentile(src, o.num_shuffles, 99.9));
    lua_rawseti(L, -3, dd + 1);
    double s = 0;
    for (int64_t i = 0; i < o.num_shuffles; i++) s += src[i];
    lua_pushnumber(L, s / (double)o.num_shuffles);
    lua_rawseti(L, -2, dd + 1);
  }
  lua_setfield(L, -3, "mean");
  lua_setfield(L, -2, "threshold");
  return 1;
}

/* shuffle_offsets(T, N, num_shuffles, seed) -> int64 {num_shuffles, N} */
static int l_shuffle_offsets(lua_State *L) {
  const char *fn = "generate_offsets";
  int64_t T = cnL_checkrange(L, 1, fn, 1, "shape[1]", 1, INT64_MAX);
  int64_t N = cnL_checkrange(L, 2, fn, 1, "shape[2]", 1, CNL_MAX_COUNT);
  int64_t K = cnL_checkrange(L, 3, fn, 2, "num_shuffles", 1, CNL_MAX_COUNT);
  int64_t seed = cnL_checkrange(L, 4, fn, 3, "seed", 0, INT64_MAX);
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_INT64, K, N), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_shuffle_offsets((uint64_t)seed, T, N, K, out->data), fn);
  return 1;
}

/* percentile(values, q) with numpy's linear interpolation */
static int l_percentile(lua_State *L) {
  const char *fn = "percentile";
  cn_array *X = cnL_checkarraylike(L, 1, CN_FLOAT32, fn, 1, "values");
  cnL_pusharray(L, X);
  double q = cnL_checkfinite(L, 2, fn, 2, "q");
  if (q < 0 || q > 100) cnL_argerror(L, fn, 2, "q", "must be in [0, 100], got %g", q);
  for (int64_t i = 0; i < X->size; i++)
    if (isnan(cn_f32(X)[i])) cnL_argerror(L, fn, 1, "values", "contains NaN");
  lua_pushnumber(L, cn_percentile(cn_f32(X), X->size, q));
  return 1;
}

static const luaL_Reg tda_funcs[] = {
    {"ripser", l_ripser},
    {"ripser_reference", l_ripser_reference},
    {"pairwise_distances", l_pairwise_distances},
    {"shuffle_null_model", l_shuffle_null_model},
    {"shuffle_offsets", l_shuffle_offsets},
    {"percentile", l_percentile},
    {NULL, NULL},
};

void cnL_open_tda(lua_State *L) {
  luaL_newlib(L, tda_funcs);
  lua_setfield(L, -2, "tda");
}
