/* canns — bindings of the fly ROI bump fits (src/asa/roi_bumps.c), added
 * to canns.core.asa: the chain and the three tables upstream's
 * `roi_bump_fits` returns (fits, nbump, centrbump). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"
#include "lua/cnlua.h"

#define TWO_PI 6.283185307179586

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* numpy's median (mean of the two middle values for an even count) */
static double median(const double *v, int64_t n, double *tmp) {
  memcpy(tmp, v, sizeof(double) * (size_t)n);
  qsort(tmp, (size_t)n, sizeof(double), cmp_double);
  return n % 2 ? tmp[n / 2] : 0.5 * (tmp[n / 2 - 1] + tmp[n / 2]);
}

static void read_opts(lua_State *L, int idx, cn_roi_bump_opts *o, const char *fn) {
  cn_roi_bump_opts_default(o);
  o->n_steps = cnL_optfieldint(L, idx, "n_steps", o->n_steps, fn);
  o->n_roi = cnL_optfieldint(L, idx, "n_roi", o->n_roi, fn);
  o->n_bump_max = cnL_optfieldint(L, idx, "n_bump_max", o->n_bump_max, fn);
  o->sigma_diff = cnL_optfieldnumber(L, idx, "sigma_diff", o->sigma_diff, fn);
  o->ampli_min = cnL_optfieldnumber(L, idx, "ampli_min", o->ampli_min, fn);
  o->kappa_mean = cnL_optfieldnumber(L, idx, "kappa_mean", o->kappa_mean, fn);
  o->sig2 = cnL_optfieldnumber(L, idx, "sig2", o->sig2, fn);
  o->penbump = cnL_optfieldnumber(L, idx, "penbump", o->penbump, fn);
  o->jc = cnL_optfieldnumber(L, idx, "jc", o->jc, fn);
  o->beta = cnL_optfieldnumber(L, idx, "beta", o->beta, fn);
}

static cn_array *new2(lua_State *L, int64_t r, int64_t c, const char *fn) {
  cn_array *a;
  cnL_check(L, cn_array_new2(&a, CN_FLOAT64, r, c), fn);
  cnL_pusharray(L, a);
  return a;
}

/* roi_bump_fits(data {T, n_roi} float64, opts (validated fields), seed|nil)
 * -> fits {n, 4}, nbump {T, n_roi + 2}, centrbump {m, 2},
 *    count {T} int32, pos/ampli/kappa {T, n_bump_max}, logl {T}, total */
static int l_roi_bump_fits(lua_State *L) {
  const char *fn = "roi_bump_fits";
  luaL_checkstack(L, 40, fn);
  cn_array *D = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "data");
  cnL_pusharray(L, D);
  luaL_checktype(L, 2, LUA_TTABLE);
  cn_roi_bump_opts o;
  read_opts(L, 2, &o, fn);
  if (D->dtype != CN_FLOAT64 || D->ndim != 2 || D->shape[1] != o.n_roi)
    cnL_error(L, fn, "data must be a (time, n_roi = %lld) matrix", (long long)o.n_roi);
  int64_t T = D->shape[0], R = o.n_roi, M = o.n_bump_max, n = T * R;
  if (T < 1) cnL_error(L, fn, "data must hold at least one time point");
  if (M < 1 || M > CN_ROI_BUMP_MAX) cnL_error(L, fn, "n_bump_max must be in 1..%d", CN_ROI_BUMP_MAX);
  const double *raw = cn_f64(D);
  cn_array *Y = new2(L, T, R, fn);
  double *y = cn_f64(Y);
  double med = median(raw, n, y);
  if (!(med != 0.0) || !isfinite(med))
    cnL_error(L, fn, "data: its median is %g; the fit divides by it (data / median - 1)", med);
  for (int64_t k = 0; k < n; k++) y[k] = raw[k] / med - 1.0;
  cn_rng own, *g = cn_rng_global();
  if (!lua_isnoneornil(L, 3)) {
    cn_rng_seed(&own, (uint64_t)luaL_checkinteger(L, 3));
    g = &own;
  }
  cn_array *Cnt, *P, *A, *K, *Lg;
  cnL_check(L, cn_array_new1(&Cnt, CN_INT32, T), fn);
  cnL_pusharray(L, Cnt);
  int first_state = lua_gettop(L); /* count, pos, ampli, kappa, logl */
  P = new2(L, T, M, fn);
  A = new2(L, T, M, fn);
  K = new2(L, T, M, fn);
  cnL_check(L, cn_array_new1(&Lg, CN_FLOAT64, T), fn);
  cnL_pusharray(L, Lg);
  double total;
  cnL_check(L, cn_roi_bump_fits(&o, y, T, g, (int32_t *)Cnt->data, cn_f64(P), cn_f64(A), cn_f64(K),
                                cn_f64(Lg), &total), fn);
  const int32_t *cnt = (const int32_t *)Cnt->data;
  int64_t nfit = 0;
  for (int64_t t = 0; t < T; t++) nfit += cnt[t];
  int first_out = lua_gettop(L) + 1; /* fits, nbump, centrbump */
  cn_array *F = new2(L, nfit, 4, fn), *Nb = new2(L, T, R + 2, fn), *Cb = new2(L, nfit * R, 2, fn);
  double *f = cn_f64(F), *nb = cn_f64(Nb), *cb = cn_f64(Cb);
  int64_t fi = 0;
  for (int64_t t = 0; t < T; t++) {
    const double *p = cn_f64(P) + t * M, *a = cn_f64(A) + t * M, *k = cn_f64(K) + t * M;
    nb[t * (R + 2)] = (double)t;
    nb[t * (R + 2) + 1] = cnt[t];
    cn_roi_bump_predict(p, a, k, cnt[t], R, nb + t * (R + 2) + 2);
    for (int b = 0; b < cnt[t]; b++, fi++) {
      f[fi * 4] = (double)t, f[fi * 4 + 1] = p[b], f[fi * 4 + 2] = a[b], f[fi * 4 + 3] = k[b];
      for (int64_t j = 0; j < R; j++) {
        double d = p[b] - (double)j * TWO_PI / (double)R;
        if (d > M_PI) d -= TWO_PI;
        if (d < -M_PI) d += TWO_PI;
        cb[(fi * R + j) * 2] = d;
        cb[(fi * R + j) * 2 + 1] = raw[t * R + j] / a[b];
      }
    }
  }
  for (int i = 0; i < 3; i++) lua_pushvalue(L, first_out + i);
  for (int i = 0; i < 5; i++) lua_pushvalue(L, first_state + i);
  lua_pushnumber(L, total);
  return 9;
}

/* roi_site_logl(y {n_roi} normalised, pos, ampli, kappa (lists), opts) */
static int l_roi_site_logl(lua_State *L) {
  const char *fn = "roi_site_logl";
  cn_array *Y = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "y");
  cnL_pusharray(L, Y);
  cn_array *P = cnL_checkarraylike(L, 2, CN_FLOAT64, fn, 2, "pos");
  cnL_pusharray(L, P);
  cn_array *A = cnL_checkarraylike(L, 3, CN_FLOAT64, fn, 3, "ampli");
  cnL_pusharray(L, A);
  cn_array *K = cnL_checkarraylike(L, 4, CN_FLOAT64, fn, 4, "kappa");
  cnL_pusharray(L, K);
  luaL_checktype(L, 5, LUA_TTABLE);
  cn_roi_bump_opts o;
  read_opts(L, 5, &o, fn);
  if (Y->size != o.n_roi || P->size != A->size || P->size != K->size || P->size > CN_ROI_BUMP_MAX)
    cnL_error(L, fn, "y must hold n_roi values and pos, ampli, kappa one per bump");
  double *w = lua_newuserdatauv(L, sizeof(double) * (size_t)(o.n_roi + 1), 0);
  lua_pushnumber(L, cn_roi_bump_site_logl(&o, cn_f64(Y), cn_f64(P), cn_f64(A), cn_f64(K),
                                          (int)P->size, w));
  return 1;
}

/* roi_coupling(pos1, pos2 (lists), opts) */
static int l_roi_coupling(lua_State *L) {
  const char *fn = "roi_coupling";
  cn_array *P1 = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "pos1");
  cnL_pusharray(L, P1);
  cn_array *P2 = cnL_checkarraylike(L, 2, CN_FLOAT64, fn, 2, "pos2");
  cnL_pusharray(L, P2);
  luaL_checktype(L, 3, LUA_TTABLE);
  cn_roi_bump_opts o;
  read_opts(L, 3, &o, fn);
  if (P1->size > CN_ROI_BUMP_MAX || P2->size > CN_ROI_BUMP_MAX)
    cnL_error(L, fn, "at most %d bumps per site", CN_ROI_BUMP_MAX);
  double *dp = lua_newuserdatauv(L, sizeof(double) * ((size_t)1 << CN_ROI_BUMP_MAX), 0);
  lua_pushnumber(L, cn_roi_bump_coupling(&o, cn_f64(P1), (int)P1->size, cn_f64(P2), (int)P2->size, dp));
  return 1;
}

static const luaL_Reg roi_funcs[] = {{"roi_bump_fits", l_roi_bump_fits},
                                     {"roi_site_logl", l_roi_site_logl},
                                     {"roi_coupling", l_roi_coupling},
                                     {NULL, NULL}};

void cnL_open_roibumps(lua_State *L) {
  lua_getfield(L, -1, "asa");
  luaL_setfuncs(L, roi_funcs, 0);
  lua_pop(L, 1);
}
