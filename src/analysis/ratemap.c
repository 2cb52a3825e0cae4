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

static double track_inv(const double *xp, int64_t m) {
  double w = m > 1 ? xp[m - 1] - xp[0] : 0.0;
  return w > 0 && isfinite(w) ? (double)(m - 1) / w : 0.0;
}

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

static cn_status edges_init(edges2 *E, const double *xe, int64_t nxe, const double *ye, int64_t nye) {
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

DEFINE_COUNT_POINTS(count_spikes, point_spike)

cn_status cn_spike_histogram2d(const double *s, int64_t ns, const double *t, const double *pos,
                               int64_t m, const double *xe, int64_t nxe, const double *ye,
                               int64_t nye, double *out) {
  if (m < 1) return cn_error(CN_EINVAL, "spike map needs at least one track sample");
  edges2 E;
  CN_TRY(edges_init(&E, xe, nxe, ye, nye));
  return count_spikes(&E, &(spike_track){s, t, pos, m, track_inv(t, m)}, ns, out);
}

/* --- both maps of a track at once (cn_track_maps) ----------------------
 * The cell of every sample is computed once; it gives the occupancy
 * counts, and an interval [t_j, t_j+1] whose two samples lie well inside
 * one cell (both axes, a margin of 1e-9 (1 + |f|) from the edges, and
 * t_j+1 > t_j) holds every point interpolated in it: numpy.interp's value
 * slope (v - t_j) + f_j is within a few ulps of [f_j, f_j+1], far inside
 * the margin.  A spike in such an interval takes that cell without being
 * interpolated; the others take the plain path (point_spike). */
typedef struct track_fast {
  spike_track sp;
  const int32_t *cell;  /* per sample, -1 outside */
  const int32_t *fast;  /* per interval, -1: interpolate */
} track_fast;

static inline __attribute__((always_inline)) int64_t point_cell(const edges2 *E, const void *ctx,
                                                                int64_t i) {
  (void)E;
  return ((const int32_t *)ctx)[i];
}

static inline __attribute__((always_inline)) int64_t point_spike_fast(const edges2 *E, const void *ctx,
                                                                      int64_t i) {
  const track_fast *q = ctx;
  const spike_track *p = &q->sp;
  const double v = p->s[i], *t = p->t;
  const int64_t m = p->m;
  if (isnan(v)) return -1;
  if (v <= t[0]) return q->cell[0];
  if (v >= t[m - 1]) return q->cell[m - 1];
  int64_t j = interval_of(t, m, p->inv, v);
  int32_t c = q->fast[j];
  return c >= 0 ? c : point_spike(E, p, i);
}

DEFINE_COUNT_POINTS(count_cells, point_cell)
DEFINE_COUNT_POINTS(count_spikes_fast, point_spike_fast)

static inline int well_inside(double f, double lo, double hi) {
  double d = 1e-9 * (1.0 + fabs(f));
  return f > lo + d && f < hi - d;
}

cn_status cn_track_maps(const double *s, int64_t ns, const double *t, const double *pos, int64_t m,
                        const double *xe, int64_t nxe, const double *ye, int64_t nye, double *occ,
                        double *spk) {
  if (m < 1) return cn_error(CN_EINVAL, "track maps need at least one track sample");
  edges2 E;
  CN_TRY(edges_init(&E, xe, nxe, ye, nye));
  if ((nxe - 1) * (nye - 1) > INT32_MAX)
    return cn_error(CN_EINVAL, "track maps: too many cells (%lld)", (long long)((nxe - 1) * (nye - 1)));
  int32_t *cell = malloc(sizeof(int32_t) * (size_t)m);
  int32_t *fast = malloc(sizeof(int32_t) * (size_t)(m > 1 ? m - 1 : 1));
  /* per sample: 1 when it lies well inside its cell on both axes */
  uint8_t *in = malloc((size_t)m);
  if (!cell || !fast || !in) {
    free(cell), free(fast), free(in);
    return cn_error(CN_ENOMEM, "track maps: out of memory (%lld samples)", (long long)m);
  }
  const int64_t nx = nxe - 1;
#pragma omp parallel num_threads(cn_num_threads()) if (m > 65536)
  {
#pragma omp for schedule(static)
    for (int64_t j = 0; j < m; j++) {
      double x = pos[2 * j], y = pos[2 * j + 1];
      int64_t bx = hbin(E.xe, E.nxe, E.ix, x), by = hbin(E.ye, E.nye, E.iy, y);
      int ok = bx >= 0 && by >= 0;
      cell[j] = ok ? (int32_t)(by * nx + bx) : -1;
      in[j] = (uint8_t)(ok && well_inside(x, xe[bx], xe[bx + 1]) && well_inside(y, ye[by], ye[by + 1]));
    }
#pragma omp for schedule(static)
    for (int64_t j = 0; j < m - 1; j++) {
      int32_t c = cell[j];
      fast[j] = (in[j] & in[j + 1]) && cell[j + 1] == c && t[j + 1] > t[j] ? c : -1;
    }
  }
  free(in);
  cn_status st = count_cells(&E, cell, m, occ);
  if (st == CN_OK)
    st = count_spikes_fast(&E, &(track_fast){{s, t, pos, m, track_inv(t, m)}, cell, fast}, ns, spk);
  free(cell), free(fast);
  return st;
}

cn_status cn_track_stats(const double *pos, const double *t, int64_t n, double lo[2], double hi[2],
                         int *finite, double *median_dt, int64_t *bad) {
  if (n < 2) return cn_error(CN_EINVAL, "a track needs at least 2 samples, got %lld", (long long)n);
  double l0 = INFINITY, l1 = INFINITY, h0 = -INFINITY, h1 = -INFINITY;
  double dmin = INFINITY, dmax = -INFINITY;
  int fin = 1;
  int64_t first_bad = n; /* the first i with t[i+1] - t[i] not finite and >= 0 */
  /* one pass: ranges, finiteness and the extreme time steps (min/max
   * reductions, exact in any order) */
#pragma omp parallel for schedule(static) num_threads(cn_num_threads()) if (n > 65536) \
    reduction(min : l0, l1, dmin, first_bad) reduction(max : h0, h1, dmax) reduction(&& : fin)
  for (int64_t i = 0; i < n; i++) {
    double x = pos[2 * i], y = pos[2 * i + 1];
    if (!isfinite(x) || !isfinite(y)) fin = 0;
    if (isfinite(x)) l0 = x < l0 ? x : l0, h0 = x > h0 ? x : h0;
    if (isfinite(y)) l1 = y < l1 ? y : l1, h1 = y > h1 ? y : h1;
    if (i + 1 < n) {
      double d = t[i + 1] - t[i];
      if (!(d >= 0) || !isfinite(t[i + 1]) || !isfinite(t[i])) first_bad = i < first_bad ? i : first_bad;
      dmin = d < dmin ? d : dmin, dmax = d > dmax ? d : dmax;
    }
  }
  if (first_bad < n) {
    *bad = first_bad == 0 && !isfinite(t[0]) ? 0 : first_bad + 1;
    return cn_error(CN_EINVAL, "time stamps must be finite and non-decreasing (sample %lld)",
                    (long long)*bad + 1);
  }
  lo[0] = l0, lo[1] = l1, hi[0] = h0, hi[1] = h1;
  *finite = fin;
  /* evenly sampled tracks (the usual case) need no selection */
  if (dmin == dmax) {
    *median_dt = dmin;
    return CN_OK;
  }
  const int64_t k = n - 1;
  double *d = malloc(sizeof(double) * (size_t)k);
  if (!d) return cn_error(CN_ENOMEM, "track statistics: out of memory");
  for (int64_t i = 0; i < k; i++) d[i] = t[i + 1] - t[i];
  *median_dt = cn_median_inplace(d, k);
  free(d);
  return CN_OK;
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
