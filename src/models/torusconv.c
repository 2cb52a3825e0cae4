/* canns — K class-wise circular convolutions of an L x L torus (FFTW).
 * See torusconv.h. */
#include "models/torusconv.h"

#include <fftw3.h>
#include <stdlib.h>
#include <string.h>

#include "canns/fft.h"

struct cn_torusconv {
  int64_t L, N, nc; /* side, L*L, complex length L*(L/2+1) */
  int K;
  double *bx, *by;      /* real buffers, N values */
  fftw_complex *bc, *xs;/* scratch spectrum, spectrum of x */
  fftw_complex *hs;     /* K kernel spectra scaled by 1/N */
  int64_t *idx;         /* neurons sorted by class */
  int64_t *start;       /* class k: idx[start[k] .. start[k+1]) */
  fftw_plan fwd, bwd;
};

void cn_torusconv_free(cn_torusconv *c) {
  if (!c) return;
  cn_fft_plan_lock();
  if (c->fwd) fftw_destroy_plan(c->fwd);
  if (c->bwd) fftw_destroy_plan(c->bwd);
  cn_fft_plan_unlock();
  fftw_free(c->bx);
  fftw_free(c->by);
  fftw_free(c->bc);
  fftw_free(c->xs);
  fftw_free(c->hs);
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
  c->bx = fftw_alloc_real((size_t)c->N);
  c->by = fftw_alloc_real((size_t)c->N);
  c->bc = fftw_alloc_complex((size_t)c->nc);
  c->xs = fftw_alloc_complex((size_t)c->nc);
  c->hs = fftw_alloc_complex((size_t)c->nc * (size_t)K);
  c->idx = malloc((size_t)c->N * sizeof *c->idx);
  c->start = calloc((size_t)K + 1, sizeof *c->start);
  if (!c->bx || !c->by || !c->bc || !c->xs || !c->hs || !c->idx || !c->start) {
    cn_torusconv_free(c);
    return cn_error(CN_ENOMEM, "torus convolution: out of memory (L = %lld)", (long long)L);
  }
  cn_fft_plan_lock();
  c->fwd = fftw_plan_dft_r2c_2d((int)L, (int)L, c->bx, c->bc, FFTW_ESTIMATE);
  c->bwd = fftw_plan_dft_c2r_2d((int)L, (int)L, c->bc, c->by, FFTW_ESTIMATE);
  cn_fft_plan_unlock();
  if (!c->fwd || !c->bwd) {
    cn_torusconv_free(c);
    return cn_error(CN_EINTERNAL, "torus convolution: FFTW could not plan L = %lld",
                    (long long)L);
  }
  double scale = 1.0 / (double)c->N;
  for (int k = 0; k < K; k++) {
    memcpy(c->bx, kernels + (size_t)k * (size_t)c->N, (size_t)c->N * sizeof(double));
    fftw_execute_dft_r2c(c->fwd, c->bx, c->bc);
    fftw_complex *h = c->hs + (size_t)k * (size_t)c->nc;
    for (int64_t i = 0; i < c->nc; i++) {
      h[i][0] = c->bc[i][0] * scale;
      h[i][1] = c->bc[i][1] * scale;
    }
  }
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

void cn_torusconv_apply_f32(cn_torusconv *c, const float *x, float *y) {
  int64_t N = c->N, nc = c->nc;
  for (int64_t i = 0; i < N; i++) c->bx[i] = x[i];
  fftw_execute_dft_r2c(c->fwd, c->bx, c->xs);
  for (int k = 0; k < c->K; k++) {
    int64_t a = c->start[k], b = c->start[k + 1];
    if (a == b) continue;
    const fftw_complex *h = c->hs + (size_t)k * (size_t)nc;
    for (int64_t i = 0; i < nc; i++) {
      double xr = c->xs[i][0], xi = c->xs[i][1];
      c->bc[i][0] = xr * h[i][0] - xi * h[i][1];
      c->bc[i][1] = xr * h[i][1] + xi * h[i][0];
    }
    fftw_execute_dft_c2r(c->bwd, c->bc, c->by);
    for (int64_t j = a; j < b; j++) y[c->idx[j]] = (float)c->by[c->idx[j]];
  }
}
