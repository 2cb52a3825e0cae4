/* canns — grid-cell metrics on rate maps (upstream
 * `canns.analyzer.metrics.spatial_metrics`).  See canns/spatial_metrics.h.
 * The rotation is the shared image primitive cn_rotate_image (image.h). */
#include "canns/spatial_metrics.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"

#include "canns/fft.h"
#include "canns/image.h"

static cn_status check_map(const double *m, int64_t h, int64_t w, const char *fn) {
  if (h < 1 || w < 1 || h > 46340 || w > 46340)
    return cn_error(CN_EINVAL, "%s: the map must be at least 1 x 1, got %lld x %lld", fn,
                    (long long)h, (long long)w);
  for (int64_t i = 0; i < h * w; i++)
    if (!isfinite(m[i]))
      return cn_error(CN_EINVAL, "%s: the map must be finite, got %g at element %lld", fn,
                      m[i] != m[i] ? fabs(m[i]) : m[i], (long long)i + 1);
  return CN_OK;
}

cn_status cn_circular_autocorr2d(const double *map, int64_t h, int64_t w, double *out) {
  CN_TRY(check_map(map, h, w, "circular_autocorr2d"));
  int64_t N = h * w, nc = h * (w / 2 + 1);
  double *x = fftw_alloc_real((size_t)N);
  fftw_complex *X = fftw_alloc_complex((size_t)nc);
  if (!x || !X) {
    fftw_free(x);
    fftw_free(X);
    return cn_error(CN_ENOMEM, "circular_autocorr2d: out of memory (%lld x %lld)", (long long)h,
                    (long long)w);
  }
  cn_fft_plan_lock();
  fftw_plan f = fftw_plan_dft_r2c_2d((int)h, (int)w, x, X, FFTW_ESTIMATE);
  fftw_plan b = fftw_plan_dft_c2r_2d((int)h, (int)w, X, x, FFTW_ESTIMATE);
  cn_fft_plan_unlock();
  cn_status s = CN_OK;
  if (!f || !b) {
    s = cn_error(CN_EINTERNAL, "circular_autocorr2d: FFTW could not plan %lld x %lld",
                 (long long)h, (long long)w);
  } else {
    memcpy(x, map, (size_t)N * sizeof(double));
    fftw_execute(f);
    for (int64_t k = 0; k < nc; k++) {
      X[k][0] = X[k][0] * X[k][0] + X[k][1] * X[k][1];
      X[k][1] = 0;
    }
    fftw_execute(b); /* x[d] = N * sum_p a[p] a[p + d] */
    int64_t ci = (h - 1) / 2, cj = (w - 1) / 2;
    for (int64_t i = 0; i < h; i++) {
      int64_t di = ((i - ci) % h + h) % h;
      for (int64_t j = 0; j < w; j++) {
        int64_t dj = ((j - cj) % w + w) % w;
        out[i * w + j] = x[di * w + dj] / (double)N;
      }
    }
  }
  cn_fft_plan_lock();
  if (f) fftw_destroy_plan(f);
  if (b) fftw_destroy_plan(b);
  cn_fft_plan_unlock();
  fftw_free(x);
  fftw_free(X);
  return s;
}

cn_status cn_spatial_autocorrelation(const double *map, int64_t h, int64_t w, double *out) {
  CN_TRY(check_map(map, h, w, "compute_spatial_autocorrelation"));
  int64_t N = h * w;
  double *a = malloc((size_t)N * sizeof *a);
  if (!a) return cn_error(CN_ENOMEM, "compute_spatial_autocorrelation: out of memory");
  double mean = 0;
  for (int64_t i = 0; i < N; i++) mean += map[i];
  mean /= (double)N;
  double var = 0;
  for (int64_t i = 0; i < N; i++) var += (map[i] - mean) * (map[i] - mean);
  double sd = sqrt(var / (double)N);
  for (int64_t i = 0; i < N; i++) a[i] = sd > 1e-10 ? (map[i] - mean) / sd : map[i] - mean;
  cn_status s = cn_circular_autocorr2d(a, h, w, out);
  free(a);
  CN_TRY(s);
  double mx = 0;
  for (int64_t i = 0; i < N; i++) mx = fmax(mx, fabs(out[i]));
  if (mx > 1e-10)
    for (int64_t i = 0; i < N; i++) out[i] /= mx;
  return CN_OK;
}

static double pearson(const double *a, const double *b, int64_t n) {
  if (n < 1) return 0;
  double saa, sbb, sab;
  cn_centered_sums(a, b, n, &saa, &sbb, &sab);
  if (sqrt(saa / (double)n) <= 1e-10 || sqrt(sbb / (double)n) <= 1e-10) return 0;
  double r = sab / sqrt(saa * sbb);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

cn_status cn_grid_score(const double *ac, int64_t h, int64_t w, double inner, double outer,
                        double *score, double corrs[5]) {
  const char *fn = "compute_grid_score";
  CN_TRY(check_map(ac, h, w, fn));
  if (!isfinite(inner) || !isfinite(outer))
    return cn_error(CN_EINVAL, "%s: the annulus radii must be finite, got %g and %g", fn,
                    inner != inner ? fabs(inner) : inner, outer != outer ? fabs(outer) : outer);
  int64_t ch = h / 2, cw = w / 2, mr = ch < cw ? ch : cw;
  int64_t N = h * w;
  double *rot = malloc((size_t)N * sizeof *rot), *va = malloc((size_t)N * sizeof *va),
         *vb = malloc((size_t)N * sizeof *vb);
  char *ann = malloc((size_t)N);
  if (!rot || !va || !vb || !ann) {
    free(rot), free(va), free(vb), free(ann);
    return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  }
  for (int64_t i = 0; i < h; i++)
    for (int64_t j = 0; j < w; j++) {
      double r = sqrt((double)((j - cw) * (j - cw) + (i - ch) * (i - ch))) / (double)mr;
      ann[i * w + j] = r >= inner && r <= outer; /* mr = 0: inf/nan, as numpy */
    }
  static const double angles[5] = {30, 60, 90, 120, 150};
  cn_status s = CN_OK;
  for (int k = 0; k < 5 && s == CN_OK; k++) {
    s = cn_rotate_image(ac, h, w, angles[k], h, w, CN_INTERP_BILINEAR, rot);
    if (s != CN_OK) break;
    int64_t n = 0;
    for (int64_t i = 0; i < N; i++)
      if (ann[i]) va[n] = ac[i], vb[n] = rot[i], n++;
    corrs[k] = pearson(va, vb, n);
  }
  free(rot), free(va), free(vb), free(ann);
  CN_TRY(s);
  double c60_120 = fmin(corrs[1], corrs[3]);
  double c30_90_150 = fmax(corrs[0], fmax(corrs[2], corrs[4]));
  *score = c60_120 - c30_90_150;
  return CN_OK;
}

cn_status cn_find_grid_spacing(const double *ac, int64_t h, int64_t w, double *spacing) {
  CN_TRY(check_map(ac, h, w, "find_grid_spacing"));
  int64_t ch = h / 2, cw = w / 2, best = 0;
  double bv = -INFINITY;
  for (int64_t i = 0; i < h; i++)
    for (int64_t j = 0; j < w; j++) {
      double r = sqrt((double)((j - cw) * (j - cw) + (i - ch) * (i - ch)));
      double v = r < 3 ? -1.0 : ac[i * w + j];
      if (v > bv) bv = v, best = i * w + j;
    }
  int64_t pi = best / w, pj = best % w;
  *spacing = sqrt((double)((pi - ch) * (pi - ch) + (pj - cw) * (pj - cw)));
  return CN_OK;
}
