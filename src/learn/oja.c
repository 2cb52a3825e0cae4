/* canns — Oja's rule for a linear layer (upstream
 * `canns.trainer.OjaTrainer`): one pass over the samples in order,
 *   y = W x;  W <- W + lr (y x^T - (y*y) 1^T * W);  optional row norms. */
#include <math.h>
#include <stdlib.h>

#include "canns/learn.h"
#include "learn/learn_internal.h"

/* Divide each row of W (k, d) by its L2 norm (norms < 1e-10 by 1), the
 * norm taken in float32 like upstream `normalize_weight_rows`. */
void learn_normalize_rows(float *W, int64_t k, int64_t d) {
  for (int64_t i = 0; i < k; i++) {
    float *w = W + i * d;
    float nrm = sqrtf(learn_sdot(w, w, d));
    if (nrm < 1e-10f) nrm = 1.0f;
    for (int64_t j = 0; j < d; j++) w[j] /= nrm;
  }
}

cn_status learn_check_layer(const cn_array *W, const cn_array *X, const char *fn) {
  CN_TRY(learn_check_f32(W, fn, "W", 2, NULL));
  int64_t xs[2] = {-1, W->shape[1]};
  CN_TRY(learn_check_f32(X, fn, "patterns", 2, xs));
  return CN_OK;
}

cn_status cn_oja_train(cn_array *W, const cn_array *X, double lr, bool normalize) {
  CN_TRY(learn_check_layer(W, X, "oja_train"));
  int64_t k = W->shape[0], d = W->shape[1], P = X->shape[0];
  float *w = cn_f32(W), eta = (float)lr;
  for (int64_t p = 0; p < P; p++) {
    const float *x = cn_f32(X) + p * d;
    for (int64_t i = 0; i < k; i++) {
      float *wi = w + i * d;
      float y = learn_sdot(wi, x, d), y2 = y * y;
      for (int64_t j = 0; j < d; j++) wi[j] = wi[j] + eta * (y * x[j] - y2 * wi[j]);
    }
    if (normalize) learn_normalize_rows(w, k, d);
  }
  return CN_OK;
}
