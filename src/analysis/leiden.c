/* canns — the Leiden step of the grid-module analysis, through igraph's
 * igraph_community_leiden (the quality function of leidenalg's
 * RBConfigurationVertexPartition: modularity with a resolution gamma, as
 * igraph's CPM with node weights = strengths and resolution gamma / 2m).
 * See include/canns/gridmodules.h. */
#include "canns/gridmodules.h"

#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int64_t size, first, old; } csize;

static int cmp_csize(const void *pa, const void *pb) {
  const csize *a = pa, *b = pb;
  if (a->size != b->size) return (a->size < b->size) - (a->size > b->size);
  return (a->first > b->first) - (a->first < b->first);
}

/* renumber 0.. by decreasing size, ties by the lowest member */
static cn_status renumber(int64_t *mem, int64_t n, int64_t *nclusters) {
  int64_t nc = 0;
  for (int64_t i = 0; i < n; i++)
    if (mem[i] + 1 > nc) nc = mem[i] + 1;
  csize *c = calloc((size_t)(nc > 0 ? nc : 1), sizeof(csize));
  int64_t *map = malloc(sizeof(int64_t) * (size_t)(nc > 0 ? nc : 1));
  if (!c || !map) {
    free(c), free(map);
    return cn_error(CN_ENOMEM, "out of memory renumbering clusters");
  }
  for (int64_t q = 0; q < nc; q++) c[q].first = n, c[q].old = q;
  for (int64_t i = 0; i < n; i++) {
    csize *e = c + mem[i];
    if (e->size++ == 0) e->first = i;
  }
  qsort(c, (size_t)nc, sizeof(csize), cmp_csize);
  int64_t used = 0;
  for (int64_t q = 0; q < nc; q++) {
    map[c[q].old] = q;
    used += c[q].size > 0;
  }
  for (int64_t i = 0; i < n; i++) mem[i] = map[mem[i]];
  *nclusters = used;
  free(c), free(map);
  return CN_OK;
}

cn_status cn_gridmod_leiden(int64_t n, const int64_t *edges, const double *weights, int64_t ne,
                            double resolution, int64_t n_iterations, uint64_t seed,
                            int64_t *membership, int64_t *nclusters, double *quality) {
  if (n < 1) return cn_error(CN_EINVAL, "need at least one vertex, got %lld", (long long)n);
  if (!(resolution >= 0) || !isfinite(resolution))
    return cn_error(CN_EINVAL, "resolution must be finite and >= 0, got %g", resolution);
  for (int64_t e = 0; e < ne; e++) {
    if (edges[2 * e] < 0 || edges[2 * e] >= n || edges[2 * e + 1] < 0 || edges[2 * e + 1] >= n)
      return cn_error(CN_EINVAL, "edge %lld joins vertices outside 0..%lld", (long long)e, (long long)n - 1);
    if (!(weights[e] >= 0) || !isfinite(weights[e]))
      return cn_error(CN_EINVAL, "edge weight %lld must be finite and >= 0, got %g", (long long)e, weights[e]);
  }
  if (ne == 0) { /* no edges: every unit its own cluster */
    for (int64_t i = 0; i < n; i++) membership[i] = i;
    *nclusters = n;
    *quality = 0;
    return CN_OK;
  }
  igraph_error_handler_t *old_err = igraph_set_error_handler(igraph_error_handler_ignore);
  igraph_warning_handler_t *old_warn = igraph_set_warning_handler(igraph_warning_handler_ignore);
  cn_status st = CN_OK;
  igraph_t g;
  igraph_vector_int_t ev, mem;
  igraph_vector_t w, strength;
  int have_g = 0, have_ev = 0, have_mem = 0, have_w = 0, have_s = 0;
  igraph_integer_t nb = 0;
  igraph_real_t q = NAN;
  if (igraph_vector_int_init(&ev, 2 * ne) != IGRAPH_SUCCESS) goto fail;
  have_ev = 1;
  for (int64_t e = 0; e < 2 * ne; e++) VECTOR(ev)[e] = (igraph_integer_t)edges[e];
  if (igraph_create(&g, &ev, (igraph_integer_t)n, IGRAPH_UNDIRECTED) != IGRAPH_SUCCESS) goto fail;
  have_g = 1;
  if (igraph_vector_init(&w, ne) != IGRAPH_SUCCESS) goto fail;
  have_w = 1;
  double total = 0;
  for (int64_t e = 0; e < ne; e++) VECTOR(w)[e] = weights[e], total += weights[e];
  if (!(total > 0)) {
    st = cn_error(CN_EINVAL, "the graph's edge weights sum to %g; need > 0", total);
    goto out;
  }
  if (igraph_vector_init(&strength, n) != IGRAPH_SUCCESS) goto fail;
  have_s = 1;
  if (igraph_strength(&g, &strength, igraph_vss_all(), IGRAPH_ALL, 1, &w) != IGRAPH_SUCCESS) goto fail;
  if (igraph_vector_int_init(&mem, n) != IGRAPH_SUCCESS) goto fail;
  have_mem = 1;
  igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
  if (igraph_community_leiden(&g, &w, &strength, resolution / (2.0 * total), 0.01, 0,
                              (igraph_integer_t)(n_iterations == 0 ? 1 : n_iterations), &mem, &nb,
                              &q) != IGRAPH_SUCCESS)
    goto fail;
  for (int64_t i = 0; i < n; i++) membership[i] = (int64_t)VECTOR(mem)[i];
  *quality = (double)q;
  st = renumber(membership, n, nclusters);
  goto out;
fail:
  st = cn_error(CN_EINTERNAL, "igraph's Leiden clustering failed on a graph of %lld vertices and %lld edges",
                (long long)n, (long long)ne);
out:
  if (have_mem) igraph_vector_int_destroy(&mem);
  if (have_s) igraph_vector_destroy(&strength);
  if (have_w) igraph_vector_destroy(&w);
  if (have_g) igraph_destroy(&g);
  if (have_ev) igraph_vector_int_destroy(&ev);
  igraph_set_error_handler(old_err);
  igraph_set_warning_handler(old_warn);
  return st;
}
