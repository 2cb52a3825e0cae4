/* canns — CPU reduction kernels (see reduce.h). */
#include "cpu/reduce.h"

#include <math.h>

void cn_k_racc_init(cn_racc *acc, cn_redop op) {
  acc->is = 0;
  acc->arg = -1;
  acc->n = 0;
  acc->nan = 0;
  switch (op) {
  case CN_PROD: case CN_ALL: acc->s = 1; break;
  case CN_MAX: case CN_ARGMAX: acc->s = -INFINITY; break;
  case CN_MIN: case CN_ARGMIN: acc->s = INFINITY; break;
  default: acc->s = 0; break;
  }
}

/* Load up to 256 elements into doubles. */
static void load(double *buf, cn_dtype t, const void *x, int64_t k0,
                 int64_t m, int64_t stride) {
  switch (t) {
  case CN_FLOAT32: { const float *p = x; for (int64_t k = 0; k < m; k++) buf[k] = p[(k0 + k) * stride]; } break;
  case CN_FLOAT64: { const double *p = x; for (int64_t k = 0; k < m; k++) buf[k] = p[(k0 + k) * stride]; } break;
  case CN_INT32: { const int32_t *p = x; for (int64_t k = 0; k < m; k++) buf[k] = p[(k0 + k) * stride]; } break;
  case CN_INT64: { const int64_t *p = x; for (int64_t k = 0; k < m; k++) buf[k] = (double)p[(k0 + k) * stride]; } break;
  case CN_BOOL: { const uint8_t *p = x; for (int64_t k = 0; k < m; k++) buf[k] = p[(k0 + k) * stride]; } break;
  default: break;
  }
}

static void fold_int_sum(cn_racc *acc, cn_dtype t, const void *x, int64_t len,
                         int64_t stride) {
  uint64_t s = (uint64_t)acc->is;
  switch (t) {
  case CN_INT32: { const int32_t *p = x; for (int64_t k = 0; k < len; k++) s += (uint64_t)(int64_t)p[k * stride]; } break;
  case CN_INT64: { const int64_t *p = x; for (int64_t k = 0; k < len; k++) s += (uint64_t)p[k * stride]; } break;
  case CN_BOOL: { const uint8_t *p = x; for (int64_t k = 0; k < len; k++) s += p[k * stride]; } break;
  default: break;
  }
  acc->is = (int64_t)s;
  acc->n += len;
}

/* Contiguous float runs: 8 independent double accumulators (a fixed
 * order, so still deterministic) let the compiler vectorise the loop. */
#define FAST_SUM(T)                                                           \
  do {                                                                        \
    const T *p = x;                                                           \
    double s8[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                  \
    int64_t k = 0;                                                            \
    if (op == CN_STD || op == CN_VAR) {                                       \
      for (; k + 8 <= len; k += 8)                                            \
        for (int j = 0; j < 8; j++) { double d = p[k + j] - mean; s8[j] += d * d; } \
      for (; k < len; k++) { double d = p[k] - mean; s8[0] += d * d; }       \
    } else {                                                                  \
      for (; k + 8 <= len; k += 8)                                            \
        for (int j = 0; j < 8; j++) s8[j] += p[k + j];                        \
      for (; k < len; k++) s8[0] += p[k];                                     \
    }                                                                         \
    acc->s += ((s8[0] + s8[1]) + (s8[2] + s8[3])) + ((s8[4] + s8[5]) + (s8[6] + s8[7])); \
  } while (0)

#define FAST_EXT(T, CMP)                                                      \
  do {                                                                        \
    const T *p = x;                                                           \
    T m = p[0];                                                               \
    int nan = 0;                                                              \
    for (int64_t k = 0; k < len; k++) {                                       \
      T v = p[k];                                                             \
      nan |= v != v;                                                          \
      m = (v CMP m) ? v : m;                                                  \
    }                                                                         \
    if (nan) {                                                                \
      if (!acc->nan) { acc->nan = 1; acc->arg = first; }                      \
    } else if (!acc->nan && (acc->arg < 0 || (double)m CMP acc->s)) {         \
      acc->s = m;                                                             \
      acc->arg = first;                                                       \
    }                                                                         \
  } while (0)

static int fold_fast(cn_racc *acc, cn_redop op, cn_dtype t, const void *x,
                     int64_t len, int64_t first, double mean) {
  if (len == 0) return 1;
  switch (op) {
  case CN_SUM: case CN_MEAN: case CN_STD: case CN_VAR:
    if (t == CN_FLOAT32) FAST_SUM(float);
    else FAST_SUM(double);
    return 1;
  case CN_MAX: /* arg is only a marker here: plain max/min need no index */
    if (t == CN_FLOAT32) FAST_EXT(float, >);
    else FAST_EXT(double, >);
    return 1;
  case CN_MIN:
    if (t == CN_FLOAT32) FAST_EXT(float, <);
    else FAST_EXT(double, <);
    return 1;
  default:
    return 0;
  }
}

void cn_k_racc_fold(cn_racc *acc, cn_redop op, cn_dtype t, const void *x,
                    int64_t len, int64_t stride, int64_t first, double mean) {
  if (op == CN_SUM && !cn_dtype_is_float(t)) {
    fold_int_sum(acc, t, x, len, stride);
    return;
  }
  if (stride == 1 && cn_dtype_is_float(t) && fold_fast(acc, op, t, x, len, first, mean)) {
    acc->n += len;
    return;
  }
  double buf[256];
  for (int64_t k0 = 0; k0 < len; k0 += 256) {
    int64_t m = len - k0 < 256 ? len - k0 : 256;
    load(buf, t, x, k0, m, stride);
    switch (op) {
    case CN_SUM: case CN_MEAN: {
      double s = acc->s;
      for (int64_t k = 0; k < m; k++) s += buf[k];
      acc->s = s;
    } break;
    case CN_PROD: {
      double s = acc->s;
      for (int64_t k = 0; k < m; k++) s *= buf[k];
      acc->s = s;
    } break;
    case CN_STD: case CN_VAR: {
      double s = acc->s;
      for (int64_t k = 0; k < m; k++) { double d = buf[k] - mean; s += d * d; }
      acc->s = s;
    } break;
    case CN_MAX: case CN_ARGMAX:
      for (int64_t k = 0; k < m; k++) {
        double v = buf[k];
        if (v != v) { if (!acc->nan) { acc->nan = 1; acc->arg = first + k0 + k; } }
        else if (!acc->nan && (acc->arg < 0 || v > acc->s)) { acc->s = v; acc->arg = first + k0 + k; }
      }
      break;
    case CN_MIN: case CN_ARGMIN:
      for (int64_t k = 0; k < m; k++) {
        double v = buf[k];
        if (v != v) { if (!acc->nan) { acc->nan = 1; acc->arg = first + k0 + k; } }
        else if (!acc->nan && (acc->arg < 0 || v < acc->s)) { acc->s = v; acc->arg = first + k0 + k; }
      }
      break;
    case CN_ANY:
      for (int64_t k = 0; k < m; k++) if (buf[k] != 0) acc->s = 1;
      break;
    case CN_ALL:
      for (int64_t k = 0; k < m; k++) if (buf[k] == 0) acc->s = 0;
      break;
    default: break;
    }
  }
  acc->n += len;
}

#define ROWS_FOLD(T)                                                          \
  do {                                                                        \
    const T *p = (const T *)x + k * inner + i0;                               \
    switch (op) {                                                             \
    case CN_SUM: case CN_MEAN: for (int64_t i = 0; i < m; i++) acc[i] += p[i]; break; \
    case CN_STD: case CN_VAR:                                                 \
      for (int64_t i = 0; i < m; i++) { double d = p[i] - mean[i]; acc[i] += d * d; } \
      break;                                                                  \
    case CN_MAX:                                                              \
      for (int64_t i = 0; i < m; i++) { nan[i] |= p[i] != p[i]; acc[i] = p[i] > acc[i] ? p[i] : acc[i]; } \
      break;                                                                  \
    case CN_MIN:                                                              \
      for (int64_t i = 0; i < m; i++) { nan[i] |= p[i] != p[i]; acc[i] = p[i] < acc[i] ? p[i] : acc[i]; } \
      break;                                                                  \
    default: break;                                                           \
    }                                                                         \
  } while (0)

void cn_k_rows_fold(cn_redop op, cn_dtype t, const void *x, int64_t len,
                    int64_t inner, int64_t i0, int64_t m, double *acc,
                    const double *mean, uint8_t *nan) {
  for (int64_t k = 0; k < len; k++) {
    if (t == CN_FLOAT32) ROWS_FOLD(float);
    else ROWS_FOLD(double);
  }
}

void cn_k_racc_merge(cn_racc *a, const cn_racc *b, cn_redop op) {
  switch (op) {
  case CN_SUM: case CN_MEAN: case CN_STD: case CN_VAR:
    a->s += b->s;
    a->is = (int64_t)((uint64_t)a->is + (uint64_t)b->is);
    break;
  case CN_PROD: a->s *= b->s; break;
  case CN_MAX: case CN_ARGMAX:
    if (!a->nan && b->arg >= 0 && (b->nan || b->s > a->s || a->arg < 0)) {
      a->s = b->s; a->arg = b->arg; a->nan = b->nan;
    }
    break;
  case CN_MIN: case CN_ARGMIN:
    if (!a->nan && b->arg >= 0 && (b->nan || b->s < a->s || a->arg < 0)) {
      a->s = b->s; a->arg = b->arg; a->nan = b->nan;
    }
    break;
  case CN_ANY: if (b->s != 0) a->s = 1; break;
  case CN_ALL: if (b->s == 0) a->s = 0; break;
  default: break;
  }
  a->n += b->n;
}
