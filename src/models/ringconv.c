/* canns — periodic convolution on the CANN grids through FFTW.
 * See ringconv.h for what is computed and why. */
#include "models/ringconv.h"

#include <fftw3.h>
#include <stdlib.h>
#include <string.h>

#include "canns/fft.h"

struct cn_ringconv {
  int rank;
  int64_t n, M, P; /* grid points, period, FFT length per axis */
  cn_dtype t;
  int64_t nr, nc;  /* real and complex buffer lengths */
  void *bx, *by;   /* real input / output buffers (nr values) */
  void *bc;        /* complex buffer (nc values) */
  void *kspec;     /* kernel spectrum scaled by 1/nr (nc values) */
  void *fwd, *bwd; /* fftwf_plan or fftw_plan */
};

bool cn_ringconv_smooth(int64_t m) {
  static const int primes[] = {2, 3, 5, 7, 11, 13};
  if (m < 1) return false;
  for (int i = 0; i < 6; i++)
    while (m % primes[i] == 0) m /= primes[i];
  return m == 1;
}

int64_t cn_ringconv_length(const cn_ringconv *c) { return c->P; }

/* Lag of padded index l, or -1 where the padded kernel is zero. */
static int64_t lag_of(int64_t l, int64_t M, int64_t P) {
  if (l < M) return l;
  if (l > P - M) return l - P + M;
  return -1;
}

/* Spectrum of the kernel extended to P^rank, computed in double. */
static cn_status kernel_spectrum(cn_ringconv *c, const double *kernel) {
  int64_t M = c->M, P = c->P;
  double *ke = fftw_alloc_real((size_t)c->nr);
  fftw_complex *kc = fftw_alloc_complex((size_t)c->nc);
  if (!ke || !kc) {
    fftw_free(ke);
    fftw_free(kc);
    return cn_error(CN_ENOMEM, "ring convolution: out of memory for the kernel");
  }
  cn_fft_plan_lock();
  fftw_plan p = c->rank == 1
                    ? fftw_plan_dft_r2c_1d((int)P, ke, kc, FFTW_ESTIMATE)
                    : fftw_plan_dft_r2c_2d((int)P, (int)P, ke, kc, FFTW_ESTIMATE);
  cn_fft_plan_unlock();
  if (!p) {
    fftw_free(ke);
    fftw_free(kc);
    return cn_error(CN_EINTERNAL, "ring convolution: FFTW could not plan the kernel");
  }
  if (c->rank == 1) {
    for (int64_t l = 0; l < P; l++) {
      int64_t d = lag_of(l, M, P);
      ke[l] = d < 0 ? 0.0 : kernel[d];
    }
  } else {
    for (int64_t l1 = 0; l1 < P; l1++) {
      int64_t d1 = lag_of(l1, M, P);
      for (int64_t l2 = 0; l2 < P; l2++) {
        int64_t d2 = lag_of(l2, M, P);
        ke[l1 * P + l2] = (d1 < 0 || d2 < 0) ? 0.0 : kernel[d1 * M + d2];
      }
    }
  }
  fftw_execute(p);
  double scale = 1.0 / (double)c->nr;
  if (c->t == CN_FLOAT32) {
    float *ks = c->kspec;
    for (int64_t i = 0; i < c->nc; i++) {
      ks[2 * i] = (float)(kc[i][0] * scale);
      ks[2 * i + 1] = (float)(kc[i][1] * scale);
    }
  } else {
    double *ks = c->kspec;
    for (int64_t i = 0; i < c->nc; i++) {
      ks[2 * i] = kc[i][0] * scale;
      ks[2 * i + 1] = kc[i][1] * scale;
    }
  }
  cn_fft_plan_lock();
  fftw_destroy_plan(p);
  cn_fft_plan_unlock();
  fftw_free(ke);
  fftw_free(kc);
  return CN_OK;
}

static cn_status make_plans(cn_ringconv *c) {
  int P = (int)c->P;
  unsigned fl = FFTW_ESTIMATE;
  cn_fft_plan_lock();
  if (c->t == CN_FLOAT32) {
    if (c->rank == 1) {
      c->fwd = fftwf_plan_dft_r2c_1d(P, c->bx, c->bc, fl | FFTW_PRESERVE_INPUT);
      c->bwd = fftwf_plan_dft_c2r_1d(P, c->bc, c->by, fl);
    } else {
      c->fwd = fftwf_plan_dft_r2c_2d(P, P, c->bx, c->bc, fl | FFTW_PRESERVE_INPUT);
      c->bwd = fftwf_plan_dft_c2r_2d(P, P, c->bc, c->by, fl);
    }
  } else {
    if (c->rank == 1) {
      c->fwd = fftw_plan_dft_r2c_1d(P, c->bx, c->bc, fl | FFTW_PRESERVE_INPUT);
      c->bwd = fftw_plan_dft_c2r_1d(P, c->bc, c->by, fl);
    } else {
      c->fwd = fftw_plan_dft_r2c_2d(P, P, c->bx, c->bc, fl | FFTW_PRESERVE_INPUT);
      c->bwd = fftw_plan_dft_c2r_2d(P, P, c->bc, c->by, fl);
    }
  }
  cn_fft_plan_unlock();
  if (!c->fwd || !c->bwd)
    return cn_error(CN_EINTERNAL, "ring convolution: FFTW could not plan length %d", P);
  return CN_OK;
}

cn_status cn_ringconv_new(cn_ringconv **out, int rank, int64_t n, cn_dtype t,
                          const double *kernel, bool force_pad) {
  *out = NULL;
  if (rank != 1 && rank != 2)
    return cn_error(CN_EINVAL, "ring convolution: rank must be 1 or 2, got %d", rank);
  if (t != CN_FLOAT32 && t != CN_FLOAT64)
    return cn_error(CN_EDTYPE, "ring convolution: dtype must be float32 or float64");
  if (n < 3) return cn_error(CN_EINVAL, "ring convolution: need at least 3 points, got %lld",
                             (long long)n);
  int64_t M = n - 1, P = M;
  /* Measured with FFTW_ESTIMATE: a length with factors 3..13 costs 2-3.5x
   * a power of two of the same n log n.  On the ring, the power of two
   * P >= 2M - 1 is then as fast or faster than M (4095: 44 us vs 8192:
   * 29 us per transform pair); on the torus padding quadruples the area,
   * so a smooth M is kept. */
  bool pow2 = (M & (M - 1)) == 0;
  bool pad = rank == 1 ? !pow2 : !cn_ringconv_smooth(M);
  if (force_pad || pad) {
    P = 1;
    while (P < 2 * M - 1) P *= 2;
  }
  if (P > (rank == 1 ? (int64_t)1 << 30 : (int64_t)1 << 15))
    return cn_error(CN_ERANGE, "ring convolution: grid of %lld points is too large",
                    (long long)n);
  cn_ringconv *c = calloc(1, sizeof *c);
  if (!c) return cn_error(CN_ENOMEM, "ring convolution: out of memory");
  c->rank = rank;
  c->n = n;
  c->M = M;
  c->P = P;
  c->t = t;
  c->nr = rank == 1 ? P : P * P;
  c->nc = rank == 1 ? P / 2 + 1 : P * (P / 2 + 1);
  size_t es = t == CN_FLOAT32 ? sizeof(float) : sizeof(double);
  c->bx = fftw_malloc(es * (size_t)c->nr);
  c->by = fftw_malloc(es * (size_t)c->nr);
  c->bc = fftw_malloc(2 * es * (size_t)c->nc);
  c->kspec = fftw_malloc(2 * es * (size_t)c->nc);
  cn_status s = CN_OK;
  if (!c->bx || !c->by || !c->bc || !c->kspec)
    s = cn_error(CN_ENOMEM, "ring convolution: out of memory for length %lld",
                 (long long)P);
  if (s == CN_OK) s = make_plans(c);
  if (s == CN_OK) {
    memset(c->bx, 0, es * (size_t)c->nr); /* the padding stays zero */
    s = kernel_spectrum(c, kernel);
  }
  if (s != CN_OK) {
    cn_ringconv_free(c);
    return s;
  }
  *out = c;
  return CN_OK;
}

void cn_ringconv_free(cn_ringconv *c) {
  if (!c) return;
  cn_fft_plan_lock();
  if (c->t == CN_FLOAT32) {
    if (c->fwd) fftwf_destroy_plan(c->fwd);
    if (c->bwd) fftwf_destroy_plan(c->bwd);
  } else {
    if (c->fwd) fftw_destroy_plan(c->fwd);
    if (c->bwd) fftw_destroy_plan(c->bwd);
  }
  cn_fft_plan_unlock();
  fftw_free(c->bx);
  fftw_free(c->by);
  fftw_free(c->bc);
  fftw_free(c->kspec);
  free(c);
}

/* The two precisions differ only in the element type; written out twice
 * rather than generated by macros. */
static void apply_f32(cn_ringconv *c, const float *x, float *y) {
  int64_t n = c->n, M = c->M, P = c->P;
  float *bx = c->bx, *by = c->by, *bc = c->bc;
  const float *ks = c->kspec;
  if (c->rank == 1) {
    bx[0] = x[0] + x[M];
    memcpy(bx + 1, x + 1, sizeof(float) * (size_t)(M - 1));
  } else {
    for (int64_t i = 0; i < M; i++) {
      memcpy(bx + i * P, x + i * n, sizeof(float) * (size_t)M);
      bx[i * P] += x[i * n + M];
    }
    for (int64_t j = 0; j < M; j++) bx[j] += x[M * n + j];
    bx[0] += x[M * n + M];
  }
  fftwf_execute(c->fwd);
#pragma omp simd
  for (int64_t k = 0; k < c->nc; k++) {
    float re = bc[2 * k], im = bc[2 * k + 1];
    float kr = ks[2 * k], ki = ks[2 * k + 1];
    bc[2 * k] = re * kr - im * ki;
    bc[2 * k + 1] = re * ki + im * kr;
  }
  fftwf_execute(c->bwd);
  if (c->rank == 1) {
    memcpy(y, by, sizeof(float) * (size_t)M);
    y[M] = by[0];
  } else {
    for (int64_t i = 0; i < n; i++) {
      const float *row = by + (i % M) * P;
      memcpy(y + i * n, row, sizeof(float) * (size_t)M);
      y[i * n + M] = row[0];
    }
  }
}

static void apply_f64(cn_ringconv *c, const double *x, double *y) {
  int64_t n = c->n, M = c->M, P = c->P;
  double *bx = c->bx, *by = c->by, *bc = c->bc;
  const double *ks = c->kspec;
  if (c->rank == 1) {
    bx[0] = x[0] + x[M];
    memcpy(bx + 1, x + 1, sizeof(double) * (size_t)(M - 1));
  } else {
    for (int64_t i = 0; i < M; i++) {
      memcpy(bx + i * P, x + i * n, sizeof(double) * (size_t)M);
      bx[i * P] += x[i * n + M];
    }
    for (int64_t j = 0; j < M; j++) bx[j] += x[M * n + j];
    bx[0] += x[M * n + M];
  }
  fftw_execute(c->fwd);
#pragma omp simd
  for (int64_t k = 0; k < c->nc; k++) {
    double re = bc[2 * k], im = bc[2 * k + 1];
    double kr = ks[2 * k], ki = ks[2 * k + 1];
    bc[2 * k] = re * kr - im * ki;
    bc[2 * k + 1] = re * ki + im * kr;
  }
  fftw_execute(c->bwd);
  if (c->rank == 1) {
    memcpy(y, by, sizeof(double) * (size_t)M);
    y[M] = by[0];
  } else {
    for (int64_t i = 0; i < n; i++) {
      const double *row = by + (i % M) * P;
      memcpy(y + i * n, row, sizeof(double) * (size_t)M);
      y[i * n + M] = row[0];
    }
  }
}

void cn_ringconv_apply(cn_ringconv *c, const void *x, void *y) {
  if (c->t == CN_FLOAT32)
    apply_f32(c, x, y);
  else
    apply_f64(c, x, y);
}
