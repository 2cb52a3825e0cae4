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
 * global Philox generator, drawn even when conn_noise = 0 as upstream);
 * float32 throughout. */
#include <cblas.h>
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/gridcell.h"
#include "canns/random.h"
#include "core/internal.h"
#include "models/blas1.h"

#define DENSE_MAX_BYTES ((int64_t)4 << 30)
#define NCAND 32

typedef struct gcp {
  cn_gcp_params p;
  int64_t L, N;
  float pi, two_pi;
  float T[4], Tinv[4];                      /* row-major 2 x 2 */
  cn_array *x_grid, *y_grid, *value_grid, *value_bump, *candidate_centers;
  cn_array *coor_transform, *coor_transform_inv;
  cn_array *conn;                           /* (N, N) */
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
  *p = (cn_gcp_params){30, 10.0, 1.0, 0.8, 3.0, 5.0, 1.5, 0.1, 0.0, 1.0};
}

static inline float wrap_once(const gcp *g, float d) {
  if (d > g->pi) d = d - g->two_pi;
  if (d < -g->pi) d = d + g->two_pi;
  return d;
}

static inline float hex_dist(const gcp *g, float d0, float d1) {
  d0 = wrap_once(g, d0);
  d1 = wrap_once(g, d1);
  float t0 = g->Tinv[0] * d0 + g->Tinv[1] * d1, t1 = g->Tinv[2] * d0 + g->Tinv[3] * d1;
  return sqrtf(t0 * t0 + t1 * t1);
}

/* numpy/jax remainder: the sign of y */
static inline float remf(float x, float y) {
  float r = fmodf(x, y);
  if (r != 0 && ((r < 0) != (y < 0))) r = r + y;
  return r;
}

void cn_gcp_position2phase(const cn_model *m, const double *pos, int64_t K, float *phase) {
  const gcp *g = m->impl;
  float mr = (float)g->p.mapping_ratio;
  for (int64_t k = 0; k < K; k++) {
    float m0 = (float)pos[2 * k] * mr, m1 = (float)pos[2 * k + 1] * mr;
    float q0 = (g->T[0] * m0 + g->T[1] * m1) + g->pi, q1 = (g->T[2] * m0 + g->T[3] * m1) + g->pi;
    phase[2 * k] = remf(q0, g->two_pi) - g->pi;
    phase[2 * k + 1] = remf(q1, g->two_pi) - g->pi;
  }
}

static void stimulus_f32(const gcp *g, const float phase[2], float *out) {
  const float *vg = cn_f32(g->value_grid);
  float A = (float)g->p.A, a = (float)g->p.a;
  for (int64_t n = 0; n < g->N; n++) {
    float d = hex_dist(g, phase[0] - vg[2 * n], phase[1] - vg[2 * n + 1]) / a;
    out[n] = A * expf(-0.5f * (d * d));
  }
}

cn_status cn_gcp_unique_bump(const cn_model *m, const float *act, const double pos[2],
                             float center_phase[2], float center_position[2], float *bump) {
  const gcp *g = m->impl;
  int64_t N = g->N;
  float mx = -INFINITY;
  for (int64_t n = 0; n < N; n++) mx = act[n] > mx ? act[n] : mx;
  float thr = mx * 0.1f;
  const float *xg = cn_f32(g->x_grid), *yg = cn_f32(g->y_grid);
  float rx = 0, ix = 0, ry = 0, iy = 0;
  for (int64_t n = 0; n < N; n++) {
    float w = act[n] > thr ? act[n] : 0.0f;
    rx += cosf(xg[n]) * w;
    ix += sinf(xg[n]) * w;
    ry += cosf(yg[n]) * w;
    iy += sinf(yg[n]) * w;
  }
  float cp0 = atan2f(ix, rx), cp1 = atan2f(iy, ry);
  float mr = (float)g->p.mapping_ratio;
  float res0 = (g->Tinv[0] * cp0 + g->Tinv[1] * cp1) / mr;
  float res1 = (g->Tinv[2] * cp0 + g->Tinv[3] * cp1) / mr;
  const float *cc = cn_f32(g->candidate_centers);
  float ax = (float)pos[0], ay = (float)pos[1];
  int64_t best = 0;
  float bd = INFINITY;
  for (int64_t k = 0; k < NCAND * NCAND; k++) {
    float dx = (cc[2 * k] + res0) - ax, dy = (cc[2 * k + 1] + res1) - ay;
    float d = sqrtf(dx * dx + dy * dy);
    if (d < bd) bd = d, best = k;
  }
  float c0 = cc[2 * best] + res0, c1 = cc[2 * best + 1] + res1;
  if (center_phase) center_phase[0] = cp0, center_phase[1] = cp1;
  if (center_position) center_position[0] = c0, center_position[1] = c1;
  if (bump) {
    const float *vb = cn_f32(g->value_bump);
    float A = (float)g->p.A, a = (float)g->p.a;
    for (int64_t n = 0; n < N; n++) {
      float d0 = c0 - vb[2 * n], d1 = c1 - vb[2 * n + 1];
      float q = sqrtf(d0 * d0 + d1 * d1) / a;
      bump[n] = A * expf(-(q * q));
    }
  }
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
  int nb = cn_blas1_begin();
  cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)N, 1.0f, cn_f32(g->conn), (int)N, r, 1,
              0.0f, g->irec, 1);
  cn_blas1_end(nb);
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
      {"x_grid", g->x_grid}, {"y_grid", g->y_grid}, {"value_grid", g->value_grid},
      {"value_bump", g->value_bump}, {"candidate_centers", g->candidate_centers},
      {"coor_transform", g->coor_transform}, {"coor_transform_inv", g->coor_transform_inv},
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
  cn_array *all[] = {g->x_grid, g->y_grid, g->value_grid, g->value_bump, g->candidate_centers,
                     g->coor_transform, g->coor_transform_inv, g->conn, g->r, g->u, g->inp,
                     g->center_phase, g->center_position, g->gc_bump, g->noise};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  free(g->irec);
  free(g);
}

static const cn_model_vtable gcp_vt = {"GridCell2DPosition", gcp_step, gcp_reset, gcp_state,
                                       gcp_param, NULL, gcp_destroy, NULL};

bool cn_is_gridcell_position(const cn_model *m) { return m && m->vt == &gcp_vt; }
const cn_gcp_params *cn_gcp_get_params(const cn_model *m) { return &((gcp *)m->impl)->p; }
cn_array *cn_gcp_conn(cn_model *m) { return ((gcp *)m->impl)->conn; }

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
  int64_t N = p->length * p->length;
  if (N * N * 4 > DENSE_MAX_BYTES)
    return cn_error(CN_ENOMEM, "%s: length %lld needs a %lld x %lld connection matrix (%.1f GB)",
                    fn, (long long)p->length, (long long)N, (long long)N, (double)N * N * 4 / 1e9);
  return CN_OK;
}

/* upstream make_connection: the kernel without connection noise */
static void fill_conn(const gcp *g, float *W) {
  int64_t N = g->N;
  const float *vg = cn_f32(g->value_grid);
  float J = (float)(g->p.J0 / g->p.g), a = (float)g->p.a;
  float norm = sqrtf((float)(2.0 * M_PI)) * a;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(N * N))
  for (int64_t p = 0; p < N; p++)
    for (int64_t q = 0; q < N; q++) {
      float d = hex_dist(g, vg[2 * p] - vg[2 * q], vg[2 * p + 1] - vg[2 * q + 1]) / a;
      W[p * N + q] = J * expf(-0.5f * (d * d)) / norm;
    }
}

cn_status cn_gcp_make_connection(const cn_model *m, cn_array **out) {
  const gcp *g = m->impl;
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 2, (int64_t[]){g->N, g->N}));
  fill_conn(g, cn_f32(*out));
  return CN_OK;
}

cn_status cn_gcp_calculate_dist(const cn_model *m, const float *d, int64_t K, float *out) {
  const gcp *g = m->impl;
  for (int64_t k = 0; k < K; k++) out[k] = hex_dist(g, d[2 * k], d[2 * k + 1]);
  return CN_OK;
}

static cn_status build(gcp *g) {
  int64_t L = g->L, N = g->N;
  g->pi = (float)M_PI;
  g->two_pi = (float)(2.0 * M_PI);
  float s3 = sqrtf(3.0f);
  g->T[0] = 1.0f, g->T[1] = -1.0f / s3, g->T[2] = 0.0f, g->T[3] = 2.0f / s3;
  /* inverse of the upper-triangular T by back substitution (float32) */
  float id = 1.0f / g->T[3];
  g->Tinv[0] = 1.0f, g->Tinv[1] = -g->T[1] * id, g->Tinv[2] = 0.0f, g->Tinv[3] = id;
  int64_t s2[2] = {2, 2}, n2[2] = {N, 2}, c2[2] = {NCAND * NCAND, 2}, nn[2] = {N, N};
  CN_TRY(cn_array_empty(&g->coor_transform, CN_FLOAT32, 2, s2));
  CN_TRY(cn_array_empty(&g->coor_transform_inv, CN_FLOAT32, 2, s2));
  memcpy(g->coor_transform->data, g->T, sizeof g->T);
  memcpy(g->coor_transform_inv->data, g->Tinv, sizeof g->Tinv);
  cn_array *xb;
  CN_TRY(cn_linspace(&xb, -M_PI, M_PI, L + 1, true, CN_FLOAT32));
  const float *xbv = cn_f32(xb);
  cn_status s = cn_array_empty(&g->x_grid, CN_FLOAT32, 1, &N);
  if (s == CN_OK) s = cn_array_empty(&g->y_grid, CN_FLOAT32, 1, &N);
  if (s == CN_OK) s = cn_array_empty(&g->value_grid, CN_FLOAT32, 2, n2);
  if (s == CN_OK) s = cn_array_empty(&g->value_bump, CN_FLOAT32, 2, n2);
  if (s != CN_OK) {
    cn_array_release(xb);
    return s;
  }
  for (int64_t n = 0; n < N; n++) {
    float x = xbv[n % L], y = xbv[n / L];
    cn_f32(g->x_grid)[n] = x;
    cn_f32(g->y_grid)[n] = y;
    cn_f32(g->value_grid)[2 * n] = x;
    cn_f32(g->value_grid)[2 * n + 1] = y;
    cn_f32(g->value_bump)[2 * n] = x * 4.0f;
    cn_f32(g->value_bump)[2 * n + 1] = y * 4.0f;
  }
  cn_array_release(xb);
  CN_TRY(cn_array_empty(&g->candidate_centers, CN_FLOAT32, 2, c2));
  double Lambda = 2 * M_PI / g->p.mapping_ratio;
  float *cc = cn_f32(g->candidate_centers);
  for (int i = 0; i < NCAND; i++)
    for (int j = 0; j < NCAND; j++) {
      float a0 = (float)((-NCAND / 2 + i) * Lambda), a1 = (float)((-NCAND / 2 + j) * Lambda);
      int64_t k = i * NCAND + j;
      cc[2 * k] = g->Tinv[0] * a0 + g->Tinv[1] * a1;
      cc[2 * k + 1] = g->Tinv[2] * a0 + g->Tinv[3] * a1;
    }
  CN_TRY(cn_array_empty(&g->conn, CN_FLOAT32, 2, nn));
  float *W = cn_f32(g->conn);
  fill_conn(g, W);
  /* connection noise: one N x N normal draw, as upstream, even at 0 */
  cn_array *nz;
  CN_TRY(cn_array_empty(&nz, CN_FLOAT32, 2, nn));
  s = cn_rng_normal(cn_rng_global(), nz, 0.0, 1.0);
  float cn = (float)g->p.conn_noise;
  const float *z = cn_f32(nz);
  for (int64_t i = 0; s == CN_OK && i < N * N; i++) W[i] = W[i] + z[i] * cn;
  cn_array_release(nz);
  CN_TRY(s);
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
