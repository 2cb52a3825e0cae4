/* canns — GridCell2DVelocity: the velocity-driven grid-cell sheet of Burak &
 * Fiete (2009) (upstream `canns.models.basic.grid_cell.GridCell2DVelocity`).
 *
 * L x L neurons at integer positions p_n = (n % L, n / L); neuron n prefers
 * the direction theta_{n mod 6} (0, pi, pi/3, pi/3 + pi, 2pi/3, 2pi/3 + pi).
 * The connection from j to i is
 *   W_ij = W_a (exp(-W_gamma d^2) - exp(-W_beta d^2)),
 *   d = wrap(p_j - p_i - W_l vec_pref_i),
 * and one step is  s += (-s + W r + A (1 + alpha vec_pref . v)) / tau dt,
 * r = max(s, 0).  W depends only on p_j - p_i within each direction class,
 * so W r is six circular correlations of r on the L x L torus: the "fft"
 * method (torusconv.c) instead of the L^2 x L^2 "dense" product (the
 * reference, upstream's own matrix).  Everything is float32 as upstream;
 * the FFT is float32 too, and the two agree to float32 round-off. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canns/gridcell.h"
#include "canns/random.h"
#include "core/internal.h"
#include "models/blas1.h"
#include "models/ftz.h"
#include "models/torusconv.h"

#define DENSE_MAX_BYTES ((int64_t)4 << 30)
/* "auto": the dense product up to this many neurons (its 256 KB matrix
 * stays in cache and beats seven FFTs), the FFT above. */
#define AUTO_DENSE_MAX_NUM 256

typedef struct gcv {
  cn_gcv_params p;
  cn_gc_method method;
  int64_t L, N;
  float W_gamma_n, W_beta_n; /* f32(-W_gamma), f32(-W_beta) */
  cn_array *positions, *vec_pref; /* (N, 2) float32 */
  uint8_t *cls;                   /* N direction classes */
  cn_array *s, *r, *center_position, *s0;
  cn_array *conn;                 /* dense method */
  cn_torusconv *tc;               /* fft method */
  float *irec, *B;                /* scratch, N values */
} gcv;

static const char *const gcv_states[] = {"s", "r", "center_position", "positions", "vec_pref",
                                         NULL};
static const char *const gcv_param_names[] = {"num", "length", "tau", "alpha", "A", "W_a",
                                              "W_l", "lambda_net", "e", "W_gamma", "W_beta",
                                              "use_sparse", NULL};

void cn_gcv_params_init(cn_gcv_params *p) {
  *p = (cn_gcv_params){40, 0.01, 0.2, 1.0, 1.5, 2.0, 15.0, 1.15, false, CN_GC_AUTO};
}

/* One wrapped component of a position difference, as upstream (float32). */
static inline float wrap_half(float d, float L, float half) {
  if (d > half) d = d - L;
  if (d < -half) d = d + L;
  return d;
}

static inline float kernel_value(const gcv *g, float dx, float dy) {
  float L = (float)g->L, half = (float)((double)g->L / 2);
  dx = wrap_half(dx, L, half);
  dy = wrap_half(dy, L, half);
  float d2 = dx * dx + dy * dy;
  return (float)g->p.W_a * (expf(g->W_gamma_n * d2) - expf(g->W_beta_n * d2));
}

static void build_dense(const gcv *g, float *W) {
  int64_t N = g->N;
  const float *pos = cn_f32(g->positions), *v = cn_f32(g->vec_pref);
  float Wl = (float)g->p.W_l;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(N * N))
  for (int64_t i = 0; i < N; i++) {
    float sx = Wl * v[2 * i], sy = Wl * v[2 * i + 1];
    for (int64_t j = 0; j < N; j++)
      W[i * N + j] = kernel_value(g, (pos[2 * j] - pos[2 * i]) - sx,
                                  (pos[2 * j + 1] - pos[2 * i + 1]) - sy);
  }
}

/* The six convolution kernels h_c[(lr, lc)] = K_c(-(lc, lr)), with the
 * difference taken in (-L/2, L/2] as upstream's pairs give it. */
static cn_status build_fft(gcv *g) {
  int64_t L = g->L, N = g->N;
  double *h = malloc((size_t)(6 * N) * sizeof *h);
  if (!h) return cn_error(CN_ENOMEM, "GridCell2DVelocity: out of memory for the kernels");
  const float *v = cn_f32(g->vec_pref);
  float Wl = (float)g->p.W_l;
  for (int c = 0; c < 6; c++) {
    /* neuron c has class c */
    float sx = Wl * v[2 * c], sy = Wl * v[2 * c + 1];
    for (int64_t lr = 0; lr < L; lr++)
      for (int64_t lc = 0; lc < L; lc++) {
        int64_t dx = (L - lc) % L, dy = (L - lr) % L;
        if (2 * dx > L) dx -= L;
        if (2 * dy > L) dy -= L;
        h[(size_t)c * (size_t)N + (size_t)(lr * L + lc)] =
            kernel_value(g, (float)dx - sx, (float)dy - sy);
      }
  }
  cn_status s = cn_torusconv_new(&g->tc, L, 6, h, g->cls);
  free(h);
  return s;
}

/* One Euler step of (s, r) with velocity (vx, vy) and the given scratch
 * (irec, B: N floats; tc: a torus convolution for the FFT method). */
static void step_buffers(const gcv *g, float *s, float *r, float *irec, float *B,
                         cn_torusconv *tc, float vx, float vy, float dt);

static void velocity_input(const gcv *g, float vx, float vy, float *B) {
  const float *v = cn_f32(g->vec_pref);
  float A = (float)g->p.A, al = (float)g->p.alpha;
  for (int64_t i = 0; i < g->N; i++) B[i] = A * (1.0f + al * (v[2 * i] * vx + v[2 * i + 1] * vy));
}

static cn_status gcv_step(cn_model *m, const cn_array *inp) {
  gcv *g = m->impl;
  const float *vel = cn_f32(inp);
  float vx = vel[0], vy = vel[1];
  if (!isfinite(vx) || !isfinite(vy))
    return cn_error(CN_EINVAL, "GridCell2DVelocity.update: velocity must be finite, got (%g, %g)",
                    (double)vx, (double)vy);
  int nb = g->method == CN_GC_DENSE ? cn_blas1_begin() : 1;
  step_buffers(g, cn_f32(g->s), cn_f32(g->r), g->irec, g->B, g->tc, vx, vy, (float)cn_get_dt());
  if (g->method == CN_GC_DENSE) cn_blas1_end(nb);
  return CN_OK;
}

static void step_buffers(const gcv *g, float *s, float *r, float *irec, float *B,
                         cn_torusconv *tc, float vx, float vy, float dt) {
  velocity_input(g, vx, vy, B);
  if (g->method == CN_GC_DENSE) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)g->N, (int)g->N, 1.0f, cn_f32(g->conn),
                (int)g->N, r, 1, 0.0f, irec, 1);
  } else {
    cn_torusconv_apply_f32(tc, r, irec);
  }
  float tau = (float)g->p.tau;
  for (int64_t i = 0; i < g->N; i++) {
    float ds = ((-s[i] + irec[i]) + B[i]) / tau * dt;
    s[i] = s[i] + ds;
    r[i] = s[i] > 0.0f ? s[i] : 0.0f;
  }
}

static cn_status gcv_reset(cn_model *m) {
  gcv *g = m->impl;
  CN_TRY(cn_array_assign(g->s, g->s0));
  const float *s = cn_f32(g->s);
  float *r = cn_f32(g->r);
  for (int64_t i = 0; i < g->N; i++) r[i] = s[i] > 0.0f ? s[i] : 0.0f;
  return cn_array_fill(g->center_position, 0);
}

static cn_array *gcv_state(cn_model *m, const char *name) {
  gcv *g = m->impl;
  if (strcmp(name, "s") == 0) return g->s;
  if (strcmp(name, "r") == 0) return g->r;
  if (strcmp(name, "center_position") == 0) return g->center_position;
  if (strcmp(name, "positions") == 0) return g->positions;
  if (strcmp(name, "vec_pref") == 0) return g->vec_pref;
  return NULL;
}

static cn_status gcv_param(cn_model *m, const char *name, double *out) {
  gcv *g = m->impl;
  const cn_gcv_params *p = &g->p;
  const cn_param_value t[] = {
      {"num", (double)g->N},      {"length", (double)p->length},
      {"tau", p->tau},            {"alpha", p->alpha},
      {"A", p->A},                {"W_a", p->W_a},
      {"W_l", p->W_l},            {"lambda_net", p->lambda_net},
      {"e", p->e},                {"W_gamma", p->e * 3.0 / (p->lambda_net * p->lambda_net)},
      {"W_beta", 3.0 / (p->lambda_net * p->lambda_net)}, {"use_sparse", p->use_sparse}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void gcv_destroy(cn_model *m) {
  gcv *g = m->impl;
  if (!g) return;
  cn_array_release(g->positions);
  cn_array_release(g->vec_pref);
  cn_array_release(g->s);
  cn_array_release(g->r);
  cn_array_release(g->center_position);
  cn_array_release(g->s0);
  cn_array_release(g->conn);
  cn_torusconv_free(g->tc);
  free(g->cls);
  free(g->irec);
  free(g->B);
  free(g);
}

static const cn_model_vtable gcv_vt = {"GridCell2DVelocity", gcv_step, gcv_reset, gcv_state,
                                       gcv_param, NULL, gcv_destroy, NULL, NULL};

bool cn_is_gridcell_velocity(const cn_model *m) { return m && m->vt == &gcv_vt; }
const cn_gcv_params *cn_gcv_get_params(const cn_model *m) { return &((gcv *)m->impl)->p; }
cn_gc_method cn_gcv_method_used(const cn_model *m) { return ((gcv *)m->impl)->method; }

static cn_status check_params(const cn_gcv_params *p) {
  const char *fn = "GridCell2DVelocity";
  if (p->length < 1 || p->length > 46340)
    return cn_error(CN_EINVAL, "%s: argument 'length' must be an integer in 1..46340, got %lld",
                    fn, (long long)p->length);
  struct { const char *k; double v; bool pos; } t[] = {
      {"tau", p->tau, true},  {"alpha", p->alpha, false}, {"A", p->A, false},
      {"W_a", p->W_a, false}, {"W_l", p->W_l, false},     {"lambda_net", p->lambda_net, true},
      {"e", p->e, false}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    if (!isfinite(t[i].v))
      return cn_error(CN_EINVAL, "%s: argument '%s' must be a finite number, got %g", fn, t[i].k,
                      cn_fabs_nan(t[i].v));
    if (t[i].pos && !(t[i].v > 0))
      return cn_error(CN_EINVAL, "%s: argument '%s' must be > 0, got %g", fn, t[i].k, t[i].v);
  }
  if (p->method < CN_GC_AUTO || p->method > CN_GC_FFT)
    return cn_error(CN_EINVAL, "%s: unknown method %d", fn, (int)p->method);
  return CN_OK;
}

cn_status cn_gridcell_velocity_new(cn_model **out, const cn_gcv_params *p) {
  *out = NULL;
  CN_TRY(check_params(p));
  gcv *g = calloc(1, sizeof *g);
  if (!g) return cn_error(CN_ENOMEM, "GridCell2DVelocity: out of memory");
  g->p = *p;
  g->L = p->length;
  g->N = p->length * p->length;
  int64_t N = g->N;
  double Wg = p->e * 3.0 / (p->lambda_net * p->lambda_net), Wb = 3.0 / (p->lambda_net * p->lambda_net);
  g->W_gamma_n = (float)-Wg;
  g->W_beta_n = (float)-Wb;
  cn_gc_method meth = p->method;
  if (meth == CN_GC_AUTO) meth = N <= AUTO_DENSE_MAX_NUM ? CN_GC_DENSE : CN_GC_FFT;
  g->method = meth;
  cn_status s = CN_OK;
  int64_t sh2[2] = {N, 2};
  s = cn_array_empty(&g->positions, CN_FLOAT32, 2, sh2);
  if (s == CN_OK) s = cn_array_empty(&g->vec_pref, CN_FLOAT32, 2, sh2);
  if (s == CN_OK) s = cn_array_empty(&g->s, CN_FLOAT32, 1, &N);
  if (s == CN_OK) s = cn_array_empty(&g->r, CN_FLOAT32, 1, &N);
  if (s == CN_OK) s = cn_array_zeros(&g->center_position, CN_FLOAT32, 1, (int64_t[]){2});
  g->cls = malloc((size_t)N);
  g->irec = malloc((size_t)N * sizeof(float));
  g->B = malloc((size_t)N * sizeof(float));
  if (s == CN_OK && (!g->cls || !g->irec || !g->B))
    s = cn_error(CN_ENOMEM, "GridCell2DVelocity: out of memory (length %lld)", (long long)g->L);
  if (s != CN_OK) {
    cn_model tmp = {.impl = g};
    gcv_destroy(&tmp);
    return s;
  }
  /* theta as upstream: float32 of the double sums */
  const float theta[6] = {0.0f, (float)(0.0 + M_PI), (float)(M_PI / 3.0),
                          (float)(M_PI / 3.0 + M_PI), (float)(2.0 * M_PI / 3.0),
                          (float)(2.0 * M_PI / 3.0 + M_PI)};
  float *pos = cn_f32(g->positions), *v = cn_f32(g->vec_pref);
  for (int64_t n = 0; n < N; n++) {
    pos[2 * n] = (float)(n % g->L);
    pos[2 * n + 1] = (float)(n / g->L);
    int c = (int)(n % 6);
    g->cls[n] = (uint8_t)c;
    v[2 * n] = cosf(theta[c]);
    v[2 * n + 1] = sinf(theta[c]);
  }
  if (meth == CN_GC_DENSE) {
    int64_t bytes = N * N * 4;
    if (bytes > DENSE_MAX_BYTES)
      s = cn_error(CN_ENOMEM, "GridCell2DVelocity: method 'dense' needs a %lld x %lld matrix (%.1f GB)",
                   (long long)N, (long long)N, (double)bytes / 1e9);
    if (s == CN_OK) s = cn_array_empty(&g->conn, CN_FLOAT32, 2, (int64_t[]){N, N});
    if (s == CN_OK) build_dense(g, cn_f32(g->conn));
  } else {
    s = build_fft(g);
  }
  /* initial state: s = 0.1 U[0, 1) (upstream's JAX draw, here Philox) */
  if (s == CN_OK) s = cn_rng_uniform(cn_rng_global(), g->s, 0.0, 1.0);
  if (s == CN_OK) {
    float *sv = cn_f32(g->s);
    for (int64_t i = 0; i < N; i++) sv[i] = sv[i] * 0.1f;
    s = cn_array_copy(&g->s0, g->s);
  }
  cn_model *m = NULL;
  if (s == CN_OK) s = cn_model_new(&m, &gcv_vt, g, CN_FLOAT32, 1, (int64_t[]){2});
  if (s != CN_OK) {
    cn_model tmp = {.impl = g};
    gcv_destroy(&tmp);
    return s;
  }
  m->inputs[0].name = "velocity";
  m->states = gcv_states;
  m->params = gcv_param_names;
  gcv_reset(m);
  *out = m;
  return CN_OK;
}

cn_status cn_gcv_conn_mat(cn_model *m, cn_array **out) {
  *out = NULL;
  if (!cn_is_gridcell_velocity(m))
    return cn_error(CN_EINVAL, "make_connection: not a GridCell2DVelocity");
  gcv *g = m->impl;
  if (g->conn) {
    *out = cn_array_retain(g->conn);
    return CN_OK;
  }
  int64_t N = g->N;
  if (N * N * 4 > DENSE_MAX_BYTES)
    return cn_error(CN_ENOMEM, "GridCell2DVelocity.make_connection: a %lld x %lld matrix is too large",
                    (long long)N, (long long)N);
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 2, (int64_t[]){N, N}));
  build_dense(g, cn_f32(*out));
  return CN_OK;
}

cn_status cn_gcv_velocity_input(cn_model *m, const double v[2], cn_array **out) {
  *out = NULL;
  if (!cn_is_gridcell_velocity(m))
    return cn_error(CN_EINVAL, "compute_velocity_input: not a GridCell2DVelocity");
  gcv *g = m->impl;
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 1, &g->N));
  velocity_input(g, (float)v[0], (float)v[1], cn_f32(*out));
  return CN_OK;
}

cn_status cn_gcv_heal(cn_model *m, double dt_healing) {
  if (!cn_is_gridcell_velocity(m)) return cn_error(CN_EINVAL, "heal_network: not a GridCell2DVelocity");
  if (!isfinite(dt_healing) || dt_healing <= 0)
    return cn_error(CN_EINVAL, "heal_network: argument 'dt_healing' must be a finite number > 0, got %g",
                    dt_healing);
  int64_t n_relax = (int64_t)(0.25 / dt_healing), n_dir = (int64_t)(0.125 / dt_healing);
  if (n_relax > 100000000)
    return cn_error(CN_EINVAL, "heal_network: dt_healing = %g gives %lld steps (too many)", dt_healing,
                    (long long)(2 * n_relax + 4 * n_dir));
  double old = cn_get_dt();
  CN_TRY(cn_set_dt(dt_healing));
  const float ang[4] = {0.0f, (float)(M_PI / 5), (float)(M_PI / 2), (float)(-M_PI / 5)};
  float vel[2] = {0, 0};
  cn_array row = {0};
  row.dtype = CN_FLOAT32;
  row.ndim = 1;
  row.shape[0] = 2;
  row.size = 2;
  row.refcount = 1;
  row.data = vel;
  cn_status s = CN_OK;
  cn_ftz_state fp = cn_ftz_begin();
  for (int64_t t = 0; t < n_relax && s == CN_OK; t++) s = gcv_step(m, &row);
  for (int k = 0; k < 4 && s == CN_OK; k++) {
    vel[0] = 0.8f * cosf(ang[k]);
    vel[1] = 0.8f * sinf(ang[k]);
    for (int64_t t = 0; t < n_dir && s == CN_OK; t++) s = gcv_step(m, &row);
  }
  vel[0] = vel[1] = 0;
  for (int64_t t = 0; t < n_relax && s == CN_OK; t++) s = gcv_step(m, &row);
  cn_ftz_end(fp);
  cn_set_dt(old);
  return s;
}

/* --- systematic rate map ---------------------------------------------------- */

cn_status cn_gcv_systematic_ratemap(cn_model *m, double box_width, double box_height,
                                    int64_t resolution, double speed, cn_array **out) {
  *out = NULL;
  const char *fn = "compute_systematic_ratemap";
  if (!cn_is_gridcell_velocity(m))
    return cn_error(CN_EINVAL, "%s: the model must be a GridCell2DVelocity, got a %s", fn,
                    m->vt->name ? m->vt->name : "model");
  gcv *g = m->impl;
  double dt = cn_get_dt(), dx = speed * dt;
  if (!(isfinite(box_width) && box_width > 0) || !(isfinite(box_height) && box_height > 0))
    return cn_error(CN_EINVAL, "%s: box sizes must be finite and > 0, got %g x %g", fn,
                    cn_fabs_nan(box_width), cn_fabs_nan(box_height));
  if (!(isfinite(speed) && speed > 0))
    return cn_error(CN_EINVAL, "%s: option 'speed' must be finite and > 0, got %g", fn,
                    cn_fabs_nan(speed));
  if (resolution < 1)
    return cn_error(CN_EINVAL, "%s: option 'resolution' must be a positive integer, got %lld",
                    fn, (long long)resolution);
  /* c = numpy.arange(-w/2, w/2, dx) */
  double c0 = -box_width / 2, nc_d = ceil((box_width / 2 - c0) / dx);
  double nv_d = floor(box_height / dx);
  if (!(nc_d < 1e9) || !(nv_d < 1e9))
    return cn_error(CN_EINVAL, "%s: the sweeps would take more than 1e9 steps (box %g x %g, "
                    "speed * dt = %g)", fn, box_width, box_height, dx);
  int64_t nc = (int64_t)nc_d, nv = (int64_t)nv_d;
  int64_t ratio = nc / resolution;
  if (ratio < 1)
    return cn_error(CN_EINVAL,
                    "%s: option 'resolution' (%lld) must not exceed the %lld positions of the "
                    "horizontal sweep (box_width / (speed * dt))",
                    fn, (long long)resolution, (long long)nc);
  int64_t N = g->N, R = resolution;
  int64_t shp[3] = {R, R, N};
  CN_TRY(cn_array_zeros(out, CN_FLOAT64, 3, shp));
  float *hs = malloc((size_t)(R * N) * sizeof(float)), *hr = malloc((size_t)(R * N) * sizeof(float));
  if (!hs || !hr) {
    free(hs);
    free(hr);
    cn_array_release(*out);
    *out = NULL;
    return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  }
  float fdt = (float)dt;
  float *s = cn_f32(g->s), *r = cn_f32(g->r);
  int nb = cn_blas1_begin();
  cn_ftz_state fp = cn_ftz_begin();
  /* two horizontal sweeps: the first moves the state, the second keeps R states */
  int64_t kept = 0;
  for (int pass = 0; pass < 2; pass++)
    for (int64_t i = 0; i + 1 < nc; i++) {
      double a = c0 + (double)i * dx, b = c0 + (double)(i + 1) * dx;
      step_buffers(g, s, r, g->irec, g->B, g->tc, (float)((b - a) / dt), 0.0f, fdt);
      if (pass == 1 && i % ratio == 0 && kept < R) {
        memcpy(hs + kept * N, s, (size_t)N * sizeof(float));
        memcpy(hr + kept * N, r, (size_t)N * sizeof(float));
        kept++;
      }
    }
  int64_t ds = nv / R;
  double *o = (*out)->data;
  float fspeed = (float)speed;
  cn_status st = CN_OK;
  char msg[256] = "";
#pragma omp parallel num_threads(cn_threads_for(kept * nv * N))
  {
    float *ts = malloc((size_t)N * 4), *tr = malloc((size_t)N * 4), *ti = malloc((size_t)N * 4),
          *tb = malloc((size_t)N * 4);
    cn_torusconv *tc = NULL;
    cn_status ls = ts && tr && ti && tb ? CN_OK : cn_error(CN_ENOMEM, "%s: out of memory", fn);
    if (ls == CN_OK && g->method != CN_GC_DENSE) ls = cn_torusconv_clone(g->tc, &tc);
    if (ls != CN_OK) {
#pragma omp critical(canns_ratemap)
      if (st == CN_OK) {
        st = ls;
        snprintf(msg, sizeof msg, "%s", cn_errmsg());
      }
    }
#pragma omp barrier
    if (st == CN_OK) {
      cn_ftz_state tfp = cn_ftz_begin();
#pragma omp for schedule(dynamic, 1)
      for (int64_t i = 0; i < kept; i++) {
        memcpy(ts, hs + i * N, (size_t)N * 4);
        memcpy(tr, hr + i * N, (size_t)N * 4);
        int64_t y = 0;
        for (int64_t t = 0; t < nv; t++) {
          step_buffers(g, ts, tr, ti, tb, tc, 0.0f, fspeed, fdt);
          while (y < R && t == y * ds) {
            double *dst = o + (i * R + y) * N;
            for (int64_t n = 0; n < N; n++) dst[n] = tr[n];
            y++;
          }
        }
        if (i == kept - 1) { /* the model keeps the last sweep's state, as upstream */
          memcpy(hs + i * N, ts, (size_t)N * 4);
          memcpy(hr + i * N, tr, (size_t)N * 4);
        }
      }
      cn_ftz_end(tfp);
    }
    cn_torusconv_free(tc);
    free(ts);
    free(tr);
    free(ti);
    free(tb);
  }
  cn_ftz_end(fp);
  cn_blas1_end(nb);
  if (st == CN_OK && kept > 0) {
    memcpy(s, hs + (kept - 1) * N, (size_t)N * 4);
    memcpy(r, hr + (kept - 1) * N, (size_t)N * 4);
  }
  free(hs);
  free(hr);
  if (st != CN_OK) {
    cn_array_release(*out);
    *out = NULL;
    return cn_error(st, "%s", msg);
  }
  return CN_OK;
}
