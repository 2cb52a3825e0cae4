/* canns — CPU elementwise kernels (see elementwise.h).
 *
 * One explicit loop per (operation, dtype) pair, written out through two
 * small macros so that every inner loop is a plain `for` the compiler can
 * vectorise.  Threads are handled by the caller.
 */
#include "cpu/elementwise.h"

#include <math.h>
#include <stdint.h>

/* Binary loops: a and b may be broadcast scalars (stride 0). */
#define LOOP2(T, OT, EXPR)                                                    \
  do {                                                                        \
    const T *A = a;                                                           \
    const T *B = b;                                                           \
    OT *O = out;                                                              \
    if (sa && sb) {                                                           \
      for (int64_t i = 0; i < n; i++) { T x = A[i], y = B[i]; O[i] = (EXPR); } \
    } else if (sa) {                                                          \
      T y = B[0];                                                             \
      for (int64_t i = 0; i < n; i++) { T x = A[i]; O[i] = (EXPR); }          \
    } else if (sb) {                                                          \
      T x = A[0];                                                             \
      for (int64_t i = 0; i < n; i++) { T y = B[i]; O[i] = (EXPR); }          \
    } else {                                                                  \
      T x = A[0], y = B[0];                                                   \
      for (int64_t i = 0; i < n; i++) O[i] = (EXPR);                          \
    }                                                                         \
  } while (0)

/* Integer helpers on int64 (int32 and bool operands are widened first).
 * y == -1 is answered without dividing: INT64_MIN % -1 overflows (x86
 * traps).  ipow works modulo 2^64 in unsigned arithmetic, so it wraps
 * like numpy's power instead of overflowing a signed type. */
static inline int64_t imod(int64_t x, int64_t y) {
  if (y == 0 || y == -1) return 0;
  int64_t r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}
static inline int64_t ipow(int64_t x, int64_t y) {
  if (y < 0) return x == 1 ? 1 : (x == -1 ? (y % 2 ? -1 : 1) : 0);
  uint64_t r = 1, b = (uint64_t)x;
  while (y) {
    if (y & 1) r *= b;
    y >>= 1;
    if (y) b *= b;
  }
  return (int64_t)r;
}

static void binop_f32(cn_binop op, const void *a, int64_t sa, const void *b,
                      int64_t sb, void *out, int64_t n) {
  switch (op) {
  case CN_ADD: LOOP2(float, float, x + y); break;
  case CN_SUB: LOOP2(float, float, x - y); break;
  case CN_MUL: LOOP2(float, float, x * y); break;
  case CN_DIV: LOOP2(float, float, x / y); break;
  case CN_POW: LOOP2(float, float, powf(x, y)); break;
  case CN_MOD: LOOP2(float, float, cn_remainderf(x, y)); break;
  case CN_MAXIMUM: LOOP2(float, float, (x != x || x > y) ? x : y); break;
  case CN_MINIMUM: LOOP2(float, float, (x != x || x < y) ? x : y); break;
  case CN_ATAN2: LOOP2(float, float, atan2f(x, y)); break;
  case CN_EQ: LOOP2(float, uint8_t, x == y); break;
  case CN_NE: LOOP2(float, uint8_t, x != y); break;
  case CN_LT: LOOP2(float, uint8_t, x < y); break;
  case CN_LE: LOOP2(float, uint8_t, x <= y); break;
  case CN_GT: LOOP2(float, uint8_t, x > y); break;
  case CN_GE: LOOP2(float, uint8_t, x >= y); break;
  default: break;
  }
}

static void binop_f64(cn_binop op, const void *a, int64_t sa, const void *b,
                      int64_t sb, void *out, int64_t n) {
  switch (op) {
  case CN_ADD: LOOP2(double, double, x + y); break;
  case CN_SUB: LOOP2(double, double, x - y); break;
  case CN_MUL: LOOP2(double, double, x * y); break;
  case CN_DIV: LOOP2(double, double, x / y); break;
  case CN_POW: LOOP2(double, double, pow(x, y)); break;
  case CN_MOD: LOOP2(double, double, cn_remainder(x, y)); break;
  case CN_MAXIMUM: LOOP2(double, double, (x != x || x > y) ? x : y); break;
  case CN_MINIMUM: LOOP2(double, double, (x != x || x < y) ? x : y); break;
  case CN_ATAN2: LOOP2(double, double, atan2(x, y)); break;
  case CN_EQ: LOOP2(double, uint8_t, x == y); break;
  case CN_NE: LOOP2(double, uint8_t, x != y); break;
  case CN_LT: LOOP2(double, uint8_t, x < y); break;
  case CN_LE: LOOP2(double, uint8_t, x <= y); break;
  case CN_GT: LOOP2(double, uint8_t, x > y); break;
  case CN_GE: LOOP2(double, uint8_t, x >= y); break;
  default: break;
  }
}

/* Integer arithmetic wraps (computed in unsigned) as numpy's does.  DIV
 * and ATAN2 never reach these: the caller computes them in float64. */
#define INT_BINOP(T, UT)                                                      \
  static void binop_##T(cn_binop op, const void *a, int64_t sa,               \
                        const void *b, int64_t sb, void *out, int64_t n) {    \
    switch (op) {                                                             \
    case CN_ADD: LOOP2(T, T, (T)((UT)x + (UT)y)); break;                      \
    case CN_SUB: LOOP2(T, T, (T)((UT)x - (UT)y)); break;                      \
    case CN_MUL: LOOP2(T, T, (T)((UT)x * (UT)y)); break;                      \
    case CN_POW: LOOP2(T, T, (T)ipow(x, y)); break;                           \
    case CN_MOD: LOOP2(T, T, (T)imod(x, y)); break;                           \
    case CN_MAXIMUM: LOOP2(T, T, x > y ? x : y); break;                       \
    case CN_MINIMUM: LOOP2(T, T, x < y ? x : y); break;                       \
    case CN_EQ: LOOP2(T, uint8_t, x == y); break;                             \
    case CN_NE: LOOP2(T, uint8_t, x != y); break;                             \
    case CN_LT: LOOP2(T, uint8_t, x < y); break;                              \
    case CN_LE: LOOP2(T, uint8_t, x <= y); break;                             \
    case CN_GT: LOOP2(T, uint8_t, x > y); break;                              \
    case CN_GE: LOOP2(T, uint8_t, x >= y); break;                             \
    default: break;                                                           \
    }                                                                         \
  }
INT_BINOP(int32_t, uint32_t)
INT_BINOP(int64_t, uint64_t)
INT_BINOP(uint8_t, uint8_t)

void cn_k_binop(cn_binop op, cn_dtype t, const void *a, int64_t sa,
                const void *b, int64_t sb, void *out, int64_t n) {
  switch (t) {
  case CN_FLOAT32: binop_f32(op, a, sa, b, sb, out, n); break;
  case CN_FLOAT64: binop_f64(op, a, sa, b, sb, out, n); break;
  case CN_INT32: binop_int32_t(op, a, sa, b, sb, out, n); break;
  case CN_INT64: binop_int64_t(op, a, sa, b, sb, out, n); break;
  case CN_BOOL: binop_uint8_t(op, a, sa, b, sb, out, n); break;
  default: break;
  }
}

#define LOOP1(T, OT, EXPR)                                                    \
  do {                                                                        \
    const T *A = a;                                                           \
    OT *O = out;                                                              \
    for (int64_t i = 0; i < n; i++) { T x = A[i]; (void)x; O[i] = (EXPR); }   \
  } while (0)

static void unop_f32(cn_unop op, const void *a, void *out, int64_t n) {
  switch (op) {
  case CN_NEG: LOOP1(float, float, -x); break;
  case CN_EXP: LOOP1(float, float, expf(x)); break;
  case CN_LOG: LOOP1(float, float, logf(x)); break;
  case CN_SQRT: LOOP1(float, float, sqrtf(x)); break;
  case CN_SIN: LOOP1(float, float, sinf(x)); break;
  case CN_COS: LOOP1(float, float, cosf(x)); break;
  case CN_TAN: LOOP1(float, float, tanf(x)); break;
  case CN_ABS: LOOP1(float, float, fabsf(x)); break;
  case CN_SQUARE: LOOP1(float, float, x * x); break;
  case CN_TANH: LOOP1(float, float, tanhf(x)); break;
  case CN_FLOOR: LOOP1(float, float, floorf(x)); break;
  case CN_CEIL: LOOP1(float, float, ceilf(x)); break;
  case CN_ROUND: LOOP1(float, float, nearbyintf(x)); break;
  case CN_SIGN: LOOP1(float, float, x > 0 ? 1.0f : (x < 0 ? -1.0f : x)); break;
  case CN_ISNAN: LOOP1(float, uint8_t, x != x); break;
  case CN_ISFINITE: LOOP1(float, uint8_t, isfinite(x) != 0); break;
  case CN_NOT: LOOP1(float, uint8_t, x == 0); break;
  case CN_ARCSIN: LOOP1(float, float, asinf(x)); break;
  case CN_ARCCOS: LOOP1(float, float, acosf(x)); break;
  case CN_ARCTAN: LOOP1(float, float, atanf(x)); break;
  case CN_EXPM1: LOOP1(float, float, expm1f(x)); break;
  case CN_LOG1P: LOOP1(float, float, log1pf(x)); break;
  default: break;
  }
}

static void unop_f64(cn_unop op, const void *a, void *out, int64_t n) {
  switch (op) {
  case CN_NEG: LOOP1(double, double, -x); break;
  case CN_EXP: LOOP1(double, double, exp(x)); break;
  case CN_LOG: LOOP1(double, double, log(x)); break;
  case CN_SQRT: LOOP1(double, double, sqrt(x)); break;
  case CN_SIN: LOOP1(double, double, sin(x)); break;
  case CN_COS: LOOP1(double, double, cos(x)); break;
  case CN_TAN: LOOP1(double, double, tan(x)); break;
  case CN_ABS: LOOP1(double, double, fabs(x)); break;
  case CN_SQUARE: LOOP1(double, double, x * x); break;
  case CN_TANH: LOOP1(double, double, tanh(x)); break;
  case CN_FLOOR: LOOP1(double, double, floor(x)); break;
  case CN_CEIL: LOOP1(double, double, ceil(x)); break;
  case CN_ROUND: LOOP1(double, double, nearbyint(x)); break;
  case CN_SIGN: LOOP1(double, double, x > 0 ? 1.0 : (x < 0 ? -1.0 : x)); break;
  case CN_ISNAN: LOOP1(double, uint8_t, x != x); break;
  case CN_ISFINITE: LOOP1(double, uint8_t, isfinite(x) != 0); break;
  case CN_NOT: LOOP1(double, uint8_t, x == 0); break;
  case CN_ARCSIN: LOOP1(double, double, asin(x)); break;
  case CN_ARCCOS: LOOP1(double, double, acos(x)); break;
  case CN_ARCTAN: LOOP1(double, double, atan(x)); break;
  case CN_EXPM1: LOOP1(double, double, expm1(x)); break;
  case CN_LOG1P: LOOP1(double, double, log1p(x)); break;
  default: break;
  }
}

/* Integer unary operations that keep the dtype (others are computed on a
 * float copy by the caller). */
#define INT_UNOP(T, UT)                                                       \
  static void unop_##T(cn_unop op, const void *a, void *out, int64_t n) {     \
    switch (op) {                                                             \
    case CN_NEG: LOOP1(T, T, (T)(0 - (UT)x)); break;                          \
    case CN_ABS: LOOP1(T, T, x < 0 ? (T)(0 - (UT)x) : x); break;              \
    case CN_SQUARE: LOOP1(T, T, (T)((UT)x * (UT)x)); break;                   \
    case CN_SIGN: LOOP1(T, T, (T)((x > 0) - (x < 0))); break;                 \
    case CN_FLOOR: case CN_CEIL: case CN_ROUND: LOOP1(T, T, x); break;        \
    case CN_ISNAN: LOOP1(T, uint8_t, 0); break;                               \
    case CN_ISFINITE: LOOP1(T, uint8_t, 1); break;                            \
    case CN_NOT: LOOP1(T, uint8_t, x == 0); break;                            \
    default: break;                                                           \
    }                                                                         \
  }
INT_UNOP(int32_t, uint32_t)
INT_UNOP(int64_t, uint64_t)
INT_UNOP(uint8_t, uint8_t)

void cn_k_unop(cn_unop op, cn_dtype t, const void *a, void *out, int64_t n) {
  switch (t) {
  case CN_FLOAT32: unop_f32(op, a, out, n); break;
  case CN_FLOAT64: unop_f64(op, a, out, n); break;
  case CN_INT32: unop_int32_t(op, a, out, n); break;
  case CN_INT64: unop_int64_t(op, a, out, n); break;
  case CN_BOOL: unop_uint8_t(op, a, out, n); break;
  default: break;
  }
}

void cn_k_clip(cn_dtype t, const void *a, double lo, double hi, void *out,
               int64_t n) {
  switch (t) {
  case CN_FLOAT32: {
    float l = (float)lo, h = (float)hi;
    LOOP1(float, float, x < l ? l : (x > h ? h : x));
    break;
  }
  case CN_FLOAT64: LOOP1(double, double, x < lo ? lo : (x > hi ? hi : x)); break;
  case CN_INT32: { /* both bounds inside int32, so the casts are exact */
    double l = fmin(fmax(ceil(lo), -2147483648.0), 2147483647.0);
    double h = fmin(fmax(floor(hi), -2147483648.0), 2147483647.0);
    LOOP1(int32_t, int32_t, x < l ? (int32_t)l : (x > h ? (int32_t)h : x));
    break;
  }
  case CN_INT64: {
    double l = ceil(lo), h = floor(hi); /* caller keeps |bounds| < 9.2e18 */
    LOOP1(int64_t, int64_t, (double)x < l ? (int64_t)l : ((double)x > h ? (int64_t)h : x));
    break;
  }
  case CN_BOOL: { /* bounds inside 0..1: the result stays a valid bool */
    double l = fmin(fmax(ceil(lo), 0), 1), h = fmin(fmax(floor(hi), 0), 1);
    LOOP1(uint8_t, uint8_t, x < l ? (uint8_t)l : (x > h ? (uint8_t)h : x));
    break;
  }
  default: break;
  }
}
