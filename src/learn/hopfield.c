/* canns — Amari-Hopfield dynamics (upstream
 * `canns.models.brain_inspired.AmariHopfieldNetwork.update` run by
 * `HebbianTrainer.predict`): synchronous recall as one matrix product per
 * iteration for a block of probes, asynchronous recall neuron by neuron,
 * and the energy. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/learn.h"
#include "learn/learn_internal.h"

/* Probes recalled together by the synchronous path (rows of one GEMM). */
#define RECALL_BLOCK 256

cn_status cn_hopfield_act_from_name(const char *name, cn_hopfield_act *out) {
  if (name && strcmp(name, "sign") == 0) *out = CN_HOPFIELD_SIGN;
  else if (name && strcmp(name, "tanh") == 0) *out = CN_HOPFIELD_TANH;
  else if (name && strcmp(name, "sigmoid") == 0) *out = CN_HOPFIELD_SIGMOID;
  else
    return cn_error(CN_EINVAL, "unknown activation '%s' (expected sign, tanh or sigmoid)",
                    name ? name : "(null)");
  return CN_OK;
}

/* tanh(h / T) and 1 / (1 + exp(-h / T)) in float32, as upstream. */
static inline float act1(float h, cn_hopfield_act a, float t) {
  switch (a) {
  case CN_HOPFIELD_SIGN: return (float)((h > 0.0f) - (h < 0.0f));
  case CN_HOPFIELD_TANH: return tanhf(h / t);
  default: return 1.0f / (1.0f + expf(-(h / t)));
  }
}

/* s[i] = act(h[i] - thr) for m entries. */
static void act_vec(const float *h, float *s, int64_t m, const cn_hopfield_opts *o) {
  float thr = (float)o->threshold, t = (float)o->temperature;
  switch (o->activation) {
  case CN_HOPFIELD_SIGN:
#pragma omp parallel for simd schedule(static) if (m > 65536)
    for (int64_t i = 0; i < m; i++) {
      float v = h[i] - thr;
      s[i] = (float)((v > 0.0f) - (v < 0.0f));
    }
    break;
  default:
#pragma omp parallel for schedule(static) if (m > 16384)
    for (int64_t i = 0; i < m; i++) s[i] = act1(h[i] - thr, o->activation, t);
    break;
  }
}

static cn_status recall_sync(const float *w, float *s, int64_t B, int64_t n,
                             int64_t num_iter, const cn_hopfield_opts *o,
                             cn_progress *bar) {
  int64_t blk = B < RECALL_BLOCK ? B : RECALL_BLOCK;
  float *h = malloc((size_t)(blk * n) * sizeof *h);
  if (!h) return cn_error(CN_ENOMEM, "hopfield_recall: out of memory");
  for (int64_t b0 = 0; b0 < B; b0 += blk) {
    int64_t m = B - b0 < blk ? B - b0 : blk;
    float *sb = s + b0 * n;
    for (int64_t it = 0; it < num_iter; it++) {
      if (m == 1)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)n, 1.0f, w, (int)n, sb, 1,
                    0.0f, h, 1);
      else /* H = S W^T */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)n, (int)n, 1.0f,
                    sb, (int)n, w, (int)n, 0.0f, h, (int)n);
      act_vec(h, sb, m * n, o);
    }
    cn_progress_tick(bar, m);
  }
  free(h);
  return CN_OK;
}

static void recall_async(const float *w, float *s, int64_t B, int64_t n,
                         int64_t num_iter, const cn_hopfield_opts *o,
                         const int64_t *perm, cn_progress *bar) {
  float thr = (float)o->threshold, t = (float)o->temperature;
#pragma omp parallel for schedule(dynamic, 1) if (B > 1)
  for (int64_t b = 0; b < B; b++) {
    float *sb = s + b * n;
    for (int64_t it = 0; it < num_iter; it++)
      for (int64_t q = 0; q < n; q++) {
        int64_t k = perm[q];
        sb[k] = act1(learn_sdot(w + k * n, sb, n) - thr, o->activation, t);
      }
    cn_progress_tick(bar, 1);
  }
}

cn_status cn_hopfield_recall(const cn_array *W, cn_array *S, int64_t num_iter,
                             const cn_hopfield_opts *o, const int64_t *perm,
                             cn_progress *bar) {
  const char *fn = "hopfield_recall";
  if (!W || !S || !o) return cn_error(CN_EINVAL, "%s: missing argument", fn);
  if (S->ndim != 1 && S->ndim != 2)
    return cn_error(CN_ESHAPE, "%s: states must be 1-d or 2-d, got %d-d", fn, S->ndim);
  int64_t n = S->shape[S->ndim - 1], B = S->ndim == 2 ? S->shape[0] : 1;
  int64_t ws[2] = {n, n};
  CN_TRY(learn_check_f32(W, fn, "W", 2, ws));
  CN_TRY(learn_check_f32(S, fn, "states", S->ndim, NULL));
  if (num_iter < 0) return cn_error(CN_EINVAL, "%s: num_iter must be >= 0", fn);
  if (n > INT32_MAX) return cn_error(CN_ERANGE, "%s: too large for BLAS", fn);
  if (o->activation != CN_HOPFIELD_SIGN && !(o->temperature != 0.0))
    return cn_error(CN_EINVAL, "%s: temperature must be non-zero", fn);
  if (B == 0 || n == 0 || num_iter == 0) {
    cn_progress_tick(bar, B);
    return CN_OK;
  }
  if (!o->asyn) return recall_sync(cn_f32(W), cn_f32(S), B, n, num_iter, o, bar);
  if (!perm) return cn_error(CN_EINVAL, "%s: the asynchronous update needs an order", fn);
  /* Check the order is a permutation (an index out of range would write
   * outside the state). */
  unsigned char *seen = calloc((size_t)n, 1);
  if (!seen) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  for (int64_t q = 0; q < n; q++) {
    if (perm[q] < 0 || perm[q] >= n || seen[perm[q]]) {
      free(seen);
      return cn_error(CN_EINVAL, "%s: the update order is not a permutation of 0..%lld",
                      fn, (long long)(n - 1));
    }
    seen[perm[q]] = 1;
  }
  free(seen);
  recall_async(cn_f32(W), cn_f32(S), B, n, num_iter, o, perm, bar);
  return CN_OK;
}

cn_status cn_hopfield_energy(const cn_array *W, const cn_array *S,
                             double threshold, double *energies) {
  const char *fn = "hopfield_energy";
  if (!W || !S || !energies) return cn_error(CN_EINVAL, "%s: missing argument", fn);
  if (S->ndim != 1 && S->ndim != 2)
    return cn_error(CN_ESHAPE, "%s: states must be 1-d or 2-d, got %d-d", fn, S->ndim);
  int64_t n = S->shape[S->ndim - 1], B = S->ndim == 2 ? S->shape[0] : 1;
  int64_t ws[2] = {n, n};
  CN_TRY(learn_check_f32(W, fn, "W", 2, ws));
  CN_TRY(learn_check_f32(S, fn, "states", S->ndim, NULL));
  const float *w = cn_f32(W);
#pragma omp parallel for schedule(dynamic, 1) if (B > 1)
  for (int64_t b = 0; b < B; b++) {
    const float *s = cn_f32(S) + b * n;
    double quad = 0, sum = 0;
    for (int64_t i = 0; i < n; i++) {
      double hi = 0;
      const float *wi = w + i * n;
      for (int64_t j = 0; j < n; j++) hi += (double)wi[j] * s[j];
      quad += hi * s[i];
      sum += s[i];
    }
    energies[b] = -0.5 * quad + threshold * sum;
  }
  return CN_OK;
}
