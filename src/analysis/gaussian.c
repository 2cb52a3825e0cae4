/* canns — Gaussian smoothing with scipy.ndimage's conventions
 * (gaussian_filter / gaussian_filter1d, mode "reflect"): separable
 * correlation with weights exp(-k^2 / (2 sigma^2)), k = -r..r,
 * r = floor(truncate * sigma + 0.5), normalised to sum 1; the input is
 * extended by half-sample symmetric reflection (d c b a | a b c d | d c b a). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "canns/image.h"

/* index of position i (any integer) in [0, n) under "reflect" */
static int64_t reflect(int64_t i, int64_t n) {
  if (n == 1) return 0;
  int64_t p = 2 * n;
  i %= p;
  if (i < 0) i += p;
  return i < n ? i : p - 1 - i;
}

static cn_status kernel(double sigma, double truncate, double **wout, int64_t *rout) {
  if (!isfinite(sigma) || sigma < 0) return cn_error(CN_EINVAL, "sigma must be finite and >= 0, got %g", sigma);
  if (!isfinite(truncate) || truncate <= 0) return cn_error(CN_EINVAL, "truncate must be > 0, got %g", truncate);
  double rr = floor(truncate * sigma + 0.5);
  if (rr > (double)CN_IMAGE_MAX_EXTENT) return cn_error(CN_ERANGE, "kernel radius too large (sigma %g)", sigma);
  int64_t r = (int64_t)rr;
  double *wt = malloc(sizeof(double) * (size_t)(2 * r + 1));
  if (!wt) return cn_error(CN_ENOMEM, "gaussian kernel");
  double s2 = sigma * sigma, sum = 0;
  for (int64_t k = -r; k <= r; k++) sum += wt[k + r] = exp(-0.5 / s2 * (double)(k * k));
  for (int64_t k = 0; k <= 2 * r; k++) wt[k] /= sum;
  *wout = wt, *rout = r;
  return CN_OK;
}

/* out[j] = sum_k wt[k] x[reflect(j + k - r)] over strided lines */
static void filter_lines(const double *in, double *out, int64_t nlines, int64_t n,
                         int64_t line_stride, int64_t elem_stride, const double *wt, int64_t r,
                         double *buf) {
  for (int64_t l = 0; l < nlines; l++) {
    const double *x = in + l * line_stride;
    for (int64_t j = 0; j < n; j++) buf[j] = x[j * elem_stride];
    double *y = out + l * line_stride;
    for (int64_t j = 0; j < n; j++) {
      double s = 0;
      if (j - r >= 0 && j + r < n) {
        const double *b = buf + j - r;
        for (int64_t k = 0; k <= 2 * r; k++) s += wt[k] * b[k];
      } else {
        for (int64_t k = 0; k <= 2 * r; k++) s += wt[k] * buf[reflect(j + k - r, n)];
      }
      y[j * elem_stride] = s;
    }
  }
}

cn_status cn_image_gaussian1d_rows(const double *in, int64_t rows, int64_t n,
                                    double sigma, double truncate,
                                    double *out) {
  if (rows < 0 || n < 1) return cn_error(CN_ESHAPE, "rows must be non-empty");
  double *wt;
  int64_t r;
  CN_TRY(kernel(sigma, truncate, &wt, &r));
  double *buf = malloc(sizeof(double) * (size_t)n);
  if (!buf) { free(wt); return cn_error(CN_ENOMEM, "gaussian filter"); }
  if (sigma == 0) {
    if (out != in) memmove(out, in, sizeof(double) * (size_t)(rows * n));
  } else {
    filter_lines(in, out, rows, n, n, 1, wt, r, buf);
  }
  free(buf), free(wt);
  return CN_OK;
}

cn_status cn_image_gaussian2d(const double *img, int64_t h, int64_t w,
                               double sigma_r, double sigma_c,
                               double truncate, double *out) {
  if (h < 1 || w < 1 || h > CN_IMAGE_MAX_EXTENT || w > CN_IMAGE_MAX_EXTENT)
    return cn_error(CN_ESHAPE, "the image must be non-empty, got %lld x %lld", (long long)h, (long long)w);
  double *wr, *wc;
  int64_t rr, rc;
  CN_TRY(kernel(sigma_r, truncate, &wr, &rr));
  cn_status s = kernel(sigma_c, truncate, &wc, &rc);
  if (s != CN_OK) { free(wr); return s; }
  double *buf = malloc(sizeof(double) * (size_t)(h > w ? h : w));
  if (!buf) { free(wr), free(wc); return cn_error(CN_ENOMEM, "gaussian filter"); }
  if (out != img) memmove(out, img, sizeof(double) * (size_t)(h * w));
  /* scipy filters axis 0 first, then axis 1 */
  if (sigma_r > 0) filter_lines(out, out, w, h, 1, w, wr, rr, buf);
  if (sigma_c > 0) filter_lines(out, out, h, w, w, 1, wc, rc, buf);
  free(buf), free(wr), free(wc);
  return CN_OK;
}
