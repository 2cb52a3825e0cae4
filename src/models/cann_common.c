/* canns — what the four classic CANN models share: parameters, state,
 * construction, the dense connection matrix and the registered classes.
 * The dynamics are in cann1d.c and cann2d.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "models/cann_internal.h"

/* --- parameters ------------------------------------------------------- */

void cn_cann_params_init(cn_cann_params *p, bool sfa) {
  memset(p, 0, sizeof *p);
  p->tau = 1.0;
  p->tau_v = 50.0;
  p->k = 8.1;
  p->a = sfa ? 0.3 : 0.5;
  p->A = sfa ? 0.2 : 10.0;
  p->J0 = sfa ? 1.0 : 4.0;
  p->z_min = -M_PI;
  p->z_max = M_PI;
  p->m = 0.3;
  p->sfa = sfa;
  p->dtype = CN_FLOAT32;
  p->method = CN_CANN_AUTO;
  p->accl_mode = NULL;
  p->accl_k = 0;
  p->accl_target_err_mrad = 5.0;
}

cn_status cn_cann_params_check(const cn_cann_params *p, const char *fname) {
  const char *nname = strstr(fname, "2D") ? "length" : "num";
  if (p->n < 1)
    return cn_error(CN_EINVAL, "%s: argument '%s' must be a positive integer, got %lld", fname,
                    nname, (long long)p->n);
  int64_t nmax = strstr(fname, "2D") ? 4096 : ((int64_t)1 << 28);
  if (p->n > nmax)
    return cn_error(CN_EINVAL, "%s: argument '%s' is too large: must be at most %lld, got %lld",
                    fname, nname, (long long)nmax, (long long)p->n);
  struct { const char *name; double v; bool positive; } f[] = {
      {"tau", p->tau, true},  {"k", p->k, false},         {"a", p->a, true},
      {"A", p->A, false},     {"J0", p->J0, false},       {"z_min", p->z_min, false},
      {"z_max", p->z_max, false}, {"tau_v", p->tau_v, true}, {"m", p->m, false}};
  int nf = p->sfa ? 9 : 7;
  for (int i = 0; i < nf; i++) {
    if (!isfinite(f[i].v))
      return cn_error(CN_EINVAL, "%s: argument '%s' must be a finite number, got %g", fname,
                      f[i].name, cn_fabs_nan(f[i].v));
    if (f[i].positive && !(f[i].v > 0))
      return cn_error(CN_EINVAL, "%s: argument '%s' must be > 0, got %g", fname, f[i].name,
                      f[i].v);
  }
  if (!(p->z_max > p->z_min) || !isfinite(p->z_max - p->z_min))
    return cn_error(CN_EINVAL, "%s: argument 'z_max' (%g) must be greater than z_min (%g)",
                    fname, cn_fabs_nan(p->z_max), cn_fabs_nan(p->z_min));
  if (p->dtype != CN_FLOAT32 && p->dtype != CN_FLOAT64)
    return cn_error(CN_EINVAL, "%s: argument 'dtype' must be float32 or float64, got %s",
                    fname, cn_dtype_name(p->dtype));
  if (p->accl_k < 0)
    return cn_error(CN_EINVAL, "%s: argument 'accl_k' must be a positive integer, got %lld",
                    fname, (long long)p->accl_k);
  if (p->accl_k > INT64_C(2147483647))
    return cn_error(CN_EINVAL, "%s: argument 'accl_k' is too large: must be at most 2147483647, got %lld",
                    fname, (long long)p->accl_k);
  if (!isfinite(p->accl_target_err_mrad))
    return cn_error(CN_EINVAL, "%s: argument 'accl_target_err_mrad' must be a finite number, got %g",
                    fname, cn_fabs_nan(p->accl_target_err_mrad));
  if ((unsigned)p->method > CN_CANN_ESTIMATE)
    return cn_error(CN_EINVAL, "%s: argument 'method' is not a method (%d)", fname,
                    (int)p->method);
  if (p->method == CN_CANN_SEPARABLE && !strstr(fname, "2D"))
    return cn_error(CN_EINVAL, "%s: argument 'method' 'separable' exists only for 2-D models",
                    fname);
  if (p->method == CN_CANN_SPECTRAL && strstr(fname, "2D"))
    return cn_error(CN_EINVAL, "%s: argument 'method' 'spectral' exists only for 1-D models",
                    fname);
  return CN_OK;
}

static const char *const method_names[] = {"auto",     "dense",   "fft",
                                           "separable", "spectral", "estimate"};
#define NMETHODS 6

const char *cn_cann_method_name(cn_cann_method method) {
  return (unsigned)method < NMETHODS ? method_names[method] : "?";
}

cn_status cn_cann_method_from_name(const char *name, cn_cann_method *out) {
  for (int i = 0; i < NMETHODS; i++)
    if (strcmp(name, method_names[i]) == 0) {
      *out = (cn_cann_method)i;
      return CN_OK;
    }
  return cn_error(CN_EINVAL,
                  "argument 'method' must be 'auto', 'estimate', 'dense', 'fft', 'spectral' or "
                  "'separable', got '%s'",
                  name);
}

static const struct {
  const char *name;
  cn_cann_method method;
} accl_modes[] = {{"normal", CN_CANN_AUTO},     {"fast", CN_CANN_AUTO},
                  {"ultra-fast", CN_CANN_AUTO}, {"auto", CN_CANN_AUTO},
                  {"fft", CN_CANN_FFT},         {"dense", CN_CANN_DENSE}};

cn_status cn_cann_accl_method(const char *mode, const char *fname, const char *argname,
                              cn_cann_method *out, const char **canon) {
  for (size_t i = 0; i < sizeof accl_modes / sizeof accl_modes[0]; i++)
    if (strcmp(mode, accl_modes[i].name) == 0) {
      *out = accl_modes[i].method;
      if (canon) *canon = accl_modes[i].name;
      return CN_OK;
    }
  return cn_error(CN_EINVAL,
                  "%s: %s must be 'normal', 'fast', 'ultra-fast', 'auto', 'fft' or 'dense', "
                  "got '%s'",
                  fname, argname, mode);
}

/* --- model functions shared by the four classes ------------------------ */

static void cann_destroy(cn_model *m) {
  cann_impl *c = cann_of(m);
  if (!c) return;
  cn_array_release(c->x);
  cn_array_release(c->u);
  cn_array_release(c->r);
  cn_array_release(c->inp);
  cn_array_release(c->v);
  cn_array_release(c->irec);
  cn_array_release(c->conn);
  cn_array_release(c->g);
  cn_array_release(c->tmp);
  cn_ringconv_free(c->conv);
  cn_ringspec_free(c->spec);
  free(c);
}

void cn_cann_free_parts(cann_impl *c, cn_cann_method keep) {
  if (keep != CN_CANN_DENSE) {
    cn_array_release(c->conn);
    c->conn = NULL;
  }
  if (keep != CN_CANN_SEPARABLE) {
    cn_array_release(c->g);
    cn_array_release(c->tmp);
    c->g = c->tmp = NULL;
  }
  if (keep != CN_CANN_FFT) {
    cn_ringconv_free(c->conv);
    c->conv = NULL;
  }
  if (keep != CN_CANN_SPECTRAL) {
    cn_ringspec_free(c->spec);
    c->spec = NULL;
  }
}

static cn_status cann_reset(cn_model *m) {
  cann_impl *c = cann_of(m);
  CN_TRY(cn_array_fill(c->u, 0));
  CN_TRY(cn_array_fill(c->r, 0));
  CN_TRY(cn_array_fill(c->inp, 0));
  if (c->v) CN_TRY(cn_array_fill(c->v, 0));
  return CN_OK;
}

static bool overlaps(const cn_array *a, const void *p, size_t bytes) {
  if (!a || !a->data) return false;
  const char *lo = a->data, *hi = lo + (size_t)a->size * cn_dtype_size(a->dtype);
  return (const char *)p < hi && lo < (const char *)p + bytes;
}

const void *cn_cann_input(cann_impl *c, const cn_array *inp) {
  size_t bytes = (size_t)c->inp->size * cn_dtype_size(c->inp->dtype);
  const cn_array *mine[] = {c->u, c->r, c->inp, c->v, c->x, c->irec};
  for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
    if (overlaps(mine[i], inp->data, bytes)) {
      /* e.g. a step given the model's own state: the value before the step */
      memmove(c->inp->data, inp->data, bytes);
      return c->inp->data;
    }
  return inp->data;
}

static cn_array *cann_state(cn_model *m, const char *name) {
  cann_impl *c = cann_of(m);
  if (strcmp(name, "u") == 0) return c->u;
  if (strcmp(name, "r") == 0) return c->r;
  if (strcmp(name, "inp") == 0) return c->inp;
  if (strcmp(name, "v") == 0) return c->v;
  if (strcmp(name, "x") == 0) return c->x;
  return NULL;
}

static cn_status cann_param(cn_model *m, const char *name, double *out) {
  const cn_cann_params *p = &cann_of(m)->p;
  double Z = p->z_max - p->z_min;
  bool two = cann_of(m)->rank == 2;
  /* the SFA-only entries come last */
  const cn_param_value f[] = {
      {"tau", p->tau}, {"k", p->k}, {"a", p->a}, {"A", p->A}, {"J0", p->J0},
      {"z_min", p->z_min}, {"z_max", p->z_max}, {"z_range", Z}, {"rho", (double)p->n / Z},
      {"dx", Z / (double)p->n}, {two ? "length" : "num", (double)p->n},
      {"tau_v", p->tau_v}, {"m", p->m}};
  size_t n = sizeof f / sizeof f[0] - (p->sfa ? 0 : 2);
  return cn_model_param_lookup(m, f, n, name, out);
}

static const char *const states_plain[] = {"u", "r", "inp", "x", NULL};
static const char *const states_sfa[] = {"u", "r", "inp", "v", "x", NULL};
static const char *const params_1d[] = {"num", "tau", "k", "a", "A", "J0", "z_min", "z_max",
                                        "z_range", "rho", "dx", NULL};
static const char *const params_1d_sfa[] = {"num", "tau", "tau_v", "k", "a", "A", "J0",
                                            "z_min", "z_max", "m", "z_range", "rho", "dx",
                                            NULL};
static const char *const params_2d[] = {"length", "tau", "k", "a", "A", "J0", "z_min",
                                        "z_max", "z_range", "rho", "dx", NULL};
static const char *const params_2d_sfa[] = {"length", "tau", "tau_v", "k", "a", "A", "J0",
                                            "z_min", "z_max", "m", "z_range", "rho", "dx",
                                            NULL};

#define CANN_VTABLE(var, nm, rank)                                                     \
  static const cn_model_vtable var = {nm,         cn_cann##rank##d_step, cann_reset, \
                                      cann_state, cann_param, cn_cann##rank##d_stimulus, \
                                      cann_destroy, NULL, NULL}
CANN_VTABLE(vt_cann1d, "CANN1D", 1);
CANN_VTABLE(vt_cann1d_sfa, "CANN1D_SFA", 1);
CANN_VTABLE(vt_cann2d, "CANN2D", 2);
CANN_VTABLE(vt_cann2d_sfa, "CANN2D_SFA", 2);

bool cn_is_cann(const cn_model *m) {
  return m && (m->vt == &vt_cann1d || m->vt == &vt_cann1d_sfa || m->vt == &vt_cann2d ||
               m->vt == &vt_cann2d_sfa);
}

const cn_cann_params *cn_cann_get_params(const cn_model *m) {
  return cn_is_cann(m) ? &cann_of(m)->p : NULL;
}

cn_cann_method cn_cann_method_used(const cn_model *m) {
  return cn_is_cann(m) ? cann_of(m)->method : CN_CANN_AUTO;
}

cn_status cn_cann_set_method(cn_model *m, cn_cann_method method) {
  if (!cn_is_cann(m)) return cn_error(CN_EINVAL, "set_method: not a CANN model");
  cann_impl *c = cann_of(m);
  cn_cann_params p = c->p;
  p.method = method;
  CN_TRY(cn_cann_params_check(&p, m->vt->name));
  /* Build the new parts on a shell that shares the coordinates and the
   * scratch arrays (setup reads x, r and irec), then move them over. */
  cann_impl t = *c;
  t.p = p;
  t.conn = t.g = t.tmp = NULL;
  t.conv = NULL;
  t.spec = NULL;
  cn_status s = c->rank == 1 ? cn_cann1d_setup(&t) : cn_cann2d_setup(&t);
  if (s != CN_OK) {
    cn_cann_free_parts(&t, CN_CANN_AUTO); /* AUTO keeps nothing */
    return s;
  }
  cn_cann_free_parts(c, CN_CANN_AUTO);
  c->p.method = method;
  c->method = t.method;
  c->conn = t.conn, c->g = t.g, c->tmp = t.tmp, c->conv = t.conv, c->spec = t.spec;
  return CN_OK;
}

cn_status cn_cann_set_accl_mode(cn_model *m, const char *mode, int64_t k,
                                double target_err_mrad) {
  if (!cn_is_cann(m)) return cn_error(CN_EINVAL, "set_accl_mode: not a CANN model");
  cann_impl *c = cann_of(m);
  const char *canon = c->p.accl_mode;
  cn_cann_method method = c->p.method;
  if (mode) CN_TRY(cn_cann_accl_method(mode, "set_accl_mode", "argument 1 (mode)", &method, &canon));
  if (k < 0)
    return cn_error(CN_EINVAL, "set_accl_mode: argument 2 (k) must be a positive integer, got %lld",
                    (long long)k);
  if (!isnan(target_err_mrad) && !isfinite(target_err_mrad))
    return cn_error(CN_EINVAL, "set_accl_mode: argument 3 (target_err_mrad) must be a finite "
                    "number, got %g", target_err_mrad);
  if (method != c->p.method) CN_TRY(cn_cann_set_method(m, method));
  c->p.accl_mode = canon;
  c->p.accl_k = k; /* upstream: k None takes the mode's default */
  if (!isnan(target_err_mrad)) c->p.accl_target_err_mrad = target_err_mrad;
  return CN_OK;
}

/* --- construction -------------------------------------------------------- */

static void fill_consts(cann_impl *c) {
  const cn_cann_params *p = &c->p;
  double Z = p->z_max - p->z_min;
  c->c32 = (cn_cann_consts_f32){(float)Z, (float)p->a, (float)p->A, (float)p->J0,
                                (float)p->k, (float)p->tau, (float)p->tau_v, (float)p->m,
                                sqrtf((float)(2 * M_PI)) * (float)p->a};
  c->c64 = (cn_cann_consts_f64){Z, p->a, p->A, p->J0, p->k, p->tau, p->tau_v, p->m,
                                sqrt(2 * M_PI) * p->a};
}

static cn_status cann_new(cn_model **out, const cn_cann_params *p, int rank) {
  *out = NULL;
  const char *name = rank == 1 ? (p->sfa ? "CANN1D_SFA" : "CANN1D")
                               : (p->sfa ? "CANN2D_SFA" : "CANN2D");
  CN_TRY(cn_cann_params_check(p, name));
  cann_impl *c = calloc(1, sizeof *c);
  if (!c) return cn_error(CN_ENOMEM, "%s: out of memory", name);
  c->p = *p;
  c->rank = rank;
  fill_consts(c);
  int64_t shape[2] = {p->n, p->n};
  cn_dtype t = p->dtype;
  cn_status s = cn_linspace(&c->x, p->z_min, p->z_max, p->n, true, t);
  if (s == CN_OK) s = cn_array_zeros(&c->u, t, rank, shape);
  if (s == CN_OK) s = cn_array_zeros(&c->r, t, rank, shape);
  if (s == CN_OK) s = cn_array_zeros(&c->inp, t, rank, shape);
  if (s == CN_OK && p->sfa) s = cn_array_zeros(&c->v, t, rank, shape);
  if (s == CN_OK) s = cn_array_zeros(&c->irec, t, rank, shape);
  if (s == CN_OK) s = rank == 1 ? cn_cann1d_setup(c) : cn_cann2d_setup(c);
  const cn_model_vtable *vt = rank == 1 ? (p->sfa ? &vt_cann1d_sfa : &vt_cann1d)
                                        : (p->sfa ? &vt_cann2d_sfa : &vt_cann2d);
  cn_model *m = NULL;
  if (s == CN_OK) s = cn_model_new(&m, vt, c, t, rank, shape);
  if (s != CN_OK) {
    cn_model tmp = {.impl = c};
    cann_destroy(&tmp);
    return s;
  }
  m->pos_ndim = rank;
  m->states = p->sfa ? states_sfa : states_plain;
  m->params = rank == 1 ? (p->sfa ? params_1d_sfa : params_1d)
                        : (p->sfa ? params_2d_sfa : params_2d);
  *out = m;
  return CN_OK;
}

cn_status cn_cann1d_new(cn_model **out, const cn_cann_params *p) {
  return cann_new(out, p, 1);
}

cn_status cn_cann2d_new(cn_model **out, const cn_cann_params *p) {
  return cann_new(out, p, 2);
}

/* --- on-request helpers --------------------------------------------------- */

cn_status cn_cann_conn_mat(cn_model *m, cn_array **out) {
  *out = NULL;
  if (!cn_is_cann(m)) return cn_error(CN_EINVAL, "conn_mat: not a CANN model");
  cann_impl *c = cann_of(m);
  int64_t n = c->p.n, N = c->rank == 1 ? n : n * n;
  CN_TRY(cn_array_empty(out, c->p.dtype, 2, (int64_t[]){N, N}));
  if (c->p.dtype == CN_FLOAT32) {
    if (c->rank == 1)
      cn_k_cann_conn1d_f32(&c->c32, cn_f32(c->x), n, cn_f32(*out));
    else
      cn_k_cann_conn2d_f32(&c->c32, cn_f32(c->x), n, cn_f32(*out));
  } else {
    if (c->rank == 1)
      cn_k_cann_conn1d_f64(&c->c64, cn_f64(c->x), n, cn_f64(*out));
    else
      cn_k_cann_conn2d_f64(&c->c64, cn_f64(c->x), n, cn_f64(*out));
  }
  return CN_OK;
}

cn_status cn_cann_dist(cn_model *m, const cn_array *d, cn_array **out) {
  *out = NULL;
  if (!cn_is_cann(m)) return cn_error(CN_EINVAL, "dist: not a CANN model");
  cann_impl *c = cann_of(m);
  CN_TRY(d->dtype == c->p.dtype ? cn_array_copy(out, d) : cn_array_astype(out, d, c->p.dtype));
  int64_t n = (*out)->size;
  if (c->p.dtype == CN_FLOAT32) {
    float *v = cn_f32(*out);
    for (int64_t i = 0; i < n; i++) v[i] = cn_ringdistf(v[i], c->c32.Z);
  } else {
    double *v = cn_f64(*out);
    for (int64_t i = 0; i < n; i++) v[i] = cn_ringdist(v[i], c->c64.Z);
  }
  return CN_OK;
}

cn_status cn_cann_lag_kernel(const cann_impl *c, double **out) {
  int64_t M = c->p.n - 1, cnt = c->rank == 1 ? M : M * M;
  double *k = malloc(sizeof(double) * (size_t)cnt);
  if (!k) return cn_error(CN_ENOMEM, "%s: out of memory for the kernel", "CANN");
  /* Entries are evaluated exactly like the dense matrix (in the model's
   * precision), then widened for the spectrum. */
  if (c->p.dtype == CN_FLOAT32) {
    const float *x = cn_f32(c->x);
    for (int64_t d = 0; d < M; d++) {
      if (c->rank == 1) {
        k[d] = cn_cann_kernelf(&c->c32, cn_ringdistf(x[d] - x[0], c->c32.Z));
        continue;
      }
      float dy = cn_ringdistf(x[0] - x[d], c->c32.Z);
      for (int64_t e = 0; e < M; e++) {
        float dx = cn_ringdistf(x[0] - x[e], c->c32.Z);
        k[d * M + e] = cn_cann_kernelf(&c->c32, sqrtf(dx * dx + dy * dy));
      }
    }
  } else {
    const double *x = cn_f64(c->x);
    for (int64_t d = 0; d < M; d++) {
      if (c->rank == 1) {
        k[d] = cn_cann_kernel(&c->c64, cn_ringdist(x[d] - x[0], c->c64.Z));
        continue;
      }
      double dy = cn_ringdist(x[0] - x[d], c->c64.Z);
      for (int64_t e = 0; e < M; e++) {
        double dx = cn_ringdist(x[0] - x[e], c->c64.Z);
        k[d * M + e] = cn_cann_kernel(&c->c64, sqrt(dx * dx + dy * dy));
      }
    }
  }
  *out = k;
  return CN_OK;
}

cn_status cn_cann_lag_kernel_exact(const cann_impl *c, double **out) {
  int64_t M = c->p.n - 1;
  double *k = malloc(sizeof(double) * (size_t)(M > 0 ? M : 1));
  if (!k) return cn_error(CN_ENOMEM, "%s: out of memory for the kernel", "CANN");
  double Z = c->c64.Z;
  for (int64_t d = 0; d < M; d++)
    k[d] = cn_cann_kernel(&c->c64, cn_ringdist((double)d * Z / (double)M, Z));
  *out = k;
  return CN_OK;
}
