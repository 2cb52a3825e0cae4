/* canns — Gaussian filters with the semantics of scipy.ndimage
 * (gaussian_filter1d / gaussian_filter / correlate1d): kernel radius
 * floor(truncate * sigma + 0.5), normalised weights, the boundary modes
 * constant / reflect / wrap / nearest, and double accumulation in scipy's
 * order for symmetric kernels (centre first, then the pairs from the outside
 * in), so that float32 results round to the same values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"

int64_t cn_gaussian_kernel(double sigma, double truncate, double *w) {
  int64_t r = (int64_t)(truncate * sigma + 0.5);
  if (w) {
    double s2 = sigma * sigma, sum = 0;
    for (int64_t i = -r; i <= r; i++) {
      w[i + r] = exp(-0.5 / s2 * (double)(i * i));
      sum += w[i + r];
    }
    for (int64_t i = 0; i <= 2 * r; i++) w[i] /= sum;
  }
  return r;
}

/* Sample p (possibly outside 0..n-1) of the extended line. */
static inline double ext(const double *x, int64_t n, int64_t stride, int64_t p, int mode) {
  if (p >= 0 && p < n) return x[p * stride];
  switch (mode) {
  case CN_FILTER_REFLECT: {
    int64_t q = p % (2 * n);
    if (q < 0) q += 2 * n;
    return x[(q < n ? q : 2 * n - 1 - q) * stride];
  }
  case CN_FILTER_WRAP: {
    int64_t q = p % n;
    if (q < 0) q += n;
    return x[q * stride];
  }
  case CN_FILTER_NEAREST: return x[(p < 0 ? 0 : n - 1) * stride];
  default: return 0.0;
  }
}

void cn_correlate1d_f64(const double *x, int64_t n, int64_t stride, const double *w,
                        int64_t r, int mode, double *tmp, double *y) {
  if (n <= 0) return;
  const double *line = x;
  int64_t ls = stride;
  if (tmp) { /* contiguous extended copy: also allows x == y */
    for (int64_t p = -r; p < n + r; p++) tmp[p + r] = ext(x, n, stride, p, mode);
    line = tmp + r;
    ls = 1;
  }
  const double *c = w + r; /* c[-r..r] */
  for (int64_t i = 0; i < n; i++) {
    double acc;
    if (tmp) {
      const double *l = line + i;
      acc = l[0] * c[0];
      for (int64_t j = -r; j < 0; j++) acc += (l[j] + l[-j]) * c[j];
    } else {
      acc = ext(line, n, ls, i, mode) * c[0];
      for (int64_t j = -r; j < 0; j++)
        acc += (ext(line, n, ls, i + j, mode) + ext(line, n, ls, i - j, mode)) * c[j];
    }
    y[i * stride] = acc;
  }
}

cn_status cn_gaussian_filter1d(const double *x, int64_t n, double sigma, int mode, double *y) {
  if (!(sigma > 0) || !isfinite(sigma))
    return cn_error(CN_EINVAL, "sigma must be a positive finite number, got %g", isnan(sigma) ? fabs(sigma) : sigma);
  int64_t r = cn_gaussian_kernel(sigma, 4.0, NULL);
  double *w = malloc(sizeof(double) * (size_t)(2 * r + 1));
  double *tmp = malloc(sizeof(double) * (size_t)(n + 2 * r));
  if (!w || !tmp) {
    free(w);
    free(tmp);
    return cn_error(CN_ENOMEM, "gaussian filter: out of memory");
  }
  cn_gaussian_kernel(sigma, 4.0, w);
  cn_correlate1d_f64(x, n, 1, w, r, mode, tmp, y);
  free(w);
  free(tmp);
  return CN_OK;
}

cn_status cn_gaussian_filter2d(const double *x, int64_t rows, int64_t cols, double sigma,
                               int mode, double *y) {
  if (!(sigma > 0) || !isfinite(sigma))
    return cn_error(CN_EINVAL, "sigma must be a positive finite number, got %g", isnan(sigma) ? fabs(sigma) : sigma);
  int64_t r = cn_gaussian_kernel(sigma, 4.0, NULL);
  int64_t m = rows > cols ? rows : cols;
  double *w = malloc(sizeof(double) * (size_t)(2 * r + 1));
  double *tmp = malloc(sizeof(double) * (size_t)(m + 2 * r));
  if (!w || !tmp) {
    free(w);
    free(tmp);
    return cn_error(CN_ENOMEM, "gaussian filter: out of memory");
  }
  cn_gaussian_kernel(sigma, 4.0, w);
  if (y != x) memcpy(y, x, sizeof(double) * (size_t)(rows * cols));
  /* scipy filters axis 0 first, then axis 1 */
  for (int64_t c = 0; c < cols; c++) cn_correlate1d_f64(y + c, rows, cols, w, r, mode, tmp, y + c);
  for (int64_t i = 0; i < rows; i++) cn_correlate1d_f64(y + i * cols, cols, 1, w, r, mode, tmp, y + i * cols);
  free(w);
  free(tmp);
  return CN_OK;
}
