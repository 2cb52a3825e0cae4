/* canns — run the models' BLAS products on the calling thread (internal).
 *
 * OpenBLAS's worker threads are created when the library loads, so they
 * do not inherit the flush-to-zero mode the model steps set (ftz.h): a
 * product that underflows there costs a microcode assist per element
 * (CANN2D_SFA on the dense path: 20x slower) and rounds differently from
 * the calling thread.  The matrix products of a step are small, so they
 * run single-threaded: fast, and independent of the thread count.  The
 * setting is process-wide while the product runs. */
#ifndef CANNS_MODELS_BLAS1_H
#define CANNS_MODELS_BLAS1_H

#include <cblas.h>

static inline int cn_blas1_begin(void) {
  int n = openblas_get_num_threads();
  if (n > 1) openblas_set_num_threads(1);
  return n;
}

static inline void cn_blas1_end(int n) {
  if (n > 1) openblas_set_num_threads(n);
}

#endif
