/* canns — array creation, lifetime, shapes and views. */
#include "canns/array.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

static const char *const dtype_names[CN_NDTYPES] = {
    "float32", "float64", "int32", "int64", "bool"};
static const size_t dtype_sizes[CN_NDTYPES] = {4, 8, 4, 8, 1};

size_t cn_dtype_size(cn_dtype t) {
  return (unsigned)t < CN_NDTYPES ? dtype_sizes[t] : 0;
}

const char *cn_dtype_name(cn_dtype t) {
  return (unsigned)t < CN_NDTYPES ? dtype_names[t] : "?";
}

cn_status cn_dtype_from_name(const char *name, cn_dtype *out) {
  static const struct { const char *n; cn_dtype t; } alias[] = {
      {"float32", CN_FLOAT32}, {"f32", CN_FLOAT32}, {"float", CN_FLOAT32},
      {"float64", CN_FLOAT64}, {"f64", CN_FLOAT64}, {"double", CN_FLOAT64},
      {"int32", CN_INT32},     {"i32", CN_INT32},   {"int64", CN_INT64},
      {"i64", CN_INT64},       {"int", CN_INT64},   {"bool", CN_BOOL}};
  for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
    if (strcmp(name, alias[i].n) == 0) {
      *out = alias[i].t;
      return CN_OK;
    }
  return cn_error(CN_EDTYPE,
                  "unknown dtype '%s' (expected float32, float64, int32, "
                  "int64 or bool)", name);
}

bool cn_dtype_is_float(cn_dtype t) { return t == CN_FLOAT32 || t == CN_FLOAT64; }

cn_dtype cn_dtype_promote(cn_dtype a, cn_dtype b) {
  /* bool < int32 < int64 < float32 < float64 (JAX-like: ints never widen
   * a float32 to float64). */
  static const int rank[CN_NDTYPES] = {3, 4, 1, 2, 0};
  return rank[a] >= rank[b] ? a : b;
}

cn_status cn_shape_check(int ndim, const int64_t *shape, cn_dtype t,
                         int64_t *size) {
  if ((unsigned)t >= CN_NDTYPES)
    return cn_error(CN_EDTYPE, "invalid dtype code %d", (int)t);
  if (ndim < 0 || ndim > CN_MAXDIM)
    return cn_error(CN_EINVAL, "number of dimensions must be in 0..%d, got %d",
                    CN_MAXDIM, ndim);
  int64_t n = 1;
  int64_t limit = CN_ARRAY_MAX_BYTES / (int64_t)dtype_sizes[t];
  bool zero = false;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] < 0)
      return cn_error(CN_EINVAL, "shape must be non-negative, got %lld",
                      (long long)shape[i]);
    if (shape[i] == 0) zero = true;
  }
  /* The non-zero extents must fit even when another one is 0 (as numpy
   * requires), so that every product of extents fits in int64. */
  for (int i = 0; i < ndim; i++) {
    if (shape[i] == 0) continue;
    if (shape[i] > limit / n)
      return cn_error(CN_ENOMEM,
                      "array too large (more than %lld bytes requested)",
                      (long long)CN_ARRAY_MAX_BYTES);
    n *= shape[i];
  }
  *size = zero ? 0 : n;
  return CN_OK;
}

static cn_status array_header(cn_array **out, cn_dtype t, int ndim,
                              const int64_t *shape) {
  int64_t size;
  CN_TRY(cn_shape_check(ndim, shape, t, &size));
  cn_array *a = calloc(1, sizeof *a);
  if (!a) return cn_error(CN_ENOMEM, "out of memory allocating an array");
  a->dtype = t;
  a->ndim = ndim;
  for (int i = 0; i < ndim; i++) a->shape[i] = shape[i];
  a->size = size;
  a->refcount = 1;
  *out = a;
  return CN_OK;
}

static cn_status array_alloc(cn_array **out, cn_dtype t, int ndim,
                             const int64_t *shape, bool zero) {
  cn_array *a;
  CN_TRY(array_header(&a, t, ndim, shape));
  size_t bytes = (size_t)a->size * dtype_sizes[t];
  size_t padded = (bytes + 63) & ~(size_t)63;
  if (padded == 0) padded = 64;
  a->data = cn_recycle_take(padded);
  if (!a->data) a->data = aligned_alloc(64, padded);
  if (!a->data) {
    free(a);
    return cn_error(CN_ENOMEM, "out of memory allocating %zu bytes", bytes);
  }
  if (zero) cn_memset_par(a->data, 0, padded);
  a->owns_data = true;
  *out = a;
  return CN_OK;
}

cn_status cn_array_empty(cn_array **out, cn_dtype t, int ndim,
                         const int64_t *shape) {
  return array_alloc(out, t, ndim, shape, false);
}

cn_status cn_array_zeros(cn_array **out, cn_dtype t, int ndim,
                         const int64_t *shape) {
  return array_alloc(out, t, ndim, shape, true);
}

cn_status cn_array_full(cn_array **out, cn_dtype t, int ndim,
                        const int64_t *shape, double value) {
  CN_TRY(array_alloc(out, t, ndim, shape, false));
  return cn_array_fill(*out, value);
}

cn_status cn_array_new1(cn_array **out, cn_dtype t, int64_t n) {
  return cn_array_zeros(out, t, 1, &n);
}

cn_status cn_array_new2(cn_array **out, cn_dtype t, int64_t n0, int64_t n1) {
  int64_t s[2] = {n0, n1};
  return cn_array_zeros(out, t, 2, s);
}

cn_status cn_array_empty_like(cn_array **out, const cn_array *like,
                              cn_dtype t) {
  return cn_array_empty(out, t, like->ndim, like->shape);
}

cn_array *cn_array_retain(cn_array *a) {
  if (a) __atomic_add_fetch(&a->refcount, 1, __ATOMIC_RELAXED);
  return a;
}

void cn_array_release(cn_array *a) {
  while (a) {
    if (__atomic_sub_fetch(&a->refcount, 1, __ATOMIC_ACQ_REL) != 0) return;
    cn_array *base = a->base;
    if (a->owns_data && !cn_recycle_give(a->data)) free(a->data);
    free(a);
    a = base;
  }
}

bool cn_array_same_shape(const cn_array *a, const cn_array *b) {
  if (a->ndim != b->ndim) return false;
  for (int i = 0; i < a->ndim; i++)
    if (a->shape[i] != b->shape[i]) return false;
  return true;
}

/* A view of `a` starting `offset` elements in, with the given shape. */
static cn_status make_view(cn_array **out, cn_array *a, int64_t offset,
                           int ndim, const int64_t *shape) {
  cn_array *v;
  CN_TRY(array_header(&v, a->dtype, ndim, shape));
  v->data = (char *)a->data + offset * (int64_t)dtype_sizes[a->dtype];
  v->base = cn_array_retain(a->base ? a->base : a);
  v->owns_data = false;
  *out = v;
  return CN_OK;
}

cn_status cn_array_reshape(cn_array **out, cn_array *a, int ndim,
                           const int64_t *shape) {
  if (ndim < 0 || ndim > CN_MAXDIM)
    return cn_error(CN_EINVAL, "reshape: number of dimensions must be in 0..%d, got %d",
                    CN_MAXDIM, ndim);
  int64_t s[CN_MAXDIM], known = 1;
  int infer = -1;
  for (int i = 0; i < ndim; i++) {
    s[i] = shape[i];
    if (s[i] == -1) {
      if (infer >= 0)
        return cn_error(CN_EINVAL, "reshape: only one extent may be -1");
      infer = i;
    } else if (s[i] < 0) {
      return cn_error(CN_EINVAL, "reshape: shape must be non-negative, got %lld",
                      (long long)s[i]);
    } else {
      if (s[i] != 0 && known > INT64_MAX / s[i])
        return cn_error(CN_ERANGE, "reshape: shape too large");
      known *= s[i];
    }
  }
  if (infer >= 0) {
    if (known == 0 || a->size % known != 0)
      return cn_error(CN_ESHAPE, "reshape: cannot infer -1 for size %lld",
                      (long long)a->size);
    s[infer] = a->size / known;
    known = a->size;
  }
  if (known != a->size)
    return cn_error(CN_ESHAPE,
                    "reshape: cannot reshape an array of size %lld into one "
                    "of size %lld", (long long)a->size, (long long)known);
  return make_view(out, a, 0, ndim, s);
}

cn_status cn_array_rows(cn_array **out, cn_array *a, int64_t start,
                        int64_t stop) {
  if (a->ndim < 1)
    return cn_error(CN_EINVAL, "cannot take rows of a 0-d array");
  if (start < 0 || stop > a->shape[0] || start > stop)
    return cn_error(CN_ERANGE, "rows %lld..%lld out of range for axis of length %lld",
                    (long long)start, (long long)stop, (long long)a->shape[0]);
  int64_t s[CN_MAXDIM];
  memcpy(s, a->shape, sizeof s);
  s[0] = stop - start;
  int64_t row = a->shape[0] ? a->size / a->shape[0] : 0;
  return make_view(out, a, start * row, a->ndim, s);
}

cn_status cn_array_select(cn_array **out, cn_array *a, int64_t i) {
  if (a->ndim < 1)
    return cn_error(CN_EINVAL, "cannot index a 0-d array");
  if (i < 0 || i >= a->shape[0])
    return cn_error(CN_ERANGE, "index %lld out of range for axis of length %lld",
                    (long long)i + 1, (long long)a->shape[0]);
  int64_t row = a->size / a->shape[0];
  return make_view(out, a, i * row, a->ndim - 1, a->shape + 1);
}

cn_status cn_array_slice(cn_array **out, cn_array *a, int axis, int64_t start,
                         int64_t stop, int64_t step) {
  if (axis < 0 || axis >= a->ndim)
    return cn_error(CN_EINVAL, "slice: axis %d out of range for a %d-d array",
                    axis + 1, a->ndim);
  int64_t n = a->shape[axis];
  if (step == 0) return cn_error(CN_EINVAL, "slice: step must not be 0");
  /* Forward: start in 0..n; backward: start in -1..n-1 (n would read past
   * the axis).  stop is exclusive and may be -1 (before index 0). */
  bool fwd = step > 0;
  if (start < (fwd ? 0 : -1) || start > (fwd ? n : n - 1) || stop < -1 || stop > n)
    return cn_error(CN_ERANGE, "slice: range %lld..%lld step %lld out of bounds for axis of length %lld",
                    (long long)start, (long long)stop, (long long)step, (long long)n);
  if (axis == 0 && step == 1)
    return cn_array_rows(out, a, start, stop < start ? start : stop);
  /* count without forming stop - start + step - 1 (which overflows for
   * huge steps); |step| as unsigned also covers INT64_MIN */
  uint64_t ustep = fwd ? (uint64_t)step : 0 - (uint64_t)step;
  int64_t count = 0;
  if (fwd && stop > start) count = (int64_t)((uint64_t)(stop - start - 1) / ustep) + 1;
  if (!fwd && stop < start) count = (int64_t)((uint64_t)(start - stop - 1) / ustep) + 1;
  int64_t shape[CN_MAXDIM];
  memcpy(shape, a->shape, sizeof shape);
  shape[axis] = count;
  cn_array *r;
  CN_TRY(cn_array_empty(&r, a->dtype, a->ndim, shape));
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; i++) outer *= a->shape[i];
  for (int i = axis + 1; i < a->ndim; i++) inner *= a->shape[i];
  size_t es = dtype_sizes[a->dtype];
  const char *src = a->data;
  char *dst = r->data;
  for (int64_t o = 0; o < outer; o++)
    for (int64_t k = 0; k < count; k++) {
      int64_t j = start + k * step;
      memcpy(dst + ((o * count + k) * inner) * es,
             src + ((o * n + j) * inner) * es, inner * es);
    }
  *out = r;
  return CN_OK;
}

cn_status cn_array_transpose(cn_array **out, const cn_array *a,
                             const int *perm) {
  int p[CN_MAXDIM];
  int nd = a->ndim;
  bool seen[CN_MAXDIM] = {false};
  for (int i = 0; i < nd; i++) {
    p[i] = perm ? perm[i] : nd - 1 - i;
    if (p[i] < 0 || p[i] >= nd || seen[p[i]])
      return cn_error(CN_EINVAL, "transpose: axes must be a permutation of 1..%d", nd);
    seen[p[i]] = true;
  }
  int64_t shape[CN_MAXDIM] = {0}, istride[CN_MAXDIM], ostride_in[CN_MAXDIM];
  for (int i = 0; i < nd; i++) shape[i] = a->shape[p[i]];
  cn_array *r;
  CN_TRY(cn_array_empty(&r, a->dtype, nd, shape));
  /* strides of the input, in elements */
  int64_t s = 1;
  for (int i = nd - 1; i >= 0; i--) {
    istride[i] = s;
    s *= a->shape[i];
  }
  for (int i = 0; i < nd; i++) ostride_in[i] = istride[p[i]];
  size_t es = dtype_sizes[a->dtype];
  if (nd == 2 && es == 4) {
    cn_transpose2d_f32(a->data, r->data, a->shape[0], a->shape[1]);
  } else if (nd == 2 && es == 8) {
    cn_transpose2d_f64(a->data, r->data, a->shape[0], a->shape[1]);
  } else {
    int64_t idx[CN_MAXDIM] = {0};
    int64_t off = 0;
    char *dst = r->data;
    const char *src = a->data;
    for (int64_t k = 0; k < r->size; k++) {
      memcpy(dst + k * es, src + off * es, es);
      for (int d = nd - 1; d >= 0; d--) {
        idx[d]++;
        off += ostride_in[d];
        if (idx[d] < shape[d]) break;
        off -= ostride_in[d] * shape[d];
        idx[d] = 0;
      }
    }
  }
  *out = r;
  return CN_OK;
}

cn_status cn_array_copy(cn_array **out, const cn_array *a) {
  CN_TRY(cn_array_empty(out, a->dtype, a->ndim, a->shape));
  cn_memcpy_par((*out)->data, a->data, (size_t)a->size * dtype_sizes[a->dtype]);
  return CN_OK;
}

cn_status cn_array_astype(cn_array **out, const cn_array *a, cn_dtype t) {
  if ((unsigned)t >= CN_NDTYPES)
    return cn_error(CN_EDTYPE, "invalid dtype code %d", (int)t);
  CN_TRY(cn_array_empty(out, t, a->ndim, a->shape));
  cn_convert(a->data, a->dtype, (*out)->data, t, a->size);
  return CN_OK;
}

cn_status cn_array_assign(cn_array *dst, const cn_array *src) {
  if (dst->size != src->size)
    return cn_error(CN_ESHAPE, "cannot assign %lld elements to an array of size %lld",
                    (long long)src->size, (long long)dst->size);
  if (dst->data == src->data && dst->dtype == src->dtype) return CN_OK;
  /* Overlapping views of one buffer (always one dtype): memmove. */
  size_t bytes = (size_t)src->size * dtype_sizes[src->dtype];
  const char *s = src->data;
  char *d = dst->data;
  if (dst->dtype == src->dtype && d < s + bytes && s < d + bytes) {
    memmove(d, s, bytes);
    return CN_OK;
  }
  cn_convert(src->data, src->dtype, dst->data, dst->dtype, src->size);
  return CN_OK;
}

cn_status cn_array_concat(cn_array **out, cn_array *const *arrs, int n,
                          int axis) {
  if (n < 1) return cn_error(CN_EINVAL, "concat: need at least one array");
  const cn_array *f = arrs[0];
  if (axis < 0 || axis >= f->ndim)
    return cn_error(CN_EINVAL, "concat: axis %d out of range for a %d-d array",
                    axis + 1, f->ndim);
  int64_t shape[CN_MAXDIM];
  memcpy(shape, f->shape, sizeof shape);
  shape[axis] = 0;
  cn_dtype t = f->dtype;
  for (int k = 0; k < n; k++) {
    const cn_array *a = arrs[k];
    if (a->ndim != f->ndim)
      return cn_error(CN_ESHAPE, "concat: array %d has %d dimensions, expected %d",
                      k + 1, a->ndim, f->ndim);
    for (int i = 0; i < f->ndim; i++)
      if (i != axis && a->shape[i] != f->shape[i])
        return cn_error(CN_ESHAPE, "concat: array %d has extent %lld on axis %d, expected %lld",
                        k + 1, (long long)a->shape[i], i + 1, (long long)f->shape[i]);
    shape[axis] += a->shape[axis];
    t = cn_dtype_promote(t, a->dtype);
  }
  cn_array *r;
  CN_TRY(cn_array_empty(&r, t, f->ndim, shape));
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; i++) outer *= shape[i];
  for (int i = axis + 1; i < f->ndim; i++) inner *= shape[i];
  size_t es = dtype_sizes[t];
  int64_t pos = 0;
  for (int k = 0; k < n; k++) {
    const cn_array *a = arrs[k];
    int64_t m = a->shape[axis] * inner;
    for (int64_t o = 0; o < outer; o++)
      cn_convert((const char *)a->data + o * m * dtype_sizes[a->dtype], a->dtype,
                 (char *)r->data + (o * shape[axis] * inner + pos) * es, t, m);
    pos += m;
  }
  *out = r;
  return CN_OK;
}

double cn_array_getd(const cn_array *a, int64_t i) {
  switch (a->dtype) {
  case CN_FLOAT32: return ((const float *)a->data)[i];
  case CN_FLOAT64: return ((const double *)a->data)[i];
  case CN_INT32: return ((const int32_t *)a->data)[i];
  case CN_INT64: return (double)((const int64_t *)a->data)[i];
  case CN_BOOL: return ((const uint8_t *)a->data)[i];
  default: return NAN;
  }
}

void cn_array_setd(cn_array *a, int64_t i, double v) {
  cn_convert(&v, CN_FLOAT64, (char *)a->data + i * dtype_sizes[a->dtype],
             a->dtype, 1);
}

cn_status cn_array_fill(cn_array *a, double v) {
  if (a->size == 0) return CN_OK;
  cn_array_setd(a, 0, v);
  cn_fill_pattern(a->data, dtype_sizes[a->dtype], a->size);
  return CN_OK;
}

cn_status cn_array_offset(const cn_array *a, int n, const int64_t *idx,
                          int64_t *flat) {
  if (n != a->ndim)
    return cn_error(CN_EINVAL, "expected %d indices, got %d", a->ndim, n);
  int64_t off = 0;
  for (int i = 0; i < n; i++) {
    if (idx[i] < 0 || idx[i] >= a->shape[i])
      return cn_error(CN_ERANGE, "index %lld out of range for axis %d of length %lld",
                      (long long)idx[i] + 1, i + 1, (long long)a->shape[i]);
    off = off * a->shape[i] + idx[i];
  }
  *flat = off;
  return CN_OK;
}

cn_status cn_linspace(cn_array **out, double start, double stop, int64_t n,
                      bool endpoint, cn_dtype t) {
  if (n < 0)
    return cn_error(CN_EINVAL, "linspace: num must be non-negative, got %lld",
                    (long long)n);
  if (!cn_dtype_is_float(t))
    return cn_error(CN_EDTYPE, "linspace: dtype must be float32 or float64");
  CN_TRY(cn_array_empty(out, t, 1, &n));
  if (n == 0) return CN_OK;
  int64_t div = endpoint ? n - 1 : n;
  if (t == CN_FLOAT32) {
    float *x = (*out)->data;
    float s = (float)start, e = (float)stop;
    if (n == 1) { x[0] = s; return CN_OK; }
    /* jnp.linspace computes s*(1 - t) + e*t with t = i/div.  XLA (CPU)
     * compiles it as t = i * f32(1/div), folds e*f32(1/div) into one
     * constant and fuses the final add into an FMA; evaluating it the same
     * way reproduces its float32 values (bit for bit for the sizes the
     * models use, within 1 ulp elsewhere). */
    float c = 1.0f / (float)div, ec = e * c;
    for (int64_t i = 0; i < div; i++) {
      float fi = (float)i;
      float ic = fi * c;
      float sub = 1.0f - ic;
      x[i] = fmaf(fi, ec, s * sub);
    }
    if (endpoint) x[n - 1] = e;
  } else {
    double *x = (*out)->data;
    if (n == 1) { x[0] = start; return CN_OK; }
    for (int64_t i = 0; i < div; i++) {
      double ti = (double)i / (double)div;
      x[i] = start * (1.0 - ti) + stop * ti;
    }
    if (endpoint) x[n - 1] = stop;
  }
  return CN_OK;
}

cn_status cn_arange(cn_array **out, double start, double stop, double step,
                    cn_dtype t) {
  if (!isfinite(start) || !isfinite(stop) || !isfinite(step))
    return cn_error(CN_EINVAL, "arange: start, stop and step must be finite");
  if (step == 0) return cn_error(CN_EINVAL, "arange: step must not be 0");
  double c = ceil((stop - start) / step);
  if (c > 1e15) return cn_error(CN_ENOMEM, "arange: too many elements: %.17g is too large (at most 1e15)", c);
  int64_t n = c > 0 ? (int64_t)c : 0; /* c <= 1e15: the cast is exact */
  CN_TRY(cn_array_empty(out, t, 1, &n));
  for (int64_t i = 0; i < n; i++) cn_array_setd(*out, i, start + (double)i * step);
  return CN_OK;
}
