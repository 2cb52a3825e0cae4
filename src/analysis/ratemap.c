/* canns — the binning kernels of spatial rate maps and tuning curves:
 * numpy's interp, histogram2d and digitize with their edge rules
 * (upstream compute_rate_map, compute_rate_map_from_binned,
 * HeadDirectionAnalyzer.compute_tuning_curve). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "canns/array.h"
#include "canns/spatialstats.h"

/* number of edges e with e <= x (numpy searchsorted side="right") */
static int64_t count_le(const double *e, int64_t n, double x) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (e[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

cn_status cn_interp1d(const double *x, int64_t n, const double *xp, const double *fp, int64_t m,
                    double *out) {
  if (m < 1) return cn_error(CN_EINVAL, "interp needs at least one sample point");
  /* sorted queries (spike times): one merge-like walk instead of a binary
   * search per query; the same formula either way */
  int sorted = 1;
  for (int64_t i = 1; i < n && sorted; i++) sorted = x[i] >= x[i - 1];
  if (sorted && n > 0 && !isnan(x[0])) {
    int64_t j = 0;
    for (int64_t i = 0; i < n; i++) {
      double v = x[i], r;
      if (v <= xp[0]) r = fp[0];
      else if (v >= xp[m - 1]) r = fp[m - 1];
      else {
        while (j + 1 < m && xp[j + 1] <= v) j++;
        if (v == xp[j]) r = fp[j];
        else {
          double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
          r = slope * (v - xp[j]) + fp[j];
          if (isnan(r)) {
            r = slope * (v - xp[j + 1]) + fp[j + 1];
            if (isnan(r) && fp[j] == fp[j + 1]) r = fp[j];
          }
        }
      }
      out[i] = r;
    }
    return CN_OK;
  }
#pragma omp parallel for schedule(static) num_threads(cn_num_threads()) if (n > 65536)
  for (int64_t i = 0; i < n; i++) {
    double v = x[i], r;
    if (isnan(v)) r = NAN;
    else if (v <= xp[0]) r = fp[0];
    else if (v >= xp[m - 1]) r = fp[m - 1];
    else {
      int64_t j = count_le(xp, m, v) - 1; /* xp[j] <= v < xp[j+1] */
      if (v == xp[j]) r = fp[j];
      else {
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        r = slope * (v - xp[j]) + fp[j];
        if (isnan(r)) {
          r = slope * (v - xp[j + 1]) + fp[j + 1];
          if (isnan(r) && fp[j] == fp[j + 1]) r = fp[j];
        }
      }
    }
    out[i] = r;
  }
  return CN_OK;
}

/* bin of x for increasing edges e[0..n-1] (numpy histogramdd): -1 if
 * outside; the last edge belongs to the last bin */
static int64_t hbin(const double *e, int64_t ne, double x) {
  if (!(x >= e[0] && x <= e[ne - 1])) return -1;
  int64_t k = count_le(e, ne, x);
  if (x == e[ne - 1]) k--;
  return k - 1;
}

cn_status cn_histogram2d(const double *x, const double *y, const double *w, int64_t n,
                         const double *xe, int64_t nxe, const double *ye, int64_t nye,
                         double *out) {
  if (nxe < 2 || nye < 2) return cn_error(CN_EINVAL, "histogram2d needs at least 2 edges per axis");
  for (int64_t k = 1; k < nxe; k++)
    if (!(xe[k] >= xe[k - 1])) return cn_error(CN_EINVAL, "x edges must increase monotonically");
  for (int64_t k = 1; k < nye; k++)
    if (!(ye[k] >= ye[k - 1])) return cn_error(CN_EINVAL, "y edges must increase monotonically");
  const int64_t nx = nxe - 1, ny = nye - 1;
  memset(out, 0, sizeof(double) * (size_t)(nx * ny));
  for (int64_t i = 0; i < n; i++) {
    int64_t bx = hbin(xe, nxe, x[i]), by = hbin(ye, nye, y[i]);
    if (bx < 0 || by < 0) continue;
    out[by * nx + bx] += w ? w[i] : 1.0; /* [y][x] */
  }
  return CN_OK;
}

void cn_digitize_clip(const double *x, int64_t n, const double *edges, int64_t ne, int64_t *bins) {
  const int64_t nb = ne - 1;
  for (int64_t i = 0; i < n; i++) {
    int64_t b = isnan(x[i]) ? ne : count_le(edges, ne, x[i]);
    b -= 1;
    bins[i] = b < 0 ? 0 : b > nb - 1 ? nb - 1 : b;
  }
}
