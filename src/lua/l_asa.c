/* canns — Lua bindings of Attractor Structure Analysis (include/canns/asa.h).
 *
 *   local E, xx, yy, tt = core.asa.embed(spikes, t, x, y, {res = ..., ...})
 *   local r = core.asa.tda(E, {dim = 6, ...})
 *   local m = core.asa.tda_shuffle(E, shifts, {...})
 *   local f = core.asa.cocycle_coords(cocycle, threshold, dists [, p])
 *   local coords, times, ccos, csin = core.asa.decode_project(E, rows, theta)
 *   local y = core.asa.gaussian_filter(x, sigma [, mode])
 *
 * The public functions (argument names, defaults, documentation) are in
 * lua/canns/analyzer/data/asa/; indices are 1-based here.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"
#include "lua/cnlua.h"

#define TDA_MT "canns.asa.tda_result"
#define PTR_MT "canns.asa.buffer"

static int tda_gc(lua_State *L) {
  cn_asa_tda_result **b = luaL_checkudata(L, 1, TDA_MT);
  cn_asa_tda_result_free(*b);
  *b = NULL;
  return 0;
}

static cn_asa_tda_result **push_tda_box(lua_State *L) {
  return (cn_asa_tda_result **)cnL_pushbox(L, TDA_MT, tda_gc);
}

static int ptr_gc(lua_State *L) {
  void **b = luaL_checkudata(L, 1, PTR_MT);
  free(*b);
  *b = NULL;
  return 0;
}

/* A GC-owned slot for a malloc'ed buffer (freed even if an error unwinds). */
static void **push_ptr(lua_State *L) { return cnL_pushbox(L, PTR_MT, ptr_gc); }

static const char *nstr(double v, char *b, size_t n) {
  if (isnan(v)) snprintf(b, n, "nan");
  else snprintf(b, n, "%.14g", v);
  return b;
}

/* --- embed ------------------------------------------------------------- */
static const char *const embed_fields[] = {"res", "dt", "sigma", "smooth", "speed_filter",
                                           "min_speed", "num_threads", NULL};

/* A 1-d float64 array from idx (array or table), pushed. */
static cn_array *vec64(lua_State *L, int idx, const char *fn, int arg, const char *name) {
  cn_array *a = cnL_checkarraylike(L, idx, CN_FLOAT64, fn, arg, name);
  cnL_pusharray(L, a);
  if (a->ndim > 1) {
    int ok = 1;
    for (int i = 1; i < a->ndim; i++) ok &= a->shape[i] == 1;
    if (!ok) {
      char b[96];
      cnL_argerror(L, fn, arg, name, "must be a 1-d array, got %s", cnL_describe(L, idx, b, sizeof b));
    }
  }
  return a;
}

static int l_embed(lua_State *L) {
  const char *fn = "embed_spike_trains";
  luaL_checktype(L, 1, LUA_TTABLE);
  cn_embed_opts o;
  cn_embed_opts_default(&o);
  int oi = 5;
  if (!lua_isnoneornil(L, oi)) {
    cnL_checkfields(L, oi, embed_fields, fn);
    o.res = cnL_optfieldrange(L, oi, "res", o.res, 1, INT64_MAX, fn);
    o.dt = cnL_optfieldrange(L, oi, "dt", o.dt, 1, INT64_MAX, fn);
    o.sigma = cnL_optfieldnumber(L, oi, "sigma", o.sigma, fn);
    o.smooth = cnL_optfieldbool(L, oi, "smooth", o.smooth, fn);
    o.speed_filter = cnL_optfieldbool(L, oi, "speed_filter", o.speed_filter, fn);
    o.min_speed = cnL_optfieldnumber(L, oi, "min_speed", o.min_speed, fn);
    o.num_threads = (int)cnL_optfieldcount(L, oi, "num_threads", 0, 4096, fn);
  }
  char b[64];
  if (o.res < 1 || o.res > 1000000000000LL)
    cnL_error(L, fn, "option 'res' must be a positive integer (ticks per second), got %lld", (long long)o.res);
  if (o.dt < 1 || o.dt > 1000000000000LL)
    cnL_error(L, fn, "option 'dt' must be a positive integer (ticks), got %lld", (long long)o.dt);
  if (!(o.sigma > 0) || !isfinite(o.sigma))
    cnL_error(L, fn, "option 'sigma' must be positive (ticks), got %s", nstr(o.sigma, b, sizeof b));
  if (isnan(o.min_speed)) cnL_error(L, fn, "option 'min_speed' must be a number, got nan");
  /* spikes: a sequence of per-neuron time lists */
  lua_Integer N = (lua_Integer)lua_rawlen(L, 1);
  if (N < 1) cnL_error(L, fn, "spike must hold at least one neuron, got an empty list");
  int64_t *off = NULL;
  double *spk = NULL;
  void **ob = push_ptr(L); /* slot for off */
  int obi = lua_gettop(L);
  *ob = off = malloc(sizeof(int64_t) * (size_t)(N + 1));
  if (!off) cnL_error(L, fn, "out of memory");
  off[0] = 0;
  /* the per-neuron float64 arrays are kept in one table (not on the
   * stack: a session may have thousands of neurons) */
  lua_createtable(L, (int)(N < 1 << 24 ? N : 0), 0);
  int keep = lua_gettop(L);
  for (lua_Integer n = 1; n <= N; n++) {
    lua_rawgeti(L, 1, n);
    int vi = lua_gettop(L);
    char nm[48];
    snprintf(nm, sizeof nm, "spike[%lld]", (long long)n);
    cn_array *a = cnL_toarray(L, vi);
    if (!a && !lua_istable(L, vi)) {
      char d[96];
      cnL_error(L, fn, "argument 1 (spike) entry %lld must be an array of spike times, got %s",
                (long long)n, cnL_describe(L, vi, d, sizeof d));
    }
    cn_array *v = vec64(L, vi, fn, 1, nm);
    lua_rawseti(L, keep, n);
    lua_settop(L, keep);
    off[n] = off[n - 1] + v->size;
  }
  void **sb = push_ptr(L);
  *sb = spk = malloc(sizeof(double) * (size_t)(off[N] + 1));
  if (!spk) cnL_error(L, fn, "out of memory for %lld spikes", (long long)off[N]);
  for (lua_Integer n = 1; n <= N; n++) {
    lua_rawgeti(L, keep, n);
    cn_array *v = cnL_toarray(L, -1);
    memcpy(spk + off[n - 1], v->data, sizeof(double) * (size_t)v->size);
    lua_pop(L, 1);
  }
  cn_array *t = vec64(L, 2, fn, 2, "t");
  cn_array *x = NULL, *y = NULL;
  if (!lua_isnoneornil(L, 3)) x = vec64(L, 3, fn, 3, "x");
  if (!lua_isnoneornil(L, 4)) y = vec64(L, 4, fn, 4, "y");
  if (t->size < 1) cnL_argerror(L, fn, 2, "t", "must hold at least one time stamp, got an empty array");
  if (o.speed_filter) {
    if (!x) cnL_argerror(L, fn, 3, "x", "is needed by the speed filter, got nil");
    if (!y) cnL_argerror(L, fn, 4, "y", "is needed by the speed filter, got nil");
  }
  if (x && x->size != t->size)
    cnL_argerror(L, fn, 3, "x", "must have the length of t (%lld), got %lld", (long long)t->size, (long long)x->size);
  if (y && y->size != t->size)
    cnL_argerror(L, fn, 4, "y", "must have the length of t (%lld), got %lld", (long long)t->size, (long long)y->size);
  cn_array *E, *xx, *yy, *tt;
  cnL_check(L, cn_asa_embed(&o, spk, off, N, cn_f64(t), x ? cn_f64(x) : NULL, y ? cn_f64(y) : NULL,
                            t->size, &E, &xx, &yy, &tt), fn);
  (void)obi;
  cnL_pusharray(L, E);
  if (xx) {
    cnL_pusharray(L, xx);
    cnL_pusharray(L, yy);
    cnL_pusharray(L, tt);
    return 4;
  }
  return 1;
}

/* --- tda --------------------------------------------------------------- */
static const char *const tda_fields[] = {"dim", "num_times", "active_times", "k", "n_points",
                                         "metric", "nbs", "maxdim", "coeff", "standardize",
                                         "do_cocycles", "ph_threshold", "ph_threshold_policy",
                                         "num_threads", "progress_bar", NULL};

static void read_tda_opts(lua_State *L, int idx, const char *fn, cn_asa_tda_opts *o) {
  cn_asa_tda_opts_default(o);
  if (lua_isnoneornil(L, idx)) return;
  cnL_checkfields(L, idx, tda_fields, fn);
  o->dim = cnL_optfieldrange(L, idx, "dim", o->dim, 1, CNL_MAX_COUNT, fn);
  o->num_times = cnL_optfieldrange(L, idx, "num_times", o->num_times, 1, CNL_MAX_COUNT, fn);
  o->active_times = cnL_optfieldrange(L, idx, "active_times", o->active_times, 1, CNL_MAX_COUNT, fn);
  o->k = cnL_optfieldrange(L, idx, "k", o->k, 1, CNL_MAX_COUNT, fn);
  o->n_points = cnL_optfieldrange(L, idx, "n_points", o->n_points, 1, CNL_MAX_COUNT, fn);
  o->nbs = cnL_optfieldrange(L, idx, "nbs", o->nbs, 1, CNL_MAX_COUNT, fn);
  const char *m = cnL_optfieldstring(L, idx, "metric", "cosine", fn);
  if (cn_metric_from_name(m, &o->metric) != CN_OK)
    cnL_error(L, fn, "option 'metric' must be \"cosine\", \"euclidean\", \"manhattan\" or "
                     "\"chebyshev\", got '%s'", m);
  o->maxdim = (int)cnL_optfieldcount(L, idx, "maxdim", 1, 3, fn);
  int64_t p = cnL_optfieldrange(L, idx, "coeff", 47, INT64_MIN, 65535, fn);
  bool prime = p >= 2 && p <= 65535;
  for (int64_t q = 2; prime && q * q <= p; q++) prime = p % q != 0;
  if (!prime) cnL_error(L, fn, "option 'coeff' must be a prime in 2..65535, got %lld", (long long)p);
  o->coeff = (int)p;
  o->standardize = cnL_optfieldbool(L, idx, "standardize", true, fn);
  o->do_cocycles = cnL_optfieldbool(L, idx, "do_cocycles", true, fn);
  o->progress = cnL_optfieldbool(L, idx, "progress_bar", false, fn);
  o->num_threads = (int)cnL_optfieldcount(L, idx, "num_threads", 0, 4096, fn);
  lua_getfield(L, idx, "ph_threshold");
  bool has_thr = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (has_thr) {
    double t = cnL_optfieldnumber(L, idx, "ph_threshold", NAN, fn);
    char b[64];
    if (isnan(t) || t < 0)
      cnL_error(L, fn, "option 'ph_threshold' must be >= 0 and not NaN, got %s", nstr(t, b, sizeof b));
    o->ph_threshold = t;
  }
  const char *pol = cnL_optfieldstring(L, idx, "ph_threshold_policy", "legacy", fn);
  if (strcmp(pol, "legacy") == 0) o->max_finite_threshold = false;
  else if (strcmp(pol, "max_finite_float32") == 0) o->max_finite_threshold = true;
  else cnL_error(L, fn, "option 'ph_threshold_policy' must be \"legacy\" or \"max_finite_float32\", got '%s'", pol);
  if (o->max_finite_threshold && has_thr)
    cnL_error(L, fn, "option 'ph_threshold' cannot be combined with ph_threshold_policy \"max_finite_float32\"");
}

static cn_array *activity(lua_State *L, int idx, const char *fn) {
  cn_array *E = cnL_checkarraylike(L, idx, CN_FLOAT32, fn, idx, "embed_data");
  cnL_pusharray(L, E);
  if (E->ndim != 2 || E->shape[0] < 1 || E->shape[1] < 1) {
    char b[96];
    cnL_argerror(L, fn, idx, "embed_data", "must be a non-empty (time, neurons) matrix, got %s",
                 cnL_describe(L, idx, b, sizeof b));
  }
  if (E->dtype != CN_FLOAT32) {
    cn_array *F;
    cnL_check(L, cn_array_astype(&F, E, CN_FLOAT32), fn);
    cnL_pusharray(L, F);
    E = F;
  }
  return E;
}

static void push_i64_1based(lua_State *L, const int64_t *v, int64_t n, const char *fn) {
  cn_array *a;
  cnL_check(L, cn_array_new1(&a, CN_INT64, n), fn);
  cnL_pusharray(L, a);
  for (int64_t i = 0; i < n; i++) ((int64_t *)a->data)[i] = v[i] + 1;
}

static int l_tda(lua_State *L) {
  const char *fn = "tda_vis";
  luaL_checkstack(L, 32, fn);
  cn_asa_tda_opts o;
  read_tda_opts(L, 2, fn, &o);
  cn_array *E = activity(L, 1, fn);
  cn_asa_tda_result **box = push_tda_box(L);
  cnL_check(L, cn_asa_tda(&o, cn_f32(E), E->shape[0], E->shape[1], box), fn);
  cn_asa_tda_result *r = *box;
  lua_createtable(L, 0, 6);
  cnL_push_ripser_result(L, r->ph, fn);
  cn_array *d;
  cnL_check(L, cn_array_new2(&d, CN_FLOAT64, r->n_points, r->n_points), fn);
  cnL_pusharray(L, d);
  memcpy(d->data, r->d, sizeof(double) * (size_t)(r->n_points * r->n_points));
  lua_setfield(L, -2, "dperm2all");
  lua_setfield(L, -2, "persistence");
  push_i64_1based(L, r->indstemp, r->n_points, fn);
  lua_setfield(L, -2, "indstemp");
  push_i64_1based(L, r->movetimes, r->n_move, fn);
  lua_setfield(L, -2, "movetimes");
  lua_pushinteger(L, r->n_points);
  lua_setfield(L, -2, "n_points");
  cn_array *y;
  cnL_check(L, cn_array_new2(&y, CN_FLOAT64, r->n_move, r->dim), fn);
  cnL_pusharray(L, y);
  memcpy(y->data, r->dimred, sizeof(double) * (size_t)(r->n_move * r->dim));
  lua_setfield(L, -2, "dimred");
  return 1;
}

static int l_tda_shuffle(lua_State *L) {
  const char *fn = "tda_vis";
  cn_asa_tda_opts o;
  read_tda_opts(L, 3, fn, &o);
  cn_array *E = activity(L, 1, fn);
  cn_array *S = cnL_checkarraylike(L, 2, CN_INT64, fn, 2, "shuffle_shifts");
  cnL_pusharray(L, S);
  if (S->ndim != 2 || S->shape[1] != E->shape[1] || S->shape[0] < 1) {
    char b[96];
    cnL_error(L, fn, "option 'shuffle_shifts' must be an integer (num_shuffles, %lld) matrix, got %s",
              (long long)E->shape[1], cnL_describe(L, 2, b, sizeof b));
  }
  if (S->dtype != CN_INT64) {
    for (int64_t i = 0; i < S->size; i++) {
      double v = cn_array_getd(S, i);
      if (v != floor(v))
        cnL_error(L, fn, "option 'shuffle_shifts' must hold integers, got %g at %lld", v, (long long)i + 1);
    }
    cn_array *I;
    cnL_check(L, cn_array_astype(&I, S, CN_INT64), fn);
    cnL_pusharray(L, I);
    S = I;
  }
  int64_t ns = S->shape[0];
  cn_array *m;
  cnL_check(L, cn_array_new2(&m, CN_FLOAT64, o.maxdim + 1, ns), fn);
  cnL_pusharray(L, m);
  cnL_check(L, cn_asa_tda_shuffle(&o, cn_f32(E), E->shape[0], E->shape[1], ns, S->data, cn_f64(m)), fn);
  return 1;
}

/* --- decoding ---------------------------------------------------------- */
static int l_cocycle_coords(lua_State *L) {
  const char *fn = "decode_circular_coordinates";
  cn_array *cc = cnL_checkarraylike(L, 1, CN_INT64, fn, 1, "cocycle");
  cnL_pusharray(L, cc);
  double thr = cnL_checknumber(L, 2, fn, 2, "threshold");
  cn_array *D = cnL_checkarraylike(L, 3, CN_FLOAT64, fn, 3, "dists");
  cnL_pusharray(L, D);
  int64_t p = lua_isnoneornil(L, 4) ? 47 : cnL_checkrange(L, 4, fn, 4, "p", INT64_MIN, 65535);
  char b[96];
  if (cc->ndim != 2 || (cc->shape[1] != 3 && cc->shape[0] > 0))
    cnL_argerror(L, fn, 1, "cocycle", "must be an {m, 3} integer matrix, got %s", cnL_describe(L, 1, b, sizeof b));
  if (D->ndim != 2 || D->shape[0] != D->shape[1] || D->shape[0] < 1)
    cnL_argerror(L, fn, 3, "dists", "must be a square matrix, got %s", cnL_describe(L, 3, b, sizeof b));
  if (isnan(thr)) cnL_argerror(L, fn, 2, "threshold", "must be a number, got nan");
  if (p < 2 || p > 65535) cnL_argerror(L, fn, 4, "p", "must be a prime, got %lld", (long long)p);
  if (cc->dtype != CN_INT64) {
    cn_array *I;
    cnL_check(L, cn_array_astype(&I, cc, CN_INT64), fn);
    cnL_pusharray(L, I);
    cc = I;
  }
  if (D->dtype != CN_FLOAT64) {
    cn_array *F;
    cnL_check(L, cn_array_astype(&F, D, CN_FLOAT64), fn);
    cnL_pusharray(L, F);
    D = F;
  }
  int64_t rows = cc->ndim == 2 ? cc->shape[0] : 0, n = D->shape[0];
  void **cb = push_ptr(L);
  int64_t *c0 = malloc(sizeof(int64_t) * (size_t)(3 * rows + 1));
  *cb = c0;
  if (!c0) cnL_error(L, fn, "out of memory");
  const int64_t *ci = cc->data;
  for (int64_t i = 0; i < rows; i++) {
    c0[3 * i] = ci[3 * i] - 1;
    c0[3 * i + 1] = ci[3 * i + 1] - 1;
    c0[3 * i + 2] = ci[3 * i + 2];
    if (ci[3 * i + 2] < 0 || ci[3 * i + 2] >= p)
      cnL_argerror(L, fn, 1, "cocycle", "coefficients must be in [0, %lld), got %lld in row %lld",
                   (long long)p, (long long)ci[3 * i + 2], (long long)i + 1);
  }
  cn_array *f;
  cnL_check(L, cn_array_new1(&f, CN_FLOAT64, n), fn);
  cnL_pusharray(L, f);
  cnL_check(L, cn_asa_cocycle_coords(c0, rows, (int)p, thr, n, cn_f64(D), cn_f64(f)), fn);
  return 1;
}

static int l_decode_project(lua_State *L) {
  const char *fn = "decode_circular_coordinates_multi";
  luaL_checkstack(L, 32, fn);
  cn_array *E = activity(L, 1, fn);
  cn_array *R = cnL_checkarraylike(L, 2, CN_INT64, fn, 2, "rows");
  cnL_pusharray(L, R);
  cn_array *Th = cnL_checkarraylike(L, 3, CN_FLOAT64, fn, 3, "theta");
  cnL_pusharray(L, Th);
  char b[96];
  if (R->ndim != 1) cnL_argerror(L, fn, 2, "rows", "must be a 1-d index array, got %s", cnL_describe(L, 2, b, sizeof b));
  if (Th->ndim != 2 || Th->shape[1] != R->shape[0])
    cnL_argerror(L, fn, 3, "theta", "must be a (num_circ, %lld) matrix, got %s", (long long)R->shape[0],
                 cnL_describe(L, 3, b, sizeof b));
  if (R->dtype != CN_INT64) {
    cn_array *I;
    cnL_check(L, cn_array_astype(&I, R, CN_INT64), fn);
    cnL_pusharray(L, I);
    R = I;
  }
  if (Th->dtype != CN_FLOAT64) {
    cn_array *F;
    cnL_check(L, cn_array_astype(&F, Th, CN_FLOAT64), fn);
    cnL_pusharray(L, F);
    Th = F;
  }
  int64_t np = R->shape[0], K = Th->shape[0], N = E->shape[1];
  void **rb = push_ptr(L);
  int64_t *rows = malloc(sizeof(int64_t) * (size_t)(np + 1));
  *rb = rows;
  if (!rows) cnL_error(L, fn, "out of memory");
  for (int64_t i = 0; i < np; i++) rows[i] = ((int64_t *)R->data)[i] - 1;
  int64_t shp[3] = {N, K, np};
  cn_array *cc, *cs;
  cnL_check(L, cn_array_empty(&cc, CN_FLOAT64, 3, shp), fn);
  cnL_pusharray(L, cc);
  cnL_check(L, cn_array_empty(&cs, CN_FLOAT64, 3, shp), fn);
  cnL_pusharray(L, cs);
  void **tb = push_ptr(L);
  void **kb = push_ptr(L);
  int64_t nt = 0;
  int64_t *times = NULL;
  double *coords = NULL;
  cn_status st = cn_asa_decode_project(cn_f32(E), E->shape[0], N, rows, np, cn_f64(Th), K,
                                       cn_f64(cc), cn_f64(cs), &nt, &times, &coords);
  *tb = times;
  *kb = coords;
  cnL_check(L, st, fn);
  cn_array *C, *T;
  cnL_check(L, cn_array_new2(&C, CN_FLOAT64, nt, K), fn);
  cnL_pusharray(L, C);
  memcpy(C->data, coords, sizeof(double) * (size_t)(nt * K));
  push_i64_1based(L, times, nt, fn);
  (void)T;
  /* stack: ..., cc, cs, tb, kb, C, T -> return C, T, cc, cs */
  lua_pushvalue(L, -6);
  lua_pushvalue(L, -6);
  return 4;
}

/* --- filters ----------------------------------------------------------- */
static int l_gaussian_filter(lua_State *L) {
  const char *fn = "gaussian_filter";
  cn_array *X = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "input");
  cnL_pusharray(L, X);
  double sigma = cnL_checknumber(L, 2, fn, 2, "sigma");
  const char *mode = luaL_optstring(L, 3, "reflect");
  char b[96];
  if (!(sigma > 0) || !isfinite(sigma)) cnL_argerror(L, fn, 2, "sigma", "must be positive, got %s", nstr(sigma, b, sizeof b));
  int m = CN_FILTER_REFLECT;
  if (strcmp(mode, "reflect") == 0) m = CN_FILTER_REFLECT;
  else if (strcmp(mode, "constant") == 0) m = CN_FILTER_CONSTANT;
  else if (strcmp(mode, "wrap") == 0) m = CN_FILTER_WRAP;
  else if (strcmp(mode, "nearest") == 0) m = CN_FILTER_NEAREST;
  else cnL_argerror(L, fn, 3, "mode", "must be \"reflect\", \"constant\", \"wrap\" or \"nearest\", got '%s'", mode);
  if (X->ndim != 1 && X->ndim != 2)
    cnL_argerror(L, fn, 1, "input", "must be 1-d or 2-d, got %s", cnL_describe(L, 1, b, sizeof b));
  if (X->dtype != CN_FLOAT64) {
    cn_array *F;
    cnL_check(L, cn_array_astype(&F, X, CN_FLOAT64), fn);
    cnL_pusharray(L, F);
    X = F;
  }
  cn_array *Y;
  cnL_check(L, cn_array_empty_like(&Y, X, CN_FLOAT64), fn);
  cnL_pusharray(L, Y);
  if (X->size == 0) return 1;
  if (X->ndim == 1) cnL_check(L, cn_gaussian_filter1d(cn_f64(X), X->size, sigma, m, cn_f64(Y)), fn);
  else cnL_check(L, cn_gaussian_filter2d(cn_f64(X), X->shape[0], X->shape[1], sigma, m, cn_f64(Y)), fn);
  return 1;
}

/* --- downstream maps ----------------------------------------------------- */
/* A 1-d float64 view (pushed) of argument idx. */
static cn_array *f64vec(lua_State *L, int idx, const char *fn, const char *name) {
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

/* circ_hist2d(x, y, values, x_edges, y_edges) -> {nx, ny} circular means */
static int l_circ_hist2d(lua_State *L) {
  const char *fn = "cohomap";
  luaL_checkstack(L, 32, fn);
  cn_array *x = f64vec(L, 1, fn, "x"), *y = f64vec(L, 2, fn, "y"), *v = f64vec(L, 3, fn, "values");
  cn_array *xe = f64vec(L, 4, fn, "x_edges"), *ye = f64vec(L, 5, fn, "y_edges");
  if (x->size != y->size || x->size != v->size)
    cnL_error(L, fn, "x, y and the decoded angles must have the same length, got %lld, %lld and %lld",
              (long long)x->size, (long long)y->size, (long long)v->size);
  if (xe->size < 2 || ye->size < 2) cnL_error(L, fn, "option 'bins' must be at least 2");
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_FLOAT64, xe->size - 1, ye->size - 1), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_asa_circ_hist2d(cn_f64(x), cn_f64(y), cn_f64(v), x->size, cn_f64(xe), xe->size,
                                  cn_f64(ye), ye->size, cn_f64(out)), fn);
  return 1;
}

/* interp_angles(idx (1-based int64), coords {K, D}, T) -> {T, D} */
static int l_interp_angles(lua_State *L) {
  const char *fn = "interp_coords_to_full";
  luaL_checkstack(L, 32, fn);
  cn_array *I = cnL_checkarraylike(L, 1, CN_INT64, fn, 1, "idx");
  cnL_pusharray(L, I);
  if (I->dtype != CN_INT64) {
    cn_array *J;
    cnL_check(L, cn_array_astype(&J, I, CN_INT64), fn);
    cnL_pusharray(L, J);
    I = J;
  }
  cn_array *C = f64vec(L, 2, fn, "coords");
  int64_t T = cnL_checkrange(L, 3, fn, 3, "T", 1, (int64_t)1 << 40);
  int64_t K = C->ndim >= 1 ? C->shape[0] : 0, D = C->ndim == 2 ? C->shape[1] : 1;
  if (C->ndim > 2 || I->size != K)
    cnL_error(L, fn, "the index map (%lld) and the coordinates (%lld rows) must have the same length",
              (long long)I->size, (long long)K);
  if (T < 1 || T > ((int64_t)1 << 40)) cnL_error(L, fn, "the full length must be positive, got %lld", (long long)T);
  void **ib = push_ptr(L);
  int64_t *idx = malloc(sizeof(int64_t) * (size_t)(K + 1));
  *ib = idx;
  if (!idx) cnL_error(L, fn, "out of memory");
  for (int64_t i = 0; i < K; i++) idx[i] = ((int64_t *)I->data)[i] - 1;
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_FLOAT64, T, D), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_asa_interp_angles(idx, cn_f64(C), K, D, T, cn_f64(out)), fn);
  return 1;
}

/* snake_wrap(xy {n, 2}) -> {m, 2} with NaN rows at the wraps */
static int l_snake_wrap(lua_State *L) {
  const char *fn = "snake_wrap_trail_in_parallelogram";
  luaL_checkstack(L, 16, fn);
  cn_array *P = f64vec(L, 1, fn, "xy");
  if (P->ndim != 2 || P->shape[1] != 2) {
    char b[96];
    cnL_argerror(L, fn, 1, "xy", "must be a (T, 2) matrix, got %s", cnL_describe(L, 1, b, sizeof b));
  }
  int64_t n = P->shape[0];
  const double e1[2] = {2 * M_PI, 0.0}, e2[2] = {M_PI, sqrt(3.0) * M_PI};
  void **bb = push_ptr(L);
  double *buf = malloc(sizeof(double) * (size_t)(4 * n + 2));
  *bb = buf;
  if (!buf) cnL_error(L, fn, "out of memory");
  int64_t m = cn_asa_snake_wrap(cn_f64(P), n, e1, e2, buf);
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_FLOAT64, m, 2), fn);
  cnL_pusharray(L, out);
  memcpy(out->data, buf, sizeof(double) * (size_t)(2 * m));
  return 1;
}

/* take(a, idx): rows idx (1-based int64) of a 1-d or 2-d array */
static int l_take(lua_State *L) {
  const char *fn = "take";
  luaL_checkstack(L, 16, fn);
  cn_array *A = cnL_checkarray(L, 1, fn, 1, "a");
  cn_array *I = cnL_checkarraylike(L, 2, CN_INT64, fn, 2, "idx");
  cnL_pusharray(L, I);
  if (I->dtype != CN_INT64) {
    cn_array *J;
    cnL_check(L, cn_array_astype(&J, I, CN_INT64), fn);
    cnL_pusharray(L, J);
    I = J;
  }
  if (A->ndim < 1 || A->ndim > 2) {
    char b[96];
    cnL_argerror(L, fn, 1, "a", "must be a 1-d or 2-d array, got %s", cnL_describe(L, 1, b, sizeof b));
  }
  int64_t n = A->shape[0], w = A->ndim == 2 ? A->shape[1] : 1, m = I->size;
  const int64_t *ix = I->data;
  for (int64_t i = 0; i < m; i++)
    if (ix[i] < 1 || ix[i] > n)
      cnL_argerror(L, fn, 2, "idx", "entry %lld must be in 1..%lld, got %lld", (long long)i + 1,
                   (long long)n, (long long)ix[i]);
  int64_t shp[2] = {m, w};
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, A->dtype, A->ndim, shp), fn);
  cnL_pusharray(L, out);
  size_t rb = (size_t)w * cn_dtype_size(A->dtype);
  for (int64_t i = 0; i < m; i++)
    memcpy((char *)out->data + (size_t)i * rb, (const char *)A->data + (size_t)(ix[i] - 1) * rb, rb);
  return 1;
}

/* searchsorted_left(t (increasing), v) -> 1-based first index with t >= v,
 * clamped to 1..#t */
static int l_searchsorted_left(lua_State *L) {
  const char *fn = "parse_times_box_to_indices";
  luaL_checkstack(L, 16, fn);
  cn_array *t = f64vec(L, 1, fn, "t"), *v = f64vec(L, 2, fn, "times");
  int64_t n = t->size, m = v->size;
  if (n < 1) cnL_argerror(L, fn, 1, "t", "must not be empty");
  cn_array *out;
  cnL_check(L, cn_array_new1(&out, CN_INT64, m), fn);
  cnL_pusharray(L, out);
  const double *tt = cn_f64(t), *vv = cn_f64(v);
  int64_t *o = out->data;
  for (int64_t i = 0; i < m; i++) {
    int64_t lo = 0, hi = n; /* first index with tt[idx] >= v */
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      if (tt[mid] < vv[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > n - 1) lo = n - 1;
    o[i] = lo + 1;
  }
  return 1;
}

/* stack_columns(a, b) -> {n, 2} float64 */
static int l_stack_columns(lua_State *L) {
  const char *fn = "stack_columns";
  luaL_checkstack(L, 16, fn);
  cn_array *a = f64vec(L, 1, fn, "a"), *b = f64vec(L, 2, fn, "b");
  if (a->size != b->size) cnL_error(L, fn, "columns of different lengths (%lld, %lld)", (long long)a->size, (long long)b->size);
  cn_array *out;
  cnL_check(L, cn_array_new2(&out, CN_FLOAT64, a->size, 2), fn);
  cnL_pusharray(L, out);
  for (int64_t i = 0; i < a->size; i++) {
    cn_f64(out)[2 * i] = cn_f64(a)[i];
    cn_f64(out)[2 * i + 1] = cn_f64(b)[i];
  }
  return 1;
}

typedef struct { double v; int64_t i; } vkey;
static int cmp_vkey(const void *p, const void *q) {
  const vkey *x = p, *y = q;
  if (x->v < y->v) return -1;
  if (x->v > y->v) return 1;
  return (x->i > y->i) - (x->i < y->i);
}

/* argsort(v) -> 1-based stable ascending order */
static int l_argsort(lua_State *L) {
  const char *fn = "argsort";
  luaL_checkstack(L, 16, fn);
  cn_array *v = f64vec(L, 1, fn, "v");
  int64_t n = v->size;
  void **bb = push_ptr(L);
  vkey *k = malloc(sizeof(vkey) * (size_t)(n + 1));
  *bb = k;
  if (!k) cnL_error(L, fn, "out of memory");
  for (int64_t i = 0; i < n; i++) { k[i].v = cn_f64(v)[i]; k[i].i = i; }
  qsort(k, (size_t)n, sizeof *k, cmp_vkey);
  cn_array *out;
  cnL_check(L, cn_array_new1(&out, CN_INT64, n), fn);
  cnL_pusharray(L, out);
  for (int64_t i = 0; i < n; i++) ((int64_t *)out->data)[i] = k[i].i + 1;
  return 1;
}

/* smooth_circular_map(map {r, c}, smooth_sigma, fill_nan, fill_sigma|nil, fill_min_weight) */
static int l_smooth_circular_map(lua_State *L) {
  const char *fn = "cohomap";
  luaL_checkstack(L, 16, fn);
  cn_array *M = f64vec(L, 1, fn, "phase_map");
  if (M->ndim != 2) cnL_error(L, fn, "a phase map must be 2-d");
  double sg = luaL_checknumber(L, 2);
  bool fill = lua_toboolean(L, 3);
  double fs = lua_isnoneornil(L, 4) ? NAN : luaL_checknumber(L, 4);
  double mw = luaL_checknumber(L, 5);
  cn_array *out;
  cnL_check(L, cn_array_copy(&out, M), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_asa_smooth_circular_map(cn_f64(out), M->shape[0], M->shape[1], sg, fill, fs, mw), fn);
  return 1;
}


/* normalize_columns(X {T, N}, "zscore_per_neuron" | "minmax_per_neuron") -> float64 copy */
static int l_normalize_columns(lua_State *L) {
  const char *fn = "compute_fr_heatmap_matrix";
  luaL_checkstack(L, 16, fn);
  cn_array *X = f64vec(L, 1, fn, "spike");
  const char *m = luaL_checkstring(L, 2);
  int mode = strcmp(m, "zscore_per_neuron") == 0 ? CN_ASA_ZSCORE : CN_ASA_MINMAX;
  if (X->ndim != 2) cnL_error(L, fn, "spike must be 2-d");
  cn_array *out;
  cnL_check(L, cn_array_copy(&out, X), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_asa_normalize_columns(cn_f64(out), X->shape[0], X->shape[1], mode), fn);
  return 1;
}

/* frm(spike {T, N}, neuron (1-based), x, y, x_edges, y_edges, min_occupancy,
 *     nan_for_empty, sigma) -> frm, occupancy, spike_sum */
static int l_frm(lua_State *L) {
  const char *fn = "compute_frm";
  luaL_checkstack(L, 24, fn);
  cn_array *S = f64vec(L, 1, fn, "spike");
  int64_t nid = cnL_checkrange(L, 2, fn, 2, "neuron_id", 1, CNL_MAX_COUNT);
  cn_array *x = f64vec(L, 3, fn, "x"), *y = f64vec(L, 4, fn, "y");
  cn_array *xe = f64vec(L, 5, fn, "x_edges"), *ye = f64vec(L, 6, fn, "y_edges");
  int64_t mo = cnL_checkrange(L, 7, fn, 7, "min_occupancy", INT64_MIN, INT64_MAX);
  bool nan_empty = lua_toboolean(L, 8);
  double sigma = luaL_optnumber(L, 9, 0);
  if (S->ndim != 2) cnL_error(L, fn, "spike must be 2-d");
  int64_t T = S->shape[0], N = S->shape[1], bins = xe->size - 1;
  if (nid < 1 || nid > N) cnL_error(L, fn, "neuron out of range");
  if (x->size != T || y->size != T) cnL_error(L, fn, "x/y length must match spike rows");
  if (bins < 1 || ye->size != xe->size) cnL_error(L, fn, "bad edges");
  cn_array *F, *O, *U;
  cnL_check(L, cn_array_new2(&F, CN_FLOAT64, bins, bins), fn);
  cnL_pusharray(L, F);
  cnL_check(L, cn_array_new2(&O, CN_INT64, bins, bins), fn);
  cnL_pusharray(L, O);
  cnL_check(L, cn_array_new2(&U, CN_FLOAT64, bins, bins), fn);
  cnL_pusharray(L, U);
  cnL_check(L, cn_asa_frm(cn_f64(x), cn_f64(y), cn_f64(S) + (nid - 1), T, N, cn_f64(xe), cn_f64(ye),
                          bins, mo, nan_empty, sigma, O->data, cn_f64(U), cn_f64(F)), fn);
  return 3;
}


/* cohospace(coords {K, >=2}, act {K, N}, edges, smooth_sigma) -> maps, centers */
static int l_cohospace(lua_State *L) {
  const char *fn = "cohospace";
  luaL_checkstack(L, 24, fn);
  cn_array *C = f64vec(L, 1, fn, "coords"), *S = f64vec(L, 2, fn, "spikes"), *E = f64vec(L, 3, fn, "edges");
  double sg = luaL_checknumber(L, 4);
  if (C->ndim != 2 || C->shape[1] < 2) cnL_error(L, fn, "coords must be a (T, 2) matrix");
  if (S->ndim != 2 || S->shape[0] != C->shape[0]) cnL_error(L, fn, "spikes must have one row per coordinate row");
  int64_t nb = E->size - 1, N = S->shape[1];
  int64_t shp[3] = {N, nb, nb};
  cn_array *Mp, *Cn;
  cnL_check(L, cn_array_empty(&Mp, CN_FLOAT64, 3, shp), fn);
  cnL_pusharray(L, Mp);
  cnL_check(L, cn_array_new2(&Cn, CN_FLOAT64, N, 2), fn);
  cnL_pusharray(L, Cn);
  cnL_check(L, cn_asa_cohospace(cn_f64(C), C->shape[0], C->shape[1], cn_f64(S), N, cn_f64(E), E->size, sg,
                                cn_f64(Mp), cn_f64(Cn)), fn);
  return 2;
}

/* cohoscore(theta {T, D}, act {T, N}, top_percent|nil) -> scores {N} */
static int l_cohoscore(lua_State *L) {
  const char *fn = "compute_cohoscore_scatter";
  luaL_checkstack(L, 16, fn);
  cn_array *Th = f64vec(L, 1, fn, "coords"), *S = f64vec(L, 2, fn, "activity");
  double top = lua_isnoneornil(L, 3) ? NAN : luaL_checknumber(L, 3);
  if (Th->ndim != 2 || S->ndim != 2 || S->shape[0] != Th->shape[0] || S->shape[0] < 1)
    cnL_error(L, fn, "coords and activity must have the same number of rows");
  cn_array *out;
  cnL_check(L, cn_array_new1(&out, CN_FLOAT64, S->shape[1]), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_asa_cohoscore(cn_f64(Th), Th->shape[0], Th->shape[1], cn_f64(S), S->shape[1], top,
                                cn_f64(out)), fn);
  return 1;
}


/* decode_project_at(Ec, rows (1-based), theta {K, np}, Ez, times (1-based))
 * -> coords {nt, K}, ccos, csin */
static int l_decode_project_at(lua_State *L) {
  const char *fn = "decode_circular_coordinates";
  luaL_checkstack(L, 40, fn);
  cn_array *Ec = activity(L, 1, fn);
  cn_array *R = cnL_checkarraylike(L, 2, CN_INT64, fn, 2, "rows");
  cnL_pusharray(L, R);
  cn_array *Th = f64vec(L, 3, fn, "theta");
  cn_array *Ez = activity(L, 4, fn);
  cn_array *Tm = cnL_checkarraylike(L, 5, CN_INT64, fn, 5, "times");
  cnL_pusharray(L, Tm);
  if (R->dtype != CN_INT64 || Tm->dtype != CN_INT64) cnL_error(L, fn, "rows and times must be int64");
  if (Th->ndim != 2 || Th->shape[1] != R->size) cnL_error(L, fn, "theta must be (K, #rows)");
  if (Ez->shape[1] != Ec->shape[1]) cnL_error(L, fn, "the two activities must have the same neurons");
  int64_t np = R->size, K = Th->shape[0], N = Ec->shape[1], nt = Tm->size;
  void **rb = push_ptr(L);
  int64_t *idx = malloc(sizeof(int64_t) * (size_t)(np + nt + 1));
  *rb = idx;
  if (!idx) cnL_error(L, fn, "out of memory");
  for (int64_t i = 0; i < np; i++) idx[i] = ((int64_t *)R->data)[i] - 1;
  for (int64_t i = 0; i < nt; i++) idx[np + i] = ((int64_t *)Tm->data)[i] - 1;
  int64_t shp[3] = {N, K, np};
  cn_array *C, *cc, *cs;
  cnL_check(L, cn_array_new2(&C, CN_FLOAT64, nt, K), fn);
  cnL_pusharray(L, C);
  cnL_check(L, cn_array_empty(&cc, CN_FLOAT64, 3, shp), fn);
  cnL_pusharray(L, cc);
  cnL_check(L, cn_array_empty(&cs, CN_FLOAT64, 3, shp), fn);
  cnL_pusharray(L, cs);
  cnL_check(L, cn_asa_decode_project_at(cn_f32(Ec), Ec->shape[0], N, idx, np, cn_f64(Th), K, cn_f32(Ez),
                                        Ez->shape[0], idx + np, nt, cn_f64(cc), cn_f64(cs), cn_f64(C)), fn);
  return 3;
}


/* select_points(act {T, N}, ids (1-based), fr_mode, top_percent) -> rows (1-based), agg at them */
static int l_select_points(lua_State *L) {
  const char *fn = "plot_cohospace_scatter";
  luaL_checkstack(L, 24, fn);
  cn_array *S = f64vec(L, 1, fn, "activity");
  cn_array *I = cnL_checkarraylike(L, 2, CN_INT64, fn, 2, "neuron_ids");
  cnL_pusharray(L, I);
  if (I->dtype != CN_INT64) cnL_error(L, fn, "neuron ids must be int64");
  bool fr = lua_toboolean(L, 3);
  double top = luaL_optnumber(L, 4, 5.0);
  if (S->ndim != 2) cnL_error(L, fn, "activity must be 2-d");
  int64_t T = S->shape[0], N = S->shape[1], m = I->size;
  void **b = push_ptr(L);
  char *buf = malloc((size_t)T * (1 + sizeof(double)) + (size_t)(m + 1) * sizeof(int64_t));
  *b = buf;
  if (!buf) cnL_error(L, fn, "out of memory");
  double *agg = (double *)buf;
  int64_t *ids = (int64_t *)(buf + (size_t)T * sizeof(double));
  unsigned char *mask = (unsigned char *)(ids + m + 1);
  for (int64_t k = 0; k < m; k++) ids[k] = ((int64_t *)I->data)[k] - 1;
  cnL_check(L, cn_asa_select_points(cn_f64(S), T, N, ids, m, fr, top, mask, agg), fn);
  int64_t c = 0;
  for (int64_t t = 0; t < T; t++) c += mask[t];
  cn_array *R, *V;
  cnL_check(L, cn_array_new1(&R, CN_INT64, c), fn);
  cnL_pusharray(L, R);
  cnL_check(L, cn_array_new1(&V, CN_FLOAT64, c), fn);
  cnL_pusharray(L, V);
  int64_t j = 0;
  for (int64_t t = 0; t < T; t++)
    if (mask[t]) {
      ((int64_t *)R->data)[j] = t + 1;
      cn_f64(V)[j] = agg[t];
      j++;
    }
  return 2;
}

static const luaL_Reg asa_funcs[] = {
    {"embed", l_embed},
    {"tda", l_tda},
    {"tda_shuffle", l_tda_shuffle},
    {"cocycle_coords", l_cocycle_coords},
    {"decode_project", l_decode_project},
    {"decode_project_at", l_decode_project_at},
    {"gaussian_filter", l_gaussian_filter},
    {"circ_hist2d", l_circ_hist2d},
    {"smooth_circular_map", l_smooth_circular_map},
    {"interp_angles", l_interp_angles},
    {"snake_wrap", l_snake_wrap},
    {"take", l_take},
    {"searchsorted_left", l_searchsorted_left},
    {"stack_columns", l_stack_columns},
    {"argsort", l_argsort},
    {"normalize_columns", l_normalize_columns},
    {"frm", l_frm},
    {"cohospace", l_cohospace},
    {"cohoscore", l_cohoscore},
    {"select_points", l_select_points},
    {NULL, NULL}};

void cnL_open_asa(lua_State *L) {
  lua_newtable(L);
  luaL_setfuncs(L, asa_funcs, 0);
  cnL_asa_stripes_register(L);
  lua_setfield(L, -2, "asa");
}
