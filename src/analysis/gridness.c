/* canns — the gridness score of a spatial autocorrelogram (upstream
 * GridnessAnalyzer.compute_gridness_score, after gridnessScore.m):
 *
 *  1. normalise by the maximum; the centre field is the contour at
 *     `threshold` whose mean vertex is nearest the centre pixel; its radius
 *     is floor(sqrt(area / pi));
 *  2. rotate by 30..150 degrees; for every ring limit rho = radius+1 ..
 *     R_ac take the annulus radius < d < rho and
 *     g = min(r60, r120) - max(r30, r90, r150) (Pearson r);
 *  3. the score is the best moving mean of `num_gridness_radii` g values;
 *  4. peaks of the smoothed, masked autocorrelogram near the optimal
 *     radius give spacing, orientation and an ellipse.
 *
 * Pixel distances from the (integer) centre are compared as integers
 * (d^2 < rho^2), which is exact; the annulus correlations for all rho come
 * from one pass over the pixels sorted by d^2 (prefix sums about the
 * annulus mean), and only the pixels inside R_ac are rotated. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "canns/array.h"
#include "canns/gridness.h"
#include "canns/image.h"

cn_gridness_params cn_gridness_defaults(void) {
  cn_gridness_params p = {0.2, 15.0, 2.0, 3};
  return p;
}

static void nan_result(cn_gridness_result *r) {
  memset(r, 0, sizeof *r);
  r->score = NAN;
  for (int k = 0; k < 3; k++) r->spacing[k] = r->orientation[k] = NAN;
  for (int k = 0; k < 5; k++) r->ellipse[k] = NAN;
  r->ellipse_theta_deg = NAN;
  r->center_radius = 0;
  r->optimal_radius = NAN;
}

static void nan_stats(cn_gridness_result *r, int warning) {
  for (int k = 0; k < 3; k++) r->spacing[k] = r->orientation[k] = NAN;
  for (int k = 0; k < 5; k++) r->ellipse[k] = NAN;
  r->ellipse_theta_deg = NAN;
  r->n_peaks = 0;
  r->stats_warning = warning;
}

/* Python's min/max over a sequence: the first element unless a later one
 * compares strictly smaller (larger) - so a leading NaN wins. */
static double py_min2(double a, double b) { return b < a ? b : a; }
static double py_max3(double a, double b, double c) {
  double m = a;
  if (b > m) m = b;
  if (c > m) m = c;
  return m;
}

/* bilinear sample of img at (r, q), zero outside [0, h-1] x [0, w-1] */
static double sample(const double *img, int64_t h, int64_t w, double r, double q) {
  if (!(r >= 0 && r <= (double)(h - 1) && q >= 0 && q <= (double)(w - 1))) return 0;
  int64_t r0 = (int64_t)floor(r), q0 = (int64_t)floor(q);
  double fr = r - (double)r0, fq = q - (double)q0;
  int64_t r1 = r0 + 1 < h ? r0 + 1 : r0, q1 = q0 + 1 < w ? q0 + 1 : q0;
  return (1 - fr) * ((1 - fq) * img[r0 * w + q0] + fq * img[r0 * w + q1]) +
         fr * ((1 - fq) * img[r1 * w + q0] + fq * img[r1 * w + q1]);
}

typedef struct { int64_t d2, pix; } dpix;

/* centre-field radius (-1 without contours) */
static cn_status center_radius(const double *a, int64_t h, int64_t w, double level, double *rad) {
  cn_contours cs;
  CN_TRY(cn_find_contours(a, h, w, level, &cs));
  *rad = -1;
  if (cs.n == 0) { cn_contours_free(&cs); return CN_OK; }
  double cr = (double)(h / 2), cc = (double)(w / 2); /* (h//2 + 1) - 1 */
  double best = INFINITY;
  int64_t pick = -1;
  for (int64_t k = 0; k < cs.n; k++) {
    int64_t s = cs.start[k], e = cs.start[k + 1];
    double mr = 0, mc = 0;
    for (int64_t i = s; i < e; i++) mr += cs.pts[2 * i], mc += cs.pts[2 * i + 1];
    mr /= (double)(e - s), mc /= (double)(e - s);
    double d = hypot(mr - cr, mc - cc);
    if (d < best) best = d, pick = k;
  }
  if (pick >= 0) {
    int64_t s = cs.start[pick], e = cs.start[pick + 1], m = e - s;
    double area = 0;
    if (m >= 3) {
      double s1 = 0, s2 = 0; /* x = col, y = row */
      for (int64_t i = 0; i < m; i++) {
        int64_t j = s + (i + 1) % m;
        double xi = cs.pts[2 * (s + i) + 1], yi = cs.pts[2 * (s + i)];
        double xj = cs.pts[2 * j + 1], yj = cs.pts[2 * j];
        s1 += xi * yj, s2 += xj * yi;
      }
      area = 0.5 * fabs(s1 - s2);
    }
    *rad = floor(sqrt(area / M_PI));
  }
  cn_contours_free(&cs);
  return CN_OK;
}

/* peaks, spacing, orientation, ellipse at the optimal radius */
static cn_status grid_stats(const double *a, int64_t h, int64_t w, double ropt,
                            const cn_gridness_params *p, cn_gridness_result *r) {
  const int64_t n = h * w;
  const int64_t hh = h / 2 + 1, hw = w / 2 + 1;
  const double cy = (double)(hh - 1), cx = (double)(hw - 1);
  double *sm = malloc(sizeof(double) * (size_t)n);
  unsigned char *mx = malloc((size_t)n), *dil = malloc((size_t)n);
  int32_t *lab = malloc(sizeof(int32_t) * (size_t)n);
  double *acc = NULL;
  cn_status st = CN_OK;
  if (!sm || !mx || !dil || !lab) { st = cn_error(CN_ENOMEM, "gridness statistics"); goto done; }
  double sigma = ropt / (2 * M_PI) / 2;
  if ((st = cn_image_gaussian2d(a, h, w, sigma, sigma, 4.0, sm)) != CN_OK) goto done;
  double lim = ropt + ropt / 4;
  for (int64_t i = 0; i < h; i++)
    for (int64_t j = 0; j < w; j++) {
      double d = sqrt((double)((i - (hh - 1)) * (i - (hh - 1)) + (j - (hw - 1)) * (j - (hw - 1))));
      if (!(d < lim)) sm[i * w + j] = 0.0 * sm[i * w + j];
    }
  if ((st = cn_regional_maxima(sm, h, w, 1, mx)) != CN_OK) goto done;
  if ((st = cn_dilate_square(mx, h, w, 3, dil)) != CN_OK) goto done;
  int64_t K;
  if ((st = cn_label(dil, h, w, 2, lab, &K)) != CN_OK) goto done;
  if (K < 5) { nan_stats(r, 1); goto done; }
  acc = calloc((size_t)(3 * K), sizeof(double));
  if (!acc) { st = cn_error(CN_ENOMEM, "gridness statistics"); goto done; }
  for (int64_t i = 0; i < h; i++)
    for (int64_t j = 0; j < w; j++) {
      int32_t l = lab[i * w + j];
      if (l) acc[3 * (l - 1)] += 1, acc[3 * (l - 1) + 1] += (double)i, acc[3 * (l - 1) + 2] += (double)j;
    }
  /* (x, y) centroids, orientation, squared distance (upstream's formula) */
  double *px = malloc(sizeof(double) * (size_t)(4 * K));
  if (!px) { st = cn_error(CN_ENOMEM, "gridness statistics"); goto done; }
  double *py = px + K, *po = px + 2 * K, *pd = px + 3 * K;
  int64_t m = 0;
  for (int64_t k = 0; k < K; k++) {
    double y = acc[3 * k + 1] / acc[3 * k], x = acc[3 * k + 2] / acc[3 * k];
    double o = atan2(y - cy, x - cx);
    if (o == 0) continue; /* upstream drops every peak at orientation exactly 0 */
    double d = (x * x + y * y) + (cx * cx + cy * cy) - 2 * (x * cx + y * cy);
    px[m] = x, py[m] = y, po[m] = o, pd[m] = d > 0 ? d : 0;
    m++;
  }
  /* drop the farther of two peaks closer than min_orientation in angle */
  unsigned char *del = calloc((size_t)(m + 1), 1);
  if (!del) { free(px); st = cn_error(CN_ENOMEM, "gridness statistics"); goto done; }
  const double thr = p->min_orientation * (M_PI / 180.0);
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = i + 1; j < m; j++) {
      double dd = atan2(sin(po[i] - po[j]), cos(po[i] - po[j]));
      if (fabs(dd) < thr) del[pd[i] > pd[j] ? i : j] = 1;
    }
  int64_t q = 0;
  for (int64_t i = 0; i < m; i++)
    if (!del[i]) px[q] = px[i], py[q] = py[i], po[q] = po[i], pd[q] = pd[i], q++;
  free(del);
  if (q < 4) { free(px); nan_stats(r, 2); goto done; }
  /* stable sort by distance, keep 6 */
  int64_t nq = q;
  int64_t *ord = malloc(sizeof(int64_t) * (size_t)nq);
  if (!ord) { free(px); st = cn_error(CN_ENOMEM, "gridness statistics"); goto done; }
  for (int64_t i = 0; i < nq; i++) ord[i] = i;
  for (int64_t i = 1; i < nq; i++) {
    int64_t t = ord[i], j = i;
    while (j > 0 && pd[ord[j - 1]] > pd[t]) ord[j] = ord[j - 1], j--;
    ord[j] = t;
  }
  int64_t np_ = nq < 6 ? nq : 6;
  double X[6], Y[6], O[6], S[6];
  for (int64_t i = 0; i < np_; i++) {
    X[i] = px[ord[i]], Y[i] = py[ord[i]];
    O[i] = atan2(Y[i] - cy, X[i] - cx) * (180.0 / M_PI);
    S[i] = sqrt((X[i] - cx) * (X[i] - cx) + (Y[i] - cy) * (Y[i] - cy));
    r->peaks[i][0] = X[i], r->peaks[i][1] = Y[i];
  }
  free(px), free(ord);
  r->n_peaks = np_;
  if (cn_fit_ellipse(X, Y, np_, r->ellipse) == CN_OK) {
    double t = r->ellipse[4];
    r->ellipse_theta_deg = (atan2(sin(t), cos(t)) + M_PI) * (180.0 / M_PI);
  } else {
    for (int k = 0; k < 5; k++) r->ellipse[k] = NAN;
    r->ellipse_theta_deg = NAN;
  }
  /* the three peaks closest in angle to the most axis-aligned one */
  int64_t i1[6], i2[6];
  for (int64_t i = 0; i < np_; i++) i1[i] = i;
  for (int64_t i = 1; i < np_; i++) { /* stable by |O| */
    int64_t t = i1[i], j = i;
    while (j > 0 && fabs(O[i1[j - 1]]) > fabs(O[t])) i1[j] = i1[j - 1], j--;
    i1[j] = t;
  }
  double ref = O[i1[0]];
  for (int64_t i = 0; i < np_; i++) i2[i] = i;
  for (int64_t i = 1; i < np_; i++) {
    int64_t t = i2[i], j = i;
    while (j > 0 && fabs(O[i2[j - 1]] - ref) > fabs(O[t] - ref)) i2[j] = i2[j - 1], j--;
    i2[j] = t;
  }
  int64_t f[3] = {i2[0], i2[1], i2[2]};
  for (int i = 1; i < 3; i++) { /* stable by orientation */
    int64_t t = f[i];
    int j = i;
    while (j > 0 && O[f[j - 1]] > O[t]) f[j] = f[j - 1], j--;
    f[j] = t;
  }
  for (int i = 0; i < 3; i++) r->orientation[i] = O[f[i]], r->spacing[i] = S[f[i]];
  r->stats_warning = 0;
done:
  free(sm), free(mx), free(dil), free(lab), free(acc);
  return st;
}

cn_status cn_gridness(const double *ac, int64_t h, int64_t w,
                      const cn_gridness_params *p, cn_gridness_result *r) {
  nan_result(r);
  if (h < 1 || w < 1 || h > CN_IMAGE_MAX_EXTENT || w > CN_IMAGE_MAX_EXTENT || h * w > CN_IMAGE_MAX_PIXELS)
    return cn_error(CN_ESHAPE, "the autocorrelogram must be non-empty, got %lld x %lld", (long long)h, (long long)w);
  if (!isfinite(p->threshold) || !isfinite(p->min_orientation) || !isfinite(p->min_center_radius) ||
      p->num_gridness_radii < 1)
    return cn_error(CN_EINVAL, "invalid gridness parameters");
  if (h == 1 || w == 1) return CN_OK;
  const int64_t n = h * w;
  double amax = -INFINITY;
  for (int64_t k = 0; k < n; k++) {
    if (!isfinite(ac[k])) return cn_error(CN_EINVAL, "the autocorrelogram must be finite");
    amax = ac[k] > amax ? ac[k] : amax;
  }
  if (!(amax > 0)) return CN_OK; /* upstream divides by max <= 0: no centre field */
  double *a = malloc(sizeof(double) * (size_t)n);
  if (!a) return cn_error(CN_ENOMEM, "gridness");
  for (int64_t k = 0; k < n; k++) a[k] = ac[k] / amax;
  double rad;
  cn_status st = center_radius(a, h, w, p->threshold, &rad);
  if (st != CN_OK) { free(a); return st; }
  const int64_t hh = h / 2 + 1, hw = w / 2 + 1, Rac = hh < hw ? hh : hw;
  if (rad < 0 || rad < p->min_center_radius || rad >= (double)Rac) { free(a); return CN_OK; }
  /* annulus pixels radius < d < Rac, sorted by d^2 */
  const int64_t ir = (int64_t)rad; /* rad is a non-negative integer value here */
  const int64_t lo2 = ir * ir, hi2 = Rac * Rac;
  dpix *px = malloc(sizeof(dpix) * (size_t)n);
  if (!px) { free(a); return cn_error(CN_ENOMEM, "gridness"); }
  /* a counting sort on the integer d^2 (buckets lo2+1 .. hi2-1), pixels
   * visited in increasing index: ties stay in pixel order */
  const int64_t nbk = hi2 - lo2 > 1 ? hi2 - lo2 - 1 : 1;
  int64_t *start = calloc((size_t)nbk + 1, sizeof *start);
  if (!start) { free(a), free(px); return cn_error(CN_ENOMEM, "gridness"); }
  int64_t m = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (int64_t i = 0; i < h; i++)
      for (int64_t j = 0; j < w; j++) {
        int64_t d2 = (i - (hh - 1)) * (i - (hh - 1)) + (j - (hw - 1)) * (j - (hw - 1));
        if (!(d2 > lo2 && d2 < hi2)) continue;
        if (pass == 0) start[d2 - lo2]++, m++; /* counts, shifted by one bucket */
        else {
          int64_t q = start[d2 - lo2 - 1]++;
          px[q].d2 = d2, px[q].pix = i * w + j;
        }
      }
    if (pass == 0)
      for (int64_t b = 1; b <= nbk; b++) start[b] += start[b - 1];
  }
  free(start);
  /* values: x = a, y_k = a rotated by 30k degrees */
  double *v = malloc(sizeof(double) * (size_t)(6 * (m + 1)));
  const int64_t K = Rac - ir; /* rho = ir+1 .. Rac */
  double *g = malloc(sizeof(double) * (size_t)(K + 1));
  if (!v || !g) { free(a), free(px), free(v), free(g); return cn_error(CN_ENOMEM, "gridness"); }
  const double cr = (double)(h - 1) / 2, cc = (double)(w - 1) / 2;
  double sn[5], cs[5];
  for (int k = 0; k < 5; k++) cn_sincosdg(30.0 * (k + 1), &sn[k], &cs[k]);
  for (int64_t t = 0; t < m; t++) {
    int64_t i = px[t].pix / w, j = px[t].pix % w;
    double di = (double)i - cr, dj = (double)j - cc;
    v[6 * t] = a[px[t].pix];
    for (int k = 0; k < 5; k++)
      v[6 * t + 1 + k] = sample(a, h, w, cr + cs[k] * di + sn[k] * dj, cc - sn[k] * di + cs[k] * dj);
  }
  /* ring by ring: centred sums over pixels with d^2 < rho^2.  Centre on
   * the mean over the whole annulus for stability. */
  double mu[6] = {0};
  for (int64_t t = 0; t < m; t++)
    for (int k = 0; k < 6; k++) mu[k] += v[6 * t + k];
  for (int k = 0; k < 6; k++) mu[k] = m ? mu[k] / (double)m : 0;
  double s1[6] = {0}, s2[6] = {0}, sxy[6] = {0};
  int64_t t = 0;
  for (int64_t kk = 0; kk < K; kk++) {
    int64_t rho = ir + 1 + kk;
    while (t < m && px[t].d2 < rho * rho) {
      double x = v[6 * t] - mu[0];
      s1[0] += x, s2[0] += x * x;
      for (int k = 1; k < 6; k++) {
        double y = v[6 * t + k] - mu[k];
        s1[k] += y, s2[k] += y * y, sxy[k] += x * y;
      }
      t++;
    }
    if (t < 10) { g[kk] = NAN; continue; }
    double nn = (double)t, rc[5];
    double vx = s2[0] - s1[0] * s1[0] / nn;
    for (int k = 1; k < 6; k++) {
      double vy = s2[k] - s1[k] * s1[k] / nn;
      double cxy = sxy[k] - s1[0] * s1[k] / nn;
      double den = sqrt(vx > 0 ? vx : 0) * sqrt(vy > 0 ? vy : 0);
      rc[k - 1] = den > 0 && vx > 1e-24 * s2[0] && vy > 1e-24 * s2[k] ? cxy / den : NAN;
    }
    g[kk] = py_min2(rc[1], rc[3]) - py_max3(rc[0], rc[2], rc[4]);
  }
  free(px), free(v);
  /* optimal radius */
  const int64_t W = p->num_gridness_radii;
  double score = NAN, ropt = NAN;
  if (K < W) {
    int64_t bi = -1;
    for (int64_t k = 0; k < K; k++)
      if (!isnan(g[k]) && (bi < 0 || g[k] > g[bi])) bi = k;
    if (bi < 0) score = NAN, ropt = (double)(ir + 1);
    else score = g[bi], ropt = (double)(ir + 1 + bi);
  } else {
    int64_t bi = -1;
    double best = NAN;
    for (int64_t s = 0; s + W <= K; s++) {
      double sum = 0;
      int64_t c = 0;
      for (int64_t k = s; k < s + W; k++)
        if (!isnan(g[k])) sum += g[k], c++;
      if (c == 0) continue;
      double mwin = sum / (double)c;
      if (bi < 0 || mwin > best) best = mwin, bi = s;
    }
    if (bi < 0) { /* every window NaN (upstream raises here) */
      free(g), free(a);
      r->center_radius = rad;
      return CN_OK;
    }
    score = best, ropt = (double)(ir + 1 + bi + (W - 1) / 2);
  }
  free(g);
  r->score = score, r->center_radius = rad, r->optimal_radius = ropt;
  st = grid_stats(a, h, w, ropt, p, r);
  free(a);
  return st;
}

cn_status cn_gridness_batch(const double *acs, int64_t n, int64_t h, int64_t w,
                            const cn_gridness_params *p, cn_gridness_result *r) {
  if (n < 0) return cn_error(CN_EINVAL, "number of maps must be >= 0");
  cn_status status = CN_OK;
#pragma omp parallel for schedule(dynamic, 4) num_threads(cn_num_threads()) if (n > 1)
  for (int64_t k = 0; k < n; k++) {
    cn_status s = cn_gridness(acs + k * h * w, h, w, p, r + k);
    if (s != CN_OK) {
#pragma omp critical(canns_gridness_status)
      if (status == CN_OK) status = s;
    }
  }
  if (status != CN_OK) return cn_error(status, "gridness of a map in the batch failed (non-finite values?)");
  return CN_OK;
}
