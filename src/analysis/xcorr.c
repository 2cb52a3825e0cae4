/* canns — linear 2-D cross-correlation through FFTW (upstream's
 * scipy.signal.correlate(image, template, mode, method="fft")) and the
 * normalised cross-correlation built on it (upstream normalized_xcorr2). */
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "canns/fft.h"
#include "canns/image.h"

static cn_status check_extent(const char *what, int64_t h, int64_t w) {
  if (h < 1 || w < 1 || h > CN_IMAGE_MAX_EXTENT || w > CN_IMAGE_MAX_EXTENT ||
      h * w > CN_IMAGE_MAX_PIXELS)
    return cn_error(CN_ESHAPE, "%s must be a non-empty image of at most 2^20 pixels per axis, got %lld x %lld",
                    what, (long long)h, (long long)w);
  return CN_OK;
}

cn_status cn_xcorr2d_shape(int64_t ih, int64_t iw, int64_t th, int64_t tw,
                           cn_xcorr_mode mode, int64_t *oh, int64_t *ow) {
  CN_TRY(check_extent("image", ih, iw));
  CN_TRY(check_extent("template", th, tw));
  switch (mode) {
  case CN_XCORR_FULL: *oh = ih + th - 1, *ow = iw + tw - 1; return CN_OK;
  case CN_XCORR_SAME: *oh = ih, *ow = iw; return CN_OK;
  case CN_XCORR_VALID:
    if (ih < th || iw < tw)
      return cn_error(CN_ESHAPE, "mode 'valid' needs the image (%lld x %lld) at least as large as the template (%lld x %lld)",
                      (long long)ih, (long long)iw, (long long)th, (long long)tw);
    *oh = ih - th + 1, *ow = iw - tw + 1;
    return CN_OK;
  }
  return cn_error(CN_EINVAL, "unknown correlation mode %d", (int)mode);
}

static int all_finite(const double *a, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    if (!isfinite(a[i])) return 0;
  return 1;
}

cn_status cn_xcorr2d(const double *image, int64_t ih, int64_t iw,
                     const double *templ, int64_t th, int64_t tw,
                     cn_xcorr_mode mode, double *out) {
  int64_t oh, ow;
  CN_TRY(cn_xcorr2d_shape(ih, iw, th, tw, mode, &oh, &ow));
  if (!all_finite(image, ih * iw) || !all_finite(templ, th * tw))
    return cn_error(CN_EINVAL, "image and template must be finite");
  int64_t fh = ih + th - 1, fw = iw + tw - 1;
  int64_t P = cn_fft_good_size(fh), Q = cn_fft_good_size(fw);
  int64_t Qc = Q / 2 + 1;
  double *a = fftw_alloc_real((size_t)(P * Q)), *b = fftw_alloc_real((size_t)(P * Q));
  fftw_complex *A = fftw_alloc_complex((size_t)(P * Qc)), *B = fftw_alloc_complex((size_t)(P * Qc));
  if (!a || !b || !A || !B) {
    fftw_free(a), fftw_free(b), fftw_free(A), fftw_free(B);
    return cn_error(CN_ENOMEM, "correlation buffers (%lld x %lld)", (long long)P, (long long)Q);
  }
  cn_fft_plan_lock();
  fftw_plan fa = fftw_plan_dft_r2c_2d((int)P, (int)Q, a, A, FFTW_ESTIMATE);
  fftw_plan fb = fftw_plan_dft_r2c_2d((int)P, (int)Q, b, B, FFTW_ESTIMATE);
  fftw_plan inv = fftw_plan_dft_c2r_2d((int)P, (int)Q, A, a, FFTW_ESTIMATE);
  cn_fft_plan_unlock();
  cn_status st = CN_OK;
  if (!fa || !fb || !inv) {
    st = cn_error(CN_EINTERNAL, "FFTW could not plan a %lld x %lld transform", (long long)P, (long long)Q);
    goto done;
  }
  memset(a, 0, sizeof(double) * (size_t)(P * Q));
  memset(b, 0, sizeof(double) * (size_t)(P * Q));
  for (int64_t i = 0; i < ih; i++) memcpy(a + i * Q, image + i * iw, sizeof(double) * (size_t)iw);
  for (int64_t i = 0; i < th; i++) memcpy(b + i * Q, templ + i * tw, sizeof(double) * (size_t)tw);
  fftw_execute(fa);
  fftw_execute(fb);
  /* circular c[d] = sum_p a[p + d] b[p]  <=>  A * conj(B) */
  for (int64_t k = 0; k < P * Qc; k++) {
    double re = A[k][0] * B[k][0] + A[k][1] * B[k][1];
    double im = A[k][1] * B[k][0] - A[k][0] * B[k][1];
    A[k][0] = re, A[k][1] = im;
  }
  fftw_execute(inv);
  int64_t r0 = 0, c0 = 0; /* start of the window in full-index space */
  if (mode == CN_XCORR_SAME) r0 = (fh - ih) / 2, c0 = (fw - iw) / 2;
  if (mode == CN_XCORR_VALID) r0 = th - 1, c0 = tw - 1;
  double scale = 1.0 / ((double)P * (double)Q);
  for (int64_t i = 0; i < oh; i++) {
    int64_t d = r0 + i - (th - 1); /* row lag */
    int64_t pr = ((d % P) + P) % P;
    for (int64_t j = 0; j < ow; j++) {
      int64_t e = c0 + j - (tw - 1);
      int64_t pc = ((e % Q) + Q) % Q;
      out[i * ow + j] = a[pr * Q + pc] * scale;
    }
  }
done:
  cn_fft_plan_lock();
  if (fa) fftw_destroy_plan(fa);
  if (fb) fftw_destroy_plan(fb);
  if (inv) fftw_destroy_plan(inv);
  cn_fft_plan_unlock();
  fftw_free(a), fftw_free(b), fftw_free(A), fftw_free(B);
  return st;
}

static void mean_std(const double *x, int64_t n, double *mean, double *std) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += x[i];
  double m = s / (double)n, v = 0;
  for (int64_t i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
  *mean = m, *std = sqrt(v / (double)n);
}

cn_status cn_normalized_xcorr2(const double *templ, int64_t th, int64_t tw,
                               const double *image, int64_t ih, int64_t iw,
                               cn_xcorr_mode mode, double *out) {
  int64_t oh, ow;
  CN_TRY(cn_xcorr2d_shape(ih, iw, th, tw, mode, &oh, &ow));
  if (!all_finite(image, ih * iw) || !all_finite(templ, th * tw))
    return cn_error(CN_EINVAL, "image and template must be finite");
  double mt, st_, mi, si;
  mean_std(templ, th * tw, &mt, &st_);
  mean_std(image, ih * iw, &mi, &si);
  if (st_ == 0) return cn_error(CN_EINVAL, "the template must not be constant (all values equal)");
  CN_TRY(cn_xcorr2d(image, ih, iw, templ, th, tw, mode, out));
  int64_t n = oh * ow;
  if (mode == CN_XCORR_FULL) {
    double nt = (double)(th * tw);
    if (st_ > 0 && si > 0)
      for (int64_t k = 0; k < n; k++) out[k] = (out[k] - nt * mt * mi) / (nt * st_ * si);
  } else {
    double a = 0, b = 0;
    for (int64_t k = 0; k < th * tw; k++) a += templ[k] * templ[k];
    for (int64_t k = 0; k < ih * iw; k++) b += image[k] * image[k];
    a = sqrt(a), b = sqrt(b);
    if (a > 0 && b > 0)
      for (int64_t k = 0; k < n; k++) out[k] /= a * b;
  }
  for (int64_t k = 0; k < n; k++) out[k] = out[k] < -1 ? -1 : out[k] > 1 ? 1 : out[k];
  return CN_OK;
}
