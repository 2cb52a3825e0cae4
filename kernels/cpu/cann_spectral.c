/* canns — kernels of the pruned-DFT ring convolution.  See cann_spectral.h. */
#include "cpu/cann_spectral.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CN_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CN_CLONES
#endif

CN_CLONES
void cn_k_spec_rows_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *v, float *out) {
  for (int64_t m = 0; m < rows; m += 8) {
    const float *t0 = T + m * ld, *t1 = t0 + ld, *t2 = t1 + ld, *t3 = t2 + ld;
    const float *t4 = t3 + ld, *t5 = t4 + ld, *t6 = t5 + ld, *t7 = t6 + ld;
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
    out[m] = a0, out[m + 1] = a1, out[m + 2] = a2, out[m + 3] = a3;
    out[m + 4] = a4, out[m + 5] = a5, out[m + 6] = a6, out[m + 7] = a7;
  }
}

CN_CLONES
void cn_k_spec_rows_f64(const double *T, int64_t rows, int64_t ld, int64_t h,
                        const double *v, double *out) {
  for (int64_t m = 0; m < rows; m += 8) {
    const double *t0 = T + m * ld, *t1 = t0 + ld, *t2 = t1 + ld, *t3 = t2 + ld;
    const double *t4 = t3 + ld, *t5 = t4 + ld, *t6 = t5 + ld, *t7 = t6 + ld;
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
    out[m] = a0, out[m + 1] = a1, out[m + 2] = a2, out[m + 3] = a3;
    out[m + 4] = a4, out[m + 5] = a5, out[m + 6] = a6, out[m + 7] = a7;
  }
}

CN_CLONES
void cn_k_spec_cols_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *c, float *out) {
  for (int64_t m = 0; m < rows; m += 4) {
    const float *t0 = T + m * ld, *t1 = t0 + ld, *t2 = t1 + ld, *t3 = t2 + ld;
    float c0 = c[m], c1 = c[m + 1], c2 = c[m + 2], c3 = c[m + 3];
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
void cn_k_spec_cols_f64(const double *T, int64_t rows, int64_t ld, int64_t h,
                        const double *c, double *out) {
  for (int64_t m = 0; m < rows; m += 4) {
    const double *t0 = T + m * ld, *t1 = t0 + ld, *t2 = t1 + ld, *t3 = t2 + ld;
    double c0 = c[m], c1 = c[m + 1], c2 = c[m + 2], c3 = c[m + 3];
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
