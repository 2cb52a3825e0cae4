/* canns — a small cache of large freed array buffers.
 *
 * A fresh buffer costs a page fault per 4 KB on first write (the kernel
 * zeroes and charges each page): for a recording of 10^4 steps of a
 * 512-neuron ring (20 MB) that is 6-15 ms on the development VM, as much
 * as the run itself.  A script that runs a model again and again (a sweep,
 * a REPL session, a benchmark) frees one such buffer and asks for another
 * of the same size.  cn_array_release hands every buffer it frees to
 * cn_recycle_give, which keeps those of CN_RECYCLE_MIN bytes and more, up
 * to CN_RECYCLE_SLOTS of them (CN_RECYCLE_MAX bytes in all, the oldest
 * freed first when full); array allocation asks cn_recycle_take for one
 * whose capacity fits the request with at most a quarter to spare.  Its
 * pages are mapped already.  The contents of a taken buffer are whatever
 * the last array left there (cn_array_zeros clears it as before); in the
 * AddressSanitizer build they are set to all-ones bytes (NaN in floats),
 * so that code reading an empty array before writing it shows up in the
 * tests.  Capacities are malloc_usable_size's, so any buffer from
 * malloc / aligned_alloc may be given. */
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define POISON 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POISON 1
#endif
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  void *p;
  size_t cap;
  unsigned long age; /* order of giving; 0: empty slot */
} slot[CN_RECYCLE_SLOTS];
static unsigned long clock_;

/* slot i emptied; what it held, for the caller to hand out or free */
static void *clear(int i) {
  void *p = slot[i].p;
  slot[i].p = NULL, slot[i].cap = 0, slot[i].age = 0;
  return p;
}

void *cn_recycle_take(size_t bytes) {
  if (bytes < CN_RECYCLE_MIN) return NULL;
  void *p = NULL;
  pthread_mutex_lock(&lock);
  int best = -1;
  for (int i = 0; i < CN_RECYCLE_SLOTS; i++)
    if (slot[i].age && slot[i].cap >= bytes && slot[i].cap - bytes <= bytes / 4 &&
        (best < 0 || slot[i].cap < slot[best].cap))
      best = i;
  if (best >= 0) p = clear(best);
  pthread_mutex_unlock(&lock);
#ifdef POISON
  if (p) memset(p, 0xff, bytes);
#endif
  return p;
}

bool cn_recycle_give(void *p) {
  if (!p) return false;
  size_t cap = malloc_usable_size(p);
  if (cap < CN_RECYCLE_MIN || cap > CN_RECYCLE_MAX) return false;
  void *evicted[CN_RECYCLE_SLOTS];
  int ne = 0;
  pthread_mutex_lock(&lock);
  for (;;) {
    int empty = -1, oldest = -1;
    size_t total = 0;
    for (int i = 0; i < CN_RECYCLE_SLOTS; i++) {
      total += slot[i].cap;
      if (!slot[i].age) empty = empty < 0 ? i : empty;
      else if (oldest < 0 || slot[i].age < slot[oldest].age) oldest = i;
    }
    if (empty >= 0 && total + cap <= CN_RECYCLE_MAX) {
      slot[empty].p = p, slot[empty].cap = cap, slot[empty].age = ++clock_;
      break;
    }
    /* full (slots or bytes): the oldest goes; cap <= the maximum, so an
     * empty cache always takes it */
    evicted[ne++] = clear(oldest);
  }
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < ne; i++) free(evicted[i]);
  return true;
}

void cn_recycle_drain(void) {
  pthread_mutex_lock(&lock);
  for (int i = 0; i < CN_RECYCLE_SLOTS; i++) free(clear(i));
  pthread_mutex_unlock(&lock);
}
