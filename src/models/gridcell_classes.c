/* canns — the grid-cell sheets as registered model classes: construction
 * from keyword parameters with upstream's names and defaults. */
#include <string.h>

#include "canns/gridcell.h"

static cn_status get_length(const cn_params *p, int64_t def, int64_t *out) {
  CN_TRY(cn_params_int(p, "length", def, out));
  if (*out < 1)
    return cn_error(CN_EINVAL, "%s: argument 'length' must be a positive integer, got %lld",
                    p->fname, (long long)*out);
  return CN_OK;
}

cn_status cn_gc_method_param(const cn_params *p, cn_gc_method *out) {
  const char *m;
  CN_TRY(cn_params_string(p, "method", "auto", &m));
  if (strcmp(m, "auto") == 0)
    *out = CN_GC_AUTO;
  else if (strcmp(m, "dense") == 0)
    *out = CN_GC_DENSE;
  else if (strcmp(m, "fft") == 0)
    *out = CN_GC_FFT;
  else
    return cn_error(CN_EINVAL, "%s: argument 'method' must be 'auto', 'dense' or 'fft', got '%s'",
                    p->fname, m);
  return CN_OK;
}

static cn_status create_velocity(const cn_params *p, cn_model **out) {
  cn_gcv_params q;
  cn_gcv_params_init(&q);
  CN_TRY(get_length(p, q.length, &q.length));
  struct { const char *k; double *d; } t[] = {
      {"tau", &q.tau}, {"alpha", &q.alpha}, {"A", &q.A}, {"W_a", &q.W_a},
      {"W_l", &q.W_l}, {"lambda_net", &q.lambda_net}, {"e", &q.e}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    CN_TRY(cn_params_number(p, t[i].k, *t[i].d, t[i].d));
  CN_TRY(cn_params_bool(p, "use_sparse", false, &q.use_sparse));
  CN_TRY(cn_gc_method_param(p, &q.method));
  return cn_gridcell_velocity_new(out, &q);
}

static cn_status create_position(const cn_params *p, cn_model **out) {
  cn_gcp_params q;
  cn_gcp_params_init(&q);
  CN_TRY(get_length(p, q.length, &q.length));
  struct { const char *k; double *d; } t[] = {
      {"tau", &q.tau}, {"k", &q.k}, {"a", &q.a}, {"A", &q.A}, {"J0", &q.J0},
      {"mapping_ratio", &q.mapping_ratio}, {"noise_strength", &q.noise_strength},
      {"conn_noise", &q.conn_noise}, {"g", &q.g}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    CN_TRY(cn_params_number(p, t[i].k, *t[i].d, t[i].d));
  CN_TRY(cn_gc_method_param(p, &q.method));
  return cn_gridcell_position_new(out, &q);
}

static const char *const keys_velocity[] = {"length", "tau", "alpha", "A", "W_a", "W_l",
                                            "lambda_net", "e", "use_sparse", "method", NULL};
static const char *const keys_position[] = {"length", "tau", "k", "a", "A", "J0",
                                            "mapping_ratio", "noise_strength", "conn_noise",
                                            "g", "method", NULL};

static const cn_model_class cls_velocity = {
    "GridCell2DVelocity", create_velocity, keys_velocity,
    "velocity-driven grid-cell sheet (Burak & Fiete 2009 path integrator)"};
static const cn_model_class cls_position = {
    "GridCell2DPosition", create_position, keys_position,
    "position-driven twisted-torus grid-cell module"};

const cn_model_class *const *cn_gridcell_classes(void) {
  static const cn_model_class *const list[] = {&cls_velocity, &cls_position, NULL};
  return list;
}
