/* canns — the columns of the next dimension (Ripser's
 * assemble_columns_to_reduce): every d-simplex is generated once, as a
 * cofacet of a (d-1)-simplex whose vertices are all smaller than the new
 * vertex; simplices that were pivots of dimension d-1 are cleared, and
 * simplices in an apparent pair are skipped.  The work is split into a
 * fixed number of chunks whose outputs are concatenated in order, and the
 * columns are then sorted, so the result does not depend on threads. */
#include <string.h>

#include "tda/tda_internal.h"

#define NCHUNKS 64

cn_status tda_assemble(const tda_complex *c, const tda_engine_opts *eo,
                       int dim, tda_vec *simplices, const tda_pmap *pivots,
                       bool keep_next, tda_vec *columns, tda_out *out) {
  const int64_t m = simplices->n;
  tda_vec nxt[NCHUNKS], col[NCHUNKS];
  memset(nxt, 0, sizeof nxt);
  memset(col, 0, sizeof col);
  const float thr = c->threshold;
  const int nt = eo->nthreads > 0 ? eo->nthreads : 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) if (nt > 1 && m * c->n > 4000000)
  for (int ch = 0; ch < NCHUNKS; ch++) {
    int64_t lo = m * ch / NCHUNKS, hi = m * (ch + 1) / NCHUNKS;
    for (int64_t q = lo; q < hi; q++) {
      tda_entry s = simplices->a[q];
      s.coef = 1;
      tda_cob e;
      tda_cob_set(&e, c, &s, dim - 1);
      int64_t tv[TDA_MAXV + 1]; /* the cofacet's vertices: new one first */
      tda_vertices(&c->B, s.index, dim - 1, c->n, tv + 1);
      while (tda_cob_has_next(&e, false)) {
        tda_entry t = tda_cob_next(&e);
        if (t.diam > thr) continue;
        t.coef = 1;
        if (keep_next) tda_vec_push(&nxt[ch], t);
        if (tda_pmap_find(pivots, t.index) != -1) continue;
        if (c->apparent) {
          tv[0] = c->sparse ? e.nb : e.v + 1;
          if (tda_in_apparent_pair_v(c, tv, dim, t.diam)) continue;
        }
        tda_vec_push(&col[ch], t);
      }
    }
  }
  int64_t nn = 0, nc = 0;
  bool failed = false;
  for (int ch = 0; ch < NCHUNKS; ch++) {
    nn += nxt[ch].n;
    nc += col[ch].n;
    failed |= nxt[ch].failed || col[ch].failed;
  }
  cn_status st = CN_OK;
  columns->n = 0;
  if (failed || !tda_vec_grow(columns, nc > 0 ? nc : 1)) {
    st = cn_error(CN_ENOMEM, "out of memory (%lld columns of dimension %d)",
                  (long long)nc, dim);
    goto done;
  }
  for (int ch = 0; ch < NCHUNKS; ch++) {
    if (col[ch].n) memcpy(columns->a + columns->n, col[ch].a, (size_t)col[ch].n * sizeof(tda_entry));
    columns->n += col[ch].n;
    tda_vec_free(&col[ch]);
  }
  if (keep_next) {
    tda_vec_free(simplices);
    if (!tda_vec_grow(simplices, nn > 0 ? nn : 1)) {
      st = cn_error(CN_ENOMEM, "out of memory (%lld simplices of dimension %d)",
                    (long long)nn, dim);
      goto done;
    }
    for (int ch = 0; ch < NCHUNKS; ch++) {
      if (nxt[ch].n)
        memcpy(simplices->a + simplices->n, nxt[ch].a, (size_t)nxt[ch].n * sizeof(tda_entry));
      simplices->n += nxt[ch].n;
    }
  }
  /* the chunk outputs, the old simplices and the concatenated copies */
  tda_out_peak(out, (2 * (nn + nc) + simplices->cap) * (int64_t)sizeof(tda_entry) +
                        pivots->cap * 16);
  st = tda_sort_columns(columns->a, columns->n, nt);
done:
  for (int ch = 0; ch < NCHUNKS; ch++) {
    tda_vec_free(&nxt[ch]);
    tda_vec_free(&col[ch]);
  }
  return st;
}
