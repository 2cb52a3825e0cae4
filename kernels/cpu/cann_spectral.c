/* canns — kernels of the pruned-DFT ring convolution.  See cann_spectral.h. */
#include "cpu/cann_spectral.h"

#include <string.h>

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

/* The helpers below pass vectors by value; they are static and inlined,
 * so GCC's note that such an ABI differs between ISAs concerns no call. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#define SHUF(a, b, ...) __builtin_shuffle((a), (b), (v16i){__VA_ARGS__})
#else
#define SHUF(a, b, ...) __builtin_shufflevector((a), (b), __VA_ARGS__)
#endif

/* 16 floats in one SIMD value: the AVX-512 clone holds it in one zmm
 * register, the AVX2 clone in two ymm, the baseline in four xmm. */
typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));
typedef float v16fu __attribute__((vector_size(64), aligned(4), may_alias));
static inline v16f ld16(const float *p) { return *(const v16fu *)p; }
static inline void st16(float *p, v16f x) { *(v16fu *)p = x; }

/* The horizontal sums of eight accumulators, as a tree of lane shuffles:
 * each level halves every accumulator's partial sums and packs two
 * operands into one value (comb8: a's 16 lanes to 8, then b's; comb4 and
 * comb2 the same from 8 and 4 lanes; comb1 the last pairs).  The order of
 * additions is fixed, whatever the clone. */
static inline v16f comb8(v16f a, v16f b) {
  return SHUF(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23) +
         SHUF(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}
static inline v16f comb4(v16f p, v16f q) {
  return SHUF(p, q, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27) +
         SHUF(p, q, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
}
static inline v16f comb2(v16f p, v16f q) {
  return SHUF(p, q, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29) +
         SHUF(p, q, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
}
static inline v16f comb1(v16f x) {
  return SHUF(x, x, 0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14) +
         SHUF(x, x, 1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);
}

/* Add the scalar tail (j from nv to h) of up to eight rows and store the
 * sums of rows m.. that exist. */
static inline void rows_store(v16f s, const float *const *t, int k, int64_t nv, int64_t h,
                              const float *v, int64_t m, int64_t rows, float *out) {
  float acc[16];
  memcpy(acc, &s, sizeof acc);
  for (int64_t j = nv; j < h; j++)
    for (int i = 0; i < k; i++) acc[i] += t[i][j] * v[j];
  for (int i = 0; i < k && m + i < rows; i++) out[m + i] = acc[i];
}

CN_CLONES
void cn_k_spec_rows_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *v, float *out) {
  int64_t nv = h / 16 * 16, m = 0;
  for (; m + 4 < rows; m += 8) {
    const float *t[8] = {ROW(m),     ROW(m + 1), ROW(m + 2), ROW(m + 3),
                         ROW(m + 4), ROW(m + 5), ROW(m + 6), ROW(m + 7)};
    v16f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};
    for (int64_t j = 0; j < nv; j += 16) {
      v16f x = ld16(v + j);
      a0 += ld16(t[0] + j) * x;
      a1 += ld16(t[1] + j) * x;
      a2 += ld16(t[2] + j) * x;
      a3 += ld16(t[3] + j) * x;
      a4 += ld16(t[4] + j) * x;
      a5 += ld16(t[5] + j) * x;
      a6 += ld16(t[6] + j) * x;
      a7 += ld16(t[7] + j) * x;
    }
    v16f s = comb1(comb2(comb4(comb8(a0, a1), comb8(a2, a3)), comb4(comb8(a4, a5), comb8(a6, a7))));
    rows_store(s, t, 8, nv, h, v, m, rows, out);
  }
  if (m < rows) { /* at most four rows left: half a block */
    const float *t[4] = {ROW(m), ROW(m + 1), ROW(m + 2), ROW(m + 3)};
    v16f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    for (int64_t j = 0; j < nv; j += 16) {
      v16f x = ld16(v + j);
      a0 += ld16(t[0] + j) * x;
      a1 += ld16(t[1] + j) * x;
      a2 += ld16(t[2] + j) * x;
      a3 += ld16(t[3] + j) * x;
    }
    v16f s = comb1(comb2(comb4(comb8(a0, a1), comb8(a2, a3)), (v16f){0}));
    rows_store(s, t, 4, nv, h, v, m, rows, out);
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

/* Columns 128 at a time (eight independent accumulators: the multiply-add
 * latency is hidden), then 16, then one. */
CN_CLONES
void cn_k_spec_cols_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *c, float *out) {
  int64_t j0 = 0; /* rows = 0 leaves every sum 0 */
  for (; j0 + 128 <= h; j0 += 128) {
    v16f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};
    for (int64_t m = 0; m < rows; m++) {
      const float *t = T + m * ld + j0;
      v16f cm = (v16f){0} + c[m];
      a0 += cm * ld16(t);
      a1 += cm * ld16(t + 16);
      a2 += cm * ld16(t + 32);
      a3 += cm * ld16(t + 48);
      a4 += cm * ld16(t + 64);
      a5 += cm * ld16(t + 80);
      a6 += cm * ld16(t + 96);
      a7 += cm * ld16(t + 112);
    }
    float *o = out + j0;
    st16(o, a0), st16(o + 16, a1), st16(o + 32, a2), st16(o + 48, a3);
    st16(o + 64, a4), st16(o + 80, a5), st16(o + 96, a6), st16(o + 112, a7);
  }
  for (; j0 + 16 <= h; j0 += 16) {
    v16f a0 = {0};
    for (int64_t m = 0; m < rows; m++) a0 += ((v16f){0} + c[m]) * ld16(T + m * ld + j0);
    st16(out + j0, a0);
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
