/* canns — elementwise operations on arrays: dtype promotion, numpy
 * broadcasting and threading around the kernels in kernels/cpu. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canns/array.h"
#include "core/internal.h"
#include "cpu/elementwise.h"

/* Elements per task when a contiguous loop is split over threads.  Fixed,
 * so the split never depends on the thread count. */
#define CHUNK 16384

static bool is_comparison(cn_binop op) {
  return op == CN_EQ || op == CN_NE || op == CN_LT || op == CN_LE ||
         op == CN_GT || op == CN_GE;
}

/* Broadcast shapes of up to three operands into out_shape; fills, for each
 * operand, its strides in elements (0 along broadcast axes). */
static cn_status broadcast(int n, const cn_array *const *ops, int *ndim,
                           int64_t *shape, int64_t strides[][CN_MAXDIM]) {
  int nd = 0;
  for (int k = 0; k < n; k++)
    if (ops[k]->ndim > nd) nd = ops[k]->ndim;
  for (int d = 0; d < nd; d++) shape[d] = 1;
  for (int k = 0; k < n; k++) {
    int off = nd - ops[k]->ndim;
    for (int d = 0; d < ops[k]->ndim; d++) {
      int64_t e = ops[k]->shape[d];
      if (e == shape[off + d] || e == 1) continue;
      if (shape[off + d] == 1) {
        shape[off + d] = e;
        continue;
      }
      char sa[128], sb[128];
      int p = 0;
      for (int i = 0; i < ops[0]->ndim && p < 100; i++)
        p += snprintf(sa + p, sizeof sa - p, "%s%lld", i ? "," : "", (long long)ops[0]->shape[i]);
      if (p == 0) sa[0] = 0;
      p = 0;
      for (int i = 0; i < ops[k]->ndim && p < 100; i++)
        p += snprintf(sb + p, sizeof sb - p, "%s%lld", i ? "," : "", (long long)ops[k]->shape[i]);
      if (p == 0) sb[0] = 0;
      return cn_error(CN_ESHAPE, "shapes {%s} and {%s} cannot be broadcast together", sa, sb);
    }
  }
  for (int k = 0; k < n; k++) {
    int off = nd - ops[k]->ndim;
    int64_t s = 1;
    for (int d = nd - 1; d >= 0; d--) {
      int kd = d - off;
      if (kd < 0 || ops[k]->shape[kd] == 1) {
        strides[k][d] = 0;
      } else {
        strides[k][d] = s;
      }
      if (kd >= 0) s *= ops[k]->shape[kd];
    }
  }
  *ndim = nd;
  return CN_OK;
}

/* Get an operand in dtype t: the array itself (retained) or a converted
 * copy. */
static cn_status as_dtype(const cn_array *a, cn_dtype t, cn_array **out) {
  if (a->dtype == t) {
    *out = cn_array_retain((cn_array *)a);
    return CN_OK;
  }
  return cn_array_astype(out, a, t);
}

/* When an in-place output shares memory with operand *op other than
 * element for element (a row of itself broadcast over it, a shifted view),
 * replace the operand by a copy, so every element is read before any is
 * written, whatever the thread count. */
static cn_status detach_overlap(cn_array **op, const cn_array *out) {
  const char *p = (*op)->data, *q = out->data;
  size_t pn = (size_t)(*op)->size * cn_dtype_size((*op)->dtype);
  size_t qn = (size_t)out->size * cn_dtype_size(out->dtype);
  bool overlap = pn && qn && p < q + qn && q < p + pn;
  if (!overlap || (p == q && pn == qn)) return CN_OK;
  cn_array *c;
  CN_TRY(cn_array_copy(&c, *op));
  cn_array_release(*op);
  *op = c;
  return CN_OK;
}

static cn_status prepare_out(cn_array **out, cn_dtype t, int nd,
                             const int64_t *shape) {
  if (*out) {
    cn_array *o = *out;
    bool ok = o->ndim == nd && o->dtype == t;
    for (int d = 0; ok && d < nd; d++) ok = o->shape[d] == shape[d];
    if (!ok)
      return cn_error(CN_ESHAPE, "output array has the wrong shape or dtype "
                      "(%s) for an in-place operation", cn_dtype_name(o->dtype));
    return CN_OK;
  }
  return cn_array_empty(out, t, nd, shape);
}

/* Run a binary kernel over a broadcast iteration space. */
static void run_binop(cn_binop op, cn_dtype t, const cn_array *a,
                      const cn_array *b, cn_array *o, int nd,
                      const int64_t *shape, int64_t st[][CN_MAXDIM]) {
  size_t es = cn_dtype_size(t), os = cn_dtype_size(o->dtype);
  int64_t n = o->size;
  if (n == 0) return;
  bool a_full = a->size == n, b_full = b->size == n;
  bool a_scalar = a->size == 1, b_scalar = b->size == 1;
  if ((a_full || a_scalar) && (b_full || b_scalar)) {
    int64_t sa = a_full && !(a_scalar && n == 1) ? 1 : 0;
    int64_t sb = b_full && !(b_scalar && n == 1) ? 1 : 0;
    if (n == 1) sa = sb = 1;
    int64_t nchunks = (n + CHUNK - 1) / CHUNK;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n)) if(nchunks > 1)
    for (int64_t c = 0; c < nchunks; c++) {
      int64_t i0 = c * CHUNK, m = n - i0 < CHUNK ? n - i0 : CHUNK;
      cn_k_binop(op, t, (const char *)a->data + i0 * sa * es, sa,
                 (const char *)b->data + i0 * sb * es, sb,
                 (char *)o->data + i0 * os, m);
    }
    return;
  }
  /* General case: iterate over all axes but the last; the last axis is a
   * contiguous run with stride 0 or 1 for each operand. */
  int64_t inner = shape[nd - 1];
  int64_t outer = n / inner;
  int64_t sa = st[0][nd - 1], sb = st[1][nd - 1];
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n)) if(outer > 1)
  for (int64_t r = 0; r < outer; r++) {
    int64_t rem = r, oa = 0, ob = 0;
    for (int d = nd - 2; d >= 0; d--) {
      int64_t i = rem % shape[d];
      rem /= shape[d];
      oa += i * st[0][d];
      ob += i * st[1][d];
    }
    cn_k_binop(op, t, (const char *)a->data + oa * es, sa,
               (const char *)b->data + ob * es, sb,
               (char *)o->data + r * inner * os, inner);
  }
}

static cn_dtype compute_dtype(cn_binop op, cn_dtype a, cn_dtype b) {
  cn_dtype t = cn_dtype_promote(a, b);
  if (!cn_dtype_is_float(t) && (op == CN_DIV || op == CN_ATAN2)) return CN_FLOAT64;
  if (t == CN_BOOL && !is_comparison(op)) return CN_INT32;
  return t;
}

cn_status cn_array_binop(cn_array **out, cn_binop op, const cn_array *a,
                         const cn_array *b) {
  if ((unsigned)op >= CN_NBINOPS)
    return cn_error(CN_EINVAL, "invalid binary operation %d", (int)op);
  const cn_array *ops[2] = {a, b};
  int nd;
  int64_t shape[CN_MAXDIM], st[3][CN_MAXDIM];
  CN_TRY(broadcast(2, ops, &nd, shape, st));
  cn_dtype t = compute_dtype(op, a->dtype, b->dtype);
  cn_dtype ot = is_comparison(op) ? CN_BOOL : t;
  cn_array *ca = NULL, *cb = NULL;
  bool inplace = *out != NULL;
  cn_status s = as_dtype(a, t, &ca);
  if (s == CN_OK) s = as_dtype(b, t, &cb);
  if (s == CN_OK) s = prepare_out(out, ot, nd, shape);
  if (s == CN_OK && inplace) s = detach_overlap(&ca, *out);
  if (s == CN_OK && inplace) s = detach_overlap(&cb, *out);
  if (s == CN_OK) {
    if (nd == 0) {
      shape[0] = 1;
      st[0][0] = st[1][0] = 1;
      nd = 1;
    }
    run_binop(op, t, ca, cb, *out, nd, shape, st);
  }
  cn_array_release(ca);
  cn_array_release(cb);
  return s;
}

/* The dtype a Lua number takes next to an array of dtype t (weak typing):
 * t itself when it holds the value exactly (any value for floats), else
 * int64 for an integer (bool arrays: always, as numpy's bool + 1), else
 * float64 (a fraction, inf, NaN or beyond int64: int32 + inf is inf, not
 * a saturated and wrapped integer). */
static cn_dtype scalar_dtype(cn_dtype t, double s) {
  if (cn_dtype_is_float(t)) return t;
  bool integral = s == floor(s) && s >= -9223372036854775808.0 && s < 9223372036854775808.0;
  if (!integral) return CN_FLOAT64;
  if (t == CN_INT32 && s >= INT32_MIN && s <= INT32_MAX) return CN_INT32;
  return CN_INT64;
}

cn_status cn_array_binop_scalar(cn_array **out, cn_binop op,
                                const cn_array *a, double s, bool scalar_left) {
  cn_dtype st = scalar_dtype(a->dtype, s);
  cn_array *sc;
  CN_TRY(cn_array_full(&sc, st, 0, NULL, s));
  /* The scalar takes the array's dtype ("weak" typing). */
  cn_status r = scalar_left ? cn_array_binop(out, op, sc, a)
                            : cn_array_binop(out, op, a, sc);
  cn_array_release(sc);
  return r;
}

static bool unop_needs_float(cn_unop op) {
  switch (op) {
  case CN_NEG: case CN_ABS: case CN_SQUARE: case CN_SIGN: case CN_FLOOR:
  case CN_CEIL: case CN_ROUND: case CN_ISNAN: case CN_ISFINITE: case CN_NOT:
    return false;
  default:
    return true;
  }
}

cn_status cn_array_unop(cn_array **out, cn_unop op, const cn_array *a) {
  if ((unsigned)op >= CN_NUNOPS)
    return cn_error(CN_EINVAL, "invalid unary operation %d", (int)op);
  cn_dtype t = a->dtype;
  if (op == CN_NEG && t == CN_BOOL) /* as numpy and JAX; 0 - 1 is no bool */
    return cn_error(CN_EDTYPE, "negating a bool array is not supported (use logical_not)");
  if (!cn_dtype_is_float(t) && unop_needs_float(op)) t = CN_FLOAT64;
  cn_dtype ot = (op == CN_ISNAN || op == CN_ISFINITE || op == CN_NOT) ? CN_BOOL : t;
  cn_array *ca;
  CN_TRY(as_dtype(a, t, &ca));
  cn_status s = prepare_out(out, ot, a->ndim, a->shape);
  if (s == CN_OK) {
    int64_t n = a->size, nchunks = (n + CHUNK - 1) / CHUNK;
    size_t es = cn_dtype_size(t), os = cn_dtype_size(ot);
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n)) if(nchunks > 1)
    for (int64_t c = 0; c < nchunks; c++) {
      int64_t i0 = c * CHUNK, m = n - i0 < CHUNK ? n - i0 : CHUNK;
      cn_k_unop(op, t, (const char *)ca->data + i0 * es,
                (char *)(*out)->data + i0 * os, m);
    }
  }
  cn_array_release(ca);
  return s;
}

cn_status cn_array_clip(cn_array **out, const cn_array *a, double lo,
                        double hi) {
  if (isnan(lo) || isnan(hi))
    return cn_error(CN_EINVAL, "clip: bounds must not be NaN");
  if (lo > hi)
    return cn_error(CN_EINVAL, "clip: lower bound %g exceeds upper bound %g", lo, hi);
  if (!cn_dtype_is_float(a->dtype)) {
    /* keep the bounds representable in the integer type */
    if (lo < -9.2e18) lo = -9.2e18;
    if (hi > 9.2e18) hi = 9.2e18;
    if (hi < -9.2e18) hi = -9.2e18;
    if (lo > 9.2e18) lo = 9.2e18;
  }
  CN_TRY(prepare_out(out, a->dtype, a->ndim, a->shape));
  int64_t n = a->size, nchunks = (n + CHUNK - 1) / CHUNK;
  size_t es = cn_dtype_size(a->dtype);
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n)) if(nchunks > 1)
  for (int64_t c = 0; c < nchunks; c++) {
    int64_t i0 = c * CHUNK, m = n - i0 < CHUNK ? n - i0 : CHUNK;
    cn_k_clip(a->dtype, (const char *)a->data + i0 * es, lo, hi,
              (char *)(*out)->data + i0 * es, m);
  }
  return CN_OK;
}

cn_status cn_array_where(cn_array **out, const cn_array *cond,
                         const cn_array *x, double xs, const cn_array *y,
                         double ys) {
  cn_array *sx = NULL, *sy = NULL;
  cn_dtype t;
  if (x && y) t = cn_dtype_promote(x->dtype, y->dtype);
  else if (x) t = x->dtype;
  else if (y) t = y->dtype;
  else t = CN_FLOAT32;
  if (t == CN_BOOL && ((!x && xs != 0 && xs != 1) || (!y && ys != 0 && ys != 1)))
    t = CN_FLOAT32;
  /* an integer array next to a number it cannot hold: as in a binop */
  if (t == CN_INT32 || t == CN_INT64) {
    if (!x) t = cn_dtype_promote(t, scalar_dtype(t, xs));
    if (!y) t = cn_dtype_promote(t, scalar_dtype(t, ys));
  }
  if (!x) CN_TRY(cn_array_full(&sx, t, 0, NULL, xs));
  if (!y) {
    cn_status s = cn_array_full(&sy, t, 0, NULL, ys);
    if (s) { cn_array_release(sx); return s; }
  }
  const cn_array *ops[3] = {cond, x ? x : sx, y ? y : sy};
  int nd;
  int64_t shape[CN_MAXDIM], st[3][CN_MAXDIM];
  cn_status s = broadcast(3, ops, &nd, shape, st);
  if (s == CN_OK) s = prepare_out(out, t, nd, shape);
  if (s == CN_OK) {
    cn_array *o = *out;
    int64_t n = o->size;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n))
    for (int64_t i = 0; i < n; i++) {
      int64_t rem = i, off[3] = {0, 0, 0};
      for (int d = nd - 1; d >= 0; d--) {
        int64_t k = rem % shape[d];
        rem /= shape[d];
        for (int j = 0; j < 3; j++) off[j] += k * st[j][d];
      }
      double c = cn_array_getd(ops[0], off[0]);
      cn_array_setd(o, i, c != 0 ? cn_array_getd(ops[1], off[1])
                                 : cn_array_getd(ops[2], off[2]));
    }
  }
  cn_array_release(sx);
  cn_array_release(sy);
  return s;
}

cn_status cn_array_allclose(const cn_array *a, const cn_array *b, double rtol,
                            double atol, bool equal_nan, bool *result) {
  const cn_array *ops[2] = {a, b};
  int nd;
  int64_t shape[CN_MAXDIM], st[3][CN_MAXDIM];
  CN_TRY(broadcast(2, ops, &nd, shape, st));
  int64_t n = 1;
  for (int d = 0; d < nd; d++) n *= shape[d];
  int bad = 0;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n)) reduction(| : bad)
  for (int64_t i = 0; i < n; i++) {
    int64_t rem = i, oa = 0, ob = 0;
    for (int d = nd - 1; d >= 0; d--) {
      int64_t k = rem % shape[d];
      rem /= shape[d];
      oa += k * st[0][d];
      ob += k * st[1][d];
    }
    double x = cn_array_getd(a, oa), y = cn_array_getd(b, ob);
    if (isnan(x) || isnan(y)) {
      if (!(equal_nan && isnan(x) && isnan(y))) bad |= 1;
    } else if (x != y && (isinf(x) || isinf(y) || !(fabs(x - y) <= atol + rtol * fabs(y)))) {
      bad |= 1; /* an infinity is close only to itself (numpy.isclose) */
    }
  }
  *result = !bad;
  return CN_OK;
}
