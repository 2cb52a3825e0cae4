/* Unit tests of the array core: creation, shapes, views, elementwise
 * operations with broadcasting, reductions, matmul, FFT, linspace.
 * References: plain loops written here, JAX/numpy fixtures
 * (spec/fixtures/core, made by scripts/fixtures/make_core_fixtures.py),
 * and upstream's grid constants. */
#include <omp.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>

#include "canns/array.h"
#include "canns/io.h"
#include "core/internal.h"
#include <sys/mman.h>

#include "test.h"

static cn_array *load_core(const char *name) { return test_fixture("core", name); }

TEST(creation_and_shape_checks) {
  cn_array *a;
  int64_t sh[3] = {2, 3, 4};
  CHECK_OK(cn_array_zeros(&a, CN_FLOAT32, 3, sh));
  CHECK(a->size == 24 && a->ndim == 3);
  for (int64_t i = 0; i < a->size; i++) CHECK(cn_f32(a)[i] == 0.0f);
  cn_array_release(a);
  int64_t neg[1] = {-3};
  CHECK_FAILS(cn_array_zeros(&a, CN_FLOAT32, 1, neg), CN_EINVAL);
  CHECK(strstr(cn_errmsg(), "non-negative") != NULL);
  int64_t huge[2] = {INT64_MAX / 2, 4};
  CHECK_FAILS(cn_array_zeros(&a, CN_FLOAT32, 2, huge), CN_ENOMEM);
  /* a zero extent does not excuse the others: every product of extents
   * (strides, outer/inner counts) must fit, as numpy requires */
  int64_t zhuge[3] = {0, (int64_t)1 << 40, (int64_t)1 << 40};
  CHECK_FAILS(cn_array_zeros(&a, CN_FLOAT32, 3, zhuge), CN_ENOMEM);
  CHECK_FAILS(cn_array_zeros(&a, CN_FLOAT32, CN_MAXDIM + 1, sh), CN_EINVAL);
  CHECK_FAILS(cn_array_zeros(&a, (cn_dtype)99, 1, sh), CN_EDTYPE);
  /* empty and 0-d arrays */
  int64_t z[2] = {0, 5};
  CHECK_OK(cn_array_zeros(&a, CN_FLOAT64, 2, z));
  CHECK(a->size == 0);
  cn_array_release(a);
  CHECK_OK(cn_array_full(&a, CN_INT32, 0, NULL, 7));
  CHECK(a->size == 1 && ((int32_t *)a->data)[0] == 7);
  cn_array_release(a);
  cn_dtype t;
  CHECK_OK(cn_dtype_from_name("float64", &t));
  CHECK(t == CN_FLOAT64);
  CHECK_FAILS(cn_dtype_from_name("complex", &t), CN_EDTYPE);
}

TEST(views_share_memory_and_keep_base_alive) {
  cn_array *a, *v, *r, *row;
  int64_t sh[2] = {4, 3};
  CHECK_OK(cn_array_zeros(&a, CN_FLOAT32, 2, sh));
  for (int i = 0; i < 12; i++) cn_f32(a)[i] = (float)i;
  CHECK_OK(cn_array_rows(&v, a, 1, 3));
  CHECK(v->shape[0] == 2 && v->shape[1] == 3 && cn_f32(v)[0] == 3.0f);
  cn_f32(v)[0] = 100.0f;
  CHECK(cn_f32(a)[3] == 100.0f);
  int64_t nsh[2] = {-1, 2};
  CHECK_OK(cn_array_reshape(&r, a, 2, nsh));
  CHECK(r->shape[0] == 6 && r->shape[1] == 2);
  int64_t bad[1] = {5};
  CHECK_FAILS(cn_array_reshape(&row, a, 1, bad), CN_ESHAPE);
  CHECK_OK(cn_array_select(&row, a, 3));
  CHECK(row->ndim == 1 && cn_f32(row)[2] == 11.0f);
  CHECK_FAILS(cn_array_select(&row, a, 4), CN_ERANGE);
  cn_array_release(a); /* views keep the memory alive */
  CHECK(cn_f32(v)[1] == 4.0f && cn_f32(r)[11] == 11.0f);
  cn_array_release(v);
  cn_array_release(r);
  cn_array_release(row);
}

TEST(slice_and_transpose_match_plain_loops) {
  cn_array *a, *s, *t;
  int64_t sh[3] = {3, 5, 4};
  CHECK_OK(cn_array_empty(&a, CN_FLOAT64, 3, sh));
  for (int i = 0; i < 60; i++) cn_f64(a)[i] = i * 1.5;
  CHECK_OK(cn_array_slice(&s, a, 1, 4, 0, -2)); /* rows 4, 2 of axis 1 */
  CHECK(s->shape[0] == 3 && s->shape[1] == 2 && s->shape[2] == 4);
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 2; k++)
      for (int j = 0; j < 4; j++)
        CHECK(cn_f64(s)[(i * 2 + k) * 4 + j] == cn_f64(a)[(i * 5 + (4 - 2 * k)) * 4 + j]);
  cn_array_release(s);
  /* a negative step may start at index n-1 at most (n would read past the
   * axis); any step size is fine, even one that does not fit in -step */
  CHECK_FAILS(cn_array_slice(&s, a, 1, 5, -1, -1), CN_ERANGE);
  CHECK_OK(cn_array_slice(&s, a, 1, 4, -1, INT64_MIN));
  CHECK(s->shape[1] == 1 && cn_f64(s)[0] == cn_f64(a)[16]);
  cn_array_release(s);
  CHECK_OK(cn_array_slice(&s, a, 1, 1, 5, INT64_MAX));
  CHECK(s->shape[1] == 1 && cn_f64(s)[0] == cn_f64(a)[4]);
  cn_array_release(s);
  CHECK_OK(cn_array_slice(&s, a, 2, -1, -1, -1)); /* empty, as a[..., -1:-1:-1] */
  CHECK(s->shape[2] == 0 && s->size == 0);
  cn_array_release(s);
  int perm[3] = {2, 0, 1};
  CHECK_OK(cn_array_transpose(&t, a, perm));
  CHECK(t->shape[0] == 4 && t->shape[1] == 3 && t->shape[2] == 5);
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 5; k++)
        CHECK(cn_f64(t)[(i * 3 + j) * 5 + k] == cn_f64(a)[(j * 5 + k) * 4 + i]);
  cn_array_release(t);
  int dup[3] = {0, 0, 1};
  CHECK_FAILS(cn_array_transpose(&t, a, dup), CN_EINVAL);
  /* 2-d blocked transpose on a size that is not a multiple of the block */
  cn_array *m, *mt;
  int64_t ms[2] = {70, 45};
  CHECK_OK(cn_array_empty(&m, CN_FLOAT32, 2, ms));
  for (int i = 0; i < 70 * 45; i++) cn_f32(m)[i] = (float)i;
  CHECK_OK(cn_array_transpose(&mt, m, NULL));
  int bad = 0;
  for (int i = 0; i < 70; i++)
    for (int j = 0; j < 45; j++) bad += cn_f32(mt)[j * 70 + i] != cn_f32(m)[i * 45 + j];
  CHECK(bad == 0);
  cn_array_release(m);
  cn_array_release(mt);
  cn_array_release(a);
}

TEST(broadcasting_binops_match_plain_loops) {
  cn_array *a, *b, *r = NULL;
  int64_t sa[3] = {4, 1, 3}, sb[2] = {5, 1};
  CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 3, sa));
  CHECK_OK(cn_array_empty(&b, CN_FLOAT32, 2, sb));
  for (int i = 0; i < 12; i++) cn_f32(a)[i] = 0.5f * i - 2.0f;
  for (int i = 0; i < 5; i++) cn_f32(b)[i] = 1.0f + i;
  CHECK_OK(cn_array_binop(&r, CN_SUB, a, b));
  CHECK(r->ndim == 3 && r->shape[0] == 4 && r->shape[1] == 5 && r->shape[2] == 3);
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 5; j++)
      for (int k = 0; k < 3; k++)
        CHECK(cn_f32(r)[(i * 5 + j) * 3 + k] == cn_f32(a)[i * 3 + k] - cn_f32(b)[j]);
  cn_array_release(r);
  r = NULL;
  int64_t sc[1] = {4};
  cn_array *c;
  CHECK_OK(cn_array_zeros(&c, CN_FLOAT32, 1, sc));
  CHECK_FAILS(cn_array_binop(&r, CN_ADD, a, c), CN_ESHAPE);
  CHECK(strstr(cn_errmsg(), "broadcast") != NULL);
  /* comparisons give bool; scalars keep the float32 dtype (weak typing) */
  CHECK_OK(cn_array_binop_scalar(&r, CN_GT, a, 0.0, false));
  CHECK(r->dtype == CN_BOOL);
  for (int i = 0; i < 12; i++) CHECK(((uint8_t *)r->data)[i] == (cn_f32(a)[i] > 0));
  cn_array_release(r);
  r = NULL;
  CHECK_OK(cn_array_binop_scalar(&r, CN_MUL, a, 0.1, false));
  CHECK(r->dtype == CN_FLOAT32);
  for (int i = 0; i < 12; i++) CHECK(cn_f32(r)[i] == cn_f32(a)[i] * 0.1f);
  cn_array_release(r);
  r = NULL;
  CHECK_OK(cn_array_binop_scalar(&r, CN_SUB, a, 1.0, true)); /* 1 - a */
  for (int i = 0; i < 12; i++) CHECK(cn_f32(r)[i] == 1.0f - cn_f32(a)[i]);
  /* in place into an existing output */
  CHECK_OK(cn_array_binop(&r, CN_MUL, r, r));
  for (int i = 0; i < 12; i++) CHECK(cn_f32(r)[i] == (1.0f - cn_f32(a)[i]) * (1.0f - cn_f32(a)[i]));
  cn_array_release(r);
  cn_array_release(a);
  cn_array_release(b);
  cn_array_release(c);
}

TEST(integer_and_mixed_dtypes) {
  cn_array *a, *b, *r = NULL;
  int64_t n = 6;
  CHECK_OK(cn_array_empty(&a, CN_INT32, 1, &n));
  CHECK_OK(cn_array_empty(&b, CN_FLOAT32, 1, &n));
  for (int i = 0; i < 6; i++) {
    ((int32_t *)a->data)[i] = i - 3;
    cn_f32(b)[i] = 0.25f * i;
  }
  CHECK_OK(cn_array_binop(&r, CN_ADD, a, b));
  CHECK(r->dtype == CN_FLOAT32);
  for (int i = 0; i < 6; i++) CHECK(cn_f32(r)[i] == (float)(i - 3) + 0.25f * i);
  cn_array_release(r);
  r = NULL;
  CHECK_OK(cn_array_binop_scalar(&r, CN_MOD, a, 4, false)); /* Python semantics */
  int32_t want[6] = {1, 2, 3, 0, 1, 2};
  for (int i = 0; i < 6; i++) CHECK(((int32_t *)r->data)[i] == want[i]);
  cn_array_release(r);
  r = NULL;
  CHECK_OK(cn_array_binop_scalar(&r, CN_DIV, a, 2, false)); /* true division */
  CHECK(r->dtype == CN_FLOAT64 && cn_f64(r)[0] == -1.5);
  cn_array_release(r);
  cn_array_release(a);
  cn_array_release(b);
}

/* Integer % and ^ wrap like numpy and never trap or overflow a signed
 * type: INT64_MIN % -1 is 0 (x86 raises SIGFPE for the C expression), and
 * powers are computed modulo 2^64 (values from numpy). */
TEST(integer_pow_and_mod_at_the_limits) {
  cn_array *a, *r = NULL;
  int64_t n = 3;
  CHECK_OK(cn_array_empty(&a, CN_INT64, 1, &n));
  int64_t *p = a->data;
  p[0] = INT64_MIN; p[1] = 7; p[2] = -7;
  CHECK_OK(cn_array_binop_scalar(&r, CN_MOD, a, -1, false));
  CHECK(r->dtype == CN_INT64);
  for (int i = 0; i < 3; i++) CHECK(((int64_t *)r->data)[i] == 0);
  cn_array_release(r);
  p[0] = 3; p[1] = (int64_t)1 << 32; p[2] = 2147483647;
  int64_t e[3] = {40, 1, 3}, want[3] = {-6289078614652622815LL, 4294967296LL, 4611686024869838847LL};
  cn_array *ex;
  CHECK_OK(cn_array_empty(&ex, CN_INT64, 1, &n));
  memcpy(ex->data, e, sizeof e);
  r = NULL;
  CHECK_OK(cn_array_binop(&r, CN_POW, a, ex));
  for (int i = 0; i < 3; i++) CHECK(((int64_t *)r->data)[i] == want[i]);
  cn_array_release(r);
  cn_array_release(ex);
  cn_array_release(a);
  int32_t big = 100000;
  int64_t one = 1;
  CHECK_OK(cn_array_empty(&a, CN_INT32, 1, &one));
  memcpy(a->data, &big, sizeof big);
  r = NULL;
  CHECK_OK(cn_array_binop_scalar(&r, CN_POW, a, 2, false));
  CHECK(r->dtype == CN_INT32 && ((int32_t *)r->data)[0] == 1410065408);
  cn_array_release(r);
  cn_array_release(a);
}

TEST(unary_math_matches_libm_and_numpy) {
  cn_array *x = load_core("x"), *want = load_core("x_exp"), *r = NULL;
  CHECK_OK(cn_array_unop(&r, CN_EXP, x));
  double maxrel = 0;
  for (int64_t i = 0; i < x->size; i++) {
    double rel = fabs(cn_f32(r)[i] - cn_f32(want)[i]) / fabs(cn_f32(want)[i]);
    if (rel > maxrel) maxrel = rel;
  }
  CHECK(maxrel < 2.4e-7); /* within 2 ulp of numpy's float32 exp */
  cn_array_release(r);
  r = NULL;
  cn_array *rem = load_core("x_remainder");
  CHECK_OK(cn_array_binop_scalar(&r, CN_MOD, x, 0.7, false));
  int bad = 0;
  for (int64_t i = 0; i < x->size; i++) bad += cn_f32(r)[i] != cn_f32(rem)[i];
  CHECK(bad == 0); /* np.remainder is bit-exact */
  cn_array_release(r);
  r = NULL;
  CHECK_OK(cn_array_clip(&r, x, -0.5, 0.5));
  for (int64_t i = 0; i < x->size; i++) {
    float v = cn_f32(x)[i];
    CHECK(cn_f32(r)[i] == (v < -0.5f ? -0.5f : v > 0.5f ? 0.5f : v));
  }
  cn_array_release(r);
  cn_array_release(x);
  cn_array_release(want);
  cn_array_release(rem);
}

static double plain_sum(const cn_array *a) {
  double s = 0;
  for (int64_t i = 0; i < a->size; i++) s += cn_array_getd(a, i);
  return s;
}

TEST(reductions_match_numpy_fixtures) {
  cn_array *x = load_core("x"), *s0 = load_core("x_sum0"), *s1 = load_core("x_sum1"), *sd = load_core("x_std1");
  cn_array *r;
  CHECK_OK(cn_array_reduce(&r, CN_SUM, x, 0, 0));
  CHECK(r->ndim == 1 && r->shape[0] == 53 && r->dtype == CN_FLOAT32);
  for (int i = 0; i < 53; i++) CHECK_NEAR(cn_f32(r)[i], cn_f64(s0)[i], 1e-5 * (1 + fabs(cn_f64(s0)[i])));
  cn_array_release(r);
  CHECK_OK(cn_array_reduce(&r, CN_SUM, x, 1, 0));
  for (int i = 0; i < 37; i++) CHECK_NEAR(cn_f32(r)[i], cn_f64(s1)[i], 1e-5 * (1 + fabs(cn_f64(s1)[i])));
  cn_array_release(r);
  CHECK_OK(cn_array_reduce(&r, CN_STD, x, 1, 0));
  for (int i = 0; i < 37; i++) CHECK_NEAR(cn_f32(r)[i], cn_f64(sd)[i], 1e-6);
  cn_array_release(r);
  double v;
  CHECK_OK(cn_array_reduce_all(CN_SUM, x, &v));
  CHECK_NEAR(v, plain_sum(x), 1e-4);
  /* max / argmax against a plain scan, along axis 0 */
  CHECK_OK(cn_array_reduce(&r, CN_ARGMAX, x, 0, 0));
  for (int j = 0; j < 53; j++) {
    int best = 0;
    for (int i = 1; i < 37; i++)
      if (cn_f32(x)[i * 53 + j] > cn_f32(x)[best * 53 + j]) best = i;
    CHECK(((int64_t *)r->data)[j] == best);
  }
  cn_array_release(r);
  CHECK_OK(cn_array_reduce(&r, CN_MIN, x, -1, 0));
  float mn = cn_f32(x)[0];
  for (int64_t i = 1; i < x->size; i++) if (cn_f32(x)[i] < mn) mn = cn_f32(x)[i];
  CHECK(cn_f32(r)[0] == mn);
  cn_array_release(r);
  CHECK_FAILS(cn_array_reduce(&r, CN_SUM, x, 2, 0), CN_EINVAL);
  cn_array_release(x);
  cn_array_release(s0);
  cn_array_release(s1);
  cn_array_release(sd);
}

TEST(reductions_handle_nan_and_empty) {
  cn_array *a, *r;
  int64_t n = 5;
  CHECK_OK(cn_array_zeros(&a, CN_FLOAT32, 1, &n));
  cn_f32(a)[2] = NAN;
  cn_f32(a)[4] = 3;
  CHECK_OK(cn_array_reduce(&r, CN_MAX, a, -1, 0));
  CHECK(isnan(cn_f32(r)[0])); /* NaN propagates like numpy */
  cn_array_release(r);
  CHECK_OK(cn_array_reduce(&r, CN_ARGMAX, a, -1, 0));
  CHECK(((int64_t *)r->data)[0] == 2);
  cn_array_release(r);
  cn_array_release(a);
  int64_t z = 0;
  CHECK_OK(cn_array_zeros(&a, CN_FLOAT32, 1, &z));
  CHECK_FAILS(cn_array_reduce(&r, CN_MAX, a, -1, 0), CN_EINVAL);
  CHECK_OK(cn_array_reduce(&r, CN_SUM, a, -1, 0));
  CHECK(cn_f32(r)[0] == 0);
  cn_array_release(r);
  cn_array_release(a);
}

/* Sums over 10^6 elements are split into blocks; the result must not
 * depend on the number of threads. */
TEST(results_do_not_depend_on_thread_count) {
  cn_array *a, *r1, *r2, *e1 = NULL, *e2 = NULL;
  int64_t n = 1000003;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 1, &n));
  for (int64_t i = 0; i < n; i++) cn_f32(a)[i] = (float)sin(0.001 * i) * 1e3f + 1e-3f * (i % 7);
  cn_set_num_threads(1);
  CHECK_OK(cn_array_reduce(&r1, CN_SUM, a, -1, 0));
  CHECK_OK(cn_array_unop(&e1, CN_EXP, a));
  cn_set_num_threads(2);
  CHECK_OK(cn_array_reduce(&r2, CN_SUM, a, -1, 0));
  CHECK_OK(cn_array_unop(&e2, CN_EXP, a));
  CHECK(memcmp(r1->data, r2->data, 4) == 0);
  CHECK(memcmp(e1->data, e2->data, n * 4) == 0);
  CHECK_NEAR(cn_f32(r1)[0], plain_sum(a), 1e-6 * fabs(plain_sum(a)) + 1e-2);
  cn_set_num_threads(0);
  cn_array_release(a);
  cn_array_release(r1);
  cn_array_release(r2);
  cn_array_release(e1);
  cn_array_release(e2);
}

/* A strided reduction over many short rows (shape {200000, 2, 2}, the
 * middle axis) keeps one partial sum per output element, not a 2048-wide
 * tile for each: it used to touch ~1.2 GB for this 3 MB array. */
static long peak_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

TEST(strided_reduction_memory_scales_with_the_output) {
  int64_t sh[3] = {200000, 2, 2};
  cn_array *a, *r;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 3, sh));
  for (int64_t i = 0; i < a->size; i++) cn_f32(a)[i] = (float)(i % 13) - 6.0f;
  long before = peak_rss_kb();
  CHECK_OK(cn_array_reduce(&r, CN_SUM, a, 1, 0));
  long grown_mb = (peak_rss_kb() - before) / 1024;
  CHECK(grown_mb < 256);
  if (grown_mb >= 256) fprintf(stderr, "peak RSS grew by %ld MB\n", grown_mb);
  int bad = 0;
  for (int64_t o = 0; o < sh[0]; o++)
    for (int j = 0; j < 2; j++)
      bad += cn_f32(r)[o * 2 + j] != cn_f32(a)[o * 4 + j] + cn_f32(a)[o * 4 + 2 + j];
  CHECK(bad == 0);
  cn_array_release(r);
  cn_array_release(a);
}

/* An in-place output that overlaps an operand at another offset (a row
 * of itself broadcast over it, or a shifted view) must see the operand's
 * values from before the operation, as numpy does, for any thread count. */
TEST(in_place_binop_reads_overlapping_operands_first) {
  for (int threads = 1; threads <= 2; threads++) {
    cn_set_num_threads(threads);
    cn_array *a, *row, *want;
    int64_t sh[2] = {5, 3};
    CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 2, sh));
    for (int i = 0; i < 15; i++) cn_f32(a)[i] = (float)(i * i % 11);
    CHECK_OK(cn_array_copy(&want, a));
    for (int i = 0; i < 5; i++)
      for (int j = 0; j < 3; j++) cn_f32(want)[i * 3 + j] += cn_f32(a)[3 + j];
    CHECK_OK(cn_array_select(&row, a, 1));
    CHECK_OK(cn_array_binop(&a, CN_ADD, a, row)); /* a += a[2] */
    CHECK(memcmp(a->data, want->data, 15 * 4) == 0);
    cn_array_release(row);
    cn_array_release(want);
    cn_array_release(a);
    /* shifted views of one buffer, long enough to be split over threads */
    int64_t n = 200001;
    cn_array *x, *hi, *lo;
    CHECK_OK(cn_array_empty(&x, CN_FLOAT64, 1, &n));
    for (int64_t i = 0; i < n; i++) cn_f64(x)[i] = (double)(i % 1000);
    CHECK_OK(cn_array_rows(&hi, x, 1, n));
    CHECK_OK(cn_array_rows(&lo, x, 0, n - 1));
    CHECK_OK(cn_array_binop(&hi, CN_ADD, hi, lo)); /* x[1:] += x[:-1] */
    int bad = 0;
    for (int64_t i = 1; i < n; i++) bad += cn_f64(x)[i] != (double)(i % 1000 + (i - 1) % 1000);
    CHECK(bad == 0);
    cn_array_release(hi);
    cn_array_release(lo);
    cn_array_release(x);
  }
  cn_set_num_threads(0);
}

/* assign between overlapping views of one buffer moves the values like
 * numpy's x[1:] = x[:-1] (memcpy on overlapping memory is undefined). */
TEST(assign_between_overlapping_views) {
  int64_t n = ((int64_t)1 << 20) + 7;
  cn_array *x, *hi, *lo;
  CHECK_OK(cn_array_empty(&x, CN_FLOAT64, 1, &n));
  for (int threads = 1; threads <= 2; threads++) {
    cn_set_num_threads(threads);
    for (int64_t i = 0; i < n; i++) cn_f64(x)[i] = (double)i;
    CHECK_OK(cn_array_rows(&hi, x, 1, n));
    CHECK_OK(cn_array_rows(&lo, x, 0, n - 1));
    CHECK_OK(cn_array_assign(hi, lo)); /* x[1:] = x[:-1] */
    int bad = cn_f64(x)[0] != 0;
    for (int64_t i = 1; i < n; i++) bad += cn_f64(x)[i] != (double)(i - 1);
    CHECK(bad == 0);
    CHECK_OK(cn_array_assign(lo, hi)); /* x[:-1] = x[1:] */
    for (int64_t i = 0; i < n - 1; i++) bad += cn_f64(x)[i] != (double)i;
    CHECK(bad == 0);
    cn_array_release(hi);
    cn_array_release(lo);
  }
  cn_set_num_threads(0);
  cn_array_release(x);
}

/* Long strided axes are cut into blocks merged in order: compare with a
 * plain double loop, and across thread counts bit for bit. */
TEST(long_axis_reductions_match_plain_loops) {
  int64_t sh[2] = {20011, 7};
  cn_array *a;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 2, sh));
  for (int64_t i = 0; i < a->size; i++) cn_f32(a)[i] = (float)sin(0.37 * i) * (1 + i % 5);
  static const cn_redop ops[4] = {CN_SUM, CN_MAX, CN_MIN, CN_STD};
  for (int k = 0; k < 4; k++) {
    cn_array *r1, *r2;
    cn_set_num_threads(1);
    CHECK_OK(cn_array_reduce(&r1, ops[k], a, 0, 0));
    cn_set_num_threads(2);
    CHECK_OK(cn_array_reduce(&r2, ops[k], a, 0, 0));
    CHECK(memcmp(r1->data, r2->data, 7 * 4) == 0);
    for (int j = 0; j < 7; j++) {
      double s = 0, s2 = 0, mx = -INFINITY, mn = INFINITY;
      for (int64_t i = 0; i < sh[0]; i++) {
        double v = cn_f32(a)[i * 7 + j];
        s += v;
        mx = v > mx ? v : mx;
        mn = v < mn ? v : mn;
      }
      for (int64_t i = 0; i < sh[0]; i++) {
        double d = cn_f32(a)[i * 7 + j] - s / sh[0];
        s2 += d * d;
      }
      double want = ops[k] == CN_SUM ? s : ops[k] == CN_MAX ? mx : ops[k] == CN_MIN ? mn : sqrt(s2 / sh[0]);
      CHECK_NEAR(cn_f32(r1)[j], want, 1e-6 * (1 + fabs(want)));
    }
    cn_array_release(r1);
    cn_array_release(r2);
  }
  cn_set_num_threads(0);
  cn_f32(a)[5 * 7 + 3] = NAN;
  cn_array *r;
  CHECK_OK(cn_array_reduce(&r, CN_MAX, a, 0, 0));
  CHECK(isnan(cn_f32(r)[3]) && !isnan(cn_f32(r)[2]));
  cn_array_release(r);
  cn_array_release(a);
}

TEST(matmul_matches_numpy) {
  cn_array *x = load_core("x"), *w = load_core("w"), *want = load_core("xw"), *r = NULL;
  CHECK_OK(cn_array_matmul(&r, x, w));
  CHECK(r->shape[0] == 37 && r->shape[1] == 29);
  for (int64_t i = 0; i < r->size; i++) CHECK_NEAR(cn_f32(r)[i], cn_f64(want)[i], 1e-4);
  cn_array_release(r);
  r = NULL;
  CHECK_FAILS(cn_array_matmul(&r, x, x), CN_ESHAPE);
  /* matrix-vector */
  cn_array *v, *mv = NULL;
  int64_t k = 53;
  CHECK_OK(cn_array_full(&v, CN_FLOAT32, 1, &k, 1.0));
  CHECK_OK(cn_array_matmul(&mv, x, v));
  CHECK(mv->ndim == 1 && mv->shape[0] == 37);
  for (int i = 0; i < 37; i++) {
    double s = 0;
    for (int j = 0; j < 53; j++) s += cn_f32(x)[i * 53 + j];
    CHECK_NEAR(cn_f32(mv)[i], s, 1e-4);
  }
  double d;
  CHECK_OK(cn_array_dot(&d, v, v));
  CHECK(d == 53.0);
  cn_array_release(v);
  cn_array_release(mv);
  cn_array_release(x);
  cn_array_release(w);
  cn_array_release(want);
}

TEST(rfft_matches_numpy_and_inverts) {
  cn_array *x = load_core("x"), *want = load_core("x_rfft"), *f = NULL, *back = NULL;
  CHECK_OK(cn_array_rfft(&f, x));
  CHECK(f->ndim == 3 && f->shape[0] == 37 && f->shape[1] == 27 && f->shape[2] == 2);
  double maxerr = 0;
  for (int64_t i = 0; i < f->size; i++) {
    double e = fabs(cn_f32(f)[i] - cn_f64(want)[i]);
    if (e > maxerr) maxerr = e;
  }
  CHECK(maxerr < 2e-5);
  CHECK_OK(cn_array_irfft(&back, f, 53));
  CHECK(back->shape[0] == 37 && back->shape[1] == 53);
  for (int64_t i = 0; i < x->size; i++) CHECK_NEAR(cn_f32(back)[i], cn_f32(x)[i], 1e-5);
  cn_array_release(back);
  back = NULL;
  CHECK_FAILS(cn_array_irfft(&back, f, 60), CN_ESHAPE);
  cn_array_release(f);
  cn_array_release(x);
  cn_array_release(want);
}

/* jnp.linspace is not bit-reproducible itself: XLA's vectorised loop
 * rounds some elements differently depending on the buffer's alignment
 * (the same call gives different last bits in different processes).  So
 * the reference is "within 1 ulp of the range end (pi) of JAX, and mostly
 * identical". */
TEST(linspace_matches_jax) {
  static const int ns[] = {1, 2, 16, 32, 100, 256, 512, 513};
  char name[64];
  int64_t total = 0, exact = 0;
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++)
    for (int end = 0; end < 2; end++) {
      snprintf(name, sizeof name, "linspace_pi_%d%s", ns[k], end ? "" : "_noend");
      cn_array *want = load_core(name), *got;
      CHECK_OK(cn_linspace(&got, -M_PI, M_PI, ns[k], end, CN_FLOAT32));
      CHECK(got->size == want->size);
      for (int64_t i = 0; i < got->size; i++) {
        float g = cn_f32(got)[i], w = cn_f32(want)[i];
        CHECK(fabsf(g - w) <= 2.4e-7f); /* ulp(pi) = 2.38e-7 */
        exact += g == w;
        total++;
      }
      CHECK(cn_f32(got)[0] == (float)-M_PI);
      if (end && ns[k] > 1) CHECK(cn_f32(got)[ns[k] - 1] == (float)M_PI);
      cn_array_release(got);
      cn_array_release(want);
    }
  CHECK(exact >= total * 9 / 10);
  cn_array *x;
  CHECK_OK(cn_linspace(&x, -M_PI, M_PI, 16, true, CN_FLOAT32));
  CHECK(cn_f32(x)[0] == -3.1415927f && cn_f32(x)[1] == -2.7227137f && cn_f32(x)[2] == -2.3038347f);
  cn_array_release(x);
  cn_array *w = load_core("linspace_m2_5_11");
  CHECK_OK(cn_linspace(&x, -2.5, 5.0, 11, true, CN_FLOAT32));
  CHECK(memcmp(x->data, w->data, 44) == 0);
  cn_array_release(x);
  cn_array_release(w);
  CHECK_FAILS(cn_linspace(&x, 0, 1, -1, true, CN_FLOAT32), CN_EINVAL);
}

TEST(allclose_and_where) {
  cn_array *a, *b, *c, *r = NULL;
  int64_t n = 4;
  CHECK_OK(cn_array_full(&a, CN_FLOAT32, 1, &n, 1.0));
  CHECK_OK(cn_array_full(&b, CN_FLOAT32, 1, &n, 1.0 + 1e-6));
  bool ok;
  CHECK_OK(cn_array_allclose(a, b, 1e-5, 0, false, &ok));
  CHECK(ok);
  CHECK_OK(cn_array_allclose(a, b, 1e-8, 0, false, &ok));
  CHECK(!ok);
  cn_f32(a)[1] = NAN;
  cn_f32(b)[1] = NAN;
  CHECK_OK(cn_array_allclose(a, b, 1e-5, 0, false, &ok));
  CHECK(!ok);
  CHECK_OK(cn_array_allclose(a, b, 1e-5, 0, true, &ok));
  CHECK(ok);
  /* infinities are close only to themselves (numpy.isclose) */
  cn_f32(a)[2] = INFINITY;
  cn_f32(b)[2] = INFINITY;
  CHECK_OK(cn_array_allclose(a, b, 1e-5, 1e-8, true, &ok));
  CHECK(ok);
  cn_f32(b)[2] = -INFINITY;
  CHECK_OK(cn_array_allclose(a, b, 1e-5, 1e-8, true, &ok));
  CHECK(!ok);
  cn_f32(a)[2] = 1;
  cn_f32(b)[2] = INFINITY;
  CHECK_OK(cn_array_allclose(a, b, 1e-5, 1e-8, true, &ok));
  CHECK(!ok);
  cn_f32(a)[2] = cn_f32(b)[2] = 1;
  c = NULL;
  CHECK_OK(cn_array_binop_scalar(&c, CN_GT, a, 0.5, false));
  CHECK_OK(cn_array_where(&r, c, a, 0, NULL, -1.0));
  CHECK(cn_f32(r)[0] == 1.0f && cn_f32(r)[1] == -1.0f); /* NaN > 0.5 is false */
  cn_array_release(r);
  cn_array_release(a);
  cn_array_release(b);
  cn_array_release(c);
}

TEST(concat_and_astype) {
  cn_array *a, *b, *c, *t;
  int64_t sa[2] = {2, 3}, sb[2] = {2, 1};
  CHECK_OK(cn_array_full(&a, CN_FLOAT32, 2, sa, 1));
  CHECK_OK(cn_array_full(&b, CN_INT32, 2, sb, 7));
  cn_array *ab[2] = {a, b};
  CHECK_OK(cn_array_concat(&c, ab, 2, 1));
  CHECK(c->shape[0] == 2 && c->shape[1] == 4 && c->dtype == CN_FLOAT32);
  CHECK(cn_f32(c)[3] == 7 && cn_f32(c)[7] == 7 && cn_f32(c)[4] == 1);
  CHECK_FAILS(cn_array_concat(&t, ab, 2, 0), CN_ESHAPE);
  CHECK_OK(cn_array_astype(&t, c, CN_INT64));
  CHECK(((int64_t *)t->data)[3] == 7);
  cn_array_release(t);
  /* float -> int conversion of NaN and out-of-range values is defined */
  cn_f32(c)[0] = NAN;
  cn_f32(c)[1] = 1e30f;
  CHECK_OK(cn_array_astype(&t, c, CN_INT32));
  CHECK(((int32_t *)t->data)[0] == 0 && ((int32_t *)t->data)[1] == INT32_MAX);
  cn_array_release(t);
  cn_array_release(a);
  cn_array_release(b);
  cn_array_release(c);
}

/* Large freed buffers come back to the next allocation that fits them
 * (with at most a quarter to spare), cleared again for zeros; small ones,
 * and ones too small or too large for the request, do not; the oldest
 * goes when the slots are full. */
/* The recording's prefault (core/prefault.c) is a hint: it never changes
 * contents; on a fresh region it maps the pages (where the kernel has
 * MADV_POPULATE_WRITE), and on a region whose pages are all mapped it
 * starts nothing (NULL). */
TEST(prefault_maps_fresh_pages_and_skips_mapped_ones) {
  size_t bytes = (size_t)8 << 20, page = 4096;
  char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(p != MAP_FAILED);
  if (p == MAP_FAILED) return;
  p[5 * page + 3] = 42; /* one page written by hand: kept */
  bool populate = cn_populate(p + bytes - page, page); /* kernel support */
  void *bufs[1] = {p};
  for (int threads = 1; threads <= 2; threads++) {
    int was = cn_num_threads();
    cn_set_num_threads(threads);
    cn_prefault *pf = cn_prefault_start(bufs, &bytes, 1);
    cn_prefault_end(pf);
    cn_set_num_threads(was);
    if (threads == 1) CHECK(pf != NULL); /* most pages were unmapped */
    if (populate) {
      unsigned char v[2048];
      CHECK(mincore(p, bytes, v) == 0);
      size_t n = 0;
      for (size_t i = 0; i < bytes / page; i++) n += v[i] & 1;
      CHECK(n == bytes / page);
      CHECK(cn_prefault_start(bufs, &bytes, 1) == NULL); /* all mapped now */
    }
    CHECK(p[5 * page + 3] == 42 && p[0] == 0 && p[bytes - 1] == 0);
  }
  munmap(p, bytes);
}

TEST(large_freed_buffers_are_reused_when_they_fit) {
  cn_recycle_drain();
  int64_t n8 = (8 << 20) / 4; /* 8 MiB of float32 */
  cn_array *a, *b;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 1, &n8));
  for (int64_t i = 0; i < n8; i++) cn_f32(a)[i] = 7.0f;
  void *p = a->data;
  cn_array_release(a);
  CHECK_OK(cn_array_zeros(&b, CN_FLOAT32, 1, &n8));
  CHECK(b->data == p);
  int64_t nz = 0;
  for (int64_t i = 0; i < n8; i++) nz += cn_f32(b)[i] != 0.0f;
  CHECK(nz == 0);
  cn_array_release(b); /* kept again */
  int64_t n12 = n8 * 3 / 2, n6 = n8 * 3 / 4, n7 = n8 * 7 / 8;
  CHECK_OK(cn_array_empty(&b, CN_FLOAT32, 1, &n12)); /* too small for it */
  CHECK(b->data != p);
  cn_array_release(b);
  CHECK_OK(cn_array_empty(&b, CN_FLOAT32, 1, &n6)); /* a third to spare: no */
  CHECK(b->data != p);
  cn_array *c;
  CHECK_OK(cn_array_empty(&c, CN_FLOAT32, 1, &n7)); /* a seventh: yes */
  CHECK(c->data == p);
  cn_array_release(b);
  cn_array_release(c);
  /* below CN_RECYCLE_MIN nothing is kept or handed out */
  void *small = aligned_alloc(64, CN_RECYCLE_MIN / 2);
  CHECK(small && !cn_recycle_give(small));
  free(small);
  CHECK(cn_recycle_take(CN_RECYCLE_MIN / 2) == NULL);
  /* full: the slots hold the last CN_RECYCLE_SLOTS given */
  cn_recycle_drain();
  void *blk[CN_RECYCLE_SLOTS + 1];
  for (int i = 0; i <= CN_RECYCLE_SLOTS; i++) {
    blk[i] = aligned_alloc(64, CN_RECYCLE_MIN);
    CHECK(blk[i] && cn_recycle_give(blk[i]));
  }
  int found[CN_RECYCLE_SLOTS + 1] = {0};
  for (int k = 0; k < CN_RECYCLE_SLOTS; k++) {
    void *q = cn_recycle_take(CN_RECYCLE_MIN);
    for (int i = 0; i <= CN_RECYCLE_SLOTS; i++) found[i] += q == blk[i];
    free(q);
  }
  CHECK(found[0] == 0); /* the oldest was freed */
  for (int i = 1; i <= CN_RECYCLE_SLOTS; i++) CHECK(found[i] == 1);
  CHECK(cn_recycle_take(CN_RECYCLE_MIN) == NULL);
  /* a buffer larger than the whole cache is never kept (not touched:
   * only address space) */
  void *huge = malloc(CN_RECYCLE_MAX + 4096);
  CHECK(huge && !cn_recycle_give(huge));
  free(huge);
  CHECK(!cn_recycle_give(NULL));
  cn_recycle_drain();
}

int main(void) {
  RUN(creation_and_shape_checks);
  RUN(views_share_memory_and_keep_base_alive);
  RUN(slice_and_transpose_match_plain_loops);
  RUN(broadcasting_binops_match_plain_loops);
  RUN(integer_and_mixed_dtypes);
  RUN(integer_pow_and_mod_at_the_limits);
  RUN(unary_math_matches_libm_and_numpy);
  RUN(reductions_match_numpy_fixtures);
  RUN(reductions_handle_nan_and_empty);
  RUN(results_do_not_depend_on_thread_count);
  RUN(strided_reduction_memory_scales_with_the_output);
  RUN(in_place_binop_reads_overlapping_operands_first);
  RUN(assign_between_overlapping_views);
  RUN(long_axis_reductions_match_plain_loops);
  RUN(matmul_matches_numpy);
  RUN(rfft_matches_numpy_and_inverts);
  RUN(linspace_matches_jax);
  RUN(allclose_and_where);
  RUN(concat_and_astype);
  RUN(large_freed_buffers_are_reused_when_they_fit);
  RUN(prefault_maps_fresh_pages_and_skips_mapped_ones);
  return test_summary();
}
