/* Unit tests of the spatial core's numerics: Phi^-1 and the tabulated
 * speed map against the direct formulas (erfc, log), the ziggurat normals
 * against the normal law (moments, a Kolmogorov-Smirnov distance), the
 * heap Dijkstra against the plain O(V^2) reference on random grids, and
 * the C API's refusals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/spatial.h"
#include "spatial/spatial_internal.h"
#include "test.h"

TEST(inverse_normal_is_accurate) {
  double worst = 0;
  for (int i = 1; i < 20000; i++) {
    double p = i / 20000.0;
    double x = cn_nav_ndtri(p), back = 0.5 * erfc(-x / sqrt(2.0));
    worst = fmax(worst, fabs(back - p) / p);
  }
  for (double p = 1e-12; p < 0.01; p *= 1.7) {
    double x = cn_nav_ndtri(p), back = 0.5 * erfc(-x / sqrt(2.0));
    worst = fmax(worst, fabs(back - p) / p);
  }
  CHECK(worst < 1e-13);
  CHECK_NEAR(cn_nav_ndtri(0.975), 1.959963984540054, 1e-14);
  /* the unrefined map used by the step agrees to Acklam's 1.2e-9 */
  for (double s = 1e-3; s < 6; s *= 1.05) {
    double q = exp(-s * s / 2);
    q = q < 1e-6 ? 1e-6 : (q > 1 - 1e-6 ? 1 - 1e-6 : q);
    CHECK_NEAR(cn_nav_speed_to_z(s, 1.0), -cn_nav_ndtri(q), 1e-8);
  }
}

TEST(speed_table_matches_direct_formula) {
  double worst = 0;
  for (int i = 0; i <= 200000; i++) {
    double z = -7 + 14.0 * i / 200000;
    double a = cn_nav_z_to_speed(z), b = cn_nav_z_to_speed_direct(z);
    worst = fmax(worst, fabs(a - b) / b);
  }
  CHECK(worst < 1e-10);
  /* s(z(s)) = s: the two maps invert each other */
  for (double s = 0.01; s < 5; s *= 1.1) CHECK_NEAR(cn_nav_z_to_speed(cn_nav_speed_to_z(s, 1)), s, 1e-7 * s + 1e-12);
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

TEST(ziggurat_normals_are_normal) {
  int n = 1000000;
  double *x = malloc(sizeof(double) * (size_t)n);
  cn_rng g;
  cn_rng_seed(&g, 12345);
  cn_nav_normals(&g, x, n);
  double m = 0, v = 0, k4 = 0;
  for (int i = 0; i < n; i++) m += x[i];
  m /= n;
  for (int i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m), k4 += pow(x[i] - m, 4);
  v /= n, k4 /= n;
  CHECK(fabs(m) < 5 / sqrt(n));
  CHECK(fabs(v - 1) < 5 * sqrt(2.0 / n));
  CHECK(fabs(k4 / (v * v) - 3) < 5 * sqrt(24.0 / n));
  qsort(x, (size_t)n, sizeof(double), cmp_d);
  double d = 0;
  for (int i = 0; i < n; i++) {
    double F = 0.5 * erfc(-x[i] / sqrt(2.0));
    d = fmax(d, fmax(fabs(F - (double)i / n), fabs(F - (double)(i + 1) / n)));
  }
  CHECK(d < 1.63 / sqrt(n)); /* KS at the 1 % level */
  /* the same seed gives the same numbers */
  double y[8], z[8];
  cn_rng_seed(&g, 7), cn_nav_normals(&g, y, 8);
  cn_rng_seed(&g, 7), cn_nav_normals(&g, z, 8);
  CHECK(memcmp(y, z, sizeof y) == 0);
  free(x);
}

TEST(geodesic_matches_plain_dijkstra) {
  srand(3);
  for (int trial = 0; trial < 6; trial++) {
    double hole[8] = {0.3, 0.3, 0.6, 0.3, 0.6, 0.7, 0.3, 0.7};
    double wall[4] = {0.1, 0.85, 0.9, 0.85 - 0.1 * trial};
    int hn = 4, wn = 2;
    cn_costgrid *g;
    double dx = 0.04 + 0.01 * trial, dy = 0.05;
    CHECK_OK(cn_costgrid_build(NULL, 0, 1.0, 1.2, wall, &wn, 1, hole, &hn, 1, dx, dy, &g));
    cn_array *a, *b;
    CHECK_OK(cn_costgrid_geodesic(g, &a));
    CHECK_OK(cn_costgrid_geodesic_ref(g, &b));
    CHECK(a->size == b->size && a->size == g->nfree * g->nfree);
    double worst = 0;
    for (int64_t i = 0; i < a->size; i++) {
      double x = cn_f64(a)[i], y = cn_f64(b)[i];
      if (isinf(x) || isinf(y)) CHECK(x == y);
      else worst = fmax(worst, fabs(x - y));
    }
    CHECK(worst < 1e-12);
    cn_array_release(a), cn_array_release(b);
    cn_costgrid_free(g);
  }
}

TEST(bad_arguments) {
  cn_env *e;
  double tri[6] = {0, 0, 1, 0, 0, NAN};
  CHECK_FAILS(cn_env_new(CN_ENV_SOLID, 1, 1, 0.01, tri, 3, &e), CN_EINVAL);
  CHECK_FAILS(cn_env_new(CN_ENV_SOLID, -1, 1, 0.01, NULL, 0, &e), CN_EINVAL);
  double bow[8] = {0, 0, 1, 1, 1, 0, 0, 1};
  CHECK_FAILS(cn_env_new(CN_ENV_SOLID, 1, 1, 0.01, bow, 4, &e), CN_EINVAL);
  CHECK(strstr(cn_errmsg(), "self-intersecting") != NULL);
  CHECK_OK(cn_env_new(CN_ENV_SOLID, 1, 1, 0.01, NULL, 0, &e));
  cn_agent_params p;
  cn_agent_params_default(&p);
  p.dt = 0;
  cn_agent *a;
  CHECK_FAILS(cn_agent_new(e, &p, 1, NULL, NULL, &a), CN_EINVAL);
  cn_agent_params_default(&p);
  CHECK_OK(cn_agent_new(e, &p, 1, NULL, NULL, &a));
  CHECK_FAILS(cn_agent_update(a, -0.1, NULL, 1, NULL), CN_EINVAL);
  CHECK_FAILS(cn_agent_run(a, -1, 0.1, NULL, 1), CN_EINVAL);
  CHECK_OK(cn_agent_run(a, 1000, 0.05, NULL, 1));
  cn_agent_state s;
  cn_agent_get_state(a, &s);
  CHECK(s.pos[0] >= 0 && s.pos[0] <= 1 && s.pos[1] >= 0 && s.pos[1] <= 1);
  CHECK(cn_agent_get_history(a)->n == 1000);
  cn_agent_free(a);
  cn_env_free(e);
  cn_costgrid *g;
  CHECK_FAILS(cn_costgrid_build(NULL, 0, 1, 1, NULL, NULL, 0, NULL, NULL, 0, 0, 1, &g), CN_EINVAL);
  CHECK_FAILS(cn_costgrid_build(NULL, 0, 1e6, 1e6, NULL, NULL, 0, NULL, NULL, 0, 1e-3, 1e-3, &g), CN_ERANGE);
}

int main(void) {
  RUN(inverse_normal_is_accurate);
  RUN(speed_table_matches_direct_formula);
  RUN(ziggurat_normals_are_normal);
  RUN(geodesic_matches_plain_dijkstra);
  RUN(bad_arguments);
  return test_summary();
}
