/* canns — CPU reduction kernels.
 *
 * Reductions read any dtype and accumulate in double (int64 for integer
 * sums), always in the same order for a given input size, so the result
 * does not depend on the thread count.
 */
#ifndef CANNS_KERNELS_REDUCE_H
#define CANNS_KERNELS_REDUCE_H

#include <stdint.h>

#include "canns/array.h"

/* Accumulator for one output element. */
typedef struct cn_racc {
  double s;      /* sum / product / extreme value            */
  int64_t is;    /* integer sum                              */
  int64_t arg;   /* position of the extreme value            */
  int64_t n;     /* elements seen                            */
  int nan;       /* a NaN was seen                           */
} cn_racc;

void cn_k_racc_init(cn_racc *acc, cn_redop op);
/* Fold len elements x[k*stride] (k = 0..len-1, dtype t) into acc; `first`
 * is the position of x[0] along the reduced axis (for argmax/argmin).
 * For std/var, `mean` is the mean found by a first CN_MEAN pass. */
void cn_k_racc_fold(cn_racc *acc, cn_redop op, cn_dtype t, const void *x,
                    int64_t len, int64_t stride, int64_t first, double mean);
/* Strided float reductions done a row at a time: for k in 0..len-1 fold
 * x[k*inner + i0 + i] (i < m) into acc[i] (sum/mean, squared deviations
 * from mean[i] for std/var, running max/min with a NaN flag).  float32 or
 * float64 input. */
void cn_k_rows_fold(cn_redop op, cn_dtype t, const void *x, int64_t len,
                    int64_t inner, int64_t i0, int64_t m, double *acc,
                    const double *mean, uint8_t *nan);
/* Combine b (covering later elements) into a. */
void cn_k_racc_merge(cn_racc *a, const cn_racc *b, cn_redop op);

#endif
