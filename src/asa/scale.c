/* canns — z-scoring of ASA activity (sklearn.preprocessing.scale on
 * float32, as upstream canns.analyzer.data.asa calls it in tda_vis and the
 * decoders).
 *
 * sklearn's steps, each over the whole matrix: subtract the column means;
 * if a centred column mean is not within 1e-8 of zero, subtract the
 * centred means again; divide by the population s.d. (1 where it is below
 * 10 FLT_EPSILON); if a column mean is still not within 1e-8, subtract it.
 * Every column sum is accumulated row by row in float32 (numpy's axis-0
 * reduction) and divided in double.  The fit below gets the same sums
 * from three reads of the data without writing it (each element's
 * intermediate values are recomputed, in the same float32 operations), so
 * that a caller can z-score rows as it reads them instead of copying and
 * rewriting the whole matrix. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"

/* an element after the centring and, when it applies, the correction */
static inline float centred(const cn_asa_scaler *s, float x, int64_t j) {
  float v = x - s->mean[j];
  return s->sub0 ? v - s->acc0[j] : v;
}

static bool near_zero_means(float *acc, int64_t cols, int64_t rows) {
  bool close = true;
  for (int64_t j = 0; j < cols; j++) {
    acc[j] = (float)((double)acc[j] / (double)rows);
    if (!(fabs((double)acc[j]) <= 1e-8)) close = false;
  }
  return close;
}

cn_status cn_asa_scaler_fit(cn_asa_scaler *s, const float *X, int64_t rows, int64_t cols) {
  memset(s, 0, sizeof *s);
  if (rows < 1 || cols < 1)
    return cn_error(CN_EINVAL, "z-scoring needs at least one row and column, got %lld x %lld",
                    (long long)rows, (long long)cols);
  float *buf = calloc((size_t)cols * 4, sizeof(float));
  if (!buf) return cn_error(CN_ENOMEM, "z-scoring: out of memory (%lld columns)", (long long)cols);
  s->cols = cols;
  s->mean = buf, s->sd = buf + cols, s->acc0 = buf + 2 * cols, s->acc1 = buf + 3 * cols;
  float *mean = s->mean, *sd = s->sd, *acc0 = s->acc0, *acc1 = s->acc1;
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) mean[j] += X[i * cols + j];
  for (int64_t j = 0; j < cols; j++) mean[j] = (float)((double)mean[j] / (double)rows);
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) {
      float v = X[i * cols + j] - mean[j];
      sd[j] += v * v;
      acc0[j] += v;
    }
  for (int64_t j = 0; j < cols; j++) {
    sd[j] = sqrtf((float)((double)sd[j] / (double)rows));
    if (sd[j] < 10 * FLT_EPSILON) sd[j] = 1.f;
  }
  s->sub0 = !near_zero_means(acc0, cols, rows);
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) acc1[j] += centred(s, X[i * cols + j], j) / sd[j];
  s->sub1 = !near_zero_means(acc1, cols, rows);
  return CN_OK;
}

void cn_asa_scaler_apply(const cn_asa_scaler *s, const float *x, float *out) {
  for (int64_t j = 0; j < s->cols; j++) {
    float v = centred(s, x[j], j) / s->sd[j];
    out[j] = s->sub1 ? v - s->acc1[j] : v;
  }
}

void cn_asa_scaler_free(cn_asa_scaler *s) {
  free(s->mean);
  memset(s, 0, sizeof *s);
}

cn_status cn_asa_scale_f32(float *X, int64_t rows, int64_t cols) {
  cn_asa_scaler s;
  CN_TRY(cn_asa_scaler_fit(&s, X, rows, cols));
  for (int64_t i = 0; i < rows; i++) cn_asa_scaler_apply(&s, X + i * cols, X + i * cols);
  cn_asa_scaler_free(&s);
  return CN_OK;
}
