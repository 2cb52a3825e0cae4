/* canns — helpers shared by the Ripser tests: point clouds and diagram
 * comparisons (bars as multisets). */
#ifndef CANNS_TEST_RIPSER_COMMON_H
#define CANNS_TEST_RIPSER_COMMON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canns/random.h"
#include "canns/tda.h"
#include "test.h"

/* --- point clouds (n x 3 unless said otherwise), malloc'd ------------ */
static inline float *cloud_circle(cn_rng *g, int n, double noise) {
  float *X = malloc((size_t)n * 2 * sizeof *X);
  for (int i = 0; i < n; i++) {
    double t = 2 * M_PI * cn_rng_uniform1(g);
    X[2 * i] = (float)(cos(t) + noise * cn_rng_normal1(g));
    X[2 * i + 1] = (float)(sin(t) + noise * cn_rng_normal1(g));
  }
  return X;
}

static inline float *cloud_sphere(cn_rng *g, int n, double noise) {
  float *X = malloc((size_t)n * 3 * sizeof *X);
  for (int i = 0; i < n; i++) {
    double v[3], r = 0;
    for (int k = 0; k < 3; k++) {
      v[k] = cn_rng_normal1(g);
      r += v[k] * v[k];
    }
    r = sqrt(r);
    for (int k = 0; k < 3; k++) X[3 * i + k] = (float)(v[k] / r + noise * cn_rng_normal1(g));
  }
  return X;
}

static inline float *cloud_torus(cn_rng *g, int n) {
  float *X = malloc((size_t)n * 3 * sizeof *X);
  for (int i = 0; i < n; i++) {
    double u = 2 * M_PI * cn_rng_uniform1(g), v = 2 * M_PI * cn_rng_uniform1(g);
    X[3 * i] = (float)((2 + cos(v)) * cos(u));
    X[3 * i + 1] = (float)((2 + cos(v)) * sin(u));
    X[3 * i + 2] = (float)sin(v);
  }
  return X;
}

static inline float *cloud_random(cn_rng *g, int n, int dim) {
  float *X = malloc((size_t)n * dim * sizeof *X);
  for (int i = 0; i < n * dim; i++) X[i] = (float)cn_rng_uniform1(g);
  return X;
}

/* Three tight clusters far apart. */
static inline float *cloud_clusters(cn_rng *g, int n) {
  float *X = malloc((size_t)n * 3 * sizeof *X);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < 3; k++)
      X[3 * i + k] = (float)((k == i % 3 ? 5.0 : 0.0) + 0.3 * cn_rng_normal1(g));
  return X;
}

/* Distances with many ties: integer grid coordinates. */
static inline float *matrix_ties(cn_rng *g, int n) {
  float *D = calloc((size_t)n * n, sizeof *D);
  int *c = malloc((size_t)n * 2 * sizeof *c);
  for (int i = 0; i < 2 * n; i++) c[i] = (int)(cn_rng_uniform1(g) * 4);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      D[i * n + j] = (float)(abs(c[2 * i] - c[2 * j]) + abs(c[2 * i + 1] - c[2 * j + 1]));
  /* distinct points may coincide: keep them at distance 0 (duplicates) */
  free(c);
  return D;
}

/* --- diagrams as sorted multisets ------------------------------------ */
static inline int bar_cmp(const void *a, const void *b) {
  const float *x = a, *y = b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  if (x[1] != y[1]) return x[1] < y[1] ? -1 : 1;
  return 0;
}

/* Are dimension d's diagrams of r and s equal as multisets (exactly)? */
static inline int same_diagram(const cn_ripser_result *r, const cn_ripser_result *s, int d) {
  if (r->n_bars[d] != s->n_bars[d]) {
    fprintf(stderr, "  H%d: %lld bars vs %lld\n", d, (long long)r->n_bars[d],
            (long long)s->n_bars[d]);
    return 0;
  }
  int64_t m = r->n_bars[d];
  float *a = malloc((size_t)(2 * m + 2) * sizeof *a), *b = malloc((size_t)(2 * m + 2) * sizeof *b);
  memcpy(a, r->dgms[d], (size_t)(2 * m) * sizeof *a);
  memcpy(b, s->dgms[d], (size_t)(2 * m) * sizeof *b);
  qsort(a, (size_t)m, 2 * sizeof *a, bar_cmp);
  qsort(b, (size_t)m, 2 * sizeof *b, bar_cmp);
  int ok = memcmp(a, b, (size_t)(2 * m) * sizeof *a) == 0;
  if (!ok)
    for (int64_t i = 0; i < m; i++)
      if (a[2 * i] != b[2 * i] || a[2 * i + 1] != b[2 * i + 1]) {
        fprintf(stderr, "  H%d bar %lld: [%.9g, %.9g) vs [%.9g, %.9g)\n", d, (long long)i,
                a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]);
        break;
      }
  free(a);
  free(b);
  return ok;
}

static inline int same_diagrams(const cn_ripser_result *r, const cn_ripser_result *s) {
  int ok = r->maxdim == s->maxdim;
  for (int d = 0; ok && d <= r->maxdim; d++) ok = same_diagram(r, s, d);
  return ok;
}

/* Bars, cocycles and everything else identical (not only as multisets). */
static inline int identical_results(const cn_ripser_result *r, const cn_ripser_result *s) {
  if (r->maxdim != s->maxdim || r->num_edges != s->num_edges) return 0;
  for (int d = 0; d <= r->maxdim; d++) {
    if (r->n_bars[d] != s->n_bars[d]) return 0;
    if (memcmp(r->dgms[d], s->dgms[d], (size_t)(2 * r->n_bars[d]) * sizeof(float))) return 0;
    if (!r->cocycles != !s->cocycles) return 0;
    if (r->cocycles) {
      int64_t rows = r->cocycle_off[d][r->n_bars[d]];
      if (memcmp(r->cocycle_off[d], s->cocycle_off[d], (size_t)(r->n_bars[d] + 1) * 8)) return 0;
      if (memcmp(r->cocycles[d], s->cocycles[d], (size_t)(rows * (d + 2)) * 8)) return 0;
    }
  }
  return 1;
}

/* Symmetric n x n Euclidean distances of a cloud. */
static inline float *distances_of(const float *X, int n, int dim) {
  float *D = malloc((size_t)n * n * sizeof *D);
  cn_pairwise_distances(X, n, dim, CN_METRIC_EUCLIDEAN, D);
  return D;
}

#endif
