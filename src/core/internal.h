/* canns — helpers shared inside libcanns (not part of the public API). */
#ifndef CANNS_CORE_INTERNAL_H
#define CANNS_CORE_INTERNAL_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canns/array.h"

/* Parallel memset/memcpy for large buffers. */
void cn_memset_par(void *dst, int c, size_t bytes);
void cn_memcpy_par(void *dst, const void *src, size_t bytes);

/* Map the pages of fresh buffers that are about to be written in full
 * (prefault.c): from a helper thread when more than one thread is
 * allowed, else at once.  A hint only (contents unchanged, nothing fails;
 * NULL when there is nothing to do: under CN_PREFAULT_MIN_BYTES, or every
 * sampled page of the buffers mapped already).  cn_prefault_end stops and joins the
 * helper; call it before the buffers are freed. */
typedef struct cn_prefault cn_prefault;
#define CN_PREFAULT_MIN_BYTES ((size_t)1 << 20)
cn_prefault *cn_prefault_start(void *const *bufs, const size_t *bytes, int n);
void cn_prefault_end(cn_prefault *pf);
/* Map the whole pages inside [p, p + bytes) for writing, now, in one call
 * (MADV_POPULATE_WRITE).  A hint: contents unchanged; false when the
 * kernel refuses (the writer then faults as usual). */
bool cn_populate(void *p, size_t bytes);
/* Large freed array buffers kept for reuse (recycle.c): give keeps p
 * (true; do not free it) when its capacity is between CN_RECYCLE_MIN and
 * CN_RECYCLE_MAX, freeing the oldest kept ones to make room; take returns
 * a kept buffer of at least `bytes` (at most a quarter more) or NULL;
 * drain frees them all. */
#define CN_RECYCLE_MIN ((size_t)4 << 20)
#define CN_RECYCLE_MAX ((size_t)256 << 20)
#define CN_RECYCLE_SLOTS 4
void *cn_recycle_take(size_t bytes);
bool cn_recycle_give(void *p);
void cn_recycle_drain(void);
/* Convert n elements between dtypes (float -> int truncates toward zero,
 * anything -> bool is x != 0). */
void cn_convert(const void *src, cn_dtype st, void *dst, cn_dtype dt,
                int64_t n);
/* Replicate the first element (of `es` bytes) over n elements. */
void cn_fill_pattern(void *data, size_t es, int64_t n);
void cn_transpose2d_f32(const float *a, float *out, int64_t rows, int64_t cols);
void cn_transpose2d_f64(const double *a, double *out, int64_t rows, int64_t cols);

/* For "%g" in messages: NaN prints as "nan" (not "-nan"). */
static inline double cn_fabs_nan(double v) { return isnan(v) ? fabs(v) : v; }

/* qsort order of int64_t values. */
static inline int cn_cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Number of threads to use for n elements of work. */
int cn_threads_for(int64_t n);

#endif
