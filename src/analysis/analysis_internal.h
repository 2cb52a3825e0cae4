/* canns — helpers private to src/analysis/. */
#ifndef CANNS_ANALYSIS_INTERNAL_H
#define CANNS_ANALYSIS_INTERNAL_H

#include <stdint.h>

/* Smallest m >= n whose prime factors are all in {2, 3, 5, 7}. */
int64_t cn_fft_good_size(int64_t n);

/* Largest image extent the image routines accept on one axis (keeps every
 * padded FFT size inside int and every buffer size far from overflow). */
#define CN_IMAGE_MAX_EXTENT ((int64_t)1 << 20)
#define CN_IMAGE_MAX_PIXELS ((int64_t)1 << 31)

/* The centred sums of a Pearson correlation of a[0..n), b[0..n) (n >= 1):
 * *saa = sum (a - mean a)^2, *sbb likewise, *sab = sum of the products.
 * Each caller applies its own rule for degenerate inputs. */
static inline void cn_centered_sums(const double *a, const double *b, int64_t n, double *saa,
                                    double *sbb, double *sab) {
  double ma = 0, mb = 0;
  for (int64_t i = 0; i < n; i++) ma += a[i], mb += b[i];
  ma /= (double)n, mb /= (double)n;
  double xx = 0, yy = 0, xy = 0;
  for (int64_t i = 0; i < n; i++) {
    double x = a[i] - ma, y = b[i] - mb;
    xx += x * x, yy += y * y, xy += x * y;
  }
  *saa = xx, *sbb = yy, *sab = xy;
}

#endif
