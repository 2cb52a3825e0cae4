/* canns — CPU elementwise kernels.
 *
 * Each kernel works on one contiguous run of n elements of a single dtype.
 * The strides sa/sb are 0 (broadcast a scalar) or 1.  Kernels allocate
 * nothing; the caller (src/core/ops.c) handles shapes, dtypes and threads.
 */
#ifndef CANNS_KERNELS_ELEMENTWISE_H
#define CANNS_KERNELS_ELEMENTWISE_H

#include <stdint.h>

#include "canns/array.h"

/* out[i] = a[i*sa] op b[i*sb]; dtype of a, b and out is t (comparisons
 * write uint8 to out).  For integer t, DIV and ATAN2 are not computed
 * (the caller promotes them to float64). */
void cn_k_binop(cn_binop op, cn_dtype t, const void *a, int64_t sa,
                const void *b, int64_t sb, void *out, int64_t n);
/* out[i] = op(a[i]); ops producing bool write uint8. */
void cn_k_unop(cn_unop op, cn_dtype t, const void *a, void *out, int64_t n);
void cn_k_clip(cn_dtype t, const void *a, double lo, double hi, void *out,
               int64_t n);

/* Python/JAX remainder: result has the sign of y (as upstream's period helpers use it). */
static inline float cn_remainderf(float x, float y) {
  float r = __builtin_fmodf(x, y);
  if (r != 0.0f && ((r < 0.0f) != (y < 0.0f))) r = r + y;
  return r;
}
static inline double cn_remainder(double x, double y) {
  double r = __builtin_fmod(x, y);
  if (r != 0.0 && ((r < 0.0) != (y < 0.0))) r = r + y;
  return r;
}

#endif
