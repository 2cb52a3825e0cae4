/* canns — the hierarchical path-integration models (upstream
 * `canns.models.basic.hierarchical_model`): band cells made of a ring
 * attractor (GaussRecUnits) and two velocity-gated shifter rings
 * (NonRecUnits), a hexagonal grid attractor with adaptation (GridCell),
 * one grid module fed by three band cells at 60 degrees
 * (HierarchicalPathIntegrationModel) and the network of modules read out
 * by place cells (HierarchicalNetwork).
 *
 *   cn_hnet_params p;
 *   cn_hnet_params_init(&p);          // upstream's defaults
 *   p.num_module = 5; p.num_place = 30;
 *   cn_model *net;
 *   CN_TRY(cn_hierarchical_network_new(&net, &p));
 *   // inputs "velocity" (2), "loc" (2), "loc_input_stre" (optional, 0)
 *   // states place_fr, grid_fr, band_x_fr, band_y_fr, decoded_pos, and
 *   // the modules' own by dotted names: "module1.grid_cell.r", ...
 *
 * All float32 as upstream.  The composite models are cn_models made of
 * cn_models: cn_model_child(net, "module1") is the first module (1-based),
 * cn_model_child(module, "band_cell_x") its first band cell, and so on.
 * The shifter noise (NonRecUnits noise N(0, 1) per neuron and step) comes
 * from the global Philox generator; its counter advances by the same
 * amount when the noise is 0 (nothing is computed then).
 *
 * Ring and torus products have two methods equal to float32 round-off:
 * the dense matrices (the reference) and circular convolutions through
 * FFTW (every ring matrix here is circulant, the grid sheet's kernel is
 * translation-invariant on its torus).
 */
#ifndef CANNS_HIERARCHICAL_H
#define CANNS_HIERARCHICAL_H

#include <stdbool.h>

#include "canns/gridcell.h"
#include "canns/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_gru_params {
  int64_t size;
  double tau, J0, k, a, z_min, z_max, noise;
  cn_gc_method method;
} cn_gru_params;
void cn_gru_params_init(cn_gru_params *p); /* size 180 */
cn_status cn_gauss_rec_units_new(cn_model **out, const cn_gru_params *p);

typedef struct cn_nru_params {
  int64_t size;
  double tau, z_min, z_max, noise;
} cn_nru_params;
void cn_nru_params_init(cn_nru_params *p); /* size 180 */
cn_status cn_non_rec_units_new(cn_model **out, const cn_nru_params *p);

typedef struct cn_band_params {
  double angle, spacing;
  int64_t size;
  double z_min, z_max, noise, w_L2S, w_S2L, gain, gauss_tau, gauss_J0, gauss_k, gauss_a,
      nonrec_tau;
  cn_gc_method method;
} cn_band_params;
void cn_band_params_init(cn_band_params *p); /* angle 0, spacing 1 */
cn_status cn_band_cell_new(cn_model **out, const cn_band_params *p);

typedef struct cn_hgrid_params {
  int64_t num;
  double angle, spacing, tau, tau_v, k, a, A, J0, mbar;
  cn_gc_method method;
} cn_hgrid_params;
void cn_hgrid_params_init(cn_hgrid_params *p); /* num 20, angle 0, spacing 1 */
cn_status cn_hier_grid_cell_new(cn_model **out, const cn_hgrid_params *p);

typedef struct cn_hpim_params {
  double spacing, angle;
  int64_t band_size;
  double band_noise, band_w_L2S, band_w_S2L, band_gain;
  int64_t grid_num;
  double grid_tau, grid_tau_v, grid_k, grid_a, grid_A, grid_J0, grid_mbar, gauss_tau, gauss_J0,
      gauss_k, gauss_a, nonrec_tau;
  cn_gc_method method;
} cn_hpim_params;
void cn_hpim_params_init(cn_hpim_params *p); /* spacing 1, angle 0 */
/* place_center: (P, 2) float array of place-field centres (required). */
cn_status cn_hpim_new(cn_model **out, const cn_hpim_params *p, const cn_array *place_center);

typedef struct cn_hnet_params {
  int64_t num_module, num_place;
  double spacing_min, spacing_max, module_angle;
  cn_hpim_params mod; /* spacing and angle are set per module */
} cn_hnet_params;
void cn_hnet_params_init(cn_hnet_params *p); /* num_module 5, num_place 30 */
cn_status cn_hierarchical_network_new(cn_model **out, const cn_hnet_params *p);

/* HierarchicalPathIntegrationModel from keyword parameters (spacing,
 * angle and the module options of HierarchicalNetwork) and its place-field
 * centres; cn_hpim_keys lists the keys. */
cn_status cn_hpim_from_params(const cn_params *p, const cn_array *place_center,
                              cn_model **out);
extern const char *const cn_hpim_keys[];
/* The registered classes (NULL-terminated). */
const cn_model_class *const *cn_hier_classes(void);

/* Which of the classes above a model is (NULL: none), e.g. "BandCell". */
const char *cn_hier_class(const cn_model *m);
/* The method the ring / torus products use. */
cn_gc_method cn_hier_method_used(const cn_model *m);

/* BandCell / HierarchicalPathIntegrationModel `Postophase` of K positions
 * pos[2k], pos[2k+1]: one phase per position for a band cell, two
 * (band x, band y) for a module. */
cn_status cn_hier_postophase(const cn_model *m, const float *pos, int64_t K, float *phase);
/* BandCell.get_stimulus_by_pos(pos) into out (size). */
cn_status cn_band_stimulus(const cn_model *m, const float pos[2], float *out);
/* BandCell.move_heading(shift): roll the ring's r and u by shift. */
cn_status cn_band_move_heading(cn_model *m, int64_t shift);
/* BandCell.reset(): zero the shifters' u. */
cn_status cn_band_reset_shifters(cn_model *m);
/* HierarchicalPathIntegrationModel.get_input(phase) into out (grid_num^2),
 * without the factor 5000 that update applies. */
cn_status cn_hpim_get_input(const cn_model *m, const float phase[2], float *out);

#ifdef __cplusplus
}
#endif
#endif
