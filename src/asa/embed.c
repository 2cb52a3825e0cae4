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

/* The step kernel of the smoothing is cloned for AVX2 (chosen when the
 * library loads); no FMA clone, so every element keeps scipy's rounding. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CN_CLONES
#endif

/* Output row i of the smoothing, all neurons at once (contiguous,
 * vectorised over the neurons).  Each element is accumulated in scipy's
 * order: centre first, then the pairs (earlier + later sample) from the
 * outside in, zeros outside the record. */
CN_CLONES
static void smooth_row(const int32_t *cnt, int64_t nb, int64_t N, int64_t i, const double *c,
                       int64_t r, double factor, double *restrict acc, float *restrict out) {
  const int32_t *x0 = cnt + i * N;
#pragma omp simd
  for (int64_t n = 0; n < N; n++) acc[n] = (double)x0[n] * c[0];
  for (int64_t j = -r; j < 0; j++) {
    int64_t pa = i + j, pb = i - j;
    double cj = c[j];
    if (pa >= 0 && pb < nb) {
      const int32_t *xa = cnt + pa * N, *xb = cnt + pb * N;
#pragma omp simd
      for (int64_t n = 0; n < N; n++) acc[n] += ((double)xa[n] + (double)xb[n]) * cj;
    } else if (pa >= 0) {
      const int32_t *xa = cnt + pa * N;
#pragma omp simd
      for (int64_t n = 0; n < N; n++) acc[n] += (double)xa[n] * cj;
    } else if (pb < nb) {
      const int32_t *xb = cnt + pb * N;
#pragma omp simd
      for (int64_t n = 0; n < N; n++) acc[n] += (double)xb[n] * cj;
    }
  }
#pragma omp simd
  for (int64_t n = 0; n < N; n++) out[n] = (float)((double)(float)acc[n] * factor);
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

  cn_array *C = NULL;
  CN_TRY(cn_array_zeros(&C, CN_INT32, 2, shape));
  int32_t *cnt = C->data;
  int64_t kept = 0, total = 0;
  for (int64_t n = 0; n < N; n++) {
    for (int64_t j = off[n]; j < off[n + 1]; j++) {
      double s = spk[j];
      total++;
      if (!(s >= t0 && s < t1)) continue;
      double uf = s * fres - (double)tmin;
      int64_t u = (int64_t)uf; /* truncation toward zero, as astype(int64) */
      if (u > 0 && u < span) {
        cnt[(u / o->dt) * N + n] += 1;
        kept++;
      }
    }
  }
  if (total > 0 && kept == 0) {
    cn_array_release(C);
    return cn_error(CN_EINVAL, "none of the %lld spikes lies in the time range of t [%g, %g) "
                    "(spike times must be in seconds, like t)", (long long)total, t0, t1);
  }

  cn_array *E = C;
  if (o->smooth) {
    cn_status st = cn_array_empty(&E, CN_FLOAT32, 2, shape);
    if (st != CN_OK) {
      cn_array_release(C);
      return st;
    }
    double sb = o->sigma / (double)o->dt;
    int64_t r = cn_gaussian_kernel(sb, 4.0, NULL);
    double *w = malloc(sizeof(double) * (size_t)(2 * r + 1));
    if (!w) {
      cn_array_release(C);
      cn_array_release(E);
      return cn_error(CN_ENOMEM, "embed_spike_trains: out of memory");
    }
    cn_gaussian_kernel(sb, 4.0, w);
    double sr = o->sigma / fres;
    double factor = 1.0 / sqrt(2 * M_PI * (sr * sr));
    float *e = E->data;
    const double *c = w + r; /* c[-r..r] */
    int nth = o->num_threads > 0 ? o->num_threads : cn_threads_for(nb * N * (2 * r + 1));
    int failed = 0;
    /* row by row, all neurons at once (smooth_row) */
#pragma omp parallel num_threads(nth)
    {
      double *acc = malloc(sizeof(double) * (size_t)N);
      if (!acc) {
#pragma omp atomic write
        failed = 1;
      }
#pragma omp for schedule(static)
      for (int64_t i = 0; i < nb; i++) {
        if (!acc) continue;
        smooth_row(cnt, nb, N, i, c, r, factor, acc, e + i * N);
      }
      free(acc);
    }
    free(w);
    cn_array_release(C);
    if (failed) {
      cn_array_release(E);
      return cn_error(CN_ENOMEM, "embed_spike_trains: out of memory");
    }
  }

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
  cn_status st = load_pos(o, t, x, y, nt, t0, t1, nb, xx, yy, tt, sp);
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
