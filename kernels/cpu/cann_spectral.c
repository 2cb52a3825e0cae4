/* canns — kernels of the pruned-DFT ring convolution.  See cann_spectral.h. */
#include "cpu/cann_spectral.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CN_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CN_CLONES
#endif

/* Rows past the last one alias it (their sums are not stored) and take a
 * zero coefficient (adding their exact zeros leaves every sum as it is),
 * so the blocks stay whole without zero rows in the tables. */
#define ROW(i) (T + ((i) < rows ? (i) : rows - 1) * ld)
#define COEF(i) ((i) < rows ? c[i] : 0)

CN_CLONES
void cn_k_spec_rows_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *v, float *out) {
  int64_t m = 0;
  for (; m + 4 < rows; m += 8) {
    const float *t0 = ROW(m), *t1 = ROW(m + 1), *t2 = ROW(m + 2), *t3 = ROW(m + 3);
    const float *t4 = ROW(m + 4), *t5 = ROW(m + 5), *t6 = ROW(m + 6), *t7 = ROW(m + 7);
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
#pragma omp simd reduction(+ : a0, a1, a2, a3, a4, a5, a6, a7)
    for (int64_t j = 0; j < h; j++) {
      float x = v[j];
      a0 += t0[j] * x;
      a1 += t1[j] * x;
      a2 += t2[j] * x;
      a3 += t3[j] * x;
      a4 += t4[j] * x;
      a5 += t5[j] * x;
      a6 += t6[j] * x;
      a7 += t7[j] * x;
    }
    float acc[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
    for (int64_t k = 0; k < 8 && m + k < rows; k++) out[m + k] = acc[k];
  }
  if (m < rows) { /* at most four rows left: half a block */
    const float *t0 = ROW(m), *t1 = ROW(m + 1), *t2 = ROW(m + 2), *t3 = ROW(m + 3);
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
#pragma omp simd reduction(+ : a0, a1, a2, a3)
    for (int64_t j = 0; j < h; j++) {
      float x = v[j];
      a0 += t0[j] * x;
      a1 += t1[j] * x;
      a2 += t2[j] * x;
      a3 += t3[j] * x;
    }
    float acc[4] = {a0, a1, a2, a3};
    for (int64_t k = 0; k < 4 && m + k < rows; k++) out[m + k] = acc[k];
  }
}

CN_CLONES
void cn_k_spec_rows_f64(const double *T, int64_t rows, int64_t ld, int64_t h,
                        const double *v, double *out) {
  for (int64_t m = 0; m < rows; m += 8) {
    const double *t0 = ROW(m), *t1 = ROW(m + 1), *t2 = ROW(m + 2), *t3 = ROW(m + 3);
    const double *t4 = ROW(m + 4), *t5 = ROW(m + 5), *t6 = ROW(m + 6), *t7 = ROW(m + 7);
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
#pragma omp simd reduction(+ : a0, a1, a2, a3, a4, a5, a6, a7)
    for (int64_t j = 0; j < h; j++) {
      double x = v[j];
      a0 += t0[j] * x;
      a1 += t1[j] * x;
      a2 += t2[j] * x;
      a3 += t3[j] * x;
      a4 += t4[j] * x;
      a5 += t5[j] * x;
      a6 += t6[j] * x;
      a7 += t7[j] * x;
    }
    double acc[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
    for (int64_t k = 0; k < 8 && m + k < rows; k++) out[m + k] = acc[k];
  }
}

CN_CLONES
void cn_k_spec_cols_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *c, float *out) {
  int64_t j0 = 0; /* rows = 0 leaves every sum 0 */
  for (; j0 + 64 <= h; j0 += 64) {
    float acc[64] = {0};
    for (int64_t m = 0; m < rows; m++) {
      const float cm = c[m], *t = T + m * ld + j0;
#pragma omp simd
      for (int k = 0; k < 64; k++) acc[k] += cm * t[k];
    }
    for (int k = 0; k < 64; k++) out[j0 + k] = acc[k];
  }
  for (; j0 < h; j0++) {
    float acc = 0;
    for (int64_t m = 0; m < rows; m++) acc += c[m] * T[m * ld + j0];
    out[j0] = acc;
  }
}

CN_CLONES
void cn_k_spec_cols_f64(const double *T, int64_t rows, int64_t ld, int64_t h,
                        const double *c, double *out) {
  if (rows <= 0)
    for (int64_t j = 0; j < h; j++) out[j] = 0;
  for (int64_t m = 0; m < rows; m += 4) {
    const double *t0 = ROW(m), *t1 = ROW(m + 1), *t2 = ROW(m + 2), *t3 = ROW(m + 3);
    double c0 = c[m], c1 = COEF(m + 1), c2 = COEF(m + 2), c3 = COEF(m + 3);
    if (m == 0) {
#pragma omp simd
      for (int64_t j = 0; j < h; j++)
        out[j] = ((c0 * t0[j] + c1 * t1[j]) + c2 * t2[j]) + c3 * t3[j];
    } else {
#pragma omp simd
      for (int64_t j = 0; j < h; j++)
        out[j] += ((c0 * t0[j] + c1 * t1[j]) + c2 * t2[j]) + c3 * t3[j];
    }
  }
}

CN_CLONES
void cn_k_spec_fold_f32(const float *restrict x, int64_t M, float *restrict e, float *restrict o) {
  int64_t pairs = (M - 1) / 2; /* j and M - j, 1 <= j <= pairs */
  e[0] = x[0] + x[M];
  o[0] = 0.0f;
  for (int64_t j = 1; j <= pairs; j++) {
    float a = x[j], b = x[M - j];
    e[j] = a + b;
    o[j] = a - b;
  }
  if (M % 2 == 0) e[M / 2] = x[M / 2], o[M / 2] = 0.0f;
}

CN_CLONES
void cn_k_spec_unfold_f32(const float *restrict E, const float *restrict O, int64_t M,
                          float *restrict y) {
  int64_t pairs = (M - 1) / 2;
  y[0] = E[0];
  for (int64_t j = 1; j <= pairs; j++) {
    y[j] = E[j] + O[j];
    y[M - j] = E[j] - O[j];
  }
  if (M % 2 == 0) y[M / 2] = E[M / 2];
  y[M] = y[0];
}

CN_CLONES
void cn_k_spec_fold_f64(const double *restrict x, int64_t M, double *restrict e, double *restrict o) {
  int64_t pairs = (M - 1) / 2; /* j and M - j, 1 <= j <= pairs */
  e[0] = x[0] + x[M];
  o[0] = 0.0;
  for (int64_t j = 1; j <= pairs; j++) {
    double a = x[j], b = x[M - j];
    e[j] = a + b;
    o[j] = a - b;
  }
  if (M % 2 == 0) e[M / 2] = x[M / 2], o[M / 2] = 0.0;
}

CN_CLONES
void cn_k_spec_unfold_f64(const double *restrict E, const double *restrict O, int64_t M,
                          double *restrict y) {
  int64_t pairs = (M - 1) / 2;
  y[0] = E[0];
  for (int64_t j = 1; j <= pairs; j++) {
    y[j] = E[j] + O[j];
    y[M - j] = E[j] - O[j];
  }
  if (M % 2 == 0) y[M / 2] = E[M / 2];
  y[M] = y[0];
}
