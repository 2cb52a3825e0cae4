/* The z-scoring of the ASA pipeline (cn_asa_scale_f32 and the row-at-a-
 * time cn_asa_scaler) against sklearn.preprocessing.scale's steps written
 * here the plain way, each a pass that rewrites the whole matrix, bit for
 * bit: ordinary data, data far from zero (where the centred means need
 * the second subtraction) and constant columns (s.d. 1). */
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "canns/asa.h"
#include "test.h"

static void plain_scale(float *X, int64_t rows, int64_t cols) {
  float *mean = calloc((size_t)cols * 3, sizeof(float)), *sd = mean + cols, *acc = mean + 2 * cols;
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) mean[j] += X[i * cols + j];
  for (int64_t j = 0; j < cols; j++) mean[j] = (float)((double)mean[j] / (double)rows);
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) {
      float v = X[i * cols + j] - mean[j];
      sd[j] += v * v;
    }
  for (int64_t j = 0; j < cols; j++) {
    sd[j] = sqrtf((float)((double)sd[j] / (double)rows));
    if (sd[j] < 10 * FLT_EPSILON) sd[j] = 1.f;
  }
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) X[i * cols + j] -= mean[j];
  for (int pass = 0; pass < 2; pass++) {
    memset(acc, 0, sizeof(float) * (size_t)cols);
    for (int64_t i = 0; i < rows; i++)
      for (int64_t j = 0; j < cols; j++) acc[j] += X[i * cols + j];
    int close = 1;
    for (int64_t j = 0; j < cols; j++) {
      acc[j] = (float)((double)acc[j] / (double)rows);
      if (!(fabs((double)acc[j]) <= 1e-8)) close = 0;
    }
    if (!close)
      for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) X[i * cols + j] -= acc[j];
    if (pass == 0)
      for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) X[i * cols + j] /= sd[j];
  }
  free(mean);
}

static void check(const float *X, int64_t rows, int64_t cols, const char *what) {
  size_t nb = sizeof(float) * (size_t)(rows * cols);
  float *A = malloc(nb), *B = malloc(nb), *row = malloc(sizeof(float) * (size_t)cols);
  memcpy(A, X, nb), memcpy(B, X, nb);
  plain_scale(A, rows, cols);
  CHECK_OK(cn_asa_scale_f32(B, rows, cols));
  int same = memcmp(A, B, nb) == 0;
  cn_asa_scaler s;
  CHECK_OK(cn_asa_scaler_fit(&s, X, rows, cols));
  for (int64_t i = 0; i < rows; i++) {
    cn_asa_scaler_apply(&s, X + i * cols, row);
    same &= memcmp(row, A + i * cols, sizeof(float) * (size_t)cols) == 0;
  }
  cn_asa_scaler_free(&s);
  if (!same) fprintf(stderr, "%s: the z-scored data differ from the plain passes\n", what);
  CHECK(same);
  free(A), free(B), free(row);
}

TEST(scaler_matches_the_plain_passes) {
  const int64_t rows = 3001, cols = 13;
  float *X = malloc(sizeof(float) * (size_t)(rows * cols));
  uint64_t st = 2024;
  for (int pass = 0; pass < 3; pass++) {
    for (int64_t q = 0; q < rows * cols; q++) {
      st = st * 6364136223846793005ULL + 1442695040888963407ULL;
      double u = (double)(st >> 11) / 9007199254740992.0;
      X[q] = pass == 1 ? (float)(1e4 + 3 * u) : (float)(u * u * 5);
    }
    if (pass == 2)
      for (int64_t i = 0; i < rows; i++) X[i * cols + 4] = 2.5f; /* a constant column */
    check(X, rows, cols, pass == 0 ? "ordinary" : pass == 1 ? "far from zero" : "constant column");
  }
  /* the far-from-zero case needs the corrections, or it proves nothing */
  for (int64_t q = 0; q < rows * cols; q++) {
    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
    X[q] = (float)(1e4 + 3 * ((double)(st >> 11) / 9007199254740992.0));
  }
  cn_asa_scaler s;
  CHECK_OK(cn_asa_scaler_fit(&s, X, rows, cols));
  CHECK(s.sub0 || s.sub1);
  cn_asa_scaler_free(&s);
  CHECK_FAILS(cn_asa_scaler_fit(&s, X, 0, cols), CN_EINVAL);
  free(X);
}

int main(void) {
  RUN(scaler_matches_the_plain_passes);
  return test_summary();
}
