/* canns — CANN2D and CANN2D_SFA: the torus attractor (upstream `canns.models.basic.cann`: BaseCANN2D, CANN2D, CANN2D_SFA).
 *
 * Same dynamics as the ring, on an L x L sheet (row i <-> y = x[i], column
 * j <-> x = x[j]); the recurrent input is Irec[q] = sum_p r[p] conn[p][q].
 * Three ways to compute it, all equal to float32 round-off:
 *   dense      the L^2 x L^2 matrix (reference; 400 MB at L = 100);
 *   separable  the Gaussian factorises over the two axes, so
 *              Irec = c G^T (R G) with one L x L factor G: two L^3 GEMMs;
 *   fft        a 2-D circular convolution of period L-1 (FFTW). */
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "models/blas1.h"
#include "models/cann_internal.h"

#define DENSE_MAX_BYTES ((int64_t)8 << 30)

static cn_cann_method estimate(int64_t L) {
  /* method = "estimate": the rule measured once on the 2-core development
   * VM (docs/benchmarks.md): two single-threaded L^3 GEMMs beat the 2-D
   * FFT up to L ~ 100 (L = 48: 18 us vs 83 us); above, the FFT wins when
   * FFTW is fast at L-1, and beyond L ~ 240 even with padding.  The dense
   * product only for tiny sheets.  Another machine may rank them
   * differently, which is why "auto" measures. */
  if (L <= 4) return CN_CANN_DENSE;
  if ((L >= 96 && cn_ringconv_smooth(L - 1)) || L >= 240) return CN_CANN_FFT;
  return CN_CANN_SEPARABLE;
}

static cn_status build(cann_impl *c, cn_cann_method m, void *ctx) {
  (void)ctx;
  int64_t L = c->p.n, N = L * L;
  const char *name = c->p.sfa ? "CANN2D_SFA" : "CANN2D";
  cn_dtype t = c->p.dtype;
  if (m == CN_CANN_DENSE) {
    int64_t bytes = N * N * (int64_t)cn_dtype_size(t);
    if (N > 46340 || bytes > DENSE_MAX_BYTES)
      return cn_error(CN_ENOMEM, "%s: method 'dense' needs a %lld x %lld matrix (%.1f GB)",
                      name, (long long)N, (long long)N, (double)bytes / 1e9);
    CN_TRY(cn_array_empty(&c->conn, t, 2, (int64_t[]){N, N}));
    if (t == CN_FLOAT32)
      cn_k_cann_conn2d_f32(&c->c32, cn_f32(c->x), L, cn_f32(c->conn));
    else
      cn_k_cann_conn2d_f64(&c->c64, cn_f64(c->x), L, cn_f64(c->conn));
    return CN_OK;
  }
  if (m == CN_CANN_SEPARABLE) {
    CN_TRY(cn_array_empty(&c->g, t, 2, (int64_t[]){L, L}));
    CN_TRY(cn_array_empty(&c->tmp, t, 2, (int64_t[]){L, L}));
    if (t == CN_FLOAT32)
      cn_k_cann_gauss1d_f32(&c->c32, cn_f32(c->x), L, 1.0f, cn_f32(c->g));
    else
      cn_k_cann_gauss1d_f64(&c->c64, cn_f64(c->x), L, 1.0, cn_f64(c->g));
    return CN_OK;
  }
  double *k;
  CN_TRY(cn_cann_lag_kernel(c, &k));
  cn_status s = cn_ringconv_new(&c->conv, 2, L, t, k, false);
  free(k);
  return s;
}

cn_status cn_cann2d_setup(cann_impl *c) {
  int64_t L = c->p.n;
  cn_cann_method m = c->p.method;
  if (m == CN_CANN_ESTIMATE) m = estimate(L);
  if (m == CN_CANN_FFT && L < 3) m = CN_CANN_DENSE;
  if (m == CN_CANN_AUTO && L < 3) m = CN_CANN_DENSE;
  c->method = m;
  if (m != CN_CANN_AUTO) return build(c, m, NULL);
  /* measured: every exact candidate that is cheap to build */
  cn_cann_method cand[3];
  int nc = 0;
  if (L <= CN_CANN_PLAN_DENSE_MAX_2D) cand[nc++] = CN_CANN_DENSE;
  cand[nc++] = CN_CANN_SEPARABLE;
  cand[nc++] = CN_CANN_FFT;
  return cn_cann_plan(c, -1, cand, nc, build, NULL);
}

static void recurrent_f32(cann_impl *c) {
  const float *r = cn_f32(c->r);
  float *irec = cn_f32(c->irec);
  int L = (int)c->p.n, N = L * L;
  int nt = c->method == CN_CANN_FFT ? 1 : cn_blas1_begin();
  switch (c->method) {
  case CN_CANN_DENSE:
    cblas_sgemv(CblasRowMajor, CblasTrans, N, N, 1.0f, cn_f32(c->conn), N, r, 1, 0.0f, irec,
                1);
    break;
  case CN_CANN_SEPARABLE:
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, L, L, L, 1.0f, r, L,
                cn_f32(c->g), L, 0.0f, cn_f32(c->tmp), L);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, L, L, L, c->c32.J0 / c->c32.norm,
                cn_f32(c->g), L, cn_f32(c->tmp), L, 0.0f, irec, L);
    break;
  default:
    cn_ringconv_apply(c->conv, r, irec);
  }
  cn_blas1_end(nt);
}

static void recurrent_f64(cann_impl *c) {
  const double *r = cn_f64(c->r);
  double *irec = cn_f64(c->irec);
  int L = (int)c->p.n, N = L * L;
  int nt = c->method == CN_CANN_FFT ? 1 : cn_blas1_begin();
  switch (c->method) {
  case CN_CANN_DENSE:
    cblas_dgemv(CblasRowMajor, CblasTrans, N, N, 1.0, cn_f64(c->conn), N, r, 1, 0.0, irec, 1);
    break;
  case CN_CANN_SEPARABLE:
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, L, L, L, 1.0, r, L, cn_f64(c->g),
                L, 0.0, cn_f64(c->tmp), L);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, L, L, L, c->c64.J0 / c->c64.norm,
                cn_f64(c->g), L, cn_f64(c->tmp), L, 0.0, irec, L);
    break;
  default:
    cn_ringconv_apply(c->conv, r, irec);
  }
  cn_blas1_end(nt);
}

void cn_cann2d_recurrent(cann_impl *c) {
  if (c->p.dtype == CN_FLOAT32)
    recurrent_f32(c);
  else
    recurrent_f64(c);
}

cn_status cn_cann2d_step(cn_model *m, const cn_array *inp) {
  cann_impl *c = cann_of(m);
  int64_t N = c->p.n * c->p.n;
  double dt = cn_get_dt();
  const void *in = cn_cann_input(c, inp);
  if (c->p.dtype == CN_FLOAT32) {
    const cn_cann_consts_f32 *k = &c->c32;
    float *u = cn_f32(c->u), *r = cn_f32(c->r), *irec = cn_f32(c->irec);
    cn_k_cann_rate_f32(u, r, N, k->k);
    recurrent_f32(c);
    if (c->p.sfa)
      cn_k_cann_sfa_f32(u, cn_f32(c->v), irec, in, cn_f32(c->inp), N, k->tau, k->tau_v, k->m,
                        (float)dt);
    else
      cn_k_cann_euler_f32(u, irec, in, cn_f32(c->inp), N, k->tau, (float)dt);
  } else {
    const cn_cann_consts_f64 *k = &c->c64;
    double *u = cn_f64(c->u), *r = cn_f64(c->r), *irec = cn_f64(c->irec);
    cn_k_cann_rate_f64(u, r, N, k->k);
    recurrent_f64(c);
    if (c->p.sfa)
      cn_k_cann_sfa_f64(u, cn_f64(c->v), irec, in, cn_f64(c->inp), N, k->tau, k->tau_v, k->m, dt);
    else
      cn_k_cann_euler_f64(u, irec, in, cn_f64(c->inp), N, k->tau, dt);
  }
  return CN_OK;
}

cn_status cn_cann2d_stimulus(cn_model *m, const double *pos, int npos,
                             cn_array *out) {
  cann_impl *c = cann_of(m);
  (void)npos;
  if (c->p.dtype == CN_FLOAT32)
    cn_k_cann_stim2d_f32(&c->c32, cn_f32(c->x), c->p.n, (float)pos[0], (float)pos[1],
                         cn_f32(out));
  else
    cn_k_cann_stim2d_f64(&c->c64, cn_f64(c->x), c->p.n, pos[0], pos[1], cn_f64(out));
  return CN_OK;
}
