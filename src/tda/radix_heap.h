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
 *
 * Buckets are chains of fixed-size chunks drawn from the heap's own free
 * list.  A settled bucket's chunks go back to the list as they empty and
 * are refilled at once by the buckets below, so memory stays bounded by
 * the live entries (plus one partial chunk per bucket), and it is mapped
 * once: with one growable array per bucket, freeing the big emptied ones
 * had the kernel map and clear ~1 GB of fresh pages in the H1 reduction
 * of the full-size ASA distances (whose live entries peak near 550 MB),
 * and keeping them grew the heap to 860 MB.  Entry order within a bucket never matters: a settle
 * takes the bucket's minimum, and a pivot sums coefficients modulo p.
 */
#ifndef CANNS_TDA_RADIX_HEAP_H
#define CANNS_TDA_RADIX_HEAP_H

#include <stdlib.h>
#include <string.h>

#include "tda/tda_internal.h"

#define RH_BUCKETS 97 /* 0: equal to last; 1 + b: highest differing bit b */
#define RH_CHUNK 1024 /* entries per chunk (16 KB) */

typedef struct rh_chunk {
  struct rh_chunk *next;
  int64_t n;
  tda_entry e[RH_CHUNK];
} rh_chunk;

/* A chain, newest chunk first; only the newest may be partly filled. */
typedef struct rh_chain {
  rh_chunk *head;
  int64_t n;
} rh_chain;

typedef struct rh_key {
  uint64_t hi, lo;
} rh_key;

typedef struct tda_rheap {
  rh_chain b[RH_BUCKETS];
  rh_chunk *pool;  /* free chunks */
  int64_t nchunks; /* chunks allocated, in the buckets and the pool */
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

/* Put chunk k on the free list; returns the chunk that followed it. */
static inline rh_chunk *rh_put(tda_rheap *h, rh_chunk *k) {
  rh_chunk *next = k->next;
  k->next = h->pool;
  h->pool = k;
  return next;
}

/* Give the chunks of chain c back to the free list and empty it. */
static inline void rh_release(tda_rheap *h, rh_chain *c) {
  for (rh_chunk *k = c->head; k;) k = rh_put(h, k);
  c->head = NULL;
  c->n = 0;
}

/* Empty it, with every key allowed (last = the smallest key). */
static inline void tda_rheap_reset(tda_rheap *h) {
  for (int i = 0; i < RH_BUCKETS; i++)
    if (h->b[i].head) rh_release(h, &h->b[i]);
  h->last.hi = h->last.lo = 0;
  h->n = 0;
}

static inline void tda_rheap_free(tda_rheap *h) {
  tda_rheap_reset(h);
  while (h->pool) {
    rh_chunk *next = h->pool->next;
    free(h->pool);
    h->pool = next;
  }
  h->nchunks = 0;
}

/* Entries the heap holds memory for. */
static inline int64_t tda_rheap_capacity(const tda_rheap *h) {
  return h->nchunks * RH_CHUNK;
}

/* Append e to chain c; false (and the heap marked failed) when no chunk
 * could be had. */
static inline bool rh_append(tda_rheap *h, rh_chain *c, tda_entry e) {
  rh_chunk *k = c->head;
  if (!k || k->n == RH_CHUNK) {
    k = h->pool;
    if (k) {
      h->pool = k->next;
    } else {
      k = malloc(sizeof *k);
      if (!k) {
        h->failed = true;
        return false;
      }
      h->nchunks++;
    }
    k->n = 0;
    k->next = c->head;
    c->head = k;
  }
  k->e[k->n++] = e;
  c->n++;
  return true;
}

/* e must not be before the last key popped. */
static inline void tda_rheap_push(tda_rheap *h, tda_entry e) {
  if (rh_append(h, &h->b[rh_bucket(rh_key_of(&e), h->last)], e)) h->n++;
}

/* Make bucket 0 hold the first key's entries; false when empty. */
static inline bool rh_settle(tda_rheap *h) {
  if (h->b[0].n > 0) return true;
  int i = 1;
  while (i < RH_BUCKETS && h->b[i].n == 0) i++;
  if (i == RH_BUCKETS) return false;
  rh_chain v = h->b[i];
  rh_key m = rh_key_of(&v.head->e[0]);
  for (const rh_chunk *k = v.head; k; k = k->next)
    for (int64_t q = 0; q < k->n; q++) {
      rh_key x = rh_key_of(&k->e[q]);
      if (rh_less(x, m)) m = x;
    }
  h->last = m;
  /* every entry of bucket i goes to a lower bucket around the new last,
   * a chunk at a time, each chunk freed for the next one to fill */
  h->b[i].head = NULL;
  h->b[i].n = 0;
  for (rh_chunk *k = v.head; k;) {
    for (int64_t q = 0; q < k->n; q++)
      if (!rh_append(h, &h->b[rh_bucket(rh_key_of(&k->e[q]), m)], k->e[q])) h->n--;
    k = rh_put(h, k);
  }
  return true;
}

/* The first entry with its coefficients summed over equal indices (index
 * -1 when nothing is left); entries summing to 0 are dropped.  The pivot
 * stays in the heap (as the only entry of its key). */
static inline tda_entry tda_rheap_pivot(tda_rheap *h, uint32_t p) {
  while (rh_settle(h)) {
    rh_chain *z = &h->b[0];
    if (z->n == 0) continue; /* its entries were lost to a failed allocation */
    uint32_t c = 0;
    for (const rh_chunk *k = z->head; k; k = k->next)
      for (int64_t q = 0; q < k->n; q++) {
        c += k->e[q].coef;
        if (c >= p) c -= p;
      }
    h->n -= z->n;
    tda_entry first = z->head->e[0];
    rh_release(h, z);
    if (c) {
      first.coef = c;
      rh_append(h, z, first); /* a chunk was just freed: cannot fail */
      h->n++;
      return first;
    }
  }
  tda_entry none = {-1, 0.0f, 0};
  return none;
}

#endif
