/* Unit tests of the Philox generator: Random123 known-answer vectors,
 * thread-count independence, distribution moments, permutations. */
#include <string.h>

#include "canns/random.h"
#include "test.h"

/* Random123 tests/kat_vectors, the three "philox4x32 10" lines. */
TEST(philox_known_answers) {
  static const uint32_t v[3][10] = {
      {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
      {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
       0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
      {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
       0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}};
  for (int k = 0; k < 3; k++) {
    uint32_t out[4];
    cn_philox4x32_10(v[k], v[k] + 4, out);
    for (int j = 0; j < 4; j++) CHECK(out[j] == v[k][6 + j]);
  }
}

TEST(same_seed_same_numbers_any_thread_count) {
  int64_t n = 300001;
  cn_array *a, *b;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 1, &n));
  CHECK_OK(cn_array_empty(&b, CN_FLOAT32, 1, &n));
  cn_rng g;
  cn_set_num_threads(1);
  cn_rng_seed(&g, 42);
  CHECK_OK(cn_rng_normal(&g, a, 0, 1));
  uint64_t c1 = g.counter;
  cn_set_num_threads(2);
  cn_rng_seed(&g, 42);
  CHECK_OK(cn_rng_normal(&g, b, 0, 1));
  CHECK(g.counter == c1 && c1 == (uint64_t)(n + 1) / 2);
  CHECK(memcmp(a->data, b->data, n * 4) == 0);
  /* a draw split in two continues the same stream */
  cn_array *h1, *h2;
  int64_t half = 1000;
  CHECK_OK(cn_array_empty(&h1, CN_FLOAT32, 1, &half));
  CHECK_OK(cn_array_empty(&h2, CN_FLOAT32, 1, &half));
  cn_rng_seed(&g, 42);
  CHECK_OK(cn_rng_normal(&g, h1, 0, 1));
  CHECK_OK(cn_rng_normal(&g, h2, 0, 1));
  CHECK(memcmp(h1->data, a->data, 4000) == 0 && memcmp(h2->data, cn_f32(a) + 1000, 4000) == 0);
  /* a different seed gives different numbers */
  cn_rng_seed(&g, 43);
  CHECK_OK(cn_rng_normal(&g, b, 0, 1));
  CHECK(memcmp(a->data, b->data, 4000) != 0);
  cn_set_num_threads(0);
  cn_array_release(a);
  cn_array_release(b);
  cn_array_release(h1);
  cn_array_release(h2);
}

/* Moments against theory with 6-sigma bounds (n = 10^6). */
TEST(moments_match_theory) {
  int64_t n = 1000000;
  cn_array *a;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT64, 1, &n));
  cn_rng g;
  cn_rng_seed(&g, 7);
  CHECK_OK(cn_rng_normal(&g, a, 2.0, 3.0));
  double s = 0, s2 = 0, s4 = 0;
  for (int64_t i = 0; i < n; i++) {
    double z = (cn_f64(a)[i] - 2.0) / 3.0;
    s += z;
    s2 += z * z;
    s4 += z * z * z * z;
  }
  CHECK_NEAR(s / n, 0.0, 6.0 / sqrt((double)n));
  CHECK_NEAR(s2 / n, 1.0, 6.0 * sqrt(2.0 / n));
  CHECK_NEAR(s4 / n, 3.0, 6.0 * sqrt(96.0 / n));
  CHECK_OK(cn_rng_uniform(&g, a, -1.0, 3.0));
  double mn = 10, mx = -10;
  s = s2 = 0;
  int64_t hist[10] = {0};
  for (int64_t i = 0; i < n; i++) {
    double u = cn_f64(a)[i];
    if (u < mn) mn = u;
    if (u > mx) mx = u;
    s += u;
    hist[(int)((u + 1.0) / 4.0 * 10)]++;
  }
  CHECK(mn >= -1.0 && mx < 3.0);
  CHECK_NEAR(s / n, 1.0, 6.0 * sqrt(16.0 / 12.0 / n));
  /* chi-square over 10 bins, 9 dof: P(chi2 > 33.7) < 1e-4 */
  double chi2 = 0, e = n / 10.0;
  for (int k = 0; k < 10; k++) chi2 += (hist[k] - e) * (hist[k] - e) / e;
  CHECK(chi2 < 33.7);
  cn_array_release(a);
}

/* The two 53-bit uniforms of counter block c under key, from the scalar
 * Philox (the reference the array draws are checked against). */
static void ref_uniforms(uint64_t key, uint64_t c, double u[2]) {
  uint32_t ctr[4] = {(uint32_t)c, (uint32_t)(c >> 32), 0x43414e4eu, 0};
  uint32_t k2[2] = {(uint32_t)key, (uint32_t)(key >> 32)}, w[4];
  cn_philox4x32_10(ctr, k2, w);
  u[0] = (double)(((uint64_t)w[0] << 21) ^ (w[1] >> 11)) * 0x1p-53;
  u[1] = (double)(((uint64_t)w[2] << 21) ^ (w[3] >> 11)) * 0x1p-53;
}

/* The normals are Box-Muller of the block's two 53-bit uniforms, as a
 * plain scalar formula with libm computes them (the vector math library
 * is within a few ulp of it); a scalar draw equals element 0 of an array
 * draw from the same counter, bit for bit, wherever its block falls. */
TEST(normals_are_box_muller_of_the_blocks) {
  int64_t n = 1001;
  cn_array *a;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT64, 1, &n));
  cn_rng g;
  cn_rng_seed(&g, 99);
  g.counter = 5; /* not a multiple of the group of eight */
  CHECK_OK(cn_rng_normal(&g, a, 0, 1));
  double worst = 0;
  for (int64_t b = 0; b < (n + 1) / 2; b++) {
    double u[2];
    ref_uniforms(99, 5 + (uint64_t)b, u);
    double r = sqrt(-2.0 * log(1.0 - u[0])), t = 2.0 * M_PI * u[1];
    double z[2] = {r * cos(t), r * sin(t)};
    for (int j = 0; j < 2 && 2 * b + j < n; j++) {
      double e = fabs(cn_f64(a)[2 * b + j] - z[j]);
      worst = e > worst ? e : worst;
    }
  }
  CHECK(worst < 1e-13);
  for (uint64_t c = 0; c < 20; c++) {
    g.counter = 5 + c;
    double z1 = cn_rng_normal1(&g);
    CHECK(z1 == cn_f64(a)[2 * c]);
  }
  cn_array_release(a);
}

/* Uniform draws are the blocks' words as the scalar Philox gives them, bit
 * for bit (the draws compute eight blocks at a time in vectors): a key
 * with both halves set, counters crossing 2^32, a length that is not a
 * whole number of groups. */
TEST(uniforms_are_the_blocks_words) {
  int64_t n = 37;
  cn_array *a, *z;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT64, 1, &n));
  CHECK_OK(cn_array_empty(&z, CN_FLOAT64, 1, &n));
  cn_rng g;
  uint64_t key = 0x0123456789abcdefu, c0 = ((uint64_t)1 << 32) - 3;
  cn_rng_seed(&g, key);
  g.counter = c0;
  CHECK_OK(cn_rng_uniform(&g, a, 0.0, 1.0));
  CHECK(g.counter == c0 + (uint64_t)(n + 1) / 2);
  int same = 1;
  for (int64_t b = 0; b < (n + 1) / 2; b++) {
    double u[2];
    ref_uniforms(key, c0 + (uint64_t)b, u);
    for (int j = 0; j < 2 && 2 * b + j < n; j++) same = same && cn_f64(a)[2 * b + j] == u[j];
  }
  CHECK(same);
  /* the normals of the same blocks: within the vector math's few ulp of
   * the scalar Box-Muller (checked above), so the words are the same */
  cn_rng_seed(&g, key);
  g.counter = c0;
  CHECK_OK(cn_rng_normal(&g, z, 0.0, 1.0));
  double worst = 0;
  for (int64_t b = 0; b < n / 2; b++) { /* the whole pairs */
    double r = sqrt(-2.0 * log(1.0 - cn_f64(a)[2 * b])), t = 2.0 * M_PI * cn_f64(a)[2 * b + 1];
    worst = fmax(worst, fabs(cn_f64(z)[2 * b] - r * cos(t)));
    worst = fmax(worst, fabs(cn_f64(z)[2 * b + 1] - r * sin(t)));
  }
  CHECK(worst < 1e-13);
  cn_array_release(a);
  cn_array_release(z);
}

TEST(randint_and_permutation) {
  int64_t n = 60000;
  cn_array *a;
  CHECK_OK(cn_array_empty(&a, CN_INT64, 1, &n));
  cn_rng g;
  cn_rng_seed(&g, 1);
  CHECK_OK(cn_rng_randint(&g, a, -3, 3));
  int64_t count[6] = {0};
  for (int64_t i = 0; i < n; i++) {
    int64_t v = ((int64_t *)a->data)[i];
    CHECK(v >= -3 && v < 3);
    if (v >= -3 && v < 3) count[v + 3]++;
  }
  for (int k = 0; k < 6; k++) CHECK_NEAR(count[k], n / 6.0, 6 * sqrt(n / 6.0));
  CHECK_FAILS(cn_rng_randint(&g, a, 3, 3), CN_EINVAL);
  /* the whole int64 range: low + offset must not overflow int64 */
  CHECK_OK(cn_rng_randint(&g, a, INT64_MIN, INT64_MAX));
  int64_t neg = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t v = ((int64_t *)a->data)[i];
    CHECK(v < INT64_MAX);
    neg += v < 0;
  }
  CHECK_NEAR(neg, n / 2.0, 6 * sqrt(n / 4.0));
  cn_array_release(a);
  /* bounds an int32 or bool output cannot hold are an error, not a clamp */
  cn_array *i32, *b;
  CHECK_OK(cn_array_empty(&i32, CN_INT32, 1, &n));
  CHECK_FAILS(cn_rng_randint(&g, i32, 0, (int64_t)1 << 40), CN_ERANGE);
  CHECK_FAILS(cn_rng_randint(&g, i32, -((int64_t)1 << 40), 0), CN_ERANGE);
  CHECK_OK(cn_rng_randint(&g, i32, INT32_MIN, (int64_t)INT32_MAX + 1));
  cn_array_release(i32);
  CHECK_OK(cn_array_empty(&b, CN_BOOL, 1, &n));
  CHECK_FAILS(cn_rng_randint(&g, b, 0, 3), CN_ERANGE);
  CHECK_OK(cn_rng_randint(&g, b, 0, 2));
  cn_array_release(b);
  int64_t p[1000];
  int seen[1000] = {0};
  CHECK_OK(cn_rng_permutation(&g, 1000, p));
  int fixed = 0;
  for (int i = 0; i < 1000; i++) {
    CHECK(p[i] >= 0 && p[i] < 1000);
    if (p[i] >= 0 && p[i] < 1000) seen[p[i]]++;
    fixed += p[i] == i;
  }
  for (int i = 0; i < 1000; i++) CHECK(seen[i] == 1);
  CHECK(fixed < 10); /* Poisson(1) fixed points; P(>= 10) ~ 1e-7 */
  /* every permutation of 3 elements appears about equally often */
  int64_t freq[6] = {0};
  for (int t = 0; t < 60000; t++) {
    int64_t q[3];
    cn_rng_permutation(&g, 3, q);
    freq[q[0] * 2 + (q[1] > q[2])]++;
  }
  for (int k = 0; k < 6; k++) CHECK_NEAR(freq[k], 10000, 6 * sqrt(10000.0));
}

TEST(bad_arguments) {
  int64_t n = 4;
  cn_array *a;
  cn_rng g;
  cn_rng_seed(&g, 0);
  CHECK_OK(cn_array_empty(&a, CN_INT32, 1, &n));
  CHECK_FAILS(cn_rng_normal(&g, a, 0, 1), CN_EDTYPE);
  cn_array_release(a);
  CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 1, &n));
  CHECK_FAILS(cn_rng_normal(&g, a, 0, -1), CN_EINVAL);
  CHECK_FAILS(cn_rng_normal(&g, a, NAN, 1), CN_EINVAL);
  CHECK_FAILS(cn_rng_uniform(&g, a, 0, INFINITY), CN_EINVAL);
  /* high - low must be finite too (it scales every draw; numpy refuses) */
  CHECK_FAILS(cn_rng_uniform(&g, a, -1e308, 1e308), CN_EINVAL);
  cn_array_release(a);
}

int main(void) {
  RUN(philox_known_answers);
  RUN(same_seed_same_numbers_any_thread_count);
  RUN(moments_match_theory);
  RUN(normals_are_box_muller_of_the_blocks);
  RUN(uniforms_are_the_blocks_words);
  RUN(randint_and_permutation);
  RUN(bad_arguments);
  return test_summary();
}
