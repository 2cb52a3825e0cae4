/* canns — grid modules: clustering units by their autocorrelograms
 * (upstream canns.analyzer.data.cell_classification
 * identify_grid_modules_and_stats).  A shared mask keeps the pixels of
 * the inscribed disk outside a small centre disk; a kNN graph over those
 * features (weights 1/(d + 1e-6)) is split by the Leiden algorithm
 * (igraph, modularity with a resolution), each cluster's median map is
 * scored by the gridness analyzer, and good clusters whose mean maps
 * correlate are merged (union-find) into modules.
 *
 *   cn_gridmod_params p = cn_gridmod_defaults();
 *   cn_gridmod_result r;            // arrays sized as documented below
 *   CN_TRY(cn_grid_modules(acs, n, h, w, &p, NULL, &r));
 */
#ifndef CANNS_GRIDMODULES_H
#define CANNS_GRIDMODULES_H

#include <stdint.h>

#include "canns/error.h"
#include "canns/gridness.h"
#include "canns/tda.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_gridmod_params {
  int64_t center_bins;       /* centre disk radius masked out (2) */
  int64_t k;                 /* neighbours of the kNN graph (30) */
  double resolution;         /* Leiden resolution gamma (1.0) */
  double score_thr;          /* module candidates: grid score > (0.3) */
  double consistency_thr;    /* and consistency > (0.5) */
  int64_t min_cells;         /* and size >= (10) */
  double merge_corr_thr;     /* merge candidates whose means correlate > (0.7) */
  cn_metric metric;          /* (manhattan); Minkowski is refused */
  int64_t n_iterations;      /* Leiden passes (2; < 0: until stable) */
  uint64_t seed;             /* Leiden's random seed (0) */
  cn_gridness_params gridness;
} cn_gridmod_params;

cn_gridmod_params cn_gridmod_defaults(void);

/* keep[h*w] = 1 for pixels with center_bins < r <= min(cy, cx), r the
 * distance to ((h-1)/2, (w-1)/2); *nkeep = their number. */
cn_status cn_gridmod_mask(int64_t h, int64_t w, int64_t center_bins, uint8_t *keep,
                          int64_t *nkeep);

/* Features x (n, nkeep) float32: the kept pixels (row-major) of each map,
 * NaN and +-inf replaced by 0. */
cn_status cn_gridmod_features(const double *acs, int64_t n, int64_t h, int64_t w,
                              const uint8_t *keep, float *x);

/* k_eff = min(max(k, 1), max(n - 1, 1)); ind/dist (n, k_eff + 1): each
 * row's nearest points by distance (ties by index), OpenMP over rows.
 * Distances are the TDA engine's kernels (cpu/ripser_dist.h): euclidean,
 * manhattan, chebyshev, cosine (1 - a.b / (|a| |b|) clipped to [0, 2], 1
 * when a norm is 0). */
int64_t cn_gridmod_keff(int64_t n, int64_t k);
cn_status cn_gridmod_knn(const float *x, int64_t n, int64_t d, int64_t k,
                         cn_metric metric, int64_t *ind, double *dist);

/* Undirected edges (a < b) from the kNN lists, skipping each row's first
 * entry and i == j, first occurrence kept, weight 1 / (d + 1e-6).
 * edges: 2 * n * k_eff slots, weights: n * k_eff; *ne = edges written. */
cn_status cn_gridmod_edges(const int64_t *ind, const double *dist, int64_t n, int64_t keff,
                           int64_t *edges, double *weights, int64_t *ne);

/* Leiden on the weighted graph, quality = modularity with resolution
 * (node weights = strengths, igraph resolution = gamma / (2 m)).
 * membership[n] is renumbered 0.. by decreasing cluster size (ties: the
 * cluster holding the lower unit first); *nclusters, *quality out. */
cn_status cn_gridmod_leiden(int64_t n, const int64_t *edges, const double *weights, int64_t ne,
                            double resolution, int64_t n_iterations, uint64_t seed,
                            int64_t *membership, int64_t *nclusters, double *quality);

typedef struct cn_gridmod_result {
  /* caller-allocated, n entries each */
  int64_t *cluster_id;       /* in: used when cluster_in is NULL (Leiden) */
  int64_t *module_id;        /* -1: not in a module */
  /* per cluster, n entries each (clusters numbered 0..nclusters-1 in
   * ascending order of the given ids) */
  int64_t *cluster_label;    /* the id each cluster carries in cluster_id */
  int64_t *cluster_size;
  double *cluster_score;     /* gridness of the median map */
  double *cluster_consistency;
  int64_t *cluster_module;   /* module of a candidate cluster, else -1 */
  /* per module (n entries each): medians over its clusters */
  double *module_score;
  double *module_consistency;
  int64_t nclusters;
  int64_t nmodules;
  double quality;            /* Leiden's quality (NaN when clusters given) */
} cn_gridmod_result;

/* The whole analysis.  acs (n, h, w) may hold NaN/inf (read as 0).
 * cluster_in: NULL to run the kNN graph and Leiden, or n cluster ids
 * (any integers) to score a given clustering. */
cn_status cn_grid_modules(const double *acs, int64_t n, int64_t h, int64_t w,
                          const cn_gridmod_params *p, const int64_t *cluster_in,
                          cn_gridmod_result *r);

#ifdef __cplusplus
}
#endif
#endif
