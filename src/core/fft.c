/* canns — real FFTs through FFTW3 (float and double). */
#include <fftw3.h>
#include <omp.h>
#include <string.h>

#include "canns/array.h"
#include "canns/fft.h"
#include "core/internal.h"

/* FFTW's planner is not thread-safe: every plan/destroy goes through here. */
static omp_lock_t lock;
static int lock_ready = 0;
static omp_lock_t *planner_lock(void) {
#pragma omp critical(canns_fftw_init)
  if (!lock_ready) {
    omp_init_lock(&lock);
    lock_ready = 1;
  }
  return &lock;
}

void cn_fft_plan_lock(void) { omp_set_lock(planner_lock()); }
void cn_fft_plan_unlock(void) { omp_unset_lock(planner_lock()); }

cn_status cn_array_rfft(cn_array **out, const cn_array *a) {
  if (a->ndim < 1) return cn_error(CN_ESHAPE, "rfft: need at least a 1-d array");
  int64_t n = a->shape[a->ndim - 1];
  if (n < 1) return cn_error(CN_ESHAPE, "rfft: last axis must be non-empty");
  if (n > INT32_MAX) return cn_error(CN_ERANGE, "rfft: axis too long");
  int64_t rows = a->size / n, m = n / 2 + 1;
  cn_dtype t = a->dtype == CN_FLOAT64 ? CN_FLOAT64 : CN_FLOAT32;
  int64_t shape[CN_MAXDIM];
  memcpy(shape, a->shape, sizeof shape);
  if (a->ndim + 1 > CN_MAXDIM) return cn_error(CN_ESHAPE, "rfft: too many dimensions");
  shape[a->ndim - 1] = m;
  shape[a->ndim] = 2;
  cn_array *src;
  CN_TRY(a->dtype == t ? cn_array_copy(&src, a) : cn_array_astype(&src, a, t));
  cn_status s = cn_array_empty(out, t, a->ndim + 1, shape);
  if (s != CN_OK) { cn_array_release(src); return s; }
  int ni = (int)n;
  cn_fft_plan_lock();
  if (t == CN_FLOAT32) {
    fftwf_plan p = fftwf_plan_many_dft_r2c(1, &ni, (int)rows, src->data, NULL, 1, (int)n,
                                           (fftwf_complex *)(*out)->data, NULL, 1, (int)m,
                                           FFTW_ESTIMATE);
    cn_fft_plan_unlock();
    if (!p) s = cn_error(CN_EINTERNAL, "rfft: FFTW could not make a plan");
    else { fftwf_execute(p); cn_fft_plan_lock(); fftwf_destroy_plan(p); cn_fft_plan_unlock(); }
  } else {
    fftw_plan p = fftw_plan_many_dft_r2c(1, &ni, (int)rows, src->data, NULL, 1, (int)n,
                                         (fftw_complex *)(*out)->data, NULL, 1, (int)m,
                                         FFTW_ESTIMATE);
    cn_fft_plan_unlock();
    if (!p) s = cn_error(CN_EINTERNAL, "rfft: FFTW could not make a plan");
    else { fftw_execute(p); cn_fft_plan_lock(); fftw_destroy_plan(p); cn_fft_plan_unlock(); }
  }
  cn_array_release(src);
  if (s != CN_OK) { cn_array_release(*out); *out = NULL; }
  return s;
}

cn_status cn_array_irfft(cn_array **out, const cn_array *a, int64_t n) {
  if (a->ndim < 2 || a->shape[a->ndim - 1] != 2)
    return cn_error(CN_ESHAPE, "irfft: expected an array of shape (..., m, 2)");
  int64_t m = a->shape[a->ndim - 2];
  if (n <= 0) n = 2 * (m - 1);
  if (n < 1 || n / 2 + 1 != m)
    return cn_error(CN_ESHAPE, "irfft: output length %lld does not match %lld frequencies",
                    (long long)n, (long long)m);
  if (n > INT32_MAX) return cn_error(CN_ERANGE, "irfft: axis too long");
  cn_dtype t = a->dtype == CN_FLOAT64 ? CN_FLOAT64 : CN_FLOAT32;
  int64_t rows = a->size / (2 * m);
  int64_t shape[CN_MAXDIM];
  memcpy(shape, a->shape, sizeof shape);
  shape[a->ndim - 2] = n;
  cn_array *src; /* c2r destroys its input */
  CN_TRY(a->dtype == t ? cn_array_copy(&src, a) : cn_array_astype(&src, a, t));
  cn_status s = cn_array_empty(out, t, a->ndim - 1, shape);
  if (s != CN_OK) { cn_array_release(src); return s; }
  int ni = (int)n;
  cn_fft_plan_lock();
  if (t == CN_FLOAT32) {
    fftwf_plan p = fftwf_plan_many_dft_c2r(1, &ni, (int)rows, (fftwf_complex *)src->data, NULL, 1,
                                           (int)m, (*out)->data, NULL, 1, (int)n, FFTW_ESTIMATE);
    cn_fft_plan_unlock();
    if (!p) s = cn_error(CN_EINTERNAL, "irfft: FFTW could not make a plan");
    else { fftwf_execute(p); cn_fft_plan_lock(); fftwf_destroy_plan(p); cn_fft_plan_unlock(); }
  } else {
    fftw_plan p = fftw_plan_many_dft_c2r(1, &ni, (int)rows, (fftw_complex *)src->data, NULL, 1,
                                         (int)m, (*out)->data, NULL, 1, (int)n, FFTW_ESTIMATE);
    cn_fft_plan_unlock();
    if (!p) s = cn_error(CN_EINTERNAL, "irfft: FFTW could not make a plan");
    else { fftw_execute(p); cn_fft_plan_lock(); fftw_destroy_plan(p); cn_fft_plan_unlock(); }
  }
  cn_array_release(src);
  if (s == CN_OK) { /* FFTW's inverse is unnormalised; numpy's is not */
    s = cn_array_binop_scalar(out, CN_MUL, *out, 1.0 / (double)n, false);
  } else {
    cn_array_release(*out);
    *out = NULL;
  }
  return s;
}
