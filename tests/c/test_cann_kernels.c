/* Unit tests of the CANN kernels: the FFT ring/torus convolution against a
 * plain circular sum, the three ways of computing the recurrent input
 * against each other, and the constants (coordinates, connection
 * matrices, stimuli) against fixtures made with the Python toolkit
 * (spec/fixtures/models/const, scripts/fixtures/make_cann_fixtures.py). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/cann.h"
#include "canns/io.h"
#include "models/ringconv.h"
#include "models/ringspec.h"
#include "cpu/cann_spectral.h"
#include "test_cann_common.h"

/* Coordinates: jax's linspace is compiled by XLA (reciprocal multiply,
 * fused multiply-adds chosen per vector lane), so it is reproduced to one
 * float32 ulp, not bit for bit (docs/differences.md). */
#define X_TOL 1.2e-7

static double lcg(unsigned *s) {
  *s = *s * 1664525u + 1013904223u;
  return (double)(*s >> 8) / 16777216.0;
}

/* y_i = sum_j k[(i-j) mod M] x'_j with the fold of point n-1 onto 0. */
static void naive_ring(const double *k, const double *x, int64_t n, double *y) {
  int64_t M = n - 1;
  for (int64_t i = 0; i < M; i++) {
    double s = 0;
    for (int64_t j = 0; j < n; j++) s += k[((i - j) % M + M) % M] * x[j];
    y[i] = s;
  }
  y[M] = y[0];
}

static void naive_torus(const double *k, const double *x, int64_t n, double *y) {
  int64_t M = n - 1;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) {
      double s = 0;
      for (int64_t p = 0; p < n; p++)
        for (int64_t q = 0; q < n; q++)
          s += k[(((i - p) % M + M) % M) * M + ((j - q) % M + M) % M] * x[p * n + q];
      y[i * n + j] = s;
    }
}

/* x[0..n) copied into a new float32 or float64 buffer. */
static void *dtype_copy(const double *x, int64_t n, cn_dtype t) {
  void *b = malloc(cn_dtype_size(t) * (size_t)n);
  for (int64_t i = 0; i < n; i++) {
    if (t == CN_FLOAT32)
      ((float *)b)[i] = (float)x[i];
    else
      ((double *)b)[i] = x[i];
  }
  return b;
}

/* max |b - y| over n values of b (float32 or float64); max |y| in *my. */
static double max_abs_err(const void *b, cn_dtype t, const double *y, int64_t n, double *my) {
  double md = 0;
  *my = 0;
  for (int64_t i = 0; i < n; i++) {
    double v = t == CN_FLOAT32 ? ((const float *)b)[i] : ((const double *)b)[i];
    md = fmax(md, fabs(v - y[i]));
    *my = fmax(*my, fabs(y[i]));
  }
  return md;
}

static void check_ringconv(int rank, int64_t n, cn_dtype t, bool pad) {
  int64_t M = n - 1, nk = rank == 1 ? M : M * M, nx = rank == 1 ? n : n * n;
  double *k = malloc(sizeof(double) * nk), *x = malloc(sizeof(double) * nx),
         *y = malloc(sizeof(double) * nx);
  unsigned s = 12345u + (unsigned)n;
  for (int64_t i = 0; i < nk; i++) k[i] = lcg(&s) - 0.3;
  for (int64_t i = 0; i < nx; i++) x[i] = lcg(&s);
  (rank == 1 ? naive_ring : naive_torus)(k, x, n, y);
  cn_ringconv *c;
  CHECK_OK(cn_ringconv_new(&c, rank, n, t, k, pad));
  if (pad) CHECK(cn_ringconv_length(c) >= 2 * M - 1);
  void *xb = dtype_copy(x, nx, t), *yb = malloc(cn_dtype_size(t) * (size_t)nx);
  /* Twice: the padding must stay zero between calls. */
  for (int rep = 0; rep < 2; rep++) {
    cn_ringconv_apply(c, xb, yb);
    double my, md = max_abs_err(yb, t, y, nx, &my);
    double tol = t == CN_FLOAT32 ? 2e-6 : 1e-13;
    if (!(md <= tol * my))
      fprintf(stderr, "ringconv rank %d n %lld %s pad %d: rel err %g\n", rank, (long long)n,
              cn_dtype_name(t), pad, md / my);
    CHECK(md <= tol * my);
  }
  cn_ringconv_free(c);
  free(k), free(x), free(y), free(xb), free(yb);
}

TEST(ringconv_matches_plain_circular_sum) {
  int64_t sizes1[] = {3, 4, 17, 64, 65, 512, 1000};
  for (int i = 0; i < 7; i++)
    for (int pad = 0; pad < 2; pad++) {
      check_ringconv(1, sizes1[i], CN_FLOAT32, pad);
      check_ringconv(1, sizes1[i], CN_FLOAT64, pad);
    }
  int64_t sizes2[] = {3, 5, 12, 17};
  for (int i = 0; i < 4; i++)
    for (int pad = 0; pad < 2; pad++) {
      check_ringconv(2, sizes2[i], CN_FLOAT32, pad);
      check_ringconv(2, sizes2[i], CN_FLOAT64, pad);
    }
  CHECK(cn_ringconv_smooth(99) && cn_ringconv_smooth(1024) && !cn_ringconv_smooth(511) &&
        !cn_ringconv_smooth(127));
  cn_ringconv *c;
  double k[4] = {0};
  CHECK_FAILS(cn_ringconv_new(&c, 1, 2, CN_FLOAT32, k, false), CN_EINVAL);
  CHECK_FAILS(cn_ringconv_new(&c, 3, 5, CN_FLOAT32, k, false), CN_EINVAL);
}

/* The pruned-DFT convolution on a Gaussian kernel (narrow spectrum)
 * equals the plain circular sum to float32 round-off, and refuses a
 * kernel whose spectrum is wide. */
static void check_ringspec(int64_t n, double a, cn_dtype t) {
  int64_t M = n - 1;
  double *k = malloc(sizeof(double) * M), *x = malloc(sizeof(double) * n),
         *y = malloc(sizeof(double) * n);
  for (int64_t d = 0; d < M; d++) {
    double th = 2 * M_PI * d / M;
    if (th > M_PI) th -= 2 * M_PI;
    k[d] = exp(-0.5 * th * th / (a * a));
  }
  unsigned s = 777u + (unsigned)n;
  for (int64_t i = 0; i < n; i++) x[i] = lcg(&s);
  naive_ring(k, x, n, y);
  int64_t B;
  CHECK_OK(cn_ringspec_modes(k, M, 1e-9, &B));
  CHECK(B > 0 && 2 * B < M);
  cn_ringspec *c;
  CHECK_OK(cn_ringspec_new(&c, n, t, k, B));
  void *xb = dtype_copy(x, n, t), *yb = malloc(cn_dtype_size(t) * (size_t)n);
  cn_ringspec_apply(c, xb, yb);
  double my, md = max_abs_err(yb, t, y, n, &my);
  double tol = t == CN_FLOAT32 ? 2e-6 : 1e-8;
  if (!(md <= tol * my))
    fprintf(stderr, "ringspec n %lld a %g %s: B %lld rel err %g\n", (long long)n, a,
            cn_dtype_name(t), (long long)B, md / my);
  CHECK(md <= tol * my);
  cn_ringspec_free(c);
  free(k), free(x), free(y), free(xb), free(yb);
}

TEST(ringspec_matches_plain_circular_sum) {
  int64_t sizes[] = {40, 64, 65, 512, 1001};
  for (int i = 0; i < 5; i++) {
    check_ringspec(sizes[i], 0.5, CN_FLOAT32);
    check_ringspec(sizes[i], 0.3, CN_FLOAT64);
  }
  /* a spike has a flat spectrum: every mode is kept (exact for odd M);
   * with M even its Nyquist mode cannot be represented */
  double k[64] = {1.0};
  int64_t B;
  CHECK_OK(cn_ringspec_modes(k, 63, 1e-9, &B));
  CHECK(B == 31);
  CHECK_OK(cn_ringspec_modes(k, 64, 1e-9, &B));
  CHECK(B == -1);
  cn_ringspec *c;
  CHECK_FAILS(cn_ringspec_new(&c, 64, CN_FLOAT32, k, 40), CN_EINVAL);
}

/* The two table passes of the pruned DFT against plain double sums, at
 * every row count a block leaves over (0 to 19: whole blocks of eight, a
 * half block, aliased rows) and lengths with every kind of tail (none,
 * under 16, under 128, past 128), on an unaligned leading dimension. */
static void check_spectral_passes(int level) {
  const int64_t hs[] = {1, 7, 8, 16, 17, 64, 128, 131, 300};
  unsigned s = 4242u;
  for (int ih = 0; ih < 9; ih++)
    for (int64_t rows = 0; rows < 20; rows++) {
      int64_t h = hs[ih], ld = h + 3;
      float *T = malloc(sizeof(float) * (size_t)((rows ? rows : 1) * ld));
      float *v = malloc(sizeof(float) * (size_t)h), *c = malloc(sizeof(float) * 20);
      float *out = malloc(sizeof(float) * (size_t)(h > 20 ? h : 20));
      for (int64_t i = 0; i < rows * ld; i++) T[i] = (float)(2 * lcg(&s) - 1);
      for (int64_t j = 0; j < h; j++) v[j] = (float)(2 * lcg(&s) - 1);
      for (int64_t m = 0; m < rows; m++) c[m] = (float)(2 * lcg(&s) - 1);
      cn_k_spec_rows_f32(T, rows, ld, h, v, out);
      bool ok = true;
      for (int64_t m = 0; m < rows; m++) {
        double ref = 0, mag = 0;
        for (int64_t j = 0; j < h; j++)
          ref += (double)T[m * ld + j] * v[j], mag += fabs((double)T[m * ld + j] * v[j]);
        ok = ok && fabs(out[m] - ref) <= 1e-6 * mag + 1e-30;
      }
      for (int64_t j = 0; j < h; j++) out[j] = 99.0f;
      cn_k_spec_cols_f32(T, rows, ld, h, c, out);
      for (int64_t j = 0; j < h; j++) {
        double ref = 0, mag = 0;
        for (int64_t m = 0; m < rows; m++)
          ref += (double)c[m] * T[m * ld + j], mag += fabs((double)c[m] * T[m * ld + j]);
        ok = ok && fabs(out[j] - ref) <= 1e-6 * mag + 1e-30;
      }
      if (!ok)
        fprintf(stderr, "spectral passes (ISA level %d): rows %lld h %lld\n", level,
                (long long)rows, (long long)h);
      CHECK(ok);
      free(T), free(v), free(c), free(out);
    }
}

/* Every version this CPU can run (plain, AVX2, AVX-512), then the default. */
TEST(spectral_table_passes_match_plain_sums) {
  int levels[3] = {1, 3, 4};
  for (int i = 0; i < 3; i++)
    if (cn_k_spec_isa(levels[i]) == levels[i]) check_spectral_passes(levels[i]);
  cn_k_spec_isa(0);
  check_spectral_passes(0);
}

/* The recurrent input of one step from a random state must agree between
 * methods to float32 round-off (relative to its maximum). */
static void compare_methods(bool two_d, int64_t n, bool sfa, cn_dtype t) {
  cn_cann_method methods[3] = {CN_CANN_DENSE, CN_CANN_FFT,
                               two_d ? CN_CANN_SEPARABLE : CN_CANN_SPECTRAL};
  /* an even period M = 32 with a = 0.3 needs its Nyquist mode: no spectral */
  int nm = (!two_d && n == 33) ? 2 : 3;
  cn_array *u_after[3] = {0};
  cn_array *inp;
  int64_t shape[2] = {n, n};
  CHECK_OK(cn_array_empty(&inp, t, two_d ? 2 : 1, shape));
  unsigned s = 99;
  for (int64_t i = 0; i < inp->size; i++) cn_array_setd(inp, i, lcg(&s));
  for (int k = 0; k < nm; k++) {
    cn_cann_params p;
    cn_cann_params_init(&p, sfa);
    p.n = n;
    p.dtype = t;
    p.method = methods[k];
    cn_model *m;
    CHECK_OK(two_d ? cn_cann2d_new(&m, &p) : cn_cann1d_new(&m, &p));
    CHECK(cn_cann_method_used(m) == methods[k]);
    cn_array *u = cn_model_state(m, "u");
    unsigned s2 = 7;
    for (int64_t i = 0; i < u->size; i++) cn_array_setd(u, i, 3 * lcg(&s2));
    for (int rep = 0; rep < 3; rep++) CHECK_OK(cn_model_step(m, inp));
    CHECK_OK(cn_array_copy(&u_after[k], cn_model_state(m, "u")));
    cn_model_release(m);
  }
  double tol = t == CN_FLOAT32 ? 2e-6 : 1e-12;
  for (int k = 1; k < nm; k++) {
    double e = test_rel_maxdiff(u_after[k], u_after[0]);
    if (!(e <= tol))
      fprintf(stderr, "%s n=%lld method %s vs dense: %g\n", two_d ? "2D" : "1D", (long long)n,
              cn_cann_method_name(methods[k]), e);
    CHECK(e <= tol);
  }
  for (int k = 0; k < nm; k++) cn_array_release(u_after[k]);
  cn_array_release(inp);
}

TEST(fast_paths_match_dense_product) {
  int64_t n1[] = {33, 64, 100, 512};
  for (int i = 0; i < 4; i++) {
    compare_methods(false, n1[i], false, CN_FLOAT32);
    compare_methods(false, n1[i], true, CN_FLOAT64);
  }
  int64_t n2[] = {3, 8, 16, 25};
  for (int i = 0; i < 4; i++) {
    compare_methods(true, n2[i], false, CN_FLOAT32);
    compare_methods(true, n2[i], true, CN_FLOAT64);
  }
}

TEST(estimate_method_by_size) {
  struct { bool two; int64_t n; cn_cann_method want; } cases[] = {
      {false, 16, CN_CANN_DENSE}, {false, 512, CN_CANN_SPECTRAL}, {false, 4096, CN_CANN_SPECTRAL},
      {true, 4, CN_CANN_DENSE},   {true, 16, CN_CANN_SEPARABLE}, {true, 32, CN_CANN_SEPARABLE},
      {true, 100, CN_CANN_FFT},   {true, 128, CN_CANN_SEPARABLE}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cn_cann_params p;
    cn_cann_params_init(&p, false);
    p.n = cases[i].n;
    p.method = CN_CANN_ESTIMATE;
    cn_model *m;
    CHECK_OK(cases[i].two ? cn_cann2d_new(&m, &p) : cn_cann1d_new(&m, &p));
    CHECK(cn_cann_method_used(m) == cases[i].want);
    cn_model_release(m);
  }
  /* a sharp kernel (a = 0.02) has a wide spectrum: auto takes the FFT;
   * 'spectral' on request cannot hold the Nyquist mode of an even period */
  cn_cann_params p;
  cn_cann_params_init(&p, false);
  p.n = 512;
  p.a = 0.02;
  p.method = CN_CANN_ESTIMATE;
  cn_model *m;
  CHECK_OK(cn_cann1d_new(&m, &p));
  CHECK(cn_cann_method_used(m) == CN_CANN_FFT);
  cn_model_release(m);
  p.method = CN_CANN_AUTO; /* measured: spectral is no candidate for this kernel */
  CHECK_OK(cn_cann1d_new(&m, &p));
  CHECK(cn_cann_method_used(m) == CN_CANN_FFT);
  cn_model_release(m);
  p.n = 65;
  p.method = CN_CANN_SPECTRAL;
  CHECK_FAILS(cn_cann1d_new(&m, &p), CN_EINVAL);
  CHECK(strstr(cn_errmsg(), "'spectral'") != NULL);
}

TEST(constants_match_python_toolkit) {
  cn_model *m = make_cann(false, false, 64);
  cn_array *conn, *stim;
  CHECK(rel_to(cn_model_state(m, "x"), "const/x64") <= X_TOL);
  CHECK_OK(cn_cann_conn_mat(m, &conn));
  CHECK(rel_to(conn, "const/conn64") < 1e-6);
  cn_array_release(conn);
  double pos = 1.0;
  CHECK_OK(cn_model_stimulus(m, &pos, 1, &stim));
  CHECK(rel_to(stim, "const/stim64_p1") < 1e-6);
  cn_array_release(stim);
  pos = -3.0;
  CHECK_OK(cn_model_stimulus(m, &pos, 1, &stim));
  CHECK(rel_to(stim, "const/stim64_pm3") < 1e-6);
  cn_array_release(stim);
  cn_model_release(m);

  m = make_cann(false, false, 512);
  CHECK(rel_to(cn_model_state(m, "x"), "const/x512") <= X_TOL);
  pos = 1.0;
  CHECK_OK(cn_model_stimulus(m, &pos, 1, &stim));
  CHECK(rel_to(stim, "const/stim512_p1") < 1e-6);
  /* upstream's first grid point */
  CHECK_NEAR(cn_f32(cn_model_state(m, "x"))[0], -3.1415927, 1e-7);
  cn_array_release(stim);
  CHECK_OK(cn_cann_conn_mat(m, &conn));
  CHECK_NEAR(cn_f32(conn)[0], 3.1915383, 2e-7);
  CHECK_NEAR(cn_f32(conn)[511], 3.1915383, 2e-7);
  cn_array_release(conn);
  cn_model_release(m);

  /* Non-default parameters and range (CANN1D_SFA(33, tau=2, k=5, a=0.4,
   * z in [0, 10])). */
  cn_cann_params p;
  cn_cann_params_init(&p, true);
  p.n = 33;
  p.tau = 2.0;
  p.k = 5.0;
  p.a = 0.4;
  p.z_min = 0.0;
  p.z_max = 10.0;
  CHECK_OK(cn_cann1d_new(&m, &p));
  CHECK(rel_to(cn_model_state(m, "x"), "const/x33") <= X_TOL);
  CHECK_OK(cn_cann_conn_mat(m, &conn));
  CHECK(rel_to(conn, "const/conn33") < 1e-6);
  cn_array_release(conn);
  pos = 7.0;
  CHECK_OK(cn_model_stimulus(m, &pos, 1, &stim));
  CHECK(rel_to(stim, "const/stim33_p7") < 1e-6);
  cn_array_release(stim);
  cn_model_release(m);

  m = make_cann(true, false, 8);
  CHECK(rel_to(cn_model_state(m, "x"), "const/x2d8") <= X_TOL);
  CHECK_OK(cn_cann_conn_mat(m, &conn));
  CHECK(conn->shape[0] == 64 && conn->shape[1] == 64);
  CHECK(rel_to(conn, "const/conn2d8") < 1e-6);
  cn_array_release(conn);
  double pos2[2] = {1.0, -0.5};
  CHECK_OK(cn_model_stimulus(m, pos2, 2, &stim));
  CHECK(rel_to(stim, "const/stim2d8") < 1e-6);
  cn_array_release(stim);
  cn_model_release(m);

  m = make_cann(true, false, 32);
  pos2[0] = 1.0, pos2[1] = 0.0;
  CHECK_OK(cn_model_stimulus(m, pos2, 2, &stim));
  CHECK(rel_to(stim, "const/stim2d32") < 1e-6);
  /* upstream CANN2D golden: peak at row 16, column 20, value 9.82160 */
  int64_t best = 0;
  for (int64_t i = 1; i < stim->size; i++)
    if (cn_f32(stim)[i] > cn_f32(stim)[best]) best = i;
  CHECK(best == 16 * 32 + 20);
  CHECK_NEAR(cn_f32(stim)[best], 9.82160, 1e-4);
  cn_array_release(stim);
  cn_model_release(m);
}

TEST(dist_wraps_into_half_open_range) {
  cn_model *m = make_cann(false, false, 16);
  cn_array *d, *r;
  CHECK_OK(cn_array_new1(&d, CN_FLOAT32, 5));
  float v[5] = {0.0f, 3.5f, -3.5f, 7.0f, (float)M_PI};
  memcpy(d->data, v, sizeof v);
  CHECK_OK(cn_cann_dist(m, d, &r));
  const float Z = (float)(2 * M_PI);
  CHECK(cn_f32(r)[0] == 0.0f);
  CHECK_NEAR(cn_f32(r)[1], 3.5f - Z, 1e-6);
  CHECK_NEAR(cn_f32(r)[2], Z - 3.5f, 1e-6);
  CHECK_NEAR(cn_f32(r)[3], 7.0f - Z, 1e-6);
  CHECK(cn_f32(r)[4] == (float)M_PI); /* pi stays (range (-pi, pi]) */
  cn_array_release(d);
  cn_array_release(r);
  cn_model_release(m);
}

int main(void) {
  RUN(ringconv_matches_plain_circular_sum);
  RUN(ringspec_matches_plain_circular_sum);
  RUN(spectral_table_passes_match_plain_sums);
  RUN(fast_paths_match_dense_product);
  RUN(estimate_method_by_size);
  RUN(constants_match_python_toolkit);
  RUN(dist_wraps_into_half_open_range);
  return test_summary();
}
