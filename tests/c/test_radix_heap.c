/* canns — the Ripser engine's radix heap (src/tda/radix_heap.h) against a
 * plain reference: a list of the live entries, sorted and grouped by key
 * on every pop.  Entries share keys (a few diameters and indices), so
 * pivots sum coefficients modulo p and some sums vanish; rounds push tens
 * of thousands of entries, so buckets span many chunks and settled
 * chunks are reused; the heap is reset between columns as reduce.c does. */
#include <stdint.h>
#include <stdlib.h>

#include "tda/radix_heap.h"
#include "test.h"

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n) {
  rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17;
  return (uint32_t)(rs % n);
}

/* filtration order: smaller diameter, then larger index */
static int cmp_entry(const void *pa, const void *pb) {
  const tda_entry *a = pa, *b = pb;
  if (tda_before(a, b)) return -1;
  if (tda_before(b, a)) return 1;
  return 0;
}

/* The reference pivot of live[0..n): the first key whose coefficients do
 * not sum to 0 mod p, with that sum; entries of the keys before it are
 * dropped (as the heap drops them).  Index -1 when none is left. */
static tda_entry ref_pivot(tda_entry *live, int64_t *n, uint32_t p) {
  qsort(live, (size_t)*n, sizeof *live, cmp_entry);
  int64_t a = 0;
  while (a < *n) {
    int64_t b = a;
    uint32_t c = 0;
    while (b < *n && cmp_entry(&live[a], &live[b]) == 0) c = (c + live[b++].coef) % p;
    if (c) {
      tda_entry e = live[a];
      e.coef = c;
      /* keep one entry of the pivot's key, holding the sum */
      live[a] = e;
      int64_t m = 0;
      live[m++] = e;
      for (int64_t q = b; q < *n; q++) live[m++] = live[q];
      *n = m;
      return e;
    }
    a = b;
  }
  *n = 0;
  tda_entry none = {-1, 0.0f, 0};
  return none;
}

TEST(radix_heap_matches_sorted_reference) {
  const uint32_t p = 5;
  const float diams[] = {0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 1.5f, 2.0f, 3.0f};
  const int64_t cap = 200000;
  tda_entry *live = malloc(sizeof *live * (size_t)cap);
  CHECK(live != NULL);
  if (!live) return;
  tda_rheap h;
  memset(&h, 0, sizeof h);
  int64_t pops = 0, most = 0;
  for (int column = 0; column < 6; column++) {
    tda_rheap_reset(&h);
    int64_t n = 0;
    tda_entry last = {INT64_MAX, 0.0f, 0}; /* before every entry */
    for (int round = 0; round < 40; round++) {
      /* push entries not before the last pivot */
      int64_t k = rnd(column % 2 ? 30000 : 600);
      for (int64_t q = 0; q < k && n < cap; q++) {
        tda_entry e = {(int64_t)rnd(50), diams[rnd(8)], 1 + rnd(p - 1)};
        if (tda_before(&e, &last)) continue;
        tda_rheap_push(&h, e);
        live[n++] = e;
      }
      if (n > most) most = n;
      tda_entry want = ref_pivot(live, &n, p), got = tda_rheap_pivot(&h, p);
      CHECK(got.index == want.index && got.diam == want.diam && got.coef == want.coef);
      CHECK(!h.failed);
      if (want.index < 0) break;
      last = want;
      pops++;
      /* cancel the pivot, as adding a column with its pivot does */
      tda_entry neg = want;
      neg.coef = p - want.coef;
      tda_rheap_push(&h, neg);
      live[n++] = neg;
    }
    CHECK(tda_rheap_capacity(&h) >= 0);
  }
  CHECK(pops > 100 && most > 4 * RH_CHUNK); /* the test reached chunk chains */
  tda_rheap_free(&h);
  CHECK(tda_rheap_capacity(&h) == 0);
  free(live);
}

int main(void) {
  RUN(radix_heap_matches_sorted_reference);
  return test_summary();
}
