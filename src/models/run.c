/* canns — the simulation loop: step a model over a whole input sequence
 * and record state variables, all in C (spec: canns.run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canns/model.h"
#include "canns/progress.h"
#include "core/internal.h"
#include "models/ftz.h"

#define MAX_PREFAULT 8

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Copy one recorded row.  The recording is written once and read only
 * after the run, so on x86 the aligned middle goes out with streaming
 * stores: no read-for-ownership of the destination lines and no eviction
 * of the model's working set (cn_run fences once at the end). */
static void copy_row(char *dst, const char *src, size_t n) {
#ifdef __SSE2__
  if (n >= 256) {
    size_t head = (16 - ((uintptr_t)dst & 15)) & 15;
    memcpy(dst, src, head);
    dst += head, src += head, n -= head;
    size_t body = n & ~(size_t)63;
    for (size_t i = 0; i < body; i += 64) {
      __m128i a = _mm_loadu_si128((const __m128i *)(src + i));
      __m128i b = _mm_loadu_si128((const __m128i *)(src + i + 16));
      __m128i c = _mm_loadu_si128((const __m128i *)(src + i + 32));
      __m128i d = _mm_loadu_si128((const __m128i *)(src + i + 48));
      _mm_stream_si128((__m128i *)(dst + i), a);
      _mm_stream_si128((__m128i *)(dst + i + 16), b);
      _mm_stream_si128((__m128i *)(dst + i + 32), c);
      _mm_stream_si128((__m128i *)(dst + i + 48), d);
    }
    memcpy(dst + body, src + body, n - body);
    return;
  }
#endif
  memcpy(dst, src, n);
}

static void copy_fence(void) {
#ifdef __SSE2__
  _mm_sfence();
#endif
}

static void shape_str(char *buf, size_t n, int ndim, const int64_t *shape,
                      const char *lead) {
  size_t u = (size_t)snprintf(buf, n, "{%s", lead ? lead : "");
  for (int i = 0; i < ndim && u < n; i++)
    u += (size_t)snprintf(buf + u, n - u, "%s%lld", (i || lead) ? ", " : "",
                          (long long)shape[i]);
  if (u < n) snprintf(buf + u, n - u, "}");
}

static cn_status check_inputs(cn_model *m, const cn_array *in) {
  bool ok = in->ndim == m->in_ndim + 1;
  for (int i = 0; ok && i < m->in_ndim; i++) ok = in->shape[i + 1] == m->in_shape[i];
  if (!ok) {
    char want[160], got[160];
    shape_str(want, sizeof want, m->in_ndim, m->in_shape, "T");
    shape_str(got, sizeof got, in->ndim, in->shape, NULL);
    return cn_error(CN_ESHAPE, "run: inputs for %s must have shape %s (time first), got %s",
                    m->vt->name ? m->vt->name : "the model", want, got);
  }
  if (in->dtype != CN_FLOAT32 && in->dtype != CN_FLOAT64)
    return cn_error(CN_EDTYPE, "run: inputs must be float32 or float64, got %s",
                    cn_dtype_name(in->dtype));
  return CN_OK;
}

/* Copy state `name` into row j of rec (checking it kept its size). */
static cn_status record_row(cn_model *m, const char *name, cn_array *rec,
                            int64_t j) {
  cn_array *a = m->vt->state(m, name);
  int64_t per = rec->shape[0] ? rec->size / rec->shape[0] : 0;
  if (!a)
    return cn_error(CN_EINVAL, "run: %s lost its state variable '%s' during the run",
                    m->vt->name, name);
  if (a->size != per || a->dtype != rec->dtype)
    return cn_error(CN_ESHAPE,
                    "run: state variable '%s' changed size or dtype during the run "
                    "(%lld %s, was %lld %s)",
                    name, (long long)a->size, cn_dtype_name(a->dtype), (long long)per,
                    cn_dtype_name(rec->dtype));
  size_t es = cn_dtype_size(a->dtype);
  copy_row((char *)rec->data + (size_t)j * (size_t)per * es, a->data, (size_t)per * es);
  return CN_OK;
}

cn_status cn_run(cn_model *m, const cn_array *inputs, const cn_run_opts *opts,
                 cn_array **out) {
  cn_run_opts o = CN_RUN_OPTS_INIT;
  if (opts) o = *opts;
  for (int i = 0; i < o.nrecord; i++) out[i] = NULL;
  if (o.record_every < 1)
    return cn_error(CN_EINVAL, "run: record_every must be >= 1, got %lld",
                    (long long)o.record_every);
  if (o.nrecord < 0 || (o.nrecord > 0 && !o.record))
    return cn_error(CN_EINVAL, "run: invalid record list");
  int64_t T;
  if (inputs) {
    CN_TRY(check_inputs(m, inputs));
    T = inputs->shape[0];
  } else {
    if (o.nsteps < 0)
      return cn_error(CN_EINVAL, "run: number of steps must be >= 0, got %lld",
                      (long long)o.nsteps);
    T = o.nsteps;
  }
  if (o.reset) CN_TRY(m->vt->reset(m));

  int64_t nrec = T / o.record_every;
  cn_status s = CN_OK;
  for (int i = 0; i < o.nrecord && s == CN_OK; i++) {
    if (!o.record[i]) {
      s = cn_error(CN_EINVAL, "run: record name %d is missing", i + 1);
      break;
    }
    cn_array *a = cn_model_state(m, o.record[i]);
    if (!a) {
      s = CN_EINVAL; /* message set by cn_model_state */
      break;
    }
    int64_t shape[CN_MAXDIM];
    if (a->ndim + 1 > CN_MAXDIM) {
      s = cn_error(CN_ESHAPE, "run: state '%s' has too many dimensions", o.record[i]);
      break;
    }
    shape[0] = nrec;
    for (int k = 0; k < a->ndim; k++) shape[k + 1] = a->shape[k];
    s = cn_array_empty(&out[i], a->dtype, a->ndim + 1, shape);
  }
  /* Map the recording's pages ahead of the loop (on another core when
   * allowed): first-touch faults cost as much as a small model's step. */
  cn_prefault *pf = NULL;
  if (s == CN_OK && o.nrecord > 0) {
    void *bufs[MAX_PREFAULT];
    size_t bytes[MAX_PREFAULT];
    int nb = o.nrecord < MAX_PREFAULT ? o.nrecord : MAX_PREFAULT;
    for (int i = 0; i < nb; i++) {
      bufs[i] = out[i]->data;
      bytes[i] = (size_t)out[i]->size * cn_dtype_size(out[i]->dtype);
    }
    pf = cn_prefault_start(bufs, bytes, nb);
  }

  /* One input row, reused for every step: a borrowed view into `inputs`,
   * or a scratch buffer when the dtype must be converted or there is no
   * input at all. */
  cn_array *scratch = NULL;
  bool convert = inputs && inputs->dtype != m->dtype;
  if (s == CN_OK && (convert || !inputs))
    s = cn_array_zeros(&scratch, m->dtype, m->in_ndim, m->in_shape);
  cn_array row;
  memset(&row, 0, sizeof row);
  row.dtype = m->dtype;
  row.ndim = m->in_ndim;
  for (int k = 0; k < m->in_ndim; k++) row.shape[k] = m->in_shape[k];
  row.size = m->in_size;
  row.refcount = 1;
  row.data = scratch ? scratch->data : NULL;

  cn_progress *bar = NULL;
  if (s == CN_OK && o.progress)
    bar = cn_progress_new(o.label ? o.label : (m->vt->name ? m->vt->name : "run"), T);
  size_t in_bytes = inputs ? (size_t)m->in_size * cn_dtype_size(inputs->dtype) : 0;
  cn_ftz_state fp = cn_ftz_begin();
  for (int64_t t = 0; t < T && s == CN_OK; t++) {
    if (inputs) {
      const char *src = (const char *)inputs->data + (size_t)t * in_bytes;
      if (convert)
        cn_convert(src, inputs->dtype, scratch->data, m->dtype, m->in_size);
      else
        row.data = (void *)src;
    }
    s = m->vt->step(m, &row);
    if (s == CN_OK && (t + 1) % o.record_every == 0) {
      int64_t j = (t + 1) / o.record_every - 1;
      for (int i = 0; i < o.nrecord && s == CN_OK; i++)
        s = record_row(m, o.record[i], out[i], j);
    }
    cn_progress_tick(bar, 1);
  }
  cn_ftz_end(fp);
  copy_fence();
  cn_prefault_end(pf);
  cn_progress_free(bar);
  cn_array_release(scratch);
  if (s != CN_OK)
    for (int i = 0; i < o.nrecord; i++) {
      cn_array_release(out[i]);
      out[i] = NULL;
    }
  return s;
}
