/* canns — tracking-task input generators (upstream `canns.task.tracking`). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "canns/task.h"
#include "core/internal.h"

/* numpy's pairwise summation of a contiguous float64 vector. */
static double pairwise(const double *a, int64_t n) {
  if (n < 8) {
    double res = 0.;
    for (int64_t i = 0; i < n; i++) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; j++) r[j] = a[j];
    int64_t i;
    for (i = 8; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; j++) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[i];
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

double cn_task_sum(const double *v, int64_t n) { return 0.0 + pairwise(v, n); }

static cn_status check_dt(double dt) {
  if (!isfinite(dt) || dt <= 0)
    return cn_error(CN_EINVAL, "argument 'time_step' must be a finite number > 0, got %g", cn_fabs_nan(dt));
  return CN_OK;
}

/* int(d / dt) for a checked duration, as an int64. */
static cn_status seg_rows(double d, double dt, int64_t *out) {
  double q = d / dt;
  if (!(q < 9.0e15))
    return cn_error(CN_ERANGE, "duration %g at time_step %g gives too many steps", d, dt);
  *out = (int64_t)q;
  return CN_OK;
}

cn_status cn_task_total_steps(const double *durations, int64_t n, double dt,
                              int64_t *out) {
  CN_TRY(check_dt(dt));
  for (int64_t i = 0; i < n; i++)
    if (!isfinite(durations[i]) || durations[i] < 0)
      return cn_error(CN_EINVAL,
                      "argument 'duration' must hold finite numbers >= 0, got %g at %lld",
                      cn_fabs_nan(durations[i]), (long long)i + 1);
  double q = ceil(cn_task_sum(durations, n) / dt);
  if (!(q < 1.0e12))
    return cn_error(CN_ERANGE, "the task would have %g steps, too many", q);
  *out = (int64_t)q;
  return CN_OK;
}

double cn_task_linspace_at(double start, double stop, int64_t n, int64_t k) {
  if (n == 1) return start + 0.0 * (stop - start);
  if (k == n - 1) return stop;
  double delta = stop - start, div = (double)(n - 1);
  double step = delta / div;
  if (step == 0) return (double)k / div * delta + start;
  return (double)k * step + start;
}

static cn_status check_keys(const double *keys, int64_t cnt) {
  for (int64_t i = 0; i < cnt; i++)
    if (!isfinite(keys[i]))
      return cn_error(CN_EINVAL, "argument 'Iext' must hold finite numbers, got %g", cn_fabs_nan(keys[i]));
  return CN_OK;
}

static cn_status new_positions(int ndim, int64_t T, cn_array **out) {
  if (ndim < 1 || ndim > 8)
    return cn_error(CN_EINVAL, "positions must have 1 to 8 coordinates, got %d", ndim);
  return cn_array_zeros(out, CN_FLOAT64, 2, (int64_t[]){T, ndim});
}

cn_status cn_task_smooth_positions(int ndim, const double *keys, int64_t nkeys,
                                   const double *durations, int64_t ndur,
                                   double dt, cn_array **out) {
  *out = NULL;
  if (nkeys != ndur + 1)
    return cn_error(CN_EINVAL,
                    "argument 'Iext' must have one more key point than 'duration' has "
                    "segments (got %lld key points and %lld durations)",
                    (long long)nkeys, (long long)ndur);
  CN_TRY(check_keys(keys, nkeys * ndim));
  int64_t T;
  CN_TRY(cn_task_total_steps(durations, ndur, dt, &T));
  CN_TRY(new_positions(ndim, T, out));
  double *p = cn_f64(*out);
  int64_t c = 0;
  for (int64_t s = 0; s < ndur; s++) {
    int64_t n = 0;
    cn_status st = seg_rows(durations[s], dt, &n);
    if (st != CN_OK) {
      cn_array_release(*out);
      *out = NULL;
      return st;
    }
    if (n == 0) continue;
    for (int64_t k = 0; k < n && c + k < T; k++)
      for (int d = 0; d < ndim; d++)
        p[(c + k) * ndim + d] =
            cn_task_linspace_at(keys[s * ndim + d], keys[(s + 1) * ndim + d], n, k);
    c += n;
  }
  for (; c < T; c++)
    for (int d = 0; d < ndim; d++) p[c * ndim + d] = keys[(nkeys - 1) * ndim + d];
  return CN_OK;
}

cn_status cn_task_step_positions(int ndim, const double *keys, int64_t nkeys,
                                 const double *durations, int64_t ndur,
                                 double dt, cn_array **out) {
  *out = NULL;
  if (nkeys < 1 || nkeys != ndur)
    return cn_error(CN_EINVAL, "need one key point per duration (got %lld and %lld)",
                    (long long)nkeys, (long long)ndur);
  CN_TRY(check_keys(keys, nkeys * ndim));
  int64_t T;
  CN_TRY(cn_task_total_steps(durations, ndur, dt, &T));
  CN_TRY(new_positions(ndim, T, out));
  double *p = cn_f64(*out);
  int64_t c = 0;
  for (int64_t s = 0; s < ndur; s++) {
    int64_t n = 0;
    cn_status st = seg_rows(durations[s], dt, &n);
    if (st != CN_OK) {
      cn_array_release(*out);
      *out = NULL;
      return st;
    }
    for (int64_t k = 0; k < n && c + k < T; k++)
      for (int d = 0; d < ndim; d++) p[(c + k) * ndim + d] = keys[s * ndim + d];
    c += n;
  }
  for (; c < T; c++)
    for (int d = 0; d < ndim; d++) p[c * ndim + d] = keys[(nkeys - 1) * ndim + d];
  return CN_OK;
}

cn_status cn_task_run_steps(int64_t T, double dt, cn_array **out) {
  CN_TRY(check_dt(dt));
  if (T < 0) return cn_error(CN_EINVAL, "run_steps: negative step count %lld", (long long)T);
  CN_TRY(cn_array_empty(out, CN_FLOAT32, 1, &T));
  float *t = cn_f32(*out), fdt = (float)dt;
  for (int64_t k = 0; k < T; k++) t[k] = (float)k * fdt;
  return CN_OK;
}

static cn_status data_shape(cn_model *m, int64_t T, int64_t *shape) {
  if (m->in_ndim + 1 > CN_MAXDIM)
    return cn_error(CN_ESHAPE, "task: the model's input has too many dimensions");
  shape[0] = T;
  for (int i = 0; i < m->in_ndim; i++) shape[i + 1] = m->in_shape[i];
  return CN_OK;
}

cn_status cn_task_population_data(cn_model *m, const double *pos, int64_t T,
                                  int64_t start, int64_t end, cn_array **out) {
  *out = NULL;
  if (start < 0 || start >= T)
    return cn_error(CN_EINVAL,
                    "the stimulus would start at step %lld but the task "
                    "has only %lld steps",
                    (long long)start, (long long)T);
  if (end > T) end = T;
  int64_t shape[CN_MAXDIM];
  CN_TRY(data_shape(m, T, shape));
  cn_array *stim;
  CN_TRY(cn_model_stimulus(m, pos, m->pos_ndim, &stim));
  cn_status s = cn_array_zeros(out, m->dtype, m->in_ndim + 1, shape);
  if (s == CN_OK) {
    size_t row = (size_t)m->in_size * cn_dtype_size(m->dtype);
    for (int64_t t = start; t < end; t++)
      memcpy((char *)(*out)->data + (size_t)t * row, stim->data, row);
  }
  cn_array_release(stim);
  return s;
}

cn_status cn_task_template_data(cn_model *m, const double *pos, int64_t T,
                                double noise_level, double A, cn_rng *g,
                                cn_array **out) {
  *out = NULL;
  if (!isfinite(noise_level) || noise_level < 0)
    return cn_error(CN_EINVAL,
                    "TemplateMatching: argument 'noise_level' must be a finite, non-negative "
                    "number, got %g",
                    cn_fabs_nan(noise_level));
  int64_t shape[CN_MAXDIM];
  CN_TRY(data_shape(m, T, shape));
  cn_array *stim;
  CN_TRY(cn_model_stimulus(m, pos, m->pos_ndim, &stim));
  cn_status s = cn_array_empty(out, m->dtype, m->in_ndim + 1, shape);
  if (s == CN_OK) s = cn_rng_normal(g, *out, 0.0, 1.0);
  if (s == CN_OK) {
    int64_t n = m->in_size;
    double sd = noise_level * A;
    if (m->dtype == CN_FLOAT32) {
      float *d = cn_f32(*out);
      const float *st = cn_f32(stim);
      for (int64_t t = 0; t < T; t++)
        for (int64_t i = 0; i < n; i++)
          d[t * n + i] = (float)((double)st[i] + sd * (double)d[t * n + i]);
    } else {
      double *d = cn_f64(*out);
      const double *st = cn_f64(stim);
      for (int64_t t = 0; t < T; t++)
        for (int64_t i = 0; i < n; i++) d[t * n + i] = st[i] + sd * d[t * n + i];
    }
  }
  cn_array_release(stim);
  if (s != CN_OK) {
    cn_array_release(*out);
    *out = NULL;
  }
  return s;
}
