/* canns — spike-train embedding (upstream canns.analyzer.data.asa
 * embed_spike_trains): binning at `dt` ticks of `res` per second, Gaussian
 * smoothing of every neuron (scipy gaussian_filter1d, zero padding, s.d.
 * sigma/dt bins) scaled by 1/sqrt(2 pi (sigma/res)^2), and the speed filter
 * (positions interpolated at the bin times, smoothed with s.d. 100 samples,
 * reflect boundary; speed in cm/s with upstream's fixed factors). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"
#include "core/internal.h"

void cn_embed_opts_default(cn_embed_opts *o) {
  o->res = 100000;
  o->dt = 1000;
  o->sigma = 5000;
  o->smooth = true;
  o->speed_filter = true;
  o->min_speed = 2.5;
  o->num_threads = 0;
}

/* The step kernel of the smoothing is cloned for AVX-512 and AVX2 (chosen
 * when the library loads); embed.c is built with -ffp-contract=off
 * (CMakeLists.txt), so no clone fuses a multiply and an add and every
 * element keeps scipy's rounding. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CN_CLONES
#endif

/* Eight doubles as a GCC vector (each clone lowers it to its own
 * registers). */
typedef double v8d __attribute__((vector_size(64)));
#define SMOOTH_LANES 32 /* neurons whose sums stay in registers: 4 x v8d */

#define LOAD8(x) (__extension__({ v8d v_; memcpy(&v_, (x), sizeof v_); v_; }))
#define STORE8(out, a, factor)                                                          \
  do {                                                                                  \
    float f_[8];                                                                        \
    for (int k_ = 0; k_ < 8; k_++) f_[k_] = (float)((double)(float)(a)[k_] * (factor)); \
    memcpy((out), f_, sizeof f_);                                                       \
  } while (0)

/* Output row i of the smoothing, all neurons (contiguous, vectorised over
 * the neurons).  Each element is accumulated in scipy's order: centre
 * first, then the pairs (earlier + later sample) from the outside in,
 * zeros outside the record.  cnt holds the counts, as doubles (scipy
 * filters the float64 count matrix), of rows lo, lo + 1, ... (those within
 * r of i).  Cloned too: every row goes here when N < SMOOTH_LANES. */
CN_CLONES
static void smooth_row(const double *cnt, int64_t lo, int64_t nb, int64_t N, int64_t i,
                       const double *c, int64_t r, double factor, double *restrict acc,
                       float *restrict out) {
  const double *x0 = cnt + (i - lo) * N;
#pragma omp simd
  for (int64_t n = 0; n < N; n++) acc[n] = x0[n] * c[0];
  for (int64_t j = -r; j < 0; j++) {
    int64_t pa = i + j, pb = i - j;
    double cj = c[j];
    if (pa >= 0 && pb < nb) {
      const double *xa = cnt + (pa - lo) * N, *xb = cnt + (pb - lo) * N;
#pragma omp simd
      for (int64_t n = 0; n < N; n++) acc[n] += (xa[n] + xb[n]) * cj;
    } else if (pa >= 0) {
      const double *xa = cnt + (pa - lo) * N;
#pragma omp simd
      for (int64_t n = 0; n < N; n++) acc[n] += xa[n] * cj;
    } else if (pb < nb) {
      const double *xb = cnt + (pb - lo) * N;
#pragma omp simd
      for (int64_t n = 0; n < N; n++) acc[n] += xb[n] * cj;
    }
  }
#pragma omp simd
  for (int64_t n = 0; n < N; n++) out[n] = (float)((double)(float)acc[n] * factor);
}

/* Output rows i0 .. i1 - 1 (e holds row i at e + i N), the same sums as
 * smooth_row.  The rows whose every pair is whole (r <= i < nb - r) go
 * SMOOTH_LANES neurons at a time down the block: their sums stay in
 * registers across the taps, and the 2 r + 1 count rows of one group
 * stay in the L1 cache from one output row to the next (all neurons' 2 r
 * + 1 rows do not).  The last group overlaps the one before rather than
 * leave a tail: its neurons get the same sums again. */
CN_CLONES
static void smooth_rows(const double *cnt, int64_t lo, int64_t nb, int64_t N, int64_t i0,
                        int64_t i1, const double *c, int64_t r, double factor,
                        double *restrict acc, float *restrict e) {
  int64_t a = i0 > r ? i0 : r, b = i1 < nb - r ? i1 : nb - r;
  if (N < SMOOTH_LANES || a > b) a = b = i1;
  for (int64_t i = i0; i < i1; i++)
    if (i < a || i >= b) smooth_row(cnt, lo, nb, N, i, c, r, factor, acc, e + i * N);
  for (int64_t g = 0; g < N && a < b; g += SMOOTH_LANES) {
    int64_t m = g + SMOOTH_LANES <= N ? g : N - SMOOTH_LANES;
    for (int64_t i = a; i < b; i++) {
      const double *x0 = cnt + (i - lo) * N + m;
      float *out = e + i * N + m;
      v8d c0 = {0}, a0, a1, a2, a3;
      c0 += c[0];
      a0 = LOAD8(x0) * c0, a1 = LOAD8(x0 + 8) * c0;
      a2 = LOAD8(x0 + 16) * c0, a3 = LOAD8(x0 + 24) * c0;
      for (int64_t j = -r; j < 0; j++) {
        const double *xa = x0 + j * N, *xb = x0 - j * N;
        v8d cj = {0};
        cj += c[j];
        a0 += (LOAD8(xa) + LOAD8(xb)) * cj;
        a1 += (LOAD8(xa + 8) + LOAD8(xb + 8)) * cj;
        a2 += (LOAD8(xa + 16) + LOAD8(xb + 16)) * cj;
        a3 += (LOAD8(xa + 24) + LOAD8(xb + 24)) * cj;
      }
      STORE8(out, a0, factor);
      STORE8(out + 8, a1, factor);
      STORE8(out + 16, a2, factor);
      STORE8(out + 24, a3, factor);
    }
  }
}

/* numpy.interp at one point (xp increasing). */
static double interp1(double v, const double *xp, const double *fp, int64_t n) {
  if (v <= xp[0]) return fp[0];
  if (v >= xp[n - 1]) return fp[n - 1];
  int64_t lo = 0, hi = n - 1; /* xp[lo] <= v < xp[hi] */
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    if (xp[mid] <= v) lo = mid;
    else hi = mid;
  }
  double slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
  double r = slope * (v - xp[lo]) + fp[lo];
  if (isnan(r)) {
    r = slope * (v - xp[lo + 1]) + fp[lo + 1];
    if (isnan(r) && fp[lo] == fp[lo + 1]) r = fp[lo];
  }
  return r;
}

/* Speed at each of nb bins (upstream _load_pos); xx, yy get the
 * interpolated positions, tt the bin times. */
static cn_status load_pos(const cn_embed_opts *o, const double *t, const double *x,
                          const double *y, int64_t nt, double t0, double t1, int64_t nb,
                          double *xx, double *yy, double *tt, double *speed) {
  double tmin = floor(t0 * (double)o->res);
  for (int64_t i = 0; i < nb; i++) tt[i] = (tmin + (double)o->dt * (double)i) / (double)o->res;
  /* samples with t0 <= t < t1 (t is non-decreasing: a prefix) */
  int64_t m = 0;
  while (m < nt && t[m] < t1) m++;
  if (m == 0) {
    for (int64_t i = 0; i < nb; i++) xx[i] = yy[i] = speed[i] = NAN;
    return CN_OK;
  }
  for (int64_t i = 0; i < nb; i++) {
    xx[i] = interp1(tt[i], t, x, m);
    yy[i] = interp1(tt[i], t, y, m);
  }
  double *s = malloc(sizeof(double) * (size_t)nb * 2);
  if (!s) return cn_error(CN_ENOMEM, "embed_spike_trains: out of memory (%lld bins)", (long long)nb);
  double *sx = s, *sy = s + nb;
  double mx = xx[0], my = yy[0];
  for (int64_t i = 1; i < nb; i++) {
    if (xx[i] < mx) mx = xx[i];
    if (yy[i] < my) my = yy[i];
  }
  for (int64_t i = 0; i < nb; i++) {
    sx[i] = xx[i] - mx;
    sy[i] = yy[i] - my;
  }
  cn_status st = cn_gaussian_filter1d(sx, nb, 100.0, CN_FILTER_REFLECT, sx);
  if (st == CN_OK) st = cn_gaussian_filter1d(sy, nb, 100.0, CN_FILTER_REFLECT, sy);
  if (st == CN_OK) {
    for (int64_t i = 1; i < nb; i++) {
      double dx = (sx[i] - sx[i - 1]) * 100, dy = (sy[i] - sy[i - 1]) * 100;
      speed[i] = sqrt(dx * dx + dy * dy) / 0.01;
    }
    speed[0] = nb > 1 ? speed[1] : NAN;
  }
  free(s);
  return st;
}

/* the first q in [lo, hi) with b[q] >= v (b sorted) */
static int64_t first_at(const int64_t *b, int64_t lo, int64_t hi, int64_t v) {
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (b[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* the unsmoothed embedding: the (nb, N) int32 count matrix */
static cn_status count_matrix(const int64_t *bins, const int64_t *bo, int64_t N, int64_t nb,
                              cn_array **out) {
  int64_t shape[2] = {nb, N};
  CN_TRY(cn_array_zeros(out, CN_INT32, 2, shape));
  int32_t *cnt = (*out)->data;
  for (int64_t n = 0; n < N; n++)
    for (int64_t q = bo[n]; q < bo[n + 1]; q++) cnt[bins[q] * N + n] += 1;
  return CN_OK;
}

#define SMOOTH_BLOCK 512 /* output rows per block */

/* The smoothed embedding, in blocks of output rows: each block counts the
 * spikes of the rows within r of it into a small buffer (so the (nb, N)
 * count matrix is never built) and smooths its rows from there. */
static cn_status smooth_counts(const cn_embed_opts *o, const int64_t *bins, const int64_t *bo,
                               int64_t N, int64_t nb, double fres, cn_array **out) {
  int64_t shape[2] = {nb, N};
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 2, shape));
  double sb = o->sigma / (double)o->dt;
  int64_t r = cn_gaussian_kernel(sb, 4.0, NULL);
  double *w = malloc(sizeof(double) * (size_t)(2 * r + 1));
  if (!w) {
    cn_array_release(*out);
    *out = NULL;
    return cn_error(CN_ENOMEM, "embed_spike_trains: out of memory");
  }
  cn_gaussian_kernel(sb, 4.0, w);
  double sr = o->sigma / fres;
  double factor = 1.0 / sqrt(2 * M_PI * (sr * sr));
  float *e = (*out)->data;
  const double *c = w + r; /* c[-r..r] */
  int nth = o->num_threads > 0 ? o->num_threads : cn_threads_for(nb * N * (2 * r + 1));
  int64_t nblk = (nb + SMOOTH_BLOCK - 1) / SMOOTH_BLOCK, rows = SMOOTH_BLOCK + 2 * r;
  if (rows > nb) rows = nb;
  int failed = 0;
#pragma omp parallel num_threads(nth)
  {
    double *acc = malloc(sizeof(double) * (size_t)N);
    double *cb = malloc(sizeof(double) * (size_t)(rows * N));
    if (!acc || !cb) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(static)
    for (int64_t k = 0; k < nblk; k++) {
      if (!acc || !cb) continue;
      int64_t i0 = k * SMOOTH_BLOCK, i1 = i0 + SMOOTH_BLOCK < nb ? i0 + SMOOTH_BLOCK : nb;
      int64_t lo = i0 - r > 0 ? i0 - r : 0, hi = i1 + r < nb ? i1 + r : nb;
      /* this block's output rows are fresh memory: map them in one call */
      (void)cn_populate(e + i0 * N, sizeof(float) * (size_t)((i1 - i0) * N));
      memset(cb, 0, sizeof(double) * (size_t)((hi - lo) * N));
      for (int64_t n = 0; n < N; n++)
        for (int64_t q = first_at(bins, bo[n], bo[n + 1], lo); q < bo[n + 1] && bins[q] < hi; q++)
          cb[(bins[q] - lo) * N + n] += 1.0;
      smooth_rows(cb, lo, nb, N, i0, i1, c, r, factor, acc, e);
    }
    free(acc);
    free(cb);
  }
  free(w);
  if (failed) {
    cn_array_release(*out);
    *out = NULL;
    return cn_error(CN_ENOMEM, "embed_spike_trains: out of memory");
  }
  return CN_OK;
}

cn_status cn_asa_embed(const cn_embed_opts *o, const double *spk, const int64_t *off,
                       int64_t N, const double *t, const double *x, const double *y,
                       int64_t nt, cn_array **Eout, cn_array **xxo, cn_array **yyo,
                       cn_array **tto) {
  *Eout = NULL;
  if (xxo) *xxo = NULL;
  if (yyo) *yyo = NULL;
  if (tto) *tto = NULL;
  if (o->res < 1) return cn_error(CN_EINVAL, "res must be a positive integer, got %lld", (long long)o->res);
  if (o->dt < 1) return cn_error(CN_EINVAL, "dt must be a positive integer, got %lld", (long long)o->dt);
  if (o->smooth && !(o->sigma > 0 && isfinite(o->sigma)))
    return cn_error(CN_EINVAL, "sigma must be positive, got %g", cn_fabs_nan(o->sigma));
  if (isnan(o->min_speed)) return cn_error(CN_EINVAL, "min_speed must be a number, got nan");
  if (N < 1) return cn_error(CN_EINVAL, "there must be at least one neuron");
  if (nt < 1) return cn_error(CN_EINVAL, "t must hold at least one time stamp");
  for (int64_t i = 0; i < nt; i++) {
    if (!isfinite(t[i]))
      return cn_error(CN_EINVAL, "t[%lld] must be finite, got %g", (long long)i + 1, cn_fabs_nan(t[i]));
    if (i > 0 && t[i] < t[i - 1])
      return cn_error(CN_EINVAL, "t must be non-decreasing, but t[%lld] = %.17g < t[%lld] = %.17g",
                      (long long)i + 1, t[i], (long long)i, t[i - 1]);
  }
  if (o->speed_filter && (!x || !y))
    return cn_error(CN_EINVAL, "the speed filter needs x and y");
  double t0 = t[0], t1 = t[nt - 1];
  double fres = (double)o->res;
  double tminf = floor(t0 * fres), tmaxf = ceil(t1 * fres) + 1;
  if (!(fabs(tminf) < 9e15 && fabs(tmaxf) < 9e15))
    return cn_error(CN_ERANGE, "t * res is too large for integer ticks (t from %g to %g)", t0, t1);
  int64_t tmin = (int64_t)tminf, tmax = (int64_t)tmaxf;
  int64_t nb = (tmax - tmin + o->dt - 1) / o->dt;
  if (nb < 1) nb = 1;
  int64_t span = o->dt * (nb - 1);
  int64_t shape[2] = {nb, N}, sz;
  CN_TRY(cn_shape_check(2, shape, CN_FLOAT32, &sz));

  /* the kept spikes' bins, neuron by neuron, each neuron's sorted */
  int64_t total = off[N] - off[0];
  int64_t *bins = malloc(sizeof(int64_t) * (size_t)(total + 1));
  int64_t *bo = malloc(sizeof(int64_t) * (size_t)(N + 1));
  if (!bins || !bo) {
    free(bins), free(bo);
    return cn_error(CN_ENOMEM, "embed_spike_trains: out of memory (%lld spikes)", (long long)total);
  }
  int64_t kept = 0;
  for (int64_t n = 0; n < N; n++) {
    bo[n] = kept;
    int sorted = 1;
    for (int64_t j = off[n]; j < off[n + 1]; j++) {
      double s = spk[j];
      if (!(s >= t0 && s < t1)) continue;
      double uf = s * fres - (double)tmin;
      int64_t u = (int64_t)uf; /* truncation toward zero, as astype(int64) */
      if (u > 0 && u < span) {
        bins[kept] = u / o->dt;
        sorted &= kept == bo[n] || bins[kept] >= bins[kept - 1];
        kept++;
      }
    }
    if (!sorted) qsort(bins + bo[n], (size_t)(kept - bo[n]), sizeof *bins, cn_cmp_i64);
  }
  bo[N] = kept;
  if (total > 0 && kept == 0) {
    free(bins), free(bo);
    return cn_error(CN_EINVAL, "none of the %lld spikes lies in the time range of t [%g, %g) "
                    "(spike times must be in seconds, like t)", (long long)total, t0, t1);
  }
  cn_array *E = NULL;
  cn_status st = o->smooth ? smooth_counts(o, bins, bo, N, nb, fres, &E) : count_matrix(bins, bo, N, nb, &E);
  free(bins), free(bo);
  CN_TRY(st);

  if (!o->speed_filter) {
    *Eout = E;
    return CN_OK;
  }
  double *buf = malloc(sizeof(double) * (size_t)nb * 4);
  if (!buf) {
    cn_array_release(E);
    return cn_error(CN_ENOMEM, "embed_spike_trains: out of memory");
  }
  double *xx = buf, *yy = buf + nb, *tt = buf + 2 * nb, *sp = buf + 3 * nb;
  st = load_pos(o, t, x, y, nt, t0, t1, nb, xx, yy, tt, sp);
  int64_t nk = 0;
  for (int64_t i = 0; i < nb && st == CN_OK; i++) nk += sp[i] > o->min_speed;
  cn_array *K = NULL, *X = NULL, *Y = NULL, *TT = NULL;
  int64_t ks[2] = {nk, N};
  if (st == CN_OK) st = cn_array_empty(&K, E->dtype, 2, ks);
  if (st == CN_OK) st = cn_array_new1(&X, CN_FLOAT64, nk);
  if (st == CN_OK) st = cn_array_new1(&Y, CN_FLOAT64, nk);
  if (st == CN_OK) st = cn_array_new1(&TT, CN_FLOAT64, nk);
  if (st == CN_OK) {
    size_t rb = (size_t)N * cn_dtype_size(E->dtype);
    int64_t j = 0;
    for (int64_t i = 0; i < nb; i++) {
      if (!(sp[i] > o->min_speed)) continue;
      memcpy((char *)K->data + (size_t)j * rb, (char *)E->data + (size_t)i * rb, rb);
      cn_f64(X)[j] = xx[i];
      cn_f64(Y)[j] = yy[i];
      cn_f64(TT)[j] = tt[i];
      j++;
    }
  }
  free(buf);
  cn_array_release(E);
  if (st != CN_OK) {
    cn_array_release(K);
    cn_array_release(X);
    cn_array_release(Y);
    cn_array_release(TT);
    return st;
  }
  *Eout = K;
  if (xxo) *xxo = X; else cn_array_release(X);
  if (yyo) *yyo = Y; else cn_array_release(Y);
  if (tto) *tto = TT; else cn_array_release(TT);
  return CN_OK;
}
