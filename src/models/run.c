/* canns — the simulation loop: step a model over a whole input sequence
 * and record state variables, all in C (spec: canns.run). */
#include <stdatomic.h>
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
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

/* Copy one recorded row.  The recording is written once and read only
 * after the run, so on x86 the aligned middle goes out with streaming
 * stores: no read-for-ownership of the destination lines and no eviction
 * of the model's working set (cn_run fences once at the end).  With
 * AVX-512 each store is a whole 64-byte line: a quarter of the store-queue
 * entries of 16-byte stores, and in alternating runs of the 512-neuron
 * ring the recording cost ~10 % less. */
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx512f"))) static void copy_row_avx512(char *dst, const char *src,
                                                              size_t n) {
  size_t head = (64 - ((uintptr_t)dst & 63)) & 63;
  memcpy(dst, src, head);
  dst += head, src += head, n -= head;
  size_t body = n & ~(size_t)63;
  for (size_t i = 0; i < body; i += 64)
    _mm512_stream_si512((void *)(dst + i), _mm512_loadu_si512((const void *)(src + i)));
  memcpy(dst + body, src + body, n - body);
}
#define HAVE_AVX512_COPY 1
#endif

static void copy_row(char *dst, const char *src, size_t n) {
#ifdef HAVE_AVX512_COPY
  static atomic_int avx512 = -1; /* every thread finds the same */
  int have = atomic_load_explicit(&avx512, memory_order_relaxed);
  if (have < 0) {
    have = __builtin_cpu_supports("avx512f") ? 1 : 0;
    atomic_store_explicit(&avx512, have, memory_order_relaxed);
  }
  if (have && n >= 256) {
    copy_row_avx512(dst, src, n);
    return;
  }
#endif
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

/* Ask for the next step's input row while this step runs.  A task's input
 * sequence is read once, from memory, one row per step; the hardware
 * prefetchers stop at each 4 KB page, so without this every other step of
 * a 512-neuron ring waited on its row's first cache lines.  Locality
 * hint 1 (prefetcht2): of the hints and strides tried in alternating
 * runs, it stalled the step least.  Rows past
 * PREFETCH_MAX bytes stream well on their own. */
#define PREFETCH_MAX ((size_t)64 << 10)
static void prefetch_row(const char *p, size_t n) {
  if (n > PREFETCH_MAX) return;
  for (size_t i = 0; i < n; i += 64) __builtin_prefetch(p + i, 0, 1);
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

/* Check seq (the sequence given for input d) against d's shape, time first. */
static cn_status check_seq(cn_model *m, const cn_model_input *d, const cn_array *in) {
  bool ok = in->ndim == d->ndim + 1;
  for (int i = 0; ok && i < d->ndim; i++) ok = in->shape[i + 1] == d->shape[i];
  if (!ok) {
    char want[160], got[160];
    shape_str(want, sizeof want, d->ndim, d->shape, "T");
    shape_str(got, sizeof got, in->ndim, in->shape, NULL);
    if (m->ninputs > 1)
      return cn_error(CN_ESHAPE, "run: input '%s' for %s must have shape %s (time first), got %s",
                      d->name, m->vt->name ? m->vt->name : "the model", want, got);
    return cn_error(CN_ESHAPE, "run: inputs for %s must have shape %s (time first), got %s",
                    m->vt->name ? m->vt->name : "the model", want, got);
  }
  if (in->dtype != CN_FLOAT32 && in->dtype != CN_FLOAT64)
    return cn_error(CN_EDTYPE, "run: inputs must be float32 or float64, got %s",
                    cn_dtype_name(in->dtype));
  return CN_OK;
}

static void input_list(const cn_model *m, char *buf, size_t n) {
  size_t u = 0;
  buf[0] = 0;
  for (int i = 0; i < m->ninputs && u < n; i++)
    u += (size_t)snprintf(buf + u, n - u, "%s%s%s", i ? ", " : "", m->inputs[i].name,
                          m->inputs[i].optional ? " (optional)" : "");
}

/* Copy state `name` into row j of rec (checking it kept its size). */
static cn_status record_row(cn_model *m, const char *name, cn_array *rec,
                            int64_t j) {
  cn_array *a = cn_model_find_state(m, name);
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
  if (!inputs) return cn_run_inputs(m, 0, NULL, NULL, opts, out);
  int nreq = 0;
  for (int i = 0; i < m->ninputs; i++) nreq += !m->inputs[i].optional;
  if (nreq > 1) {
    char list[256];
    input_list(m, list, sizeof list);
    if (opts)
      for (int i = 0; i < opts->nrecord; i++) out[i] = NULL;
    return cn_error(CN_EINVAL, "run: %s takes %d named inputs (%s): give a table of them",
                    m->vt->name ? m->vt->name : "the model", m->ninputs, list);
  }
  const char *name = m->inputs[0].name;
  return cn_run_inputs(m, 1, &name, &inputs, opts, out);
}

cn_status cn_run_inputs(cn_model *m, int n, const char *const *names,
                        const cn_array *const *seqs, const cn_run_opts *opts,
                        cn_array **out) {
  cn_run_opts o = CN_RUN_OPTS_INIT;
  if (opts) o = *opts;
  for (int i = 0; i < o.nrecord; i++) out[i] = NULL;
  if (o.record_every < 1)
    return cn_error(CN_EINVAL, "run: record_every must be >= 1, got %lld",
                    (long long)o.record_every);
  if (o.nrecord < 0 || (o.nrecord > 0 && !o.record))
    return cn_error(CN_EINVAL, "run: invalid record list");
  if (n < 0 || n > m->ninputs)
    return cn_error(CN_EINVAL, "run: %s takes at most %d input%s, got %d",
                    m->vt->name ? m->vt->name : "the model", m->ninputs,
                    m->ninputs == 1 ? "" : "s", n);
  const char *mn = m->vt->name ? m->vt->name : "the model";
  /* given[i]: the sequence for m->inputs[i], or NULL */
  const cn_array *given[CN_MAX_INPUTS] = {NULL};
  int64_t T = -1;
  const char *tname = NULL;
  for (int k = 0; k < n; k++) {
    char list[256];
    int i = names[k] ? cn_model_input_index(m, names[k]) : -1;
    if (i < 0) {
      input_list(m, list, sizeof list);
      return cn_error(CN_EINVAL, "run: %s has no input '%s' (it takes: %s)", mn,
                      names[k] ? names[k] : "(null)", list);
    }
    if (given[i]) return cn_error(CN_EINVAL, "run: input '%s' is given twice", names[k]);
    if (!seqs[k]) return cn_error(CN_EINVAL, "run: input '%s' is missing", names[k]);
    CN_TRY(check_seq(m, &m->inputs[i], seqs[k]));
    given[i] = seqs[k];
    if (T < 0) {
      T = seqs[k]->shape[0];
      tname = names[k];
    } else if (seqs[k]->shape[0] != T) {
      return cn_error(CN_ESHAPE,
                      "run: input '%s' has %lld time steps but input '%s' has %lld (all "
                      "inputs need the same length)",
                      names[k], (long long)seqs[k]->shape[0], tname, (long long)T);
    }
  }
  if (n > 0)
    for (int i = 0; i < m->ninputs; i++)
      if (!given[i] && !m->inputs[i].optional)
        return cn_error(CN_EINVAL, "run: %s needs input '%s' (not given)", mn, m->inputs[i].name);
  if (n == 0) {
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

  /* One row per input, reused for every step: a borrowed view into its
   * sequence, or a scratch buffer when the dtype must be converted or the
   * input is not given (zero, or the optional input's fill value). */
  int ni = m->ninputs;
  cn_array *scratch[CN_MAX_INPUTS] = {NULL};
  cn_array rows[CN_MAX_INPUTS];
  const cn_array *rowp[CN_MAX_INPUTS];
  size_t in_bytes[CN_MAX_INPUTS];
  for (int i = 0; i < ni; i++) {
    const cn_model_input *d = &m->inputs[i];
    const cn_array *g = given[i];
    bool convert = g && g->dtype != m->dtype;
    if (s == CN_OK && (convert || !g)) {
      s = cn_array_zeros(&scratch[i], m->dtype, d->ndim, d->shape);
      if (s == CN_OK && !g && d->optional && d->fill != 0) s = cn_array_fill(scratch[i], d->fill);
    }
    cn_array *row = &rows[i];
    memset(row, 0, sizeof *row);
    row->dtype = m->dtype;
    row->ndim = d->ndim;
    for (int k = 0; k < d->ndim; k++) row->shape[k] = d->shape[k];
    row->size = d->size;
    row->refcount = 1;
    row->data = scratch[i] ? scratch[i]->data : NULL;
    rowp[i] = row;
    in_bytes[i] = g ? (size_t)d->size * cn_dtype_size(g->dtype) : 0;
  }
  bool multi = m->vt->step_inputs != NULL && (ni > 1 || !m->vt->step);

  cn_progress *bar = NULL;
  if (s == CN_OK && o.progress)
    bar = cn_progress_new(o.label ? o.label : (m->vt->name ? m->vt->name : "run"), T);
  cn_ftz_state fp = cn_ftz_begin();
  for (int64_t t = 0; t < T && s == CN_OK; t++) {
    for (int i = 0; i < ni; i++) {
      const cn_array *g = given[i];
      if (!g) continue;
      const char *src = (const char *)g->data + (size_t)t * in_bytes[i];
      if (t + 1 < T) prefetch_row(src + in_bytes[i], in_bytes[i]);
      if (scratch[i])
        cn_convert(src, g->dtype, scratch[i]->data, m->dtype, m->inputs[i].size);
      else
        rows[i].data = (void *)src;
    }
    s = multi ? m->vt->step_inputs(m, rowp) : m->vt->step(m, &rows[0]);
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
  for (int i = 0; i < ni; i++) cn_array_release(scratch[i]);
  if (s != CN_OK)
    for (int i = 0; i < o.nrecord; i++) {
      cn_array_release(out[i]);
      out[i] = NULL;
    }
  return s;
}
