/* canns — from the user's distances to the filtered complex: checks, the
 * threshold rules of canns_lib's `ripser` (enclosing radius), vertex births,
 * and neighbour lists for the sparse enumerator. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "tda/tda_prepare.h"

/* Below this fraction of pairs the neighbour-list enumerator is used. */
#define TDA_SPARSE_DENSITY 0.25

cn_status tda_check_dense(const float *D, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i; j < n; j++) {
      float a = D[i * n + j], b = D[j * n + i];
      if (isnan(a) || isnan(b))
        return cn_error(CN_EINVAL, "NaN distance at (%lld, %lld)",
                        (long long)(isnan(a) ? i : j) + 1, (long long)(isnan(a) ? j : i) + 1);
      if (a < 0 || b < 0)
        return cn_error(CN_EINVAL, "negative distance %g at (%lld, %lld)",
                        (double)(a < 0 ? a : b), (long long)(a < 0 ? i : j) + 1,
                        (long long)(a < 0 ? j : i) + 1);
      if (a != b) {
        float m = fabsf(a) > fabsf(b) ? fabsf(a) : fabsf(b);
        if (isinf(a) || isinf(b) || fabsf(a - b) > 1e-5f * m)
          return cn_error(CN_EINVAL,
                          "distance matrix is not symmetric: D[%lld][%lld] = %g "
                          "but D[%lld][%lld] = %g",
                          (long long)i, (long long)j, (double)a, (long long)j,
                          (long long)i, (double)b);
      }
    }
  return CN_OK;
}

/* -0.0 becomes +0.0: the engine orders diameters by their bits. */
static inline float pos0(float x) { return x == 0.0f ? 0.0f : x; }

void tda_symmetrize_upper(const float *D, int64_t n, float *M) {
  for (int64_t i = 0; i < n; i++) {
    M[i * n + i] = pos0(D[i * n + i]);
    for (int64_t j = i + 1; j < n; j++) M[i * n + j] = M[j * n + i] = pos0(D[i * n + j]);
  }
}

/* CSR neighbour lists of the pairs of M with value <= thr. */
static cn_status lists_from_dense(tda_complex *c, const float *M, float thr,
                                  int64_t nedges) {
  const int64_t n = c->n;
  c->nb_start = malloc((size_t)(n + 1) * sizeof *c->nb_start);
  c->nb_idx = malloc((size_t)(2 * nedges + 1) * sizeof *c->nb_idx);
  c->nb_val = malloc((size_t)(2 * nedges + 1) * sizeof *c->nb_val);
  if (!c->nb_start || !c->nb_idx || !c->nb_val)
    return cn_error(CN_ENOMEM, "out of memory (%lld edges)", (long long)nedges);
  int64_t q = 0;
  for (int64_t i = 0; i < n; i++) {
    c->nb_start[i] = q;
    const float *row = M + i * n;
    for (int64_t j = 0; j < n; j++)
      if (j != i && row[j] <= thr) {
        c->nb_idx[q] = (int32_t)j;
        c->nb_val[q++] = row[j];
      }
  }
  c->nb_start[n] = q;
  return CN_OK;
}

cn_status tda_prepare_dense(tda_complex *c, const cn_ripser_opts *o,
                            const float *M, int64_t *num_edges,
                            double *threshold) {
  const int64_t n = c->n;
  bool births = false;
  for (int64_t i = 0; i < n; i++) births |= M[i * n + i] != 0.0f;
  bool infinite = isinf(o->thresh) || o->thresh >= FLT_MAX;
  float thr;
  if (births || !infinite) {
    /* vertex births (as ripser.py, through neighbour lists) or a given
     * threshold: used as is */
    thr = infinite ? (float)INFINITY : (float)o->thresh;
  } else {
    /* enclosing radius: min over i of max over j of d(i, j) */
    thr = (float)INFINITY;
    for (int64_t i = 0; i < n; i++) {
      float r = 0.0f;
      for (int64_t j = 0; j < n; j++) r = M[i * n + j] > r ? M[i * n + j] : r;
      thr = r < thr ? r : thr;
    }
  }
  int64_t ne = 0;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++) ne += M[i * n + j] <= thr;
  *num_edges = ne;
  *threshold = thr;
  c->threshold = thr;
  c->D = M;
  double pairs = (double)n * (double)(n - 1) / 2;
  bool sparse = births || o->engine == CN_RIPSER_SPARSE ||
                (o->engine == CN_RIPSER_AUTO && ne < TDA_SPARSE_DENSITY * pairs);
  if (births) {
    c->births = malloc((size_t)n * sizeof *c->births);
    if (!c->births) return cn_error(CN_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++) c->births[i] = M[i * n + i];
  }
  if (sparse) {
    c->sparse = true;
    CN_TRY(lists_from_dense(c, M, thr, ne));
  }
  return CN_OK;
}

typedef struct trip {
  int64_t a, b;
  float v;
} trip;

static int trip_cmp(const void *x, const void *y) {
  const trip *p = x, *q = y;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  if (p->b != q->b) return p->b < q->b ? -1 : 1;
  return 0;
}

typedef struct nbv {
  int32_t j;
  float v;
} nbv;

static int nbv_cmp(const void *x, const void *y) {
  const nbv *p = x, *q = y;
  return (p->j > q->j) - (p->j < q->j);
}

cn_status tda_prepare_sparse(tda_complex *c, const cn_ripser_opts *o,
                             int64_t nnz, const int64_t *row,
                             const int64_t *col, const float *val,
                             int64_t *num_edges) {
  const int64_t n = c->n;
  float thr = (isinf(o->thresh) || o->thresh >= FLT_MAX) ? (float)INFINITY : (float)o->thresh;
  c->threshold = thr;
  c->sparse = true;
  for (int64_t q = 0; q < nnz; q++) {
    if (row[q] < 0 || row[q] >= n || col[q] < 0 || col[q] >= n)
      return cn_error(CN_EINVAL,
                      "sparse entry %lld has index (%lld, %lld) outside 1..%lld",
                      (long long)q + 1, (long long)row[q] + 1, (long long)col[q] + 1, (long long)n);
    if (isnan(val[q]))
      return cn_error(CN_EINVAL, "NaN distance found at sparse matrix entry %lld",
                      (long long)q + 1);
    if (val[q] < 0)
      return cn_error(CN_EINVAL, "negative distance %g at sparse matrix entry %lld",
                      (double)val[q], (long long)q + 1);
  }
  trip *t = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof *t);
  c->births = calloc((size_t)n, sizeof *c->births);
  c->nb_start = calloc((size_t)(n + 1), sizeof *c->nb_start);
  if (!t || !c->births || !c->nb_start) {
    free(t);
    return cn_error(CN_ENOMEM, "out of memory (%lld entries)", (long long)nnz);
  }
  for (int64_t q = 0; q < nnz; q++) {
    int64_t a = row[q] < col[q] ? row[q] : col[q], b = row[q] < col[q] ? col[q] : row[q];
    t[q].a = a;
    t[q].b = b;
    t[q].v = pos0(val[q]);
  }
  if (nnz > 1) qsort(t, (size_t)nnz, sizeof *t, trip_cmp);
  /* unique pairs; a repeated pair must repeat its value */
  int64_t m = 0;
  bool any_birth = false;
  cn_status st = CN_OK;
  for (int64_t q = 0; q < nnz; q++) {
    if (m > 0 && t[m - 1].a == t[q].a && t[m - 1].b == t[q].b) {
      if (t[m - 1].v != t[q].v) {
        st = cn_error(CN_EINVAL,
                      "sparse matrix is not symmetric: entry (%lld, %lld) is "
                      "given as %g and as %g",
                      (long long)t[q].a + 1, (long long)t[q].b + 1, (double)t[m - 1].v,
                      (double)t[q].v);
        goto fail;
      }
      continue;
    }
    t[m++] = t[q];
  }
  int64_t ne = 0;
  for (int64_t q = 0; q < m; q++) {
    if (t[q].a == t[q].b) {
      c->births[t[q].a] = t[q].v;
      any_birth |= t[q].v != 0.0f;
    } else if (t[q].v <= thr && isfinite(t[q].v)) {
      c->nb_start[t[q].a + 1]++;
      c->nb_start[t[q].b + 1]++;
      ne++;
    }
  }
  *num_edges = ne;
  for (int64_t i = 0; i < n; i++) c->nb_start[i + 1] += c->nb_start[i];
  c->nb_idx = malloc((size_t)(2 * ne + 1) * sizeof *c->nb_idx);
  c->nb_val = malloc((size_t)(2 * ne + 1) * sizeof *c->nb_val);
  nbv *tmp = malloc((size_t)(2 * ne + 1) * sizeof *tmp);
  int64_t *fill = malloc((size_t)n * sizeof *fill);
  if (!c->nb_idx || !c->nb_val || !tmp || !fill) {
    free(tmp);
    free(fill);
    st = cn_error(CN_ENOMEM, "out of memory (%lld edges)", (long long)ne);
    goto fail;
  }
  memcpy(fill, c->nb_start, (size_t)n * sizeof *fill);
  for (int64_t q = 0; q < m; q++)
    if (t[q].a != t[q].b && t[q].v <= thr && isfinite(t[q].v)) {
      nbv x = {(int32_t)t[q].b, t[q].v}, y = {(int32_t)t[q].a, t[q].v};
      tmp[fill[t[q].a]++] = x;
      tmp[fill[t[q].b]++] = y;
    }
  for (int64_t i = 0; i < n; i++) {
    int64_t lo = c->nb_start[i], hi = c->nb_start[i + 1];
    if (hi - lo > 1) qsort(tmp + lo, (size_t)(hi - lo), sizeof *tmp, nbv_cmp);
    for (int64_t q = lo; q < hi; q++) {
      c->nb_idx[q] = tmp[q].j;
      c->nb_val[q] = tmp[q].v;
    }
  }
  free(tmp);
  free(fill);
  if (!any_birth) {
    free(c->births);
    c->births = NULL;
  }
fail:
  free(t);
  return st;
}
