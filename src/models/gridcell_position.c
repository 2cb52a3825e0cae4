/* canns — GridCell2DPosition: the position-driven twisted-torus grid module
 * (upstream `canns.models.basic.grid_cell.GridCell2DPosition`).
 *
 * L x L neurons with phases value_grid_n = (xb[n % L], xb[n / L]) on
 * [-pi, pi)^2.  Distances are hexagonal: a phase difference is wrapped once
 * per axis and mapped through Tinv = inverse of T = [[1, -1/sqrt 3],
 * [0, 2/sqrt 3]].  One step from position p:
 *   decode the bump of the old rates (center_phase, center_position,
 *   gc_bump), Iext = A exp(-0.5 (hex_dist(phase(p) - value_grid)/a)^2),
 *   u += (-u + conn r + Iext + noise_strength N(0, 1)) / tau dt, u = max(u, 0),
 *   r = g u^2 / (1 + k sum u^2).
 * The connection matrix is upstream's dense one (connection noise from the
 * global Philox generator, drawn even when conn_noise = 0 as upstream), or,
 * without connection noise, circular convolutions on the torus (the "fft"
 * method, models/twisted_torus.h: the same numbers to float32 round-off);
 * float32 throughout. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/gridcell.h"
#include "canns/random.h"
#include "core/internal.h"
#include "models/blas1.h"
#include "models/torusconv.h"
#include "models/twisted_torus.h"

#define DENSE_MAX_BYTES ((int64_t)4 << 30)
/* "auto": the dense product up to this many neurons, the FFT above */
#define AUTO_DENSE_MAX_NUM 1024

typedef struct gcp {
  cn_gcp_params p;
  int64_t L, N;
  cn_ttorus tt;                             /* phases, Tinv, candidate centres */
  cn_gc_method method;
  cn_array *conn;                           /* (N, N), dense method */
  cn_torusconv *tc;                         /* fft method */
  cn_array *r, *u, *inp, *center_phase, *center_position, *gc_bump;
  cn_array *noise;                          /* scratch (N,) */
  float *irec;
} gcp;

static const char *const gcp_states[] = {"r", "u", "inp", "center_phase", "center_position",
                                         "gc_bump", "x_grid", "y_grid", "value_grid",
                                         "value_bump", "candidate_centers", "coor_transform",
                                         "coor_transform_inv", "conn_mat", NULL};
static const char *const gcp_param_names[] = {"num", "length", "tau", "k", "a", "A", "J0",
                                              "mapping_ratio", "noise_strength", "conn_noise",
                                              "g", "Lambda", NULL};

void cn_gcp_params_init(cn_gcp_params *p) {
  *p = (cn_gcp_params){30, 10.0, 1.0, 0.8, 3.0, 5.0, 1.5, 0.1, 0.0, 1.0, CN_GC_AUTO};
}

void cn_gcp_position2phase(const cn_model *m, const double *pos, int64_t K, float *phase) {
  const gcp *g = m->impl;
  for (int64_t k = 0; k < K; k++) {
    float q[2] = {(float)pos[2 * k], (float)pos[2 * k + 1]};
    cn_ttorus_position2phase(&g->tt, q, 1, phase + 2 * k);
  }
}

static void stimulus_f32(const gcp *g, const float phase[2], float *out) {
  cn_ttorus_phase_bump(&g->tt, phase, (float)g->p.A, (float)g->p.a, out);
}

cn_status cn_gcp_unique_bump(const cn_model *m, const float *act, const double pos[2],
                             float center_phase[2], float center_position[2], float *bump) {
  const gcp *g = m->impl;
  float q[2] = {(float)pos[0], (float)pos[1]};
  cn_ttorus_unique_bump(&g->tt, act, q, (float)g->p.A, (float)g->p.a, center_phase,
                        center_position, bump);
  return CN_OK;
}

static cn_status gcp_step(cn_model *m, const cn_array *inp) {
  gcp *g = m->impl;
  const float *pp = cn_f32(inp);
  if (!isfinite(pp[0]) || !isfinite(pp[1]))
    return cn_error(CN_EINVAL, "GridCell2DPosition.update: position must be finite, got (%g, %g)",
                    (double)pp[0], (double)pp[1]);
  double pos[2] = {pp[0], pp[1]};
  float *r = cn_f32(g->r), *u = cn_f32(g->u), *Iext = cn_f32(g->inp);
  cn_gcp_unique_bump(m, r, pos, cn_f32(g->center_phase), cn_f32(g->center_position),
                     cn_f32(g->gc_bump));
  float phase[2];
  cn_gcp_position2phase(m, pos, 1, phase);
  stimulus_f32(g, phase, Iext);
  int64_t N = g->N;
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
  float ns = (float)g->p.noise_strength, tau = (float)g->p.tau, dt = (float)cn_get_dt();
  float sum = 0;
  for (int64_t n = 0; n < N; n++) {
    float total = (g->irec[n] + Iext[n]) + nz[n] * ns;
    float v = u[n] + (-u[n] + total) / tau * dt;
    v = v > 0.0f ? v : 0.0f;
    u[n] = v;
    sum += v * v;
  }
  float gg = (float)g->p.g, den = 1.0f + (float)g->p.k * sum;
  for (int64_t n = 0; n < N; n++) r[n] = gg * (u[n] * u[n]) / den;
  return CN_OK;
}

cn_status cn_gcp_stimulus(const cn_model *m, const double pos[2], cn_array **out) {
  const gcp *g = m->impl;
  *out = NULL;
  if (!isfinite(pos[0]) || !isfinite(pos[1]))
    return cn_error(CN_EINVAL, "get_stimulus_by_pos: position must be finite, got (%g, %g)",
                    pos[0], pos[1]);
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 1, &g->N));
  float phase[2];
  cn_gcp_position2phase(m, pos, 1, phase);
  stimulus_f32(g, phase, cn_f32(*out));
  return CN_OK;
}

static cn_status gcp_reset(cn_model *m) {
  gcp *g = m->impl;
  cn_array *z[] = {g->r, g->u, g->inp, g->center_phase, g->center_position, g->gc_bump};
  for (size_t i = 0; i < sizeof z / sizeof z[0]; i++) CN_TRY(cn_array_fill(z[i], 0));
  return CN_OK;
}

static cn_array *gcp_state(cn_model *m, const char *name) {
  gcp *g = m->impl;
  struct { const char *k; cn_array *a; } t[] = {
      {"r", g->r}, {"u", g->u}, {"inp", g->inp}, {"center_phase", g->center_phase},
      {"center_position", g->center_position}, {"gc_bump", g->gc_bump},
      {"x_grid", g->tt.x_grid}, {"y_grid", g->tt.y_grid}, {"value_grid", g->tt.value_grid},
      {"value_bump", g->tt.value_bump}, {"candidate_centers", g->tt.candidate_centers},
      {"coor_transform", g->tt.coor_transform},
      {"coor_transform_inv", g->tt.coor_transform_inv},
      {"conn_mat", g->conn}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (strcmp(t[i].k, name) == 0) return t[i].a;
  return NULL;
}

static cn_status gcp_param(cn_model *m, const char *name, double *out) {
  gcp *g = m->impl;
  const cn_gcp_params *p = &g->p;
  const cn_param_value t[] = {
      {"num", (double)g->N}, {"length", (double)p->length}, {"tau", p->tau}, {"k", p->k},
      {"a", p->a}, {"A", p->A}, {"J0", p->J0}, {"mapping_ratio", p->mapping_ratio},
      {"noise_strength", p->noise_strength}, {"conn_noise", p->conn_noise}, {"g", p->g},
      {"Lambda", 2 * M_PI / p->mapping_ratio}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void gcp_destroy(cn_model *m) {
  gcp *g = m->impl;
  if (!g) return;
  cn_ttorus_free(&g->tt);
  cn_array *all[] = {g->conn, g->r, g->u, g->inp,
                     g->center_phase, g->center_position, g->gc_bump, g->noise};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  cn_torusconv_free(g->tc);
  free(g->irec);
  free(g);
}

static const cn_model_vtable gcp_vt = {"GridCell2DPosition", gcp_step, gcp_reset, gcp_state,
                                       gcp_param, NULL, gcp_destroy, NULL, NULL};

bool cn_is_gridcell_position(const cn_model *m) { return m && m->vt == &gcp_vt; }
const cn_gcp_params *cn_gcp_get_params(const cn_model *m) { return &((gcp *)m->impl)->p; }
cn_array *cn_gcp_conn(cn_model *m) { return ((gcp *)m->impl)->conn; }
cn_gc_method cn_gcp_method_used(const cn_model *m) { return ((gcp *)m->impl)->method; }

static cn_status check_params(const cn_gcp_params *p) {
  const char *fn = "GridCell2DPosition";
  if (p->length < 1 || p->length > 46340)
    return cn_error(CN_EINVAL, "%s: argument 'length' must be an integer in 1..46340, got %lld",
                    fn, (long long)p->length);
  struct { const char *k; double v; bool pos; } t[] = {
      {"tau", p->tau, true}, {"k", p->k, false}, {"a", p->a, true}, {"A", p->A, false},
      {"J0", p->J0, false}, {"mapping_ratio", p->mapping_ratio, true},
      {"noise_strength", p->noise_strength, false}, {"conn_noise", p->conn_noise, false},
      {"g", p->g, true}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    if (!isfinite(t[i].v))
      return cn_error(CN_EINVAL, "%s: argument '%s' must be a finite number, got %g", fn, t[i].k,
                      cn_fabs_nan(t[i].v));
    if (t[i].pos && !(t[i].v > 0))
      return cn_error(CN_EINVAL, "%s: argument '%s' must be > 0, got %g", fn, t[i].k, t[i].v);
  }
  if (p->method < CN_GC_AUTO || p->method > CN_GC_FFT)
    return cn_error(CN_EINVAL, "%s: unknown method %d", fn, (int)p->method);
  if (p->method == CN_GC_FFT && p->conn_noise != 0)
    return cn_error(CN_EINVAL, "%s: method 'fft' needs conn_noise = 0 (a noisy matrix is not a "
                    "convolution), got conn_noise = %g", fn, p->conn_noise);
  int64_t N = p->length * p->length;
  bool dense = p->method == CN_GC_DENSE ||
               (p->method == CN_GC_AUTO && (N <= AUTO_DENSE_MAX_NUM || p->conn_noise != 0));
  if (dense && N * N * 4 > DENSE_MAX_BYTES)
    return cn_error(CN_ENOMEM, "%s: length %lld needs a %lld x %lld connection matrix (%.1f GB)",
                    fn, (long long)p->length, (long long)N, (long long)N, (double)N * N * 4 / 1e9);
  return CN_OK;
}

/* upstream make_connection: the kernel without connection noise */
static void fill_conn(const gcp *g, float *W) {
  cn_ttorus_kernel_dense(&g->tt, (float)(g->p.J0 / g->p.g), (float)g->p.a, W);
}

cn_status cn_gcp_make_connection(const cn_model *m, cn_array **out) {
  const gcp *g = m->impl;
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 2, (int64_t[]){g->N, g->N}));
  fill_conn(g, cn_f32(*out));
  return CN_OK;
}

cn_status cn_gcp_calculate_dist(const cn_model *m, const float *d, int64_t K, float *out) {
  const gcp *g = m->impl;
  for (int64_t k = 0; k < K; k++) out[k] = cn_ttorus_dist(&g->tt, d[2 * k], d[2 * k + 1]);
  return CN_OK;
}

/* the dense method: upstream's matrix with its connection noise (one
 * N x N normal draw, as upstream, even at 0) */
static cn_status build_dense(gcp *g) {
  int64_t N = g->N, nn[2] = {N, N};
  CN_TRY(cn_array_empty(&g->conn, CN_FLOAT32, 2, nn));
  float *W = cn_f32(g->conn);
  fill_conn(g, W);
  cn_array *nz;
  CN_TRY(cn_array_empty(&nz, CN_FLOAT32, 2, nn));
  cn_status s = cn_rng_normal(cn_rng_global(), nz, 0.0, 1.0);
  float cn = (float)g->p.conn_noise;
  const float *z = cn_f32(nz);
  for (int64_t i = 0; s == CN_OK && i < N * N; i++) W[i] = W[i] + z[i] * cn;
  cn_array_release(nz);
  return s;
}

static cn_status build(gcp *g) {
  int64_t N = g->N;
  CN_TRY(cn_ttorus_build(&g->tt, g->L, g->p.mapping_ratio));
  if (g->method == CN_GC_FFT) /* no matrix, no connection noise (conn_noise is 0) */
    CN_TRY(cn_ttorus_conv_new(&g->tt, (float)(g->p.J0 / g->p.g), (float)g->p.a, &g->tc));
  else
    CN_TRY(build_dense(g));
  CN_TRY(cn_array_zeros(&g->r, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->u, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->inp, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->gc_bump, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->noise, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->center_phase, CN_FLOAT32, 1, (int64_t[]){2}));
  CN_TRY(cn_array_zeros(&g->center_position, CN_FLOAT32, 1, (int64_t[]){2}));
  g->irec = malloc((size_t)N * sizeof(float));
  if (!g->irec) return cn_error(CN_ENOMEM, "GridCell2DPosition: out of memory");
  return CN_OK;
}

cn_status cn_gridcell_position_new(cn_model **out, const cn_gcp_params *p) {
  *out = NULL;
  CN_TRY(check_params(p));
  gcp *g = calloc(1, sizeof *g);
  if (!g) return cn_error(CN_ENOMEM, "GridCell2DPosition: out of memory");
  g->p = *p;
  g->L = p->length;
  g->N = p->length * p->length;
  g->method = p->method;
  if (g->method == CN_GC_AUTO)
    g->method = (g->N <= AUTO_DENSE_MAX_NUM || p->conn_noise != 0) ? CN_GC_DENSE : CN_GC_FFT;
  cn_status s = build(g);
  cn_model *m = NULL;
  if (s == CN_OK) s = cn_model_new(&m, &gcp_vt, g, CN_FLOAT32, 1, (int64_t[]){2});
  if (s != CN_OK) {
    cn_model tmp = {.impl = g};
    gcp_destroy(&tmp);
    return s;
  }
  m->inputs[0].name = "position";
  m->states = gcp_states;
  m->params = gcp_param_names;
  *out = m;
  return CN_OK;
}
