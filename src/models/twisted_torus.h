/* canns — the twisted-torus phase sheet shared by GridCell2DPosition and
 * the theta-sweep GridCellNetwork (internal).
 *
 * L x L neurons with phases value_grid_n = (xb[n % L], xb[n / L]) on
 * [-pi, pi)^2, xb = linspace(-pi, pi, L + 1) without its end point.  A phase
 * difference is wrapped once per axis and mapped through Tinv, the inverse
 * of T = [[1, -1/sqrt 3], [0, 2/sqrt 3]], before its Euclidean norm (the
 * hexagonal distance).  Everything is float32 as upstream. */
#ifndef CANNS_MODELS_TWISTED_TORUS_H
#define CANNS_MODELS_TWISTED_TORUS_H

#include <math.h>
#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"

#define CN_TT_NCAND 32 /* candidate centres per side */

typedef struct cn_ttorus {
  int64_t L, N;
  float pi, two_pi, mapping_ratio;
  float T[4], Tinv[4]; /* row-major 2 x 2 */
  /* x_grid, y_grid (N,); value_grid, value_bump = 4 value_grid (N, 2);
   * candidate_centers (32^2, 2); coor_transform(_inv) (2, 2) */
  cn_array *x_grid, *y_grid, *value_grid, *value_bump, *candidate_centers;
  cn_array *coor_transform, *coor_transform_inv;
  float *trig; /* (N, 4): cos x, sin x, cos y, sin y of the phases (decoding) */
} cn_ttorus;

/* Fill t for side L and mapping_ratio (candidate spacing 2 pi / ratio). */
cn_status cn_ttorus_build(cn_ttorus *t, int64_t L, double mapping_ratio);
void cn_ttorus_free(cn_ttorus *t);

/* wrap once into [-pi, pi] (upstream handle_periodic_condition) */
static inline float cn_ttorus_wrap(const cn_ttorus *t, float d) {
  if (d > t->pi) d = d - t->two_pi;
  if (d < -t->pi) d = d + t->two_pi;
  return d;
}

/* upstream calculate_dist of one phase difference */
static inline float cn_ttorus_dist(const cn_ttorus *t, float d0, float d1) {
  d0 = cn_ttorus_wrap(t, d0);
  d1 = cn_ttorus_wrap(t, d1);
  float a = t->Tinv[0] * d0 + t->Tinv[1] * d1, b = t->Tinv[2] * d0 + t->Tinv[3] * d1;
  return sqrtf(a * a + b * b);
}

/* position2phase of K positions pos[2k], pos[2k+1] (float32 values). */
void cn_ttorus_position2phase(const cn_ttorus *t, const float *pos, int64_t K, float *phase);

/* A exp(-0.5 (dist(phase - value_grid_n) / a)^2) for every neuron n. */
void cn_ttorus_phase_bump(const cn_ttorus *t, const float phase[2], float A, float a, float *out);

/* upstream get_unique_activity_bump: the population-vector phase of the
 * activity above 0.1 max, the candidate centre nearest pos, and the
 * template A exp(-(|centre - value_bump| / a)^2); outputs may be NULL. */
void cn_ttorus_unique_bump(const cn_ttorus *t, const float *act, const float pos[2], float A,
                           float a, float center_phase[2], float center_position[2],
                           float *bump);

/* The kernel matrix row-major (N, N), W[p][q] = J exp(-0.5 (dist(vg_p -
 * vg_q) / a)^2) / (sqrt(2 pi) a), OpenMP over rows. */
void cn_ttorus_kernel_dense(const cn_ttorus *t, float J, float a, float *W);

/* The same kernel as lag kernels for torusconv.h.  For an even side the
 * dense matrix is not exactly circulant: a pair half a period apart along
 * x (or y) has a phase difference of +pi or -pi by float32 round-off, and
 * the hexagonal distance differs between the two.  Which one depends only
 * on the neuron's column (row), so the neurons fall into up to 4 classes,
 * each exactly circulant: cls[n] (N values) gets the class, h (4 N values)
 * the kernel of each class, h_c[lr * L + lc] = W[p_c][p_c - (lr, lc)] for
 * a neuron p_c of class c.  Returns the number of classes (1 for an odd
 * side, where no pair is half a period apart). */
int cn_ttorus_kernel_classes(const cn_ttorus *t, float J, float a, uint8_t *cls, double *h);

struct cn_torusconv;
/* The convolution (models/torusconv.h) with those classes and kernels: the
 * recurrent input of the dense kernel matrix to float32 round-off. */
cn_status cn_ttorus_conv_new(const cn_ttorus *t, float J, float a, struct cn_torusconv **out);

#endif
