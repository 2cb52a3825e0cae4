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

void cn_k_racc_fold(cn_racc *acc, cn_redop op, cn_dtype t, const void *x,
                    int64_t len, int64_t stride, int64_t first, double mean) {
  if (op == CN_SUM && !cn_dtype_is_float(t)) {
    fold_int_sum(acc, t, x, len, stride);
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
