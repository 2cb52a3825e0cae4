/* canns — the centred power spectrum of an image,
 * |fftshift(fft2(img))|^2 (upstream compute_grid_spacing, method "fft"). */
#include <fftw3.h>
#include <math.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "canns/fft.h"
#include "canns/image.h"

cn_status cn_power_spectrum2d(const double *img, int64_t h, int64_t w, double *out) {
  if (h < 1 || w < 1 || h > CN_IMAGE_MAX_EXTENT || w > CN_IMAGE_MAX_EXTENT || h * w > CN_IMAGE_MAX_PIXELS / 4)
    return cn_error(CN_ESHAPE, "the image must be non-empty, got %lld x %lld", (long long)h, (long long)w);
  fftw_complex *b = fftw_alloc_complex((size_t)(h * w));
  if (!b) return cn_error(CN_ENOMEM, "power spectrum");
  cn_fft_plan_lock();
  fftw_plan p = fftw_plan_dft_2d((int)h, (int)w, b, b, FFTW_FORWARD, FFTW_ESTIMATE);
  cn_fft_plan_unlock();
  if (!p) { fftw_free(b); return cn_error(CN_EINTERNAL, "FFTW could not plan a %lld x %lld transform", (long long)h, (long long)w); }
  for (int64_t k = 0; k < h * w; k++) b[k][0] = img[k], b[k][1] = 0;
  fftw_execute(p);
  /* fftshift: output (i, j) <- input ((i + h - h/2) % h, (j + w - w/2) % w) */
  for (int64_t i = 0; i < h; i++) {
    int64_t si = (i + h - h / 2) % h;
    for (int64_t j = 0; j < w; j++) {
      int64_t sj = (j + w - w / 2) % w;
      const double *c = b[si * w + sj];
      double a = hypot(c[0], c[1]);
      out[i * w + j] = a * a;
    }
  }
  cn_fft_plan_lock();
  fftw_destroy_plan(p);
  cn_fft_plan_unlock();
  fftw_free(b);
  return CN_OK;
}
