/* canns — kernels of the pruned-DFT ring convolution.  See cann_spectral.h. */
#include "cpu/cann_spectral.h"

#include <stdatomic.h>
#include <stdbool.h>
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

/* --- the float32 passes, one version per ISA -----------------------------
 * The plain versions (any ISA; `omp simd`) are the reference the others
 * are tested against.  With GCC on x86-64 the AVX-512 and AVX2 versions
 * hold eight accumulators in GCC vectors of the ISA's own width (16 and 8
 * floats) and sum their lanes by a fixed tree of shuffles; the ISA is
 * chosen once, at the first call. */

/* Rows m..m+7 of the table (the last row repeated past the end) dotted
 * with v in eight `omp simd` accumulators of type TYPE; the sums of the
 * rows that exist are stored.  The plain float32 pass and the float64
 * pass share it. */
#define PLAIN_ROWS8(TYPE)                                                                 \
  do {                                                                                    \
    const TYPE *t0 = ROW(m), *t1 = ROW(m + 1), *t2 = ROW(m + 2), *t3 = ROW(m + 3);        \
    const TYPE *t4 = ROW(m + 4), *t5 = ROW(m + 5), *t6 = ROW(m + 6), *t7 = ROW(m + 7);    \
    TYPE a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;                   \
    _Pragma("omp simd reduction(+ : a0, a1, a2, a3, a4, a5, a6, a7)")                     \
    for (int64_t j = 0; j < h; j++) {                                                     \
      TYPE x = v[j];                                                                      \
      a0 += t0[j] * x;                                                                    \
      a1 += t1[j] * x;                                                                    \
      a2 += t2[j] * x;                                                                    \
      a3 += t3[j] * x;                                                                    \
      a4 += t4[j] * x;                                                                    \
      a5 += t5[j] * x;                                                                    \
      a6 += t6[j] * x;                                                                    \
      a7 += t7[j] * x;                                                                    \
    }                                                                                     \
    TYPE acc[8] = {a0, a1, a2, a3, a4, a5, a6, a7};                                       \
    for (int64_t k = 0; k < 8 && m + k < rows; k++) out[m + k] = acc[k];                  \
  } while (0)

static void rows_plain(const float *T, int64_t rows, int64_t ld, int64_t h, const float *v,
                       float *out) {
  int64_t m = 0;
  for (; m + 4 < rows; m += 8) {
    PLAIN_ROWS8(float);
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

static void cols_plain(const float *T, int64_t rows, int64_t ld, int64_t h, const float *c,
                       float *out) {
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

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CN_SPEC_DISPATCH 1
/* The helpers pass vectors by value; they are static and always inlined,
 * so GCC's note that such an ABI differs between ISAs concerns no call. */
#pragma GCC diagnostic ignored "-Wpsabi"
#define INL static inline __attribute__((always_inline))
#define V4 __attribute__((target("arch=x86-64-v4")))
#define V3 __attribute__((target("arch=x86-64-v3")))

typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));
typedef float v16fu __attribute__((vector_size(64), aligned(4), may_alias));
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef float v8fu __attribute__((vector_size(32), aligned(4), may_alias));
#define LD16(p) (*(const v16fu *)(p))
#define ST16(p, x) (*(v16fu *)(p) = (x))
#define LD8(p) (*(const v8fu *)(p))
#define ST8(p, x) (*(v8fu *)(p) = (x))
#define SHUF16(a, b, ...) __builtin_shuffle((a), (b), (v16i){__VA_ARGS__})
#define SHUF8(a, b, ...) __builtin_shuffle((a), (b), (v8i){__VA_ARGS__})

/* Horizontal sums of eight accumulators as a tree of shuffles: each level
 * halves every accumulator's partial sums and packs two operands into one
 * value.  16 lanes: comb8 (a's 16 lanes to 8, then b's), comb4, comb2,
 * comb1 (the last pairs); 8 lanes: half4, half2, half1 likewise. */
INL v16f comb8(v16f a, v16f b) {
  return SHUF16(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23) +
         SHUF16(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}
INL v16f comb4(v16f p, v16f q) {
  return SHUF16(p, q, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27) +
         SHUF16(p, q, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
}
INL v16f comb2(v16f p, v16f q) {
  return SHUF16(p, q, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29) +
         SHUF16(p, q, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
}
INL v16f comb1(v16f x) {
  return SHUF16(x, x, 0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14) +
         SHUF16(x, x, 1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);
}
INL v8f half4(v8f a, v8f b) {
  return SHUF8(a, b, 0, 1, 2, 3, 8, 9, 10, 11) + SHUF8(a, b, 4, 5, 6, 7, 12, 13, 14, 15);
}
INL v8f half2(v8f p, v8f q) {
  return SHUF8(p, q, 0, 1, 4, 5, 8, 9, 12, 13) + SHUF8(p, q, 2, 3, 6, 7, 10, 11, 14, 15);
}
INL v8f half1(v8f p, v8f q) {
  return SHUF8(p, q, 0, 2, 4, 6, 8, 10, 12, 14) + SHUF8(p, q, 1, 3, 5, 7, 9, 11, 13, 15);
}

/* The k table rows from m (repeating the last one past the end). */
INL void block_rows(const float **t, int k, const float *T, int64_t m, int64_t rows, int64_t ld) {
  for (int i = 0; i < k; i++) t[i] = ROW(m + i);
}

/* Add the scalar tail (j from nv to h) of k rows and store the sums of
 * the rows m.. that exist. */
INL void rows_store(float *acc, const float *const *t, int k, int64_t nv, int64_t h,
                    const float *v, int64_t m, int64_t rows, float *out) {
  for (int64_t j = nv; j < h; j++)
    for (int i = 0; i < k; i++) acc[i] += t[i][j] * v[j];
  for (int i = 0; i < k && m + i < rows; i++) out[m + i] = acc[i];
}

/* One block of eight (or, for the last rows, four) table rows: W lanes
 * of type VT, loaded by LD. */
#define ROWS_BLOCK(VT, W, LD, k)                              \
  VT a_[8] = {{0}};                                           \
  for (int64_t j = 0; j < nv; j += (W)) {                     \
    VT x = LD(v + j);                                         \
    for (int i = 0; i < (k); i++) a_[i] += LD(t[i] + j) * x; \
  }

V4 static void rows_v4(const float *T, int64_t rows, int64_t ld, int64_t h, const float *v,
                       float *out) {
  int64_t nv = h / 16 * 16, m = 0;
  float acc[16];
  for (; m + 4 < rows; m += 8) {
    const float *t[8];
    block_rows(t, 8, T, m, rows, ld);
    ROWS_BLOCK(v16f, 16, LD16, 8)
    v16f s = comb1(comb2(comb4(comb8(a_[0], a_[1]), comb8(a_[2], a_[3])),
                         comb4(comb8(a_[4], a_[5]), comb8(a_[6], a_[7]))));
    memcpy(acc, &s, sizeof s);
    rows_store(acc, t, 8, nv, h, v, m, rows, out);
  }
  if (m < rows) { /* at most four rows left: half a block */
    const float *t[4];
    block_rows(t, 4, T, m, rows, ld);
    ROWS_BLOCK(v16f, 16, LD16, 4)
    v16f s = comb1(comb2(comb4(comb8(a_[0], a_[1]), comb8(a_[2], a_[3])), (v16f){0}));
    memcpy(acc, &s, sizeof s);
    rows_store(acc, t, 4, nv, h, v, m, rows, out);
  }
}

V3 static void rows_v3(const float *T, int64_t rows, int64_t ld, int64_t h, const float *v,
                       float *out) {
  int64_t nv = h / 8 * 8, m = 0;
  float acc[8];
  for (; m + 4 < rows; m += 8) {
    const float *t[8];
    block_rows(t, 8, T, m, rows, ld);
    ROWS_BLOCK(v8f, 8, LD8, 8)
    v8f s = half1(half2(half4(a_[0], a_[1]), half4(a_[2], a_[3])),
                  half2(half4(a_[4], a_[5]), half4(a_[6], a_[7])));
    memcpy(acc, &s, sizeof s);
    rows_store(acc, t, 8, nv, h, v, m, rows, out);
  }
  if (m < rows) {
    const float *t[4];
    block_rows(t, 4, T, m, rows, ld);
    ROWS_BLOCK(v8f, 8, LD8, 4)
    v8f s = half1(half2(half4(a_[0], a_[1]), half4(a_[2], a_[3])), (v8f){0});
    memcpy(acc, &s, sizeof s);
    rows_store(acc, t, 4, nv, h, v, m, rows, out);
  }
}

/* Columns in blocks of eight vectors (so no multiply-add waits on the one
 * before it), then one vector, then one column. */
#define COLS_BODY(VT, W, LD, ST)                                          \
  int64_t j0 = 0;                                                         \
  for (; j0 + 8 * (W) <= h; j0 += 8 * (W)) {                              \
    VT a_[8] = {{0}};                                                     \
    for (int64_t m = 0; m < rows; m++) {                                  \
      const float *t = T + m * ld + j0;                                   \
      VT cm = (VT){0} + c[m];                                             \
      for (int i = 0; i < 8; i++) a_[i] += cm * LD(t + i * (W));          \
    }                                                                     \
    for (int i = 0; i < 8; i++) ST(out + j0 + i * (W), a_[i]);            \
  }                                                                       \
  for (; j0 + (W) <= h; j0 += (W)) {                                      \
    VT a0 = {0};                                                          \
    for (int64_t m = 0; m < rows; m++) a0 += ((VT){0} + c[m]) * LD(T + m * ld + j0); \
    ST(out + j0, a0);                                                     \
  }                                                                       \
  for (; j0 < h; j0++) {                                                  \
    float a1 = 0;                                                         \
    for (int64_t m = 0; m < rows; m++) a1 += c[m] * T[m * ld + j0];       \
    out[j0] = a1;                                                         \
  }

V4 static void cols_v4(const float *T, int64_t rows, int64_t ld, int64_t h, const float *c,
                       float *out) {
  COLS_BODY(v16f, 16, LD16, ST16)
}

V3 static void cols_v3(const float *T, int64_t rows, int64_t ld, int64_t h, const float *c,
                       float *out) {
  COLS_BODY(v8f, 8, LD8, ST8)
}
#endif

typedef void (*pass_fn)(const float *, int64_t, int64_t, int64_t, const float *, float *);
static _Atomic(pass_fn) rows_impl, cols_impl;

int cn_k_spec_isa(int level) {
  pass_fn r = rows_plain, c = cols_plain;
  int got = 1;
#ifdef CN_SPEC_DISPATCH
  __builtin_cpu_init();
  bool v4 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
            __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
  bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if ((level == 0 || level >= 4) && v4)
    r = rows_v4, c = cols_v4, got = 4;
  else if ((level == 0 || level >= 3) && v3)
    r = rows_v3, c = cols_v3, got = 3;
#else
  (void)level;
#endif
  atomic_store(&rows_impl, r);
  atomic_store(&cols_impl, c);
  return got;
}

/* The version chosen for a pass, choosing the CPU's best at the first
 * call. */
static pass_fn chosen(_Atomic(pass_fn) *impl) {
  pass_fn f = atomic_load_explicit(impl, memory_order_relaxed);
  if (!f) {
    cn_k_spec_isa(0);
    f = atomic_load(impl);
  }
  return f;
}

void cn_k_spec_rows_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *v, float *out) {
  chosen(&rows_impl)(T, rows, ld, h, v, out);
}

void cn_k_spec_cols_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *c, float *out) {
  chosen(&cols_impl)(T, rows, ld, h, c, out);
}

CN_CLONES
void cn_k_spec_rows_f64(const double *T, int64_t rows, int64_t ld, int64_t h,
                        const double *v, double *out) {
  for (int64_t m = 0; m < rows; m += 8) {
    PLAIN_ROWS8(double);
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
