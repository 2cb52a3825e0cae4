/* canns — ring convolution through a pruned DFT (internal).
 *
 * The same product as ringconv.h (the circular convolution of period
 * M = n - 1 on the CANN ring, with the duplicated end point folded), for
 * kernels whose spectrum is narrow.  A Gaussian kernel of width a has
 * Fourier coefficients falling like exp(-a^2 m^2 / 2): for the defaults
 * (a = 0.5 on [-pi, pi]) every mode above m = 12 is below 1e-9 of the
 * largest, 60 times under float32 resolution.  Keeping the modes
 * 0..B, the convolution is
 *   y_i = (1/M) [K_0 A_0 + 2 sum_{m=1..B} K_m (A_m cos(m t_i) + B_m sin(m t_i))]
 * with A_m, B_m the cosine and sine sums of the input (direct sums over the
 * even and odd halves of the ring, so each table is read once per step).
 * Cost (2B+1) n per step (cosine rows 0..B, sine rows 1..B) instead of
 * two FFTs of length 2n: at n = 512 the product takes half the time of the
 * FFT path.  The kernel spectrum is
 * computed once in double (FFTW). */
#ifndef CANNS_MODELS_RINGSPEC_H
#define CANNS_MODELS_RINGSPEC_H

#include <stdint.h>

#include "canns/array.h"

typedef struct cn_ringspec cn_ringspec;

/* The number of modes B needed for `kernel` (M lags, double) so that every
 * dropped |K_m| is below tol * max |K|; -1 when even all modes cannot be
 * kept (M even and the Nyquist mode matters).  With every mode kept
 * (B = (M-1)/2 for odd M) the result is the exact DFT convolution.
 * Computes the spectrum with FFTW. */
cn_status cn_ringspec_modes(const double *kernel, int64_t M, double tol,
                            int64_t *B);
/* A convolution for n = M + 1 points keeping modes 0..B (from
 * cn_ringspec_modes). */
cn_status cn_ringspec_new(cn_ringspec **out, int64_t n, cn_dtype t,
                          const double *kernel, int64_t B);
void cn_ringspec_apply(cn_ringspec *s, const void *x, void *y);
void cn_ringspec_free(cn_ringspec *s);

#endif
