/* canns — Philox4x32-10 counter-based generator (Salmon et al., SC'11).
 *
 * Element i of a draw uses counter block (counter + i/2): each block gives
 * four 32-bit words = two 53-bit uniforms, or one Box-Muller pair of
 * normals.  The counter then advances by ceil(n/2).  Because an element's
 * block depends only on its index, draws split over threads give the same
 * numbers as a single-threaded draw.
 *
 * Array draws of uniforms and normals compute eight blocks at a time, the
 * Philox rounds in 64-bit integer vectors (the same words as the scalar
 * rounds, tested against them).  Normals: the Box-Muller logarithm,
 * cosine and sine of the eight go through glibc's vector math library
 * (libmvec, which libm brings in) where it exists, each lane on its own,
 * so a block's normals do not depend on where it falls in a group of
 * eight, nor on the thread count.  Elsewhere the same loops call libm.
 */
#include "canns/random.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/vecmath.h"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static inline __attribute__((always_inline)) void philox(const uint32_t ctr[4], const uint32_t key[2],
                                                         uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
#pragma GCC unroll 10
  for (int r = 0; r < 10; r++) {
    uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
    uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n1 = (uint32_t)p1;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    uint32_t n3 = (uint32_t)p0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

void cn_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  philox(ctr, key, out);
}

static inline void block(const cn_rng *g, uint64_t b, uint32_t out[4]) {
  uint32_t ctr[4] = {(uint32_t)b, (uint32_t)(b >> 32), 0x43414e4eu /* "CANN" */, 0};
  uint32_t key[2] = {(uint32_t)g->key, (uint32_t)(g->key >> 32)};
  philox(ctr, key, out);
}

/* Two uniforms in [0, 1) with 53 random bits each. */
static inline void uniforms2(const cn_rng *g, uint64_t b, double *u0, double *u1) {
  uint32_t w[4];
  block(g, b, w);
  *u0 = (double)(((uint64_t)w[0] << 21) ^ (w[1] >> 11)) * 0x1p-53;
  *u1 = (double)(((uint64_t)w[2] << 21) ^ (w[3] >> 11)) * 0x1p-53;
}

#define NB 8 /* blocks per group: whole vectors in every clone, no scalar tail */

/* Blocks b .. b+7 at once: the same integer rounds as philox() on eight
 * lanes of 64-bit vectors holding 32-bit words (GCC vectors: each clone
 * lowers them to its registers; the multiplies of zero-extended words
 * become 32 x 32 -> 64-bit vector multiplies), then the two uniforms of
 * each block as uniforms2() makes them.  Integer arithmetic and exact
 * conversions (53-bit integers to double): the same bits in every clone. */
typedef uint64_t cn_v8u __attribute__((vector_size(64)));
typedef double cn_v8d __attribute__((vector_size(64)));

/* x (below 2^53 in every lane) as doubles, exactly: each 32-bit half
 * through the 2^52 exponent trick, then hi 2^32 + lo (exact below 2^53).
 * A macro: a vector-returning function would change the ABI of the
 * baseline clone. */
#define TWO52_BITS 0x4330000000000000u
#define EXACT53(x)                                                             \
  (((cn_v8d)(((x) >> 32) | TWO52_BITS) - 0x1p52) * 0x1p32 +                    \
   ((cn_v8d)(((x) & 0xffffffffu) | TWO52_BITS) - 0x1p52))

static inline __attribute__((always_inline)) void uniforms8(const cn_rng *g, uint64_t b,
                                                            double u0[NB], double u1[NB]) {
  const uint64_t lo32 = 0xffffffffu;
  const cn_v8u iota = {0, 1, 2, 3, 4, 5, 6, 7};
  cn_v8u q = b + iota, zero = iota - iota;
  cn_v8u c0 = q & lo32, c1 = q >> 32, c2 = zero + 0x43414e4eu /* "CANN" */, c3 = zero;
  cn_v8u k0 = zero + (g->key & lo32), k1 = zero + (g->key >> 32);
#pragma GCC unroll 10
  for (int r = 0; r < 10; r++) {
    cn_v8u p0 = c0 * PHILOX_M0, p1 = c2 * PHILOX_M1;
    c0 = ((p1 >> 32) ^ c1 ^ k0) & lo32;
    c1 = p1 & lo32;
    c2 = ((p0 >> 32) ^ c3 ^ k1) & lo32;
    c3 = p0 & lo32;
    k0 = (k0 + PHILOX_W0) & lo32;
    k1 = (k1 + PHILOX_W1) & lo32;
  }
  cn_v8u wa = (c0 << 21) ^ (c1 >> 11), wd = (c2 << 21) ^ (c3 >> 11);
  cn_v8d a = EXACT53(wa) * 0x1p-53, d = EXACT53(wd) * 0x1p-53;
  memcpy(u0, &a, sizeof a);
  memcpy(u1, &d, sizeof d);
}

/* The uniforms of blocks b .. b+7 in draw order: u[2k], u[2k+1] for block
 * b + k (as uniforms2). */
CN_VEC_CLONES
static void uniforms16(const cn_rng *g, uint64_t b, double *u) {
  double u0[NB], u1[NB];
  uniforms8(g, b, u0, u1);
  for (int k = 0; k < NB; k++) u[2 * k] = u0[k], u[2 * k + 1] = u1[k];
}

/* The Box-Muller pairs of blocks b .. b+nb-1 (nb <= NB): z[2k], z[2k+1]
 * for block b + k.  The lanes past nb get zero uniforms and are not
 * used (each lane is computed on its own, so they change nothing; their
 * Philox words are computed with the rest and dropped).  Separate loops
 * keep the cosine and sine apart (so that the compiler does not fuse them
 * into a scalar sincos). */
CN_VEC_CLONES
static void normals8(const cn_rng *g, uint64_t b, int nb, double *z) {
  double u0[NB], u1[NB], r[NB], t[NB], c[NB], sn[NB];
  uniforms8(g, b, u0, u1);
  for (int k = nb; k < NB; k++) u0[k] = u1[k] = 0;
#pragma omp simd
  for (int k = 0; k < NB; k++) r[k] = log(1.0 - u0[k]); /* 1 - u0 in (0, 1] */
#pragma omp simd
  for (int k = 0; k < NB; k++) {
    r[k] = sqrt(-2.0 * r[k]);
    t[k] = 2.0 * M_PI * u1[k];
  }
#pragma omp simd
  for (int k = 0; k < NB; k++) c[k] = r[k] * cos(t[k]);
#pragma omp simd
  for (int k = 0; k < NB; k++) sn[k] = r[k] * sin(t[k]);
  for (int k = 0; k < NB; k++) z[2 * k] = c[k], z[2 * k + 1] = sn[k];
}

void cn_rng_seed(cn_rng *g, uint64_t seed) {
  g->key = seed;
  g->counter = 0;
}

static cn_rng global_rng;
static uint64_t global_seed;
static int global_ready = 0;

cn_rng *cn_rng_global(void) {
  if (!global_ready) {
#pragma omp critical(canns_rng_global)
    if (!global_ready) {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      global_seed = ((uint64_t)ts.tv_sec * 1000000007u) ^ (uint64_t)ts.tv_nsec ^
                    ((uint64_t)getpid() << 32);
      cn_rng_seed(&global_rng, global_seed);
      global_ready = 1;
    }
  }
  return &global_rng;
}

uint64_t cn_rng_global_seed(void) {
  cn_rng_global();
  return global_rng.key;
}

double cn_rng_uniform1(cn_rng *g) {
  double u0, u1;
  uniforms2(g, g->counter++, &u0, &u1);
  return u0;
}

double cn_rng_normal1(cn_rng *g) {
  double z[2 * NB];
  normals8(g, g->counter++, 1, z);
  return z[0];
}

static cn_status check_float(const cn_array *out, const char *what) {
  if (!cn_dtype_is_float(out->dtype))
    return cn_error(CN_EDTYPE, "%s: output must be float32 or float64, got %s",
                    what, cn_dtype_name(out->dtype));
  return CN_OK;
}

cn_status cn_rng_uniform(cn_rng *g, cn_array *out, double low, double high) {
  CN_TRY(check_float(out, "uniform"));
  if (!isfinite(low) || !isfinite(high))
    return cn_error(CN_EINVAL, "uniform: bounds must be finite, got [%g, %g)", low, high);
  double w = high - low;
  if (!isfinite(w)) /* low + inf * 0 would be NaN */
    return cn_error(CN_EINVAL, "uniform: high - low overflows for [%g, %g)", low, high);
  int64_t n = out->size, nb = (n + 1) / 2, ng = (nb + NB - 1) / NB;
  uint64_t c0 = g->counter;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n))
  for (int64_t q = 0; q < ng; q++) {
    double u[2 * NB];
    int64_t i0 = 2 * NB * q, m = n - i0 < 2 * NB ? n - i0 : 2 * NB;
    uniforms16(g, c0 + (uint64_t)(q * NB), u);
    for (int64_t j = 0; j < m; j++) {
      double v = low + w * u[j];
      if (out->dtype == CN_FLOAT32) {
        float f = (float)v;
        /* keep the half-open interval after rounding to float32 */
        if (f >= (float)high && high > low) f = nextafterf((float)high, -INFINITY);
        ((float *)out->data)[i0 + j] = f;
      } else {
        ((double *)out->data)[i0 + j] = v;
      }
    }
  }
  g->counter += (uint64_t)nb;
  return CN_OK;
}

cn_status cn_rng_normal(cn_rng *g, cn_array *out, double mean, double std) {
  CN_TRY(check_float(out, "normal"));
  if (!isfinite(mean) || !isfinite(std) || std < 0)
    return cn_error(CN_EINVAL, "normal: need finite mean and std >= 0, got %g, %g", mean, std);
  int64_t n = out->size, nb = (n + 1) / 2, ng = (nb + NB - 1) / NB;
  uint64_t c0 = g->counter;
  const bool f32 = out->dtype == CN_FLOAT32;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n))
  for (int64_t q = 0; q < ng; q++) {
    double z[2 * NB];
    int64_t i0 = 2 * NB * q, m = n - i0 < 2 * NB ? n - i0 : 2 * NB;
    normals8(g, c0 + (uint64_t)(q * NB), (int)((m + 1) / 2), z);
    if (f32)
      for (int64_t j = 0; j < m; j++) ((float *)out->data)[i0 + j] = (float)(mean + std * z[j]);
    else
      for (int64_t j = 0; j < m; j++) ((double *)out->data)[i0 + j] = mean + std * z[j];
  }
  g->counter += (uint64_t)nb;
  return CN_OK;
}

/* Uniform integer in [0, range) from a 53-bit uniform; the bias is below
 * range / 2^53, negligible for any range an array index can have. */
static inline int64_t bounded(double u, uint64_t range) {
  uint64_t k = (uint64_t)(u * (double)range);
  return (int64_t)(k < range ? k : range - 1);
}

cn_status cn_rng_randint(cn_rng *g, cn_array *out, int64_t low, int64_t high) {
  if (high <= low)
    return cn_error(CN_EINVAL, "randint: need low < high, got [%lld, %lld)",
                    (long long)low, (long long)high);
  int64_t lim_lo = INT64_MIN, lim_hi = INT64_MAX;
  if (out->dtype == CN_INT32) lim_lo = INT32_MIN, lim_hi = INT32_MAX;
  if (out->dtype == CN_BOOL) lim_lo = 0, lim_hi = 1;
  if (low < lim_lo || high - 1 > lim_hi)
    return cn_error(CN_ERANGE, "randint: [%lld, %lld) does not fit %s",
                    (long long)low, (long long)high, cn_dtype_name(out->dtype));
  uint64_t range = (uint64_t)high - (uint64_t)low;
  int64_t n = out->size, nb = (n + 1) / 2;
  uint64_t c0 = g->counter;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n))
  for (int64_t b = 0; b < nb; b++) {
    double u[2];
    uniforms2(g, c0 + (uint64_t)b, &u[0], &u[1]);
    for (int j = 0; j < 2 && 2 * b + j < n; j++) {
      /* in unsigned: low + offset may pass through int64 overflow */
      int64_t v = (int64_t)((uint64_t)low + (uint64_t)bounded(u[j], range));
      switch (out->dtype) {
      case CN_INT64: ((int64_t *)out->data)[2 * b + j] = v; break;
      default: cn_array_setd(out, 2 * b + j, (double)v); break;
      }
    }
  }
  g->counter += (uint64_t)nb;
  return CN_OK;
}

cn_status cn_rng_permutation(cn_rng *g, int64_t n, int64_t *perm) {
  if (n < 0) return cn_error(CN_EINVAL, "permutation: n must be non-negative, got %lld", (long long)n);
  for (int64_t i = 0; i < n; i++) perm[i] = i;
  uint64_t c0 = g->counter;
  /* Fisher-Yates from the top; swap i with a uniform j in [0, i]. */
  for (int64_t i = n - 1; i > 0; i--) {
    int64_t k = n - 1 - i; /* draw index */
    double u[2];
    uniforms2(g, c0 + (uint64_t)(k / 2), &u[0], &u[1]);
    int64_t j = bounded(u[k % 2], (uint64_t)i + 1);
    int64_t t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  g->counter += (uint64_t)(n / 2 + 1);
  return CN_OK;
}

cn_status cn_rng_shuffle(cn_rng *g, cn_array *a) {
  if (a->ndim < 1) return cn_error(CN_EINVAL, "shuffle: need at least a 1-d array");
  int64_t n = a->shape[0];
  if (n < 2) return CN_OK;
  int64_t *perm = malloc(n * sizeof *perm);
  if (!perm) return cn_error(CN_ENOMEM, "shuffle: out of memory");
  cn_array *copy;
  cn_status s = cn_array_copy(&copy, a);
  if (s == CN_OK) {
    cn_rng_permutation(g, n, perm);
    size_t row = (size_t)(a->size / n) * cn_dtype_size(a->dtype);
    for (int64_t i = 0; i < n; i++)
      memcpy((char *)a->data + i * row, (char *)copy->data + perm[i] * row, row);
    cn_array_release(copy);
  }
  free(perm);
  return s;
}
