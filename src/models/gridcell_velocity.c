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

static void recurrent(gcv *g) {
  const float *r = cn_f32(g->r);
  if (g->method == CN_GC_DENSE) {
    int nb = cn_blas1_begin();
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)g->N, (int)g->N, 1.0f, cn_f32(g->conn),
                (int)g->N, r, 1, 0.0f, g->irec, 1);
    cn_blas1_end(nb);
  } else
    cn_torusconv_apply_f32(g->tc, r, g->irec);
}

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
  velocity_input(g, vx, vy, g->B);
  recurrent(g);
  float tau = (float)g->p.tau, dt = (float)cn_get_dt();
  float *s = cn_f32(g->s), *r = cn_f32(g->r);
  for (int64_t i = 0; i < g->N; i++) {
    float ds = ((-s[i] + g->irec[i]) + g->B[i]) / tau * dt;
    s[i] = s[i] + ds;
    r[i] = s[i] > 0.0f ? s[i] : 0.0f;
  }
  return CN_OK;
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
  struct { const char *k; double v; } t[] = {
      {"num", (double)g->N},      {"length", (double)p->length},
      {"tau", p->tau},            {"alpha", p->alpha},
      {"A", p->A},                {"W_a", p->W_a},
      {"W_l", p->W_l},            {"lambda_net", p->lambda_net},
      {"e", p->e},                {"W_gamma", p->e * 3.0 / (p->lambda_net * p->lambda_net)},
      {"W_beta", 3.0 / (p->lambda_net * p->lambda_net)}, {"use_sparse", p->use_sparse}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (strcmp(t[i].k, name) == 0) {
      *out = t[i].v;
      return CN_OK;
    }
  return cn_error(CN_EINVAL, "GridCell2DVelocity has no parameter '%s'", name);
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
                                       gcv_param, NULL, gcv_destroy, NULL};

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
