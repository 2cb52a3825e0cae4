/* canns — n-d arrays.
 *
 * One array type crosses every boundary of the toolkit.  An array is
 * contiguous (C order), reference counted, and has one of five element
 * types.  Views (reshape, row ranges) share memory with their base array
 * and keep it alive.  All functions return a cn_status; results come back
 * through an out-parameter that the caller releases with cn_array_release.
 *
 *   cn_array *a;
 *   int64_t shape[2] = {3, 4};
 *   CN_TRY(cn_array_zeros(&a, CN_FLOAT32, 2, shape));
 *   ...
 *   cn_array_release(a);
 */
#ifndef CANNS_ARRAY_H
#define CANNS_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CN_MAXDIM 8

typedef enum cn_dtype {
  CN_FLOAT32 = 0,
  CN_FLOAT64,
  CN_INT32,
  CN_INT64,
  CN_BOOL, /* stored as one byte, 0 or 1 */
  CN_NDTYPES
} cn_dtype;

typedef struct cn_array {
  cn_dtype dtype;
  int ndim;                  /* 0 for a scalar (size 1) */
  int64_t shape[CN_MAXDIM];
  int64_t size;              /* product of shape */
  void *data;                /* first element, C-contiguous */
  struct cn_array *base;     /* owner of the memory for a view, else NULL */
  int refcount;              /* atomically updated */
  bool owns_data;
} cn_array;

/* --- element types -------------------------------------------------- */
size_t cn_dtype_size(cn_dtype t);
const char *cn_dtype_name(cn_dtype t);            /* "float32", ... */
cn_status cn_dtype_from_name(const char *name, cn_dtype *out);
bool cn_dtype_is_float(cn_dtype t);
/* The dtype of a binary operation between two arrays. */
cn_dtype cn_dtype_promote(cn_dtype a, cn_dtype b);

/* --- creation and lifetime ------------------------------------------ */
/* Largest number of bytes one array may hold (guards corrupt inputs). */
#define CN_ARRAY_MAX_BYTES ((int64_t)1 << 40)

/* Check a shape: 0 <= ndim <= CN_MAXDIM, every extent >= 0, and the total
 * byte size representable and <= CN_ARRAY_MAX_BYTES.  Sets *size. */
cn_status cn_shape_check(int ndim, const int64_t *shape, cn_dtype t,
                         int64_t *size);
cn_status cn_array_empty(cn_array **out, cn_dtype t, int ndim,
                         const int64_t *shape);
cn_status cn_array_zeros(cn_array **out, cn_dtype t, int ndim,
                         const int64_t *shape);
cn_status cn_array_full(cn_array **out, cn_dtype t, int ndim,
                        const int64_t *shape, double value);
/* 1-d helpers */
cn_status cn_array_new1(cn_array **out, cn_dtype t, int64_t n);
cn_status cn_array_new2(cn_array **out, cn_dtype t, int64_t n0, int64_t n1);
/* A new array with the shape of `like`. */
cn_status cn_array_empty_like(cn_array **out, const cn_array *like,
                              cn_dtype t);

cn_array *cn_array_retain(cn_array *a);
void cn_array_release(cn_array *a); /* NULL is fine */

/* --- shape and views ------------------------------------------------ */
bool cn_array_same_shape(const cn_array *a, const cn_array *b);
/* A view with a new shape of the same size; one extent may be -1. */
cn_status cn_array_reshape(cn_array **out, cn_array *a, int ndim,
                           const int64_t *shape);
/* Rows start..stop-1 (0-based, half-open) of axis 0, as a view. */
cn_status cn_array_rows(cn_array **out, cn_array *a, int64_t start,
                        int64_t stop);
/* Element i of axis 0 as a view with one dimension less. */
cn_status cn_array_select(cn_array **out, cn_array *a, int64_t i);
/* start..stop-1 with step along any axis: a view for axis 0, step 1;
 * otherwise a copy. */
cn_status cn_array_slice(cn_array **out, cn_array *a, int axis, int64_t start,
                         int64_t stop, int64_t step);
/* Permute axes (perm NULL reverses them).  Always a copy. */
cn_status cn_array_transpose(cn_array **out, const cn_array *a,
                             const int *perm);
cn_status cn_array_copy(cn_array **out, const cn_array *a);
cn_status cn_array_astype(cn_array **out, const cn_array *a, cn_dtype t);
/* Copy src into dst (same size; dtype converted). */
cn_status cn_array_assign(cn_array *dst, const cn_array *src);
/* Concatenate along an axis. */
cn_status cn_array_concat(cn_array **out, cn_array *const *arrs, int n,
                          int axis);

/* --- elements ------------------------------------------------------- */
double cn_array_getd(const cn_array *a, int64_t flat);
void cn_array_setd(cn_array *a, int64_t flat, double v);
cn_status cn_array_fill(cn_array *a, double v);
/* Flat (row-major) offset of a 0-based multi-index, bounds checked. */
cn_status cn_array_offset(const cn_array *a, int n, const int64_t *idx,
                          int64_t *flat);

static inline float *cn_f32(const cn_array *a) { return (float *)a->data; }
static inline double *cn_f64(const cn_array *a) { return (double *)a->data; }

/* --- creation routines ---------------------------------------------- */
/* JAX/float32 semantics of jax.numpy.linspace (float64: same formula in
 * double). */
cn_status cn_linspace(cn_array **out, double start, double stop, int64_t n,
                      bool endpoint, cn_dtype t);
cn_status cn_arange(cn_array **out, double start, double stop, double step,
                    cn_dtype t);

/* --- elementwise operations ----------------------------------------- */
typedef enum cn_binop {
  CN_ADD, CN_SUB, CN_MUL, CN_DIV, CN_POW, CN_MOD, CN_MAXIMUM, CN_MINIMUM,
  CN_EQ, CN_NE, CN_LT, CN_LE, CN_GT, CN_GE, CN_ATAN2, CN_NBINOPS
} cn_binop;

typedef enum cn_unop {
  CN_NEG, CN_EXP, CN_LOG, CN_SQRT, CN_SIN, CN_COS, CN_TAN, CN_ABS, CN_SQUARE,
  CN_TANH, CN_FLOOR, CN_CEIL, CN_ROUND, CN_SIGN, CN_ISNAN, CN_ISFINITE,
  CN_NOT, CN_ARCSIN, CN_ARCCOS, CN_ARCTAN, CN_EXPM1, CN_LOG1P, CN_NUNOPS
} cn_unop;

/* out = a op b with numpy broadcasting.  If *out is non-NULL on entry it
 * must have the result shape and dtype and is written in place (it may be
 * a or b).  Comparisons give bool. */
cn_status cn_array_binop(cn_array **out, cn_binop op, const cn_array *a,
                         const cn_array *b);
/* out = a op s (or s op a when scalar_left).  The scalar takes the array's
 * float dtype ("weak typing": an f32 array stays f32). */
cn_status cn_array_binop_scalar(cn_array **out, cn_binop op,
                                const cn_array *a, double s,
                                bool scalar_left);
cn_status cn_array_unop(cn_array **out, cn_unop op, const cn_array *a);
cn_status cn_array_clip(cn_array **out, const cn_array *a, double lo,
                        double hi);
/* where(cond, x, y) with broadcasting; x or y may be NULL to use the
 * scalar xs / ys instead. */
cn_status cn_array_where(cn_array **out, const cn_array *cond,
                         const cn_array *x, double xs, const cn_array *y,
                         double ys);

/* --- reductions ----------------------------------------------------- */
typedef enum cn_redop {
  CN_SUM, CN_MEAN, CN_MAX, CN_MIN, CN_ARGMAX, CN_ARGMIN, CN_STD, CN_VAR,
  CN_PROD, CN_ANY, CN_ALL, CN_NREDOPS
} cn_redop;

/* Reduce along `axis` (0-based), or over everything when axis < 0 (result
 * is 0-d).  Sums accumulate in double in fixed blocks, so results do not
 * depend on the thread count.  ddof is used by std/var. */
cn_status cn_array_reduce(cn_array **out, cn_redop op, const cn_array *a,
                          int axis, int ddof);
/* Convenience for a whole-array result as a double. */
cn_status cn_array_reduce_all(cn_redop op, const cn_array *a, double *v);
/* Cumulative sum along an axis. */
cn_status cn_array_cumsum(cn_array **out, const cn_array *a, int axis);

/* --- linear algebra and FFT ----------------------------------------- */
/* Matrix product (1-d or 2-d operands as numpy.matmul) through BLAS. */
cn_status cn_array_matmul(cn_array **out, const cn_array *a,
                          const cn_array *b);
/* Inner product of two 1-d arrays of the same length. */
cn_status cn_array_dot(double *out, const cn_array *a, const cn_array *b);
/* Real FFT along the last axis: shape (..., n) -> (..., n/2+1, 2) holding
 * (re, im) pairs.  irfft takes that layout and the output length n. */
cn_status cn_array_rfft(cn_array **out, const cn_array *a);
cn_status cn_array_irfft(cn_array **out, const cn_array *a, int64_t n);

/* --- comparison ----------------------------------------------------- */
/* |a - b| <= atol + rtol*|b| everywhere (same shapes or broadcastable);
 * NaNs compare unequal unless equal_nan. */
cn_status cn_array_allclose(const cn_array *a, const cn_array *b, double rtol,
                            double atol, bool equal_nan, bool *result);

/* --- threading ------------------------------------------------------ */
/* Below this many elements kernels run on one thread. */
#define CN_OMP_MIN_ELEMS 32768
int cn_num_threads(void);
void cn_set_num_threads(int n);

#ifdef __cplusplus
}
#endif
#endif
