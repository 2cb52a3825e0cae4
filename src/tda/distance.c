/* canns — metrics, pairwise distance matrices and the greedy permutation
 * (farthest point sampling) used by the TDA engine. */
#include <float.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "canns/tda.h"
#include "cpu/ripser_dist.h"

static const struct {
  const char *name;
  cn_metric m;
} metric_names[] = {
    {"euclidean", CN_METRIC_EUCLIDEAN}, {"l2", CN_METRIC_EUCLIDEAN},
    {"manhattan", CN_METRIC_MANHATTAN}, {"cityblock", CN_METRIC_MANHATTAN},
    {"l1", CN_METRIC_MANHATTAN},        {"cosine", CN_METRIC_COSINE},
    {"chebyshev", CN_METRIC_CHEBYSHEV}, {"linf", CN_METRIC_CHEBYSHEV},
    {"minkowski", CN_METRIC_MINKOWSKI},
};

cn_status cn_metric_from_name(const char *name, cn_metric *out) {
  for (size_t i = 0; i < sizeof metric_names / sizeof metric_names[0]; i++)
    if (name && strcasecmp(name, metric_names[i].name) == 0) {
      *out = metric_names[i].m;
      return CN_OK;
    }
  return cn_error(CN_EINVAL,
                  "unknown metric '%s' (expected euclidean, manhattan, cosine, "
                  "chebyshev or minkowski)",
                  name ? name : "(null)");
}

const char *cn_metric_name(cn_metric m) {
  switch (m) {
    case CN_METRIC_EUCLIDEAN: return "euclidean";
    case CN_METRIC_MANHATTAN: return "manhattan";
    case CN_METRIC_COSINE: return "cosine";
    case CN_METRIC_CHEBYSHEV: return "chebyshev";
    case CN_METRIC_MINKOWSKI: return "minkowski";
    default: return "?";
  }
}

/* scipy's minkowski: the sum of |x_k - y_k|^p in double, then its 1/p-th
 * power, rounded to float. */
static float minkowski(const float *a, const float *b, int64_t dim, double p) {
  double acc = 0.0;
  for (int64_t k = 0; k < dim; k++) acc += pow(fabs((double)a[k] - (double)b[k]), p);
  return (float)pow(acc, 1.0 / p);
}

static inline float metric_dist(const float *X, int64_t dim, cn_metric m, double p,
                                const double *norms, int64_t i, int64_t j) {
  const float *a = X + i * dim, *b = X + j * dim;
  switch (m) {
    case CN_METRIC_MINKOWSKI: return minkowski(a, b, dim, p);
    case CN_METRIC_MANHATTAN: return cn_kern_manhattan_f32(a, b, dim);
    case CN_METRIC_CHEBYSHEV: return cn_kern_chebyshev_f32(a, b, dim);
    case CN_METRIC_COSINE: return cn_kern_cosine_f32(a, b, dim, norms[i], norms[j]);
    default: return cn_kern_euclidean_f32(a, b, dim);
  }
}

static cn_status make_norms(const float *X, int64_t n, int64_t dim,
                            cn_metric m, double **norms) {
  *norms = NULL;
  if (m != CN_METRIC_COSINE) return CN_OK;
  *norms = malloc((size_t)(n > 0 ? n : 1) * sizeof **norms);
  if (!*norms) return cn_error(CN_ENOMEM, "distances: out of memory");
  for (int64_t i = 0; i < n; i++) (*norms)[i] = cn_kern_norm_f32(X + i * dim, dim);
  return CN_OK;
}

cn_status cn_pairwise_distances(const float *X, int64_t n, int64_t dim,
                                cn_metric metric, float *D) {
  return cn_pairwise_distances_p(X, n, dim, metric, 2.0, D);
}

static cn_status check_p(cn_metric metric, double p) {
  if (metric == CN_METRIC_MINKOWSKI && !(isfinite(p) && p >= 1))
    return cn_error(CN_EINVAL, "distances: the Minkowski exponent p must be finite and >= 1, got %g", p);
  return CN_OK;
}

cn_status cn_pairwise_distances_p(const float *X, int64_t n, int64_t dim,
                                  cn_metric metric, double p, float *D) {
  if (n < 0 || dim < 0) return cn_error(CN_EINVAL, "distances: bad shape");
  if ((unsigned)metric >= CN_NMETRICS) return cn_error(CN_EINVAL, "distances: bad metric");
  CN_TRY(check_p(metric, p));
  double *norms;
  CN_TRY(make_norms(X, n, dim, metric, &norms));
#pragma omp parallel for schedule(dynamic, 16) if (n * n * dim > 200000)
  for (int64_t i = 0; i < n; i++) {
    D[i * n + i] = 0.0f;
    for (int64_t j = 0; j < i; j++) {
      float d = metric_dist(X, dim, metric, p, norms, i, j);
      D[i * n + j] = d;
      D[j * n + i] = d;
    }
  }
  free(norms);
  return CN_OK;
}

cn_status cn_greedy_perm(const float *X, int64_t dim, cn_metric metric, double p,
                         const float *D, int64_t n, int64_t n_perm,
                         int64_t *idx_perm, double *lambdas, float *dperm2all) {
  if (n < 1 || n_perm < 1 || n_perm > n)
    return cn_error(CN_EINVAL, "greedy permutation: n_perm must be in 1..%lld, got %lld",
                    (long long)n, (long long)n_perm);
  double *norms = NULL;
  if (X) CN_TRY(make_norms(X, n, dim, metric, &norms));
  float *ds = malloc((size_t)n * sizeof *ds), *row = malloc((size_t)n * sizeof *row);
  if (!ds || !row) {
    free(ds);
    free(row);
    free(norms);
    return cn_error(CN_ENOMEM, "greedy permutation: out of memory");
  }
  int64_t cur = 0;
  for (int64_t i = 0; i < n_perm; i++) {
    /* distances from the newly chosen point `cur` to all points */
    if (X) {
#pragma omp parallel for schedule(static) if (n * dim > 100000)
      for (int64_t j = 0; j < n; j++)
        row[j] = j == cur ? 0.0f : metric_dist(X, dim, metric, p, norms, cur, j);
    } else {
      memcpy(row, D + cur * n, (size_t)n * sizeof *row);
      row[cur] = 0.0f;
    }
    if (dperm2all) memcpy(dperm2all + i * n, row, (size_t)n * sizeof *row);
    idx_perm[i] = cur;
    if (i == 0)
      memcpy(ds, row, (size_t)n * sizeof *ds);
    else
      for (int64_t j = 0; j < n; j++) ds[j] = row[j] < ds[j] ? row[j] : ds[j];
    /* the next point: first maximum of ds */
    int64_t arg = 0;
    for (int64_t j = 1; j < n; j++)
      if (ds[j] > ds[arg]) arg = j;
    lambdas[i] = ds[arg];
    cur = arg;
  }
  free(ds);
  free(row);
  free(norms);
  return CN_OK;
}
