/* canns — the rings of the hierarchical model: GaussRecUnits (a ring
 * attractor, upstream `hierarchical_model.GaussRecUnits`) and NonRecUnits
 * (a leaky shifter ring, `NonRecUnits`), with the float32 helpers and the
 * circulant product the band cells share.
 *
 * GaussRecUnits, size N at x = linspace(z_min, z_max, N, endpoint=False):
 *   J = J0 sqrt(8 sqrt(2 pi) k a / rho), rho = N / z_range;
 *   conn[i][j] = J exp(-0.5 (dist(x_i - x_j)/a)^2) / (sqrt(2 pi) a);
 *   starts at u = 10 G(x), r = 30 G(x) (G the normalised Gaussian, a);
 *   step: r = u^2 / (1 + k sum u^2); u += (-u + conn r + input)/tau dt;
 *   center = angle(sum exp(i x) u / sum u).
 * NonRecUnits: r = relu(u) (+ noise N(0,1)); u += (-u + input)/tau dt. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/random.h"
#include "core/internal.h"
#include "models/blas1.h"
#include "models/hier_internal.h"
#include "models/theta_common.h"

/* --- float32 helpers ------------------------------------------------------ */

float hier_remainder(float x, float y) {
  float r = fmodf(x, y);
  if (r != 0 && ((r < 0) != (y < 0))) r = r + y;
  return r;
}

float hier_ring_dist(float d, float zr, float hzr) {
  d = hier_remainder(d, zr);
  return d > hzr ? d - zr : d;
}

float hier_wrap(float d) {
  const float pi = (float)M_PI, two_pi = (float)(2.0 * M_PI);
  if (d > pi) d = d - two_pi;
  if (d < -pi) d = d + two_pi;
  return d;
}

float hier_hexdist(float d0, float d1) {
  d0 = hier_wrap(d0);
  d1 = hier_wrap(d1);
  float dy = ((d1 - 0.5f * d0) * 2.0f) / sqrtf(3.0f);
  return sqrtf(d0 * d0 + dy * dy);
}

float hier_postophase1(const float pos[2], const float k[2]) {
  float dot = pos[0] * k[0] + pos[1] * k[1];
  return hier_remainder(dot, (float)(2.0 * M_PI)) - (float)M_PI;
}

float hier_gauss(float d, float a) {
  float q = d / a;
  return expf(-0.5f * (q * q)) / (sqrtf((float)(2.0 * M_PI)) * a);
}

bool hier_is(const cn_model *m, const char *cls) {
  const char *c = cn_hier_class(m);
  return c && strcmp(c, cls) == 0;
}

cn_status hier_check_size(const char *fn, const char *key, int64_t v, int64_t max) {
  if (v < 1 || v > max)
    return cn_error(CN_EINVAL, "%s: argument '%s' must be an integer in 1..%lld, got %lld", fn,
                    key, (long long)max, (long long)v);
  return CN_OK;
}

/* --- circulant products ------------------------------------------------- */

cn_status hier_ring_init(hier_ring *h, int64_t n, const float *W, bool left, bool fft) {
  *h = (hier_ring){n, W, left, NULL, NULL, NULL};
  if (!fft) return CN_OK;
  double *k = malloc((size_t)n * sizeof *k);
  h->xb = calloc((size_t)n + 1, sizeof(float));
  h->yb = calloc((size_t)n + 1, sizeof(float));
  if (!k || !h->xb || !h->yb) {
    free(k);
    return cn_error(CN_ENOMEM, "ring convolution: out of memory");
  }
  for (int64_t d = 0; d < n; d++) k[d] = left ? W[d] : W[d * n];
  /* n + 1 points of period n: the fold point (index n) carries no input */
  cn_status s = cn_ringconv_new(&h->fft, 1, n + 1, CN_FLOAT32, k, false);
  free(k);
  return s;
}

void hier_ring_apply(hier_ring *h, const float *x, float *y) {
  int64_t n = h->n;
  if (h->fft) {
    memcpy(h->xb, x, (size_t)n * sizeof(float));
    h->xb[n] = 0;
    cn_ringconv_apply(h->fft, h->xb, h->yb);
    memcpy(y, h->yb, (size_t)n * sizeof(float));
    return;
  }
  int nb = cn_blas1_begin();
  cblas_sgemv(CblasRowMajor, h->left ? CblasTrans : CblasNoTrans, (int)n, (int)n, 1.0f, h->W,
              (int)n, x, 1, 0.0f, y, 1);
  cn_blas1_end(nb);
}

void hier_ring_free(hier_ring *h) {
  cn_ringconv_free(h->fft);
  free(h->xb);
  free(h->yb);
  h->fft = NULL;
  h->xb = h->yb = NULL;
}

/* --- GaussRecUnits -------------------------------------------------------- */

void cn_gru_params_init(cn_gru_params *p) {
  *p = (cn_gru_params){180, 1.0, 1.1, 5e-4, 2.0 / 9.0 * M_PI, -M_PI, M_PI, 2.0, CN_GC_AUTO};
}

static void gru_initial(hier_gru *g) {
  const float *x = cn_f32(g->x);
  float *u = cn_f32(g->u), *r = cn_f32(g->r);
  float norm = sqrtf((float)(2.0 * M_PI)) * g->a;
  for (int64_t i = 0; i < g->N; i++) {
    float q = (x[i] - 0.0f) / g->a, e = expf(-0.5f * (q * q));
    u[i] = 10.0f * e / norm;
    r[i] = 30.0f * e / norm;
  }
  cn_array_fill(g->input, 0);
  cn_array_fill(g->center, 0);
}

static float gru_decode(const hier_gru *g, const float *w) {
  float re = 0, im = 0, s = 0;
  for (int64_t i = 0; i < g->N; i++) {
    re += g->cx[i] * w[i];
    im += g->sx[i] * w[i];
    s += w[i];
  }
  return atan2f(im / s, re / s);
}

void hier_gru_step(hier_gru *g, const float *input) {
  int64_t N = g->N;
  float *u = cn_f32(g->u), *r = cn_f32(g->r), *in = cn_f32(g->input);
  if (input != in) memcpy(in, input, (size_t)N * sizeof(float));
  float sum = 0;
  for (int64_t i = 0; i < N; i++) sum += u[i] * u[i];
  float den = 1.0f + g->k * sum;
  for (int64_t i = 0; i < N; i++) r[i] = (u[i] * u[i]) / den;
  hier_ring_apply(&g->ring, r, g->irec);
  float dt = (float)cn_get_dt();
  for (int64_t i = 0; i < N; i++) u[i] = u[i] + ((-u[i] + g->irec[i]) + in[i]) / g->tau * dt;
  memset(in, 0, (size_t)N * sizeof(float));
  cn_f32(g->center)[0] = gru_decode(g, u);
}

static cn_status gru_step(cn_model *m, const cn_array *inp) {
  hier_gru_step(m->impl, cn_f32(inp));
  return CN_OK;
}

static cn_status gru_reset(cn_model *m) {
  gru_initial(m->impl);
  return CN_OK;
}

static cn_array *gru_state(cn_model *m, const char *name) {
  hier_gru *g = m->impl;
  const cn_named_array t[] = {{"r", g->r},         {"u", g->u}, {"input", g->input},
                              {"center", g->center}, {"x", g->x}, {"conn_mat", g->conn}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_status gru_param(cn_model *m, const char *name, double *out) {
  hier_gru *g = m->impl;
  const cn_gru_params *p = &g->p;
  double zr = p->z_max - p->z_min, rho = (double)p->size / zr;
  float Jc = sqrtf((((8.0f * sqrtf((float)(2.0 * M_PI))) * (float)p->k) * (float)p->a) /
                   (float)rho);
  const cn_param_value t[] = {
      {"size", (double)p->size}, {"num", (double)p->size}, {"tau", p->tau}, {"J0", p->J0},
      {"k", p->k}, {"a", p->a}, {"z_min", p->z_min}, {"z_max", p->z_max}, {"z_range", zr},
      {"noise_0", p->noise}, {"rho", rho}, {"dx", zr / (double)p->size}, {"J_c", Jc},
      {"J", (float)p->J0 * Jc}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void gru_destroy(cn_model *m) {
  hier_gru *g = m->impl;
  if (!g) return;
  cn_array *all[] = {g->x, g->conn, g->r, g->u, g->input, g->center};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  hier_ring_free(&g->ring);
  free(g->irec);
  free(g->cx);
  free(g->sx);
  free(g);
}

const cn_model_vtable hier_gru_vt = {"GaussRecUnits", gru_step, gru_reset, gru_state,
                                     gru_param, NULL, gru_destroy, NULL, NULL};

static const char *const gru_states[] = {"r", "u", "input", "center", "x", "conn_mat", NULL};
static const char *const gru_params[] = {"size", "tau", "J0", "k", "a", "z_min", "z_max",
                                         "z_range", "noise_0", "rho", "dx", "J_c", "J", NULL};

/* Fill x = linspace(z_min, z_max, N, endpoint=False) (float32). */
static cn_status ring_x(cn_array **x, double z_min, double z_max, int64_t N) {
  return cn_linspace(x, z_min, z_max, N, false, CN_FLOAT32);
}

static cn_status check_ring(const char *fn, int64_t size, double z_min, double z_max) {
  CN_TRY(hier_check_size(fn, "size", size, 46340));
  if (!isfinite(z_min) || !isfinite(z_max) || !(z_max > z_min))
    return cn_error(CN_EINVAL, "%s: arguments 'z_min' (%g) and 'z_max' (%g) must be finite with "
                    "z_max > z_min", fn, cn_fabs_nan(z_min), cn_fabs_nan(z_max));
  return CN_OK;
}

static cn_status gru_build(hier_gru *g) {
  const cn_gru_params *p = &g->p;
  int64_t N = g->N, nn[2] = {N, N}, one = 1;
  CN_TRY(ring_x(&g->x, p->z_min, p->z_max, N));
  CN_TRY(cn_array_empty(&g->conn, CN_FLOAT32, 2, nn));
  double rho = (double)N / (p->z_max - p->z_min);
  float Jc = sqrtf((((8.0f * sqrtf((float)(2.0 * M_PI))) * (float)p->k) * g->a) / (float)rho);
  float J = (float)p->J0 * Jc, norm = sqrtf((float)(2.0 * M_PI)) * g->a;
  const float *x = cn_f32(g->x);
  float *W = cn_f32(g->conn);
  for (int64_t i = 0; i < N; i++)
    for (int64_t j = 0; j < N; j++) {
      float q = hier_ring_dist(x[i] - x[j], g->zr, g->hzr) / g->a;
      W[i * N + j] = J * expf(-0.5f * (q * q)) / norm;
    }
  CN_TRY(cn_array_zeros(&g->r, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->u, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->input, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->center, CN_FLOAT32, 1, &one));
  g->irec = malloc((size_t)N * sizeof(float));
  g->cx = malloc((size_t)N * sizeof(float));
  g->sx = malloc((size_t)N * sizeof(float));
  if (!g->irec || !g->cx || !g->sx) return cn_error(CN_ENOMEM, "GaussRecUnits: out of memory");
  for (int64_t i = 0; i < N; i++) {
    g->cx[i] = cosf(x[i]);
    g->sx[i] = sinf(x[i]);
  }
  /* auto: the convolution from 64 neurons (the dense product is faster below) */
  bool fft = p->method == CN_GC_FFT || (p->method == CN_GC_AUTO && N >= 64);
  CN_TRY(hier_ring_init(&g->ring, N, W, false, fft));
  gru_initial(g);
  return CN_OK;
}

cn_status cn_gauss_rec_units_new(cn_model **out, const cn_gru_params *p) {
  const char *fn = "GaussRecUnits";
  *out = NULL;
  CN_TRY(check_ring(fn, p->size, p->z_min, p->z_max));
  const cn_named_value t[] = {{"tau", p->tau, true}, {"J0", p->J0, false}, {"k", p->k, false},
                              {"a", p->a, true}, {"noise", p->noise, false}};
  CN_TRY(cn_check_named_values(fn, t, sizeof t / sizeof t[0]));
  hier_gru *g = calloc(1, sizeof *g);
  if (!g) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  g->p = *p;
  g->N = p->size;
  g->zr = (float)(p->z_max - p->z_min);
  g->hzr = (float)(0.5 * (p->z_max - p->z_min));
  g->k = (float)p->k;
  g->tau = (float)p->tau;
  g->a = (float)p->a;
  cn_status s = gru_build(g);
  const cn_model_input in[1] = {{"input", 1, {p->size}, p->size, false, 0}};
  return cn_theta_model_finish(s, out, &hier_gru_vt, g, 1, in, gru_states, gru_params);
}

/* --- NonRecUnits ---------------------------------------------------------- */

void cn_nru_params_init(cn_nru_params *p) {
  *p = (cn_nru_params){180, 0.1, -M_PI, M_PI, 2.0};
}

cn_status hier_nru_draw(hier_nru *n) {
  cn_rng *g = cn_rng_global();
  if (n->p.noise != 0) {
    CN_TRY(cn_rng_normal(g, n->noise, 0.0, 1.0));
  } else {
    g->counter += (uint64_t)((n->N + 1) / 2); /* the same draw, not computed */
  }
  n->drawn = true;
  return CN_OK;
}

void hier_nru_step(hier_nru *n, const float *input) {
  int64_t N = n->N;
  float *u = cn_f32(n->u), *r = cn_f32(n->r), *in = cn_f32(n->input);
  if (input != in) memcpy(in, input, (size_t)N * sizeof(float));
  if (n->p.noise != 0) {
    const float *z = cn_f32(n->noise);
    float s = (float)n->p.noise;
    for (int64_t i = 0; i < N; i++) r[i] = (u[i] > 0 ? u[i] : 0.0f) + s * z[i];
  } else {
    for (int64_t i = 0; i < N; i++) r[i] = u[i] > 0 ? u[i] : 0.0f;
  }
  float dt = (float)cn_get_dt(), tau = (float)n->p.tau;
  for (int64_t i = 0; i < N; i++) u[i] = u[i] + (-u[i] + in[i]) / tau * dt;
  memset(in, 0, (size_t)N * sizeof(float));
  n->drawn = false;
}

static cn_status nru_step(cn_model *m, const cn_array *inp) {
  hier_nru *n = m->impl;
  if (!n->drawn) CN_TRY(hier_nru_draw(n));
  hier_nru_step(n, cn_f32(inp));
  return CN_OK;
}

static cn_status nru_reset(cn_model *m) {
  hier_nru *n = m->impl;
  cn_array *z[] = {n->r, n->u, n->input};
  n->drawn = false;
  return cn_zero_arrays(z, 3);
}

static cn_array *nru_state(cn_model *m, const char *name) {
  hier_nru *n = m->impl;
  const cn_named_array t[] = {{"r", n->r}, {"u", n->u}, {"input", n->input}, {"x", n->x}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_status nru_param(cn_model *m, const char *name, double *out) {
  hier_nru *n = m->impl;
  const cn_nru_params *p = &n->p;
  double zr = p->z_max - p->z_min;
  const cn_param_value t[] = {{"size", (double)p->size}, {"num", (double)p->size},
                              {"tau", p->tau}, {"z_min", p->z_min}, {"z_max", p->z_max},
                              {"z_range", zr}, {"noise_0", p->noise},
                              {"rho", (double)p->size / zr}, {"dx", zr / (double)p->size}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void nru_destroy(cn_model *m) {
  hier_nru *n = m->impl;
  if (!n) return;
  cn_array *all[] = {n->x, n->r, n->u, n->input, n->noise};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  free(n);
}

const cn_model_vtable hier_nru_vt = {"NonRecUnits", nru_step, nru_reset, nru_state,
                                     nru_param, NULL, nru_destroy, NULL, NULL};

static const char *const nru_states[] = {"r", "u", "input", "x", NULL};
static const char *const nru_params[] = {"size", "tau", "z_min", "z_max", "z_range",
                                         "noise_0", "rho", "dx", NULL};

cn_status cn_non_rec_units_new(cn_model **out, const cn_nru_params *p) {
  const char *fn = "NonRecUnits";
  *out = NULL;
  CN_TRY(check_ring(fn, p->size, p->z_min, p->z_max));
  const cn_named_value t[] = {{"tau", p->tau, true}, {"noise", p->noise, false}};
  CN_TRY(cn_check_named_values(fn, t, sizeof t / sizeof t[0]));
  hier_nru *n = calloc(1, sizeof *n);
  if (!n) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  n->p = *p;
  n->N = p->size;
  cn_status s = ring_x(&n->x, p->z_min, p->z_max, n->N);
  if (s == CN_OK) s = cn_array_zeros(&n->r, CN_FLOAT32, 1, &n->N);
  if (s == CN_OK) s = cn_array_zeros(&n->u, CN_FLOAT32, 1, &n->N);
  if (s == CN_OK) s = cn_array_zeros(&n->input, CN_FLOAT32, 1, &n->N);
  if (s == CN_OK) s = cn_array_zeros(&n->noise, CN_FLOAT32, 1, &n->N);
  const cn_model_input in[1] = {{"input", 1, {p->size}, p->size, false, 0}};
  return cn_theta_model_finish(s, out, &hier_nru_vt, n, 1, in, nru_states, nru_params);
}
