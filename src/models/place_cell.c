/* canns — PlaceCellNetwork: place cells on the free cells of an
 * environment, coupled by geodesic distance (upstream
 * `canns.models.basic.theta_sweep_model.PlaceCellNetwork`).
 *
 * C cells, one per free cell of the movement-cost grid, with the geodesic
 * distance matrix D (C x C) of the navigation task; as upstream, D enters
 * the Gaussians linearly:
 *   conn[i][j] = J0 exp(-D_ij / (2 a^2)) / (2 pi a^2),
 *   input_bump(pos) = A exp(-D[idx(pos)] / (2 a^2)) (zeros off the grid),
 * with idx the task's get_cell_index (one row too high, as upstream).  One
 * step with position pos and theta gain th:
 *   center = sum r x / (sum r + 1e-12), x = arange(C) dx (index times dx),
 *   I = th input_bump(pos) + conn r + noise_strength N(0, 1),
 *   (u, v) by exponential Euler with m used as given
 *   (models/theta_common.h).  float32 throughout. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/random.h"
#include "canns/spatial.h"
#include "canns/theta.h"
#include "core/internal.h"
#include "models/blas1.h"
#include "models/theta_common.h"

#define DENSE_MAX_BYTES ((int64_t)4 << 30)

typedef struct pcn {
  cn_pcn_params p;
  int64_t C;
  cn_costgrid grid; /* own copy of the lookup arrays */
  float *xe, *ye;   /* the edges in float32, as upstream's JAX lookup sees them */
  cn_adapt_consts c;
  cn_array *D, *conn, *x, *r, *u, *v, *center, *noise;
  float *tot, *irec;
} pcn;

static const char *const pcn_states[] = {"r", "u", "v", "center", "x", "D", "conn_mat", NULL};
static const char *const pcn_param_names[] = {"cell_num", "tau", "tau_v", "noise_strength", "k",
                                              "m", "a", "A", "J0", "g", "conn_noise", "dx",
                                              "dy", NULL};

void cn_pcn_params_init(cn_pcn_params *p) {
  *p = (cn_pcn_params){10.0, 100.0, 0.0, 0.2, 3.0, 0.2, 5.0, 1.0, 1.0, 0.0};
}

/* upstream MovementCostGrid.get_cell_index, which searches float32 copies
 * of the edges (jnp.asarray without x64): col = searchsorted_right(x_edges,
 * x) - 1; with the descending y_edges reversed, row = (len - 1 -
 * searchsorted_left(y, y)) - 1 (one row too high, as upstream); -1 out of
 * range or on a blocked cell. */
static int64_t cell_index(const pcn *d, const float pos[2]) {
  int64_t nx = d->grid.cols + 1, ny = d->grid.rows + 1, col = 0, below = 0;
  for (int64_t i = 0; i < nx; i++) col += d->xe[i] <= pos[0];
  for (int64_t i = 0; i < ny; i++) below += d->ye[i] < pos[1]; /* ascending: left side */
  col -= 1;
  int64_t row = (ny - 1 - below) - 1;
  if (row < 0 || row >= d->grid.rows || col < 0 || col >= d->grid.cols) return -1;
  return d->grid.index[row * d->grid.cols + col];
}

int64_t cn_pcn_cell_index(const cn_model *m, const float pos[2]) {
  return cell_index(m->impl, pos);
}

static void input_bump(const pcn *d, const float pos[2], float *out) {
  int64_t idx = cell_index(d, pos);
  if (idx < 0) {
    memset(out, 0, (size_t)d->C * sizeof *out);
    return;
  }
  const float *row = cn_f32(d->D) + idx * d->C;
  float A = (float)d->p.A, den = (float)(2 * d->p.a * d->p.a);
  for (int64_t j = 0; j < d->C; j++) out[j] = A * expf(-row[j] / den);
}

cn_status cn_pcn_input_bump(const cn_model *m, const float pos[2], cn_array **out) {
  const pcn *d = m->impl;
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 1, &d->C));
  input_bump(d, pos, cn_f32(*out));
  return CN_OK;
}

static void fill_conn(const pcn *d, float *W) {
  float J0 = (float)d->p.J0, den = (float)(2 * d->p.a * d->p.a);
  float norm = (float)((2 * M_PI) * d->p.a * d->p.a);
  const float *D = cn_f32(d->D);
  for (int64_t i = 0; i < d->C * d->C; i++) W[i] = J0 * expf(-D[i] / den) / norm;
}

cn_status cn_pcn_make_connection(const cn_model *m, cn_array **out) {
  const pcn *d = m->impl;
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 2, (int64_t[]){d->C, d->C}));
  fill_conn(d, cn_f32(*out));
  return CN_OK;
}

static cn_status pcn_step_inputs(cn_model *m, const cn_array *const *in) {
  pcn *d = m->impl;
  const float *pos = cn_f32(in[0]);
  float th = cn_f32(in[1])[0];
  if (!isfinite(pos[0]) || !isfinite(pos[1]) || !isfinite(th))
    return cn_error(CN_EINVAL,
                    "PlaceCellNetwork.update: animal_pos and theta_input must be finite, got "
                    "(%g, %g) and %g", cn_fabs_nan(pos[0]), cn_fabs_nan(pos[1]), cn_fabs_nan(th));
  int64_t C = d->C;
  float *r = cn_f32(d->r);
  const float *x = cn_f32(d->x);
  float sr = 0, srx = 0;
  for (int64_t i = 0; i < C; i++) {
    sr += r[i];
    srx += r[i] * x[i];
  }
  cn_f32(d->center)[0] = srx / (sr + 1e-12f);
  input_bump(d, pos, d->tot);
  if (C > 0) {
    int nb = cn_blas1_begin();
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)C, (int)C, 1.0f, cn_f32(d->conn), (int)C, r, 1,
                0.0f, d->irec, 1);
    cn_blas1_end(nb);
  }
  CN_TRY(cn_rng_normal(cn_rng_global(), d->noise, 0.0, 1.0));
  const float *nz = cn_f32(d->noise);
  float ns = (float)d->p.noise_strength;
  for (int64_t i = 0; i < C; i++) d->tot[i] = (th * d->tot[i] + d->irec[i]) + nz[i] * ns;
  cn_adapt_step(&d->c, C, (float)cn_get_dt(), d->tot, cn_f32(d->u), cn_f32(d->v), r);
  return CN_OK;
}

static cn_status pcn_reset(cn_model *m) {
  pcn *d = m->impl;
  cn_array *z[] = {d->r, d->u, d->v, d->center};
  return cn_zero_arrays(z, sizeof z / sizeof z[0]);
}

static cn_array *pcn_state(cn_model *m, const char *name) {
  pcn *d = m->impl;
  const cn_named_array t[] = {
      {"r", d->r}, {"u", d->u}, {"v", d->v}, {"center", d->center}, {"x", d->x},
      {"D", d->D}, {"conn_mat", d->conn}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_status pcn_param(cn_model *m, const char *name, double *out) {
  pcn *d = m->impl;
  const cn_pcn_params *p = &d->p;
  const cn_param_value t[] = {
      {"cell_num", (double)d->C}, {"tau", p->tau}, {"tau_v", p->tau_v},
      {"noise_strength", p->noise_strength}, {"k", p->k}, {"m", p->m}, {"a", p->a},
      {"A", p->A}, {"J0", p->J0}, {"g", p->g}, {"conn_noise", p->conn_noise},
      {"dx", d->grid.dx}, {"dy", d->grid.dy}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void pcn_destroy(cn_model *m) {
  pcn *d = m->impl;
  if (!d) return;
  cn_array *all[] = {d->D, d->conn, d->x, d->r, d->u, d->v, d->center, d->noise};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  free(d->grid.x_edges);
  free(d->grid.y_edges);
  free(d->grid.costs);
  free(d->grid.index);
  free(d->xe);
  free(d->ye);
  free(d->tot);
  free(d->irec);
  free(d);
}

static const cn_model_vtable pcn_vt = {"PlaceCellNetwork", NULL, pcn_reset, pcn_state,
                                       pcn_param, NULL, pcn_destroy, pcn_step_inputs, NULL};

bool cn_is_place_cell_network(const cn_model *m) { return m && m->vt == &pcn_vt; }

static cn_status check_inputs(const cn_pcn_params *p, const cn_array *D, const cn_costgrid *g) {
  const char *fn = "PlaceCellNetwork";
  const cn_named_value t[] = {
      {"tau", p->tau, true}, {"tau_v", p->tau_v, true},
      {"noise_strength", p->noise_strength, false}, {"k", p->k, false}, {"m", p->m, false},
      {"a", p->a, true}, {"A", p->A, false}, {"J0", p->J0, false}, {"g", p->g, false},
      {"conn_noise", p->conn_noise, false}};
  CN_TRY(cn_check_named_values(fn, t, sizeof t / sizeof t[0]));
  if (!g) return cn_error(CN_EINVAL, "%s: the geodesic result has no cost_grid", fn);
  if (!D || D->ndim != 2 || D->shape[0] != D->shape[1] || D->shape[0] != g->nfree)
    return cn_error(CN_ESHAPE,
                    "%s: geodesic_result.distances must be a %lld x %lld matrix (one row per free "
                    "cell of its cost_grid)", fn, (long long)g->nfree, (long long)g->nfree);
  if (D->shape[0] * D->shape[0] * 4 > DENSE_MAX_BYTES)
    return cn_error(CN_ENOMEM, "%s: %lld cells need a %.1f GB connection matrix", fn,
                    (long long)D->shape[0], (double)D->shape[0] * (double)D->shape[0] * 4 / 1e9);
  for (int64_t i = 0; i < D->size; i++) {
    double v = cn_array_getd(D, i);
    if (isnan(v) || v < 0)
      return cn_error(CN_EINVAL, "%s: geodesic_result.distances must be >= 0 (or inf), got %g "
                      "at flat index %lld", fn, cn_fabs_nan(v), (long long)i);
  }
  return CN_OK;
}

static cn_status copy_grid(cn_costgrid *dst, const cn_costgrid *g) {
  *dst = *g;
  size_t cells = (size_t)(g->rows * g->cols);
  dst->x_edges = malloc((size_t)(g->cols + 1) * sizeof(double));
  dst->y_edges = malloc((size_t)(g->rows + 1) * sizeof(double));
  dst->costs = malloc((cells ? cells : 1) * sizeof(int32_t));
  dst->index = malloc((cells ? cells : 1) * sizeof(int64_t));
  if (!dst->x_edges || !dst->y_edges || !dst->costs || !dst->index)
    return cn_error(CN_ENOMEM, "PlaceCellNetwork: out of memory");
  memcpy(dst->x_edges, g->x_edges, (size_t)(g->cols + 1) * sizeof(double));
  memcpy(dst->y_edges, g->y_edges, (size_t)(g->rows + 1) * sizeof(double));
  memcpy(dst->costs, g->costs, cells * sizeof(int32_t));
  memcpy(dst->index, g->index, cells * sizeof(int64_t));
  return CN_OK;
}

static cn_status build(pcn *d, const cn_array *D, const cn_costgrid *grid) {
  int64_t C = d->C, cc[2] = {C, C}, one = 1;
  CN_TRY(copy_grid(&d->grid, grid));
  d->xe = malloc((size_t)(grid->cols + 1) * sizeof(float));
  d->ye = malloc((size_t)(grid->rows + 1) * sizeof(float));
  if (!d->xe || !d->ye) return cn_error(CN_ENOMEM, "PlaceCellNetwork: out of memory");
  for (int64_t i = 0; i <= grid->cols; i++) d->xe[i] = (float)grid->x_edges[i];
  for (int64_t i = 0; i <= grid->rows; i++) d->ye[i] = (float)grid->y_edges[grid->rows - i];
  CN_TRY(cn_array_empty(&d->D, CN_FLOAT32, 2, cc));
  for (int64_t i = 0; i < C * C; i++) cn_f32(d->D)[i] = (float)cn_array_getd(D, i);
  CN_TRY(cn_array_empty(&d->conn, CN_FLOAT32, 2, cc));
  fill_conn(d, cn_f32(d->conn));
  if (d->p.conn_noise != 0) {
    cn_array *nz;
    CN_TRY(cn_array_empty(&nz, CN_FLOAT32, 2, cc));
    cn_status s = cn_rng_normal(cn_rng_global(), nz, 0.0, d->p.conn_noise);
    for (int64_t i = 0; s == CN_OK && i < C * C; i++) cn_f32(d->conn)[i] += cn_f32(nz)[i];
    cn_array_release(nz);
    CN_TRY(s);
  }
  CN_TRY(cn_array_empty(&d->x, CN_FLOAT32, 1, &C));
  float fdx = (float)grid->dx;
  for (int64_t i = 0; i < C; i++) cn_f32(d->x)[i] = (float)i * fdx;
  cn_array **z[] = {&d->r, &d->u, &d->v, &d->noise};
  for (size_t i = 0; i < sizeof z / sizeof z[0]; i++) CN_TRY(cn_array_zeros(z[i], CN_FLOAT32, 1, &C));
  CN_TRY(cn_array_zeros(&d->center, CN_FLOAT32, 1, &one));
  d->tot = malloc((size_t)(C ? C : 1) * sizeof(float));
  d->irec = malloc((size_t)(C ? C : 1) * sizeof(float));
  if (!d->tot || !d->irec) return cn_error(CN_ENOMEM, "PlaceCellNetwork: out of memory");
  return CN_OK;
}

cn_status cn_place_cell_network_new(cn_model **out, const cn_pcn_params *p,
                                    const cn_array *distances, const cn_costgrid *grid) {
  *out = NULL;
  CN_TRY(check_inputs(p, distances, grid));
  pcn *d = calloc(1, sizeof *d);
  if (!d) return cn_error(CN_ENOMEM, "PlaceCellNetwork: out of memory");
  d->p = *p;
  d->C = grid->nfree;
  d->c = (cn_adapt_consts){(float)p->tau, (float)p->tau_v, (float)p->m, (float)p->k, (float)p->g};
  cn_status s = build(d, distances, grid);
  const cn_model_input in[2] = {{"animal_pos", 1, {2}, 2, false, 0},
                                {"theta_input", 0, {0}, 1, false, 0}};
  return cn_theta_model_finish(s, out, &pcn_vt, d, 2, in, pcn_states, pcn_param_names);
}
