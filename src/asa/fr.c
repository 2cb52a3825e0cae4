/* canns — firing-rate maps of ASA (upstream canns.analyzer.data.asa.fr):
 * the per-neuron display normalisation of the FR heatmap and the binned
 * firing-rate map of one neuron over the arena (occupancy, spike sum,
 * rate, the NaN-aware Gaussian smoothing). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"

cn_status cn_asa_normalize_columns(double *X, int64_t T, int64_t N, int mode) {
  if (T < 1 || N < 1) return CN_OK;
  double *a = malloc(sizeof(double) * (size_t)(2 * N));
  if (!a) return cn_error(CN_ENOMEM, "compute_fr_heatmap_matrix: out of memory");
  double *b = a + N;
  if (mode == CN_ASA_ZSCORE) {
    for (int64_t n = 0; n < N; n++) a[n] = b[n] = 0;
    for (int64_t t = 0; t < T; t++)
      for (int64_t n = 0; n < N; n++) a[n] += X[t * N + n];
    for (int64_t n = 0; n < N; n++) a[n] /= (double)T;
    for (int64_t t = 0; t < T; t++)
      for (int64_t n = 0; n < N; n++) {
        double d = X[t * N + n] - a[n];
        b[n] += d * d;
      }
    for (int64_t n = 0; n < N; n++) {
      b[n] = sqrt(b[n] / (double)T);
      if (b[n] == 0) b[n] = 1.0;
    }
  } else {
    for (int64_t n = 0; n < N; n++) a[n] = b[n] = X[n];
    for (int64_t t = 1; t < T; t++)
      for (int64_t n = 0; n < N; n++) {
        double v = X[t * N + n];
        if (v < a[n] || isnan(v)) a[n] = v;
        if (v > b[n] || isnan(v)) b[n] = v;
      }
    for (int64_t n = 0; n < N; n++) {
      b[n] -= a[n];
      if (b[n] == 0) b[n] = 1.0;
    }
  }
  for (int64_t t = 0; t < T; t++)
    for (int64_t n = 0; n < N; n++) X[t * N + n] = (X[t * N + n] - a[n]) / b[n];
  free(a);
  return CN_OK;
}

/* First index i with e[i] > v (numpy searchsorted side="right"), minus 1. */
static int64_t right_cell(double v, const double *e, int64_t ne) {
  int64_t lo = 0, hi = ne;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (e[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

cn_status cn_asa_frm(const double *x, const double *y, const double *v, int64_t n, int64_t vstride,
                     const double *xe, const double *ye, int64_t bins, int64_t min_occupancy,
                     bool nan_for_empty, double sigma, int64_t *occ, double *sum, double *frm) {
  int64_t nc = bins * bins;
  memset(occ, 0, sizeof(int64_t) * (size_t)nc);
  memset(sum, 0, sizeof(double) * (size_t)nc);
  for (int64_t i = 0; i < n; i++) {
    int64_t a = right_cell(x[i], xe, bins + 1), b = right_cell(y[i], ye, bins + 1);
    if (a < 0 || a >= bins || b < 0 || b >= bins) continue;
    occ[a * bins + b] += 1;
    sum[a * bins + b] += v[i * vstride];
  }
  bool any_nan = false;
  for (int64_t q = 0; q < nc; q++) {
    double r = sum[q] / (double)occ[q]; /* 0/0 = NaN as numpy */
    if (occ[q] < min_occupancy) r = nan_for_empty ? NAN : 0.0;
    frm[q] = r;
    if (isnan(r)) any_nan = true;
  }
  if (!(sigma > 0)) return CN_OK;
  if (!any_nan) return cn_gaussian_filter2d(frm, bins, bins, sigma, CN_FILTER_REFLECT, frm);
  double *w = malloc(sizeof(double) * (size_t)(2 * nc));
  if (!w) return cn_error(CN_ENOMEM, "compute_frm: out of memory");
  double *val = w + nc;
  for (int64_t q = 0; q < nc; q++) {
    bool nan = isnan(frm[q]);
    val[q] = nan ? 0.0 : frm[q];
    w[q] = nan ? 0.0 : 1.0;
  }
  cn_status st = cn_gaussian_filter2d(val, bins, bins, sigma, CN_FILTER_REFLECT, val);
  if (st == CN_OK) st = cn_gaussian_filter2d(w, bins, bins, sigma, CN_FILTER_REFLECT, w);
  if (st == CN_OK)
    for (int64_t q = 0; q < nc; q++) frm[q] = w[q] > 1e-12 ? val[q] / w[q] : NAN;
  free(w);
  return st;
}
