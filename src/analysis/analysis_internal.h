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

#endif
