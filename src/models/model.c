/* canns — the model interface: global dt, keyword parameters, model
 * lifetime and checked single steps.  The simulation loop is in run.c, the
 * class registry in registry.c. */
#include <math.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "canns/model.h"
#include "core/internal.h"
#include "models/ftz.h"

/* --- global time step ------------------------------------------------- */

static _Atomic double global_dt = 0.1;

cn_status cn_set_dt(double dt) {
  if (!isfinite(dt) || dt <= 0)
    return cn_error(CN_EINVAL, "set_dt: dt must be a finite number > 0, got %g", cn_fabs_nan(dt));
  atomic_store(&global_dt, dt);
  return CN_OK;
}

double cn_get_dt(void) { return atomic_load(&global_dt); }

/* --- keyword parameters ----------------------------------------------- */

static const cn_param *find_param(const cn_params *p, const char *key) {
  if (!p) return NULL;
  for (int i = 0; i < p->n; i++)
    if (strcmp(p->items[i].key, key) == 0) return &p->items[i];
  return NULL;
}

static const char *fname_of(const cn_params *p) {
  return p && p->fname ? p->fname : "model";
}

static const char *type_name(cn_param_type t) {
  return t == CN_PARAM_NUMBER ? "a number" : t == CN_PARAM_BOOL ? "a boolean" : "a string";
}

bool cn_params_has(const cn_params *p, const char *key) {
  return find_param(p, key) != NULL;
}

/* The parameter `key` into *out (NULL when absent); an error naming
 * `what` was expected when it is present with another type. */
static cn_status typed_param(const cn_params *p, const char *key, cn_param_type t,
                             const char *what, const cn_param **out) {
  const cn_param *q = find_param(p, key);
  *out = q;
  if (q && q->type != t)
    return cn_error(CN_EINVAL, "%s: argument '%s' must be %s, got %s", fname_of(p), key, what,
                    type_name(q->type));
  return CN_OK;
}

cn_status cn_params_number(const cn_params *p, const char *key, double def,
                           double *out) {
  const cn_param *q;
  CN_TRY(typed_param(p, key, CN_PARAM_NUMBER, "a number", &q));
  *out = q ? q->num : def;
  return CN_OK;
}

cn_status cn_params_int(const cn_params *p, const char *key, int64_t def,
                        int64_t *out) {
  const cn_param *q;
  CN_TRY(typed_param(p, key, CN_PARAM_NUMBER, "an integer", &q));
  if (!q) {
    *out = def;
    return CN_OK;
  }
  if (!isfinite(q->num) || q->num != floor(q->num))
    return cn_error(CN_EINVAL, "%s: argument '%s' must be an integer, got %g", fname_of(p),
                    key, cn_fabs_nan(q->num));
  if (fabs(q->num) >= 9223372036854775808.0) /* beyond int64: say so, with the limit */
    return cn_error(CN_EINVAL, "%s: argument '%s' is too large: must be at most %lld, got %.17g",
                    fname_of(p), key, (long long)INT64_MAX, q->num);
  *out = (int64_t)q->num;
  return CN_OK;
}

cn_status cn_params_bool(const cn_params *p, const char *key, bool def,
                         bool *out) {
  const cn_param *q;
  CN_TRY(typed_param(p, key, CN_PARAM_BOOL, "a boolean", &q));
  *out = q ? q->num != 0 : def;
  return CN_OK;
}

cn_status cn_params_string(const cn_params *p, const char *key,
                           const char *def, const char **out) {
  const cn_param *q;
  CN_TRY(typed_param(p, key, CN_PARAM_STRING, "a string", &q));
  *out = q ? q->str : def;
  return CN_OK;
}

cn_status cn_params_check(const cn_params *p, const char *const *allowed) {
  if (!p) return CN_OK;
  for (int i = 0; i < p->n; i++) {
    bool ok = false;
    for (const char *const *a = allowed; a && *a; a++)
      if (strcmp(*a, p->items[i].key) == 0) ok = true;
    if (!ok) {
      char list[512] = "";
      size_t used = 0;
      for (const char *const *a = allowed; a && *a && used < sizeof list - 40; a++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 a == allowed ? "" : ", ", *a);
      return cn_error(CN_EINVAL, "%s: unknown argument '%s' (expected one of: %s)",
                      fname_of(p), p->items[i].key, list);
    }
  }
  return CN_OK;
}

/* --- lifetime ------------------------------------------------------------ */

cn_status cn_model_new(cn_model **out, const cn_model_vtable *vt, void *impl,
                       cn_dtype dtype, int in_ndim, const int64_t *in_shape) {
  *out = NULL;
  if (!vt || (!vt->step && !vt->step_inputs) || !vt->reset || !vt->state || !vt->destroy)
    return cn_error(CN_EINVAL,
                    "model: the vtable needs step (or step_inputs), reset, state and destroy");
  if (dtype != CN_FLOAT32 && dtype != CN_FLOAT64)
    return cn_error(CN_EDTYPE, "model %s: dtype must be float32 or float64",
                    vt->name ? vt->name : "?");
  int64_t size;
  CN_TRY(cn_shape_check(in_ndim, in_shape, dtype, &size));
  cn_model *m = calloc(1, sizeof *m);
  if (!m) return cn_error(CN_ENOMEM, "model: out of memory");
  m->vt = vt;
  m->impl = impl;
  m->dtype = dtype;
  m->in_ndim = in_ndim;
  for (int i = 0; i < in_ndim; i++) m->in_shape[i] = in_shape[i];
  m->in_size = size;
  m->refcount = 1;
  m->ninputs = 1;
  cn_model_input *i0 = &m->inputs[0];
  i0->name = "inp";
  i0->ndim = in_ndim;
  for (int i = 0; i < in_ndim; i++) i0->shape[i] = in_shape[i];
  i0->size = size;
  *out = m;
  return CN_OK;
}

cn_status cn_model_set_inputs(cn_model *m, int n, const cn_model_input *inputs) {
  const char *mn = m->vt->name ? m->vt->name : "model";
  if (n < 1 || n > CN_MAX_INPUTS)
    return cn_error(CN_EINVAL, "model %s: the number of inputs must be 1..%d, got %d", mn,
                    CN_MAX_INPUTS, n);
  if (n > 1 && !m->vt->step_inputs)
    return cn_error(CN_EINVAL, "model %s: a model with several inputs needs step_inputs", mn);
  cn_model_input tmp[CN_MAX_INPUTS];
  for (int i = 0; i < n; i++) {
    tmp[i] = inputs[i];
    if (!tmp[i].name || !tmp[i].name[0])
      return cn_error(CN_EINVAL, "model %s: input %d has no name", mn, i + 1);
    for (int j = 0; j < i; j++)
      if (strcmp(tmp[j].name, tmp[i].name) == 0)
        return cn_error(CN_EINVAL, "model %s: input name '%s' is used twice", mn, tmp[i].name);
    CN_TRY(cn_shape_check(tmp[i].ndim, tmp[i].shape, m->dtype, &tmp[i].size));
  }
  memcpy(m->inputs, tmp, (size_t)n * sizeof tmp[0]);
  m->ninputs = n;
  m->in_ndim = tmp[0].ndim;
  for (int i = 0; i < tmp[0].ndim; i++) m->in_shape[i] = tmp[0].shape[i];
  m->in_size = tmp[0].size;
  return CN_OK;
}

int cn_model_input_index(const cn_model *m, const char *name) {
  for (int i = 0; i < m->ninputs; i++)
    if (strcmp(m->inputs[i].name, name) == 0) return i;
  return -1;
}

cn_model *cn_model_retain(cn_model *m) {
  if (m) __atomic_add_fetch(&m->refcount, 1, __ATOMIC_RELAXED);
  return m;
}

void cn_model_release(cn_model *m) {
  if (!m) return;
  if (__atomic_sub_fetch(&m->refcount, 1, __ATOMIC_ACQ_REL) > 0) return;
  m->vt->destroy(m);
  free(m);
}

/* --- checked operations ---------------------------------------------------- */

static const char *mname(const cn_model *m) {
  return m->vt->name ? m->vt->name : "model";
}

/* A scratch array of the model's input shape and dtype holding inp (which
 * may be a broadcast scalar or have another float dtype). */
static cn_status input_like(cn_model *m, const cn_model_input *d, const cn_array *inp,
                            cn_array **out) {
  *out = NULL;
  if (!inp) { /* an optional input not given */
    CN_TRY(cn_array_empty(out, m->dtype, d->ndim, d->shape));
    return cn_array_fill(*out, d->fill);
  }
  if (!cn_dtype_is_float(inp->dtype) && inp->dtype != CN_INT32 && inp->dtype != CN_INT64)
    return cn_error(CN_EDTYPE, "%s.update: input '%s' must be a number array, got %s", mname(m),
                    d->name, cn_dtype_name(inp->dtype));
  bool same = inp->ndim == d->ndim;
  for (int i = 0; same && i < d->ndim; i++) same = inp->shape[i] == d->shape[i];
  if (!same && inp->size != 1) {
    char want[128] = "", got[128] = "";
    size_t w = 0, g = 0;
    for (int i = 0; i < d->ndim; i++)
      w += (size_t)snprintf(want + w, sizeof want - w, "%s%lld", i ? "," : "",
                            (long long)d->shape[i]);
    for (int i = 0; i < inp->ndim; i++)
      g += (size_t)snprintf(got + g, sizeof got - g, "%s%lld", i ? "," : "",
                            (long long)inp->shape[i]);
    if (m->ninputs > 1)
      return cn_error(CN_ESHAPE, "%s.update: input '%s' must have shape {%s}, got {%s}",
                      mname(m), d->name, want, got);
    return cn_error(CN_ESHAPE, "%s.update: input must have shape {%s}, got {%s}", mname(m),
                    want, got);
  }
  if (same && inp->dtype == m->dtype) {
    *out = cn_array_retain((cn_array *)inp);
    return CN_OK;
  }
  CN_TRY(cn_array_empty(out, m->dtype, d->ndim, d->shape));
  if (same)
    cn_convert(inp->data, inp->dtype, (*out)->data, m->dtype, inp->size);
  else
    cn_array_fill(*out, cn_array_getd(inp, 0));
  return CN_OK;
}

cn_status cn_model_step(cn_model *m, const cn_array *inp) {
  int nreq = 0;
  for (int i = 0; i < m->ninputs; i++) nreq += !m->inputs[i].optional;
  if (m->ninputs > 1 && nreq > 1)
    return cn_error(CN_EINVAL, "%s.update: the model takes %d inputs, got 1", mname(m),
                    m->ninputs);
  if (m->ninputs > 1 || !m->vt->step) {
    const cn_array *v[CN_MAX_INPUTS] = {inp};
    return cn_model_step_inputs(m, v);
  }
  cn_array *x;
  CN_TRY(input_like(m, &m->inputs[0], inp, &x));
  cn_ftz_state fp = cn_ftz_begin();
  cn_status s = m->vt->step(m, x);
  cn_ftz_end(fp);
  cn_array_release(x);
  return s;
}

cn_status cn_model_step_inputs(cn_model *m, const cn_array *const *inp) {
  cn_array *x[CN_MAX_INPUTS] = {NULL};
  cn_status s = CN_OK;
  for (int i = 0; i < m->ninputs && s == CN_OK; i++) {
    if (!inp[i] && !m->inputs[i].optional)
      s = cn_error(CN_EINVAL, "%s.update: input '%s' is required", mname(m), m->inputs[i].name);
    else
      s = input_like(m, &m->inputs[i], inp[i], &x[i]);
  }
  if (s == CN_OK) {
    cn_ftz_state fp = cn_ftz_begin();
    s = m->vt->step_inputs ? m->vt->step_inputs(m, (const cn_array *const *)x)
                           : m->vt->step(m, x[0]);
    cn_ftz_end(fp);
  }
  for (int i = 0; i < m->ninputs; i++) cn_array_release(x[i]);
  return s;
}

cn_status cn_model_reset(cn_model *m) { return m->vt->reset(m); }

cn_model *cn_model_child(cn_model *m, const char *name) {
  char seg[64];
  while (m && *name) {
    const char *dot = strchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : strlen(name);
    if (!m->vt->child || n == 0 || n >= sizeof seg) return NULL;
    memcpy(seg, name, n);
    seg[n] = 0;
    m = m->vt->child(m, seg);
    name = dot ? dot + 1 : name + n;
  }
  return m;
}

/* The model that owns the last segment of a dotted name, and that
 * segment; NULL when a part on the way does not exist. */
static cn_model *owner_of(cn_model *m, const char *name, const char **last) {
  const char *dot = strrchr(name, '.');
  *last = dot ? dot + 1 : name;
  if (!dot) return m;
  char path[256];
  size_t n = (size_t)(dot - name);
  if (n >= sizeof path) return NULL;
  memcpy(path, name, n);
  path[n] = 0;
  return cn_model_child(m, path);
}

cn_array *cn_model_find_state(cn_model *m, const char *name) {
  const char *last;
  cn_model *o = owner_of(m, name, &last);
  return o ? o->vt->state(o, last) : NULL;
}

cn_array *cn_model_state(cn_model *m, const char *name) {
  const char *last;
  cn_model *o = owner_of(m, name, &last);
  if (!o) { /* name the first part on the way that does not exist */
    char path[256];
    size_t n = strcspn(name, ".");
    cn_model *p = m;
    while (n < sizeof path) {
      memcpy(path, name, n);
      path[n] = 0;
      cn_model *c = cn_model_child(m, path);
      if (!c) break;
      p = c;
      n += 1 + strcspn(name + n + 1, ".");
    }
    const char *seg = strrchr(path, '.');
    cn_error(CN_EINVAL, "%s has no part '%s' (in '%s')", mname(p), seg ? seg + 1 : path, name);
    return NULL;
  }
  if (o != m) {
    cn_array *a = cn_model_state(o, last);
    if (!a) {
      char msg[256];
      snprintf(msg, sizeof msg, "%s", cn_errmsg());
      cn_error(CN_EINVAL, "%s: %s", name, msg);
    }
    return a;
  }
  cn_array *a = m->vt->state(m, name);
  if (!a) {
    char list[256] = "";
    size_t used = 0;
    for (const char *const *s = m->states; s && *s && used < sizeof list - 40; s++)
      used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                               s == m->states ? "" : ", ", *s);
    cn_error(CN_EINVAL, "%s has no state variable '%s'%s%s%s", mname(m), name,
             list[0] ? " (it has: " : "", list, list[0] ? ")" : "");
  }
  return a;
}

cn_status cn_model_param(cn_model *m, const char *name, double *out) {
  if (!m->vt->param) return cn_error(CN_EINVAL, "%s has no parameter '%s'", mname(m), name);
  return m->vt->param(m, name, out);
}

cn_status cn_model_param_lookup(const cn_model *m, const cn_param_value *t, size_t n,
                                const char *name, double *out) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(t[i].name, name) == 0) {
      *out = t[i].value;
      return CN_OK;
    }
  return cn_error(CN_EINVAL, "%s has no parameter '%s'", mname(m), name);
}

cn_status cn_model_stimulus(cn_model *m, const double *pos, int npos,
                            cn_array **out) {
  *out = NULL;
  if (!m->vt->stimulus || m->pos_ndim <= 0)
    return cn_error(CN_EINVAL, "%s has no get_stimulus_by_pos", mname(m));
  if (npos != m->pos_ndim)
    return cn_error(CN_ESHAPE, "%s.get_stimulus_by_pos: position must have %d coordinate%s, got %d",
                    mname(m), m->pos_ndim, m->pos_ndim == 1 ? "" : "s", npos);
  for (int i = 0; i < npos; i++)
    if (!isfinite(pos[i]))
      return cn_error(CN_EINVAL, "%s.get_stimulus_by_pos: position must be finite, got %g",
                      mname(m), cn_fabs_nan(pos[i]));
  CN_TRY(cn_array_empty(out, m->dtype, m->in_ndim, m->in_shape));
  cn_status s = m->vt->stimulus(m, pos, npos, *out);
  if (s != CN_OK) {
    cn_array_release(*out);
    *out = NULL;
  }
  return s;
}

cn_status cn_model_stimulus_seq(cn_model *m, const cn_array *positions,
                                cn_array **out) {
  *out = NULL;
  if (!m->vt->stimulus || m->pos_ndim <= 0)
    return cn_error(CN_EINVAL, "%s has no get_stimulus_by_pos", mname(m));
  int d = m->pos_ndim;
  bool ok = (positions->ndim == 2 && positions->shape[1] == d) ||
            (positions->ndim == 1 && d == 1);
  if (!ok)
    return cn_error(CN_ESHAPE, "%s: positions must have shape {T, %d}", mname(m), d);
  int64_t T = positions->shape[0];
  int64_t shape[CN_MAXDIM];
  shape[0] = T;
  for (int i = 0; i < m->in_ndim; i++) shape[i + 1] = m->in_shape[i];
  CN_TRY(cn_array_empty(out, m->dtype, m->in_ndim + 1, shape));
  size_t es = cn_dtype_size(m->dtype);
  cn_status s = CN_OK;
  char msg[512] = "";
  /* Rows are independent: split them over threads; each row is one
   * stimulus() call on a borrowed row view. */
#pragma omp parallel num_threads(cn_threads_for(T * m->in_size))
  {
    cn_array row = **out;
    row.ndim = m->in_ndim;
    for (int i = 0; i < m->in_ndim; i++) row.shape[i] = m->in_shape[i];
    row.size = m->in_size;
    row.base = NULL;
    row.owns_data = false;
    row.refcount = 1;
#pragma omp for schedule(static)
    for (int64_t t = 0; t < T; t++) {
      double pos[CN_MAXDIM];
      for (int k = 0; k < d; k++) pos[k] = cn_array_getd(positions, t * d + k);
      row.data = (char *)(*out)->data + (size_t)t * (size_t)m->in_size * es;
      cn_status st = CN_OK;
      for (int k = 0; k < d; k++)
        if (!isfinite(pos[k]))
          st = cn_error(CN_EINVAL, "%s: position %lld is not finite (%g)", mname(m),
                        (long long)t + 1, cn_fabs_nan(pos[k]));
      if (st == CN_OK) st = m->vt->stimulus(m, pos, d, &row);
      if (st != CN_OK) {
#pragma omp critical(canns_stimulus_seq)
        if (s == CN_OK) {
          s = st;
          snprintf(msg, sizeof msg, "%s", cn_errmsg());
        }
      }
    }
  }
  if (s != CN_OK) {
    cn_array_release(*out);
    *out = NULL;
    return cn_error(s, "%s", msg);
  }
  return CN_OK;
}
