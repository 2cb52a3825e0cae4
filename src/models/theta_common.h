/* canns — the (u, v) dynamics shared by the theta-sweep networks
 * (internal): exponential Euler of
 *   du = (-u + I - v) / tau,  dv = (-v + m u) / tau_v
 * from the old u and v (BrainPy exp_euler on a JointEq), then u = max(u, 0)
 * and r = g u^2 / (1 + k sum u^2); float32 as upstream. */
#ifndef CANNS_MODELS_THETA_COMMON_H
#define CANNS_MODELS_THETA_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"
#include "canns/model.h"

typedef struct cn_adapt_consts {
  float tau, tau_v, m, k, g;
} cn_adapt_consts;

/* BrainPy's exprel in float32 */
float cn_exprel_f32(float c);
/* One step of n neurons; total is the input. */
void cn_adapt_step(const cn_adapt_consts *c, int64_t n, float dt, const float *total, float *u,
                   float *v, float *r);

/* Check named parameters: each finite, and > 0 where pos is set; an error
 * names the constructor, the argument and its value. */
typedef struct cn_named_value {
  const char *k;
  double v;
  bool pos;
} cn_named_value;
cn_status cn_check_named_values(const char *fn, const cn_named_value *t, size_t n);

/* A state table: the array called `name` among n entries, or NULL. */
typedef struct cn_named_array {
  const char *k;
  cn_array *a;
} cn_named_array;
cn_array *cn_find_named_array(const cn_named_array *t, size_t n, const char *name);
/* Fill n arrays with zeros. */
cn_status cn_zero_arrays(cn_array *const *a, size_t n);

/* The end of a constructor: when s (the build's status) is CN_OK, wrap
 * impl into a float32 model with the n named inputs, state and parameter
 * names; on any failure impl is destroyed (vt->destroy) and the error
 * returned. */
cn_status cn_theta_model_finish(cn_status s, cn_model **out, const cn_model_vtable *vt,
                                void *impl, int n, const cn_model_input *in,
                                const char *const *states, const char *const *params);

#endif
