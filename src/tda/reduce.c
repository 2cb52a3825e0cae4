/* canns — reduction of the coboundary matrix of one dimension (Ripser's
 * compute_pairs), with emergent and apparent pairs, and its parallel
 * schedule.
 *
 * Sequentially, column i (a d-simplex s) is reduced by repeatedly looking
 * up the pivot of its working coboundary: if an earlier column j claimed
 * it, a multiple of column j (s_j and its stored reduction entries) is
 * added; otherwise the pivot is new and (s, pivot) is a persistence pair.
 * This trajectory depends only on the claims of columns 0..i-1.
 *
 * Parallel schedule (identical results for any thread count): columns are
 * taken in blocks.  Phase 1 reduces every column of a block concurrently
 * against the claims made before the block (read-only), and stops at the
 * first pivot not claimed then.  Up to that point it followed exactly the
 * sequential trajectory.  Phase 2 walks the block in order, one thread,
 * and continues each column from where phase 1 stopped with all claims,
 * including those just made inside the block.  The reduced columns, pairs
 * and cocycles are therefore those of the sequential algorithm.
 */
#include <stdio.h>
#include <string.h>

#include "canns/progress.h"
#include "tda/radix_heap.h"
#include "tda/tda_internal.h"

enum { W_EMERGENT, W_PIVOT, W_ESSENTIAL };

typedef struct work {
  tda_rheap cob;   /* working coboundary (radix heap, see radix_heap.h) */
  tda_vec red;     /* working reduction column without the column itself
                      (unordered until the column is finished) */
  tda_entry col;   /* the column's simplex, coefficient 1 */
  tda_entry pivot; /* current pivot */
  int state;
  bool pivot_checked; /* pivot known not to be an apparent cofacet */
} work;

/* The stored reduction columns (entries of the reduction matrix below the
 * diagonal), appended in column order by phase 2 only. */
typedef struct redmat {
  tda_entry *e;
  int64_t n, cap;
  int64_t *end; /* end[i]: one past the last entry of column i */
} redmat;

typedef struct ctx {
  const tda_complex *c;
  int dim;
  const tda_entry *cols;
  tda_pmap *map;
  redmat *rm;
  tda_out *out;
  bool cocycles;
} ctx;

/* Push s into the reduction column and its coboundary into the heap.
 *
 * Every addition cancels the current pivot p: what is added is a multiple
 * of a column whose reduced coboundary starts at p (a reduced column, or
 * the coboundary of a simplex whose zero-pivot cofacet is p).  Its
 * cofacets before p in the filtration therefore sum to zero and are not
 * pushed at all; only those from p on are.  (Ripser pushes them and lets
 * them cancel in the heap.) */
static void add_simplex_coboundary(const ctx *x, const tda_entry *s, work *w) {
  const tda_complex *c = x->c;
  tda_vec_push(&w->red, *s);
  tda_cob e;
  tda_cob_set(&e, c, s, x->dim);
  const float thr = c->threshold;
  const tda_entry p = w->pivot;
  while (tda_cob_has_next(&e, true)) {
    tda_entry t = tda_cob_next(&e);
    if (t.diam <= thr && !tda_before(&t, &p)) tda_rheap_push(&w->cob, t);
  }
}

/* Add factor * (column j) to the working columns. */
static void add_column(const ctx *x, int64_t j, uint32_t factor, work *w) {
  const uint32_t p = x->c->p;
  tda_entry s = x->cols[j];
  s.coef = factor;
  add_simplex_coboundary(x, &s, w);
  int64_t lo = j > 0 ? x->rm->end[j - 1] : 0, hi = x->rm->end[j];
  for (int64_t q = lo; q < hi; q++) {
    tda_entry r = x->rm->e[q];
    r.coef = (uint32_t)(((uint64_t)r.coef * factor) % p);
    add_simplex_coboundary(x, &r, w);
  }
}

/* Enumerate the column's coboundary; stop early at an emergent pair. */
static void init_column(const ctx *x, work *w) {
  const tda_complex *c = x->c;
  tda_rheap_reset(&w->cob);
  w->red.n = 0;
  w->pivot_checked = false;
  tda_cob e;
  tda_cob_set(&e, c, &w->col, x->dim);
  bool check_emergent = true;
  const float thr = c->threshold;
  while (tda_cob_has_next(&e, true)) {
    tda_entry t = tda_cob_next(&e);
    if (t.diam > thr) continue;
    tda_rheap_push(&w->cob, t);
    if (check_emergent && t.diam == w->col.diam) {
      if (tda_pmap_find(x->map, t.index) == -1 &&
          !(c->apparent && tda_zero_apparent_facet(c, &t, x->dim + 1).index != -1)) {
        w->pivot = t;
        w->state = W_EMERGENT;
        return;
      }
      check_emergent = false;
    }
  }
  w->pivot = tda_rheap_pivot(&w->cob, c->p);
  w->state = w->pivot.index == -1 ? W_ESSENTIAL : W_PIVOT;
}

/* Reduce until the pivot is not claimed (state W_PIVOT) or the coboundary
 * is zero (W_ESSENTIAL). */
static void reduce_column(const ctx *x, work *w) {
  const tda_complex *c = x->c;
  const uint32_t p = c->p;
  for (;;) {
    if (w->pivot.index == -1) {
      w->state = W_ESSENTIAL;
      return;
    }
    int64_t v = tda_pmap_find(x->map, w->pivot.index);
    if (v != -1) {
      uint32_t cj = (uint32_t)(v & 0xffff);
      uint32_t factor =
          p - (uint32_t)(((uint64_t)w->pivot.coef * c->inv[cj]) % p);
      add_column(x, v >> 16, factor == p ? 0 : factor, w);
      w->pivot = tda_rheap_pivot(&w->cob, p);
      w->pivot_checked = false;
      continue;
    }
    if (c->apparent && !w->pivot_checked) {
      tda_entry f = tda_zero_apparent_facet(c, &w->pivot, x->dim + 1);
      if (f.index != -1) {
        f.coef = f.coef ? p - f.coef : 0;
        add_simplex_coboundary(x, &f, w);
        w->pivot = tda_rheap_pivot(&w->cob, p);
        continue;
      }
      w->pivot_checked = true;
    }
    w->state = W_PIVOT;
    return;
  }
}

static cn_status redmat_push(redmat *rm, tda_entry e) {
  if (rm->n == rm->cap) {
    int64_t cap = rm->cap ? rm->cap * 2 : 1024;
    tda_entry *a = realloc(rm->e, (size_t)cap * sizeof *a);
    if (!a) return cn_error(CN_ENOMEM, "out of memory (reduction matrix)");
    rm->e = a;
    rm->cap = cap;
  }
  rm->e[rm->n++] = e;
  return CN_OK;
}

static cn_status cocycle_row(const ctx *x, const tda_entry *s) {
  int64_t v[TDA_MAXV];
  tda_vertices(&x->c->B, s->index, x->dim, x->c->n, v);
  return tda_out_cocycle_row(x->out, x->dim, v, s->coef);
}

/* Phase 2 end of column i: record the pair, claim the pivot, store the
 * reduction column, emit the cocycle. */
static cn_status finish_column(const ctx *x, int64_t i, work *w) {
  const tda_complex *c = x->c;
  if (w->cob.failed || w->red.failed)
    return cn_error(CN_ENOMEM, "out of memory (working column)");
  bool essential = w->state == W_ESSENTIAL;
  float birth = w->col.diam, death = essential ? (float)INFINITY : w->pivot.diam;
  bool record = death > birth;
  if (record) {
    CN_TRY(tda_out_bar(x->out, x->dim, birth, death));
    if (x->cocycles) CN_TRY(cocycle_row(x, &w->col));
  }
  if (!essential) CN_TRY(tda_pmap_insert(x->map, w->pivot.index, i, w->pivot.coef));
  tda_heapify(&w->red); /* appended unordered; drained in filtration order */
  for (;;) {
    tda_entry e = tda_heap_pop_pivot(&w->red, c->p);
    if (e.index == -1) break;
    if (!essential) CN_TRY(redmat_push(x->rm, e));
    if (record && x->cocycles) CN_TRY(cocycle_row(x, &e));
  }
  x->rm->end[i] = x->rm->n;
  return CN_OK;
}

static void phase1(const ctx *x, work *w) {
  init_column(x, w);
  if (w->state == W_PIVOT) reduce_column(x, w);
}

static cn_status phase2(const ctx *x, int64_t i, work *w) {
  if (w->state == W_EMERGENT && tda_pmap_find(x->map, w->pivot.index) != -1)
    init_column(x, w); /* claimed inside the block: redo without the shortcut */
  if (w->state == W_PIVOT) reduce_column(x, w);
  return finish_column(x, i, w);
}

cn_status tda_reduce(const tda_complex *c, const tda_engine_opts *eo, int dim,
                     const tda_vec *columns, tda_pmap *map, tda_out *out) {
  const int64_t ncols = columns->n;
  out->n_columns[dim] = ncols;
  if (ncols == 0) return CN_OK;
  redmat rm = {0};
  rm.end = malloc((size_t)ncols * sizeof *rm.end);
  if (!rm.end) return cn_error(CN_ENOMEM, "out of memory (%lld columns)", (long long)ncols);
  ctx x = {c, dim, columns->a, map, &rm, out, eo->cocycles};
  /* threads only pay off with enough columns (results are the same);
   * CANNS_TDA_PAR_MIN_COLUMNS lowers the bar (for tests) */
  int64_t par_min = 4096;
  const char *env = getenv("CANNS_TDA_PAR_MIN_COLUMNS");
  if (env && *env) par_min = strtoll(env, NULL, 10);
  const int nt = (eo->nthreads > 1 && ncols >= par_min) ? eo->nthreads : 1;
  const int64_t bs = nt > 1 ? 256 * nt : 1;
  work *ws = calloc((size_t)bs, sizeof *ws);
  cn_status st = ws ? CN_OK : cn_error(CN_ENOMEM, "out of memory");
  char label[32];
  snprintf(label, sizeof label, "ripser H%d", dim);
  cn_progress *bar = (eo->progress && st == CN_OK) ? cn_progress_new(label, ncols) : NULL;
  for (int64_t b0 = 0; b0 < ncols && st == CN_OK; b0 += bs) {
    int64_t b1 = b0 + bs < ncols ? b0 + bs : ncols;
    for (int64_t i = b0; i < b1; i++) {
      ws[i - b0].col = columns->a[i];
      ws[i - b0].col.coef = 1;
    }
    if (nt > 1) {
#pragma omp parallel for schedule(dynamic, 4) num_threads(nt)
      for (int64_t i = b0; i < b1; i++) phase1(&x, &ws[i - b0]);
    } else {
      phase1(&x, &ws[0]);
    }
    for (int64_t i = b0; i < b1 && st == CN_OK; i++) st = phase2(&x, i, &ws[i - b0]);
    cn_progress_tick(bar, b1 - b0);
  }
  cn_progress_free(bar);
  int64_t wbytes = 0;
  if (ws)
    for (int64_t i = 0; i < bs; i++) {
      wbytes += (tda_rheap_capacity(&ws[i].cob) + ws[i].red.cap) * (int64_t)sizeof(tda_entry);
      tda_rheap_free(&ws[i].cob);
      tda_vec_free(&ws[i].red);
    }
  int64_t bytes = rm.cap * (int64_t)sizeof(tda_entry) + ncols * 8 + wbytes +
                  map->cap * 16;
  tda_out_peak(out, bytes);
  free(ws);
  free(rm.e);
  free(rm.end);
  return st;
}
