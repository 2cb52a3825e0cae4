/* canns — the track side of upstream compute_rate_map: the track's range,
 * finiteness and median time step in one pass (cn_track_stats), and both
 * maps in one call (cn_track_maps): occupancy counts of the track and spike
 * counts at the spikes' interpolated positions. */
#include <float.h>

#include "analysis/binning.h"
#include "canns/spatialstats.h"

/* --- both maps of a track at once (cn_track_maps) ----------------------
 * The cell of every sample is computed once; it gives the occupancy
 * counts, and an interval [t_j, t_j+1] whose two samples lie well inside
 * one cell (both axes, a margin of 1e-9 (1 + |f|) from the edges, and
 * t_j+1 > t_j) holds every point interpolated in it: numpy.interp's value
 * slope (v - t_j) + f_j is within a few ulps of [f_j, f_j+1], far inside
 * the margin.  A spike in such an interval takes that cell without being
 * interpolated; the others take the plain path (point_spike).
 *
 * Sorted spike times (the usual case) are merged with the track instead of
 * searched: a run of such intervals in one cell takes all the spikes
 * before its end time in one addition, so a spike costs one comparison. */

/* --- the samples' cells ---------------------------------------------
 * Edges made by linspace (the usual case) are checked once to be even:
 * G(x) = (x - e_0) inv, computed, is monotone in x and within 1e-9 of k at
 * every edge e_k.  A sample with G in (k + 1e-6, k + 1 - 1e-6) then lies
 * strictly between e_k and e_k+1 (G(e_k) <= k + 1e-9 < G(x), so x > e_k;
 * likewise x < e_k+1): its bin is k, numpy's, and it is more than 0.99e-6
 * bin widths inside it, which the check also makes more than the margin
 * above.  Such samples need no edge comparisons (four at a time with AVX2);
 * the rest, and every sample of uneven edges, take hbin and well_inside. */

typedef struct even_axis {
  double e0, inv, nb;
} even_axis;

static int even_axis_of(const double *e, int64_t ne, double inv, even_axis *A) {
  const int64_t nb = ne - 1;
  if (!(inv > 0) || nb > (1 << 20)) return 0;
  double w = (e[nb] - e[0]) / (double)nb, big = fmax(fabs(e[0]), fabs(e[nb]));
  if (!(0.99e-6 * w > 1e-9 * (1.0 + big))) return 0;
  for (int64_t k = 0; k <= nb; k++)
    if (!(fabs((e[k] - e[0]) * inv - (double)k) <= 1e-9)) return 0;
  *A = (even_axis){e[0], inv, (double)nb};
  return 1;
}

#define EVEN_EPS 1e-6

/* the cell of (x, y) when both axes place it well inside a bin, else -2 */
static inline __attribute__((always_inline)) int64_t even_cell(const even_axis *X, const even_axis *Y,
                                                               double x, double y) {
  double gx = (x - X->e0) * X->inv, gy = (y - Y->e0) * Y->inv;
  if (!(gx >= 0 && gx < X->nb && gy >= 0 && gy < Y->nb)) return -2;
  int64_t kx = (int64_t)gx, ky = (int64_t)gy;
  double fx = gx - (double)kx, fy = gy - (double)ky;
  int ok = (fx > EVEN_EPS) & (fx < 1 - EVEN_EPS) & (fy > EVEN_EPS) & (fy < 1 - EVEN_EPS);
  return ok ? ky * (int64_t)X->nb + kx : -2;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CN_HAVE_AVX2_CELLS 1
/* even_cell of samples [j0, j1), four at a time */
__attribute__((target("avx2"))) static int64_t even_cells_avx2(const even_axis *X, const even_axis *Y,
                                                                 const double *pos, int64_t j0, int64_t j1,
                                                                 int32_t *cell) {
  const __m256d x0 = _mm256_set1_pd(X->e0), ix = _mm256_set1_pd(X->inv), nbx = _mm256_set1_pd(X->nb);
  const __m256d y0 = _mm256_set1_pd(Y->e0), iy = _mm256_set1_pd(Y->inv), nby = _mm256_set1_pd(Y->nb);
  const __m256d lo = _mm256_set1_pd(EVEN_EPS), hi = _mm256_set1_pd(1 - EVEN_EPS), zero = _mm256_setzero_pd();
  const __m256d none = _mm256_set1_pd(-2.0);
  int64_t j = j0;
  for (; j + 4 <= j1; j += 4) {
    __m256d a = _mm256_loadu_pd(pos + 2 * j), b = _mm256_loadu_pd(pos + 2 * j + 4);
    /* (x0 x2 x1 x3), (y0 y2 y1 y3) */
    __m256d x = _mm256_unpacklo_pd(a, b), y = _mm256_unpackhi_pd(a, b);
    __m256d gx = _mm256_mul_pd(_mm256_sub_pd(x, x0), ix), gy = _mm256_mul_pd(_mm256_sub_pd(y, y0), iy);
    __m256d ok = _mm256_and_pd(_mm256_cmp_pd(gx, zero, _CMP_GE_OQ), _mm256_cmp_pd(gx, nbx, _CMP_LT_OQ));
    ok = _mm256_and_pd(ok, _mm256_and_pd(_mm256_cmp_pd(gy, zero, _CMP_GE_OQ), _mm256_cmp_pd(gy, nby, _CMP_LT_OQ)));
    __m256d kx = _mm256_round_pd(gx, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __m256d ky = _mm256_round_pd(gy, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __m256d fx = _mm256_sub_pd(gx, kx), fy = _mm256_sub_pd(gy, ky);
    ok = _mm256_and_pd(ok, _mm256_and_pd(_mm256_cmp_pd(fx, lo, _CMP_GT_OQ), _mm256_cmp_pd(fx, hi, _CMP_LT_OQ)));
    ok = _mm256_and_pd(ok, _mm256_and_pd(_mm256_cmp_pd(fy, lo, _CMP_GT_OQ), _mm256_cmp_pd(fy, hi, _CMP_LT_OQ)));
    __m256d c = _mm256_blendv_pd(none, _mm256_add_pd(_mm256_mul_pd(ky, nbx), kx), ok);
    c = _mm256_permute4x64_pd(c, _MM_SHUFFLE(3, 1, 2, 0)); /* back to sample order */
    _mm_storeu_si128((__m128i *)(cell + j), _mm256_cvttpd_epi32(c));
  }
  return j;
}
#endif

/* per sample: its cell (-1 outside) and whether it lies well inside it on
 * both axes; occupancy counts into occ (4 interleaved copies per thread,
 * as in DEFINE_COUNT_POINTS) */
static cn_status bin_samples(const edges2 *E, const double *pos, int64_t m, int32_t *cell, uint8_t *in,
                             double *occ) {
  const size_t cells = (size_t)((E->nxe - 1) * (E->nye - 1));
  memset(occ, 0, sizeof(double) * cells);
  even_axis X, Y;
  const int even = even_axis_of(E->xe, E->nxe, E->ix, &X) && even_axis_of(E->ye, E->nye, E->iy, &Y);
#ifdef CN_HAVE_AVX2_CELLS
  const int avx2 = even && __builtin_cpu_supports("avx2");
#endif
  int nth = m < 65536 || cells > ((size_t)1 << 18) ? 1 : cn_num_threads();
  int64_t *part = calloc((size_t)nth * 4 * cells, sizeof *part);
  if (!part) return cn_error(CN_ENOMEM, "track maps: out of memory");
  const int64_t nx = E->nxe - 1;
#pragma omp parallel num_threads(nth) if (nth > 1)
  {
    int tid = omp_get_thread_num(), nt = omp_get_num_threads();
    int64_t *h = part + (size_t)tid * 4 * cells;
    int64_t b0 = m * tid / nt, b1 = m * (tid + 1) / nt;
    for (int64_t c0 = b0; c0 < b1; c0 += 4096) { /* chunks that stay in cache */
      int64_t c1 = c0 + 4096 < b1 ? c0 + 4096 : b1, j = c0;
#ifdef CN_HAVE_AVX2_CELLS
      if (avx2) j = even_cells_avx2(&X, &Y, pos, c0, c1, cell);
#endif
      for (; j < c1; j++) cell[j] = even ? (int32_t)even_cell(&X, &Y, pos[2 * j], pos[2 * j + 1]) : -2;
      for (j = c0; j < c1; j++) {
        int64_t c = cell[j];
        int inside = 1;
        if (c == -2) {
          double x = pos[2 * j], y = pos[2 * j + 1];
          int64_t bx = hbin(E->xe, E->nxe, E->ix, x), by = hbin(E->ye, E->nye, E->iy, y);
          int ok = bx >= 0 && by >= 0;
          c = ok ? by * nx + bx : -1;
          inside = ok && well_inside(x, E->xe[bx], E->xe[bx + 1]) && well_inside(y, E->ye[by], E->ye[by + 1]);
          cell[j] = (int32_t)c;
        }
        in[j] = (uint8_t)inside;
        if (c >= 0) h[(size_t)(j & 3) * cells + (size_t)c]++;
      }
    }
  }
  for (size_t q = 0; q < (size_t)nth * 4; q++)
    for (size_t c = 0; c < cells; c++) occ[c] += (double)part[q * cells + c];
  free(part);
  return CN_OK;
}

/* the first spike index i in [lo, hi) with s[i] >= v (s sorted) */
static int64_t first_ge(const double *s, int64_t lo, int64_t hi, double v) {
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (s[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* interval j (samples j and j + 1) lies well inside one cell, forwards in
 * time: its spikes take that cell without interpolation */
static inline int fast_interval(const int32_t *cell, const uint8_t *in, const double *t, int64_t j) {
  return (in[j] & in[j + 1]) && cell[j + 1] == cell[j] && t[j + 1] > t[j];
}

/* the spikes of intervals [ja, jb) (all spikes with t_ja <= s < t_jb, the
 * first interval's open at t_0; s[i0..i1) are exactly those) into h */
static void merge_block(const spike_track *p, const edges2 *E, const int32_t *cell, const uint8_t *in,
                        int64_t ja, int64_t jb, int64_t i0, int64_t i1, int64_t *h) {
  const double *s = p->s, *t = p->t;
  int64_t i = i0, j = ja;
  while (j < jb && i < i1) {
    int32_t c = cell[j];
    if (fast_interval(cell, in, t, j)) {
      /* a run of fast intervals in cell c */
      int64_t k = j + 1;
      while (k < jb && fast_interval(cell, in, t, k)) k++;
      const double end = t[k];
      int64_t a = i;
      while (i < i1 && s[i] < end) i++;
      h[c] += i - a;
      j = k;
    } else {
      const double end = t[j + 1];
      for (; i < i1 && s[i] < end; i++) { /* t_j <= s_i < t_j+1: interval j */
        int64_t q = cell_of(E, interp_in(t, p->pos, 2, j, s[i]), interp_in(t, p->pos + 1, 2, j, s[i]));
        if (q >= 0) h[q]++;
      }
      j++;
    }
  }
}

/* the spike map of sorted spike times (no NaN): the spikes at or before t_0
 * take sample 0's cell, those at or after t_m-1 the last sample's, the
 * others merge with the track in blocks of intervals, one per thread */
static cn_status merge_spikes(const spike_track *p, const edges2 *E, const int32_t *cell, const uint8_t *in,
                              int64_t ns, double *out) {
  const size_t cells = (size_t)((E->nxe - 1) * (E->nye - 1));
  const double *s = p->s, *t = p->t;
  const int64_t m = p->m;
  memset(out, 0, sizeof(double) * cells);
  int64_t head = 0; /* spikes s <= t_0 */
  while (head < ns && s[head] <= t[0]) head++;
  int64_t tail = m > 1 ? first_ge(s, head, ns, t[m - 1]) : head; /* first s >= t_m-1 */
  if (head > 0 && cell[0] >= 0) out[cell[0]] += (double)head;
  if (ns > tail && cell[m - 1] >= 0) out[cell[m - 1]] += (double)(ns - tail);
  if (m < 2 || tail == head) return CN_OK;
  int nth = ns < 131072 || cells > ((size_t)1 << 18) ? 1 : cn_num_threads();
  int64_t *part = calloc((size_t)nth * cells, sizeof *part);
  if (!part) return cn_error(CN_ENOMEM, "track maps: out of memory");
#pragma omp parallel num_threads(nth) if (nth > 1)
  {
    int tid = omp_get_thread_num(), nt = omp_get_num_threads();
    int64_t ja = (m - 1) * tid / nt, jb = (m - 1) * (tid + 1) / nt;
    int64_t i0 = ja == 0 ? head : first_ge(s, head, tail, t[ja]);
    int64_t i1 = jb == m - 1 ? tail : first_ge(s, head, tail, t[jb]);
    merge_block(p, E, cell, in, ja, jb, i0, i1, part + (size_t)tid * cells);
  }
  for (int q = 0; q < nth; q++)
    for (size_t c = 0; c < cells; c++) out[c] += (double)part[(size_t)q * cells + c];
  free(part);
  return CN_OK;
}

static int sorted_spikes(const double *s, int64_t ns) {
  if (ns > 0 && isnan(s[0])) return 0;
  int bad = 0;
#pragma omp parallel for simd schedule(static) num_threads(cn_num_threads()) if (ns > 262144) reduction(| : bad)
  for (int64_t i = 1; i < ns; i++) bad |= !(s[i] >= s[i - 1]);
  return !bad;
}

typedef struct track_fast {
  spike_track sp;
  const int32_t *cell;  /* per sample, -1 outside */
  const int32_t *fast;  /* per interval, -1: interpolate */
} track_fast;

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

DEFINE_COUNT_POINTS(count_spikes_fast, point_spike_fast)

/* unsorted spike times: each spike finds its interval */
static cn_status search_spikes(const spike_track *p, const edges2 *E, const int32_t *cell, const uint8_t *in,
                               int64_t ns, double *out) {
  const int64_t m = p->m;
  const double *t = p->t;
  int32_t *fast = malloc(sizeof(int32_t) * (size_t)(m > 1 ? m - 1 : 1));
  if (!fast) return cn_error(CN_ENOMEM, "track maps: out of memory (%lld samples)", (long long)m);
#pragma omp parallel for schedule(static) num_threads(cn_num_threads()) if (m > 65536)
  for (int64_t j = 0; j < m - 1; j++) fast[j] = fast_interval(cell, in, t, j) ? cell[j] : -1;
  cn_status st = count_spikes_fast(E, &(track_fast){*p, cell, fast}, ns, out);
  free(fast);
  return st;
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
  uint8_t *in = malloc((size_t)m); /* per sample: well inside its cell on both axes */
  if (!cell || !in) {
    free(cell), free(in);
    return cn_error(CN_ENOMEM, "track maps: out of memory (%lld samples)", (long long)m);
  }
  cn_status st = bin_samples(&E, pos, m, cell, in, occ);
  const spike_track p = {s, t, pos, m, track_inv(t, m)};
  if (st == CN_OK)
    st = sorted_spikes(s, ns) ? merge_spikes(&p, &E, cell, in, ns, spk) : search_spikes(&p, &E, cell, in, ns, spk);
  free(cell), free(in);
  return st;
}


/* --- track statistics (cn_track_stats) ---------------------------------- */

/* One pass of a statistic over [0, len) in nth even blocks, one per
 * thread, into slots[0..nth) of sz bytes.  f over an empty range gives the
 * statistic's identity: every slot starts as that, so a team smaller than
 * nth leaves the rest neutral for the caller's serial merge. */
typedef void (*block_fn)(const void *ctx, int64_t i0, int64_t i1, void *slot);

static void run_blocks(int nth, int64_t len, block_fn f, const void *ctx, void *slots, size_t sz) {
  for (int q = 0; q < nth; q++) f(ctx, 0, 0, (char *)slots + (size_t)q * sz);
#pragma omp parallel num_threads(nth) if (nth > 1)
  {
    int tid = omp_get_thread_num(), nt = omp_get_num_threads();
    f(ctx, len * tid / nt, len * (tid + 1) / nt, (char *)slots + (size_t)tid * sz);
  }
}

/* the block count for n samples: one below 131072, at most 64 */
static int stat_threads(int64_t n) {
  int nth = n > 131072 ? cn_num_threads() : 1;
  return nth > 64 ? 64 : nth;
}

/* ranges, time-step extremes and a finiteness probe of samples [i0, i1)
 * (i1 <= n - 1, so t[i + 1] exists): r = {xmin, xmax, ymin, ymax, dmin,
 * dmax, probe}.  The probe sums x - x, y - y and t - t: 0 while all are
 * finite, NaN once one is not (then the caller takes the careful pass), so
 * the loop needs no per-element tests.  Min and max are exact in any
 * order. */
typedef struct track_range {
  double v[7];
} track_range;

static void range_scalar(const double *pos, const double *t, int64_t i0, int64_t i1, track_range *r) {
  double l0 = INFINITY, h0 = -INFINITY, l1 = INFINITY, h1 = -INFINITY, dl = INFINITY, dh = -INFINITY, z = 0;
  for (int64_t i = i0; i < i1; i++) {
    double x = pos[2 * i], y = pos[2 * i + 1], d = t[i + 1] - t[i];
    l0 = x < l0 ? x : l0, h0 = x > h0 ? x : h0, l1 = y < l1 ? y : l1, h1 = y > h1 ? y : h1;
    dl = d < dl ? d : dl, dh = d > dh ? d : dh;
    z += (x - x) + (y - y) + (t[i] - t[i]);
  }
  *r = (track_range){{l0, h0, l1, h1, dl, dh, z}};
}

#ifdef CN_HAVE_AVX2_CELLS
__attribute__((target("avx2"))) static double hmin4(__m256d v) {
  __m128d a = _mm_min_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_min_sd(a, _mm_unpackhi_pd(a, a)));
}
__attribute__((target("avx2"))) static double hmax4(__m256d v) {
  __m128d a = _mm_max_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_max_sd(a, _mm_unpackhi_pd(a, a)));
}
/* range_scalar four samples at a time (vminpd keeps the running value
 * when the sample is NaN, like the scalar form) */
__attribute__((target("avx2"))) static void range_avx2(const double *pos, const double *t, int64_t i0,
                                                        int64_t i1, track_range *r) {
  __m256d lx = _mm256_set1_pd(INFINITY), hx = _mm256_set1_pd(-INFINITY), ly = lx, hy = hx, dl = lx, dh = hx;
  __m256d z = _mm256_setzero_pd();
  int64_t i = i0;
  for (; i + 4 <= i1; i += 4) {
    __m256d a = _mm256_loadu_pd(pos + 2 * i), b = _mm256_loadu_pd(pos + 2 * i + 4);
    __m256d x = _mm256_unpacklo_pd(a, b), y = _mm256_unpackhi_pd(a, b);
    __m256d t0 = _mm256_loadu_pd(t + i), t1 = _mm256_loadu_pd(t + i + 1), d = _mm256_sub_pd(t1, t0);
    lx = _mm256_min_pd(x, lx), hx = _mm256_max_pd(x, hx), ly = _mm256_min_pd(y, ly), hy = _mm256_max_pd(y, hy);
    dl = _mm256_min_pd(d, dl), dh = _mm256_max_pd(d, dh);
    z = _mm256_add_pd(z, _mm256_add_pd(_mm256_add_pd(_mm256_sub_pd(x, x), _mm256_sub_pd(y, y)),
                                       _mm256_sub_pd(t0, t0)));
  }
  track_range s;
  range_scalar(pos, t, i, i1, &s);
  double zz[4];
  _mm256_storeu_pd(zz, z);
  *r = (track_range){{fmin(hmin4(lx), s.v[0]), fmax(hmax4(hx), s.v[1]), fmin(hmin4(ly), s.v[2]),
                      fmax(hmax4(hy), s.v[3]), fmin(hmin4(dl), s.v[4]), fmax(hmax4(dh), s.v[5]),
                      zz[0] + zz[1] + zz[2] + zz[3] + s.v[6]}};
}
#endif

/* steps of [i0, i1) below and equal to p, the largest below and the
 * smallest above */
typedef struct step_counts {
  int64_t less, eq;
  double below, above;
} step_counts;

static void counts_scalar(const double *t, int64_t i0, int64_t i1, double p, step_counts *c) {
  int64_t less = 0, eq = 0;
  double below = -INFINITY, above = INFINITY;
  for (int64_t i = i0; i < i1; i++) {
    double d = t[i + 1] - t[i];
    less += d < p, eq += d == p;
    below = d < p && d > below ? d : below;
    above = d > p && d < above ? d : above;
  }
  *c = (step_counts){less, eq, below, above};
}

#ifdef CN_HAVE_AVX2_CELLS
__attribute__((target("avx2"))) static void counts_avx2(const double *t, int64_t i0, int64_t i1, double p,
                                                         step_counts *c) {
  const __m256d pv = _mm256_set1_pd(p), ninf = _mm256_set1_pd(-INFINITY), pinf = _mm256_set1_pd(INFINITY);
  __m256i less = _mm256_setzero_si256(), eq = _mm256_setzero_si256();
  __m256d below = ninf, above = pinf;
  int64_t i = i0;
  for (; i + 4 <= i1; i += 4) {
    __m256d d = _mm256_sub_pd(_mm256_loadu_pd(t + i + 1), _mm256_loadu_pd(t + i));
    __m256d lt = _mm256_cmp_pd(d, pv, _CMP_LT_OQ), gt = _mm256_cmp_pd(d, pv, _CMP_GT_OQ);
    less = _mm256_sub_epi64(less, _mm256_castpd_si256(lt)); /* a true lane is -1 */
    eq = _mm256_sub_epi64(eq, _mm256_castpd_si256(_mm256_cmp_pd(d, pv, _CMP_EQ_OQ)));
    below = _mm256_max_pd(below, _mm256_blendv_pd(ninf, d, lt));
    above = _mm256_min_pd(above, _mm256_blendv_pd(pinf, d, gt));
  }
  step_counts s;
  counts_scalar(t, i, i1, p, &s);
  int64_t l[4], e[4];
  _mm256_storeu_si256((__m256i *)l, less), _mm256_storeu_si256((__m256i *)e, eq);
  *c = (step_counts){s.less + l[0] + l[1] + l[2] + l[3], s.eq + e[0] + e[1] + e[2] + e[3],
                     fmax(s.below, hmax4(below)), fmin(s.above, hmin4(above))};
}
#endif

typedef struct counts_ctx {
  const double *t;
  double p;
  int avx2;
} counts_ctx;

static void counts_block(const void *ctx, int64_t i0, int64_t i1, void *slot) {
  const counts_ctx *q = ctx;
#ifdef CN_HAVE_AVX2_CELLS
  if (q->avx2) {
    counts_avx2(q->t, i0, i1, q->p, slot);
    return;
  }
#endif
  counts_scalar(q->t, i0, i1, q->p, slot);
}

/* numpy.median of the k = n - 1 steps d_i = t_i+1 - t_i (all >= 0), exact.
 * Time steps take few distinct values (a clock's period and its rounding),
 * so a pivot p, the median of an even sample of steps, usually is the
 * median itself: one pass counts the steps below and equal to p and finds
 * the nearest step values either side, and when the middle ranks fall on
 * p or on those neighbours the median follows without moving any data.
 * Otherwise a selection over a copy of the steps decides. */
static cn_status median_step(const double *t, int64_t n, double *out) {
  const int64_t k = n - 1;
  double smp[2048];
  const int64_t ns = k < 2048 ? k : 2048;
  for (int64_t q = 0; q < ns; q++) {
    int64_t i = q * k / ns;
    smp[q] = t[i + 1] - t[i];
  }
  const double p = cn_median_inplace(smp, ns);
  step_counts c[64];
  const int nth = stat_threads(k);
  counts_ctx cx = {t, p, 0};
#ifdef CN_HAVE_AVX2_CELLS
  cx.avx2 = __builtin_cpu_supports("avx2");
#endif
  run_blocks(nth, k, counts_block, &cx, c, sizeof c[0]);
  int64_t less = 0, eq = 0;
  double below = -INFINITY, above = INFINITY;
  for (int q = 0; q < nth; q++) {
    less += c[q].less, eq += c[q].eq;
    below = fmax(below, c[q].below), above = fmin(above, c[q].above);
  }
  /* the value at rank r of the sorted steps, when the counts tell it */
  double v[2];
  int64_t r[2] = {k / 2, k % 2 ? k / 2 : k / 2 - 1};
  for (int q = 0; q < 2; q++) {
    if (r[q] < less - 1 || r[q] > less + eq) {
      double *d = malloc(sizeof(double) * (size_t)k);
      if (!d) return cn_error(CN_ENOMEM, "track statistics: out of memory");
      for (int64_t i = 0; i < k; i++) d[i] = t[i + 1] - t[i];
      *out = cn_median_inplace(d, k);
      free(d);
      return CN_OK;
    }
    v[q] = r[q] == less - 1 ? below : r[q] < less + eq ? p : above;
  }
  *out = k % 2 ? v[0] : (v[1] + v[0]) / 2;
  return CN_OK;
}

typedef struct range_ctx {
  const double *pos, *t;
  int avx2;
} range_ctx;

static void range_block(const void *ctx, int64_t i0, int64_t i1, void *slot) {
  const range_ctx *q = ctx;
#ifdef CN_HAVE_AVX2_CELLS
  if (q->avx2) {
    range_avx2(q->pos, q->t, i0, i1, slot);
    return;
  }
#endif
  range_scalar(q->pos, q->t, i0, i1, slot);
}

/* the careful pass, for tracks with a non-finite value: ranges of the
 * finite positions only, and the first bad time stamp */
static void range_careful(const double *pos, const double *t, int64_t n, track_range *r, int *nonfinite,
                          int64_t *first_bad) {
  double l0 = INFINITY, l1 = INFINITY, h0 = -INFINITY, h1 = -INFINITY;
  int nf = 0;
  for (int64_t i = 0; i < n; i++) {
    double x = pos[2 * i], y = pos[2 * i + 1];
    if (!isfinite(x) || !isfinite(y)) nf = 1;
    if (isfinite(x)) l0 = x < l0 ? x : l0, h0 = x > h0 ? x : h0;
    if (isfinite(y)) l1 = y < l1 ? y : l1, h1 = y > h1 ? y : h1;
  }
  int64_t i = 0; /* the first i with t[i+1] - t[i] not finite and >= 0 */
  while (i < n - 1 && t[i + 1] - t[i] >= 0 && isfinite(t[i]) && isfinite(t[i + 1])) i++;
  r->v[0] = l0, r->v[1] = h0, r->v[2] = l1, r->v[3] = h1;
  *nonfinite = nf;
  *first_bad = i < n - 1 ? i : n;
}

cn_status cn_track_stats(const double *pos, const double *t, int64_t n, double lo[2], double hi[2],
                         int *finite, double *median_dt, int64_t *bad) {
  if (n < 2) return cn_error(CN_EINVAL, "a track needs at least 2 samples, got %lld", (long long)n);
  const int nth = stat_threads(n);
  track_range part[64];
  range_ctx cx = {pos, t, 0};
#ifdef CN_HAVE_AVX2_CELLS
  cx.avx2 = __builtin_cpu_supports("avx2");
#endif
  /* samples 0 .. n-2 with their following time step; the last sample below */
  run_blocks(nth, n - 1, range_block, &cx, part, sizeof part[0]);
  track_range r;
  range_scalar(pos, t, 0, 0, &r);
  for (int q = 0; q < nth; q++) {
    const double *v = part[q].v;
    r.v[0] = fmin(r.v[0], v[0]), r.v[1] = fmax(r.v[1], v[1]), r.v[2] = fmin(r.v[2], v[2]);
    r.v[3] = fmax(r.v[3], v[3]), r.v[4] = fmin(r.v[4], v[4]), r.v[5] = fmax(r.v[5], v[5]);
    r.v[6] += v[6];
  }
  {
    double x = pos[2 * (n - 1)], y = pos[2 * (n - 1) + 1];
    r.v[0] = x < r.v[0] ? x : r.v[0], r.v[1] = x > r.v[1] ? x : r.v[1];
    r.v[2] = y < r.v[2] ? y : r.v[2], r.v[3] = y > r.v[3] ? y : r.v[3];
    r.v[6] += (x - x) + (y - y) + (t[n - 1] - t[n - 1]);
  }
  int nonfinite = 0;
  if (!(r.v[6] == 0) || !(r.v[4] >= 0)) {
    int64_t first_bad;
    range_careful(pos, t, n, &r, &nonfinite, &first_bad);
    if (first_bad < n) {
      *bad = first_bad == 0 && !isfinite(t[0]) ? 0 : first_bad + 1;
      return cn_error(CN_EINVAL, "time stamps must be finite and non-decreasing (sample %lld)",
                      (long long)*bad + 1);
    }
  }
  lo[0] = r.v[0], hi[0] = r.v[1], lo[1] = r.v[2], hi[1] = r.v[3];
  *finite = !nonfinite;
  /* evenly sampled tracks need no median */
  if (r.v[4] == r.v[5]) {
    *median_dt = r.v[4];
    return CN_OK;
  }
  return median_step(t, n, median_dt);
}
