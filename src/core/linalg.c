/* canns — matrix products through OpenBLAS (CBLAS). */
#include <cblas.h>

#include "canns/array.h"
#include "core/internal.h"

cn_status cn_array_matmul(cn_array **out, const cn_array *a,
                          const cn_array *b) {
  if (a->ndim < 1 || a->ndim > 2 || b->ndim < 1 || b->ndim > 2)
    return cn_error(CN_ESHAPE, "matmul: operands must be 1-d or 2-d, got %d-d and %d-d",
                    a->ndim, b->ndim);
  int64_t m = a->ndim == 2 ? a->shape[0] : 1;
  int64_t k = a->shape[a->ndim - 1];
  int64_t kb = b->ndim == 2 ? b->shape[0] : b->shape[0];
  int64_t n = b->ndim == 2 ? b->shape[1] : 1;
  if (k != kb)
    return cn_error(CN_ESHAPE, "matmul: inner dimensions differ (%lld vs %lld)",
                    (long long)k, (long long)kb);
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX)
    return cn_error(CN_ERANGE, "matmul: dimension too large for BLAS");
  cn_dtype t = cn_dtype_promote(a->dtype, b->dtype);
  if (!cn_dtype_is_float(t)) t = CN_FLOAT64;
  cn_array *ca = NULL, *cb = NULL;
  cn_status s = a->dtype == t ? (ca = cn_array_retain((cn_array *)a), CN_OK)
                              : cn_array_astype(&ca, a, t);
  if (s == CN_OK)
    s = b->dtype == t ? (cb = cn_array_retain((cn_array *)b), CN_OK)
                      : cn_array_astype(&cb, b, t);
  if (s == CN_OK) {
    int64_t shape[2];
    int nd = 0;
    if (a->ndim == 2) shape[nd++] = m;
    if (b->ndim == 2) shape[nd++] = n;
    s = cn_array_zeros(out, t, nd, shape);
  }
  if (s == CN_OK && m > 0 && n > 0 && k > 0) {
    if (t == CN_FLOAT32) {
      if (n == 1)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, m, k, 1.0f, ca->data, k,
                    cb->data, 1, 0.0f, (*out)->data, 1);
      else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                    ca->data, k, cb->data, n, 0.0f, (*out)->data, n);
    } else {
      if (n == 1)
        cblas_dgemv(CblasRowMajor, CblasNoTrans, m, k, 1.0, ca->data, k,
                    cb->data, 1, 0.0, (*out)->data, 1);
      else
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0,
                    ca->data, k, cb->data, n, 0.0, (*out)->data, n);
    }
  }
  cn_array_release(ca);
  cn_array_release(cb);
  return s;
}

cn_status cn_array_dot(double *out, const cn_array *a, const cn_array *b) {
  if (a->ndim != 1 || b->ndim != 1 || a->shape[0] != b->shape[0])
    return cn_error(CN_ESHAPE, "dot: expected two 1-d arrays of the same length");
  if (a->size > INT32_MAX)
    return cn_error(CN_ERANGE, "dot: vectors too long for BLAS");
  if (a->dtype == CN_FLOAT32 && b->dtype == CN_FLOAT32) {
    *out = cblas_sdot((int)a->size, a->data, 1, b->data, 1);
  } else if (a->dtype == CN_FLOAT64 && b->dtype == CN_FLOAT64) {
    *out = cblas_ddot((int)a->size, a->data, 1, b->data, 1);
  } else {
    double s = 0;
    for (int64_t i = 0; i < a->size; i++) s += cn_array_getd(a, i) * cn_array_getd(b, i);
    *out = s;
  }
  return CN_OK;
}
