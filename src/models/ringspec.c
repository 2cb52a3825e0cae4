/* canns — ring convolution through a pruned DFT.  See ringspec.h. */
#include "models/ringspec.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/fft.h"
#include "cpu/cann_spectral.h"

struct cn_ringspec {
  int64_t n, M, h;       /* points, period, folded positions 0..floor(M/2) */
  int64_t B, ld;         /* modes 0..B; table row length */
  cn_dtype t;
  void *C, *S;           /* cos rows m = 0..B, then sin rows m = 1..B (the
                          * sin of mode 0 is zero), one block (C + S) */
  void *wa, *wb;         /* weights of the cos / sin coefficients */
  void *e, *o, *E, *O;   /* folded input and output halves (ld) */
  void *a, *b;           /* coefficients (B + 1 cos, B sin) */
};

/* Real parts K_m, m = 0..M/2, of the kernel's DFT (the kernel is even up
 * to float32 rounding of the coordinates; the imaginary parts are at that
 * level and dropped with it). */
static cn_status spectrum(const double *kernel, int64_t M, double **out) {
  int64_t nc = M / 2 + 1;
  double *in = fftw_alloc_real((size_t)M);
  fftw_complex *c = fftw_alloc_complex((size_t)nc);
  double *re = malloc(sizeof(double) * (size_t)nc);
  if (!in || !c || !re) {
    fftw_free(in), fftw_free(c), free(re);
    return cn_error(CN_ENOMEM, "ring convolution: out of memory for the spectrum");
  }
  cn_fft_plan_lock();
  fftw_plan p = fftw_plan_dft_r2c_1d((int)M, in, c, FFTW_ESTIMATE);
  cn_fft_plan_unlock();
  if (!p) {
    fftw_free(in), fftw_free(c), free(re);
    return cn_error(CN_EINTERNAL, "ring convolution: FFTW could not plan length %lld",
                    (long long)M);
  }
  /* symmetrise: k[d] and k[M-d] differ only by coordinate rounding */
  in[0] = kernel[0];
  for (int64_t d = 1; d < M; d++) in[d] = 0.5 * (kernel[d] + kernel[M - d]);
  fftw_execute(p);
  for (int64_t m = 0; m < nc; m++) re[m] = c[m][0];
  cn_fft_plan_lock();
  fftw_destroy_plan(p);
  cn_fft_plan_unlock();
  fftw_free(in);
  fftw_free(c);
  *out = re;
  return CN_OK;
}

cn_status cn_ringspec_modes(const double *kernel, int64_t M, double tol,
                            int64_t *B) {
  *B = -1;
  if (M < 2 || M > ((int64_t)1 << 30)) return CN_OK;
  double *K;
  CN_TRY(spectrum(kernel, M, &K));
  double kmax = 0;
  for (int64_t m = 0; m <= M / 2; m++) kmax = fmax(kmax, fabs(K[m]));
  int64_t b = 0;
  for (int64_t m = 0; m <= M / 2; m++)
    if (fabs(K[m]) > tol * kmax) b = m;
  free(K);
  *B = 2 * b < M ? b : -1;
  return CN_OK;
}

/* Zeroed, 64-byte aligned (every table row and work vector starts on a
 * cache line, so no 512-bit load of the two passes splits one). */
static void *zalloc(size_t count, size_t size) {
  size_t bytes = (count * size + 63) / 64 * 64;
  void *p = bytes ? aligned_alloc(64, bytes) : NULL;
  if (p) memset(p, 0, bytes);
  return p;
}

void cn_ringspec_free(cn_ringspec *s) {
  if (!s) return;
  free(s->C), free(s->wa), free(s->wb);
  free(s->e), free(s->o), free(s->E), free(s->O), free(s->a), free(s->b);
  free(s);
}

cn_status cn_ringspec_new(cn_ringspec **out, int64_t n, cn_dtype t,
                          const double *kernel, int64_t B) {
  *out = NULL;
  int64_t M = n - 1;
  if (n < 3 || B < 0 || 2 * B >= M)
    return cn_error(CN_EINVAL, "ring convolution: %lld modes do not fit %lld points",
                    (long long)B, (long long)n);
  cn_ringspec *s = calloc(1, sizeof *s);
  if (!s) return cn_error(CN_ENOMEM, "ring convolution: out of memory");
  s->n = n, s->M = M, s->h = M / 2 + 1, s->B = B, s->t = t;
  s->ld = (s->h + 15) / 16 * 16;
  size_t es = t == CN_FLOAT32 ? sizeof(float) : sizeof(double);
  size_t nr = (size_t)(B + 1); /* B + 1 cos rows; B sin rows (+ 1 spare) */
  s->C = zalloc(2 * nr, es * (size_t)s->ld);
  s->S = s->C ? (char *)s->C + nr * es * (size_t)s->ld : NULL;
  s->wa = zalloc(nr, es), s->wb = zalloc(nr, es);
  s->a = zalloc(nr, es), s->b = zalloc(nr, es);
  s->e = zalloc((size_t)s->ld, es), s->o = zalloc((size_t)s->ld, es);
  s->E = zalloc((size_t)s->ld, es), s->O = zalloc((size_t)s->ld, es);
  double *K = NULL;
  cn_status st = CN_OK;
  if (!s->C || !s->S || !s->wa || !s->wb || !s->a || !s->b || !s->e || !s->o || !s->E ||
      !s->O)
    st = cn_error(CN_ENOMEM, "ring convolution: out of memory for %lld modes", (long long)B);
  if (st == CN_OK) st = spectrum(kernel, M, &K);
  if (st != CN_OK) {
    cn_ringspec_free(s);
    return st;
  }
  for (int64_t m = 0; m <= B; m++) {
    double w = (m == 0 ? 1.0 : 2.0) * K[m] / (double)M;
    for (int64_t j = 0; j < s->h; j++) {
      /* the angle from the exact integer phase m j mod M */
      double th = 2 * M_PI * (double)((m * j) % M) / (double)M;
      double cv = cos(th), sv = sin(th);
      int64_t ic = m * s->ld + j, is = (m - 1) * s->ld + j;
      if (t == CN_FLOAT32) {
        ((float *)s->C)[ic] = (float)cv;
        if (m > 0) ((float *)s->S)[is] = (float)sv;
      } else {
        ((double *)s->C)[ic] = cv;
        if (m > 0) ((double *)s->S)[is] = sv;
      }
    }
    if (t == CN_FLOAT32) {
      ((float *)s->wa)[m] = (float)w;
      if (m > 0) ((float *)s->wb)[m - 1] = (float)w;
    } else {
      ((double *)s->wa)[m] = w;
      if (m > 0) ((double *)s->wb)[m - 1] = w;
    }
  }
  free(K);
  *out = s;
  return CN_OK;
}

/* Fold the ring (x_0 + x_{n-1} at 0) into even / odd halves, run the two
 * table products, unfold.  Written twice, once per precision. */
static void apply_f32(cn_ringspec *s, const float *x, float *y) {
  int64_t M = s->M, h = s->h;
  float *e = s->e, *o = s->o, *E = s->E, *O = s->O, *a = s->a, *b = s->b;
  const float *wa = s->wa, *wb = s->wb;
  cn_k_spec_fold_f32(x, M, e, o);
  int64_t B = s->B;
  cn_k_spec_rows_f32(s->C, B + 1, s->ld, h, e, a);
  cn_k_spec_rows_f32(s->S, B, s->ld, h, o, b);
  for (int64_t m = 0; m <= B; m++) a[m] *= wa[m];
  for (int64_t m = 0; m < B; m++) b[m] *= wb[m];
  cn_k_spec_cols_f32(s->C, B + 1, s->ld, h, a, E);
  cn_k_spec_cols_f32(s->S, B, s->ld, h, b, O);
  cn_k_spec_unfold_f32(E, O, M, y);
}

static void apply_f64(cn_ringspec *s, const double *x, double *y) {
  int64_t M = s->M, h = s->h;
  double *e = s->e, *o = s->o, *E = s->E, *O = s->O, *a = s->a, *b = s->b;
  const double *wa = s->wa, *wb = s->wb;
  cn_k_spec_fold_f64(x, M, e, o);
  int64_t B = s->B;
  cn_k_spec_rows_f64(s->C, B + 1, s->ld, h, e, a);
  cn_k_spec_rows_f64(s->S, B, s->ld, h, o, b);
  for (int64_t m = 0; m <= B; m++) a[m] *= wa[m];
  for (int64_t m = 0; m < B; m++) b[m] *= wb[m];
  cn_k_spec_cols_f64(s->C, B + 1, s->ld, h, a, E);
  cn_k_spec_cols_f64(s->S, B, s->ld, h, b, O);
  cn_k_spec_unfold_f64(E, O, M, y);
}

void cn_ringspec_apply(cn_ringspec *s, const void *x, void *y) {
  if (s->t == CN_FLOAT32)
    apply_f32(s, x, y);
  else
    apply_f64(s, x, y);
}
