/* The fuzzy kNN graph of the ASA pipeline (cn_asa_fuzzy_graph: vectorised
 * distances, early-terminated sigma search, counting transposes) against
 * a plain dense reference written here the obvious way (every distance,
 * a full sort, full sums in the bisection, dense union), bit for bit, for
 * the four metrics, with duplicate points (zero distances) and several k. */
#include <stdint.h>

#include "canns/asa.h"
#include "test.h"

static double ref_dist(const double *a, const double *b, int64_t dim, cn_metric m) {
  double s = 0;
  if (m == CN_METRIC_COSINE) {
    double na = 0, nb = 0;
    for (int64_t j = 0; j < dim; j++) na += a[j] * a[j], nb += b[j] * b[j];
    for (int64_t j = 0; j < dim; j++) s += a[j] * b[j];
    double den = sqrt(na) * sqrt(nb);
    double d = 1.0 - s / den;
    if (!(den > 0)) d = 0;
    return d < 0 ? 0 : (d > 2 ? 2 : d);
  }
  for (int64_t j = 0; j < dim; j++) {
    double v = a[j] - b[j];
    if (m == CN_METRIC_MANHATTAN) s += fabs(v);
    else if (m == CN_METRIC_CHEBYSHEV) s = fabs(v) > s ? fabs(v) : s;
    else s += v * v;
  }
  return m == CN_METRIC_EUCLIDEAN ? sqrt(s) : s;
}

typedef struct { double d; int64_t i; } pr;
static int cmp_pr(const void *x, const void *y) {
  const pr *a = x, *b = y;
  if (a->d != b->d) return a->d < b->d ? -1 : 1;
  return (a->i > b->i) - (a->i < b->i);
}

/* dense n x n fuzzy union */
static void reference(const double *X, int64_t n, int64_t dim, int64_t k, cn_metric m, double *A) {
  int64_t *idx = malloc(sizeof(int64_t) * (size_t)(n * k));
  double *kd = malloc(sizeof(double) * (size_t)(n * k)), *W = calloc((size_t)(n * n), sizeof(double));
  pr *p = malloc(sizeof(pr) * (size_t)n);
  for (int64_t i = 0; i < n; i++) {
    for (int64_t j = 0; j < n; j++) p[j].i = j, p[j].d = j == i ? 0.0 : ref_dist(X + i * dim, X + j * dim, dim, m);
    qsort(p, (size_t)n, sizeof(pr), cmp_pr);
    for (int64_t j = 0; j < k; j++) idx[i * k + j] = p[j].i, kd[i * k + j] = p[j].d;
  }
  double mean = 0;
  for (int64_t q = 0; q < n * k; q++) mean += kd[q];
  mean /= (double)(n * k);
  double target = log2((double)k);
  for (int64_t i = 0; i < n; i++) {
    const double *d = kd + i * k;
    double lo = 0, hi = INFINITY, mid = 1.0;
    for (int it = 0; it < 64; it++) {
      double psum = 0;
      for (int64_t j = 1; j < k; j++) psum += d[j] > 0 ? exp(-(d[j] / mid)) : 1.0;
      if (fabs(psum - target) < 1e-5) break;
      if (psum > target) hi = mid, mid = (lo + hi) / 2.0;
      else {
        lo = mid;
        mid = hi == INFINITY ? mid * 2 : (lo + hi) / 2.0;
      }
    }
    double sigma = mid < 1e-3 * mean ? 1e-3 * mean : mid;
    for (int64_t j = 0; j < k; j++) {
      int64_t c = idx[i * k + j];
      W[i * n + c] = c == i ? 0.0 : d[j] <= 0.0 ? 1.0 : exp(-(d[j] / sigma));
    }
  }
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) {
      double x = W[i * n + j], y = W[j * n + i];
      A[i * n + j] = x + y - x * y;
    }
  free(idx), free(kd), free(W), free(p);
}

/* Every metric and three k on one point set: the graph equals the
 * reference entry for entry. */
static void check_set(const double *X, int64_t n, int64_t dim, const char *what) {
  double *A = malloc(sizeof(double) * (size_t)(n * n)), *B = malloc(sizeof(double) * (size_t)(n * n));
  cn_metric ms[4] = {CN_METRIC_COSINE, CN_METRIC_EUCLIDEAN, CN_METRIC_MANHATTAN, CN_METRIC_CHEBYSHEV};
  int64_t ks[3] = {2, 15, 100};
  for (int a = 0; a < 4; a++)
    for (int b = 0; b < 3; b++) {
      reference(X, n, dim, ks[b], ms[a], A);
      int64_t *rp;
      int32_t *col;
      double *val;
      CHECK_OK(cn_asa_fuzzy_graph(X, n, dim, ks[b], ms[a], 2, &rp, &col, &val));
      for (int64_t q = 0; q < n * n; q++) B[q] = 0;
      int sorted = 1;
      for (int64_t i = 0; i < n; i++)
        for (int64_t e = rp[i]; e < rp[i + 1]; e++) {
          B[i * n + col[e]] = val[e];
          if (e > rp[i] && col[e] <= col[e - 1]) sorted = 0;
        }
      CHECK(sorted);
      int64_t diff = 0;
      for (int64_t q = 0; q < n * n; q++) diff += A[q] != B[q];
      if (diff)
        fprintf(stderr, "%s, metric %d k %lld: %lld entries differ\n", what, a, (long long)ks[b],
                (long long)diff);
      CHECK(diff == 0);
      free(rp), free(col), free(val);
    }
  free(A), free(B);
}

TEST(fuzzy_graph_matches_the_plain_reference) {
  const int64_t n = 160, dim = 5;
  double *X = malloc(sizeof(double) * (size_t)(n * dim));
  uint64_t st = 12345;
  for (int64_t q = 0; q < n * dim; q++) {
    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
    X[q] = (double)(st >> 11) / 9007199254740992.0 - 0.3;
  }
  for (int64_t j = 0; j < dim; j++) X[7 * dim + j] = X[3 * dim + j]; /* duplicates: zero distances */
  for (int64_t j = 0; j < dim; j++) X[90 * dim + j] = X[3 * dim + j];
  check_set(X, n, dim, "random points");
  /* a small lattice: many equal distances, so the k-th ties */
  for (int64_t q = 0; q < n * dim; q++) {
    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
    X[q] = (double)((st >> 40) % 3) + 1.0;
  }
  check_set(X, n, dim, "lattice points");
  /* every point the same: all distances zero */
  for (int64_t q = 0; q < n * dim; q++) X[q] = 0.5 + (double)(q % dim);
  check_set(X, n, dim, "equal points");
  free(X);
}

int main(void) {
  RUN(fuzzy_graph_matches_the_plain_reference);
  return test_summary();
}
