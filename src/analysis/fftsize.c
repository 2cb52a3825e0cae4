/* canns — FFT sizes with small prime factors (2, 3, 5, 7) for zero-padded
 * correlations. */
#include "analysis/analysis_internal.h"

int64_t cn_fft_good_size(int64_t n) {
  if (n <= 1) return 1;
  for (int64_t m = n;; m++) {
    int64_t r = m;
    static const int p[4] = {2, 3, 5, 7};
    for (int k = 0; k < 4; k++)
      while (r % p[k] == 0) r /= p[k];
    if (r == 1) return m;
  }
}
