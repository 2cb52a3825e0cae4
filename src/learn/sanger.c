/* canns — Sanger's generalised Hebbian algorithm (upstream
 * `canns.trainer.SangerTrainer`):
 *   y = W x;  W <- W + lr (y x^T - tril(y y^T) W);  optional row norms.
 * Row i of tril(y y^T) W is y_i sum_{j<=i} y_j W_j (old rows): a running
 * sum r over the rows gives it in O(k d) per sample. */
#include <stdlib.h>

#include "canns/learn.h"
#include "learn/learn_internal.h"

void learn_normalize_rows(float *W, int64_t k, int64_t d);
cn_status learn_check_layer(const cn_array *W, const cn_array *X, const char *fn);

cn_status cn_sanger_train(cn_array *W, const cn_array *X, double lr, bool normalize) {
  CN_TRY(learn_check_layer(W, X, "sanger_train"));
  int64_t k = W->shape[0], d = W->shape[1], P = X->shape[0];
  float *w = cn_f32(W), eta = (float)lr;
  float *buf = malloc((size_t)(k + d) * sizeof *buf);
  if (!buf) return cn_error(CN_ENOMEM, "sanger_train: out of memory");
  float *y = buf, *r = buf + k;
  for (int64_t p = 0; p < P; p++) {
    const float *x = cn_f32(X) + p * d;
    for (int64_t i = 0; i < k; i++) y[i] = learn_sdot(w + i * d, x, d);
    for (int64_t j = 0; j < d; j++) r[j] = 0.0f;
    for (int64_t i = 0; i < k; i++) {
      float *wi = w + i * d, yi = y[i];
      for (int64_t j = 0; j < d; j++) {
        r[j] += yi * wi[j];
        wi[j] = wi[j] + eta * (yi * x[j] - yi * r[j]);
      }
    }
    if (normalize) learn_normalize_rows(w, k, d);
  }
  free(buf);
  return CN_OK;
}
