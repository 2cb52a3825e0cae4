/* canns — dimension 0: the edges of the complex, union–find with the
 * elder rule (vertex births as in ripser.py), and the dimension-1 columns
 * (edges that close a cycle). */
#include <string.h>

#include "tda/tda_internal.h"

typedef struct uf {
  int64_t *parent;
  uint8_t *rank;
  float *birth;
} uf;

static int64_t uf_find(uf *u, int64_t x) {
  int64_t y = x, z = u->parent[y];
  while (z != y) {
    y = z;
    z = u->parent[y];
  }
  y = u->parent[x];
  while (z != y) { /* path compression */
    u->parent[x] = z;
    x = y;
    y = u->parent[x];
  }
  return z;
}

static void uf_link(uf *u, int64_t x, int64_t y) {
  x = uf_find(u, x);
  y = uf_find(u, y);
  if (x == y) return;
  float b = u->birth[x] < u->birth[y] ? u->birth[x] : u->birth[y];
  if (u->rank[x] > u->rank[y]) {
    u->parent[y] = x;
    u->birth[x] = b;
  } else {
    u->parent[x] = y;
    u->birth[y] = b;
    if (u->rank[x] == u->rank[y]) u->rank[y]++;
  }
}

static cn_status collect_edges(const tda_complex *c, tda_vec *edges) {
  const int64_t n = c->n;
  const float thr = c->threshold;
  int64_t m = 0;
  if (c->sparse) {
    m = c->nb_start[n] / 2;
  } else {
    for (int64_t i = 1; i < n; i++)
      for (int64_t j = 0; j < i; j++) m += c->D[i * n + j] <= thr;
  }
  if (!tda_vec_grow(edges, m > 0 ? m : 1))
    return cn_error(CN_ENOMEM, "out of memory (%lld edges)", (long long)m);
  edges->n = 0;
  for (int64_t i = 1; i < n; i++) {
    int64_t base = tda_C(&c->B, i, 2);
    if (c->sparse) {
      for (int64_t q = c->nb_start[i]; q < c->nb_start[i + 1]; q++) {
        int64_t j = c->nb_idx[q];
        if (j >= i) break;
        tda_entry e = {base + j, c->nb_val[q], 1};
        edges->a[edges->n++] = e;
      }
    } else {
      const float *row = c->D + i * n;
      for (int64_t j = 0; j < i; j++)
        if (row[j] <= thr) {
          tda_entry e = {base + j, row[j], 1};
          edges->a[edges->n++] = e;
        }
    }
  }
  return CN_OK;
}

cn_status tda_dim0(const tda_complex *c, const tda_engine_opts *eo,
                   tda_out *out, tda_vec *edges, tda_vec *columns) {
  const int64_t n = c->n;
  cn_status st = CN_OK;
  CN_TRY(collect_edges(c, edges));
  const int64_t m = edges->n;
  tda_out_peak(out, 2 * m * (int64_t)sizeof(tda_entry) + m + 13 * n); /* edges, columns */
  CN_TRY(tda_sort_columns(edges->a, m, eo->nthreads));
  out->n_columns[0] = m;

  /* apparent pairs (edge, triangle): independent of the union-find */
  uint8_t *apparent = NULL;
  if (c->maxdim > 0 && c->apparent && m > 0) {
    apparent = malloc((size_t)m);
    if (!apparent) return cn_error(CN_ENOMEM, "out of memory");
#pragma omp parallel for schedule(dynamic, 256) num_threads(eo->nthreads) if (m > 20000)
    for (int64_t q = 0; q < m; q++)
      apparent[q] = tda_zero_apparent_cofacet(c, &edges->a[q], 1).index != -1;
  }

  uf u = {malloc((size_t)n * sizeof(int64_t)), calloc((size_t)n, 1),
          malloc((size_t)n * sizeof(float))};
  if (!u.parent || !u.rank || !u.birth) {
    st = cn_error(CN_ENOMEM, "out of memory");
    goto done;
  }
  for (int64_t i = 0; i < n; i++) {
    u.parent[i] = i;
    u.birth[i] = c->births ? c->births[i] : 0.0f;
  }
  columns->n = 0;
  /* edges in filtration order = column order reversed */
  for (int64_t q = m - 1; q >= 0; q--) {
    const tda_entry *e = &edges->a[q];
    int64_t vi = tda_max_vertex(&c->B, e->index, 2, n - 1);
    int64_t vj = e->index - tda_C(&c->B, vi, 2);
    int64_t ru = uf_find(&u, vj), rv = uf_find(&u, vi);
    if (ru != rv) {
      float birth = u.birth[ru] > u.birth[rv] ? u.birth[ru] : u.birth[rv];
      if (e->diam > birth && (st = tda_out_bar(out, 0, birth, e->diam)) != CN_OK)
        goto done;
      uf_link(&u, ru, rv);
    } else if (c->maxdim > 0 && !(apparent && apparent[q])) {
      tda_vec_push(columns, *e);
    }
  }
  if (columns->failed) {
    st = cn_error(CN_ENOMEM, "out of memory (columns)");
    goto done;
  }
  /* back to column order */
  for (int64_t a = 0, b = columns->n - 1; a < b; a++, b--) {
    tda_entry t = columns->a[a];
    columns->a[a] = columns->a[b];
    columns->a[b] = t;
  }
  for (int64_t i = 0; i < n; i++)
    if (uf_find(&u, i) == i && (st = tda_out_bar(out, 0, u.birth[i], (float)INFINITY)) != CN_OK)
      goto done;
done:
  free(apparent);
  free(u.parent);
  free(u.rank);
  free(u.birth);
  return st;
}
