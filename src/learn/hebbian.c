/* canns — Hebbian storage: W += sign * sum_p (x_p - rho)(x_p - rho)^T
 * (upstream `canns.trainer.HebbianTrainer` / `AntiHebbianTrainer`,
 * generic rule), as one BLAS rank-P update. */
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "canns/learn.h"
#include "learn/learn_internal.h"

#define TILE 64

/* Both walk the upper triangle in tiles so that the column accesses stay
 * in cache (n = 4096: 64 MB matrices). */
static bool is_symmetric(const float *W, int64_t n) {
  for (int64_t i0 = 0; i0 < n; i0 += TILE)
    for (int64_t j0 = i0; j0 < n; j0 += TILE)
      for (int64_t i = i0; i < i0 + TILE && i < n; i++)
        for (int64_t j = (j0 > i + 1 ? j0 : i + 1); j < j0 + TILE && j < n; j++)
          if (W[i * n + j] != W[j * n + i]) return false;
  return true;
}

static void mirror_upper(float *W, int64_t n) {
  for (int64_t i0 = 0; i0 < n; i0 += TILE)
    for (int64_t j0 = i0; j0 < n; j0 += TILE)
      for (int64_t i = i0; i < i0 + TILE && i < n; i++)
        for (int64_t j = (j0 > i + 1 ? j0 : i + 1); j < j0 + TILE && j < n; j++)
          W[j * n + i] = W[i * n + j];
}

cn_status cn_hebbian_update(cn_array *W, const cn_array *X, double sign,
                            bool subtract_mean, bool normalize,
                            bool zero_diagonal) {
  const char *fn = "hebbian_update";
  CN_TRY(learn_check_f32(X, fn, "patterns", 2, NULL));
  int64_t P = X->shape[0], n = X->shape[1];
  int64_t ws[2] = {n, n};
  CN_TRY(learn_check_f32(W, fn, "W", 2, ws));
  if (n > INT32_MAX || P > INT32_MAX)
    return cn_error(CN_ERANGE, "%s: too large for BLAS", fn);
  if (P == 0) return CN_OK;
  float *w = cn_f32(W);
  const float *x = cn_f32(X);
  float *t = NULL;
  if (subtract_mean) {
    double acc = 0;
    for (int64_t i = 0; i < P * n; i++) acc += x[i];
    float rho = (float)(acc / (double)(P * n));
    t = malloc((size_t)(P * n) * sizeof *t);
    if (!t) return cn_error(CN_ENOMEM, "%s: out of memory for %lld x %lld patterns", fn,
                            (long long)P, (long long)n);
    for (int64_t i = 0; i < P * n; i++) t[i] = x[i] - rho;
    x = t;
  }
  float alpha = (float)(normalize ? sign / (double)P : sign);
  if (is_symmetric(w, n)) {
    /* Upper triangle by the rank-P update, then mirrored. */
    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)P, alpha, x,
                (int)n, 1.0f, w, (int)n);
    mirror_upper(w, n);
  } else {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)P,
                alpha, x, (int)n, x, (int)n, 1.0f, w, (int)n);
  }
  if (zero_diagonal)
    for (int64_t i = 0; i < n; i++) w[i * n + i] = 0.0f;
  free(t);
  return CN_OK;
}
