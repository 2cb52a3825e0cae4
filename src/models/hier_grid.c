/* canns — GridCell, the hexagonal grid sheet of the hierarchical model
 * (upstream `hierarchical_model.GridCell`): num x num neurons at phases
 * value_grid[n] = (x[n % num], x[n / num]), x = linspace(-pi, pi, num,
 * endpoint=False), coupled by
 *   conn[p][q] = J0 exp(-0.5 (d/a)^2) / (sqrt(2 pi) a),
 *   d = |(d0, (d1 - d0/2) 2/sqrt(3))| of the wrapped phase difference,
 * with adaptation integrated by exponential Euler:
 *   du = (-u + conn r + input - v)/tau, dv = (-v + m u)/tau_v (old u, v),
 *   u = max(u, 0), r = u^2 / (1 + k sum u^2), m = mbar tau / tau_v;
 *   center = per-axis angle of sum exp(i x) r over r > max(r)/10.
 * The kernel depends only on the phase lag, so conn r is also a circular
 * convolution on the num x num torus (models/torusconv.h). */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "models/blas1.h"
#include "models/hier_internal.h"
#include "models/theta_common.h"

void cn_hgrid_params_init(cn_hgrid_params *p) {
  *p = (cn_hgrid_params){20, 0.0, 1.0, 0.1, 10.0, 5e-3, M_PI / 9, 1.0, 1.0, 1.0, CN_GC_AUTO};
}

/* The pairs half a period apart along either axis, from the matrix. */
static void add_half_period(const hier_grid *g, const float *r, float *irec) {
  int64_t L = g->L, N = g->N, h = L / 2;
  const float *W = cn_f32(g->conn);
  for (int64_t p = 0; p < N; p++) {
    int64_t pr = p / L, pc = p % L, qc = (pc + h) % L, qr = (pr + h) % L;
    const float *w = W + p * N;
    float acc = 0;
    for (int64_t row = 0; row < L; row++) acc += w[row * L + qc] * r[row * L + qc];
    for (int64_t col = 0; col < L; col++)
      if (col != qc) acc += w[qr * L + col] * r[qr * L + col];
    irec[p] += acc;
  }
}

void hier_grid_step(hier_grid *g, const float *input) {
  int64_t N = g->N;
  float *u = cn_f32(g->u), *v = cn_f32(g->v), *r = cn_f32(g->r), *in = cn_f32(g->input);
  if (input != in) memcpy(in, input, (size_t)N * sizeof(float));
  float *irec = g->irec;
  if (g->fft) {
    cn_torusconv_apply_f32(g->fft, r, irec);
    if (g->L % 2 == 0) add_half_period(g, r, irec);
  } else {
    int nb = cn_blas1_begin();
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)N, 1.0f, cn_f32(g->conn), (int)N, r,
                1, 0.0f, irec, 1);
    cn_blas1_end(nb);
  }
  float dt = (float)cn_get_dt();
  float hu = dt * cn_exprel_f32(dt * -(1.0f / g->tau));
  float hv = dt * cn_exprel_f32(dt * -(1.0f / g->tau_v));
  float sum = 0;
  for (int64_t i = 0; i < N; i++) {
    float du = (((-u[i] + irec[i]) + in[i]) - v[i]) / g->tau;
    float dv = (-v[i] + g->m * u[i]) / g->tau_v;
    float un = u[i] + hu * du;
    v[i] = v[i] + hv * dv;
    u[i] = un > 0 ? un : 0.0f;
    sum += u[i] * u[i];
  }
  float den = 1.0f + g->k * sum, mx = 0;
  for (int64_t i = 0; i < N; i++) {
    r[i] = (u[i] * u[i]) / den;
    if (r[i] > mx) mx = r[i];
  }
  const float *cxg = g->trig, *sxg = g->trig + N, *cyg = g->trig + 2 * N, *syg = g->trig + 3 * N;
  float thr = mx * 0.1f, xr = 0, xi = 0, yr = 0, yi = 0;
  for (int64_t i = 0; i < N; i++) {
    float w = r[i] > thr ? r[i] : 0.0f;
    xr += cxg[i] * w;
    xi += sxg[i] * w;
    yr += cyg[i] * w;
    yi += syg[i] * w;
  }
  cn_f32(g->center)[0] = atan2f(xi, xr);
  cn_f32(g->center)[1] = atan2f(yi, yr);
}

static cn_status grid_step(cn_model *m, const cn_array *inp) {
  hier_grid_step(m->impl, cn_f32(inp));
  return CN_OK;
}

static cn_status grid_reset(cn_model *m) {
  hier_grid *g = m->impl;
  cn_array *z[] = {g->r, g->u, g->v, g->input, g->center};
  return cn_zero_arrays(z, 5);
}

static cn_array *grid_state(cn_model *m, const char *name) {
  hier_grid *g = m->impl;
  const cn_named_array t[] = {{"r", g->r},           {"u", g->u},
                              {"v", g->v},           {"input", g->input},
                              {"center", g->center}, {"x", g->x},
                              {"x_grid", g->x_grid}, {"y_grid", g->y_grid},
                              {"value_grid", g->value_grid}, {"conn_mat", g->conn}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_status grid_param(cn_model *m, const char *name, double *out) {
  hier_grid *g = m->impl;
  const cn_hgrid_params *p = &g->p;
  double rho = (double)g->N / (4 * M_PI * M_PI);
  const cn_param_value t[] = {
      {"num", (double)g->N}, {"length", (double)g->L}, {"angle", p->angle},
      {"spacing", p->spacing}, {"ratio", 2 * M_PI / p->spacing}, {"tau", p->tau},
      {"tau_v", p->tau_v}, {"k", p->k}, {"a", p->a}, {"A", p->A}, {"J0", p->J0},
      {"mbar", p->mbar}, {"m", p->mbar * p->tau / p->tau_v}, {"x_range", 2 * M_PI},
      {"rho", rho}, {"dxy", 1 / rho}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void grid_destroy(cn_model *m) {
  hier_grid *g = m->impl;
  if (!g) return;
  cn_array *all[] = {g->x, g->x_grid, g->y_grid, g->value_grid, g->conn,
                     g->r, g->u,      g->v,      g->input,      g->center};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  cn_torusconv_free(g->fft);
  free(g->irec);
  free(g->trig);
  free(g);
}

const cn_model_vtable hier_grid_vt = {"GridCell", grid_step, grid_reset, grid_state, grid_param,
                                      NULL, grid_destroy, NULL, NULL};

static const char *const grid_states[] = {"r", "u", "v", "input", "center", "x", "x_grid",
                                          "y_grid", "value_grid", "conn_mat", NULL};
static const char *const grid_params[] = {"num", "length", "angle", "spacing", "ratio", "tau",
                                          "tau_v", "k", "a", "A", "J0", "mbar", "m",
                                          "x_range", "rho", "dxy", NULL};

static cn_status grid_build(hier_grid *g) {
  int64_t L = g->L, N = g->N, nn[2] = {N, N}, n2[2] = {N, 2}, two = 2;
  CN_TRY(cn_linspace(&g->x, -M_PI, M_PI, L, false, CN_FLOAT32));
  CN_TRY(cn_array_empty(&g->x_grid, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_empty(&g->y_grid, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_empty(&g->value_grid, CN_FLOAT32, 2, n2));
  const float *x = cn_f32(g->x);
  float *xg = cn_f32(g->x_grid), *yg = cn_f32(g->y_grid), *vg = cn_f32(g->value_grid);
  for (int64_t n = 0; n < N; n++) {
    xg[n] = vg[2 * n] = x[n % L];
    yg[n] = vg[2 * n + 1] = x[n / L];
  }
  CN_TRY(cn_array_empty(&g->conn, CN_FLOAT32, 2, nn));
  float *W = cn_f32(g->conn), J0 = (float)g->p.J0, a = (float)g->p.a;
  float norm = sqrtf((float)(2.0 * M_PI)) * a;
  for (int64_t p = 0; p < N; p++)
    for (int64_t q = 0; q < N; q++) {
      float d = hier_hexdist(xg[p] - xg[q], yg[p] - yg[q]) / a;
      W[p * N + q] = J0 * expf(-0.5f * (d * d)) / norm;
    }
  CN_TRY(cn_array_zeros(&g->r, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->u, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->v, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->input, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&g->center, CN_FLOAT32, 1, &two));
  g->irec = malloc((size_t)N * sizeof(float));
  g->trig = malloc((size_t)N * 4 * sizeof(float));
  if (!g->irec || !g->trig) return cn_error(CN_ENOMEM, "GridCell: out of memory");
  for (int64_t n = 0; n < N; n++) {
    g->trig[n] = cosf(xg[n]);
    g->trig[N + n] = sinf(xg[n]);
    g->trig[2 * N + n] = cosf(yg[n]);
    g->trig[3 * N + n] = sinf(yg[n]);
  }
  /* auto: the torus convolution from 8 x 8 neurons */
  if (g->p.method == CN_GC_FFT || (g->p.method == CN_GC_AUTO && L >= 8)) {
    /* The kernel of a lag is the matrix entry of any pair at that lag, up
     * to round-off, except half a period apart along an even side: the
     * phase difference is then +pi or -pi by the round-off of that pair,
     * and the hexagonal metric tells them apart.  Those lags are left out
     * of the convolution and added from the matrix (2 L - 1 pairs per
     * neuron: exact, and cheap). */
    double *h = malloc((size_t)N * sizeof *h);
    if (!h) return cn_error(CN_ENOMEM, "GridCell: out of memory");
    int64_t half = L % 2 == 0 ? L / 2 : -1;
    for (int64_t q = 0; q < N; q++) { /* lag (-row_q, -col_q) mod L from neuron 0 */
      int64_t lr = (L - q / L) % L, lc = (L - q % L) % L;
      h[lr * L + lc] = (lr == half || lc == half) ? 0.0 : W[q];
    }
    cn_status s = cn_torusconv_new(&g->fft, L, 1, h, NULL);
    free(h);
    CN_TRY(s);
  }
  return CN_OK;
}

cn_status cn_hier_grid_cell_new(cn_model **out, const cn_hgrid_params *p) {
  const char *fn = "GridCell";
  *out = NULL;
  CN_TRY(hier_check_size(fn, "num", p->num, 128));
  const cn_named_value t[] = {{"angle", p->angle, false}, {"spacing", p->spacing, false},
                              {"tau", p->tau, true},      {"tau_v", p->tau_v, true},
                              {"k", p->k, false},         {"a", p->a, true},
                              {"A", p->A, false},         {"J0", p->J0, false},
                              {"mbar", p->mbar, false}};
  CN_TRY(cn_check_named_values(fn, t, sizeof t / sizeof t[0]));
  hier_grid *g = calloc(1, sizeof *g);
  if (!g) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  g->p = *p;
  g->L = p->num;
  g->N = p->num * p->num;
  g->tau = (float)p->tau;
  g->tau_v = (float)p->tau_v;
  g->m = (float)(p->mbar * p->tau / p->tau_v);
  g->k = (float)p->k;
  cn_status s = grid_build(g);
  const cn_model_input in[1] = {{"input", 1, {g->N}, g->N, false, 0}};
  return cn_theta_model_finish(s, out, &hier_grid_vt, g, 1, in, grid_states, grid_params);
}
