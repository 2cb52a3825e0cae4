/* canns — the hierarchical path-integration models as registered model
 * classes: construction from keyword parameters with upstream's names and
 * defaults, and the methods shared by several of them. */
#include <math.h>
#include <string.h>

#include "core/internal.h"
#include "models/hier_internal.h"

typedef struct num_key {
  const char *k;
  double *d;
} num_key;

static cn_status numbers(const cn_params *p, const num_key *t, size_t n) {
  for (size_t i = 0; i < n; i++) CN_TRY(cn_params_number(p, t[i].k, *t[i].d, t[i].d));
  return CN_OK;
}

static cn_status required(const cn_params *p, const char *key, const char *what) {
  if (!cn_params_has(p, key))
    return cn_error(CN_EINVAL, "%s: argument '%s' (%s) is required", p->fname, key, what);
  return CN_OK;
}

static cn_status create_gru(const cn_params *p, cn_model **out) {
  cn_gru_params q;
  cn_gru_params_init(&q);
  CN_TRY(required(p, "size", "the number of neurons"));
  CN_TRY(cn_params_int(p, "size", q.size, &q.size));
  const num_key t[] = {{"tau", &q.tau}, {"J0", &q.J0},       {"k", &q.k},        {"a", &q.a},
                       {"z_min", &q.z_min}, {"z_max", &q.z_max}, {"noise", &q.noise}};
  CN_TRY(numbers(p, t, sizeof t / sizeof t[0]));
  CN_TRY(cn_gc_method_param(p, &q.method));
  return cn_gauss_rec_units_new(out, &q);
}

static cn_status create_nru(const cn_params *p, cn_model **out) {
  cn_nru_params q;
  cn_nru_params_init(&q);
  CN_TRY(required(p, "size", "the number of neurons"));
  CN_TRY(cn_params_int(p, "size", q.size, &q.size));
  const num_key t[] = {{"tau", &q.tau}, {"z_min", &q.z_min}, {"z_max", &q.z_max},
                       {"noise", &q.noise}};
  CN_TRY(numbers(p, t, sizeof t / sizeof t[0]));
  return cn_non_rec_units_new(out, &q);
}

static cn_status create_band(const cn_params *p, cn_model **out) {
  cn_band_params q;
  cn_band_params_init(&q);
  CN_TRY(required(p, "angle", "the preferred direction in radians"));
  CN_TRY(required(p, "spacing", "the band spacing"));
  CN_TRY(cn_params_int(p, "size", q.size, &q.size));
  const num_key t[] = {{"angle", &q.angle},         {"spacing", &q.spacing},
                       {"z_min", &q.z_min},         {"z_max", &q.z_max},
                       {"noise", &q.noise},         {"w_L2S", &q.w_L2S},
                       {"w_S2L", &q.w_S2L},         {"gain", &q.gain},
                       {"gauss_tau", &q.gauss_tau}, {"gauss_J0", &q.gauss_J0},
                       {"gauss_k", &q.gauss_k},     {"gauss_a", &q.gauss_a},
                       {"nonrec_tau", &q.nonrec_tau}};
  CN_TRY(numbers(p, t, sizeof t / sizeof t[0]));
  CN_TRY(cn_gc_method_param(p, &q.method));
  return cn_band_cell_new(out, &q);
}

static cn_status create_grid(const cn_params *p, cn_model **out) {
  cn_hgrid_params q;
  cn_hgrid_params_init(&q);
  CN_TRY(required(p, "num", "neurons per side"));
  CN_TRY(required(p, "angle", "the module orientation"));
  CN_TRY(required(p, "spacing", "the grid spacing"));
  CN_TRY(cn_params_int(p, "num", q.num, &q.num));
  const num_key t[] = {{"angle", &q.angle}, {"spacing", &q.spacing}, {"tau", &q.tau},
                       {"tau_v", &q.tau_v}, {"k", &q.k},             {"a", &q.a},
                       {"A", &q.A},         {"J0", &q.J0},           {"mbar", &q.mbar}};
  CN_TRY(numbers(p, t, sizeof t / sizeof t[0]));
  CN_TRY(cn_gc_method_param(p, &q.method));
  return cn_hier_grid_cell_new(out, &q);
}

/* The options a module and the network share. */
static cn_status module_params(const cn_params *p, cn_hpim_params *q) {
  CN_TRY(cn_params_int(p, "band_size", q->band_size, &q->band_size));
  CN_TRY(cn_params_int(p, "grid_num", q->grid_num, &q->grid_num));
  const num_key t[] = {{"band_noise", &q->band_noise}, {"band_w_L2S", &q->band_w_L2S},
                       {"band_w_S2L", &q->band_w_S2L}, {"band_gain", &q->band_gain},
                       {"grid_tau", &q->grid_tau},     {"grid_tau_v", &q->grid_tau_v},
                       {"grid_k", &q->grid_k},         {"grid_a", &q->grid_a},
                       {"grid_A", &q->grid_A},         {"grid_J0", &q->grid_J0},
                       {"grid_mbar", &q->grid_mbar},   {"gauss_tau", &q->gauss_tau},
                       {"gauss_J0", &q->gauss_J0},     {"gauss_k", &q->gauss_k},
                       {"gauss_a", &q->gauss_a},       {"nonrec_tau", &q->nonrec_tau}};
  CN_TRY(numbers(p, t, sizeof t / sizeof t[0]));
  return cn_gc_method_param(p, &q->method);
}

cn_status cn_hpim_from_params(const cn_params *p, const cn_array *place_center,
                              cn_model **out) {
  cn_hpim_params q;
  cn_hpim_params_init(&q);
  *out = NULL;
  CN_TRY(required(p, "spacing", "the module's grid spacing"));
  CN_TRY(required(p, "angle", "the module's orientation"));
  CN_TRY(cn_params_number(p, "spacing", q.spacing, &q.spacing));
  CN_TRY(cn_params_number(p, "angle", q.angle, &q.angle));
  CN_TRY(module_params(p, &q));
  return cn_hpim_new(out, &q, place_center);
}

static cn_status create_pim(const cn_params *p, cn_model **out) {
  return cn_hpim_from_params(p, NULL, out); /* names the missing place_center */
}

static cn_status create_net(const cn_params *p, cn_model **out) {
  cn_hnet_params q;
  cn_hnet_params_init(&q);
  CN_TRY(required(p, "num_module", "the number of grid modules"));
  CN_TRY(required(p, "num_place", "place cells per side"));
  CN_TRY(cn_params_int(p, "num_module", q.num_module, &q.num_module));
  CN_TRY(cn_params_int(p, "num_place", q.num_place, &q.num_place));
  const num_key t[] = {{"spacing_min", &q.spacing_min}, {"spacing_max", &q.spacing_max},
                       {"module_angle", &q.module_angle}};
  CN_TRY(numbers(p, t, sizeof t / sizeof t[0]));
  CN_TRY(module_params(p, &q.mod));
  return cn_hierarchical_network_new(out, &q);
}

#define MODULE_KEYS                                                                        \
  "band_size", "band_noise", "band_w_L2S", "band_w_S2L", "band_gain", "grid_num",          \
      "grid_tau", "grid_tau_v", "grid_k", "grid_a", "grid_A", "grid_J0", "grid_mbar",      \
      "gauss_tau", "gauss_J0", "gauss_k", "gauss_a", "nonrec_tau", "method"

static const char *const keys_gru[] = {"size", "tau",   "J0",    "k",      "a",
                                       "z_min", "z_max", "noise", "method", NULL};
static const char *const keys_nru[] = {"size", "tau", "z_min", "z_max", "noise", NULL};
static const char *const keys_band[] = {
    "angle", "spacing", "size", "z_min", "z_max", "noise", "w_L2S", "w_S2L", "gain",
    "gauss_tau", "gauss_J0", "gauss_k", "gauss_a", "nonrec_tau", "method", NULL};
static const char *const keys_grid[] = {"num", "angle", "spacing", "tau", "tau_v", "k", "a",
                                        "A", "J0", "mbar", "method", NULL};
const char *const cn_hpim_keys[] = {"spacing", "angle", MODULE_KEYS, NULL};
static const char *const keys_net[] = {"num_module", "num_place", "spacing_min", "spacing_max",
                                       "module_angle", MODULE_KEYS, NULL};

static const cn_model_class cls[] = {
    {"GaussRecUnits", create_gru, keys_gru, "ring attractor of a band cell (hierarchical model)"},
    {"NonRecUnits", create_nru, keys_nru, "leaky shifter ring of a band cell (hierarchical model)"},
    {"BandCell", create_band, keys_band, "velocity-integrating band cell (hierarchical model)"},
    {"GridCell", create_grid, keys_grid, "hexagonal grid sheet with adaptation (hierarchical model)"},
    {"HierarchicalPathIntegrationModel", create_pim, cn_hpim_keys,
     "one grid module fed by three band cells (needs place_center)"},
    {"HierarchicalNetwork", create_net, keys_net,
     "grid modules read out by place cells (hierarchical path integration)"}};

const cn_model_class *const *cn_hier_classes(void) {
  static const cn_model_class *const list[] = {&cls[0], &cls[1], &cls[2], &cls[3],
                                               &cls[4], &cls[5], NULL};
  return list;
}

const char *cn_hier_class(const cn_model *m) {
  const cn_model_vtable *v[] = {&hier_gru_vt, &hier_nru_vt, &hier_band_vt,
                                &hier_grid_vt, &hier_pim_vt, &hier_net_vt};
  for (int i = 0; m && i < 6; i++)
    if (m->vt == v[i]) return v[i]->name;
  return NULL;
}

cn_gc_method cn_hier_method_used(const cn_model *m) {
  if (m->vt == &hier_gru_vt)
    return ((hier_gru *)m->impl)->ring.fft ? CN_GC_FFT : CN_GC_DENSE;
  if (m->vt == &hier_band_vt) return cn_hier_method_used(((hier_band *)m->impl)->band);
  if (m->vt == &hier_grid_vt) return ((hier_grid *)m->impl)->fft ? CN_GC_FFT : CN_GC_DENSE;
  if (m->vt == &hier_pim_vt) return cn_hier_method_used(((hier_pim *)m->impl)->grid);
  if (m->vt == &hier_net_vt) return cn_hier_method_used(cn_model_child((cn_model *)m, "module1"));
  return CN_GC_DENSE;
}

cn_status cn_hier_postophase(const cn_model *m, const float *pos, int64_t K, float *phase) {
  for (int64_t i = 0; i < 2 * K; i++)
    if (!isfinite(pos[i]))
      return cn_error(CN_EINVAL, "Postophase: argument 'pos' must be finite, got %g",
                      cn_fabs_nan(pos[i]));
  if (m->vt == &hier_band_vt) {
    const hier_band *b = m->impl;
    for (int64_t i = 0; i < K; i++) phase[i] = hier_postophase1(pos + 2 * i, b->proj_k);
    return CN_OK;
  }
  if (m->vt == &hier_pim_vt) {
    const hier_pim *h = m->impl;
    const float *kx = ((hier_band *)h->bx->impl)->proj_k, *ky = ((hier_band *)h->by->impl)->proj_k;
    for (int64_t i = 0; i < K; i++) {
      phase[2 * i] = hier_postophase1(pos + 2 * i, kx);
      phase[2 * i + 1] = hier_postophase1(pos + 2 * i, ky);
    }
    return CN_OK;
  }
  return cn_error(CN_EINVAL,
                  "Postophase: the model must be a BandCell or HierarchicalPathIntegrationModel");
}
