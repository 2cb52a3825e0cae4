/* canns — CPU kernels of the classic CANN models.  See cann_kernels.h. */
#include "cpu/cann_kernels.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "core/internal.h"

/* The step kernels are cloned for AVX-512 and AVX2 (chosen when the
 * library loads); built with -ffp-contract=off (CMakeLists.txt), so no
 * clone fuses a multiply and an add and every element keeps upstream's
 * rounding. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CN_CLONES
#endif

/* --- connection matrices --------------------------------------------- */

void cn_k_cann_conn1d_f32(const cn_cann_consts_f32 *c, const float *x,
                          int64_t n, float *conn) {
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n * n))
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++)
      conn[i * n + j] = cn_cann_kernelf(c, cn_ringdistf(x[i] - x[j], c->Z));
}

void cn_k_cann_conn1d_f64(const cn_cann_consts_f64 *c, const double *x,
                          int64_t n, double *conn) {
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(n * n))
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++)
      conn[i * n + j] = cn_cann_kernel(c, cn_ringdist(x[i] - x[j], c->Z));
}

void cn_k_cann_conn2d_f32(const cn_cann_consts_f32 *c, const float *x,
                          int64_t L, float *conn) {
  int64_t N = L * L;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(N * N))
  for (int64_t p = 0; p < N; p++) {
    float px = x[p % L], py = x[p / L];
    for (int64_t q = 0; q < N; q++) {
      float dx = cn_ringdistf(px - x[q % L], c->Z);
      float dy = cn_ringdistf(py - x[q / L], c->Z);
      conn[p * N + q] = cn_cann_kernelf(c, sqrtf(dx * dx + dy * dy));
    }
  }
}

void cn_k_cann_conn2d_f64(const cn_cann_consts_f64 *c, const double *x,
                          int64_t L, double *conn) {
  int64_t N = L * L;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(N * N))
  for (int64_t p = 0; p < N; p++) {
    double px = x[p % L], py = x[p / L];
    for (int64_t q = 0; q < N; q++) {
      double dx = cn_ringdist(px - x[q % L], c->Z);
      double dy = cn_ringdist(py - x[q / L], c->Z);
      conn[p * N + q] = cn_cann_kernel(c, sqrt(dx * dx + dy * dy));
    }
  }
}

void cn_k_cann_gauss1d_f32(const cn_cann_consts_f32 *c, const float *x,
                           int64_t L, float scale, float *g) {
  for (int64_t i = 0; i < L; i++)
    for (int64_t j = 0; j < L; j++) {
      float t = cn_ringdistf(x[i] - x[j], c->Z) / c->a;
      g[i * L + j] = expf(-0.5f * (t * t)) * scale;
    }
}

void cn_k_cann_gauss1d_f64(const cn_cann_consts_f64 *c, const double *x,
                           int64_t L, double scale, double *g) {
  for (int64_t i = 0; i < L; i++)
    for (int64_t j = 0; j < L; j++) {
      double t = cn_ringdist(x[i] - x[j], c->Z) / c->a;
      g[i * L + j] = exp(-0.5 * (t * t)) * scale;
    }
}

/* --- stimuli ----------------------------------------------------------- */

void cn_k_cann_stim1d_f32(const cn_cann_consts_f32 *c, const float *x,
                          int64_t n, float pos, float *out) {
  for (int64_t i = 0; i < n; i++) {
    float t = cn_ringdistf(x[i] - pos, c->Z) / c->a;
    out[i] = c->A * expf(-0.25f * (t * t));
  }
}

void cn_k_cann_stim1d_f64(const cn_cann_consts_f64 *c, const double *x,
                          int64_t n, double pos, double *out) {
  for (int64_t i = 0; i < n; i++) {
    double t = cn_ringdist(x[i] - pos, c->Z) / c->a;
    out[i] = c->A * exp(-0.25 * (t * t));
  }
}

void cn_k_cann_stim2d_f32(const cn_cann_consts_f32 *c, const float *x,
                          int64_t L, float px, float py, float *out) {
  for (int64_t i = 0; i < L; i++) {
    float dy = cn_ringdistf(x[i] - py, c->Z);
    for (int64_t j = 0; j < L; j++) {
      float dx = cn_ringdistf(x[j] - px, c->Z);
      float t = sqrtf(dx * dx + dy * dy) / c->a;
      out[i * L + j] = c->A * expf(-0.25f * (t * t));
    }
  }
}

void cn_k_cann_stim2d_f64(const cn_cann_consts_f64 *c, const double *x,
                          int64_t L, double px, double py, double *out) {
  for (int64_t i = 0; i < L; i++) {
    double dy = cn_ringdist(x[i] - py, c->Z);
    for (int64_t j = 0; j < L; j++) {
      double dx = cn_ringdist(x[j] - px, c->Z);
      double t = sqrt(dx * dx + dy * dy) / c->a;
      out[i * L + j] = c->A * exp(-0.25 * (t * t));
    }
  }
}

/* --- one Euler step ---------------------------------------------------- */

/* The sum of squares accumulates in double, at least as accurate as the
 * float32 reduction upstream: in four 8-lane accumulators (so the adds do
 * not wait on each other), summed in a fixed order, then the tail.  The
 * element loops keep the upstream order of operations. */
typedef double cn_v8d __attribute__((vector_size(64)));
typedef float cn_v8f __attribute__((vector_size(32)));

CN_CLONES
void cn_k_cann_rate_f32(const float *restrict u, float *restrict r, int64_t n, float k) {
  cn_v8d a[4] = {{0}, {0}, {0}, {0}};
  int64_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int q = 0; q < 4; q++) {
      cn_v8f x;
      memcpy(&x, u + i + 8 * q, sizeof x);
      x = x * x;
      memcpy(r + i + 8 * q, &x, sizeof x);
      a[q] += __builtin_convertvector(x, cn_v8d);
    }
  cn_v8d t = (a[0] + a[1]) + (a[2] + a[3]);
  double s = 0.0;
  for (int l = 0; l < 8; l++) s += t[l];
  for (; i < n; i++) {
    float sq = u[i] * u[i];
    r[i] = sq;
    s += (double)sq;
  }
  float den = 1.0f + k * (float)s;
#pragma omp simd
  for (int64_t j = 0; j < n; j++) r[j] = r[j] / den;
}

CN_CLONES
void cn_k_cann_rate_f64(const double *restrict u, double *restrict r, int64_t n, double k) {
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (int64_t i = 0; i < n; i++) {
    double sq = u[i] * u[i];
    r[i] = sq;
    s += sq;
  }
  double den = 1.0 + k * s;
#pragma omp simd
  for (int64_t i = 0; i < n; i++) r[i] = r[i] / den;
}

/* Whether 1/t is exact (t a power of two whose reciprocal is a normal
 * number): then x / t and x * (1/t) are the same real number, rounded
 * once, so a division by t may be done as a multiplication, bit for bit. */
static inline bool pow2_reciprocal_f32(float t, float *w) {
  int e;
  float m = frexpf(t, &e);
  if (fabsf(m) != 0.5f || e < -124 || e > 126) return false;
  *w = 1.0f / t;
  return true;
}

static inline bool pow2_reciprocal_f64(double t, double *w) {
  int e;
  double m = frexp(t, &e);
  if (fabs(m) != 0.5 || e < -1020 || e > 1022) return false;
  *w = 1.0 / t;
  return true;
}

CN_CLONES
void cn_k_cann_euler_f32(float *u, const float *restrict irec, const float *in, float *inp,
                         int64_t n, float tau, float dt) {
  float w;
  if (pow2_reciprocal_f32(tau, &w)) { /* the default tau = 1 */
#pragma omp simd
    for (int64_t i = 0; i < n; i++) {
      float x = in[i];
      inp[i] = x;
      u[i] = u[i] + ((-u[i] + irec[i]) + x) * w * dt;
    }
    return;
  }
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    float x = in[i];
    inp[i] = x;
    u[i] = u[i] + ((-u[i] + irec[i]) + x) / tau * dt;
  }
}

CN_CLONES
void cn_k_cann_euler_f64(double *u, const double *restrict irec, const double *in, double *inp,
                         int64_t n, double tau, double dt) {
  double w;
  if (pow2_reciprocal_f64(tau, &w)) { /* the default tau = 1 */
#pragma omp simd
    for (int64_t i = 0; i < n; i++) {
      double x = in[i];
      inp[i] = x;
      u[i] = u[i] + ((-u[i] + irec[i]) + x) * w * dt;
    }
    return;
  }
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    double x = in[i];
    inp[i] = x;
    u[i] = u[i] + ((-u[i] + irec[i]) + x) / tau * dt;
  }
}

CN_CLONES
void cn_k_cann_sfa_f32(float *u, float *restrict v, const float *restrict irec, const float *in,
                       float *inp, int64_t n, float tau, float tau_v, float m, float dt) {
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    float x = in[i];
    inp[i] = x;
    float un = u[i] + (((-u[i] + irec[i]) + x) - v[i]) / tau * dt;
    u[i] = un;
    v[i] = v[i] + (-v[i] + m * un) / tau_v * dt;
  }
}

CN_CLONES
void cn_k_cann_sfa_f64(double *u, double *restrict v, const double *restrict irec, const double *in,
                       double *inp, int64_t n, double tau, double tau_v, double m, double dt) {
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    double x = in[i];
    inp[i] = x;
    double un = u[i] + (((-u[i] + irec[i]) + x) - v[i]) / tau * dt;
    u[i] = un;
    v[i] = v[i] + (-v[i] + m * un) / tau_v * dt;
  }
}
