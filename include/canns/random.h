/* canns — counter-based random numbers (Philox4x32-10).
 *
 * A generator is a 64-bit key (the seed) and a 64-bit counter.  Drawing n
 * numbers consumes counters counter .. counter+ceil(n/2)-1: element i comes
 * from block counter + i/2, so a draw can be split over any number of
 * threads and still give the same numbers.
 */
#ifndef CANNS_RANDOM_H
#define CANNS_RANDOM_H

#include <stdint.h>

#include "canns/array.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_rng {
  uint64_t key;
  uint64_t counter;
} cn_rng;

/* The bare Philox4x32-10 bijection. */
void cn_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                      uint32_t out[4]);

void cn_rng_seed(cn_rng *g, uint64_t seed);
/* The process-wide generator behind canns.random.* (seeded from the clock
 * and pid at start-up; cn_rng_global_seed() tells the seed in use). */
cn_rng *cn_rng_global(void);
uint64_t cn_rng_global_seed(void);

/* Scalar draws (one counter block each). */
double cn_rng_uniform1(cn_rng *g);   /* [0, 1) with 53 random bits */
double cn_rng_normal1(cn_rng *g);    /* standard normal             */

/* Fill a float array (any shape) with U[low, high) / N(mean, std). */
cn_status cn_rng_uniform(cn_rng *g, cn_array *out, double low, double high);
cn_status cn_rng_normal(cn_rng *g, cn_array *out, double mean, double std);
/* Integers uniform in [low, high) into an int32/int64/float array. */
cn_status cn_rng_randint(cn_rng *g, cn_array *out, int64_t low, int64_t high);
/* A uniformly random permutation of 0..n-1 (Fisher-Yates). */
cn_status cn_rng_permutation(cn_rng *g, int64_t n, int64_t *perm);
/* Shuffle the rows (axis 0) of an array in place. */
cn_status cn_rng_shuffle(cn_rng *g, cn_array *a);

#ifdef __cplusplus
}
#endif
#endif
