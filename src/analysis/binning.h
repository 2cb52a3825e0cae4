/* canns — internal binning helpers shared by the rate-map kernels
 * (ratemap.c, trackmaps.c): numpy's interp and histogram edge rules. */
#ifndef CANNS_ANALYSIS_BINNING_H
#define CANNS_ANALYSIS_BINNING_H

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canns/array.h"
#include "canns/error.h"

/* number of edges e with e <= x (numpy searchsorted side="right") */
static inline int64_t count_le(const double *e, int64_t n, double x) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (e[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* numpy.interp(v, xp, fp) for v inside (xp[0], xp[m-1]) and the interval
 * j (xp[j] <= v < xp[j+1]), fp read with stride fs; numpy's NaN fallbacks. */
static inline __attribute__((always_inline)) double interp_in(const double *xp, const double *fp,
                                                              int64_t fs, int64_t j, double v) {
  double f0 = fp[j * fs], f1 = fp[(j + 1) * fs];
  if (v == xp[j]) return f0;
  double slope = (f1 - f0) / (xp[j + 1] - xp[j]);
  double r = slope * (v - xp[j]) + f0;
  if (isnan(r)) {
    r = slope * (v - xp[j + 1]) + f1;
    if (isnan(r) && f0 == f1) r = f0;
  }
  return r;
}

/* The interval of v, xp[0] < v < xp[m-1] (so m >= 2): the largest j with
 * xp[j] <= v, which is < m - 1.  `inv` = (m - 1) / (xp[m-1] - xp[0]) makes
 * the first guess, exact or one off for evenly sampled tracks (the usual
 * case; no mispredicted walk), corrected by a few steps against xp itself
 * and by a binary search when that is not enough, so the interval is
 * numpy's whatever the sampling. */
static inline __attribute__((always_inline)) int64_t interval_of(const double *xp, int64_t m,
                                                                 double inv, double v) {
  double g = (v - xp[0]) * inv;
  int64_t j = g < (double)(m - 2) ? (int64_t)g : m - 2;
  if (j < 0) j = 0;
  for (int k = 0; k < 3 && xp[j] > v; k++) j--;
  for (int k = 0; k < 3 && xp[j + 1] <= v; k++) j++;
  if (xp[j] > v || xp[j + 1] <= v) {
    j = count_le(xp, m, v) - 1;
    if (j > m - 2) j = m - 2;
  }
  return j;
}

static inline double track_inv(const double *xp, int64_t m) {
  double w = m > 1 ? xp[m - 1] - xp[0] : 0.0;
  return w > 0 && isfinite(w) ? (double)(m - 1) / w : 0.0;
}

/* bin of x for increasing edges e[0..n-1] (numpy histogramdd, i.e.
 * searchsorted side="right" less one): -1 if outside; the last edge
 * belongs to the last bin.  `inv` = bins / (e[n-1] - e[0]) gives a first
 * guess for evenly spaced edges (numpy's linspace edges, the usual case),
 * which the edges themselves then correct, so the bin is always the
 * searchsorted one whatever the spacing (inv = 0 starts at bin 0). */
static inline __attribute__((always_inline)) int64_t hbin(const double *e, int64_t ne, double inv, double x) {
  if (!(x >= e[0] && x <= e[ne - 1])) return -1;
  const int64_t nb = ne - 1;
  double g = (x - e[0]) * inv;
  int64_t k = g < (double)nb ? (int64_t)g : nb - 1;
  while (k > 0 && e[k] > x) k--;
  while (k < nb - 1 && e[k + 1] <= x) k++;
  return k;
}

typedef struct edges2 {
  const double *xe, *ye;
  int64_t nxe, nye;
  double ix, iy;
} edges2;

static inline cn_status edges_init(edges2 *E, const double *xe, int64_t nxe, const double *ye, int64_t nye) {
  if (nxe < 2 || nye < 2) return cn_error(CN_EINVAL, "histogram2d needs at least 2 edges per axis");
  for (int64_t k = 1; k < nxe; k++)
    if (!(xe[k] >= xe[k - 1])) return cn_error(CN_EINVAL, "x edges must increase monotonically");
  for (int64_t k = 1; k < nye; k++)
    if (!(ye[k] >= ye[k - 1])) return cn_error(CN_EINVAL, "y edges must increase monotonically");
  double wx = xe[nxe - 1] - xe[0], wy = ye[nye - 1] - ye[0];
  *E = (edges2){xe, ye, nxe, nye, wx > 0 && isfinite(wx) ? (double)(nxe - 1) / wx : 0.0,
                wy > 0 && isfinite(wy) ? (double)(nye - 1) / wy : 0.0};
  return CN_OK;
}

/* the [y][x] cell of (x, y), or -1 outside */
static inline __attribute__((always_inline)) int64_t cell_of(const edges2 *E, double x, double y) {
  int64_t bx = hbin(E->xe, E->nxe, E->ix, x), by = hbin(E->ye, E->nye, E->iy, y);
  return bx < 0 || by < 0 ? -1 : by * (E->nxe - 1) + bx;
}

static inline int well_inside(double f, double lo, double hi) {
  double d = 1e-9 * (1.0 + fabs(f));
  return f > lo + d && f < hi - d;
}

/* Counts of points [0, n) of a sequence into out.  Point i's cell comes
 * from `POINT(E, ctx, i)` (-1 drops the point); counts are whole numbers,
 * exact in any order, so each thread counts a block of the points into its
 * own histogram and the blocks are added.  One function per kind of point
 * (a macro, not a function pointer: the OpenMP body is outlined, and a
 * pointer called from there is never inlined). */
#define DEFINE_COUNT_POINTS(NAME, POINT)                                                            \
  static cn_status NAME(const edges2 *E, const void *ctx, int64_t n, double *out) {                \
    const size_t cells = (size_t)((E->nxe - 1) * (E->nye - 1));                                     \
    memset(out, 0, sizeof(double) * cells);                                                         \
    int nth = n < 131072 || cells > ((size_t)1 << 18) ? 1 : cn_num_threads();                       \
    /* four interleaved copies per thread: neighbouring points of a track                        \
     * fall in one cell, and one counter would chain every increment on the                      \
     * previous store */                                                                            \
    int64_t *part = calloc((size_t)nth * 4 * cells, sizeof *part);                                  \
    if (!part) return cn_error(CN_ENOMEM, "histogram2d: out of memory");                            \
    _Pragma("omp parallel num_threads(nth) if (nth > 1)") {                                         \
      int tid = omp_get_thread_num(), nt = omp_get_num_threads();                                   \
      int64_t *h = part + (size_t)tid * 4 * cells;                                                  \
      int64_t i0 = n * tid / nt, i1 = n * (tid + 1) / nt;                                           \
      for (int64_t i = i0; i < i1; i++) {                                                           \
        int64_t c = POINT(E, ctx, i);                                                               \
        if (c >= 0) h[(size_t)(i & 3) * cells + (size_t)c]++;                                       \
      }                                                                                             \
    }                                                                                               \
    for (size_t q = 0; q < (size_t)nth * 4; q++)                                                    \
      for (size_t c = 0; c < cells; c++) out[c] += (double)part[q * cells + c];                     \
    free(part);                                                                                     \
    return CN_OK;                                                                                   \
  }

typedef struct spike_track {
  const double *s, *t, *pos;
  int64_t m;
  double inv;
} spike_track;

/* the cell of the spike's position: numpy.interp of each column at its time */
static inline __attribute__((always_inline)) int64_t point_spike(const edges2 *E, const void *ctx,
                                                                 int64_t i) {
  const spike_track *p = ctx;
  const double v = p->s[i], *t = p->t, *f = p->pos;
  const int64_t m = p->m;
  if (isnan(v)) return -1;
  if (v <= t[0]) return cell_of(E, f[0], f[1]);
  if (v >= t[m - 1]) return cell_of(E, f[2 * (m - 1)], f[2 * (m - 1) + 1]);
  int64_t j = interval_of(t, m, p->inv, v);
  return cell_of(E, interp_in(t, f, 2, j, v), interp_in(t, f + 1, 2, j, v));
}


#endif
