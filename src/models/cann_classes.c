/* canns — the four CANN classes as registered model classes: construction
 * from keyword parameters with the Python toolkit's names and defaults. */
#include <string.h>

#include "canns/cann.h"

static cn_status from_params(const cn_params *p, bool two_d, bool sfa,
                             cn_cann_params *out) {
  cn_cann_params_init(out, sfa);
  const char *nkey = two_d ? "length" : "num";
  if (!cn_params_has(p, nkey))
    return cn_error(CN_EINVAL, "%s: argument '%s' is required (a positive integer)", p->fname,
                    nkey);
  CN_TRY(cn_params_int(p, nkey, 0, &out->n));
  if (out->n < 1)
    return cn_error(CN_EINVAL, "%s: argument '%s' must be a positive integer, got %lld",
                    p->fname, nkey, (long long)out->n);
  struct { const char *key; double *dst; } nums[] = {
      {"tau", &out->tau}, {"k", &out->k},         {"a", &out->a},
      {"A", &out->A},     {"J0", &out->J0},       {"z_min", &out->z_min},
      {"z_max", &out->z_max}, {"tau_v", &out->tau_v}, {"m", &out->m}};
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
    CN_TRY(cn_params_number(p, nums[i].key, *nums[i].dst, nums[i].dst));
  const char *dt, *method;
  CN_TRY(cn_params_string(p, "dtype", "float32", &dt));
  if (strcmp(dt, "float32") == 0)
    out->dtype = CN_FLOAT32;
  else if (strcmp(dt, "float64") == 0)
    out->dtype = CN_FLOAT64;
  else
    return cn_error(CN_EINVAL, "%s: argument 'dtype' must be 'float32' or 'float64', got '%s'",
                    p->fname, dt);
  CN_TRY(cn_params_string(p, "method", "auto", &method));
  cn_status s = cn_cann_method_from_name(method, &out->method);
  if (s != CN_OK)
    return cn_error(s,
                    "%s: argument 'method' must be 'auto', 'estimate', 'dense', 'fft' or %s, "
                    "got '%s'",
                    p->fname, two_d ? "'separable'" : "'spectral'", method);
  /* canns 1.5's names: accl_mode picks the method (all exact here) */
  if (cn_params_has(p, "accl_mode")) {
    const char *mode;
    CN_TRY(cn_params_string(p, "accl_mode", "normal", &mode));
    if (cn_params_has(p, "method"))
      return cn_error(CN_EINVAL, "%s: give 'method' or 'accl_mode', not both", p->fname);
    CN_TRY(cn_cann_accl_method(mode, p->fname, "argument 'accl_mode'", &out->method,
                               &out->accl_mode));
  }
  if (cn_params_has(p, "accl_k")) {
    CN_TRY(cn_params_int(p, "accl_k", 0, &out->accl_k));
    if (out->accl_k < 1)
      return cn_error(CN_EINVAL, "%s: argument 'accl_k' must be a positive integer, got %lld",
                      p->fname, (long long)out->accl_k);
  }
  CN_TRY(cn_params_number(p, "accl_target_err_mrad", 5.0, &out->accl_target_err_mrad));
  return cn_cann_params_check(out, p->fname);
}

#define CREATE(fn, two_d, sfa)                                       \
  static cn_status fn(const cn_params *p, cn_model **out) {          \
    cn_cann_params q;                                                \
    CN_TRY(from_params(p, two_d, sfa, &q));                          \
    return two_d ? cn_cann2d_new(out, &q) : cn_cann1d_new(out, &q);  \
  }
CREATE(create_1d, false, false)
CREATE(create_1d_sfa, false, true)
CREATE(create_2d, true, false)
CREATE(create_2d_sfa, true, true)

static const char *const keys_1d[] = {"num", "tau", "k", "a", "A", "J0", "z_min", "z_max",
                                      "dtype", "method", "accl_mode", "accl_k", "accl_target_err_mrad", NULL};
static const char *const keys_1d_sfa[] = {"num", "tau", "tau_v", "k", "a", "A", "J0",
                                          "z_min", "z_max", "m", "dtype", "method", "accl_mode", "accl_k", "accl_target_err_mrad", NULL};
static const char *const keys_2d[] = {"length", "tau", "k", "a", "A", "J0", "z_min", "z_max",
                                      "dtype", "method", "accl_mode", "accl_k", "accl_target_err_mrad", NULL};
static const char *const keys_2d_sfa[] = {"length", "tau", "tau_v", "k", "a", "A", "J0",
                                          "z_min", "z_max", "m", "dtype", "method", "accl_mode", "accl_k", "accl_target_err_mrad", NULL};

static const cn_model_class cls_1d = {"CANN1D", create_1d, keys_1d,
                                       "1-D continuous attractor network (ring)"};
static const cn_model_class cls_1d_sfa = {
    "CANN1D_SFA", create_1d_sfa, keys_1d_sfa,
    "1-D CANN with spike-frequency adaptation"};
static const cn_model_class cls_2d = {"CANN2D", create_2d, keys_2d,
                                       "2-D continuous attractor network (torus)"};
static const cn_model_class cls_2d_sfa = {
    "CANN2D_SFA", create_2d_sfa, keys_2d_sfa,
    "2-D CANN with spike-frequency adaptation"};

const cn_model_class *const *cn_cann_classes(void) {
  static const cn_model_class *const list[] = {&cls_1d, &cls_1d_sfa, &cls_2d, &cls_2d_sfa,
                                               NULL};
  return list;
}
