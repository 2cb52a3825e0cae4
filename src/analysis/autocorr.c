/* canns — the autocorrelogram of a rate map (upstream
 * canns.analyzer.data.cell_classification.compute_2d_autocorrelation):
 * the demeaned map's full linear autocorrelation through FFTW, cropped to
 * the centred (1 + overlap) window and divided by its zero-lag value.  It
 * is the raw lag product normalised at zero lag, not a per-lag Pearson
 * correlation. */
#include <fftw3.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "canns/fft.h"
#include "canns/image.h"

struct cn_autocorr2d_plan {
  int64_t h, w, oh, ow;     /* input and output extents */
  int64_t off_v, off_h;     /* window start in full-correlation indices */
  int64_t P, Q, Qc;         /* padded FFT extents */
  double *buf;              /* P x Q real */
  fftw_complex *spec;       /* P x Qc */
  fftw_plan fwd, inv;
};

static int64_t window(int64_t n, double overlap) {
  double m = nearbyint((double)n * (1.0 + overlap)); /* half to even */
  int64_t k = (int64_t)m;
  if (k % 2 == 0 && k > 0) k -= 1;
  return k;
}

void cn_autocorr2d_shape(int64_t h, int64_t w, double overlap, int64_t *oh,
                         int64_t *ow) {
  int64_t mv = window(h, overlap), mh = window(w, overlap);
  /* Upstream crops only when both offsets are non-negative. */
  if ((2 * h - 1 - mv) / 2 < 0 || (2 * w - 1 - mh) / 2 < 0 || 2 * h - 1 - mv < 0 ||
      2 * w - 1 - mh < 0)
    mv = 2 * h - 1, mh = 2 * w - 1;
  *oh = mv, *ow = mh;
}

cn_status cn_autocorr2d_plan_new(cn_autocorr2d_plan **out, int64_t h,
                                 int64_t w, double overlap) {
  *out = NULL;
  if (h < 1 || w < 1 || h > CN_IMAGE_MAX_EXTENT || w > CN_IMAGE_MAX_EXTENT ||
      h * w > CN_IMAGE_MAX_PIXELS / 4)
    return cn_error(CN_ESHAPE, "the rate map must be non-empty and at most 2^20 pixels per axis, got %lld x %lld",
                    (long long)h, (long long)w);
  if (!isfinite(overlap) || overlap < 0 || overlap > 1e3)
    return cn_error(CN_EINVAL, "overlap must be a finite number in [0, 1000], got %g", overlap);
  cn_autocorr2d_plan *p = calloc(1, sizeof *p);
  if (!p) return cn_error(CN_ENOMEM, "autocorrelation plan");
  p->h = h, p->w = w;
  cn_autocorr2d_shape(h, w, overlap, &p->oh, &p->ow);
  p->off_v = (2 * h - 1 - p->oh) / 2;
  p->off_h = (2 * w - 1 - p->ow) / 2;
  p->P = cn_fft_good_size(2 * h - 1);
  p->Q = cn_fft_good_size(2 * w - 1);
  p->Qc = p->Q / 2 + 1;
  p->buf = fftw_alloc_real((size_t)(p->P * p->Q));
  p->spec = fftw_alloc_complex((size_t)(p->P * p->Qc));
  if (!p->buf || !p->spec) {
    cn_autocorr2d_plan_free(p);
    return cn_error(CN_ENOMEM, "autocorrelation buffers (%lld x %lld)", (long long)p->P, (long long)p->Q);
  }
  cn_fft_plan_lock();
  p->fwd = fftw_plan_dft_r2c_2d((int)p->P, (int)p->Q, p->buf, p->spec, FFTW_ESTIMATE);
  p->inv = fftw_plan_dft_c2r_2d((int)p->P, (int)p->Q, p->spec, p->buf, FFTW_ESTIMATE);
  cn_fft_plan_unlock();
  if (!p->fwd || !p->inv) {
    cn_autocorr2d_plan_free(p);
    return cn_error(CN_EINTERNAL, "FFTW could not plan the autocorrelation");
  }
  *out = p;
  return CN_OK;
}

void cn_autocorr2d_plan_shape(const cn_autocorr2d_plan *p, int64_t *oh,
                              int64_t *ow) {
  *oh = p->oh, *ow = p->ow;
}

void cn_autocorr2d_plan_free(cn_autocorr2d_plan *p) {
  if (!p) return;
  cn_fft_plan_lock();
  if (p->fwd) fftw_destroy_plan(p->fwd);
  if (p->inv) fftw_destroy_plan(p->inv);
  cn_fft_plan_unlock();
  fftw_free(p->buf);
  fftw_free(p->spec);
  free(p);
}

cn_status cn_autocorr2d_execute(cn_autocorr2d_plan *p, const double *map,
                                double *out) {
  const int64_t h = p->h, w = p->w, P = p->P, Q = p->Q, n = h * w;
  double sum = 0;
  int nonzero = 0;
  for (int64_t k = 0; k < n; k++) {
    double v = isnan(map[k]) ? 0.0 : map[k];
    if (isinf(v)) return cn_error(CN_EINVAL, "the rate map must not contain inf");
    sum += v;
    nonzero |= v != 0;
  }
  if (!nonzero) {
    memset(out, 0, sizeof(double) * (size_t)(p->oh * p->ow));
    return CN_OK;
  }
  double mean = sum / (double)n;
  memset(p->buf, 0, sizeof(double) * (size_t)(P * Q));
  for (int64_t i = 0; i < h; i++)
    for (int64_t j = 0; j < w; j++) {
      double v = map[i * w + j];
      p->buf[i * Q + j] = (isnan(v) ? 0.0 : v) - mean;
    }
  fftw_execute_dft_r2c(p->fwd, p->buf, p->spec);
  for (int64_t k = 0; k < P * p->Qc; k++) {
    double re = p->spec[k][0], im = p->spec[k][1];
    p->spec[k][0] = re * re + im * im;
    p->spec[k][1] = 0;
  }
  fftw_execute_dft_c2r(p->inv, p->spec, p->buf);
  /* full index r <-> lag r - (h - 1) <-> circular index (lag mod P) */
  const double scale = 1.0 / ((double)P * (double)Q);
  for (int64_t i = 0; i < p->oh; i++) {
    int64_t d = p->off_v + i - (h - 1), pr = d < 0 ? d + P : d;
    for (int64_t j = 0; j < p->ow; j++) {
      int64_t e = p->off_h + j - (w - 1), pc = e < 0 ? e + Q : e;
      out[i * p->ow + j] = p->buf[pr * Q + pc] * scale;
    }
  }
  double c = out[(p->oh / 2) * p->ow + p->ow / 2];
  if (c > 0)
    for (int64_t k = 0; k < p->oh * p->ow; k++) out[k] /= c;
  return CN_OK;
}

cn_status cn_autocorr2d(const double *map, int64_t h, int64_t w,
                        double overlap, double *out) {
  cn_autocorr2d_plan *p;
  CN_TRY(cn_autocorr2d_plan_new(&p, h, w, overlap));
  cn_status s = cn_autocorr2d_execute(p, map, out);
  cn_autocorr2d_plan_free(p);
  return s;
}

cn_status cn_autocorr2d_batch(const double *maps, int64_t n, int64_t h,
                              int64_t w, double overlap, double *out) {
  if (n < 0) return cn_error(CN_EINVAL, "number of maps must be >= 0, got %lld", (long long)n);
  cn_autocorr2d_plan *probe;
  CN_TRY(cn_autocorr2d_plan_new(&probe, h, w, overlap));
  int64_t oh = probe->oh, ow = probe->ow;
  cn_autocorr2d_plan_free(probe);
  cn_status status = CN_OK;
  int nt = n < 2 ? 1 : omp_get_max_threads();
#pragma omp parallel num_threads(nt)
  {
    cn_autocorr2d_plan *p = NULL;
    cn_status s = cn_autocorr2d_plan_new(&p, h, w, overlap);
#pragma omp for schedule(static)
    for (int64_t k = 0; k < n; k++)
      if (s == CN_OK) s = cn_autocorr2d_execute(p, maps + k * h * w, out + k * oh * ow);
    if (s != CN_OK) {
#pragma omp critical(canns_autocorr_status)
      if (status == CN_OK) status = s;
    }
    cn_autocorr2d_plan_free(p);
  }
  if (status != CN_OK) return cn_error(status, "autocorrelation of a map in the batch failed (non-finite values?)");
  return CN_OK;
}
