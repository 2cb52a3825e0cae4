/* canns — the grid-cell sheets (upstream `canns.models.basic.grid_cell`):
 * GridCell2DVelocity, the velocity-driven path integrator of Burak & Fiete
 * (2009), and GridCell2DPosition, the position-driven twisted-torus module.
 *
 *   cn_gcv_params p;
 *   cn_gcv_params_init(&p);              // upstream's defaults, length 40
 *   cn_model *m;
 *   CN_TRY(cn_gridcell_velocity_new(&m, &p));
 *   // one input, "velocity" (2,): cn_run(m, velocities, &o, out)
 *
 * Both are float32, as upstream.  Their constructors draw from the global
 * Philox generator (canns.random.seed): the velocity sheet's initial state
 * s = 0.1 U[0, 1), the position sheet's connection noise; the position
 * sheet draws its activity noise at every step.
 */
#ifndef CANNS_GRIDCELL_H
#define CANNS_GRIDCELL_H

#include <stdbool.h>

#include "canns/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the velocity sheet's recurrent input is computed (equal to float32
 * round-off): the dense L^2 x L^2 product (the reference) or six circular
 * correlations on the L x L torus, one per preferred-direction class. */
typedef enum cn_gc_method { CN_GC_AUTO = 0, CN_GC_DENSE, CN_GC_FFT } cn_gc_method;

typedef struct cn_gcv_params {
  int64_t length;
  double tau, alpha, A, W_a, W_l, lambda_net, e;
  bool use_sparse; /* accepted and ignored, as upstream on CPU */
  cn_gc_method method;
} cn_gcv_params;

void cn_gcv_params_init(cn_gcv_params *p);
cn_status cn_gridcell_velocity_new(cn_model **out, const cn_gcv_params *p);
bool cn_is_gridcell_velocity(const cn_model *m);
const cn_gcv_params *cn_gcv_get_params(const cn_model *m);
cn_gc_method cn_gcv_method_used(const cn_model *m);
/* The dense connection matrix (num, num) as upstream's make_connection. */
cn_status cn_gcv_conn_mat(cn_model *m, cn_array **out);
/* B(v) = A (1 + alpha vec_pref . v), (num,) float32. */
cn_status cn_gcv_velocity_input(cn_model *m, const double v[2], cn_array **out);
/* upstream heal_network: zero velocity for int(0.25/dt_healing) steps, then
 * int(0.125/dt_healing) steps at 0.8 (cos a, sin a) for a = 0, pi/5, pi/2,
 * -pi/5, then zero velocity again, with the global dt set to dt_healing and
 * restored afterwards. */
cn_status cn_gcv_heal(cn_model *m, double dt_healing);

/* upstream canns.analyzer.metrics.systematic_ratemap.compute_systematic_ratemap:
 * from the model's current (healed) state, sweep along the bottom edge
 * (x from -box_width/2 in steps of speed*dt), sweep again keeping
 * `resolution` states, then from each kept state move up for
 * int(box_height / (speed dt)) steps keeping every (steps // resolution)-th
 * rate vector.  out: (resolution, resolution, num) float64, out[i][j] the
 * rates at x bin i, y bin j.  The vertical sweeps run in parallel (OpenMP
 * over x bins), each on its own copy of the state; the model is left in
 * the state after the last vertical sweep, as upstream. */
cn_status cn_gcv_systematic_ratemap(cn_model *m, double box_width, double box_height,
                                    int64_t resolution, double speed, cn_array **out);

typedef struct cn_gcp_params {
  int64_t length;
  double tau, k, a, A, J0, mapping_ratio, noise_strength, conn_noise, g;
  /* recurrent input: the dense product or the torus FFT (equal to float32
   * round-off; "auto": dense up to 1024 neurons or with connection noise) */
  cn_gc_method method;
} cn_gcp_params;

void cn_gcp_params_init(cn_gcp_params *p);
cn_status cn_gridcell_position_new(cn_model **out, const cn_gcp_params *p);
bool cn_is_gridcell_position(const cn_model *m);
const cn_gcp_params *cn_gcp_get_params(const cn_model *m);
/* make_connection: the kernel matrix without connection noise (new array). */
cn_status cn_gcp_make_connection(const cn_model *m, cn_array **out);
/* calculate_dist of K phase differences d[2k], d[2k+1]. */
cn_status cn_gcp_calculate_dist(const cn_model *m, const float *d, int64_t K, float *out);
/* The connection matrix (num, num), connection noise included (NULL with
 * the FFT method, which keeps none). */
cn_array *cn_gcp_conn(cn_model *m);
cn_gc_method cn_gcp_method_used(const cn_model *m);
/* position2phase of K positions (pos[2k], pos[2k+1]) into phase[2k..]. */
void cn_gcp_position2phase(const cn_model *m, const double *pos, int64_t K, float *phase);
/* get_stimulus_by_pos: A exp(-0.5 (hex_dist(phase(pos) - value_grid)/a)^2). */
cn_status cn_gcp_stimulus(const cn_model *m, const double pos[2], cn_array **out);
/* get_unique_activity_bump(activity, animal_pos): center_phase[2],
 * center_position[2], bump (num,) (any of the outputs may be NULL). */
cn_status cn_gcp_unique_bump(const cn_model *m, const float *activity, const double pos[2],
                             float center_phase[2], float center_position[2], float *bump);

/* The keyword `method` ("auto" default, "dense", "fft") of p into *out. */
cn_status cn_gc_method_param(const cn_params *p, cn_gc_method *out);

/* The model classes (registry.c registers them). */
const cn_model_class *const *cn_gridcell_classes(void);

#ifdef __cplusplus
}
#endif
#endif
