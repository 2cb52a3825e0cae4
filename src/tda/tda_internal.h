/* canns — internals of the Ripser engine (not part of the public API).
 *
 * Vocabulary (Bauer, "Ripser: efficient computation of Vietoris–Rips
 * persistence barcodes", 2021):
 *  - a k-simplex with vertices v_k > ... > v_0 has the combinatorial index
 *    sum_i C(v_i, i+1); its diameter is the largest pairwise distance;
 *  - filtration order: smaller diameter first, ties by larger index first;
 *  - cohomology columns of dimension d are the d-simplices, processed in
 *    the reverse order (larger diameter first, ties by smaller index);
 *  - the pivot of a column is the filtration-order-first cofacet of its
 *    reduced coboundary; (column, pivot) is a persistence pair.
 */
#ifndef CANNS_TDA_INTERNAL_H
#define CANNS_TDA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

#include "canns/tda.h"

/* Vertices of the largest simplex the engine touches (a cofacet of a
 * maxdim-simplex has maxdim + 2 vertices). */
#define TDA_MAXV (CN_RIPSER_MAXDIM + 2)

/* A simplex with its diameter and a coefficient in Z/p (16 bytes). */
typedef struct tda_entry {
  int64_t index;
  float diam;
  uint32_t coef;
} tda_entry;

/* "a comes before b in the filtration" */
static inline bool tda_before(const tda_entry *a, const tda_entry *b) {
  return a->diam < b->diam || (a->diam == b->diam && a->index > b->index);
}

/* --- binomial coefficients (binomial.c) ----------------------------- */
typedef struct tda_binom {
  int64_t n;      /* C(v, k) for 0 <= v <= n */
  int kmax;       /* and 0 <= k <= kmax       */
  int64_t stride; /* n + 1 */
  int64_t *tab;   /* tab[k * stride + v]      */
} tda_binom;

/* Fails with CN_ERANGE (before allocating) when an entry would not fit in
 * an int64. */
cn_status tda_binom_init(tda_binom *b, int64_t n, int kmax);
void tda_binom_free(tda_binom *b);
/* Does C(n, k) fit in an int64 (for every k' <= k)? */
bool tda_binom_fits(int64_t n, int k);

static inline int64_t tda_C(const tda_binom *b, int64_t v, int k) {
  return b->tab[(int64_t)k * b->stride + v];
}

/* Largest v in [k-1, top] with C(v, k) <= idx. */
static inline int64_t tda_max_vertex(const tda_binom *b, int64_t idx, int k,
                                     int64_t top) {
  if (k == 1) return idx < top ? idx : top;
  const int64_t *row = b->tab + (int64_t)k * b->stride;
  if (row[top] <= idx) return top;
  int64_t lo = k - 1, hi = top; /* row[lo] <= idx < row[hi] */
  while (hi - lo > 1) {
    int64_t mid = lo + ((hi - lo) >> 1);
    if (row[mid] <= idx)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* The dim+1 vertices of simplex idx, in decreasing order. */
static inline void tda_vertices(const tda_binom *b, int64_t idx, int dim,
                                int64_t n, int64_t *out) {
  int64_t v = n - 1;
  for (int k = dim + 1; k >= 1; k--) {
    v = tda_max_vertex(b, idx, k, v);
    out[dim + 1 - k] = v;
    idx -= tda_C(b, v, k);
  }
}

/* --- the filtered complex ------------------------------------------- */
typedef struct tda_complex {
  int64_t n;
  int maxdim;         /* effective top dimension: min(maxdim, n - 2), >= 0 */
  uint32_t p;         /* modulus */
  uint32_t *inv;      /* inv[a] * a = 1 mod p, a in 1..p-1 */
  float threshold;
  bool sparse;        /* enumerate through neighbour lists */
  bool apparent;      /* use apparent-pair shortcuts */
  const float *D;     /* dense: n x n, symmetric, zero diagonal */
  int64_t *nb_start;  /* sparse: CSR, neighbours sorted ascending */
  int32_t *nb_idx;
  float *nb_val;
  float *births;      /* vertex births (sparse only) or NULL */
  tda_binom B;
} tda_complex;

/* Distance between two distinct vertices (+inf when not adjacent). */
static inline float tda_dist(const tda_complex *c, int64_t i, int64_t j) {
  if (!c->sparse) return c->D[i * c->n + j];
  const int32_t *a = c->nb_idx + c->nb_start[i];
  int64_t lo = 0, hi = c->nb_start[i + 1] - c->nb_start[i];
  while (lo < hi) {
    int64_t mid = (lo + hi) >> 1;
    if (a[mid] < j)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < c->nb_start[i + 1] - c->nb_start[i] && a[lo] == j)
    return c->nb_val[c->nb_start[i] + lo];
  return (float)INFINITY;
}

/* --- growable arrays ------------------------------------------------ */
typedef struct tda_vec {
  tda_entry *a;
  int64_t n, cap;
  bool failed; /* an allocation failed: contents are incomplete */
} tda_vec;

bool tda_vec_grow(tda_vec *v, int64_t need);
static inline void tda_vec_push(tda_vec *v, tda_entry e) {
  if (v->n == v->cap && !tda_vec_grow(v, v->n + 1)) return;
  v->a[v->n++] = e;
}
void tda_vec_free(tda_vec *v);

/* --- 4-ary heap in filtration order (top = first in filtration) -----
 * The four children of node i are 4i+1 .. 4i+4: half the levels of a
 * binary heap, and siblings share cache lines. */
static inline void tda_heap_sift_up(tda_entry *a, int64_t i) {
  tda_entry x = a[i];
  while (i > 0) {
    int64_t parent = (i - 1) >> 2;
    if (!tda_before(&x, &a[parent])) break;
    a[i] = a[parent];
    i = parent;
  }
  a[i] = x;
}

static inline void tda_heap_sift_down(tda_entry *a, int64_t n, int64_t i) {
  tda_entry x = a[i];
  for (;;) {
    int64_t c = 4 * i + 1;
    if (c >= n) break;
    int64_t m = c, end = c + 4 < n ? c + 4 : n;
    for (int64_t j = c + 1; j < end; j++)
      if (tda_before(&a[j], &a[m])) m = j;
    if (!tda_before(&a[m], &x)) break;
    a[i] = a[m];
    i = m;
  }
  a[i] = x;
}

static inline void tda_heap_push(tda_vec *h, tda_entry e) {
  if (h->n == h->cap && !tda_vec_grow(h, h->n + 1)) return;
  h->a[h->n] = e;
  tda_heap_sift_up(h->a, h->n++);
}

static inline void tda_heap_pop(tda_vec *h) {
  if (--h->n > 0) {
    h->a[0] = h->a[h->n];
    tda_heap_sift_down(h->a, h->n, 0);
  }
}

static inline void tda_heapify(tda_vec *h) {
  if (h->n < 2) return;
  for (int64_t i = (h->n - 2) / 4; i >= 0; i--) tda_heap_sift_down(h->a, h->n, i);
}

/* Pop the first entry with its coefficients summed over equal indices;
 * entries summing to 0 vanish.  Returns index -1 when nothing is left. */
static inline tda_entry tda_heap_pop_pivot(tda_vec *h, uint32_t p) {
  tda_entry piv = {-1, 0.0f, 0};
  while (h->n > 0) {
    const tda_entry *top = &h->a[0];
    if (piv.coef == 0)
      piv = *top;
    else if (top->index != piv.index)
      return piv;
    else {
      piv.coef += top->coef;
      if (piv.coef >= p) piv.coef -= p;
    }
    tda_heap_pop(h);
  }
  if (piv.coef == 0) piv.index = -1;
  return piv;
}

/* The same, leaving the pivot on the heap. */
static inline tda_entry tda_heap_get_pivot(tda_vec *h, uint32_t p) {
  tda_entry piv = tda_heap_pop_pivot(h, p);
  if (piv.index != -1) tda_heap_push(h, piv);
  return piv;
}

/* --- pivot map: simplex index -> (column, coefficient) -------------- */
typedef struct tda_pmap {
  int64_t *keys; /* -1 = empty */
  int64_t *vals; /* column << 16 | coefficient */
  int64_t cap, n;
  int bits;
} tda_pmap;

cn_status tda_pmap_init(tda_pmap *m, int64_t expected);
void tda_pmap_free(tda_pmap *m);
/* Insert (never called concurrently with anything else). */
cn_status tda_pmap_insert(tda_pmap *m, int64_t key, int64_t col,
                          uint32_t coef);

static inline uint64_t tda_pmap_hash(int64_t key, int bits) {
  return ((uint64_t)key * 0x9E3779B97F4A7C15ull) >> (64 - bits);
}

/* The slot value of key, or -1. */
static inline int64_t tda_pmap_find(const tda_pmap *m, int64_t key) {
  uint64_t mask = (uint64_t)m->cap - 1, i = tda_pmap_hash(key, m->bits);
  for (;;) {
    int64_t k = m->keys[i];
    if (k == key) return m->vals[i];
    if (k == -1) return -1;
    i = (i + 1) & mask;
  }
}

/* --- coboundary enumeration ----------------------------------------- */
typedef struct tda_cob {
  const tda_complex *c;
  int64_t idx_below, idx_above, v;
  int k, dim;
  float diam;
  uint32_t coef;
  int64_t verts[TDA_MAXV]; /* decreasing (dense) / increasing (sparse) */
  const float *rows[TDA_MAXV];
  /* sparse: per vertex, the position (walking down) in its neighbour list */
  int64_t pos[TDA_MAXV], start[TDA_MAXV];
  int64_t nb;
  float nbd;
  bool empty;
} tda_cob;

static inline void tda_cob_set(tda_cob *e, const tda_complex *c,
                               const tda_entry *s, int dim) {
  e->c = c;
  e->idx_below = s->index;
  e->idx_above = 0;
  e->k = dim + 1;
  e->dim = dim;
  e->diam = s->diam;
  e->coef = s->coef;
  e->v = c->n - 1;
  e->empty = false;
  e->nb = -1;
  e->nbd = 0.0f;
  int64_t vd[TDA_MAXV];
  tda_vertices(&c->B, s->index, dim, c->n, vd);
  if (!c->sparse) {
    for (int i = 0; i <= dim; i++) {
      e->verts[i] = vd[i];
      e->rows[i] = c->D + vd[i] * c->n;
    }
  } else {
    e->empty = false;
  e->nb = -1;
  e->nbd = 0.0f;
    for (int i = 0; i <= dim; i++) {
      int64_t w = vd[dim - i]; /* increasing */
      e->verts[i] = w;
      e->start[i] = c->nb_start[w];
      e->pos[i] = c->nb_start[w + 1] - 1;
      if (e->pos[i] < e->start[i]) e->empty = true;
    }
  }
}

/* Is there another cofacet?  With all == false only cofacets whose new
 * vertex is larger than every vertex of the simplex are enumerated. */
static inline bool tda_cob_has_next(tda_cob *e, bool all) {
  const tda_complex *c = e->c;
  if (!c->sparse)
    return e->v >= e->k && (all || tda_C(&c->B, e->v, e->k) > e->idx_below);
  if (e->empty) return false;
  const int32_t *idx = c->nb_idx;
  const float *val = c->nb_val;
  for (; e->pos[0] >= e->start[0]; --e->pos[0]) {
    int64_t nb = idx[e->pos[0]];
    float nbd = val[e->pos[0]];
    for (int i = 1; i <= e->dim; i++) {
      while (idx[e->pos[i]] > nb)
        if (--e->pos[i] < e->start[i]) return false;
      if (idx[e->pos[i]] != nb) goto next_candidate;
      if (val[e->pos[i]] > nbd) nbd = val[e->pos[i]];
    }
    while (e->k > 0 && e->verts[e->k - 1] > nb) {
      if (!all) return false;
      e->idx_below -= tda_C(&c->B, e->verts[e->k - 1], e->k);
      e->idx_above += tda_C(&c->B, e->verts[e->k - 1], e->k + 1);
      --e->k;
    }
    e->nb = nb;
    e->nbd = nbd;
    return true;
  next_candidate:;
  }
  return false;
}

static inline tda_entry tda_cob_next(tda_cob *e) {
  const tda_complex *c = e->c;
  tda_entry out;
  uint32_t sign;
  if (!c->sparse) {
    while (tda_C(&c->B, e->v, e->k) <= e->idx_below) {
      e->idx_below -= tda_C(&c->B, e->v, e->k);
      e->idx_above += tda_C(&c->B, e->v, e->k + 1);
      --e->v;
      --e->k;
    }
    sign = (e->k & 1) ? c->p - 1 : 1;
    float d = e->diam;
    for (int i = 0; i <= e->dim; i++) {
      float x = e->rows[i][e->v];
      d = x > d ? x : d;
    }
    out.diam = d;
    out.index = e->idx_above + tda_C(&c->B, e->v, e->k + 1) + e->idx_below;
    --e->v;
  } else {
    sign = (e->k & 1) ? c->p - 1 : 1;
    --e->pos[0];
    out.diam = e->nbd > e->diam ? e->nbd : e->diam;
    out.index = e->idx_above + tda_C(&c->B, e->nb, e->k + 1) + e->idx_below;
  }
  out.coef = sign == 1 ? e->coef : c->p - e->coef; /* coef is never 0 */
  return out;
}

/* --- apparent pairs (apparent.c) ------------------------------------ */
/* First cofacet (largest index first) with the simplex's diameter. */
tda_entry tda_zero_pivot_cofacet(const tda_complex *c, const tda_entry *s,
                                 int dim);
/* First facet (smallest index first) with the simplex's diameter; its
 * coefficient is the boundary coefficient times s->coef. */
tda_entry tda_zero_pivot_facet(const tda_complex *c, const tda_entry *s,
                               int dim);
tda_entry tda_zero_apparent_cofacet(const tda_complex *c, const tda_entry *s,
                                    int dim);
tda_entry tda_zero_apparent_facet(const tda_complex *c, const tda_entry *s,
                                  int dim);
/* Is the simplex with vertices v (decreasing) and diameter d in a zero
 * apparent pair (as facet or as cofacet)? */
bool tda_in_apparent_pair_v(const tda_complex *c, const int64_t *v, int dim,
                            float d);
/* Diameter of a simplex from its index. */
float tda_diameter(const tda_complex *c, int64_t index, int dim);

/* --- sorting (sort.c) ----------------------------------------------- */
/* Sort in column order (larger diameter first, ties smaller index first),
 * in parallel with nthreads; the result is unique. */
cn_status tda_sort_columns(tda_entry *a, int64_t n, int nthreads);

/* --- results under construction (result.c) -------------------------- */
typedef struct tda_dimout {
  float *bars;        /* birth, death pairs */
  int64_t nbars, capbars;
  int64_t *cc_off;    /* per bar: start row; cc_off[nbars] = rows */
  int64_t capoff;
  int64_t *cc;        /* rows of dim+2 */
  int64_t ccrows, capcc;
} tda_dimout;

typedef struct tda_out {
  int ndims;
  bool cocycles;
  tda_dimout *d;
  int64_t *n_columns;
  /* memory estimate: `held` is what the caller holds while a stage runs;
   * each stage records held + its own buffers at its largest */
  int64_t held, peak_bytes;
} tda_out;

cn_status tda_out_init(tda_out *o, int maxdim, bool cocycles);
void tda_out_free(tda_out *o);
cn_status tda_out_bar(tda_out *o, int dim, float birth, float death);
/* Append one cocycle row to the last bar of `dim` (vertices decreasing). */
cn_status tda_out_cocycle_row(tda_out *o, int dim, const int64_t *verts,
                              int64_t coef);
void tda_out_peak(tda_out *o, int64_t stage_bytes);

/* --- the engine ----------------------------------------------------- */
typedef struct tda_engine_opts {
  int nthreads;
  bool progress;
  bool cocycles;
} tda_engine_opts;

/* dim 0 (h0.c): all edges with diameter <= threshold (the 1-simplices, in
 * any order) and the dim-1 columns in column order. */
cn_status tda_dim0(const tda_complex *c, const tda_engine_opts *eo,
                   tda_out *out, tda_vec *edges, tda_vec *columns);
/* Reduce the columns of dimension dim (reduce.c); the pivots are left in
 * map (which must be empty and sized for ncols on entry). */
cn_status tda_reduce(const tda_complex *c, const tda_engine_opts *eo, int dim,
                     const tda_vec *columns, tda_pmap *map, tda_out *out);
/* The columns of dimension dim from the (dim-1)-simplices (assemble.c);
 * replaces *simplices by the dim-simplices when keep_next. */
cn_status tda_assemble(const tda_complex *c, const tda_engine_opts *eo,
                       int dim, tda_vec *simplices, const tda_pmap *pivots,
                       bool keep_next, tda_vec *columns, tda_out *out);
/* Whole computation on a prepared complex (engine.c). */
cn_status tda_compute(const tda_complex *c, const tda_engine_opts *eo,
                      tda_out *out);

/* Modular inverses 1..p-1 (engine.c).  NULL on allocation failure. */
uint32_t *tda_inverses(uint32_t p);
bool tda_is_prime(int64_t p);

#endif
