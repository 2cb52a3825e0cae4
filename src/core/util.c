/* canns — memory helpers, dtype conversion and thread settings. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

#define BLOCK ((size_t)1 << 20)

static int nthreads_override = 0;

int cn_num_threads(void) {
  return nthreads_override > 0 ? nthreads_override : omp_get_max_threads();
}

void cn_set_num_threads(int n) { nthreads_override = n > 0 ? n : 0; }

int cn_threads_for(int64_t n) {
  if (n < CN_OMP_MIN_ELEMS) return 1;
  int t = cn_num_threads();
  int64_t most = n / (CN_OMP_MIN_ELEMS / 2);
  return most < t ? (int)(most < 1 ? 1 : most) : t;
}

/* Small copies and fills run inline: even a one-thread OpenMP region costs
 * a libgomp call, which dominated single-element writes (cn_array_setd). */
void cn_memset_par(void *dst, int c, size_t bytes) {
  if (bytes <= BLOCK) {
    memset(dst, c, bytes);
    return;
  }
  size_t nb = (bytes + BLOCK - 1) / BLOCK;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for((int64_t)bytes / 4)) if(nb > 1)
  for (size_t b = 0; b < nb; b++) {
    size_t o = b * BLOCK, m = bytes - o < BLOCK ? bytes - o : BLOCK;
    memset((char *)dst + o, c, m);
  }
}

void cn_memcpy_par(void *dst, const void *src, size_t bytes) {
  if (bytes <= BLOCK) {
    memcpy(dst, src, bytes);
    return;
  }
  size_t nb = (bytes + BLOCK - 1) / BLOCK;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for((int64_t)bytes / 4)) if(nb > 1)
  for (size_t b = 0; b < nb; b++) {
    size_t o = b * BLOCK, m = bytes - o < BLOCK ? bytes - o : BLOCK;
    memcpy((char *)dst + o, (const char *)src + o, m);
  }
}

void cn_fill_pattern(void *data, size_t es, int64_t n) {
  switch (es) {
  case 1: memset((char *)data + 1, *(uint8_t *)data, n - 1); break;
  case 4: {
    uint32_t v = *(uint32_t *)data, *p = data;
    if (cn_threads_for(n) == 1) {
      for (int64_t i = 1; i < n; i++) p[i] = v;
      break;
    }
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n))
    for (int64_t i = 1; i < n; i++) p[i] = v;
    break;
  }
  case 8: {
    uint64_t v = *(uint64_t *)data, *p = data;
    if (cn_threads_for(n) == 1) {
      for (int64_t i = 1; i < n; i++) p[i] = v;
      break;
    }
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n))
    for (int64_t i = 1; i < n; i++) p[i] = v;
    break;
  }
  default: break;
  }
}

/* Float to integer conversion that never invokes undefined behaviour:
 * NaN gives 0, out-of-range values saturate. */
static inline int64_t f2i64(double x) {
  if (!(x == x)) return 0;
  if (x >= 9.2233720368547758e18) return INT64_MAX;
  if (x <= -9.2233720368547758e18) return INT64_MIN;
  return (int64_t)x;
}
static inline int32_t f2i32(double x) {
  if (!(x == x)) return 0;
  if (x >= 2147483647.0) return INT32_MAX;
  if (x <= -2147483648.0) return INT32_MIN;
  return (int32_t)x;
}

#define CONVERT_FROM(ST)                                                      \
  do {                                                                        \
    const ST *s = src;                                                        \
    switch (dt) {                                                             \
    case CN_FLOAT32: { float *d = dst; for (int64_t i = 0; i < n; i++) d[i] = (float)s[i]; } break; \
    case CN_FLOAT64: { double *d = dst; for (int64_t i = 0; i < n; i++) d[i] = (double)s[i]; } break; \
    case CN_INT32: { int32_t *d = dst; for (int64_t i = 0; i < n; i++) d[i] = f2i32((double)s[i]); } break; \
    case CN_INT64: { int64_t *d = dst; for (int64_t i = 0; i < n; i++) d[i] = f2i64((double)s[i]); } break; \
    case CN_BOOL: { uint8_t *d = dst; for (int64_t i = 0; i < n; i++) d[i] = s[i] != 0; } break; \
    default: break;                                                           \
    }                                                                         \
  } while (0)

void cn_convert(const void *src, cn_dtype st, void *dst, cn_dtype dt,
                int64_t n) {
  if (st == dt) {
    if (src != dst) cn_memcpy_par(dst, src, (size_t)n * cn_dtype_size(st));
    return;
  }
  switch (st) {
  case CN_FLOAT32: CONVERT_FROM(float); break;
  case CN_FLOAT64: CONVERT_FROM(double); break;
  case CN_INT32: CONVERT_FROM(int32_t); break;
  case CN_INT64:
    if (dt == CN_INT32) { /* exact wrap-free narrowing with saturation */
      const int64_t *s = src;
      int32_t *d = dst;
      for (int64_t i = 0; i < n; i++)
        d[i] = s[i] > INT32_MAX ? INT32_MAX : (s[i] < INT32_MIN ? INT32_MIN : (int32_t)s[i]);
    } else {
      CONVERT_FROM(int64_t);
    }
    break;
  case CN_BOOL: CONVERT_FROM(uint8_t); break;
  default: break;
  }
}

#define TBLK 32
#define TRANSPOSE_BODY(T)                                                     \
  _Pragma("omp parallel for schedule(static) num_threads(cn_threads_for(rows * cols))") \
  for (int64_t i0 = 0; i0 < rows; i0 += TBLK)                                 \
    for (int64_t j0 = 0; j0 < cols; j0 += TBLK)                               \
      for (int64_t i = i0; i < rows && i < i0 + TBLK; i++)                    \
        for (int64_t j = j0; j < cols && j < j0 + TBLK; j++)                  \
          out[j * rows + i] = a[i * cols + j];

void cn_transpose2d_f32(const float *a, float *out, int64_t rows, int64_t cols) {
  TRANSPOSE_BODY(float)
}
void cn_transpose2d_f64(const double *a, double *out, int64_t rows, int64_t cols) {
  TRANSPOSE_BODY(double)
}
