/* canns — several circular convolutions of one L x L sheet (internal).
 *
 * The grid-cell sheets are tori of exactly L points per axis (no duplicated
 * end point, unlike the CANN grids of ringconv.h).  A connection matrix
 * that is translation-invariant within each of K neuron classes,
 *
 *   Irec[i] = sum_j h_{c(i)}[(p_i - p_j) mod L] r[j],     p = (row, col),
 *
 * is K circular convolutions of r sharing one forward transform: one
 * real-to-complex FFT of r, then per class a product with the kernel's
 * spectrum and an inverse FFT whose values are kept only at that class's
 * neurons.  Transforms are float32 (FFTW_ESTIMATE plans of 1-D batches made once; the kernel
 * spectra are computed in double and rounded);
 * apply() allocates nothing.
 */
#ifndef CANNS_MODELS_TORUSCONV_H
#define CANNS_MODELS_TORUSCONV_H

#include <stdint.h>

#include "canns/error.h"

typedef struct cn_torusconv cn_torusconv;

/* kernels: K blocks of L*L doubles, h_k[row * L + col] for the lag
 * (row, col); cls: L*L class indices in 0..K-1 (NULL: every neuron is in
 * class 0, K must be 1). */
cn_status cn_torusconv_new(cn_torusconv **out, int64_t L, int K, const double *kernels,
                           const uint8_t *cls);
/* y[i] = (h_{cls[i]} * x)[i] for float32 x, y of L*L values (no aliasing). */
void cn_torusconv_apply_f32(cn_torusconv *c, const float *x, float *y);
void cn_torusconv_free(cn_torusconv *c);
/* A second convolution with the same kernels and its own buffers and
 * plans (one per thread: apply() of one object is not reentrant). */
cn_status cn_torusconv_clone(const cn_torusconv *c, cn_torusconv **out);

#endif
