/* canns — DirectionCellNetwork: the head-direction ring of the theta-sweep
 * model (upstream `canns.models.basic.theta_sweep_model.DirectionCellNetwork`,
 * after Ji et al., Hippocampus 2025).
 *
 * num neurons at x = linspace(z_min, z_max, num + 1) without its end point;
 * conn[i][j] = J0 exp(-0.5 (dist(x_i - x_j)/a)^2) / (sqrt(2 pi) a).  One
 * step with head direction hd and theta gain th:
 *   center = angle(sum exp(i x) r)            (of the old rates)
 *   I = th A exp(-0.5 (dist(x - hd)/a)^2) + conn r + noise_strength N(0, 1)
 *   (u, v) by exponential Euler of du = (-u + I - v)/tau,
 *   dv = (-v + m u)/tau_v with m = adaptation_strength tau / tau_v,
 *   u = max(u, 0), r = g u^2 / (1 + k sum u^2).
 * float32 throughout; the noise from the global Philox generator. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/random.h"
#include "canns/theta.h"
#include "core/internal.h"
#include "models/blas1.h"
#include "models/theta_common.h"

#define DENSE_MAX_BYTES ((int64_t)4 << 30)

typedef struct dcn {
  cn_dcn_params p;
  int64_t N;
  float pi, two_pi, half_range, range;
  cn_adapt_consts c;
  cn_array *x, *conn, *r, *u, *v, *center, *centerI, *noise;
  float *tot, *irec;
} dcn;

static const char *const dcn_states[] = {"r", "u", "v", "center", "centerI", "x", "conn_mat",
                                         NULL};
static const char *const dcn_param_names[] = {
    "num", "tau", "tau_v", "noise_strength", "k", "adaptation_strength", "a", "A", "J0", "g",
    "z_min", "z_max", "z_range", "conn_noise", "m", NULL};

void cn_dcn_params_init(cn_dcn_params *p) {
  *p = (cn_dcn_params){100, 10.0, 100.0, 0.1, 0.2, 15.0, 0.7, 3.0, 1.0, 1.0, -M_PI, M_PI, 0.0};
}

static inline float dist1(const dcn *d, float x) {
  if (x > d->pi) x = x - d->two_pi;
  if (x < -d->pi) x = x + d->two_pi;
  if (x > d->half_range) x = x - d->range;
  return x;
}

void cn_dcn_calculate_dist(const cn_model *m, const float *d, int64_t n, float *out) {
  const dcn *g = m->impl;
  for (int64_t i = 0; i < n; i++) out[i] = dist1(g, d[i]);
}

static void input_bump(const dcn *d, float hd, float *out) {
  const float *x = cn_f32(d->x);
  float A = (float)d->p.A, a = (float)d->p.a;
  for (int64_t i = 0; i < d->N; i++) {
    float q = dist1(d, x[i] - hd) / a;
    out[i] = A * expf(-0.5f * (q * q));
  }
}

cn_status cn_dcn_input_bump(const cn_model *m, double head_direction, cn_array **out) {
  const dcn *d = m->impl;
  if (!isfinite(head_direction))
    return cn_error(CN_EINVAL, "input_bump: head_direction must be finite, got %g", head_direction);
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 1, &d->N));
  input_bump(d, (float)head_direction, cn_f32(*out));
  return CN_OK;
}

static void fill_conn(const dcn *d, float *W) {
  const float *x = cn_f32(d->x);
  float J0 = (float)d->p.J0, a = (float)d->p.a, norm = sqrtf((float)(2.0 * M_PI)) * a;
  for (int64_t i = 0; i < d->N; i++)
    for (int64_t j = 0; j < d->N; j++) {
      float q = dist1(d, x[i] - x[j]) / a;
      W[i * d->N + j] = J0 * expf(-0.5f * (q * q)) / norm;
    }
}

cn_status cn_dcn_make_connection(const cn_model *m, cn_array **out) {
  const dcn *d = m->impl;
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 2, (int64_t[]){d->N, d->N}));
  fill_conn(d, cn_f32(*out));
  return CN_OK;
}

static cn_status dcn_step_inputs(cn_model *m, const cn_array *const *in) {
  dcn *d = m->impl;
  float hd = cn_f32(in[0])[0], th = cn_f32(in[1])[0];
  if (!isfinite(hd) || !isfinite(th))
    return cn_error(CN_EINVAL,
                    "DirectionCellNetwork.update: head_direction and theta_input must be finite, "
                    "got %g and %g", cn_fabs_nan(hd), cn_fabs_nan(th));
  int64_t N = d->N;
  float *r = cn_f32(d->r);
  const float *x = cn_f32(d->x);
  float re = 0, im = 0;
  for (int64_t i = 0; i < N; i++) {
    re += cosf(x[i]) * r[i];
    im += sinf(x[i]) * r[i];
  }
  cn_f32(d->center)[0] = atan2f(im, re);
  CN_TRY(cn_rng_normal(cn_rng_global(), d->noise, 0.0, 1.0));
  input_bump(d, hd, d->tot);
  float *irec = d->irec;
  int nb = cn_blas1_begin();
  cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)N, 1.0f, cn_f32(d->conn), (int)N, r, 1,
              0.0f, irec, 1);
  cn_blas1_end(nb);
  const float *nz = cn_f32(d->noise);
  float ns = (float)d->p.noise_strength;
  for (int64_t i = 0; i < N; i++) d->tot[i] = (th * d->tot[i] + irec[i]) + nz[i] * ns;
  cn_adapt_step(&d->c, N, (float)cn_get_dt(), d->tot, cn_f32(d->u), cn_f32(d->v), r);
  return CN_OK;
}

static cn_status dcn_reset(cn_model *m) {
  dcn *d = m->impl;
  cn_array *z[] = {d->r, d->u, d->v, d->center, d->centerI};
  return cn_zero_arrays(z, sizeof z / sizeof z[0]);
}

static cn_array *dcn_state(cn_model *m, const char *name) {
  dcn *d = m->impl;
  const cn_named_array t[] = {
      {"r", d->r}, {"u", d->u}, {"v", d->v}, {"center", d->center}, {"centerI", d->centerI},
      {"x", d->x}, {"conn_mat", d->conn}};
  return cn_find_named_array(t, sizeof t / sizeof t[0], name);
}

static cn_status dcn_param(cn_model *m, const char *name, double *out) {
  dcn *d = m->impl;
  const cn_dcn_params *p = &d->p;
  const cn_param_value t[] = {
      {"num", (double)p->num}, {"tau", p->tau}, {"tau_v", p->tau_v},
      {"noise_strength", p->noise_strength}, {"k", p->k},
      {"adaptation_strength", p->adaptation_strength}, {"a", p->a}, {"A", p->A},
      {"J0", p->J0}, {"g", p->g}, {"z_min", p->z_min}, {"z_max", p->z_max},
      {"z_range", p->z_max - p->z_min}, {"conn_noise", p->conn_noise},
      {"m", p->adaptation_strength * p->tau / p->tau_v}};
  return cn_model_param_lookup(m, t, sizeof t / sizeof t[0], name, out);
}

static void dcn_destroy(cn_model *m) {
  dcn *d = m->impl;
  if (!d) return;
  cn_array *all[] = {d->x, d->conn, d->r, d->u, d->v, d->center, d->centerI, d->noise};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  free(d->tot);
  free(d->irec);
  free(d);
}

static const cn_model_vtable dcn_vt = {"DirectionCellNetwork", NULL, dcn_reset, dcn_state,
                                       dcn_param, NULL, dcn_destroy, dcn_step_inputs, NULL};

bool cn_is_direction_cell_network(const cn_model *m) { return m && m->vt == &dcn_vt; }

static cn_status check_params(const cn_dcn_params *p) {
  const char *fn = "DirectionCellNetwork";
  if (p->num < 1 || p->num > 46340)
    return cn_error(CN_EINVAL, "%s: argument 'num' must be an integer in 1..46340, got %lld", fn,
                    (long long)p->num);
  const cn_named_value t[] = {
      {"tau", p->tau, true}, {"tau_v", p->tau_v, true}, {"noise_strength", p->noise_strength, false},
      {"k", p->k, false}, {"adaptation_strength", p->adaptation_strength, false},
      {"a", p->a, true}, {"A", p->A, false}, {"J0", p->J0, false}, {"g", p->g, false},
      {"z_min", p->z_min, false}, {"z_max", p->z_max, false},
      {"conn_noise", p->conn_noise, false}};
  CN_TRY(cn_check_named_values(fn, t, sizeof t / sizeof t[0]));
  if (!(p->z_max > p->z_min))
    return cn_error(CN_EINVAL, "%s: argument 'z_max' (%g) must be > z_min (%g)", fn, p->z_max,
                    p->z_min);
  if (p->num * p->num * 4 > DENSE_MAX_BYTES)
    return cn_error(CN_ENOMEM, "%s: num %lld needs a %.1f GB connection matrix", fn,
                    (long long)p->num, (double)p->num * (double)p->num * 4 / 1e9);
  return CN_OK;
}

static cn_status build(dcn *d) {
  int64_t N = d->N, nn[2] = {N, N}, one = 1;
  cn_array *x1;
  CN_TRY(cn_linspace(&x1, d->p.z_min, d->p.z_max, N + 1, true, CN_FLOAT32));
  cn_status s = cn_array_empty(&d->x, CN_FLOAT32, 1, &N);
  if (s == CN_OK) memcpy(d->x->data, x1->data, (size_t)N * sizeof(float));
  cn_array_release(x1);
  CN_TRY(s);
  CN_TRY(cn_array_empty(&d->conn, CN_FLOAT32, 2, nn));
  fill_conn(d, cn_f32(d->conn));
  if (d->p.conn_noise != 0) {
    cn_array *nz;
    CN_TRY(cn_array_empty(&nz, CN_FLOAT32, 2, nn));
    s = cn_rng_normal(cn_rng_global(), nz, 0.0, d->p.conn_noise);
    float *W = cn_f32(d->conn);
    for (int64_t i = 0; s == CN_OK && i < N * N; i++) W[i] = W[i] + cn_f32(nz)[i];
    cn_array_release(nz);
    CN_TRY(s);
  }
  CN_TRY(cn_array_zeros(&d->r, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&d->u, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&d->v, CN_FLOAT32, 1, &N));
  CN_TRY(cn_array_zeros(&d->center, CN_FLOAT32, 1, &one));
  CN_TRY(cn_array_zeros(&d->centerI, CN_FLOAT32, 1, &one));
  CN_TRY(cn_array_zeros(&d->noise, CN_FLOAT32, 1, &N));
  d->tot = malloc((size_t)N * sizeof(float));
  d->irec = malloc((size_t)N * sizeof(float));
  if (!d->tot || !d->irec) return cn_error(CN_ENOMEM, "DirectionCellNetwork: out of memory");
  return CN_OK;
}

cn_status cn_direction_cell_network_new(cn_model **out, const cn_dcn_params *p) {
  *out = NULL;
  CN_TRY(check_params(p));
  dcn *d = calloc(1, sizeof *d);
  if (!d) return cn_error(CN_ENOMEM, "DirectionCellNetwork: out of memory");
  d->p = *p;
  d->N = p->num;
  d->pi = (float)M_PI;
  d->two_pi = (float)(2.0 * M_PI);
  d->range = (float)(p->z_max - p->z_min);
  d->half_range = (float)(0.5 * (p->z_max - p->z_min));
  d->c = (cn_adapt_consts){(float)p->tau, (float)p->tau_v,
                           (float)(p->adaptation_strength * p->tau / p->tau_v), (float)p->k,
                           (float)p->g};
  cn_status s = build(d);
  const cn_model_input in[2] = {{"head_direction", 0, {0}, 1, false, 0},
                                {"theta_input", 0, {0}, 1, false, 0}};
  return cn_theta_model_finish(s, out, &dcn_vt, d, 2, in, dcn_states, dcn_param_names);
}
