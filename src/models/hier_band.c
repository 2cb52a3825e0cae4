/* canns — BandCell (upstream `hierarchical_model.BandCell`): a ring
 * attractor (GaussRecUnits "band_cells") whose bump two velocity-gated
 * shifter rings (NonRecUnits "left", "right") push along one direction, so
 * the bump's phase integrates the velocity component along
 * proj_k = (cos(angle - pi/2), sin(angle - pi/2)) 2 pi / spacing.
 *
 * One step with velocity v, location loc and location-input strength s:
 *   loc_input = s exp(-0.25 (dist(Postophase(loc) - x)/a)^2)  (0 when s = 0)
 *   v_phi = v . proj_k;  center_ideal = map2pi(center_ideal + v_phi dt)
 *   left.update(w_L2S band.r), right.update(w_L2S band.r)   (old band.r)
 *   left.r *= gain + v_phi;  right.r *= gain - v_phi
 *   band.update(left.r W_L + right.r W_R + loc_input)
 *   center = angle(sum exp(i x) band.r)
 * with W_L[i][j] = w_S2L G(dist(x_i - x_j + shift)), W_R the same with
 * -shift, shift = 0.76 pi / 9 and G the normalised Gaussian of width
 * gauss_a. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "models/hier_internal.h"
#include "models/theta_common.h"

void cn_band_params_init(cn_band_params *p) {
  *p = (cn_band_params){0.0, 1.0, 180, -M_PI, M_PI, 2.0, 0.2, 1.0, 0.2, 1.0, 1.1, 5e-4,
                        2.0 / 9.0 * M_PI, 0.1, CN_GC_AUTO};
}

static hier_gru *band_ring(const hier_band *b) { return b->band->impl; }

static void stimulus(const hier_band *b, const float pos[2], float stre, float *out) {
  const float *x = cn_f32(b->x);
  float ph = hier_postophase1(pos, b->proj_k);
  for (int64_t i = 0; i < b->N; i++) {
    float q = hier_ring_dist(ph - x[i], b->zr, b->hzr) / b->a;
    out[i] = expf(-0.25f * (q * q)) * stre;
  }
}

cn_status hier_band_draw(hier_band *b) {
  CN_TRY(hier_nru_draw(b->left->impl));
  return hier_nru_draw(b->right->impl);
}

void hier_band_step(hier_band *b, const float vel[2], const float loc[2], float stre) {
  int64_t N = b->N;
  hier_gru *g = band_ring(b);
  hier_nru *l = b->left->impl, *r = b->right->impl;
  float *bin = b->bin, *tmp = b->tmp;
  float v_phi = vel[0] * b->proj_k[0] + vel[1] * b->proj_k[1];
  float dt = (float)cn_get_dt();
  float *ci = cn_f32(b->center_ideal);
  ci[0] = hier_wrap(ci[0] + v_phi * dt);
  const float *out = cn_f32(g->r), w = (float)b->p.w_L2S;
  for (int64_t i = 0; i < N; i++) tmp[i] = w * out[i];
  hier_nru_step(l, tmp);
  hier_nru_step(r, tmp);
  float *lr = cn_f32(l->r), *rr = cn_f32(r->r), gain = (float)b->p.gain;
  for (int64_t i = 0; i < N; i++) {
    lr[i] = (gain + v_phi) * lr[i];
    rr[i] = (gain - v_phi) * rr[i];
  }
  hier_ring_apply(&b->ring_l, lr, bin);
  hier_ring_apply(&b->ring_r, rr, tmp);
  for (int64_t i = 0; i < N; i++) bin[i] = bin[i] + tmp[i];
  if (stre != 0) {
    stimulus(b, loc, stre, tmp);
    for (int64_t i = 0; i < N; i++) bin[i] = bin[i] + tmp[i];
  }
  hier_gru_step(g, bin);
  const float *br = cn_f32(g->r);
  float re = 0, im = 0;
  for (int64_t i = 0; i < N; i++) {
    re += g->cx[i] * br[i];
    im += g->sx[i] * br[i];
  }
  cn_f32(b->center)[0] = atan2f(im, re);
}

static cn_status check_finite3(const char *fn, const float *v, const char *const *names, int n) {
  for (int i = 0; i < n; i++)
    if (!isfinite(v[i]))
      return cn_error(CN_EINVAL, "%s.update: '%s' must be finite, got %g", fn, names[i],
                      cn_fabs_nan(v[i]));
  return CN_OK;
}

static cn_status band_step_inputs(cn_model *m, const cn_array *const *in) {
  hier_band *b = m->impl;
  const float *vel = cn_f32(in[0]), *loc = cn_f32(in[1]), stre = cn_f32(in[2])[0];
  const float v[5] = {vel[0], vel[1], loc[0], loc[1], stre};
  static const char *const names[] = {"velocity", "velocity", "loc", "loc", "loc_input_stre"};
  CN_TRY(check_finite3("BandCell", v, names, 5));
  hier_nru *l = b->left->impl, *r = b->right->impl;
  if (!l->drawn) CN_TRY(hier_nru_draw(l));
  if (!r->drawn) CN_TRY(hier_nru_draw(r));
  hier_band_step(b, vel, loc, stre);
  return CN_OK;
}

static cn_status band_reset(cn_model *m) {
  hier_band *b = m->impl;
  CN_TRY(cn_model_reset(b->band));
  CN_TRY(cn_model_reset(b->left));
  CN_TRY(cn_model_reset(b->right));
  cn_array *z[] = {b->center, b->center_ideal};
  return cn_zero_arrays(z, 2);
}

static cn_array *band_state(cn_model *m, const char *name) {
  hier_band *b = m->impl;
  const cn_named_array t[] = {{"center", b->center},     {"center_ideal", b->center_ideal},
                              {"x", b->x},               {"W_PENl2EPG", b->W_L},
                              {"W_PENr2EPG", b->W_R}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_model *band_child(cn_model *m, const char *name) {
  hier_band *b = m->impl;
  if (strcmp(name, "band_cells") == 0) return b->band;
  if (strcmp(name, "left") == 0) return b->left;
  if (strcmp(name, "right") == 0) return b->right;
  return NULL;
}

static cn_status band_param(cn_model *m, const char *name, double *out) {
  hier_band *b = m->impl;
  const cn_band_params *p = &b->p;
  double zr = p->z_max - p->z_min;
  const cn_param_value t[] = {
      {"angle", p->angle},         {"spacing", p->spacing},     {"size", (double)p->size},
      {"z_min", p->z_min},         {"z_max", p->z_max},         {"z_range", zr},
      {"rho", (double)p->size / zr}, {"dx", zr / (double)p->size}, {"w_L2S", p->w_L2S},
      {"w_S2L", p->w_S2L},         {"gain", p->gain},           {"phase_shift", 0.76 * M_PI / 9},
      {"proj_k_x", b->proj_k[0]},  {"proj_k_y", b->proj_k[1]}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void band_destroy(cn_model *m) {
  hier_band *b = m->impl;
  if (!b) return;
  cn_model_release(b->band);
  cn_model_release(b->left);
  cn_model_release(b->right);
  cn_array *all[] = {b->W_L, b->W_R, b->center_ideal, b->center, b->x};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  hier_ring_free(&b->ring_l);
  hier_ring_free(&b->ring_r);
  free(b->tmp);
  free(b->bin);
  free(b);
}

const cn_model_vtable hier_band_vt = {"BandCell", NULL, band_reset, band_state, band_param,
                                      NULL, band_destroy, band_step_inputs, band_child};

static const char *const band_states[] = {"center", "center_ideal", "x", "W_PENl2EPG",
                                          "W_PENr2EPG", NULL};
static const char *const band_params[] = {"angle", "spacing", "size", "z_min", "z_max",
                                          "z_range", "rho", "dx", "w_L2S", "w_S2L", "gain",
                                          "phase_shift", "proj_k_x", "proj_k_y", NULL};
static const char *const band_children[] = {"band_cells", "left", "right", NULL};

static void fill_shift(const hier_band *b, float shift, float *W) {
  const float *x = cn_f32(b->x);
  float w = (float)b->p.w_S2L;
  for (int64_t i = 0; i < b->N; i++)
    for (int64_t j = 0; j < b->N; j++)
      W[i * b->N + j] = w * hier_gauss(hier_ring_dist((x[i] - x[j]) + shift, b->zr, b->hzr), b->a);
}

static cn_status band_build(hier_band *b) {
  const cn_band_params *p = &b->p;
  int64_t N = b->N, nn[2] = {N, N}, one = 1;
  cn_gru_params gp = {N, p->gauss_tau, p->gauss_J0, p->gauss_k, p->gauss_a, p->z_min, p->z_max,
                      p->noise, p->method};
  cn_nru_params np = {N, p->nonrec_tau, p->z_min, p->z_max, p->noise};
  CN_TRY(cn_gauss_rec_units_new(&b->band, &gp));
  CN_TRY(cn_non_rec_units_new(&b->left, &np));
  CN_TRY(cn_non_rec_units_new(&b->right, &np));
  CN_TRY(cn_array_copy(&b->x, band_ring(b)->x));
  CN_TRY(cn_array_empty(&b->W_L, CN_FLOAT32, 2, nn));
  CN_TRY(cn_array_empty(&b->W_R, CN_FLOAT32, 2, nn));
  float shift = (float)(1.0 / 9.0 * M_PI * 0.76);
  fill_shift(b, shift, cn_f32(b->W_L));
  fill_shift(b, -shift, cn_f32(b->W_R));
  CN_TRY(cn_array_zeros(&b->center_ideal, CN_FLOAT32, 1, &one));
  CN_TRY(cn_array_zeros(&b->center, CN_FLOAT32, 1, &one));
  b->tmp = malloc((size_t)N * sizeof(float));
  b->bin = malloc((size_t)N * sizeof(float));
  if (!b->tmp || !b->bin) return cn_error(CN_ENOMEM, "BandCell: out of memory");
  bool fft = band_ring(b)->ring.fft != NULL;
  CN_TRY(hier_ring_init(&b->ring_l, N, cn_f32(b->W_L), true, fft));
  return hier_ring_init(&b->ring_r, N, cn_f32(b->W_R), true, fft);
}

cn_status cn_band_cell_new(cn_model **out, const cn_band_params *p) {
  const char *fn = "BandCell";
  *out = NULL;
  CN_TRY(hier_check_size(fn, "size", p->size, 46340));
  const cn_named_value t[] = {
      {"angle", p->angle, false},       {"spacing", p->spacing, false},
      {"z_min", p->z_min, false},       {"z_max", p->z_max, false},
      {"noise", p->noise, false},       {"w_L2S", p->w_L2S, false},
      {"w_S2L", p->w_S2L, false},       {"gain", p->gain, false},
      {"gauss_tau", p->gauss_tau, true}, {"gauss_J0", p->gauss_J0, false},
      {"gauss_k", p->gauss_k, false},   {"gauss_a", p->gauss_a, true},
      {"nonrec_tau", p->nonrec_tau, true}};
  CN_TRY(cn_check_named_values(fn, t, sizeof t / sizeof t[0]));
  if (p->spacing == 0) return cn_error(CN_EINVAL, "%s: argument 'spacing' must not be 0", fn);
  hier_band *b = calloc(1, sizeof *b);
  if (!b) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  b->p = *p;
  b->N = p->size;
  b->zr = (float)(p->z_max - p->z_min);
  b->hzr = (float)(0.5 * (p->z_max - p->z_min));
  b->a = (float)p->gauss_a;
  float c = cosf((float)(p->angle - M_PI / 2)), s = sinf((float)(p->angle - M_PI / 2));
  float pi = (float)M_PI, sp = (float)p->spacing;
  b->proj_k[0] = ((c * 2.0f) * pi) / sp;
  b->proj_k[1] = ((s * 2.0f) * pi) / sp;
  cn_status st = band_build(b);
  const cn_model_input in[3] = {{"velocity", 1, {2}, 2, false, 0},
                                {"loc", 1, {2}, 2, false, 0},
                                {"loc_input_stre", 0, {0}, 1, true, 0}};
  st = cn_theta_model_finish(st, out, &hier_band_vt, b, 3, in, band_states, band_params);
  if (st == CN_OK) (*out)->children = band_children;
  return st;
}

/* --- methods ------------------------------------------------------------- */

cn_status cn_band_stimulus(const cn_model *m, const float pos[2], float *out) {
  if (!hier_is(m, "BandCell"))
    return cn_error(CN_EINVAL, "get_stimulus_by_pos: the model must be a BandCell");
  if (!isfinite(pos[0]) || !isfinite(pos[1]))
    return cn_error(CN_EINVAL, "get_stimulus_by_pos: argument 'pos' must be finite, got (%g, %g)",
                    cn_fabs_nan(pos[0]), cn_fabs_nan(pos[1]));
  stimulus(m->impl, pos, 1.0f, out);
  return CN_OK;
}

cn_status cn_band_move_heading(cn_model *m, int64_t shift) {
  if (!hier_is(m, "BandCell"))
    return cn_error(CN_EINVAL, "move_heading: the model must be a BandCell");
  hier_band *b = m->impl;
  hier_gru *g = band_ring(b);
  int64_t N = b->N, k = ((shift % N) + N) % N;
  float *a[2] = {cn_f32(g->r), cn_f32(g->u)};
  for (int t = 0; t < 2; t++) { /* numpy roll: out[(i + k) % N] = in[i] */
    memcpy(b->tmp, a[t], (size_t)N * sizeof(float));
    for (int64_t i = 0; i < N; i++) a[t][(i + k) % N] = b->tmp[i];
  }
  return CN_OK;
}

cn_status cn_band_reset_shifters(cn_model *m) {
  if (!hier_is(m, "BandCell")) return cn_error(CN_EINVAL, "reset: the model must be a BandCell");
  hier_band *b = m->impl;
  cn_array_fill(((hier_nru *)b->left->impl)->u, 0);
  cn_array_fill(((hier_nru *)b->right->impl)->u, 0);
  return CN_OK;
}
