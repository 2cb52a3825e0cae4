/* canns — the theta-sweep networks (upstream
 * `canns.models.basic.theta_sweep_model`): DirectionCellNetwork, a ring of
 * head-direction cells with adaptation and theta-gated input, and
 * GridCellNetwork, a twisted-torus grid module driven by conjunctive
 * (position x direction) input, after Ji et al. (2025).
 *
 *   cn_dcn_params p;
 *   cn_dcn_params_init(&p);          // upstream's defaults, num 100
 *   cn_model *dc;
 *   CN_TRY(cn_direction_cell_network_new(&dc, &p));
 *   // inputs "head_direction" (1,) and "theta_input" (1,)
 *
 * Both are float32 as upstream and integrate (u, v) with the exponential
 * Euler rule of BrainPy.  Activity noise (noise_strength N(0, 1) per
 * neuron and step) comes from the global Philox generator and is drawn at
 * every step, even at strength 0, as upstream draws it; connection noise
 * (conn_noise) is drawn, from the same generator, only when it is not 0.
 */
#ifndef CANNS_THETA_H
#define CANNS_THETA_H

#include <stdbool.h>

#include "canns/gridcell.h"
#include "canns/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_dcn_params {
  int64_t num;
  double tau, tau_v, noise_strength, k, adaptation_strength, a, A, J0, g, z_min, z_max,
      conn_noise;
} cn_dcn_params;

void cn_dcn_params_init(cn_dcn_params *p);
cn_status cn_direction_cell_network_new(cn_model **out, const cn_dcn_params *p);
bool cn_is_direction_cell_network(const cn_model *m);
/* input_bump(head_direction): A exp(-0.5 (dist(x - hd) / a)^2), (num,). */
cn_status cn_dcn_input_bump(const cn_model *m, double head_direction, cn_array **out);
/* calculate_dist of n angle differences (wrapped once, then by z_range). */
void cn_dcn_calculate_dist(const cn_model *m, const float *d, int64_t n, float *out);
/* make_connection: the kernel matrix without connection noise. */
cn_status cn_dcn_make_connection(const cn_model *m, cn_array **out);

typedef struct cn_gcn_params {
  int64_t num_dc, num_gc_x;
  double tau, tau_v, noise_strength, conn_noise, k, adaptation_strength, a, A, J0, g,
      mapping_ratio, phase_offset;
  cn_gc_method method; /* recurrent input: dense product or torus FFT */
} cn_gcn_params;

void cn_gcn_params_init(cn_gcn_params *p);
cn_status cn_grid_cell_network_new(cn_model **out, const cn_gcn_params *p);
bool cn_is_grid_cell_network(const cn_model *m);
cn_gc_method cn_gcn_method_used(const cn_model *m);
const cn_gcn_params *cn_gcn_get_params(const cn_model *m);
/* make_connection: the kernel matrix without connection noise (N, N). */
cn_status cn_gcn_make_connection(const cn_model *m, cn_array **out);
/* calculate_input_from_conjgc(pos, direction_activity (num_dc), theta_mod)
 * into out (num,). */
cn_status cn_gcn_conj_input(const cn_model *m, const float pos[2], const float *dir_act,
                            float theta_mod, float *out);
/* position2phase of K positions (pos[2k], pos[2k+1]). */
void cn_gcn_position2phase(const cn_model *m, const float *pos, int64_t K, float *phase);
/* calculate_dist of K phase differences (hexagonal distance). */
void cn_gcn_calculate_dist(const cn_model *m, const float *d, int64_t K, float *out);
/* get_unique_activity_bump(activity, animal_position). */
void cn_gcn_unique_bump(const cn_model *m, const float *act, const float pos[2],
                        float center_phase[2], float center_position[2], float *bump);

/* PlaceCellNetwork: place cells on the free cells of a movement-cost grid,
 * coupled by their geodesic distances.  Built from a geodesic result (the
 * distances, nfree x nfree float64 with inf between disconnected cells,
 * and the grid that gave them, which the model copies). */
typedef struct cn_pcn_params {
  double tau, tau_v, noise_strength, k, m, a, A, J0, g, conn_noise;
} cn_pcn_params;

struct cn_costgrid;
void cn_pcn_params_init(cn_pcn_params *p);
cn_status cn_place_cell_network_new(cn_model **out, const cn_pcn_params *p,
                                    const cn_array *distances, const struct cn_costgrid *grid);
bool cn_is_place_cell_network(const cn_model *m);
/* The grid cell (0-based row of the distances) holding pos, upstream's
 * get_cell_index (one row too high, as upstream), or -1. */
int64_t cn_pcn_cell_index(const cn_model *m, const float pos[2]);
/* input_bump(pos): A exp(-D[idx] / (2 a^2)), zeros when idx < 0. */
cn_status cn_pcn_input_bump(const cn_model *m, const float pos[2], cn_array **out);
/* make_connection: J0 exp(-D / (2 a^2)) / (2 pi a^2), no connection noise. */
cn_status cn_pcn_make_connection(const cn_model *m, cn_array **out);

/* The model classes (registry.c registers them). */
const cn_model_class *const *cn_theta_classes(void);

/* ThetaSweepChain (a canns extension): one step of the direction network
 * (inputs head_direction, theta_input) and then of the grid network fed
 * with its rates (inputs animal_position, theta_modulation).  Parts
 * "direction" and "grid" are dc and gc themselves (retained). */
cn_status cn_theta_chain_new(cn_model **out, cn_model *dc, cn_model *gc);

#ifdef __cplusplus
}
#endif
#endif
