/* canns — reductions over arrays (sum, mean, max, argmax, std, ...).
 *
 * Work is split into fixed-size blocks whose partial results are combined
 * in a fixed order, so the numbers never depend on the thread count.
 */
#include <math.h>
#include <stdlib.h>

#include "canns/array.h"
#include "core/internal.h"
#include "cpu/reduce.h"

#define BLK 65536

static cn_dtype result_dtype(cn_redop op, cn_dtype t) {
  switch (op) {
  case CN_SUM: case CN_PROD: return cn_dtype_is_float(t) ? t : CN_INT64;
  case CN_MEAN: case CN_STD: case CN_VAR: return cn_dtype_is_float(t) ? t : CN_FLOAT64;
  case CN_MAX: case CN_MIN: return t;
  case CN_ARGMAX: case CN_ARGMIN: return CN_INT64;
  default: return CN_BOOL;
  }
}

static double finish(const cn_racc *acc, cn_redop op, cn_dtype t, int ddof) {
  switch (op) {
  case CN_SUM: return cn_dtype_is_float(t) ? acc->s : (double)acc->is;
  case CN_MEAN: return acc->n ? acc->s / (double)acc->n : NAN;
  case CN_VAR: return acc->n - ddof > 0 ? acc->s / (double)(acc->n - ddof) : NAN;
  case CN_STD: return acc->n - ddof > 0 ? sqrt(acc->s / (double)(acc->n - ddof)) : NAN;
  case CN_MAX: case CN_MIN: return acc->nan ? NAN : acc->s;
  case CN_ARGMAX: case CN_ARGMIN: return (double)acc->arg;
  default: return acc->s;
  }
}

/* Reduce one contiguous run of len elements (inner == 1), splitting long
 * runs into fixed blocks. */
static void reduce_run(cn_racc *acc, cn_redop op, cn_dtype t, const char *x,
                       int64_t len, double mean) {
  size_t es = cn_dtype_size(t);
  cn_k_racc_init(acc, op);
  if (len <= BLK) {
    cn_k_racc_fold(acc, op, t, x, len, 1, 0, mean);
    return;
  }
  int64_t nb = (len + BLK - 1) / BLK;
  cn_racc *part = malloc(nb * sizeof *part);
  if (!part) { /* fall back to one thread, same order of blocks */
    for (int64_t b = 0; b < nb; b++) {
      cn_racc p;
      int64_t k0 = b * BLK, m = len - k0 < BLK ? len - k0 : BLK;
      cn_k_racc_init(&p, op);
      cn_k_racc_fold(&p, op, t, x + k0 * es, m, 1, k0, mean);
      cn_k_racc_merge(acc, &p, op);
    }
    return;
  }
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(len))
  for (int64_t b = 0; b < nb; b++) {
    int64_t k0 = b * BLK, m = len - k0 < BLK ? len - k0 : BLK;
    cn_k_racc_init(&part[b], op);
    cn_k_racc_fold(&part[b], op, t, x + k0 * es, m, 1, k0, mean);
  }
  for (int64_t b = 0; b < nb; b++) cn_k_racc_merge(acc, &part[b], op);
  free(part);
}

/* One pass of `op` giving one double per output element. */
static cn_status reduce_pass(double *res, cn_redop op, const cn_array *a,
                             int64_t outer, int64_t len, int64_t inner,
                             const double *means, int ddof) {
  size_t es = cn_dtype_size(a->dtype);
  const char *x = a->data;
  int64_t nout = outer * inner;
  if (inner == 1) {
    if (nout == 1) {
      cn_racc acc;
      reduce_run(&acc, op, a->dtype, x, len, means ? means[0] : 0);
      res[0] = finish(&acc, op, a->dtype, ddof);
      return CN_OK;
    }
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(a->size))
    for (int64_t o = 0; o < outer; o++) {
      cn_racc acc;
      cn_k_racc_init(&acc, op);
      cn_k_racc_fold(&acc, op, a->dtype, x + o * len * es, len, 1, 0,
                     means ? means[o] : 0);
      res[o] = finish(&acc, op, a->dtype, ddof);
    }
    return CN_OK;
  }
  /* inner > 1: the reduced axis is strided.  Each output element is still
   * folded in increasing k. */
  if (cn_dtype_is_float(a->dtype) && (op == CN_SUM || op == CN_MEAN || op == CN_STD ||
                                      op == CN_VAR || op == CN_MAX || op == CN_MIN)) {
    /* A row at a time over tiles of 2048 outputs (vectorised).  When there
     * are too few tiles to keep the threads busy, the reduced axis is also
     * cut into at most 16 blocks whose partial rows are merged in order;
     * the cut depends only on the shape, never on the thread count. */
    enum { TILE = 2048 };
    int64_t ntile = (inner + TILE - 1) / TILE, nkb = 1;
    if (outer * ntile < 4 && len >= 8192) nkb = (len + 4095) / 4096 < 16 ? (len + 4095) / 4096 : 16;
    /* each task keeps tw partial results (tw < TILE when inner is short:
     * many short rows must not cost a whole tile each) */
    int64_t kblk = (len + nkb - 1) / nkb, ntask = outer * ntile * nkb;
    int64_t tw = inner < TILE ? inner : TILE;
    double *part = malloc((size_t)ntask * tw * sizeof *part);
    uint8_t *pnan = malloc((size_t)ntask * tw);
    if (!part || !pnan) {
      free(part);
      free(pnan);
      return cn_error(CN_ENOMEM, "out of memory in a reduction");
    }
    double init = op == CN_MAX ? -INFINITY : op == CN_MIN ? INFINITY : 0;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(a->size))
    for (int64_t t = 0; t < ntask; t++) {
      int64_t o = t / (ntile * nkb), tile = (t / nkb) % ntile, kb = t % nkb;
      int64_t i0 = tile * TILE, m = inner - i0 < TILE ? inner - i0 : TILE;
      int64_t k0 = kb * kblk, kn = len - k0 < kblk ? len - k0 : kblk;
      double *acc = part + t * tw;
      uint8_t *nan = pnan + t * tw;
      for (int64_t i = 0; i < m; i++) { acc[i] = init; nan[i] = 0; }
      if (kn > 0)
        cn_k_rows_fold(op, a->dtype, x + (o * len + k0) * inner * es, kn, inner, i0, m, acc,
                       means ? means + o * inner + i0 : NULL, nan);
    }
    for (int64_t o = 0; o < outer; o++)
      for (int64_t tile = 0; tile < ntile; tile++) {
        int64_t t0 = (o * ntile + tile) * nkb;
        int64_t i0 = tile * TILE, m = inner - i0 < TILE ? inner - i0 : TILE;
        for (int64_t i = 0; i < m; i++) {
          double v = part[t0 * tw + i];
          uint8_t isnan_ = pnan[t0 * tw + i];
          for (int64_t kb = 1; kb < nkb; kb++) {
            double w = part[(t0 + kb) * tw + i];
            isnan_ |= pnan[(t0 + kb) * tw + i];
            if (op == CN_MAX) v = w > v ? w : v;
            else if (op == CN_MIN) v = w < v ? w : v;
            else v += w;
          }
          if (op == CN_MEAN) v = len ? v / (double)len : NAN;
          else if (op == CN_VAR) v = len - ddof > 0 ? v / (double)(len - ddof) : NAN;
          else if (op == CN_STD) v = len - ddof > 0 ? sqrt(v / (double)(len - ddof)) : NAN;
          else if ((op == CN_MAX || op == CN_MIN) && isnan_) v = NAN;
          res[o * inner + i0 + i] = v;
        }
      }
    free(part);
    free(pnan);
    return CN_OK;
  }
  /* other reductions: tiles of 64 outputs keep the reads local */
  int64_t tiles = (inner + 63) / 64;
#pragma omp parallel for collapse(2) schedule(static) num_threads(cn_threads_for(a->size))
  for (int64_t o = 0; o < outer; o++)
    for (int64_t tile = 0; tile < tiles; tile++) {
      cn_racc acc[64];
      int64_t i0 = tile * 64, m = inner - i0 < 64 ? inner - i0 : 64;
      for (int64_t i = 0; i < m; i++) cn_k_racc_init(&acc[i], op);
      for (int64_t k0 = 0; k0 < len; k0 += 64) {
        int64_t kn = len - k0 < 64 ? len - k0 : 64;
        for (int64_t i = 0; i < m; i++)
          cn_k_racc_fold(&acc[i], op, a->dtype,
                         x + ((o * len + k0) * inner + i0 + i) * es, kn, inner,
                         k0, means ? means[o * inner + i0 + i] : 0);
      }
      for (int64_t i = 0; i < m; i++)
        res[o * inner + i0 + i] = finish(&acc[i], op, a->dtype, ddof);
    }
  return CN_OK;
}

cn_status cn_array_reduce(cn_array **out, cn_redop op, const cn_array *a,
                          int axis, int ddof) {
  if ((unsigned)op >= CN_NREDOPS)
    return cn_error(CN_EINVAL, "invalid reduction %d", (int)op);
  if (axis >= a->ndim || (axis >= 0 && a->ndim == 0))
    return cn_error(CN_EINVAL, "axis %d out of range for a %d-d array", axis + 1, a->ndim);
  int64_t outer = 1, len = a->size, inner = 1;
  int ond = 0;
  int64_t oshape[CN_MAXDIM];
  if (axis >= 0) {
    len = a->shape[axis];
    for (int d = 0; d < axis; d++) outer *= a->shape[d];
    for (int d = axis + 1; d < a->ndim; d++) inner *= a->shape[d];
    for (int d = 0; d < a->ndim; d++)
      if (d != axis) oshape[ond++] = a->shape[d];
  }
  if (len == 0 && (op == CN_MAX || op == CN_MIN || op == CN_ARGMAX || op == CN_ARGMIN))
    return cn_error(CN_EINVAL, "cannot take the %s of an empty array or axis",
                    op == CN_MAX ? "max" : op == CN_MIN ? "min" :
                    op == CN_ARGMAX ? "argmax" : "argmin");
  int64_t nout = outer * inner;
  cn_dtype rt = result_dtype(op, a->dtype);
  cn_array *r;
  CN_TRY(cn_array_empty(&r, rt, ond, oshape));
  double *res = malloc((nout ? nout : 1) * sizeof *res);
  double *means = NULL;
  if (!res) {
    cn_array_release(r);
    return cn_error(CN_ENOMEM, "out of memory in a reduction");
  }
  if (op == CN_STD || op == CN_VAR) {
    means = malloc((nout ? nout : 1) * sizeof *means);
    if (!means) {
      free(res);
      cn_array_release(r);
      return cn_error(CN_ENOMEM, "out of memory in a reduction");
    }
  }
  cn_status s = means ? reduce_pass(means, CN_MEAN, a, outer, len, inner, NULL, 0) : CN_OK;
  if (s == CN_OK) s = reduce_pass(res, op, a, outer, len, inner, means, ddof);
  if (s == CN_OK)
    for (int64_t i = 0; i < nout; i++) cn_array_setd(r, i, res[i]);
  free(res);
  free(means);
  if (s != CN_OK) {
    cn_array_release(r);
    return s;
  }
  *out = r;
  return CN_OK;
}

cn_status cn_array_reduce_all(cn_redop op, const cn_array *a, double *v) {
  cn_array *r;
  CN_TRY(cn_array_reduce(&r, op, a, -1, 0));
  *v = cn_array_getd(r, 0);
  cn_array_release(r);
  return CN_OK;
}

cn_status cn_array_cumsum(cn_array **out, const cn_array *a, int axis) {
  if (axis < 0 || axis >= a->ndim)
    return cn_error(CN_EINVAL, "axis %d out of range for a %d-d array", axis + 1, a->ndim);
  cn_dtype rt = cn_dtype_is_float(a->dtype) ? a->dtype : CN_INT64;
  CN_TRY(cn_array_empty(out, rt, a->ndim, a->shape));
  int64_t outer = 1, len = a->shape[axis], inner = 1;
  for (int d = 0; d < axis; d++) outer *= a->shape[d];
  for (int d = axis + 1; d < a->ndim; d++) inner *= a->shape[d];
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      double s = 0;
      for (int64_t k = 0; k < len; k++) {
        int64_t idx = (o * len + k) * inner + i;
        s += cn_array_getd(a, idx);
        cn_array_setd(*out, idx, s);
      }
    }
  return CN_OK;
}
