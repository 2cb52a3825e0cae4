/* canns — the fuzzy kNN graph's fast rows (cosine, euclidean: vectorised
 * distances, radix selection and sort) against its plain per-pair path
 * (full distance, quickselect and comparison sort of (distance, index)
 * pairs), bit for bit, on points with many exact ties (repeated and
 * scaled points) and on random points. */
#include <stdint.h>

#include "canns/asa.h"
#include "test.h"

static void graph(const double *X, int64_t n, int64_t dim, int64_t k, cn_metric m, int plain,
                  int64_t **rp, int32_t **col, double **val) {
  cn_asa_fuzzy_plain = plain;
  CHECK_OK(cn_asa_fuzzy_graph(X, n, dim, k, m, 1, rp, col, val));
  cn_asa_fuzzy_plain = 0;
}

static void compare(const double *X, int64_t n, int64_t dim, int64_t k, cn_metric m) {
  int64_t *r0, *r1;
  int32_t *c0, *c1;
  double *v0, *v1;
  graph(X, n, dim, k, m, 1, &r0, &c0, &v0);
  graph(X, n, dim, k, m, 0, &r1, &c1, &v1);
  CHECK(memcmp(r0, r1, sizeof(int64_t) * (size_t)(n + 1)) == 0);
  if (r0[n] == r1[n]) {
    CHECK(memcmp(c0, c1, sizeof(int32_t) * (size_t)r0[n]) == 0);
    CHECK(memcmp(v0, v1, sizeof(double) * (size_t)r0[n]) == 0);
  }
  free(r0); free(c0); free(v0); free(r1); free(c1); free(v1);
}

static uint64_t rs = 88172645463325252ull;
static double urand(void) {
  rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17;
  return (double)(rs >> 11) / 9007199254740992.0;
}

TEST(fast_rows_match_plain) {
  enum { N = 300, D = 6 };
  static double X[N * D];
  for (int i = 0; i < N * D; i++) X[i] = urand() - 0.5;
  int ks[] = {1, 2, 15, 150, N};
  for (int a = 0; a < 5; a++) {
    compare(X, N, D, ks[a], CN_METRIC_COSINE);
    compare(X, N, D, ks[a], CN_METRIC_EUCLIDEAN);
  }
  /* ties: every point repeated or scaled from 20 distinct ones (cosine
   * distance 0 between scaled copies), a few zero rows */
  for (int i = 20; i < N; i++)
    for (int c = 0; c < D; c++) X[i * D + c] = X[(i % 20) * D + c] * (i % 3 == 0 ? 2.0 : 1.0);
  for (int c = 0; c < D; c++) X[5 * D + c] = X[77 * D + c] = 0;
  for (int a = 0; a < 5; a++) {
    compare(X, N, D, ks[a], CN_METRIC_COSINE);
    compare(X, N, D, ks[a], CN_METRIC_EUCLIDEAN);
  }
}

/* The graph is the same for any thread count (the counting transposes
 * split rows into one block per thread), and the union is symmetric:
 * A[i][j] = W[i][j] + W[j][i] - W[i][j] W[j][i] is the same double both
 * ways, each row listing increasing columns. */
TEST(graph_is_symmetric_and_thread_independent) {
  enum { N = 700, D = 6, K = 40 };
  static double X[N * D];
  for (int i = 0; i < N * D; i++) X[i] = urand() - 0.5;
  int64_t *r1;
  int32_t *c1;
  double *v1;
  CHECK_OK(cn_asa_fuzzy_graph(X, N, D, K, CN_METRIC_EUCLIDEAN, 1, &r1, &c1, &v1));
  for (int64_t i = 0; i < N; i++)
    for (int64_t a = r1[i]; a < r1[i + 1]; a++) {
      if (a > r1[i]) CHECK(c1[a] > c1[a - 1]);
      int64_t j = c1[a], b = r1[j];
      while (b < r1[j + 1] && c1[b] != i) b++;
      CHECK(b < r1[j + 1] && v1[b] == v1[a]);
    }
  CHECK(r1[N] > (int64_t)N * (K - 1)); /* at least W's own entries */
  for (int th = 2; th <= 3; th++) {
    int64_t *r;
    int32_t *c;
    double *v;
    CHECK_OK(cn_asa_fuzzy_graph(X, N, D, K, CN_METRIC_EUCLIDEAN, th, &r, &c, &v));
    CHECK(memcmp(r, r1, sizeof(int64_t) * (N + 1)) == 0);
    CHECK(memcmp(c, c1, sizeof(int32_t) * (size_t)r1[N]) == 0);
    CHECK(memcmp(v, v1, sizeof(double) * (size_t)r1[N]) == 0);
    free(r); free(c); free(v);
  }
  free(r1); free(c1); free(v1);
}

int main(void) {
  RUN(fast_rows_match_plain);
  RUN(graph_is_symmetric_and_thread_independent);
  return test_summary();
}
