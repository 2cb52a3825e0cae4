/* canns — topological data analysis: Vietoris–Rips persistent homology.
 *
 * A re-implementation of Bauer's Ripser algorithm (cohomology with clearing,
 * emergent and apparent pairs) with the result layout of ripser.py:
 * persistence diagrams for dimensions 0..maxdim over Z/p (any prime
 * p < 2^16), representative cocycles, greedy (farthest point) subsampling,
 * and the shuffle null model of the ASA pipeline.
 *
 *   cn_ripser_opts o;
 *   cn_ripser_opts_default(&o);
 *   o.maxdim = 2;
 *   cn_ripser_result *r;
 *   CN_TRY(cn_ripser_points(&o, X, n, dim, &r));
 *   for (int64_t i = 0; i < r->n_bars[1]; i++)
 *     printf("[%g, %g)\n", r->dgms[1][2 * i], r->dgms[1][2 * i + 1]);
 *   cn_ripser_result_free(r);
 *
 * Values are float32 (as in Ripser): distances are computed and compared in
 * single precision.  Vertex ids in the C API are 0-based (error messages
 * count from 1, as everywhere in canns).  Results never
 * depend on the number of threads.  See docs/tda.md.
 */
#ifndef CANNS_TDA_H
#define CANNS_TDA_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest homology dimension the engine accepts. */
#define CN_RIPSER_MAXDIM 8

typedef enum cn_metric {
  CN_METRIC_EUCLIDEAN = 0,
  CN_METRIC_MANHATTAN,
  CN_METRIC_COSINE,    /* 1 - cos(angle), clipped to [0, 2] */
  CN_METRIC_CHEBYSHEV, /* max |x_k - y_k| */
  CN_METRIC_MINKOWSKI, /* (sum |x_k - y_k|^p)^(1/p) in double precision,
                          rounded to float (scipy's minkowski, which
                          upstream canns-lib uses for metric="minkowski") */
  CN_NMETRICS
} cn_metric;

/* "euclidean" (also "l2"), "manhattan" ("cityblock", "l1"), "cosine",
 * "chebyshev" ("linf"), "minkowski" (with an exponent p, below). */
cn_status cn_metric_from_name(const char *name, cn_metric *out);
const char *cn_metric_name(cn_metric m);

typedef struct cn_ripser_opts {
  int maxdim;           /* highest homology dimension (default 1)        */
  double thresh;        /* largest diameter; INFINITY (default) selects
                           the enclosing radius for dense input          */
  int coeff;            /* prime modulus p, 2 <= p < 65536 (default 2)   */
  bool do_cocycles;     /* representative cocycles (default false)       */
  cn_metric metric;     /* point clouds only (default euclidean)         */
  double metric_p;      /* Minkowski exponent, finite >= 1 (default 2);
                           only used with CN_METRIC_MINKOWSKI            */
  int64_t n_perm;       /* greedy subsample size, 0 = all points         */
  int num_threads;      /* 0 = OpenMP default                            */
  bool progress;        /* progress bar on long reductions               */
  bool apparent_pairs;  /* Ripser 1.2 apparent-pair shortcuts (default
                           true; results are identical either way)       */
  int engine;           /* 0 auto, 1 dense enumerator, 2 sparse (neighbour
                           lists); results are identical either way      */
} cn_ripser_opts;

enum { CN_RIPSER_AUTO = 0, CN_RIPSER_DENSE = 1, CN_RIPSER_SPARSE = 2 };

void cn_ripser_opts_default(cn_ripser_opts *o);

typedef struct cn_ripser_result {
  int maxdim;             /* diagrams 0..maxdim                          */
  int coeff;
  int64_t *n_bars;        /* [maxdim+1]                                  */
  float **dgms;           /* [maxdim+1][2*n_bars]: birth, death (+inf)   */
  /* Cocycles (only when do_cocycles; NULL otherwise).  Bar i of dimension
   * d >= 1 has rows cocycle_off[d][i] .. cocycle_off[d][i+1]-1 of
   * cocycles[d]; a row is d+2 int64: the d+1 vertex ids in decreasing
   * order (as ripser.py) and the coefficient in [0, p).  Dimension 0 has
   * no cocycles (offsets all 0). */
  int64_t **cocycle_off;  /* [maxdim+1][n_bars+1]                        */
  int64_t **cocycles;     /* [maxdim+1][(d+2)*rows]                      */
  int64_t num_edges;      /* edges (pairs with d <= threshold) in the complex */
  double threshold;       /* the threshold actually used                 */
  bool sparse_engine;     /* which enumerator ran                        */
  /* Points used (greedy permutation; 0..n-1 without n_perm). */
  int64_t n_perm;
  int64_t *idx_perm;      /* [n_perm] indices into the input rows        */
  double r_cover;         /* covering radius of the subsample (0 if none) */
  /* The distances used: [n_perm x n_input] row-major (dense input or point
   * clouds; NULL for sparse input). */
  float *dperm2all;
  int64_t dperm2all_cols;
  /* Statistics: columns reduced per dimension, peak bytes of the main
   * buffers of the engine. */
  int64_t *n_columns;     /* [maxdim+1] (entry 0: edges examined)         */
  int64_t peak_bytes;
} cn_ripser_result;

void cn_ripser_result_free(cn_ripser_result *r);

/* A point cloud: n rows of `dim` float coordinates (row-major). */
cn_status cn_ripser_points(const cn_ripser_opts *o, const float *X, int64_t n,
                           int64_t dim, cn_ripser_result **out);
/* A dense n x n distance matrix (row-major; the upper triangle is used; it
 * must be symmetric, non-negative, free of NaN; +inf allowed; a non-zero
 * diagonal gives vertex birth times as in ripser.py). */
cn_status cn_ripser_dense(const cn_ripser_opts *o, const float *D, int64_t n,
                          cn_ripser_result **out);
/* A sparse distance matrix of n vertices as nnz triplets (row, col, value),
 * 0-based.  (i, j) and (j, i) name the same edge (a repeated edge must
 * repeat its value); diagonal entries are vertex birth times; pairs not
 * listed (and +inf values) are not edges. */
cn_status cn_ripser_sparse(const cn_ripser_opts *o, int64_t n, int64_t nnz,
                           const int64_t *row, const int64_t *col,
                           const float *val, cn_ripser_result **out);

/* The plain reference: builds the whole filtration (all simplices up to
 * dimension maxdim+1 with diameter <= threshold), sorts it and reduces the
 * boundary matrix column by column (homology, no optimisation).  Same
 * inputs and diagram layout as cn_ripser_dense / cn_ripser_sparse (no
 * cocycles, no subsampling); for tests, limited to small inputs. */
cn_status cn_ripser_reference_dense(const cn_ripser_opts *o, const float *D,
                                    int64_t n, cn_ripser_result **out);
cn_status cn_ripser_reference_sparse(const cn_ripser_opts *o, int64_t n,
                                     int64_t nnz, const int64_t *row,
                                     const int64_t *col, const float *val,
                                     cn_ripser_result **out);

/* Pairwise distances of a point cloud (n x dim) into D (n x n), in single
 * precision with the summation order of Ripser's point-cloud reader. */
cn_status cn_pairwise_distances(const float *X, int64_t n, int64_t dim,
                                cn_metric metric, float *D);
/* The same with the Minkowski exponent p (finite, >= 1; used only by
 * CN_METRIC_MINKOWSKI). */
cn_status cn_pairwise_distances_p(const float *X, int64_t n, int64_t dim,
                                  cn_metric metric, double p, float *D);

/* Greedy permutation (farthest point sampling) as ripser.py: start at point
 * 0, repeatedly add the point farthest from the chosen set (first on ties).
 * dist(i, j) is given by a point cloud (X, dim, metric) or, when X is NULL,
 * by the rows of the dense matrix D (n x n).  Writes idx_perm[n_perm],
 * lambdas[n_perm] (insertion radii; lambdas[n_perm-1] is the covering
 * radius) and, when dperm2all is non-NULL, the n_perm x n distances. */
cn_status cn_greedy_perm(const float *X, int64_t dim, cn_metric metric, double p,
                         const float *D, int64_t n, int64_t n_perm,
                         int64_t *idx_perm, double *lambdas, float *dperm2all);

/* --- shuffle null model (canns_lib `shuffle_null_model`) --------------------------- */
typedef struct cn_shuffle_opts {
  int64_t num_shuffles; /* default 1000                                  */
  int maxdim;           /* 0..2 (default 1)                              */
  double thresh;        /* default INFINITY (enclosing radius)           */
  int coeff;            /* default 2 (canns passes its TDA coeff, 47)    */
  uint64_t seed;        /* default 0                                     */
  int num_threads;      /* 0 = OpenMP default                            */
  bool progress;
  cn_metric metric;     /* distance between neurons (default Euclidean)  */
  double metric_p;      /* Minkowski exponent (default 2)                */
  /* NULL, or num_shuffles x N explicit offsets in [0, T) (numpy.roll's:
   * row r of column c takes row (r - offset) mod T) replacing the seed */
  const int64_t *shifts;
} cn_shuffle_opts;

void cn_shuffle_opts_default(cn_shuffle_opts *o);

/* spikes: T x N row-major.  Shuffle s rolls every column c by its own
 * uniform shift in [0, T) (row r takes row (r + shift) mod T) drawn from a
 * Philox generator keyed by `seed` at counter block s * 2^32 + c, treats
 * the N columns as points of R^T (o->metric; the Euclidean path sums in
 * float with 8 partial sums, the others are cn_pairwise_distances_p's),
 * runs Ripser and stores the
 * largest finite lifetime of dimension d in out[d * num_shuffles + s]
 * (0 when there is none).  out has (maxdim+1) * num_shuffles floats. */
cn_status cn_shuffle_null_model(const cn_shuffle_opts *o, const float *spikes,
                                int64_t T, int64_t N, float *out);

/* The offsets (numpy.roll's, in [0, T)) the seeded null model uses:
 * out[s * N + c] for shuffle s and column c (canns_lib generate_offsets);
 * passing them as cn_shuffle_opts.shifts reproduces the seeded run. */
cn_status cn_shuffle_offsets(uint64_t seed, int64_t T, int64_t N, int64_t num_shuffles, int64_t *out);

/* The q-th percentile (0..100) of x[0..n-1] with linear interpolation
 * (numpy's default); NaN for n == 0. */
double cn_percentile(const float *x, int64_t n, double q);

#ifdef __cplusplus
}
#endif
#endif
