/* Unit tests of the Ripser engine: known diagrams of small spaces, the
 * engine against the plain boundary-matrix reference (primes 2, 3, 5 and
 * 65521, both enumerators, with and without apparent pairs, 1 and 2
 * threads), the cocycle condition of every representative, greedy
 * subsampling, metrics, bad input and overflow guards.  The comparison
 * with Bauer's ripser binary is in test_ripser_bauer.c. */
#include "test_ripser_common.h"

static cn_ripser_opts opts(int maxdim, int coeff) {
  cn_ripser_opts o;
  cn_ripser_opts_default(&o);
  o.maxdim = maxdim;
  o.coeff = coeff;
  o.num_threads = 1;
  return o;
}

/* Count the bars of dimension d equal to (b, e) within tol. */
static int count_bars(const cn_ripser_result *r, int d, double b, double e, double tol) {
  int c = 0;
  for (int64_t i = 0; i < r->n_bars[d]; i++) {
    double x = r->dgms[d][2 * i], y = r->dgms[d][2 * i + 1];
    if (fabs(x - b) <= tol && (isinf(e) ? isinf(y) : fabs(y - e) <= tol)) c++;
  }
  return c;
}

TEST(known_small_spaces) {
  cn_ripser_opts o = opts(1, 2);
  cn_ripser_result *r;
  /* a single point: one essential H0 bar, empty H1 */
  float p1[2] = {0.5f, 0.5f};
  CHECK_OK(cn_ripser_points(&o, p1, 1, 2, &r));
  CHECK(r->n_bars[0] == 1 && isinf(r->dgms[0][1]) && r->dgms[0][0] == 0 && r->n_bars[1] == 0);
  cn_ripser_result_free(r);
  /* two points at distance 2: [0, 2) and [0, inf) */
  float p2[4] = {0, 0, 2, 0};
  o.thresh = 3;
  CHECK_OK(cn_ripser_points(&o, p2, 2, 2, &r));
  CHECK(r->n_bars[0] == 2 && count_bars(r, 0, 0, 2, 0) == 1 && count_bars(r, 0, 0, INFINITY, 0) == 1);
  CHECK(r->num_edges == 1);
  cn_ripser_result_free(r);
  /* unit square: three [0,1) bars, one essential, one H1 bar [1, sqrt 2) */
  float sq[8] = {0, 0, 1, 0, 1, 1, 0, 1};
  o.thresh = INFINITY;
  CHECK_OK(cn_ripser_points(&o, sq, 4, 2, &r));
  CHECK(count_bars(r, 0, 0, 1, 0) == 3 && count_bars(r, 0, 0, INFINITY, 0) == 1);
  CHECK(r->n_bars[1] == 1 && count_bars(r, 1, 1, sqrtf(2.0f), 0) == 1);
  CHECK_NEAR(r->threshold, sqrtf(2.0f), 0); /* enclosing radius */
  cn_ripser_result_free(r);
  /* equilateral triangle below its side: three components, no H1 */
  float tri[6] = {0, 0, 1, 0, 0.5f, 0.8660254f};
  o.thresh = 0.99;
  CHECK_OK(cn_ripser_points(&o, tri, 3, 2, &r));
  CHECK(r->n_bars[0] == 3 && r->n_bars[1] == 0 && r->num_edges == 0);
  cn_ripser_result_free(r);
  /* regular tetrahedron (all distances 1): H2 is empty, H0 3 x [0,1) */
  float D[16];
  for (int i = 0; i < 16; i++) D[i] = (i % 5 == 0) ? 0.0f : 1.0f;
  o = opts(2, 3);
  CHECK_OK(cn_ripser_dense(&o, D, 4, &r));
  CHECK(count_bars(r, 0, 0, 1, 0) == 3 && r->n_bars[1] == 0 && r->n_bars[2] == 0);
  CHECK(r->maxdim == 2); /* always maxdim + 1 diagrams, even for n < maxdim + 2 */
  cn_ripser_result_free(r);
  /* octahedron (cross-polytope): one H2 bar [1, sqrt 2) */
  float oc[18] = {1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1};
  o = opts(2, 2);
  CHECK_OK(cn_ripser_points(&o, oc, 6, 3, &r));
  CHECK(r->n_bars[1] == 0 && r->n_bars[2] == 1 && count_bars(r, 2, sqrtf(2.0f), 2.0f, 1e-6) == 1);
  cn_ripser_result_free(r);
}

/* The engine against the reference on one distance matrix, for several
 * strategies; returns 0 on a mismatch. */
static int agree_with_reference(const float *D, int n, int maxdim, int p, double thresh) {
  cn_ripser_opts o = opts(maxdim, p);
  o.thresh = thresh;
  cn_ripser_result *ref, *r;
  if (cn_ripser_reference_dense(&o, D, n, &ref) != CN_OK) {
    fprintf(stderr, "reference failed: %s\n", cn_errmsg());
    return 0;
  }
  int ok = 1;
  for (int engine = 1; engine <= 2; engine++)
    for (int apparent = 0; apparent <= 1; apparent++)
      for (int nt = 1; nt <= 2; nt++) {
        o.engine = engine;
        o.apparent_pairs = apparent;
        o.num_threads = nt;
        o.do_cocycles = nt == 2;
        if (cn_ripser_dense(&o, D, n, &r) != CN_OK) return 0;
        if (!same_diagrams(r, ref)) {
          fprintf(stderr, "  n %d p %d engine %d apparent %d threads %d\n", n, p, engine,
                  apparent, nt);
          ok = 0;
        }
        if (r->num_edges != ref->num_edges) ok = 0;
        cn_ripser_result_free(r);
      }
  cn_ripser_result_free(ref);
  return ok;
}

TEST(engine_matches_reference) {
  setenv("CANNS_TDA_PAR_MIN_COLUMNS", "1", 1);
  cn_rng g;
  cn_rng_seed(&g, 11);
  const int primes[] = {2, 3, 5, 65521};
  for (int k = 0; k < 4; k++) {
    int p = primes[k];
    float *X = cloud_random(&g, 16, 3), *D = distances_of(X, 16, 3);
    CHECK(agree_with_reference(D, 16, 2, p, INFINITY));
    CHECK(agree_with_reference(D, 16, 2, p, 0.5)); /* a given threshold */
    free(X);
    free(D);
    X = cloud_torus(&g, 18);
    D = distances_of(X, 18, 3);
    CHECK(agree_with_reference(D, 18, 2, p, INFINITY));
    free(X);
    free(D);
    D = matrix_ties(&g, 14); /* ties and duplicated points */
    CHECK(agree_with_reference(D, 14, 2, p, INFINITY));
    free(D);
    X = cloud_circle(&g, 24, 0.05);
    D = distances_of(X, 24, 2);
    CHECK(agree_with_reference(D, 24, 1, p, INFINITY));
    free(X);
    free(D);
  }
  /* H3 of a small random cloud */
  float *X = cloud_random(&g, 11, 4), *D = distances_of(X, 11, 4);
  CHECK(agree_with_reference(D, 11, 3, 2, INFINITY));
  CHECK(agree_with_reference(D, 11, 3, 7, INFINITY));
  free(X);
  free(D);
  unsetenv("CANNS_TDA_PAR_MIN_COLUMNS");
}

TEST(infinite_distances) {
  /* two clusters whose cross distances are +inf: every row holds an inf,
   * so the threshold is +inf and the inf pairs are edges (spec 7.2) */
  cn_rng g;
  cn_rng_seed(&g, 5);
  int n = 14;
  float *X = cloud_random(&g, n, 2), *D = distances_of(X, n, 2);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      if ((i < n / 2) != (j < n / 2)) D[i * n + j] = INFINITY;
  CHECK(agree_with_reference(D, n, 2, 2, INFINITY));
  CHECK(agree_with_reference(D, n, 2, 3, INFINITY));
  cn_ripser_opts o = opts(1, 2);
  cn_ripser_result *r;
  CHECK_OK(cn_ripser_dense(&o, D, n, &r));
  CHECK(isinf(r->threshold) && r->num_edges == n * (n - 1) / 2);
  CHECK(count_bars(r, 0, 0, INFINITY, 0) == 2); /* one merges at inf, one essential */
  cn_ripser_result_free(r);
  /* only some inf entries: the enclosing radius is finite, inf pairs drop */
  for (int j = 0; j < n; j++) D[0 * n + j] = D[j * n + 0] = j ? 0.5f : 0.0f;
  CHECK(agree_with_reference(D, n, 2, 2, INFINITY));
  CHECK_OK(cn_ripser_dense(&o, D, n, &r));
  CHECK(r->threshold == 0.5f);
  cn_ripser_result_free(r);
  free(X);
  free(D);
}

TEST(sparse_input_matches_dense) {
  cn_rng g;
  cn_rng_seed(&g, 21);
  int n = 15;
  float *X = cloud_random(&g, n, 3), *D = distances_of(X, n, 3);
  /* triplets of the pairs <= 0.6 (both orientations, some repeated) */
  int64_t *I = malloc(sizeof(int64_t) * n * n), *J = malloc(sizeof(int64_t) * n * n);
  float *V = malloc(sizeof(float) * n * n);
  int64_t m = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      if (i != j && D[i * n + j] <= 0.6f && (i < j || (i + j) % 3 == 0)) {
        I[m] = i;
        J[m] = j;
        V[m++] = D[i * n + j];
      }
  for (int p = 2; p <= 3; p++) {
    cn_ripser_opts o = opts(2, p);
    o.thresh = 0.6;
    cn_ripser_result *a, *b, *ref;
    CHECK_OK(cn_ripser_sparse(&o, n, m, I, J, V, &a));
    CHECK_OK(cn_ripser_dense(&o, D, n, &b));
    CHECK_OK(cn_ripser_reference_sparse(&o, n, m, I, J, V, &ref));
    CHECK(same_diagrams(a, b) && same_diagrams(a, ref));
    CHECK(a->num_edges == b->num_edges);
    cn_ripser_result_free(a);
    cn_ripser_result_free(b);
    cn_ripser_result_free(ref);
  }
  /* a repeated pair with two different values is an error */
  I[m] = J[0];
  J[m] = I[0];
  V[m] = V[0] + 1;
  cn_ripser_opts o = opts(1, 2);
  cn_ripser_result *r;
  CHECK_FAILS(cn_ripser_sparse(&o, n, m + 1, I, J, V, &r), CN_EINVAL);
  CHECK(r == NULL);
  free(I);
  free(J);
  free(V);
  free(X);
  free(D);
}

TEST(vertex_births) {
  /* a non-zero diagonal gives vertex births (elder rule) as in ripser.py */
  float D[9] = {0.5f, 1, 3, 1, 0.2f, 2, 3, 2, 0.7f};
  cn_ripser_opts o = opts(1, 2);
  cn_ripser_result *r, *ref;
  CHECK_OK(cn_ripser_dense(&o, D, 3, &r));
  CHECK_OK(cn_ripser_reference_dense(&o, D, 3, &ref));
  /* births 0.5, 0.2, 0.7: edge (0,1) at 1 kills the 0.5 class, edge (1,2)
   * at 2 kills the 0.7 class; 0.2 is essential */
  CHECK(r->n_bars[0] == 3 && count_bars(r, 0, 0.5, 1, 1e-7) == 1 &&
        count_bars(r, 0, 0.7f, 2, 1e-7) == 1 && count_bars(r, 0, 0.2f, INFINITY, 1e-7) == 1);
  CHECK(same_diagrams(r, ref));
  CHECK(r->sparse_engine);
  cn_ripser_result_free(r);
  cn_ripser_result_free(ref);
}

/* z as a dense table over vertex tuples (n^(d+1) entries). */
static int64_t tuple_key(const int64_t *v, int k, int n) {
  int64_t key = 0;
  for (int i = 0; i < k; i++) key = key * n + v[i];
  return key;
}

/* Every cocycle of dimension d is a cocycle below its death: the
 * coboundary vanishes on every (d+1)-simplex of diameter < death. */
static int check_cocycles(const cn_ripser_result *r, const float *D, int n, int d, int p) {
  int64_t size = 1;
  for (int i = 0; i <= d; i++) size *= n;
  uint32_t *z = malloc((size_t)size * sizeof *z);
  int ok = 1;
  for (int64_t b = 0; b < r->n_bars[d] && ok; b++) {
    memset(z, 0, (size_t)size * sizeof *z);
    float birth = r->dgms[d][2 * b], death = r->dgms[d][2 * b + 1];
    int64_t lo = r->cocycle_off[d][b], hi = r->cocycle_off[d][b + 1];
    if (hi <= lo) return 0;
    for (int64_t q = lo; q < hi; q++) {
      const int64_t *row = r->cocycles[d] + q * (d + 2);
      int64_t asc[8];
      for (int i = 0; i <= d; i++) asc[i] = row[d - i]; /* rows are decreasing */
      for (int i = 0; i < d; i++)
        if (asc[i] >= asc[i + 1]) ok = 0;
      if (row[d + 1] <= 0 || row[d + 1] >= p) ok = 0;
      z[tuple_key(asc, d + 1, n)] = (uint32_t)row[d + 1];
      if (q == lo) { /* the first simplex is the column: diameter = birth */
        float diam = 0;
        for (int i = 0; i <= d; i++)
          for (int j = 0; j < i; j++) diam = fmaxf(diam, D[asc[i] * n + asc[j]]);
        if (diam != birth) ok = 0;
      }
    }
    /* all (d+2)-subsets */
    int64_t t[8];
    for (int i = 0; i < d + 2; i++) t[i] = i;
    while (ok) {
      float diam = 0;
      for (int i = 0; i < d + 2; i++)
        for (int j = 0; j < i; j++) diam = fmaxf(diam, D[t[i] * n + t[j]]);
      if (diam < death && diam <= r->threshold) {
        int64_t s = 0;
        for (int i = 0; i < d + 2; i++) {
          int64_t f[8];
          for (int a = 0, c = 0; a < d + 2; a++)
            if (a != i) f[c++] = t[a];
          int64_t v = z[tuple_key(f, d + 1, n)];
          s += (i & 1) ? (p - v) % p : v;
        }
        if (s % p) ok = 0;
      }
      int i = d + 1;
      while (i >= 0 && t[i] == n - (d + 2) + i) i--;
      if (i < 0) break;
      t[i]++;
      for (int j = i + 1; j < d + 2; j++) t[j] = t[j - 1] + 1;
    }
  }
  free(z);
  return ok;
}

TEST(cocycles_are_cocycles) {
  cn_rng g;
  cn_rng_seed(&g, 3);
  struct { int n, dim, maxdim, p, kind; } cases[] = {
      {20, 3, 2, 2, 0}, {20, 3, 2, 3, 0}, {22, 3, 2, 7, 1}, {30, 2, 1, 47, 2}, {16, 3, 2, 65521, 0}};
  for (int k = 0; k < 5; k++) {
    int n = cases[k].n, dim = cases[k].dim;
    float *X = cases[k].kind == 0 ? cloud_random(&g, n, dim)
               : cases[k].kind == 1 ? cloud_torus(&g, n) : cloud_circle(&g, n, 0.1);
    float *D = distances_of(X, n, dim);
    cn_ripser_opts o = opts(cases[k].maxdim, cases[k].p);
    o.do_cocycles = true;
    cn_ripser_result *r;
    CHECK_OK(cn_ripser_points(&o, X, n, dim, &r));
    for (int d = 1; d <= cases[k].maxdim; d++) {
      CHECK(r->n_bars[d] > 0 || d == 2);
      CHECK(check_cocycles(r, D, n, d, cases[k].p));
    }
    CHECK(r->cocycle_off[0][r->n_bars[0]] == 0); /* no H0 cocycles */
    cn_ripser_result_free(r);
    free(X);
    free(D);
  }
}

TEST(results_do_not_depend_on_threads_or_shortcuts) {
  setenv("CANNS_TDA_PAR_MIN_COLUMNS", "1", 1); /* blocks even for few columns */
  cn_rng g;
  cn_rng_seed(&g, 8);
  float *X = cloud_torus(&g, 120);
  cn_ripser_opts o = opts(2, 3);
  o.do_cocycles = true;
  cn_ripser_result *a, *b, *c, *e;
  CHECK_OK(cn_ripser_points(&o, X, 120, 3, &a));
  o.num_threads = 2;
  CHECK_OK(cn_ripser_points(&o, X, 120, 3, &b));
  o.num_threads = 3;
  o.engine = CN_RIPSER_SPARSE;
  CHECK_OK(cn_ripser_points(&o, X, 120, 3, &c));
  o.apparent_pairs = false;
  o.engine = CN_RIPSER_DENSE;
  CHECK_OK(cn_ripser_points(&o, X, 120, 3, &e));
  CHECK(identical_results(a, b)); /* bars, order and cocycles */
  CHECK(identical_results(a, c));
  CHECK(identical_results(a, e));
  cn_ripser_result_free(a);
  cn_ripser_result_free(b);
  cn_ripser_result_free(c);
  cn_ripser_result_free(e);
  unsetenv("CANNS_TDA_PAR_MIN_COLUMNS");
  free(X);
}

TEST(greedy_subsampling) {
  cn_rng g;
  cn_rng_seed(&g, 4);
  int n = 60, m = 20;
  float *X = cloud_circle(&g, n, 0.02);
  cn_ripser_opts o = opts(1, 2);
  o.n_perm = m;
  o.do_cocycles = true;
  cn_ripser_result *r, *s;
  CHECK_OK(cn_ripser_points(&o, X, n, 2, &r));
  CHECK(r->n_perm == m && r->idx_perm[0] == 0 && r->dperm2all_cols == n);
  /* the covering radius: every point is within r_cover of the subsample */
  double cover = 0;
  for (int j = 0; j < n; j++) {
    double best = INFINITY;
    for (int i = 0; i < m; i++) best = fmin(best, r->dperm2all[i * n + j]);
    cover = fmax(cover, best);
  }
  CHECK_NEAR(r->r_cover, cover, 0);
  /* the diagrams are those of the subsample itself */
  float *Y = malloc(sizeof(float) * m * 2);
  for (int i = 0; i < m; i++) {
    Y[2 * i] = X[2 * r->idx_perm[i]];
    Y[2 * i + 1] = X[2 * r->idx_perm[i] + 1];
  }
  o.n_perm = 0;
  CHECK_OK(cn_ripser_points(&o, Y, m, 2, &s));
  CHECK(same_diagrams(r, s));
  /* cocycle vertices refer to the original points */
  int64_t rows = r->cocycle_off[1][r->n_bars[1]];
  for (int64_t q = 0; q < rows; q++) {
    int64_t v = r->cocycles[1][3 * q], w = s->cocycles[1][3 * q];
    CHECK(v == r->idx_perm[w]);
  }
  /* a subsample from a distance matrix gives the same points */
  float *D = distances_of(X, n, 2);
  cn_ripser_result *t;
  o.n_perm = m;
  CHECK_OK(cn_ripser_dense(&o, D, n, &t));
  CHECK(memcmp(t->idx_perm, r->idx_perm, sizeof(int64_t) * m) == 0 && same_diagrams(t, r));
  cn_ripser_result_free(t);
  cn_ripser_result_free(r);
  cn_ripser_result_free(s);
  free(X);
  free(Y);
  free(D);
}

TEST(metrics) {
  float X[6] = {1, 2, 3, -1, 0, 2};
  float D[4];
  CHECK_OK(cn_pairwise_distances(X, 2, 3, CN_METRIC_EUCLIDEAN, D));
  CHECK_NEAR(D[1], sqrt(4 + 4 + 1), 1e-6);
  CHECK(D[0] == 0 && D[1] == D[2]);
  CHECK_OK(cn_pairwise_distances(X, 2, 3, CN_METRIC_MANHATTAN, D));
  CHECK_NEAR(D[1], 5, 0);
  CHECK_OK(cn_pairwise_distances(X, 2, 3, CN_METRIC_CHEBYSHEV, D));
  CHECK_NEAR(D[1], 2, 0);
  CHECK_OK(cn_pairwise_distances(X, 2, 3, CN_METRIC_COSINE, D));
  CHECK_NEAR(D[1], 1 - (-1 + 0 + 6) / (sqrt(14.0) * sqrt(5.0)), 1e-7);
  float Z[6] = {0, 0, 0, 1, 1, 1}; /* a zero vector: similarity 0 */
  CHECK_OK(cn_pairwise_distances(Z, 2, 3, CN_METRIC_COSINE, D));
  CHECK_NEAR(D[1], 1, 0);
  cn_metric m;
  CHECK_OK(cn_metric_from_name("Manhattan", &m));
  CHECK(m == CN_METRIC_MANHATTAN);
  CHECK_FAILS(cn_metric_from_name("hamming", &m), CN_EINVAL);
  CHECK_OK(cn_metric_from_name("minkowski", &m));
  CHECK(m == CN_METRIC_MINKOWSKI);
  /* Minkowski: |2|^3 + |2|^3 + |1|^3 = 17, 17^(1/3); p = 1 is Manhattan */
  CHECK_OK(cn_pairwise_distances_p(X, 2, 3, CN_METRIC_MINKOWSKI, 3.0, D));
  CHECK_NEAR(D[1], cbrt(17.0), 1e-6);
  CHECK_OK(cn_pairwise_distances_p(X, 2, 3, CN_METRIC_MINKOWSKI, 1.0, D));
  CHECK_NEAR(D[1], 5, 0);
  CHECK_FAILS(cn_pairwise_distances_p(X, 2, 3, CN_METRIC_MINKOWSKI, 0.5, D), CN_EINVAL);
  CHECK_FAILS(cn_pairwise_distances_p(X, 2, 3, CN_METRIC_MINKOWSKI, NAN, D), CN_EINVAL);
}

TEST(bad_input) {
  float X[6] = {0, 0, 1, 0, 0, 1};
  cn_ripser_result *r = (cn_ripser_result *)1;
  cn_ripser_opts o = opts(1, 4);
  CHECK_FAILS(cn_ripser_points(&o, X, 3, 2, &r), CN_EINVAL); /* not prime */
  CHECK(r == NULL && strstr(cn_errmsg(), "prime"));
  o = opts(1, 1);
  CHECK_FAILS(cn_ripser_points(&o, X, 3, 2, &r), CN_EINVAL);
  o = opts(1, 65537);
  CHECK_FAILS(cn_ripser_points(&o, X, 3, 2, &r), CN_EINVAL);
  o = opts(-1, 2);
  CHECK_FAILS(cn_ripser_points(&o, X, 3, 2, &r), CN_EINVAL);
  o = opts(1, 2);
  o.thresh = NAN;
  CHECK_FAILS(cn_ripser_points(&o, X, 3, 2, &r), CN_EINVAL);
  o = opts(1, 2);
  CHECK_FAILS(cn_ripser_points(&o, X, 0, 2, &r), CN_EINVAL); /* empty */
  X[3] = NAN;
  CHECK_FAILS(cn_ripser_points(&o, X, 3, 2, &r), CN_EINVAL);
  X[3] = INFINITY;
  CHECK_FAILS(cn_ripser_points(&o, X, 3, 2, &r), CN_EINVAL);
  float D[4] = {0, 1, 2, 0};
  CHECK_FAILS(cn_ripser_dense(&o, D, 2, &r), CN_EINVAL); /* asymmetric */
  float E[4] = {0, -1, -1, 0};
  CHECK_FAILS(cn_ripser_dense(&o, E, 2, &r), CN_EINVAL); /* negative */
  float F[4] = {0, NAN, NAN, 0};
  CHECK_FAILS(cn_ripser_dense(&o, F, 2, &r), CN_EINVAL);
  o.n_perm = 5;
  float G[4] = {0, 1, 1, 0};
  CHECK_FAILS(cn_ripser_dense(&o, G, 2, &r), CN_EINVAL); /* n_perm > n */
  o.n_perm = 0;
  int64_t I[1] = {0}, J[1] = {3};
  float V[1] = {1};
  CHECK_FAILS(cn_ripser_sparse(&o, 3, 1, I, J, V, &r), CN_EINVAL); /* index */
  J[0] = 1;
  V[0] = NAN;
  CHECK_FAILS(cn_ripser_sparse(&o, 3, 1, I, J, V, &r), CN_EINVAL);
  CHECK(strstr(cn_errmsg(), "NaN distance found at sparse matrix entry 1"));
  V[0] = 1;
  o.n_perm = 2;
  CHECK_FAILS(cn_ripser_sparse(&o, 3, 1, I, J, V, &r), CN_EINVAL);
  /* a valid call after errors works */
  o = opts(1, 2);
  CHECK_OK(cn_ripser_sparse(&o, 3, 1, I, J, V, &r));
  CHECK(r->n_bars[0] == 3);
  cn_ripser_result_free(r);
}

TEST(overflow_is_refused_before_allocation) {
  /* simplex indices of 2^40 points (or 10^5 points up to dimension 8) do
   * not fit in 64 bits: refused before the input is even read */
  float dummy[1] = {0};
  cn_ripser_opts o = opts(2, 2);
  cn_ripser_result *r;
  CHECK_FAILS(cn_ripser_points(&o, dummy, (int64_t)1 << 40, 3, &r), CN_ERANGE);
  CHECK_FAILS(cn_ripser_dense(&o, dummy, (int64_t)1 << 40, &r), CN_ERANGE);
  o.maxdim = 8;
  CHECK_FAILS(cn_ripser_dense(&o, dummy, 100000, &r), CN_ERANGE);
  CHECK(strstr(cn_errmsg(), "overflow"));
  int64_t I[1] = {0}, J[1] = {1};
  CHECK_FAILS(cn_ripser_sparse(&o, 3000000, 1, I, J, dummy, &r), CN_ERANGE);
}

/* The null model against a direct computation of a few shuffles: shifts
 * drawn as documented, distances in double, diagrams by the engine. */
TEST(null_model_matches_direct_computation) {
  cn_rng g;
  cn_rng_seed(&g, 42);
  int T = 50, N = 12;
  float *X = cloud_random(&g, T * N, 1);
  cn_shuffle_opts so;
  cn_shuffle_opts_default(&so);
  so.num_shuffles = 6;
  so.maxdim = 2;
  so.seed = 99;
  so.coeff = 3;
  float out1[18], out2[18];
  so.num_threads = 1;
  CHECK_OK(cn_shuffle_null_model(&so, X, T, N, out1));
  so.num_threads = 2;
  CHECK_OK(cn_shuffle_null_model(&so, X, T, N, out2));
  CHECK(memcmp(out1, out2, sizeof out1) == 0);
  float *S = malloc(sizeof(float) * T * N), D[144];
  for (int s = 0; s < 6; s++) {
    cn_rng h;
    cn_rng_seed(&h, 99);
    for (int c = 0; c < N; c++) {
      h.counter = ((uint64_t)s << 32) + (uint64_t)c;
      int shift = (int)(cn_rng_uniform1(&h) * T);
      for (int r = 0; r < T; r++) S[c * T + r] = X[((r + shift) % T) * N + c];
    }
    for (int a = 0; a < N; a++)
      for (int b = 0; b < N; b++) {
        double acc = 0;
        for (int r = 0; r < T; r++) acc += ((double)S[a * T + r] - S[b * T + r]) * ((double)S[a * T + r] - S[b * T + r]);
        D[a * N + b] = (float)sqrt(acc);
      }
    cn_ripser_opts o = opts(2, 3);
    cn_ripser_result *r;
    CHECK_OK(cn_ripser_dense(&o, D, N, &r));
    for (int d = 0; d <= 2; d++) {
      double best = 0;
      for (int64_t i = 0; i < r->n_bars[d]; i++)
        if (!isinf(r->dgms[d][2 * i + 1]))
          best = fmax(best, r->dgms[d][2 * i + 1] - r->dgms[d][2 * i]);
      CHECK_NEAR(out1[d * 6 + s], best, 1e-5 * (1 + best));
    }
    cn_ripser_result_free(r);
  }
  CHECK(out1[0] > 0 && out1[6] > 0); /* H0 and H1 have finite bars here */
  /* percentile with numpy's linear interpolation */
  float v[5] = {4, 1, 3, 2, 5};
  CHECK_NEAR(cn_percentile(v, 5, 99.9), 4.996, 1e-12);
  CHECK_NEAR(cn_percentile(v, 5, 50), 3, 0);
  CHECK_NEAR(cn_percentile(v, 1, 99.9), 4, 0);
  CHECK(isnan(cn_percentile(v, 0, 50)));
  so.maxdim = 3;
  CHECK_FAILS(cn_shuffle_null_model(&so, X, T, N, out1), CN_EINVAL);
  free(S);
  free(X);
}

int main(void) {
  RUN(known_small_spaces);
  RUN(engine_matches_reference);
  RUN(infinite_distances);
  RUN(sparse_input_matches_dense);
  RUN(vertex_births);
  RUN(cocycles_are_cocycles);
  RUN(results_do_not_depend_on_threads_or_shortcuts);
  RUN(greedy_subsampling);
  RUN(metrics);
  RUN(bad_input);
  RUN(overflow_is_refused_before_allocation);
  RUN(null_model_matches_direct_computation);
  return test_summary();
}
