/* canns — K class-wise circular convolutions of an L x L torus (FFTW).
 * See torusconv.h. */
#include "models/torusconv.h"

#include <fftw3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "canns/fft.h"

struct cn_torusconv {
  int64_t L, N, nc; /* side, L*L, complex length L*(L/2+1) */
  int K;
  float *bx, *by;        /* real buffers, N values */
  fftwf_complex *bc, *xs;/* scratch spectrum, spectrum of x */
  fftwf_complex *tc;     /* half-transformed scratch (L x (L/2+1)) */
  fftwf_complex *hs;     /* K kernel spectra scaled by 1/N (computed in double) */
  int64_t *idx;          /* neurons sorted by class */
  int64_t *start;        /* class k: idx[start[k] .. start[k+1]) */
  /* the 2-D transforms as two batches of 1-D ones (rows, then columns;
   * columns, then rows): FFTW_ESTIMATE's own 2-D plans are up to twice as
   * slow at the small sides of the grid-cell sheets (a K-class batch of
   * the inverses measured no faster), and estimated plans keep every run's
   * numbers the same */
  fftwf_plan fwd_rows, fwd_cols, bwd_cols, bwd_rows;
};

/* the four 1-D batch plans; false when FFTW cannot make one */
static bool make_plans(cn_torusconv *c) {
  int L = (int)c->L, h = (int)(c->L / 2 + 1);
  cn_fft_plan_lock();
  c->fwd_rows = fftwf_plan_many_dft_r2c(1, &L, L, c->bx, NULL, 1, L, c->tc, NULL, 1, h, FFTW_ESTIMATE);
  c->fwd_cols = fftwf_plan_many_dft(1, &L, h, c->tc, NULL, h, 1, c->xs, NULL, h, 1, FFTW_FORWARD, FFTW_ESTIMATE);
  c->bwd_cols = fftwf_plan_many_dft(1, &L, h, c->bc, NULL, h, 1, c->tc, NULL, h, 1, FFTW_BACKWARD, FFTW_ESTIMATE);
  c->bwd_rows = fftwf_plan_many_dft_c2r(1, &L, L, c->tc, NULL, 1, h, c->by, NULL, 1, L, FFTW_ESTIMATE);
  cn_fft_plan_unlock();
  return c->fwd_rows && c->fwd_cols && c->bwd_cols && c->bwd_rows;
}

void cn_torusconv_free(cn_torusconv *c) {
  if (!c) return;
  cn_fft_plan_lock();
  if (c->fwd_rows) fftwf_destroy_plan(c->fwd_rows);
  if (c->fwd_cols) fftwf_destroy_plan(c->fwd_cols);
  if (c->bwd_cols) fftwf_destroy_plan(c->bwd_cols);
  if (c->bwd_rows) fftwf_destroy_plan(c->bwd_rows);
  cn_fft_plan_unlock();
  fftwf_free(c->bx);
  fftwf_free(c->by);
  fftwf_free(c->bc);
  fftwf_free(c->xs);
  fftwf_free(c->tc);
  fftwf_free(c->hs);
  free(c->idx);
  free(c->start);
  free(c);
}

cn_status cn_torusconv_new(cn_torusconv **out, int64_t L, int K, const double *kernels,
                           const uint8_t *cls) {
  *out = NULL;
  if (L < 1 || L > 46340 || K < 1 || K > 255 || (!cls && K != 1))
    return cn_error(CN_EINVAL, "torus convolution: bad size L = %lld, K = %d", (long long)L, K);
  cn_torusconv *c = calloc(1, sizeof *c);
  if (!c) return cn_error(CN_ENOMEM, "torus convolution: out of memory");
  c->L = L;
  c->N = L * L;
  c->nc = L * (L / 2 + 1);
  c->K = K;
  c->bx = fftwf_alloc_real((size_t)c->N);
  c->by = fftwf_alloc_real((size_t)c->N);
  c->bc = fftwf_alloc_complex((size_t)c->nc);
  c->xs = fftwf_alloc_complex((size_t)c->nc);
  c->tc = fftwf_alloc_complex((size_t)c->nc);
  c->hs = fftwf_alloc_complex((size_t)c->nc * (size_t)K);
  c->idx = malloc((size_t)c->N * sizeof *c->idx);
  c->start = calloc((size_t)K + 1, sizeof *c->start);
  if (!c->bx || !c->by || !c->bc || !c->xs || !c->tc || !c->hs || !c->idx || !c->start) {
    cn_torusconv_free(c);
    return cn_error(CN_ENOMEM, "torus convolution: out of memory (L = %lld)", (long long)L);
  }
  double *kx = fftw_alloc_real((size_t)c->N);
  fftw_complex *kc = fftw_alloc_complex((size_t)c->nc);
  bool planned = make_plans(c);
  cn_fft_plan_lock();
  fftw_plan kp = kx && kc ? fftw_plan_dft_r2c_2d((int)L, (int)L, kx, kc, FFTW_ESTIMATE) : NULL;
  cn_fft_plan_unlock();
  if (!planned || !kp) {
    cn_fft_plan_lock();
    if (kp) fftw_destroy_plan(kp);
    cn_fft_plan_unlock();
    fftw_free(kx);
    fftw_free(kc);
    cn_torusconv_free(c);
    return cn_error(CN_EINTERNAL, "torus convolution: FFTW could not plan L = %lld",
                    (long long)L);
  }
  double scale = 1.0 / (double)c->N;
  for (int k = 0; k < K; k++) {
    memcpy(kx, kernels + (size_t)k * (size_t)c->N, (size_t)c->N * sizeof(double));
    fftw_execute(kp);
    fftwf_complex *h = c->hs + (size_t)k * (size_t)c->nc;
    for (int64_t i = 0; i < c->nc; i++) {
      h[i][0] = (float)(kc[i][0] * scale);
      h[i][1] = (float)(kc[i][1] * scale);
    }
  }
  cn_fft_plan_lock();
  fftw_destroy_plan(kp);
  cn_fft_plan_unlock();
  fftw_free(kx);
  fftw_free(kc);
  /* counting sort of the neurons by class */
  for (int64_t i = 0; i < c->N; i++) c->start[(cls ? cls[i] : 0) + 1]++;
  for (int k = 0; k < K; k++) c->start[k + 1] += c->start[k];
  int64_t *fill = calloc((size_t)K, sizeof *fill);
  if (!fill) {
    cn_torusconv_free(c);
    return cn_error(CN_ENOMEM, "torus convolution: out of memory");
  }
  for (int64_t i = 0; i < c->N; i++) {
    int k = cls ? cls[i] : 0;
    c->idx[c->start[k] + fill[k]++] = i;
  }
  free(fill);
  *out = c;
  return CN_OK;
}

/* bc = xs h elementwise over nc interleaved complex values (distinct
 * buffers: vectorised, each element rounded as the scalar formula) */
static void spectrum_product(const float *restrict xs, const float *restrict h,
                             float *restrict bc, int64_t nc) {
#pragma omp simd
  for (int64_t i = 0; i < nc; i++) {
    float xr = xs[2 * i], xi = xs[2 * i + 1], hr = h[2 * i], hi = h[2 * i + 1];
    bc[2 * i] = xr * hr - xi * hi;
    bc[2 * i + 1] = xr * hi + xi * hr;
  }
}

void cn_torusconv_apply_f32(cn_torusconv *c, const float *x, float *y) {
  int64_t N = c->N, nc = c->nc;
  memcpy(c->bx, x, (size_t)N * sizeof(float));
  fftwf_execute(c->fwd_rows);
  fftwf_execute(c->fwd_cols);
  for (int k = 0; k < c->K; k++) {
    int64_t a = c->start[k], b = c->start[k + 1];
    if (a == b) continue;
    spectrum_product((const float *)c->xs, (const float *)(c->hs + (size_t)k * (size_t)nc),
                     (float *)c->bc, nc);
    fftwf_execute(c->bwd_cols);
    fftwf_execute(c->bwd_rows);
    for (int64_t j = a; j < b; j++) y[c->idx[j]] = c->by[c->idx[j]];
  }
}

cn_status cn_torusconv_clone(const cn_torusconv *src, cn_torusconv **out) {
  *out = NULL;
  cn_torusconv *c = calloc(1, sizeof *c);
  if (!c) return cn_error(CN_ENOMEM, "torus convolution: out of memory");
  c->L = src->L, c->N = src->N, c->nc = src->nc, c->K = src->K;
  c->bx = fftwf_alloc_real((size_t)c->N);
  c->by = fftwf_alloc_real((size_t)c->N);
  c->bc = fftwf_alloc_complex((size_t)c->nc);
  c->xs = fftwf_alloc_complex((size_t)c->nc);
  c->tc = fftwf_alloc_complex((size_t)c->nc);
  c->hs = fftwf_alloc_complex((size_t)c->nc * (size_t)c->K);
  c->idx = malloc((size_t)c->N * sizeof *c->idx);
  c->start = malloc(((size_t)c->K + 1) * sizeof *c->start);
  if (!c->bx || !c->by || !c->bc || !c->xs || !c->tc || !c->hs || !c->idx || !c->start) {
    cn_torusconv_free(c);
    return cn_error(CN_ENOMEM, "torus convolution: out of memory");
  }
  memcpy(c->hs, src->hs, (size_t)c->nc * (size_t)c->K * sizeof *c->hs);
  memcpy(c->idx, src->idx, (size_t)c->N * sizeof *c->idx);
  memcpy(c->start, src->start, ((size_t)c->K + 1) * sizeof *c->start);
  if (!make_plans(c)) {
    cn_torusconv_free(c);
    return cn_error(CN_EINTERNAL, "torus convolution: FFTW could not plan");
  }
  *out = c;
  return CN_OK;
}
