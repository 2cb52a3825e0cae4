/* canns — GridCellNetwork: the twisted-torus grid module of the theta-sweep
 * model (upstream `canns.models.basic.theta_sweep_model.GridCellNetwork`,
 * after Ji et al., Current Biology 2025).
 *
 * num_gc_x^2 neurons on the twisted torus of models/twisted_torus.h;
 * conn[p][q] = (J0/g) exp(-0.5 (hex_dist(vg_p - vg_q)/a)^2) / (sqrt(2 pi) a).
 * One step with animal position pos, direction-cell rates d (num_dc) and
 * theta gain th:
 *   (center_phase, center_position, gc_bump) = unique bump of the old r;
 *   conj_input = th sum_i w_i A exp(-0.5 (hex_dist(c_i - vg)/a)^2), with
 *     c_i = position2phase(pos + phase_offset (cos b_i, sin b_i)),
 *     b = linspace(-pi, pi, num_dc) (end point included, as upstream) and
 *     w = d where d > max(d)/3, else 0, over (sum + 1e-12);
 *   I = conn r + conj_input + noise_strength N(0, 1);
 *   (u, v) by exponential Euler (models/theta_common.h).
 * The kernel depends only on the lag between neurons, so conn r is one
 * circular convolution on the L x L torus (models/torusconv.h, the "fft"
 * method) instead of the dense N x N product ("dense", the reference). */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/random.h"
#include "canns/theta.h"
#include "core/internal.h"
#include "models/blas1.h"
#include "models/theta_common.h"
#include "models/torusconv.h"
#include "models/twisted_torus.h"

#define DENSE_MAX_BYTES ((int64_t)4 << 30)
/* "auto": the dense product up to this many neurons, the FFT above */
#define AUTO_DENSE_MAX_NUM 1024

typedef struct gcn {
  cn_gcn_params p;
  int64_t L, N, D;
  cn_gc_method method;
  cn_ttorus tt;
  cn_adapt_consts c;
  float *offset;                 /* (D, 2): phase_offset (cos b_i, sin b_i) */
  cn_array *conn;                /* dense method */
  cn_torusconv *tc;              /* fft method: one kernel per wrap class */
  cn_array *r, *u, *v, *gc_bump, *conj_input, *center_phase, *center_position, *noise;
  float *tot, *irec, *cphase, *w;  /* scratch */
  int64_t *active;
} gcn;

static const char *const gcn_states[] = {
    "r", "u", "v", "gc_bump", "conj_input", "center_phase", "center_position", "x_grid",
    "y_grid", "value_grid", "value_bump", "candidate_centers", "coor_transform",
    "coor_transform_inv", "conn_mat", NULL};
static const char *const gcn_param_names[] = {
    "num", "num_dc", "num_gc_1side", "tau", "tau_v", "noise_strength", "conn_noise", "k",
    "adaptation_strength", "a", "A", "J0", "g", "mapping_ratio", "phase_offset", "m", "Lambda",
    NULL};

void cn_gcn_params_init(cn_gcn_params *p) {
  *p = (cn_gcn_params){100, 100, 10.0, 100.0, 0.1, 0.0, 1.0, 15.0, 0.8, 3.0, 5.0, 1000.0,
                       1.0, 1.0 / 20, CN_GC_AUTO};
}

static void conj_input(const gcn *g, const float pos[2], const float *dir, float th, float *out,
                       float *cphase, float *w, int64_t *active) {
  int64_t D = g->D, N = g->N;
  float mx = -INFINITY;
  for (int64_t i = 0; i < D; i++) mx = dir[i] > mx ? dir[i] : mx;
  float thr = mx / 3.0f, sum = 0;
  for (int64_t i = 0; i < D; i++) {
    w[i] = dir[i] > thr ? dir[i] : 0.0f;
    sum += w[i];
  }
  float den = sum + 1e-12f;
  int64_t na = 0;
  for (int64_t i = 0; i < D; i++) {
    w[i] = w[i] / den;
    if (w[i] != 0) {
      float q[2] = {pos[0] + g->offset[2 * i], pos[1] + g->offset[2 * i + 1]};
      cn_ttorus_position2phase(&g->tt, q, 1, cphase + 2 * na);
      active[na++] = i;
    }
  }
  const float *vg = cn_f32(g->tt.value_grid);
  float A = (float)g->p.A, a = (float)g->p.a;
  /* per neuron the rows are summed in one order: the same bits on any thread count */
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(N * na * 8))
  for (int64_t n = 0; n < N; n++) {
    float acc = 0;
    for (int64_t k = 0; k < na; k++) {
      float d = cn_ttorus_dist(&g->tt, cphase[2 * k] - vg[2 * n], cphase[2 * k + 1] - vg[2 * n + 1]) / a;
      acc += (A * expf(-0.5f * (d * d))) * w[active[k]];
    }
    out[n] = acc * th;
  }
}

cn_status cn_gcn_conj_input(const cn_model *m, const float pos[2], const float *dir_act,
                            float theta_mod, float *out) {
  const gcn *g = m->impl;
  float *cp = malloc((size_t)(2 * g->D) * sizeof *cp), *w = malloc((size_t)g->D * sizeof *w);
  int64_t *act = malloc((size_t)g->D * sizeof *act);
  cn_status s = cp && w && act ? CN_OK : cn_error(CN_ENOMEM, "calculate_input_from_conjgc: out of memory");
  if (s == CN_OK) conj_input(g, pos, dir_act, theta_mod, out, cp, w, act);
  free(cp);
  free(w);
  free(act);
  return s;
}

void cn_gcn_position2phase(const cn_model *m, const float *pos, int64_t K, float *phase) {
  cn_ttorus_position2phase(&((const gcn *)m->impl)->tt, pos, K, phase);
}

void cn_gcn_calculate_dist(const cn_model *m, const float *d, int64_t K, float *out) {
  const gcn *g = m->impl;
  for (int64_t k = 0; k < K; k++) out[k] = cn_ttorus_dist(&g->tt, d[2 * k], d[2 * k + 1]);
}

void cn_gcn_unique_bump(const cn_model *m, const float *act, const float pos[2],
                        float center_phase[2], float center_position[2], float *bump) {
  const gcn *g = m->impl;
  cn_ttorus_unique_bump(&g->tt, act, pos, (float)g->p.A, (float)g->p.a, center_phase,
                        center_position, bump);
}

static cn_status gcn_step_inputs(cn_model *m, const cn_array *const *in) {
  gcn *g = m->impl;
  const float *pos = cn_f32(in[0]), *dir = cn_f32(in[1]);
  float th = cn_f32(in[2])[0];
  if (!isfinite(pos[0]) || !isfinite(pos[1]) || !isfinite(th))
    return cn_error(CN_EINVAL,
                    "GridCellNetwork.update: animal_position and theta_modulation must be finite, "
                    "got (%g, %g) and %g", cn_fabs_nan(pos[0]), cn_fabs_nan(pos[1]),
                    cn_fabs_nan(th));
  for (int64_t i = 0; i < g->D; i++)
    if (!isfinite(dir[i]))
      return cn_error(CN_EINVAL, "GridCellNetwork.update: direction_activity[%lld] is %g",
                      (long long)i + 1, cn_fabs_nan(dir[i]));
  int64_t N = g->N;
  float *r = cn_f32(g->r);
  cn_ttorus_unique_bump(&g->tt, r, pos, (float)g->p.A, (float)g->p.a, cn_f32(g->center_phase),
                        cn_f32(g->center_position), cn_f32(g->gc_bump));
  float *cj = cn_f32(g->conj_input);
  conj_input(g, pos, dir, th, cj, g->cphase, g->w, g->active);
  if (g->method == CN_GC_DENSE) {
    int nb = cn_blas1_begin();
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)N, 1.0f, cn_f32(g->conn), (int)N, r,
                1, 0.0f, g->irec, 1);
    cn_blas1_end(nb);
  } else {
    cn_torusconv_apply_f32(g->tc, r, g->irec);
  }
  CN_TRY(cn_rng_normal(cn_rng_global(), g->noise, 0.0, 1.0));
  const float *nz = cn_f32(g->noise);
  float ns = (float)g->p.noise_strength;
  for (int64_t n = 0; n < N; n++) g->tot[n] = (g->irec[n] + cj[n]) + nz[n] * ns;
  cn_adapt_step(&g->c, N, (float)cn_get_dt(), g->tot, cn_f32(g->u), cn_f32(g->v), r);
  return CN_OK;
}

static cn_status gcn_reset(cn_model *m) {
  gcn *g = m->impl;
  cn_array *z[] = {g->r, g->u, g->v, g->gc_bump, g->conj_input, g->center_phase,
                   g->center_position};
  return cn_zero_arrays(z, sizeof z / sizeof z[0]);
}

static cn_array *gcn_state(cn_model *m, const char *name) {
  gcn *g = m->impl;
  const cn_named_array t[] = {
      {"r", g->r}, {"u", g->u}, {"v", g->v}, {"gc_bump", g->gc_bump},
      {"conj_input", g->conj_input}, {"center_phase", g->center_phase},
      {"center_position", g->center_position}, {"x_grid", g->tt.x_grid},
      {"y_grid", g->tt.y_grid}, {"value_grid", g->tt.value_grid},
      {"value_bump", g->tt.value_bump}, {"candidate_centers", g->tt.candidate_centers},
      {"coor_transform", g->tt.coor_transform},
      {"coor_transform_inv", g->tt.coor_transform_inv}, {"conn_mat", g->conn}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_status gcn_param(cn_model *m, const char *name, double *out) {
  gcn *g = m->impl;
  const cn_gcn_params *p = &g->p;
  const cn_param_value t[] = {
      {"num", (double)g->N}, {"num_dc", (double)p->num_dc},
      {"num_gc_1side", (double)p->num_gc_x}, {"tau", p->tau}, {"tau_v", p->tau_v},
      {"noise_strength", p->noise_strength}, {"conn_noise", p->conn_noise}, {"k", p->k},
      {"adaptation_strength", p->adaptation_strength}, {"a", p->a}, {"A", p->A},
      {"J0", p->J0}, {"g", p->g}, {"mapping_ratio", p->mapping_ratio},
      {"phase_offset", p->phase_offset}, {"m", p->adaptation_strength * p->tau / p->tau_v},
      {"Lambda", 2 * M_PI / p->mapping_ratio}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void gcn_destroy(cn_model *m) {
  gcn *g = m->impl;
  if (!g) return;
  cn_ttorus_free(&g->tt);
  cn_array *all[] = {g->conn, g->r, g->u, g->v, g->gc_bump, g->conj_input, g->center_phase,
                     g->center_position, g->noise};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  cn_torusconv_free(g->tc);
  free(g->offset);
  free(g->tot);
  free(g->irec);
  free(g->cphase);
  free(g->w);
  free(g->active);
  free(g);
}

static const cn_model_vtable gcn_vt = {"GridCellNetwork", NULL, gcn_reset, gcn_state,
                                       gcn_param, NULL, gcn_destroy, gcn_step_inputs, NULL};

bool cn_is_grid_cell_network(const cn_model *m) { return m && m->vt == &gcn_vt; }
cn_gc_method cn_gcn_method_used(const cn_model *m) { return ((gcn *)m->impl)->method; }
const cn_gcn_params *cn_gcn_get_params(const cn_model *m) { return &((gcn *)m->impl)->p; }

cn_status cn_gcn_make_connection(const cn_model *m, cn_array **out) {
  const gcn *g = m->impl;
  if (g->N * g->N * 4 > DENSE_MAX_BYTES)
    return cn_error(CN_ENOMEM, "GridCellNetwork.make_connection: a %lld x %lld matrix is too large",
                    (long long)g->N, (long long)g->N);
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 2, (int64_t[]){g->N, g->N}));
  cn_ttorus_kernel_dense(&g->tt, (float)(g->p.J0 / g->p.g), (float)g->p.a, cn_f32(*out));
  return CN_OK;
}

static cn_status check_params(const cn_gcn_params *p) {
  const char *fn = "GridCellNetwork";
  if (p->num_gc_x < 1 || p->num_gc_x > 46340)
    return cn_error(CN_EINVAL, "%s: argument 'num_gc_x' must be an integer in 1..46340, got %lld",
                    fn, (long long)p->num_gc_x);
  if (p->num_dc < 1 || p->num_dc > 1000000)
    return cn_error(CN_EINVAL, "%s: argument 'num_dc' must be an integer in 1..1000000, got %lld",
                    fn, (long long)p->num_dc);
  const cn_named_value t[] = {
      {"tau", p->tau, true}, {"tau_v", p->tau_v, true},
      {"noise_strength", p->noise_strength, false}, {"conn_noise", p->conn_noise, false},
      {"k", p->k, false}, {"adaptation_strength", p->adaptation_strength, false},
      {"a", p->a, true}, {"A", p->A, false}, {"J0", p->J0, false}, {"g", p->g, true},
      {"mapping_ratio", p->mapping_ratio, true}, {"phase_offset", p->phase_offset, false}};
  CN_TRY(cn_check_named_values(fn, t, sizeof t / sizeof t[0]));
  if (p->method < CN_GC_AUTO || p->method > CN_GC_FFT)
    return cn_error(CN_EINVAL, "%s: unknown method %d", fn, (int)p->method);
  if (p->method == CN_GC_FFT && p->conn_noise != 0)
    return cn_error(CN_EINVAL, "%s: method 'fft' needs conn_noise = 0 (a noisy matrix is not a "
                    "convolution), got conn_noise = %g", fn, p->conn_noise);
  return CN_OK;
}

static cn_status build(gcn *g) {
  int64_t N = g->N, D = g->D, nn[2] = {N, N}, two = 2;
  CN_TRY(cn_ttorus_build(&g->tt, g->L, g->p.mapping_ratio));
  float J = (float)(g->p.J0 / g->p.g), a = (float)g->p.a;
  if (g->method == CN_GC_DENSE) {
    if (N * N * 4 > DENSE_MAX_BYTES)
      return cn_error(CN_ENOMEM, "GridCellNetwork: method 'dense' needs a %lld x %lld matrix (%.1f GB)",
                      (long long)N, (long long)N, (double)N * (double)N * 4 / 1e9);
    CN_TRY(cn_array_empty(&g->conn, CN_FLOAT32, 2, nn));
    float *W = cn_f32(g->conn);
    cn_ttorus_kernel_dense(&g->tt, J, a, W);
    if (g->p.conn_noise != 0) {
      cn_array *nz;
      CN_TRY(cn_array_empty(&nz, CN_FLOAT32, 2, nn));
      cn_status s = cn_rng_normal(cn_rng_global(), nz, 0.0, g->p.conn_noise);
      for (int64_t i = 0; s == CN_OK && i < N * N; i++) W[i] = W[i] + cn_f32(nz)[i];
      cn_array_release(nz);
      CN_TRY(s);
    }
  } else {
    /* one kernel per wrap class (twisted_torus.h), so the FFT equals the dense
     * product to round-off for even sides too */
    cn_status s = cn_ttorus_conv_new(&g->tt, J, a, &g->tc);
    CN_TRY(s);
  }
  cn_array *b;
  CN_TRY(cn_linspace(&b, -M_PI, M_PI, D, true, CN_FLOAT32));
  g->offset = malloc((size_t)(2 * D) * sizeof(float));
  if (g->offset) {
    float po = (float)g->p.phase_offset;
    for (int64_t i = 0; i < D; i++) {
      g->offset[2 * i] = cosf(cn_f32(b)[i]) * po;
      g->offset[2 * i + 1] = sinf(cn_f32(b)[i]) * po;
    }
  }
  cn_array_release(b);
  cn_array **z[] = {&g->r, &g->u, &g->v, &g->gc_bump, &g->conj_input, &g->noise};
  for (size_t i = 0; i < sizeof z / sizeof z[0]; i++) CN_TRY(cn_array_zeros(z[i], CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->center_phase, CN_FLOAT32, 1, &two));
  CN_TRY(cn_array_zeros(&g->center_position, CN_FLOAT32, 1, &two));
  g->tot = malloc((size_t)N * sizeof(float));
  g->irec = malloc((size_t)N * sizeof(float));
  g->cphase = malloc((size_t)(2 * D) * sizeof(float));
  g->w = malloc((size_t)D * sizeof(float));
  g->active = malloc((size_t)D * sizeof(int64_t));
  if (!g->offset || !g->tot || !g->irec || !g->cphase || !g->w || !g->active)
    return cn_error(CN_ENOMEM, "GridCellNetwork: out of memory");
  return CN_OK;
}

cn_status cn_grid_cell_network_new(cn_model **out, const cn_gcn_params *p) {
  *out = NULL;
  CN_TRY(check_params(p));
  gcn *g = calloc(1, sizeof *g);
  if (!g) return cn_error(CN_ENOMEM, "GridCellNetwork: out of memory");
  g->p = *p;
  g->L = p->num_gc_x;
  g->N = p->num_gc_x * p->num_gc_x;
  g->D = p->num_dc;
  g->method = p->method;
  if (g->method == CN_GC_AUTO)
    g->method = (g->N <= AUTO_DENSE_MAX_NUM || p->conn_noise != 0) ? CN_GC_DENSE : CN_GC_FFT;
  g->c = (cn_adapt_consts){(float)p->tau, (float)p->tau_v,
                           (float)(p->adaptation_strength * p->tau / p->tau_v), (float)p->k,
                           (float)p->g};
  cn_status s = build(g);
  const cn_model_input in[3] = {{"animal_position", 1, {2}, 2, false, 0},
                                {"direction_activity", 1, {p->num_dc}, p->num_dc, false, 0},
                                {"theta_modulation", 0, {0}, 1, false, 0}};
  return cn_theta_model_finish(s, out, &gcn_vt, g, 3, in, gcn_states, gcn_param_names);
}
