/* canns — the numeric kernels of ASA's downstream analyses (upstream
 * canns.analyzer.data.asa.cohomap, .path and .plotting): the circular-mean
 * 2-D histogram of EcohoMap (scipy's binned_statistic_2d binning with the
 * circular mean as statistic), the interpolation of decoded angles back to
 * every time step (numpy's unwrap + interp), and the wrap breaks of a
 * decoded path in the torus' fundamental parallelogram. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"

/* The cell of v among the nb + 1 increasing edges e (0-based), or -1 when
 * outside; a value on the last edge (to scipy's rounding) is in the last
 * cell, as binned_statistic_dd does it. */
static int64_t cell_of(double v, const double *e, int64_t ne, double scale) {
  if (!(v >= e[0])) return -1;
  double last = e[ne - 1];
  if (v >= last) {
    if (v == last || round(v * scale) == round(last * scale)) return ne - 2;
    return -1;
  }
  int64_t lo = 0, hi = ne - 1; /* e[lo] <= v < e[hi] */
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    if (e[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* scipy's rounding precision for the on-last-edge test: decimal =
 * int(-log10(min edge spacing)) + 6. */
static double edge_scale(const double *e, int64_t ne) {
  double m = INFINITY;
  for (int64_t i = 1; i < ne; i++)
    if (e[i] - e[i - 1] < m) m = e[i] - e[i - 1];
  if (!(m > 0) || !isfinite(m)) return 1e6;
  double dec = trunc(-log10(m)) + 6;
  return pow(10.0, dec);
}

cn_status cn_asa_circ_hist2d(const double *x, const double *y, const double *v, int64_t n,
                             const double *xe, int64_t nxe, const double *ye, int64_t nye,
                             double *out) {
  if (nxe < 2 || nye < 2)
    return cn_error(CN_EINVAL, "bins must give at least 2 edges per axis, got %lld and %lld",
                    (long long)nxe, (long long)nye);
  for (int64_t i = 1; i < nxe; i++)
    if (!(xe[i] > xe[i - 1])) return cn_error(CN_EINVAL, "x edges must increase (the x range is empty)");
  for (int64_t i = 1; i < nye; i++)
    if (!(ye[i] > ye[i - 1])) return cn_error(CN_EINVAL, "y edges must increase (the y range is empty)");
  int64_t nx = nxe - 1, ny = nye - 1, nc = nx * ny;
  double *acc = calloc((size_t)(3 * nc), sizeof(double));
  if (!acc) return cn_error(CN_ENOMEM, "cohomap: out of memory (%lld cells)", (long long)nc);
  double *s = acc, *c = acc + nc, *k = acc + 2 * nc;
  double sx = edge_scale(xe, nxe), sy = edge_scale(ye, nye);
  for (int64_t i = 0; i < n; i++) {
    if (isnan(v[i])) continue;
    int64_t a = cell_of(x[i], xe, nxe, sx), b = cell_of(y[i], ye, nye, sy);
    if (a < 0 || b < 0) continue;
    int64_t q = a * ny + b;
    s[q] += sin(v[i]);
    c[q] += cos(v[i]);
    k[q] += 1;
  }
  for (int64_t q = 0; q < nc; q++)
    out[q] = k[q] > 0 ? atan2(s[q] / k[q], c[q] / k[q]) : NAN;
  free(acc);
  return CN_OK;
}

/* numpy.interp at one point (xp increasing). */
static double interp_at(double v, const double *xp, const double *fp, int64_t n) {
  if (v <= xp[0]) return fp[0];
  if (v >= xp[n - 1]) return fp[n - 1];
  int64_t lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    if (xp[mid] <= v) lo = mid;
    else hi = mid;
  }
  double slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
  return slope * (v - xp[lo]) + fp[lo];
}

typedef struct { int64_t i, pos; } ipos;

static int cmp_ipos(const void *a, const void *b) {
  const ipos *x = a, *y = b;
  if (x->i != y->i) return (x->i > y->i) - (x->i < y->i);
  return (x->pos > y->pos) - (x->pos < y->pos);
}

cn_status cn_asa_interp_angles(const int64_t *idx, const double *c, int64_t K, int64_t D,
                               int64_t T, double *out) {
  if (K < 1) return cn_error(CN_EINVAL, "no decoded time points to interpolate");
  ipos *o = malloc(sizeof(ipos) * (size_t)K);
  double *xp = malloc(sizeof(double) * (size_t)K);
  double *fp = malloc(sizeof(double) * (size_t)K);
  if (!o || !xp || !fp) {
    free(o); free(xp); free(fp);
    return cn_error(CN_ENOMEM, "interp_coords_to_full: out of memory");
  }
  for (int64_t j = 0; j < K; j++) { o[j].i = idx[j]; o[j].pos = j; }
  qsort(o, (size_t)K, sizeof *o, cmp_ipos);
  /* unique indices, the first occurrence of each */
  int64_t m = 0;
  for (int64_t j = 0; j < K; j++)
    if (j == 0 || o[j].i != o[j - 1].i) o[m++] = o[j];
  for (int64_t j = 0; j < m; j++) xp[j] = (double)o[j].i;
  for (int64_t d = 0; d < D; d++) {
    /* numpy.unwrap (discont pi, period 2 pi) */
    double corr = 0;
    for (int64_t j = 0; j < m; j++) {
      double p = c[o[j].pos * D + d];
      if (j > 0) {
        double prev = c[o[j - 1].pos * D + d];
        double dd = p - prev;
        double dm = fmod(dd + M_PI, 2 * M_PI);
        if (dm < 0) dm += 2 * M_PI;
        dm -= M_PI;
        if (dm == -M_PI && dd > 0) dm = M_PI;
        double pc = dm - dd;
        if (fabs(dd) < M_PI) pc = 0;
        corr += pc;
      }
      fp[j] = p + corr;
    }
    for (int64_t t = 0; t < T; t++) {
      double v = fmod(interp_at((double)t, xp, fp, m), 2 * M_PI);
      if (v < 0) v += 2 * M_PI;
      out[t * D + d] = v;
    }
  }
  free(o); free(xp); free(fp);
  return CN_OK;
}

int64_t cn_asa_snake_wrap(const double *xy, int64_t n, const double *e1, const double *e2,
                          double *out) {
  if (n < 1) return 0;
  int64_t m = 0;
  out[0] = xy[0];
  out[1] = xy[1];
  m = 1;
  for (int64_t k = 1; k < n; k++) {
    double px = xy[2 * (k - 1)], py = xy[2 * (k - 1) + 1], cx = xy[2 * k], cy = xy[2 * k + 1];
    double best = INFINITY;
    int bi = 0, bj = 0;
    for (int i = -1; i <= 1; i++)
      for (int j = -1; j <= 1; j++) {
        double sx = i * e1[0] + j * e2[0], sy = i * e1[1] + j * e2[1];
        double dx = cx + sx - px, dy = cy + sy - py;
        double d2 = dx * dx + dy * dy;
        if (d2 < best) { best = d2; bi = i; bj = j; }
      }
    double bx = bi * e1[0] + bj * e2[0], by = bi * e1[1] + bj * e2[1];
    if (bx != 0.0 || by != 0.0) {
      out[2 * m] = NAN;
      out[2 * m + 1] = NAN;
      m++;
    }
    out[2 * m] = cx;
    out[2 * m + 1] = cy;
    m++;
  }
  return m;
}

cn_status cn_asa_smooth_circular_map(double *m, int64_t rows, int64_t cols, double smooth_sigma,
                                     bool fill_nan, double fill_sigma, double fill_min_weight) {
  int64_t n = rows * cols;
  double *buf = malloc(sizeof(double) * (size_t)(4 * n + 1));
  if (!buf) return cn_error(CN_ENOMEM, "cohomap: out of memory");
  double *mask = buf, *s = buf + n, *c = buf + 2 * n, *tmp = buf + 3 * n;
  for (int64_t i = 0; i < n; i++) {
    bool nan = isnan(m[i]);
    mask[i] = nan ? 0.0 : 1.0;
    s[i] = nan ? 0.0 : sin(m[i]);
    c[i] = nan ? 0.0 : cos(m[i]);
  }
  cn_status st = CN_OK;
  if (fill_nan) {
    double fs = fill_sigma;
    if (isnan(fs)) fs = smooth_sigma > 0 ? smooth_sigma : 1.0;
    /* upstream multiplies sin/cos by the mask once more: no-op here */
    st = cn_gaussian_filter2d(mask, rows, cols, fs, CN_FILTER_REFLECT, tmp);
    if (st == CN_OK) { memcpy(mask, tmp, sizeof(double) * (size_t)n); st = cn_gaussian_filter2d(s, rows, cols, fs, CN_FILTER_REFLECT, tmp); }
    if (st == CN_OK) { memcpy(s, tmp, sizeof(double) * (size_t)n); st = cn_gaussian_filter2d(c, rows, cols, fs, CN_FILTER_REFLECT, tmp); }
    if (st == CN_OK) {
      memcpy(c, tmp, sizeof(double) * (size_t)n);
      double mw = fill_min_weight > 0 ? fill_min_weight : 0.0;
      for (int64_t i = 0; i < n; i++) {
        bool valid = mask[i] > mw;
        double si = valid ? s[i] / mask[i] : 0.0, ci = valid ? c[i] / mask[i] : 0.0;
        m[i] = atan2(si, ci);
        if (fill_min_weight > 0 && !valid) m[i] = NAN;
      }
    }
  } else {
    if (smooth_sigma > 0) {
      st = cn_gaussian_filter2d(s, rows, cols, smooth_sigma, CN_FILTER_REFLECT, tmp);
      if (st == CN_OK) { memcpy(s, tmp, sizeof(double) * (size_t)n); st = cn_gaussian_filter2d(c, rows, cols, smooth_sigma, CN_FILTER_REFLECT, tmp); }
      if (st == CN_OK) memcpy(c, tmp, sizeof(double) * (size_t)n);
    }
    if (st == CN_OK)
      for (int64_t i = 0; i < n; i++) m[i] = mask[i] == 0.0 ? NAN : atan2(s[i], c[i]);
  }
  free(buf);
  return st;
}
