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
#include "analysis/binning.h"

cn_status cn_interp1d(const double *x, int64_t n, const double *xp, const double *fp, int64_t m,
                    double *out) {
  if (m < 1) return cn_error(CN_EINVAL, "interp needs at least one sample point");
  const double inv = track_inv(xp, m);
#pragma omp parallel for schedule(static) num_threads(cn_num_threads()) if (n > 65536)
  for (int64_t i = 0; i < n; i++) {
    double v = x[i];
    out[i] = isnan(v) ? NAN
             : v <= xp[0] ? fp[0]
             : v >= xp[m - 1] ? fp[m - 1]
             : interp_in(xp, fp, 1, interval_of(xp, m, inv, v), v);
  }
  return CN_OK;
}

typedef struct strided_xy {
  const double *x, *y;
  int64_t sx, sy;
} strided_xy;

static inline __attribute__((always_inline)) int64_t point_strided(const edges2 *E, const void *ctx,
                                                                   int64_t i) {
  const strided_xy *p = ctx;
  return cell_of(E, p->x[i * p->sx], p->y[i * p->sy]);
}

DEFINE_COUNT_POINTS(count_strided, point_strided)

cn_status cn_histogram2d(const double *x, const double *y, const double *w, int64_t n,
                         const double *xe, int64_t nxe, const double *ye, int64_t nye,
                         double *out) {
  edges2 E;
  CN_TRY(edges_init(&E, xe, nxe, ye, nye));
  if (!w) return count_strided(&E, &(strided_xy){x, y, 1, 1}, n, out);
  /* weighted sums keep numpy's order (one pass) */
  memset(out, 0, sizeof(double) * (size_t)((nxe - 1) * (nye - 1)));
  for (int64_t i = 0; i < n; i++) {
    int64_t c = cell_of(&E, x[i], y[i]);
    if (c >= 0) out[c] += w[i]; /* [y][x] */
  }
  return CN_OK;
}

cn_status cn_histogram2d_pairs(const double *xy, int64_t n, const double *xe, int64_t nxe,
                               const double *ye, int64_t nye, double *out) {
  edges2 E;
  CN_TRY(edges_init(&E, xe, nxe, ye, nye));
  return count_strided(&E, &(strided_xy){xy, xy + 1, 2, 2}, n, out);
}

DEFINE_COUNT_POINTS(count_spikes, point_spike)

cn_status cn_spike_histogram2d(const double *s, int64_t ns, const double *t, const double *pos,
                               int64_t m, const double *xe, int64_t nxe, const double *ye,
                               int64_t nye, double *out) {
  if (m < 1) return cn_error(CN_EINVAL, "spike map needs at least one track sample");
  edges2 E;
  CN_TRY(edges_init(&E, xe, nxe, ye, nye));
  return count_spikes(&E, &(spike_track){s, t, pos, m, track_inv(t, m)}, ns, out);
}

/* the k-th smallest of d[lo..hi] (Hoare's selection, median-of-three
 * pivots); afterwards d[k] holds it, smaller ones before, larger after */
static double select_kth(double *d, int64_t lo, int64_t hi, int64_t k) {
  while (hi > lo) {
    int64_t mid = lo + (hi - lo) / 2;
    double a = d[lo], b = d[mid], c = d[hi];
    double piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    int64_t i = lo, j = hi;
    while (i <= j) {
      while (d[i] < piv) i++;
      while (d[j] > piv) j--;
      if (i <= j) {
        double t = d[i];
        d[i] = d[j], d[j] = t;
        i++, j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return d[k];
}

double cn_median_inplace(double *d, int64_t n) {
  int64_t h = n / 2;
  double upper = select_kth(d, 0, n - 1, h);
  if (n % 2) return upper;
  double lower = d[0]; /* the largest of d[0..h-1], all <= upper */
  for (int64_t i = 1; i < h; i++) lower = d[i] > lower ? d[i] : lower;
  return (lower + upper) / 2;
}

void cn_digitize_clip(const double *x, int64_t n, const double *edges, int64_t ne, int64_t *bins) {
  const int64_t nb = ne - 1;
  for (int64_t i = 0; i < n; i++) {
    int64_t b = isnan(x[i]) ? ne : count_le(edges, ne, x[i]);
    b -= 1;
    bins[i] = b < 0 ? 0 : b > nb - 1 ? nb - 1 : b;
  }
}
