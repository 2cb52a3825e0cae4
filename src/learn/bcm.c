/* canns — the BCM rule with a sliding threshold (upstream
 * `canns.trainer.BCMTrainer`, compiled path):
 *   y = W x;  W <- clip(W + lr (y (y - theta)) x^T, -10, 10);
 *   theta <- theta + alpha (y^2 - theta). */
#include <stdlib.h>

#include "canns/learn.h"
#include "learn/learn_internal.h"

cn_status learn_check_layer(const cn_array *W, const cn_array *X, const char *fn);

cn_status cn_bcm_train(cn_array *W, cn_array *theta, const cn_array *X,
                       double lr, double threshold_tau) {
  CN_TRY(learn_check_layer(W, X, "bcm_train"));
  int64_t k = W->shape[0], d = W->shape[1], P = X->shape[0];
  int64_t ts[1] = {k};
  CN_TRY(learn_check_f32(theta, "bcm_train", "theta", 1, ts));
  float *w = cn_f32(W), *th = cn_f32(theta), eta = (float)lr;
  float alpha = (float)(threshold_tau > 0 ? 1.0 / threshold_tau : 1.0);
  for (int64_t p = 0; p < P; p++) {
    const float *x = cn_f32(X) + p * d;
    for (int64_t i = 0; i < k; i++) {
      float *wi = w + i * d;
      float y = learn_sdot(wi, x, d), phi = y * (y - th[i]);
      for (int64_t j = 0; j < d; j++) {
        float v = wi[j] + eta * (phi * x[j]);
        wi[j] = v < -10.0f ? -10.0f : (v > 10.0f ? 10.0f : v);
      }
      th[i] = th[i] + alpha * (y * y - th[i]);
    }
  }
  return CN_OK;
}
