/* canns — Lua binding of the cell-classification kernels
 * (include/canns/gridness.h and the contour, morphology and smoothing
 * parts of include/canns/image.h):
 *
 *   core.cellc.gridness(ac, {threshold, min_orientation, min_center_radius,
 *                            num_gridness_radii})        -> result table
 *   core.cellc.gridness_batch(acs (n,h,w), params)        -> table of arrays
 *   core.cellc.find_contours(img, level)                  -> list of (m,2) arrays
 *   core.cellc.regional_maxima(img, connectivity)         -> bool array
 *   core.cellc.dilate(mask, size)                         -> bool array
 *   core.cellc.label(mask, connectivity)                  -> int32 array, n
 *   core.cellc.region_stats(labels, n)                    -> areas, centroids
 *   core.cellc.gaussian_filter(img, sigma_r, sigma_c, truncate)
 *   core.cellc.fit_ellipse(x, y)                          -> 5 numbers
 *
 * Pixel coordinates handed to Lua (contour points, centroids, peak
 * locations, ellipse centres) are 1-based like every Lua index: upstream's
 * 0-based values plus one. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/gridness.h"
#include "canns/image.h"
#include "canns/spatialstats.h"
#include "lua/cnlua.h"

static cn_array *check_nd(lua_State *L, int idx, const char *fn, int arg, const char *name, int ndim,
                          cn_dtype t) {
  char d[128];
  cn_array *a = cnL_toarray(L, idx);
  if (!a && !lua_istable(L, idx))
    cnL_argerror(L, fn, arg, name, "must be a %d-D array, got %s", ndim, cnL_describe(L, idx, d, sizeof d));
  cn_array *x = cnL_checkarraylike(L, idx, t, fn, arg, name);
  cnL_pusharray(L, x);
  if (x->ndim != ndim)
    cnL_argerror(L, fn, arg, name, "must be a %d-D array, got %s", ndim, cnL_describe(L, -1, d, sizeof d));
  for (int k = 0; k < ndim; k++)
    if (x->shape[k] < 1) cnL_argerror(L, fn, arg, name, "must not be empty, got %s", cnL_describe(L, -1, d, sizeof d));
  return x;
}

static void check_finite(lua_State *L, cn_array *a, const char *fn, int arg, const char *name) {
  const double *v = cn_f64(a);
  for (int64_t k = 0; k < a->size; k++)
    if (!isfinite(v[k]))
      cnL_argerror(L, fn, arg, name, "must not contain NaN or inf (element %lld is %g)", (long long)k + 1, v[k]);
}

static cn_gridness_params get_params(lua_State *L, int idx, const char *fn) {
  cn_gridness_params p = cn_gridness_defaults();
  if (lua_isnoneornil(L, idx)) return p;
  luaL_checktype(L, idx, LUA_TTABLE);
  p.threshold = cnL_optfieldnumber(L, idx, "threshold", p.threshold, fn);
  p.min_orientation = cnL_optfieldnumber(L, idx, "min_orientation", p.min_orientation, fn);
  p.min_center_radius = cnL_optfieldnumber(L, idx, "min_center_radius", p.min_center_radius, fn);
  p.num_gridness_radii = cnL_optfieldrange(L, idx, "num_gridness_radii", p.num_gridness_radii, 1, CNL_MAX_COUNT, fn);
  return p;
}

static void pushnums(lua_State *L, const double *v, int n, double add) {
  cn_array *a;
  cnL_check(L, cn_array_new1(&a, CN_FLOAT64, n), "gridness");
  for (int k = 0; k < n; k++) cn_f64(a)[k] = v[k] + add;
  cnL_pusharray(L, a);
}

static void push_result(lua_State *L, const cn_gridness_result *r) {
  lua_createtable(L, 0, 10);
  lua_pushnumber(L, r->score), lua_setfield(L, -2, "score");
  pushnums(L, r->spacing, 3, 0), lua_setfield(L, -2, "spacing");
  pushnums(L, r->orientation, 3, 0), lua_setfield(L, -2, "orientation");
  double e[5];
  memcpy(e, r->ellipse, sizeof e);
  e[0] += 1, e[1] += 1; /* 1-based centre */
  pushnums(L, e, 5, 0), lua_setfield(L, -2, "ellipse");
  lua_pushnumber(L, r->ellipse_theta_deg), lua_setfield(L, -2, "ellipse_theta_deg");
  lua_pushnumber(L, r->center_radius), lua_setfield(L, -2, "center_radius");
  lua_pushnumber(L, r->optimal_radius), lua_setfield(L, -2, "optimal_radius");
  if (r->n_peaks > 0) {
    cn_array *pk;
    cnL_check(L, cn_array_new2(&pk, CN_FLOAT64, r->n_peaks, 2), "gridness");
    for (int64_t i = 0; i < r->n_peaks; i++)
      cn_f64(pk)[2 * i] = r->peaks[i][0] + 1, cn_f64(pk)[2 * i + 1] = r->peaks[i][1] + 1;
    cnL_pusharray(L, pk);
    lua_setfield(L, -2, "peak_locations");
  }
  if (r->stats_warning) {
    lua_pushstring(L, r->stats_warning == 1 ? "Not enough grid peaks found for statistics"
                                            : "Not enough grid peaks after filtering");
    lua_setfield(L, -2, "warning");
  }
}

static int l_gridness(lua_State *L) {
  const char *fn = "compute_gridness_score";
  cn_array *a = check_nd(L, 1, fn, 1, "autocorr", 2, CN_FLOAT64);
  check_finite(L, a, fn, 1, "autocorr");
  cn_gridness_params p = get_params(L, 2, fn);
  cn_gridness_result r;
  cnL_check(L, cn_gridness(cn_f64(a), a->shape[0], a->shape[1], &p, &r), fn);
  push_result(L, &r);
  return 1;
}

/* batch: a table of arrays (score (n), spacing (n,3), orientation (n,3),
 * ellipse (n,5), ellipse_theta_deg, center_radius, optimal_radius (n)) */
static int l_gridness_batch(lua_State *L) {
  const char *fn = "compute_gridness_scores";
  cn_array *a = check_nd(L, 1, fn, 1, "autocorrs", 3, CN_FLOAT64);
  check_finite(L, a, fn, 1, "autocorrs");
  cn_gridness_params p = get_params(L, 2, fn);
  int64_t n = a->shape[0];
  cn_gridness_result *r = lua_newuserdatauv(L, sizeof *r * (size_t)(n > 0 ? n : 1), 0);
  cnL_check(L, cn_gridness_batch(cn_f64(a), n, a->shape[1], a->shape[2], &p, r), fn);
  lua_createtable(L, 0, 7);
  struct { const char *name; int cols; } f[] = {{"score", 1}, {"spacing", 3}, {"orientation", 3},
      {"ellipse", 5}, {"ellipse_theta_deg", 1}, {"center_radius", 1}, {"optimal_radius", 1}};
  for (int q = 0; q < 7; q++) {
    cn_array *o;
    if (f[q].cols == 1) cnL_check(L, cn_array_new1(&o, CN_FLOAT64, n), fn);
    else cnL_check(L, cn_array_new2(&o, CN_FLOAT64, n, f[q].cols), fn);
    double *v = cn_f64(o);
    for (int64_t k = 0; k < n; k++) {
      const cn_gridness_result *x = r + k;
      switch (q) {
      case 0: v[k] = x->score; break;
      case 1: memcpy(v + 3 * k, x->spacing, sizeof x->spacing); break;
      case 2: memcpy(v + 3 * k, x->orientation, sizeof x->orientation); break;
      case 3: memcpy(v + 5 * k, x->ellipse, sizeof x->ellipse); v[5 * k] += 1, v[5 * k + 1] += 1; break;
      case 4: v[k] = x->ellipse_theta_deg; break;
      case 5: v[k] = x->center_radius; break;
      case 6: v[k] = x->optimal_radius; break;
      }
    }
    cnL_pusharray(L, o);
    lua_setfield(L, -2, f[q].name);
  }
  return 1;
}

static int l_find_contours(lua_State *L) {
  const char *fn = "find_contours_at_level";
  cn_array *a = check_nd(L, 1, fn, 1, "image", 2, CN_FLOAT64);
  check_finite(L, a, fn, 1, "image");
  double level = cnL_checkfinite(L, 2, fn, 2, "level");
  if (a->shape[0] < 2 || a->shape[1] < 2)
    cnL_argerror(L, fn, 1, "image", "must be at least 2 x 2, got %lld x %lld", (long long)a->shape[0],
                 (long long)a->shape[1]);
  cn_contours cs;
  cnL_check(L, cn_find_contours(cn_f64(a), a->shape[0], a->shape[1], level, &cs), fn);
  lua_createtable(L, (int)cs.n, 0);
  for (int64_t k = 0; k < cs.n; k++) {
    int64_t s = cs.start[k], m = cs.start[k + 1] - s;
    cn_array *o;
    cn_status st = cn_array_new2(&o, CN_FLOAT64, m, 2);
    if (st != CN_OK) { cn_contours_free(&cs); cnL_check(L, st, fn); }
    for (int64_t i = 0; i < 2 * m; i++) cn_f64(o)[i] = cs.pts[2 * s + i] + 1;
    cnL_pusharray(L, o);
    lua_rawseti(L, -2, k + 1);
  }
  cn_contours_free(&cs);
  return 1;
}

static int check_conn(lua_State *L, int idx, const char *fn, int def) {
  if (lua_isnoneornil(L, idx)) return def;
  int64_t c = cnL_checkint(L, idx, fn, idx, "connectivity");
  if (c != 1 && c != 2) cnL_argerror(L, fn, idx, "connectivity", "must be 1 or 2, got %lld", (long long)c);
  return (int)c;
}

static cn_array *mask_of(lua_State *L, int idx, const char *fn, const char *name, unsigned char **out) {
  cn_array *a = check_nd(L, idx, fn, idx, name, 2, CN_FLOAT64);
  unsigned char *m = lua_newuserdatauv(L, (size_t)a->size, 0);
  for (int64_t k = 0; k < a->size; k++) m[k] = cn_f64(a)[k] != 0;
  *out = m;
  return a;
}

static int l_regional_maxima(lua_State *L) {
  const char *fn = "find_regional_maxima";
  cn_array *a = check_nd(L, 1, fn, 1, "image", 2, CN_FLOAT64);
  check_finite(L, a, fn, 1, "image");
  int conn = check_conn(L, 2, fn, 1);
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, CN_BOOL, a->shape[0], a->shape[1]), fn);
  cnL_pusharray(L, o);
  cnL_check(L, cn_regional_maxima(cn_f64(a), a->shape[0], a->shape[1], conn, o->data), fn);
  return 1;
}

static int l_dilate(lua_State *L) {
  const char *fn = "dilate_image";
  unsigned char *m;
  cn_array *a = mask_of(L, 1, fn, "image", &m);
  int64_t size = lua_isnoneornil(L, 2) ? 3 : cnL_checkint(L, 2, fn, 2, "selem_size");
  if (size < 1 || size > 4096) cnL_argerror(L, fn, 2, "selem_size", "must be in [1, 4096], got %lld", (long long)size);
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, CN_BOOL, a->shape[0], a->shape[1]), fn);
  cnL_pusharray(L, o);
  cnL_check(L, cn_dilate_square(m, a->shape[0], a->shape[1], size, o->data), fn);
  return 1;
}

static int l_label(lua_State *L) {
  const char *fn = "label_connected_components";
  unsigned char *m;
  cn_array *a = mask_of(L, 1, fn, "binary_image", &m);
  int conn = check_conn(L, 2, fn, 2);
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, CN_INT32, a->shape[0], a->shape[1]), fn);
  cnL_pusharray(L, o);
  int64_t n;
  cnL_check(L, cn_label(m, a->shape[0], a->shape[1], conn, o->data, &n), fn);
  lua_pushinteger(L, n);
  return 2;
}

/* areas (n) and 1-based centroids (n, 2) of labels 1..n; intensity: max,
 * min, mean of an optional image per region (n, 3) */
static int l_region_stats(lua_State *L) {
  const char *fn = "regionprops";
  cn_array *lab = check_nd(L, 1, fn, 1, "labeled_image", 2, CN_INT64);
  cn_array *img = lua_isnoneornil(L, 2) ? NULL : check_nd(L, 2, fn, 2, "intensity_image", 2, CN_FLOAT64);
  if (img && (img->shape[0] != lab->shape[0] || img->shape[1] != lab->shape[1]))
    cnL_argerror(L, fn, 2, "intensity_image", "must have the shape of the labeled image");
  const int64_t *l = lab->data;
  int64_t n = 0;
  for (int64_t k = 0; k < lab->size; k++) {
    if (l[k] < 0) cnL_argerror(L, fn, 1, "labeled_image", "must hold labels >= 0, got %lld", (long long)l[k]);
    if (l[k] > n) n = l[k];
  }
  if (n > lab->size) cnL_argerror(L, fn, 1, "labeled_image", "has a label (%lld) larger than its size", (long long)n);
  cn_array *area, *cen, *inten = NULL;
  cnL_check(L, cn_array_zeros(&area, CN_INT64, 1, &n), fn);
  cnL_pusharray(L, area);
  cnL_check(L, cn_array_new2(&cen, CN_FLOAT64, n, 2), fn);
  cnL_pusharray(L, cen);
  if (img) {
    cnL_check(L, cn_array_new2(&inten, CN_FLOAT64, n, 3), fn);
    cnL_pusharray(L, inten);
    for (int64_t k = 0; k < n; k++)
      cn_f64(inten)[3 * k] = -INFINITY, cn_f64(inten)[3 * k + 1] = INFINITY, cn_f64(inten)[3 * k + 2] = 0;
  }
  double *sr = calloc((size_t)(2 * n + 1), sizeof(double));
  if (!sr) return cnL_error(L, fn, "out of memory");
  int64_t *ar = area->data, w = lab->shape[1];
  for (int64_t k = 0; k < lab->size; k++) {
    int64_t q = l[k];
    if (!q) continue;
    ar[q - 1]++;
    sr[2 * (q - 1)] += (double)(k / w), sr[2 * (q - 1) + 1] += (double)(k % w);
    if (inten) {
      double v = cn_f64(img)[k], *t = cn_f64(inten) + 3 * (q - 1);
      if (v > t[0]) t[0] = v;
      if (v < t[1]) t[1] = v;
      t[2] += v;
    }
  }
  for (int64_t q = 0; q < n; q++) {
    double c = (double)ar[q];
    cn_f64(cen)[2 * q] = c ? sr[2 * q] / c + 1 : NAN;
    cn_f64(cen)[2 * q + 1] = c ? sr[2 * q + 1] / c + 1 : NAN;
    if (inten) cn_f64(inten)[3 * q + 2] = c ? cn_f64(inten)[3 * q + 2] / c : NAN;
  }
  free(sr);
  return inten ? 3 : 2;
}

static int l_gaussian(lua_State *L) {
  const char *fn = "gaussian_filter_2d";
  cn_array *a = check_nd(L, 1, fn, 1, "image", 2, CN_FLOAT64);
  double sr = cnL_checkfinite(L, 2, fn, 2, "sigma");
  double sc = lua_isnoneornil(L, 3) ? sr : cnL_checkfinite(L, 3, fn, 3, "sigma");
  double tr = lua_isnoneornil(L, 4) ? 4.0 : cnL_checkfinite(L, 4, fn, 4, "truncate");
  if (sr < 0 || sc < 0) cnL_argerror(L, fn, 2, "sigma", "must be >= 0, got %g", sr < 0 ? sr : sc);
  if (tr <= 0) cnL_argerror(L, fn, 4, "truncate", "must be > 0, got %g", tr);
  if (floor(tr * (sr > sc ? sr : sc) + 0.5) > 1e6)
    cnL_argerror(L, fn, 2, "sigma", "gives a kernel radius above 10^6 (sigma %g)", sr > sc ? sr : sc);
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, CN_FLOAT64, a->shape[0], a->shape[1]), fn);
  cnL_pusharray(L, o);
  cnL_check(L, cn_image_gaussian2d(cn_f64(a), a->shape[0], a->shape[1], sr, sc, tr, cn_f64(o)), fn);
  return 1;
}

static int l_fit_ellipse(lua_State *L) {
  const char *fn = "fit_ellipse";
  cn_array *x = check_nd(L, 1, fn, 1, "x", 1, CN_FLOAT64);
  cn_array *y = check_nd(L, 2, fn, 2, "y", 1, CN_FLOAT64);
  if (x->size != y->size)
    cnL_argerror(L, fn, 2, "y", "must have the length of x (%lld), got %lld", (long long)x->size, (long long)y->size);
  double e[5];
  cnL_check(L, cn_fit_ellipse(cn_f64(x), cn_f64(y), x->size, e), fn);
  for (int k = 0; k < 5; k++) lua_pushnumber(L, e[k]);
  return 5;
}


static cn_array *vec1(lua_State *L, int idx, const char *fn, const char *name) {
  char d[128];
  cn_array *x = cnL_checkarraylike(L, idx, CN_FLOAT64, fn, idx, name);
  cnL_pusharray(L, x);
  if (x->ndim > 1) cnL_argerror(L, fn, idx, name, "must be 1-D, got %s", cnL_describe(L, -1, d, sizeof d));
  return x;
}

/* interp(x, xp, fp): xp must be finite and non-decreasing */
static int l_interp(lua_State *L) {
  const char *fn = "interp";
  cn_array *x = vec1(L, 1, fn, "x"), *xp = vec1(L, 2, fn, "xp"), *fp = vec1(L, 3, fn, "fp");
  if (xp->size != fp->size || xp->size < 1)
    cnL_argerror(L, fn, 3, "fp", "must be non-empty and as long as xp (%lld), got %lld", (long long)xp->size,
                 (long long)fp->size);
  for (int64_t k = 0; k < xp->size; k++)
    if (!isfinite(cn_f64(xp)[k]) || (k && cn_f64(xp)[k] < cn_f64(xp)[k - 1]))
      cnL_argerror(L, fn, 2, "xp", "must be finite and non-decreasing (element %lld)", (long long)k + 1);
  cn_array *o;
  cnL_check(L, cn_array_new1(&o, CN_FLOAT64, x->size), fn);
  cnL_pusharray(L, o);
  cnL_check(L, cn_interp1d(cn_f64(x), x->size, cn_f64(xp), cn_f64(fp), xp->size, cn_f64(o)), fn);
  return 1;
}

static void check_edges(lua_State *L, const char *fn, int idx, cn_array *xe, cn_array *ye) {
  if (xe->size < 2 || ye->size < 2 || xe->size > (1 << 20) || ye->size > (1 << 20) ||
      (xe->size - 1) * (ye->size - 1) > ((int64_t)1 << 31))
    cnL_argerror(L, fn, idx, "x_edges", "need 2 .. 2^20 edges per axis");
}

/* histogram2d(x, y, w|nil, xedges, yedges) -> (ny, nx) float64, [y][x] */
static int l_histogram2d(lua_State *L) {
  const char *fn = "histogram2d";
  cn_array *x = vec1(L, 1, fn, "x"), *y = vec1(L, 2, fn, "y");
  cn_array *w = lua_isnoneornil(L, 3) ? NULL : vec1(L, 3, fn, "weights");
  cn_array *xe = vec1(L, 4, fn, "x_edges"), *ye = vec1(L, 5, fn, "y_edges");
  if (x->size != y->size || (w && w->size != x->size))
    cnL_argerror(L, fn, 2, "y", "x, y (and weights) must have the same length");
  check_edges(L, fn, 4, xe, ye);
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, CN_FLOAT64, ye->size - 1, xe->size - 1), fn);
  cnL_pusharray(L, o);
  cnL_check(L, cn_histogram2d(cn_f64(x), cn_f64(y), w ? cn_f64(w) : NULL, x->size, cn_f64(xe), xe->size,
                              cn_f64(ye), ye->size, cn_f64(o)), fn);
  return 1;
}

/* digitize_counts(x, edges) -> float64 counts per bin of clip(digitize - 1) */
static int l_digitize_counts(lua_State *L) {
  const char *fn = "digitize_counts";
  cn_array *x = vec1(L, 1, fn, "x"), *e = vec1(L, 2, fn, "edges");
  if (e->size < 2 || e->size > (1 << 24)) cnL_argerror(L, fn, 2, "edges", "need 2 .. 2^24 edges");
  int64_t nb = e->size - 1;
  cn_array *o;
  cnL_check(L, cn_array_zeros(&o, CN_FLOAT64, 1, &nb), fn);
  cnL_pusharray(L, o);
  int64_t *b = lua_newuserdatauv(L, sizeof(int64_t) * (size_t)(x->size + 1), 0);
  cn_digitize_clip(cn_f64(x), x->size, cn_f64(e), e->size, b);
  for (int64_t i = 0; i < x->size; i++) cn_f64(o)[b[i]] += 1;
  lua_pop(L, 1);
  return 1;
}

static int l_power_spectrum(lua_State *L) {
  const char *fn = "compute_grid_spacing";
  cn_array *a = check_nd(L, 1, fn, 1, "rate_map", 2, CN_FLOAT64);
  check_finite(L, a, fn, 1, "rate_map");
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, CN_FLOAT64, a->shape[0], a->shape[1]), fn);
  cnL_pusharray(L, o);
  cnL_check(L, cn_power_spectrum2d(cn_f64(a), a->shape[0], a->shape[1], cn_f64(o)), fn);
  return 1;
}

/* track_stats(positions (n,2), time_stamps (n)) -> xmin, xmax, ymin, ymax,
 * all_finite, median(diff(t)); time stamps must be finite and
 * non-decreasing (error naming argument 3 otherwise) */
static int l_track_stats(lua_State *L) {
  const char *fn = "compute_rate_map";
  cn_array *p = check_nd(L, 1, fn, 2, "positions", 2, CN_FLOAT64);
  cn_array *t = vec1(L, 2, fn, "time_stamps");
  if (p->shape[1] != 2) cnL_argerror(L, fn, 2, "positions", "must have 2 columns");
  if (t->size != p->shape[0])
    cnL_argerror(L, fn, 3, "time_stamps", "must have one time per position (%lld), got %lld",
                 (long long)p->shape[0], (long long)t->size);
  if (t->size < 2) cnL_argerror(L, fn, 3, "time_stamps", "must hold at least 2 samples, got %lld", (long long)t->size);
  double lo[2], hi[2], med;
  int finite;
  int64_t bad = -1;
  cn_status st = cn_track_stats(cn_f64(p), cn_f64(t), t->size, lo, hi, &finite, &med, &bad);
  if (st == CN_EINVAL && bad >= 0)
    cnL_argerror(L, fn, 3, "time_stamps", "must be finite and non-decreasing (sample %lld)", (long long)bad + 1);
  cnL_check(L, st, fn);
  lua_pushnumber(L, lo[0]), lua_pushnumber(L, hi[0]), lua_pushnumber(L, lo[1]), lua_pushnumber(L, hi[1]);
  lua_pushboolean(L, finite);
  lua_pushnumber(L, med);
  return 6;
}

/* track_maps(spike_times, positions (n,2), time_stamps (n), xedges, yedges)
 * -> position counts, spike counts, both (ny, nx) float64 [y][x]; the
 * spikes' positions interpolated from the track (numpy.interp per column);
 * time stamps as checked by track_stats */
static int l_track_maps(lua_State *L) {
  const char *fn = "compute_rate_map";
  cn_array *s = vec1(L, 1, fn, "spike_times");
  cn_array *p = check_nd(L, 2, fn, 2, "positions", 2, CN_FLOAT64);
  cn_array *t = vec1(L, 3, fn, "time_stamps");
  cn_array *xe = vec1(L, 4, fn, "x_edges"), *ye = vec1(L, 5, fn, "y_edges");
  if (p->shape[1] != 2 || t->size != p->shape[0] || t->size < 1)
    cnL_argerror(L, fn, 3, "time_stamps", "must have one time per position (%lld), got %lld",
                 (long long)p->shape[0], (long long)t->size);
  check_edges(L, fn, 4, xe, ye);
  cn_array *occ, *spk;
  cnL_check(L, cn_array_new2(&occ, CN_FLOAT64, ye->size - 1, xe->size - 1), fn);
  cnL_pusharray(L, occ);
  cnL_check(L, cn_array_new2(&spk, CN_FLOAT64, ye->size - 1, xe->size - 1), fn);
  cnL_pusharray(L, spk);
  cnL_check(L, cn_track_maps(cn_f64(s), s->size, cn_f64(t), cn_f64(p), t->size, cn_f64(xe), xe->size,
                             cn_f64(ye), ye->size, cn_f64(occ), cn_f64(spk)), fn);
  return 2;
}

static const luaL_Reg cellc_funcs[] = {
    {"gridness", l_gridness},
    {"gridness_batch", l_gridness_batch},
    {"find_contours", l_find_contours},
    {"regional_maxima", l_regional_maxima},
    {"dilate", l_dilate},
    {"label", l_label},
    {"region_stats", l_region_stats},
    {"gaussian_filter", l_gaussian},
    {"fit_ellipse", l_fit_ellipse},
    {"interp", l_interp},
    {"track_stats", l_track_stats},
    {"track_maps", l_track_maps},
    {"power_spectrum", l_power_spectrum},
    {"histogram2d", l_histogram2d},
    {"digitize_counts", l_digitize_counts},
    {NULL, NULL},
};

void cnL_open_cellc(lua_State *L) {
  luaL_newlib(L, cellc_funcs);
  lua_setfield(L, -2, "cellc");
}
