/* canns — geodesic distances on the movement-cost grid: Dijkstra from
 * every free cell on the 8-connected grid (horizontal steps cost dx,
 * vertical dy, diagonal sqrt(dx^2 + dy^2); a move is allowed whenever the
 * destination is free, as in upstream's numba path).  Sources run in
 * parallel; each thread keeps one heap and one distance row. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "spatial/spatial_internal.h"

typedef struct { double d; int64_t v; } item;

static void push(item *h, int64_t *n, double d, int64_t v) {
  int64_t i = (*n)++;
  while (i > 0) {
    int64_t p = (i - 1) / 2;
    if (h[p].d <= d) break;
    h[i] = h[p];
    i = p;
  }
  h[i].d = d, h[i].v = v;
}

static item pop(item *h, int64_t *n) {
  item top = h[0], last = h[--(*n)];
  int64_t i = 0, m = *n;
  for (;;) {
    int64_t c = 2 * i + 1;
    if (c >= m) break;
    if (c + 1 < m && h[c + 1].d < h[c].d) c++;
    if (h[c].d >= last.d) break;
    h[i] = h[c];
    i = c;
  }
  if (m > 0) h[i] = last;
  return top;
}

static const int DR[8] = {-1, 1, 0, 0, -1, -1, 1, 1}, DC[8] = {0, 0, -1, 1, -1, 1, -1, 1};

static void dijkstra_heap(const cn_costgrid *g, int64_t src, double *dist, item *heap) {
  int64_t R = g->rows, C = g->cols, N = R * C, n = 0;
  double step[8], diag = sqrt(g->dx * g->dx + g->dy * g->dy);
  for (int k = 0; k < 8; k++) step[k] = k < 2 ? g->dy : (k < 4 ? g->dx : diag);
  for (int64_t i = 0; i < N; i++) dist[i] = INFINITY;
  dist[src] = 0;
  push(heap, &n, 0, src);
  while (n > 0) {
    item it = pop(heap, &n);
    if (it.d > dist[it.v]) continue;
    int64_t r = it.v / C, c = it.v % C;
    for (int k = 0; k < 8; k++) {
      int64_t rr = r + DR[k], cc = c + DC[k];
      if (rr < 0 || rr >= R || cc < 0 || cc >= C) continue;
      int64_t v = rr * C + cc;
      if (g->costs[v] != 1) continue;
      double nd = it.d + step[k];
      if (nd < dist[v]) {
        dist[v] = nd;
        push(heap, &n, nd, v);
      }
    }
  }
}

static cn_status alloc_out(const cn_costgrid *g, cn_array **out) {
  int64_t n = g->nfree;
  if (n > 60000) return cn_error(CN_ERANGE, "%lld free cells: the %lld x %lld distance matrix is too large", (long long)n, (long long)n, (long long)n);
  return cn_array_new2(out, CN_FLOAT64, n, n);
}

cn_status cn_costgrid_geodesic(const cn_costgrid *g, cn_array **out) {
  CN_TRY(alloc_out(g, out));
  int64_t n = g->nfree, N = g->rows * g->cols;
  if (n == 0) return CN_OK;
  int64_t *cells = malloc(sizeof(int64_t) * (size_t)n);
  if (!cells) {
    cn_array_release(*out);
    *out = NULL;
    return cn_error(CN_ENOMEM, "geodesic: out of memory");
  }
  for (int64_t i = 0, k = 0; i < N; i++)
    if (g->costs[i] == 1) cells[k++] = i;
  double *D = cn_f64(*out);
  int failed = 0;
#pragma omp parallel num_threads(cn_threads_for(n * N))
  {
    double *dist = malloc(sizeof(double) * (size_t)N);
    item *heap = malloc(sizeof(item) * (size_t)(8 * N + 1));
    if (!dist || !heap) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(dynamic, 8)
    for (int64_t s = 0; s < n; s++) {
      if (!dist || !heap) continue;
      dijkstra_heap(g, cells[s], dist, heap);
      double *row = D + s * n;
      for (int64_t j = 0; j < n; j++) row[j] = dist[cells[j]];
    }
    free(dist), free(heap);
  }
  free(cells);
  if (failed) {
    cn_array_release(*out);
    *out = NULL;
    return cn_error(CN_ENOMEM, "geodesic: out of memory");
  }
  return CN_OK;
}

/* The plain reference: textbook O(V^2) Dijkstra with a visited set and a
 * linear search for the nearest unvisited cell, one source at a time. */
cn_status cn_costgrid_geodesic_ref(const cn_costgrid *g, cn_array **out) {
  CN_TRY(alloc_out(g, out));
  int64_t n = g->nfree, R = g->rows, C = g->cols, N = R * C;
  if (n == 0) return CN_OK;
  double *dist = malloc(sizeof(double) * (size_t)N);
  char *done = malloc((size_t)N);
  if (!dist || !done) {
    free(dist), free(done), cn_array_release(*out);
    *out = NULL;
    return cn_error(CN_ENOMEM, "geodesic: out of memory");
  }
  double diag = sqrt(g->dx * g->dx + g->dy * g->dy);
  double *D = cn_f64(*out);
  int64_t s = 0;
  for (int64_t src = 0; src < N; src++) {
    if (g->costs[src] != 1) continue;
    for (int64_t i = 0; i < N; i++) dist[i] = INFINITY, done[i] = 0;
    dist[src] = 0;
    for (;;) {
      int64_t u = -1;
      for (int64_t i = 0; i < N; i++)
        if (!done[i] && isfinite(dist[i]) && (u < 0 || dist[i] < dist[u])) u = i;
      if (u < 0) break;
      done[u] = 1;
      int64_t r = u / C, c = u % C;
      for (int dr = -1; dr <= 1; dr++)
        for (int dc = -1; dc <= 1; dc++) {
          if (!dr && !dc) continue;
          int64_t rr = r + dr, cc = c + dc;
          if (rr < 0 || rr >= R || cc < 0 || cc >= C || g->costs[rr * C + cc] != 1) continue;
          double w = dr && dc ? diag : (dr ? g->dy : g->dx);
          if (dist[u] + w < dist[rr * C + cc]) dist[rr * C + cc] = dist[u] + w;
        }
    }
    for (int64_t i = 0, j = 0; i < N; i++)
      if (g->costs[i] == 1) D[s * n + j++] = dist[i];
    s++;
  }
  free(dist), free(done);
  return CN_OK;
}
