/* Unit tests of the CUDA backend (canns/cuda.h) against the CPU code.
 * Without a CUDA build or a GPU the entries must refuse with CN_EUNSUP;
 * the test then exits 77, which ctest reports as skipped (not passed). */
#include <stdint.h>

#include "canns/cuda.h"
#include "canns/random.h"
#include "test.h"

#define SKIP_CODE 77

/* The device's Philox words equal cn_philox4x32_10 with the block layout
 * of random.c, including across the 2^32 counter boundary. */
TEST(philox_words_match_cpu) {
  cn_rng g;
  cn_rng_seed(&g, 0x0123456789abcdefull);
  g.counter = 0xfffffff0ull; /* crosses into the high counter word */
  int64_t nb = 100003;
  uint32_t *d = malloc((size_t)nb * 4 * sizeof(uint32_t));
  CHECK(d != NULL);
  CHECK_OK(cn_cuda_philox_blocks(&g, nb, d));
  int64_t bad = 0;
  for (int64_t b = 0; b < nb; b++) {
    uint64_t c = g.counter + (uint64_t)b;
    uint32_t ctr[4] = {(uint32_t)c, (uint32_t)(c >> 32), 0x43414e4eu, 0};
    uint32_t key[2] = {(uint32_t)g.key, (uint32_t)(g.key >> 32)};
    uint32_t w[4];
    cn_philox4x32_10(ctr, key, w);
    for (int j = 0; j < 4; j++) bad += w[j] != d[4 * b + j];
  }
  CHECK(bad == 0);
  free(d);
}

/* cn_cuda_rng_uniform gives cn_rng_uniform's numbers bit for bit (odd n,
 * float32 and float64) and advances the counter the same way. */
TEST(uniform_matches_cpu) {
  cn_dtype types[2] = {CN_FLOAT32, CN_FLOAT64};
  for (int t = 0; t < 2; t++) {
    int64_t n = 200001;
    cn_array *a, *b;
    CHECK_OK(cn_array_empty(&a, types[t], 1, &n));
    CHECK_OK(cn_array_empty(&b, types[t], 1, &n));
    cn_rng g1, g2;
    cn_rng_seed(&g1, 7);
    cn_rng_seed(&g2, 7);
    CHECK_OK(cn_rng_uniform(&g1, a, -1.5, 2.25));
    CHECK_OK(cn_cuda_rng_uniform(&g2, b, -1.5, 2.25));
    CHECK(g1.counter == g2.counter);
    CHECK(memcmp(a->data, b->data, (size_t)n * cn_dtype_size(types[t])) == 0);
    cn_array_release(a);
    cn_array_release(b);
  }
}

TEST(bad_arguments_are_errors) {
  cn_rng g;
  cn_rng_seed(&g, 1);
  uint32_t w[4];
  CHECK(cn_cuda_philox_blocks(&g, -1, w) != CN_OK);
  int64_t n = 3;
  cn_array *a;
  CHECK_OK(cn_array_empty(&a, CN_FLOAT32, 1, &n));
  CHECK(cn_cuda_rng_uniform(&g, a, 0.0, INFINITY) != CN_OK);
  CHECK(cn_cuda_rng_uniform(&g, a, -1e308, 1e308) != CN_OK);
  cn_array_release(a);
}

int main(void) {
  if (cn_cuda_device_count() == 0) {
    cn_rng g;
    cn_rng_seed(&g, 1);
    uint32_t w[4];
    /* without a device the entries refuse, they do not pretend */
    CHECK(cn_cuda_philox_blocks(&g, 1, w) == CN_EUNSUP);
    if (test_failures) return 1;
    printf("skip: no CUDA device (%s)\n", cn_errmsg());
    return SKIP_CODE;
  }
  RUN(philox_words_match_cpu);
  RUN(uniform_matches_cpu);
  RUN(bad_arguments_are_errors);
  return test_summary();
}
