/* canns — CPU kernels of the classic CANN models (upstream `canns.models.basic.cann`).
 *
 * Hot loops only: callers (src/models/cann1d.c, cann2d.c) own the buffers
 * and choose the algorithm.  Every float32 kernel evaluates the expressions
 * in the order the Python toolkit writes them, with float32 constants
 * (as JAX runs upstream's float32 models), so results agree with it to round-off; the float64
 * twins use the same formulas in double.
 *
 * Coordinates follow the Python toolkit: x = linspace(z_min, z_max, n) with
 * both ends included; ring distances use remainder + one shift
 * (upstream's period helpers).
 */
#ifndef CANNS_KERNELS_CANN_H
#define CANNS_KERNELS_CANN_H

#include <stdint.h>

/* Ring distance: remainder(d, Z), then minus Z when above Z/2. */
static inline float cn_ringdistf(float d, float Z) {
  float r = __builtin_fmodf(d, Z);
  if (r != 0.0f && ((r < 0.0f) != (Z < 0.0f))) r = r + Z;
  return r > Z * 0.5f ? r - Z : r;
}
static inline double cn_ringdist(double d, double Z) {
  double r = __builtin_fmod(d, Z);
  if (r != 0.0 && ((r < 0.0) != (Z < 0.0))) r = r + Z;
  return r > Z * 0.5 ? r - Z : r;
}

/* Constants of a CANN in the precision of the model. */
typedef struct cn_cann_consts_f32 {
  float Z;      /* z_range */
  float a, A, J0, k, tau, tau_v, m;
  float norm;   /* sqrtf(f32(2 pi)) * a, the kernel's denominator */
} cn_cann_consts_f32;
typedef struct cn_cann_consts_f64 {
  double Z, a, A, J0, k, tau, tau_v, m, norm;
} cn_cann_consts_f64;

/* Kernel value J0 exp(-0.5 (d/a)^2) / norm for a (wrapped) distance d. */
static inline float cn_cann_kernelf(const cn_cann_consts_f32 *c, float d) {
  float t = d / c->a;
  return c->J0 * __builtin_expf(-0.5f * (t * t)) / c->norm;
}
static inline double cn_cann_kernel(const cn_cann_consts_f64 *c, double d) {
  double t = d / c->a;
  return c->J0 * __builtin_exp(-0.5 * (t * t)) / c->norm;
}

/* --- connection matrices (dense reference) --------------------------- */
/* conn[i][j] = kernel(dist(x_i - x_j)), n x n. */
void cn_k_cann_conn1d_f32(const cn_cann_consts_f32 *c, const float *x,
                          int64_t n, float *conn);
void cn_k_cann_conn1d_f64(const cn_cann_consts_f64 *c, const double *x,
                          int64_t n, double *conn);
/* conn[p][q] for the L x L torus (flat p = i*L + j at (x_j, x_i)), with the
 * Euclidean norm of the component-wise wrapped difference; L^2 x L^2. */
void cn_k_cann_conn2d_f32(const cn_cann_consts_f32 *c, const float *x,
                          int64_t L, float *conn);
void cn_k_cann_conn2d_f64(const cn_cann_consts_f64 *c, const double *x,
                          int64_t L, double *conn);
/* g[i][j] = exp(-0.5 (dist(x_i - x_j)/a)^2) * scale, L x L: one factor of
 * the separable 2-D kernel. */
void cn_k_cann_gauss1d_f32(const cn_cann_consts_f32 *c, const float *x,
                           int64_t L, float scale, float *g);
void cn_k_cann_gauss1d_f64(const cn_cann_consts_f64 *c, const double *x,
                           int64_t L, double scale, double *g);

/* --- stimuli ---------------------------------------------------------- */
/* out[i] = A exp(-0.25 (dist(x_i - pos)/a)^2). */
void cn_k_cann_stim1d_f32(const cn_cann_consts_f32 *c, const float *x,
                          int64_t n, float pos, float *out);
void cn_k_cann_stim1d_f64(const cn_cann_consts_f64 *c, const double *x,
                          int64_t n, double pos, double *out);
/* out[i][j] = A exp(-0.25 (D/a)^2), D = |(dist(x_j - px), dist(x_i - py))|. */
void cn_k_cann_stim2d_f32(const cn_cann_consts_f32 *c, const float *x,
                          int64_t L, float px, float py, float *out);
void cn_k_cann_stim2d_f64(const cn_cann_consts_f64 *c, const double *x,
                          int64_t L, double px, double py, double *out);

/* --- one Euler step --------------------------------------------------- */
/* r = u^2 / (1 + k sum(u^2)) from the current u. */
void cn_k_cann_rate_f32(const float *restrict u, float *restrict r, int64_t n, float k);
void cn_k_cann_rate_f64(const double *restrict u, double *restrict r, int64_t n,
                        double k);
/* inp = in;  u += ((-u + irec) + inp) / tau * dt.  The input is copied
 * into the model's inp state in the same pass; in may be inp itself, or
 * u (each element is read before it is written), but may not overlap
 * either any other way. */
void cn_k_cann_euler_f32(float *u, const float *irec, const float *in, float *inp,
                         int64_t n, float tau, float dt);
void cn_k_cann_euler_f64(double *u, const double *irec, const double *in, double *inp,
                         int64_t n, double tau, double dt);
/* inp = in;  u += (((-u + irec) + inp) - v) / tau * dt;
 * v += (-v + m u_new) / tau_v * dt   (v sees the new u; in as above). */
void cn_k_cann_sfa_f32(float *u, float *v, const float *irec, const float *in,
                       float *inp, int64_t n, float tau, float tau_v, float m, float dt);
void cn_k_cann_sfa_f64(double *u, double *v, const double *irec, const double *in,
                       double *inp, int64_t n, double tau, double tau_v, double m,
                       double dt);

#endif
