/* canns — a radix heap of simplices in filtration order (internal).
 *
 * The working coboundary of a column only ever pops its first entry and
 * pushes entries that are not before the last one popped (see reduce.c),
 * so a monotone priority queue suffices.  A radix heap (Ahuja, Mehlhorn,
 * Orlin and Tarjan 1990) keys every entry by the 96-bit number
 * (diameter bits, ~index), whose order is the filtration order (diameters
 * are >= 0, so their IEEE bits order like the values), and files it in the
 * bucket of the highest bit in which it differs from the last key popped.
 * Pushes are appends; a pop empties the lowest non-empty bucket into lower
 * ones around its minimum.  Every entry moves down at most 96 times, and
 * in practice a few times, touching memory sequentially: much cheaper than
 * a binary heap of millions of entries.
 */
#ifndef CANNS_TDA_RADIX_HEAP_H
#define CANNS_TDA_RADIX_HEAP_H

#include <string.h>

#include "tda/tda_internal.h"

#define RH_BUCKETS 97 /* 0: equal to last; 1 + b: highest differing bit b */

typedef struct rh_key {
  uint64_t hi, lo;
} rh_key;

typedef struct tda_rheap {
  tda_vec b[RH_BUCKETS];
  rh_key last;
  int64_t n;
  bool failed;
} tda_rheap;

static inline rh_key rh_key_of(const tda_entry *e) {
  uint32_t bits;
  memcpy(&bits, &e->diam, sizeof bits);
  rh_key k = {bits, ~(uint64_t)e->index};
  return k;
}

static inline int rh_bucket(rh_key x, rh_key last) {
  uint64_t h = x.hi ^ last.hi;
  if (h) return 1 + 64 + 63 - __builtin_clzll(h);
  uint64_t l = x.lo ^ last.lo;
  if (l) return 1 + 63 - __builtin_clzll(l);
  return 0;
}

static inline bool rh_less(rh_key a, rh_key b) {
  return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

/* Empty it, with every key allowed (last = the smallest key). */
static inline void tda_rheap_reset(tda_rheap *h) {
  for (int i = 0; i < RH_BUCKETS; i++) h->b[i].n = 0;
  h->last.hi = h->last.lo = 0;
  h->n = 0;
}

static inline void tda_rheap_free(tda_rheap *h) {
  for (int i = 0; i < RH_BUCKETS; i++) tda_vec_free(&h->b[i]);
}

static inline int64_t tda_rheap_capacity(const tda_rheap *h) {
  int64_t c = 0;
  for (int i = 0; i < RH_BUCKETS; i++) c += h->b[i].cap;
  return c;
}

/* e must not be before the last key popped. */
static inline void tda_rheap_push(tda_rheap *h, tda_entry e) {
  tda_vec *v = &h->b[rh_bucket(rh_key_of(&e), h->last)];
  if (v->n == v->cap && !tda_vec_grow(v, v->n + 1)) {
    h->failed = true;
    return;
  }
  v->a[v->n++] = e;
  h->n++;
}

/* Make bucket 0 hold the first key's entries; false when empty. */
static inline bool rh_settle(tda_rheap *h) {
  if (h->b[0].n > 0) return true;
  int i = 1;
  while (i < RH_BUCKETS && h->b[i].n == 0) i++;
  if (i == RH_BUCKETS) return false;
  tda_vec *v = &h->b[i];
  rh_key m = rh_key_of(&v->a[0]);
  for (int64_t q = 1; q < v->n; q++) {
    rh_key k = rh_key_of(&v->a[q]);
    if (rh_less(k, m)) m = k;
  }
  h->last = m;
  /* every entry of bucket i goes to a lower bucket around the new last;
   * walked from the end, a big bucket is shrunk as it empties so that it
   * and its copy below never both exist in full */
  tda_entry *a = v->a;
  int64_t cnt = v->n;
  v->n = 0;
  for (int64_t q = cnt - 1; q >= 0; q--) {
    tda_vec *t = &h->b[rh_bucket(rh_key_of(&a[q]), m)];
    if (t->n == t->cap && !tda_vec_grow(t, t->n + 1)) {
      h->failed = true;
      continue;
    }
    t->a[t->n++] = a[q];
    if (q > 0 && (q & ((1 << 20) - 1)) == 0) {
      tda_entry *b = realloc(a, (size_t)q * sizeof *a);
      if (b) {
        a = b;
        v->a = b;
        v->cap = q;
      }
    }
  }
  if (v->cap > (1 << 16)) { /* give big emptied buckets back */
    free(v->a);
    v->a = NULL;
    v->cap = 0;
  }
  return true;
}

/* The first entry with its coefficients summed over equal indices (index
 * -1 when nothing is left); entries summing to 0 are dropped.  The pivot
 * stays in the heap (as the only entry of its key). */
static inline tda_entry tda_rheap_pivot(tda_rheap *h, uint32_t p) {
  while (rh_settle(h)) {
    tda_vec *z = &h->b[0];
    uint32_t c = 0;
    for (int64_t q = 0; q < z->n; q++) {
      c += z->a[q].coef;
      if (c >= p) c -= p;
    }
    h->n -= z->n;
    if (c) {
      z->a[0].coef = c;
      z->n = 1;
      h->n++;
      return z->a[0];
    }
    z->n = 0;
  }
  tda_entry none = {-1, 0.0f, 0};
  return none;
}

#endif
