/* The Ripser engine against Bauer's Ripser (Debian's `ripser` 1.2.1, run
 * as /usr/bin/ripser on temporary files).  Every bar (birth, death,
 * multiplicity) must agree as printed by Ripser (float32 values, 6
 * significant digits).  The binary is built without coefficients (Z/2
 * only) and aborts on a single point; those cases are checked against the
 * plain reference and known answers in test_ripser.c.  Without the binary
 * (scripts/deps.sh installs it) the tests report SKIP. */
#include <unistd.h>

#include "test_ripser_common.h"

#define BAUER "/usr/bin/ripser"

/* A diagram as sorted "birth|death" strings (death "" when infinite). */
typedef struct sdgm {
  char (*bar)[48];
  int n, cap;
} sdgm;

static void sdgm_add(sdgm *s, const char *b, const char *e) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    s->bar = realloc(s->bar, (size_t)s->cap * sizeof *s->bar);
  }
  snprintf(s->bar[s->n++], 48, "%s|%s", b, e);
}

static int str_cmp(const void *a, const void *b) { return strcmp(a, b); }

/* Ripser's output: "persistence intervals in dim d:" then " [b,e)" or
 * " [b, )".  A death printed as 1e+30 (our stand-in for +inf in its
 * input) counts as infinite.  Returns the number of dimensions seen. */
static int run_bauer(const char *args, const char *path, sdgm *out, int maxd) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "%s %s %s 2>/dev/null", BAUER, args, path);
  FILE *f = popen(cmd, "r");
  if (!f) return -1;
  char line[256];
  int d = -1;
  while (fgets(line, sizeof line, f)) {
    int dd;
    if (sscanf(line, "persistence intervals in dim %d:", &dd) == 1) {
      d = dd;
      continue;
    }
    char b[40], e[40] = "";
    if (d >= 0 && d <= maxd && sscanf(line, " [%39[^,],%39[^)])", b, e) >= 1) {
      char *p = e;
      while (*p == ' ') p++;
      if (strcmp(p, "1e+30") == 0) *p = 0;
      sdgm_add(&out[d], b, p);
    }
  }
  pclose(f);
  for (int k = 0; k <= maxd; k++)
    if (out[k].n > 1) qsort(out[k].bar, (size_t)out[k].n, sizeof *out[k].bar, str_cmp);
  return d + 1;
}

static void ours_as_strings(const cn_ripser_result *r, sdgm *out) {
  for (int d = 0; d <= r->maxdim; d++) {
    for (int64_t i = 0; i < r->n_bars[d]; i++) {
      char b[40], e[40] = "";
      snprintf(b, sizeof b, "%g", (double)r->dgms[d][2 * i]);
      if (!isinf(r->dgms[d][2 * i + 1])) snprintf(e, sizeof e, "%g", (double)r->dgms[d][2 * i + 1]);
      sdgm_add(&out[d], b, e);
    }
    if (out[d].n > 1) qsort(out[d].bar, (size_t)out[d].n, sizeof *out[d].bar, str_cmp);
  }
}

/* Compare dimension by dimension; dimensions Ripser did not print (it
 * stops at n - 2) must be empty here. */
static int compare(const cn_ripser_result *r, const char *args, const char *path,
                   const char *what) {
  sdgm a[5] = {{0}}, b[5] = {{0}};
  int md = r->maxdim;
  ours_as_strings(r, a);
  int seen = run_bauer(args, path, b, md);
  int ok = seen >= 1;
  for (int d = 0; d <= md && ok; d++) {
    if (d >= seen) {
      ok = a[d].n == 0;
      continue;
    }
    ok = a[d].n == b[d].n;
    for (int i = 0; ok && i < a[d].n; i++) ok = strcmp(a[d].bar[i], b[d].bar[i]) == 0;
    if (!ok) {
      fprintf(stderr, "  %s: H%d differs (%d bars here, %d in Ripser)\n", what, d, a[d].n, b[d].n);
      for (int i = 0; i < a[d].n && i < b[d].n; i++)
        if (strcmp(a[d].bar[i], b[d].bar[i])) {
          fprintf(stderr, "    first difference: %s vs %s\n", a[d].bar[i], b[d].bar[i]);
          break;
        }
    }
  }
  for (int d = 0; d < 5; d++) {
    free(a[d].bar);
    free(b[d].bar);
  }
  return ok;
}

static int have_bauer(void) { return access(BAUER, X_OK) == 0; }

static char *tmpfile_name(void) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/canns_ripser_XXXXXX");
  int fd = mkstemp(path);
  if (fd < 0) return NULL;
  close(fd);
  return path;
}

static int check_points(const float *X, int n, int dim, int maxdim, double thresh,
                        const char *what) {
  char *path = tmpfile_name();
  FILE *f = fopen(path, "w");
  for (int i = 0; i < n; i++)
    for (int k = 0; k < dim; k++) fprintf(f, "%.9g%c", X[i * dim + k], k + 1 < dim ? ' ' : '\n');
  fclose(f);
  cn_ripser_opts o;
  cn_ripser_opts_default(&o);
  o.maxdim = maxdim;
  o.thresh = thresh;
  char args[96];
  if (isinf(thresh))
    snprintf(args, sizeof args, "--format point-cloud --dim %d", maxdim);
  else
    snprintf(args, sizeof args, "--format point-cloud --dim %d --threshold %.9g", maxdim, thresh);
  cn_ripser_result *r;
  int ok = cn_ripser_points(&o, X, n, dim, &r) == CN_OK && compare(r, args, path, what);
  if (ok) cn_ripser_result_free(r);
  unlink(path);
  return ok;
}

/* A dense matrix given to Ripser as a lower triangle (+inf -> 1e30). */
static int check_matrix(const float *D, int n, int maxdim, const char *what) {
  char *path = tmpfile_name();
  FILE *f = fopen(path, "w");
  for (int i = 1; i < n; i++)
    for (int j = 0; j < i; j++) fprintf(f, "%.9g\n", isinf(D[i * n + j]) ? 1e30 : D[i * n + j]);
  fclose(f);
  cn_ripser_opts o;
  cn_ripser_opts_default(&o);
  o.maxdim = maxdim;
  char args[64];
  snprintf(args, sizeof args, "--format lower-distance --dim %d", maxdim);
  cn_ripser_result *r;
  int ok = cn_ripser_dense(&o, D, n, &r) == CN_OK && compare(r, args, path, what);
  if (ok) cn_ripser_result_free(r);
  unlink(path);
  return ok;
}

TEST(point_clouds_like_ripser) {
  if (!have_bauer()) {
    printf("SKIP (no %s)\n", BAUER);
    return;
  }
  cn_rng g;
  cn_rng_seed(&g, 2026);
  float *X = cloud_circle(&g, 100, 0.05);
  CHECK(check_points(X, 100, 2, 2, INFINITY, "circle"));
  free(X);
  X = cloud_sphere(&g, 70, 0.03);
  CHECK(check_points(X, 70, 3, 2, INFINITY, "sphere"));
  free(X);
  X = cloud_torus(&g, 90);
  CHECK(check_points(X, 90, 3, 2, INFINITY, "torus"));
  CHECK(check_points(X, 90, 3, 1, 1.2, "torus, threshold 1.2"));
  free(X);
  X = cloud_random(&g, 80, 4);
  CHECK(check_points(X, 80, 4, 2, INFINITY, "random 4-d"));
  CHECK(check_points(X, 80, 4, 2, 0.6, "random 4-d, threshold 0.6"));
  free(X);
  X = cloud_clusters(&g, 60);
  CHECK(check_points(X, 60, 3, 2, INFINITY, "clusters"));
  free(X);
  /* duplicated points (zero distances) */
  X = cloud_random(&g, 40, 2);
  for (int i = 20; i < 40; i++) {
    X[2 * i] = X[2 * (i - 20)];
    X[2 * i + 1] = X[2 * (i - 20) + 1];
  }
  CHECK(check_points(X, 40, 2, 2, INFINITY, "duplicates"));
  free(X);
  /* the 3-sphere in R^4: bars up to H3 */
  X = malloc(sizeof(float) * 40 * 4);
  for (int i = 0; i < 40; i++) {
    double v[4], r = 0;
    for (int k = 0; k < 4; k++) {
      v[k] = cn_rng_normal1(&g);
      r += v[k] * v[k];
    }
    for (int k = 0; k < 4; k++) X[4 * i + k] = (float)(v[k] / sqrt(r));
  }
  CHECK(check_points(X, 40, 4, 3, INFINITY, "3-sphere, maxdim 3"));
  cn_ripser_opts o3;
  cn_ripser_opts_default(&o3);
  o3.maxdim = 3;
  cn_ripser_result *r3;
  CHECK_OK(cn_ripser_points(&o3, X, 40, 4, &r3));
  CHECK(r3->n_bars[3] > 0); /* the comparison covers H3 bars */
  cn_ripser_result_free(r3);
  free(X);
  float two[4] = {0, 0, 2, 0};
  CHECK(check_points(two, 2, 2, 1, INFINITY, "two points"));
  float three[6] = {0, 0, 1, 0, 2, 0};
  CHECK(check_points(three, 3, 2, 2, INFINITY, "three collinear points"));
}

TEST(distance_matrices_like_ripser) {
  if (!have_bauer()) {
    printf("SKIP (no %s)\n", BAUER);
    return;
  }
  cn_rng g;
  cn_rng_seed(&g, 77);
  float *D = matrix_ties(&g, 40); /* ties and duplicates */
  CHECK(check_matrix(D, 40, 2, "ties"));
  free(D);
  /* +inf between two halves: every row holds an inf (threshold inf) */
  int n = 30;
  float *X = cloud_random(&g, n, 2);
  D = distances_of(X, n, 2);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      if ((i < n / 2) != (j < n / 2)) D[i * n + j] = INFINITY;
  CHECK(check_matrix(D, n, 2, "infinities, threshold inf"));
  /* a few inf entries only: finite enclosing radius */
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      if (isinf(D[i * n + j]) && (i + j) % 4) D[i * n + j] = 0.5f + 0.01f * (float)((i * j) % 7);
  CHECK(check_matrix(D, n, 2, "some infinities"));
  free(D);
  free(X);
}

TEST(sparse_like_ripser) {
  if (!have_bauer()) {
    printf("SKIP (no %s)\n", BAUER);
    return;
  }
  cn_rng g;
  cn_rng_seed(&g, 9);
  int n = 70;
  float *X = cloud_torus(&g, n), *D = distances_of(X, n, 3);
  char *path = tmpfile_name();
  FILE *f = fopen(path, "w");
  int64_t *I = malloc(sizeof(int64_t) * n * n), *J = malloc(sizeof(int64_t) * n * n);
  float *V = malloc(sizeof(float) * n * n);
  int64_t m = 0;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (D[i * n + j] < 1.5f) {
        fprintf(f, "%d %d %.9g\n", i, j, D[i * n + j]);
        I[m] = i;
        J[m] = j;
        V[m++] = D[i * n + j];
      }
  fclose(f);
  cn_ripser_opts o;
  cn_ripser_opts_default(&o);
  o.maxdim = 2;
  cn_ripser_result *r;
  CHECK_OK(cn_ripser_sparse(&o, n, m, I, J, V, &r));
  CHECK(compare(r, "--format sparse --dim 2", path, "sparse torus"));
  cn_ripser_result_free(r);
  unlink(path);
  free(I);
  free(J);
  free(V);
  free(X);
  free(D);
}

int main(void) {
  RUN(point_clouds_like_ripser);
  RUN(distance_matrices_like_ripser);
  RUN(sparse_like_ripser);
  return test_summary();
}
