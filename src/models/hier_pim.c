/* canns — HierarchicalPathIntegrationModel (one grid module: three band
 * cells at angle, angle + pi/3, angle + 2 pi/3 drive a GridCell sheet) and
 * HierarchicalNetwork (modules of spacings linspace(spacing_min,
 * spacing_max, num_module) read out by place cells), upstream
 * `hierarchical_model.HierarchicalPathIntegrationModel` and
 * `HierarchicalNetwork`.
 *
 * Module step (velocity, loc, s):
 *   band_cell_x/y/z.update(velocity, loc, s)
 *   grid_cell.update(5000 G_b(hexdist((center_x, center_y) - value_grid)))
 *   grid_output = Wg2p grid_cell.r,
 *   Wg2p[p][q] = G_b(hexdist(Postophase(place_center_p) - value_grid_q)),
 * G_b the normalised Gaussian of width gauss_a.  (Upstream also computes
 * band -> grid products whose result it discards; they are not built.)
 * Network step: g = max(sum of the modules' grid_output, 0), M = max g,
 * up = g - M/2 where g > M/2 (else 0), decoded_pos = sum place_center up /
 * (1e-5 + sum up), place_fr = up^2 / (1 + sum up^2).  The modules step in
 * parallel (OpenMP) when every product is a convolution; their shifter
 * noise is drawn beforehand in upstream's order. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "models/blas1.h"
#include "models/ftz.h"
#include "models/hier_internal.h"
#include "models/theta_common.h"

void cn_hpim_params_init(cn_hpim_params *p) {
  *p = (cn_hpim_params){1.0,  0.0,       180,   0.0,       0.2,  1.0,  0.2,
                        20,   0.1,       10.0,  5e-3,      M_PI / 9, 1.0, 1.0,
                        1.0,  1.0,       1.1,   5e-4,      2.0 / 9.0 * M_PI, 0.1, CN_GC_AUTO};
}

static hier_band *B(cn_model *m) { return m->impl; }
static hier_grid *G(cn_model *m) { return m->impl; }

cn_status hier_pim_draw(hier_pim *h) {
  CN_TRY(hier_band_draw(B(h->bx)));
  CN_TRY(hier_band_draw(B(h->by)));
  return hier_band_draw(B(h->bz));
}

static void get_input(const hier_pim *h, const float ph[2], float scale, float *out) {
  const hier_grid *g = h->grid->impl;
  const float *xg = cn_f32(g->x_grid), *yg = cn_f32(g->y_grid), a = (float)h->p.gauss_a;
  for (int64_t q = 0; q < h->N; q++)
    out[q] = hier_gauss(hier_hexdist(ph[0] - xg[q], ph[1] - yg[q]), a) * scale;
}

void hier_pim_step_sheet(hier_pim *h, const float vel[2], const float loc[2], float stre) {
  hier_band_step(B(h->bx), vel, loc, stre);
  hier_band_step(B(h->by), vel, loc, stre);
  hier_band_step(B(h->bz), vel, loc, stre);
  const float ph[2] = {cn_f32(B(h->bx)->center)[0], cn_f32(B(h->by)->center)[0]};
  get_input(h, ph, 5000.0f, h->gin);
  hier_grid_step(G(h->grid), h->gin);
}

void hier_pim_step_output(hier_pim *h) {
  const float *r = cn_f32(G(h->grid)->r);
  float *out = cn_f32(h->grid_output);
  if (h->WgT) { /* sum over the active grid cells only (a quarter or more are 0) */
    int64_t P = h->P;
    memset(out, 0, (size_t)P * sizeof(float));
    for (int64_t q = 0; q < h->N; q++) {
      if (r[q] == 0) continue;
      const float a = r[q], *restrict w = h->WgT + q * P;
      float *restrict o = out;
#pragma omp simd
      for (int64_t p = 0; p < P; p++) o[p] += a * w[p];
    }
    return;
  }
  int nb = cn_blas1_begin();
  cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)h->P, (int)h->N, 1.0f, cn_f32(h->Wg2p),
              (int)h->N, cn_f32(G(h->grid)->r), 1, 0.0f, cn_f32(h->grid_output), 1);
  cn_blas1_end(nb);
}

static cn_status check_step(const char *fn, const cn_array *const *in) {
  const float v[5] = {cn_f32(in[0])[0], cn_f32(in[0])[1], cn_f32(in[1])[0], cn_f32(in[1])[1],
                      cn_f32(in[2])[0]};
  static const char *const names[] = {"velocity", "velocity", "loc", "loc", "loc_input_stre"};
  for (int i = 0; i < 5; i++)
    if (!isfinite(v[i]))
      return cn_error(CN_EINVAL, "%s.update: '%s' must be finite, got %g", fn, names[i],
                      cn_fabs_nan(v[i]));
  return CN_OK;
}

static cn_status pim_step_inputs(cn_model *m, const cn_array *const *in) {
  hier_pim *h = m->impl;
  CN_TRY(check_step("HierarchicalPathIntegrationModel", in));
  CN_TRY(hier_pim_draw(h));
  hier_pim_step_sheet(h, cn_f32(in[0]), cn_f32(in[1]), cn_f32(in[2])[0]);
  hier_pim_step_output(h);
  return CN_OK;
}

static cn_status pim_reset(cn_model *m) {
  hier_pim *h = m->impl;
  cn_model *parts[] = {h->bx, h->by, h->bz, h->grid};
  for (int i = 0; i < 4; i++) CN_TRY(cn_model_reset(parts[i]));
  return cn_array_fill(h->grid_output, 0);
}

static cn_array *pim_state(cn_model *m, const char *name) {
  hier_pim *h = m->impl;
  const cn_named_array t[] = {{"grid_output", h->grid_output},
                              {"place_center", h->place_center}, {"Wg2p", h->Wg2p}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_model *pim_child(cn_model *m, const char *name) {
  hier_pim *h = m->impl;
  const char *names[] = {"band_cell_x", "band_cell_y", "band_cell_z", "grid_cell"};
  cn_model *parts[] = {h->bx, h->by, h->bz, h->grid};
  for (int i = 0; i < 4; i++)
    if (strcmp(name, names[i]) == 0) return parts[i];
  return NULL;
}

static cn_status pim_param(cn_model *m, const char *name, double *out) {
  hier_pim *h = m->impl;
  const cn_param_value t[] = {{"spacing", h->p.spacing}, {"angle", h->p.angle},
                              {"num_place", (double)h->P}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void pim_free(hier_pim *h) {
  if (!h) return;
  cn_model_release(h->bx);
  cn_model_release(h->by);
  cn_model_release(h->bz);
  cn_model_release(h->grid);
  cn_array_release(h->place_center);
  cn_array_release(h->Wg2p);
  cn_array_release(h->grid_output);
  free(h->gin);
  free(h->WgT);
  free(h);
}

static void pim_destroy(cn_model *m) { pim_free(m->impl); }

const cn_model_vtable hier_pim_vt = {"HierarchicalPathIntegrationModel", NULL, pim_reset,
                                     pim_state, pim_param, NULL, pim_destroy, pim_step_inputs,
                                     pim_child};

static const char *const pim_states[] = {"grid_output", "place_center", "Wg2p", NULL};
static const char *const pim_params[] = {"spacing", "angle", "num_place", NULL};
static const char *const pim_children[] = {"band_cell_x", "band_cell_y", "band_cell_z",
                                           "grid_cell", NULL};

static cn_status check_pim(const char *fn, const cn_hpim_params *p) {
  CN_TRY(hier_check_size(fn, "band_size", p->band_size, 46340));
  CN_TRY(hier_check_size(fn, "grid_num", p->grid_num, 128));
  const cn_named_value t[] = {
      {"spacing", p->spacing, true},     {"angle", p->angle, false},
      {"band_noise", p->band_noise, false}, {"band_w_L2S", p->band_w_L2S, false},
      {"band_w_S2L", p->band_w_S2L, false}, {"band_gain", p->band_gain, false},
      {"grid_tau", p->grid_tau, true},   {"grid_tau_v", p->grid_tau_v, true},
      {"grid_k", p->grid_k, false},      {"grid_a", p->grid_a, true},
      {"grid_A", p->grid_A, false},      {"grid_J0", p->grid_J0, false},
      {"grid_mbar", p->grid_mbar, false}, {"gauss_tau", p->gauss_tau, true},
      {"gauss_J0", p->gauss_J0, false},  {"gauss_k", p->gauss_k, false},
      {"gauss_a", p->gauss_a, true},     {"nonrec_tau", p->nonrec_tau, true}};
  return cn_check_named_values(fn, t, sizeof t / sizeof t[0]);
}

/* Build a module (not yet a cn_model). */
static cn_status pim_build(hier_pim **out, const cn_hpim_params *p, const cn_array *pc) {
  hier_pim *h = calloc(1, sizeof *h);
  *out = h;
  if (!h) return cn_error(CN_ENOMEM, "HierarchicalPathIntegrationModel: out of memory");
  h->p = *p;
  h->P = pc->shape[0];
  h->N = p->grid_num * p->grid_num;
  cn_band_params bp = {p->angle, p->spacing, p->band_size, -M_PI, M_PI, p->band_noise,
                       p->band_w_L2S, p->band_w_S2L, p->band_gain, p->gauss_tau, p->gauss_J0,
                       p->gauss_k, p->gauss_a, p->nonrec_tau, p->method};
  CN_TRY(cn_band_cell_new(&h->bx, &bp));
  bp.angle = p->angle + M_PI / 3;
  CN_TRY(cn_band_cell_new(&h->by, &bp));
  bp.angle = p->angle + M_PI / 3 * 2;
  CN_TRY(cn_band_cell_new(&h->bz, &bp));
  cn_hgrid_params gp = {p->grid_num, p->angle,  p->spacing, p->grid_tau, p->grid_tau_v,
                        p->grid_k,   p->grid_a, p->grid_A,  p->grid_J0,  p->grid_mbar,
                        p->method};
  CN_TRY(cn_hier_grid_cell_new(&h->grid, &gp));
  CN_TRY(cn_array_astype(&h->place_center, pc, CN_FLOAT32));
  int64_t pn[2] = {h->P, h->N};
  CN_TRY(cn_array_empty(&h->Wg2p, CN_FLOAT32, 2, pn));
  CN_TRY(cn_array_zeros(&h->grid_output, CN_FLOAT32, 1, &h->P));
  h->gin = malloc((size_t)h->N * sizeof(float));
  if (!h->gin) return cn_error(CN_ENOMEM, "HierarchicalPathIntegrationModel: out of memory");
  const float *c = cn_f32(h->place_center);
  float *W = cn_f32(h->Wg2p);
  for (int64_t i = 0; i < h->P; i++) {
    float ph[2] = {hier_postophase1(c + 2 * i, B(h->bx)->proj_k),
                   hier_postophase1(c + 2 * i, B(h->by)->proj_k)};
    get_input(h, ph, 1.0f, W + i * h->N);
  }
  if (G(h->grid)->fft) { /* the fast method: the sparse product */
    h->WgT = malloc((size_t)h->P * (size_t)h->N * sizeof(float));
    if (!h->WgT) return cn_error(CN_ENOMEM, "HierarchicalPathIntegrationModel: out of memory");
    for (int64_t i = 0; i < h->P; i++)
      for (int64_t q = 0; q < h->N; q++) h->WgT[q * h->P + i] = W[i * h->N + q];
  }
  return CN_OK;
}

static cn_status check_place(const char *fn, const cn_array *pc) {
  if (!pc)
    return cn_error(CN_EINVAL, "%s: argument 'place_center' (a (P, 2) array of place-field "
                    "centres) is required", fn);
  if (pc->ndim != 2 || pc->shape[1] != 2 || pc->shape[0] < 1 ||
      (pc->dtype != CN_FLOAT32 && pc->dtype != CN_FLOAT64))
    return cn_error(CN_EINVAL, "%s: argument 'place_center' must be a float (P, 2) array with "
                    "P >= 1, got %d-d %s", fn, pc->ndim, cn_dtype_name(pc->dtype));
  for (int64_t i = 0; i < pc->size; i++)
    if (!isfinite(cn_array_getd(pc, i)))
      return cn_error(CN_EINVAL, "%s: argument 'place_center' must be finite, got %g at %lld",
                      fn, cn_fabs_nan(cn_array_getd(pc, i)), (long long)i);
  return CN_OK;
}

static const cn_model_input step_in[3] = {{"velocity", 1, {2}, 2, false, 0},
                                          {"loc", 1, {2}, 2, false, 0},
                                          {"loc_input_stre", 0, {0}, 1, true, 0}};

cn_status cn_hpim_new(cn_model **out, const cn_hpim_params *p, const cn_array *pc) {
  const char *fn = "HierarchicalPathIntegrationModel";
  *out = NULL;
  CN_TRY(check_pim(fn, p));
  CN_TRY(check_place(fn, pc));
  hier_pim *h;
  cn_status s = pim_build(&h, p, pc);
  if (s != CN_OK) {
    pim_free(h);
    return s;
  }
  s = cn_theta_model_finish(s, out, &hier_pim_vt, h, 3, step_in, pim_states, pim_params);
  if (s == CN_OK) (*out)->children = pim_children;
  return s;
}

cn_status cn_hpim_get_input(const cn_model *m, const float phase[2], float *out) {
  if (!hier_is(m, "HierarchicalPathIntegrationModel"))
    return cn_error(CN_EINVAL, "get_input: the model must be a HierarchicalPathIntegrationModel");
  get_input(m->impl, phase, 1.0f, out);
  return CN_OK;
}

/* --- HierarchicalNetwork ------------------------------------------------ */

typedef struct hier_net {
  cn_hnet_params p;
  int64_t K, P, N, S;
  cn_model **mods;
  cn_array *place_center, *spacing, *place_fr, *grid_fr, *band_x_fr, *band_y_fr, *decoded;
  float *g;
  bool parallel;
  char (*names)[32];
  const char **child_names;
} hier_net;

void cn_hnet_params_init(cn_hnet_params *p) {
  p->num_module = 5;
  p->num_place = 30;
  p->spacing_min = 2.0;
  p->spacing_max = 5.0;
  p->module_angle = 0.0;
  cn_hpim_params_init(&p->mod);
}

static hier_pim *PIM(const hier_net *n, int64_t i) { return n->mods[i]->impl; }

static cn_status net_step_inputs(cn_model *m, const cn_array *const *in) {
  hier_net *n = m->impl;
  CN_TRY(check_step("HierarchicalNetwork", in));
  const float *vel = cn_f32(in[0]), *loc = cn_f32(in[1]), stre = cn_f32(in[2])[0];
  for (int64_t i = 0; i < n->K; i++) CN_TRY(hier_pim_draw(PIM(n, i)));
  if (n->parallel) {
#pragma omp parallel num_threads(cn_threads_for(n->K * 1000000))
    {
      cn_ftz_state fz = cn_ftz_begin();
#pragma omp for schedule(dynamic, 1)
      for (int64_t i = 0; i < n->K; i++) {
        hier_pim_step_sheet(PIM(n, i), vel, loc, stre);
        hier_pim_step_output(PIM(n, i));
      }
      cn_ftz_end(fz);
    }
  } else {
    for (int64_t i = 0; i < n->K; i++) {
      hier_pim_step_sheet(PIM(n, i), vel, loc, stre);
      hier_pim_step_output(PIM(n, i));
    }
  }
  int64_t P = n->P, N = n->N, S = n->S;
  float *g = n->g;
  memset(g, 0, (size_t)P * sizeof(float));
  for (int64_t i = 0; i < n->K; i++) {
    hier_pim *h = PIM(n, i);
    memcpy(cn_f32(n->grid_fr) + i * N, cn_f32(G(h->grid)->r), (size_t)N * sizeof(float));
    memcpy(cn_f32(n->band_x_fr) + i * S, cn_f32(((hier_gru *)B(h->bx)->band->impl)->r),
           (size_t)S * sizeof(float));
    memcpy(cn_f32(n->band_y_fr) + i * S, cn_f32(((hier_gru *)B(h->by)->band->impl)->r),
           (size_t)S * sizeof(float));
    const float *go = cn_f32(h->grid_output);
    for (int64_t p = 0; p < P; p++) g[p] = g[p] + go[p];
  }
  float mx = -INFINITY;
  for (int64_t p = 0; p < P; p++) {
    if (!(g[p] > 0)) g[p] = 0;
    if (g[p] > mx) mx = g[p];
  }
  float half = mx / 2, su = 0, sx = 0, sy = 0, s2 = 0;
  const float *pc = cn_f32(n->place_center);
  for (int64_t p = 0; p < P; p++) {
    float up = g[p] > half ? g[p] - half : 0.0f;
    g[p] = up;
    su += up;
    sx += pc[2 * p] * up;
    sy += pc[2 * p + 1] * up;
    s2 += up * up;
  }
  float den = 1e-5f + su, *dp = cn_f32(n->decoded), *fr = cn_f32(n->place_fr);
  dp[0] = sx / den;
  dp[1] = sy / den;
  for (int64_t p = 0; p < P; p++) fr[p] = (g[p] * g[p]) / (1.0f + s2);
  return CN_OK;
}

static cn_status net_reset(cn_model *m) {
  hier_net *n = m->impl;
  for (int64_t i = 0; i < n->K; i++) CN_TRY(cn_model_reset(n->mods[i]));
  cn_array *z[] = {n->place_fr, n->grid_fr, n->band_x_fr, n->band_y_fr, n->decoded};
  return cn_zero_arrays(z, 5);
}

static cn_array *net_state(cn_model *m, const char *name) {
  hier_net *n = m->impl;
  const cn_named_array t[] = {{"place_fr", n->place_fr},    {"grid_fr", n->grid_fr},
                              {"band_x_fr", n->band_x_fr},  {"band_y_fr", n->band_y_fr},
                              {"decoded_pos", n->decoded},  {"place_center", n->place_center},
                              {"spacing", n->spacing}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_model *net_child(cn_model *m, const char *name) {
  hier_net *n = m->impl;
  for (int64_t i = 0; i < n->K; i++)
    if (strcmp(name, n->names[i]) == 0) return n->mods[i];
  return NULL;
}

static cn_status net_param(cn_model *m, const char *name, double *out) {
  hier_net *n = m->impl;
  const cn_param_value t[] = {{"num_module", (double)n->K}, {"num_place", (double)n->P},
                              {"spacing_min", n->p.spacing_min},
                              {"spacing_max", n->p.spacing_max},
                              {"module_angle", n->p.module_angle}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void net_destroy(cn_model *m) {
  hier_net *n = m->impl;
  if (!n) return;
  for (int64_t i = 0; n->mods && i < n->K; i++) cn_model_release(n->mods[i]);
  free(n->mods);
  cn_array *all[] = {n->place_center, n->spacing, n->place_fr, n->grid_fr,
                     n->band_x_fr,    n->band_y_fr, n->decoded};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  free(n->g);
  free(n->names);
  free(n->child_names);
  free(n);
}

const cn_model_vtable hier_net_vt = {"HierarchicalNetwork", NULL, net_reset, net_state,
                                     net_param, NULL, net_destroy, net_step_inputs, net_child};

static const char *const net_states[] = {"place_fr",    "grid_fr",      "band_x_fr", "band_y_fr",
                                         "decoded_pos", "place_center", "spacing",   NULL};
static const char *const net_params[] = {"num_module", "num_place", "spacing_min",
                                         "spacing_max", "module_angle", NULL};

static cn_status net_build(hier_net *n) {
  const cn_hnet_params *p = &n->p;
  int64_t K = n->K, np = p->num_place, P = np * np, two = 2;
  n->P = P;
  n->N = p->mod.grid_num * p->mod.grid_num;
  n->S = p->mod.band_size;
  cn_array *xs;
  CN_TRY(cn_linspace(&xs, 0.0, 5.0, np, true, CN_FLOAT32));
  cn_status s = cn_array_empty(&n->place_center, CN_FLOAT32, 2, (int64_t[]){P, 2});
  for (int64_t i = 0; s == CN_OK && i < P; i++) {
    cn_f32(n->place_center)[2 * i] = cn_f32(xs)[i % np];
    cn_f32(n->place_center)[2 * i + 1] = cn_f32(xs)[i / np];
  }
  cn_array_release(xs);
  CN_TRY(s);
  CN_TRY(cn_linspace(&n->spacing, p->spacing_min, p->spacing_max, K, true, CN_FLOAT32));
  n->mods = calloc((size_t)K, sizeof *n->mods);
  n->names = calloc((size_t)K, sizeof *n->names);
  n->child_names = calloc((size_t)K + 1, sizeof *n->child_names);
  n->g = malloc((size_t)P * sizeof(float));
  if (!n->mods || !n->names || !n->child_names || !n->g)
    return cn_error(CN_ENOMEM, "HierarchicalNetwork: out of memory");
  cn_hpim_params mp = p->mod;
  mp.angle = p->module_angle;
  n->parallel = true;
  for (int64_t i = 0; i < K; i++) {
    mp.spacing = cn_f32(n->spacing)[i];
    CN_TRY(cn_hpim_new(&n->mods[i], &mp, n->place_center));
    snprintf(n->names[i], sizeof n->names[i], "module%lld", (long long)(i + 1));
    n->child_names[i] = n->names[i];
    hier_pim *h = PIM(n, i);
    cn_model *parts[] = {h->bx, h->by, h->bz};
    for (int j = 0; j < 3; j++) {
      hier_band *b = B(parts[j]);
      if (!b->ring_l.fft || !((hier_gru *)b->band->impl)->ring.fft) n->parallel = false;
    }
    if (!G(h->grid)->fft) n->parallel = false;
  }
  int64_t kn[2] = {K, n->N}, ks[2] = {K, n->S};
  CN_TRY(cn_array_zeros(&n->place_fr, CN_FLOAT32, 1, &P));
  CN_TRY(cn_array_zeros(&n->grid_fr, CN_FLOAT32, 2, kn));
  CN_TRY(cn_array_zeros(&n->band_x_fr, CN_FLOAT32, 2, ks));
  CN_TRY(cn_array_zeros(&n->band_y_fr, CN_FLOAT32, 2, ks));
  return cn_array_zeros(&n->decoded, CN_FLOAT32, 1, &two);
}

cn_status cn_hierarchical_network_new(cn_model **out, const cn_hnet_params *p) {
  const char *fn = "HierarchicalNetwork";
  *out = NULL;
  CN_TRY(hier_check_size(fn, "num_module", p->num_module, 1000));
  CN_TRY(hier_check_size(fn, "num_place", p->num_place, 1000));
  const cn_named_value t[] = {{"spacing_min", p->spacing_min, true},
                              {"spacing_max", p->spacing_max, true},
                              {"module_angle", p->module_angle, false}};
  CN_TRY(cn_check_named_values(fn, t, sizeof t / sizeof t[0]));
  cn_hpim_params mp = p->mod;
  mp.spacing = p->spacing_min;
  CN_TRY(check_pim(fn, &mp));
  hier_net *n = calloc(1, sizeof *n);
  if (!n) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  n->p = *p;
  n->K = p->num_module;
  cn_status s = net_build(n);
  s = cn_theta_model_finish(s, out, &hier_net_vt, n, 3, step_in, net_states, net_params);
  if (s == CN_OK) (*out)->children = n->child_names;
  return s;
}
