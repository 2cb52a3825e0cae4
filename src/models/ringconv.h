/* canns — periodic convolution on the CANN grids through FFTW (internal).
 *
 * The CANN coordinates include both ends of the feature range, so point
 * n-1 and point 0 of each axis sit on the same place of the ring: a grid of
 * n points has period M = n - 1.  A kernel that depends only on the
 * (wrapped) distance is then a circular convolution of length M once the
 * duplicated point is folded onto point 0 (their inputs summed) and the
 * output of point 0 is copied to point n-1 (upstream builds its ring kernel that way):
 *
 *   y_i = sum_j k[(i - j) mod M] x'_j,   x'_0 = x_0 + x_{n-1}.
 *
 * Rank 1 is the ring, rank 2 the torus (row-major L x L, the same period
 * on both axes).  A ring is transformed at length M when M is a power of
 * two, otherwise zero-padded to the power of two P >= 2M - 1 (the same
 * circular convolution, and faster than FFTW's mixed radices at M); a torus
 * keeps M when it has no prime factor above 13 and is padded otherwise.
 * Plans are made once with FFTW_ESTIMATE (deterministic); apply() allocates
 * nothing.
 */
#ifndef CANNS_MODELS_RINGCONV_H
#define CANNS_MODELS_RINGCONV_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/array.h"

typedef struct cn_ringconv cn_ringconv;

/* kernel: M^rank values in double, kernel[d] (rank 1) or kernel[d1*M+d2]
 * (rank 2) for lags d = 0..M-1.  dtype is the precision of apply().  With
 * force_pad every axis is padded (used by tests of both code paths). */
cn_status cn_ringconv_new(cn_ringconv **out, int rank, int64_t n, cn_dtype t,
                          const double *kernel, bool force_pad);
/* y = conv(kernel, fold(x)) unfolded; x and y hold n^rank values of the
 * dtype given to new() and may not alias. */
void cn_ringconv_apply(cn_ringconv *c, const void *x, void *y);
void cn_ringconv_free(cn_ringconv *c);
/* FFT length used per axis (M or the padded P). */
int64_t cn_ringconv_length(const cn_ringconv *c);
/* Whether FFTW is fast at length m (no prime factor above 13). */
bool cn_ringconv_smooth(int64_t m);

#endif
