/* canns — the theta-sweep networks' shared (u, v) dynamics
 * (models/theta_common.h). */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "core/internal.h"
#include "models/theta_common.h"

float cn_exprel_f32(float c) {
  if (fabsf(c) > 1e-5f) return (expf(c) - 1.0f) / c;
  return 1.0f + c / 2.0f + c * c / 6.0f;
}

void cn_adapt_step(const cn_adapt_consts *c, int64_t n, float dt, const float *total, float *u,
                   float *v, float *r) {
  float hu = dt * cn_exprel_f32(dt * -(1.0f / c->tau));
  float hv = dt * cn_exprel_f32(dt * -(1.0f / c->tau_v));
  float sum = 0;
  for (int64_t i = 0; i < n; i++) {
    float du = ((-u[i] + total[i]) - v[i]) / c->tau;
    float dv = (-v[i] + c->m * u[i]) / c->tau_v;
    float un = u[i] + hu * du;
    v[i] = v[i] + hv * dv;
    un = un > 0.0f ? un : 0.0f;
    u[i] = un;
    sum += un * un;
  }
  float den = 1.0f + c->k * sum;
  for (int64_t i = 0; i < n; i++) r[i] = c->g * (u[i] * u[i]) / den;
}

cn_status cn_check_named_values(const char *fn, const cn_named_value *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(t[i].v))
      return cn_error(CN_EINVAL, "%s: argument '%s' must be a finite number, got %g", fn, t[i].k,
                      cn_fabs_nan(t[i].v));
    if (t[i].pos && !(t[i].v > 0))
      return cn_error(CN_EINVAL, "%s: argument '%s' must be > 0, got %g", fn, t[i].k, t[i].v);
  }
  return CN_OK;
}

cn_array *cn_find_named_array(const cn_named_array *t, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(t[i].k, name) == 0) return t[i].a;
  return NULL;
}

cn_status cn_zero_arrays(cn_array *const *a, size_t n) {
  for (size_t i = 0; i < n; i++) CN_TRY(cn_array_fill(a[i], 0));
  return CN_OK;
}

cn_status cn_theta_model_finish(cn_status s, cn_model **out, const cn_model_vtable *vt,
                                void *impl, int n, const cn_model_input *in,
                                const char *const *states, const char *const *params) {
  cn_model *m = NULL;
  if (s == CN_OK) s = cn_model_new(&m, vt, impl, CN_FLOAT32, in[0].ndim, in[0].shape);
  if (s == CN_OK) s = cn_model_set_inputs(m, n, in);
  if (s != CN_OK) {
    if (m) {
      cn_model_release(m); /* destroys impl */
    } else {
      cn_model tmp = {.vt = vt, .impl = impl};
      vt->destroy(&tmp);
    }
    return s;
  }
  m->states = states;
  m->params = params;
  *out = m;
  return CN_OK;
}
