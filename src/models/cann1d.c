/* canns — CANN1D and CANN1D_SFA: the ring attractor (upstream `canns.models.basic.cann`: BaseCANN1D, CANN1D, CANN1D_SFA).
 *
 * One step, from the state before it:
 *   inp = input;  r = u^2 / (1 + k sum u^2);  Irec = conn r;
 *   u += (-u + Irec + inp [- v]) / tau * dt;  [v += (-v + m u) / tau_v * dt]
 * conn r is the dense product (reference) or, because conn[i][j] depends
 * only on (i - j) mod (N - 1), a circular convolution through FFTW. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/blas1.h"
#include "models/cann_internal.h"

/* Largest dense matrix built without being asked twice (bytes). */
#define DENSE_MAX_BYTES ((int64_t)8 << 30)

/* Relative size below which kernel modes are dropped by the spectral
 * method: 60 times under float32 resolution. */
#define SPECTRAL_TOL 1e-9

/* Build what method m needs (the matrix, the pruned DFT or the FFT plan);
 * k: the kernel as the dense matrix evaluates it (FFT), kx and B: the
 * kernel at exact lags and its mode count (spectral). */
static cn_status build(cann_impl *c, cn_cann_method m, const double *k, const double *kx,
                       int64_t B) {
  int64_t n = c->p.n;
  const char *name = c->p.sfa ? "CANN1D_SFA" : "CANN1D";
  if (m == CN_CANN_DENSE) {
    int64_t bytes = n * n * (int64_t)cn_dtype_size(c->p.dtype);
    if (n > 46340 || bytes > DENSE_MAX_BYTES)
      return cn_error(CN_ENOMEM, "%s: method 'dense' needs a %lld x %lld matrix (%.1f GB)",
                      name, (long long)n, (long long)n, (double)bytes / 1e9);
    CN_TRY(cn_array_empty(&c->conn, c->p.dtype, 2, (int64_t[]){n, n}));
    if (c->p.dtype == CN_FLOAT32)
      cn_k_cann_conn1d_f32(&c->c32, cn_f32(c->x), n, cn_f32(c->conn));
    else
      cn_k_cann_conn1d_f64(&c->c64, cn_f64(c->x), n, cn_f64(c->conn));
    return CN_OK;
  }
  if (m == CN_CANN_SPECTRAL) return cn_ringspec_new(&c->spec, n, c->p.dtype, kx, B);
  return cn_ringconv_new(&c->conv, 1, n, c->p.dtype, k, false);
}

struct build_ctx {
  const double *k, *kx;
  int64_t B;
};

static cn_status build_cb(cann_impl *c, cn_cann_method m, void *ctx) {
  struct build_ctx *b = ctx;
  return build(c, m, b->k, b->kx, b->B);
}

/* Today's size rule (method = "estimate"): dense below ~32 neurons (a
 * 32 x 32 gemv is ~0.3 us); the pruned DFT costs ~2 (B+1) M multiply-adds
 * in SIMD, the FFT path two transforms of the padded length P, ~5 P log2 P
 * flops each. */
static cn_cann_method estimate(int64_t n, int64_t B) {
  if (n <= 32) return CN_CANN_DENSE;
  int64_t P = 1;
  while (P < 2 * (n - 1) - 1) P *= 2;
  return (B >= 0 && (double)(B + 1) <= 5.0 * log2((double)P)) ? CN_CANN_SPECTRAL
                                                                : CN_CANN_FFT;
}

cn_status cn_cann1d_setup(cann_impl *c) {
  int64_t n = c->p.n;
  cn_cann_method m = c->p.method;
  const char *name = c->p.sfa ? "CANN1D_SFA" : "CANN1D";
  if (n < 3 && m != CN_CANN_DENSE) m = CN_CANN_DENSE; /* no ring to convolve */
  if (m == CN_CANN_DENSE) {
    c->method = m;
    return build(c, m, NULL, NULL, -1);
  }
  /* The FFT path uses the kernel exactly as the dense matrix evaluates it;
   * the spectral path the kernel at exact lags (whose spectrum has no
   * float32 noise floor) -- both equal the dense product to round-off. */
  double *k, *kx = NULL;
  CN_TRY(cn_cann_lag_kernel(c, &k));
  cn_status s = CN_OK;
  int64_t B = -1, M = n - 1;
  if (m != CN_CANN_FFT) {
    s = cn_cann_lag_kernel_exact(c, &kx);
    if (s == CN_OK) s = cn_ringspec_modes(kx, M, SPECTRAL_TOL, &B);
  }
  if (s == CN_OK && m == CN_CANN_SPECTRAL && B < 0)
    s = cn_error(CN_EINVAL,
                 "%s: method 'spectral' cannot represent this kernel on %lld neurons "
                 "(its highest frequency matters); use 'fft'",
                 name, (long long)n);
  if (s == CN_OK && m == CN_CANN_ESTIMATE) m = estimate(n, B);
  c->method = m;
  if (s == CN_OK && m == CN_CANN_AUTO) {
    /* measured: every exact candidate that is cheap to build */
    cn_cann_method cand[3];
    int nc = 0;
    if (n <= CN_CANN_PLAN_DENSE_MAX_1D) cand[nc++] = CN_CANN_DENSE;
    if (B >= 0) cand[nc++] = CN_CANN_SPECTRAL;
    cand[nc++] = CN_CANN_FFT;
    struct build_ctx b = {k, kx, B};
    s = cn_cann_plan(c, B, cand, nc, build_cb, &b);
  } else if (s == CN_OK) {
    s = build(c, m, k, kx, B);
  }
  free(k);
  free(kx);
  return s;
}

void cn_cann1d_recurrent(cann_impl *c) {
  int n = (int)c->p.n;
  if (c->p.dtype == CN_FLOAT32) {
    float *r = cn_f32(c->r), *irec = cn_f32(c->irec);
    if (c->method == CN_CANN_DENSE) {
      int nt = cn_blas1_begin();
      cblas_sgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0f, cn_f32(c->conn), n, r, 1, 0.0f,
                  irec, 1);
      cn_blas1_end(nt);
    } else if (c->method == CN_CANN_SPECTRAL) {
      cn_ringspec_apply(c->spec, r, irec);
    } else {
      cn_ringconv_apply(c->conv, r, irec);
    }
  } else {
    double *r = cn_f64(c->r), *irec = cn_f64(c->irec);
    if (c->method == CN_CANN_DENSE) {
      int nt = cn_blas1_begin();
      cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0, cn_f64(c->conn), n, r, 1, 0.0,
                  irec, 1);
      cn_blas1_end(nt);
    } else if (c->method == CN_CANN_SPECTRAL) {
      cn_ringspec_apply(c->spec, r, irec);
    } else {
      cn_ringconv_apply(c->conv, r, irec);
    }
  }
}

cn_status cn_cann1d_step(cn_model *m, const cn_array *inp) {
  cann_impl *c = cann_of(m);
  int64_t n = c->p.n;
  double dt = cn_get_dt();
  const void *in = cn_cann_input(c, inp);
  if (c->p.dtype == CN_FLOAT32) {
    const cn_cann_consts_f32 *k = &c->c32;
    float *u = cn_f32(c->u), *r = cn_f32(c->r), *irec = cn_f32(c->irec);
    cn_k_cann_rate_f32(u, r, n, k->k);
    cn_cann1d_recurrent(c);
    if (c->p.sfa)
      cn_k_cann_sfa_f32(u, cn_f32(c->v), irec, in, cn_f32(c->inp), n, k->tau, k->tau_v, k->m,
                        (float)dt);
    else
      cn_k_cann_euler_f32(u, irec, in, cn_f32(c->inp), n, k->tau, (float)dt);
  } else {
    const cn_cann_consts_f64 *k = &c->c64;
    double *u = cn_f64(c->u), *r = cn_f64(c->r), *irec = cn_f64(c->irec);
    cn_k_cann_rate_f64(u, r, n, k->k);
    cn_cann1d_recurrent(c);
    if (c->p.sfa)
      cn_k_cann_sfa_f64(u, cn_f64(c->v), irec, in, cn_f64(c->inp), n, k->tau, k->tau_v, k->m, dt);
    else
      cn_k_cann_euler_f64(u, irec, in, cn_f64(c->inp), n, k->tau, dt);
  }
  return CN_OK;
}

cn_status cn_cann1d_stimulus(cn_model *m, const double *pos, int npos,
                             cn_array *out) {
  cann_impl *c = cann_of(m);
  (void)npos;
  if (c->p.dtype == CN_FLOAT32)
    cn_k_cann_stim1d_f32(&c->c32, cn_f32(c->x), c->p.n, (float)pos[0], cn_f32(out));
  else
    cn_k_cann_stim1d_f64(&c->c64, cn_f64(c->x), c->p.n, pos[0], cn_f64(out));
  return CN_OK;
}
