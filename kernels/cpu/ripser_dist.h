/* canns — distance loops for the TDA engine (hot loops only). */
#ifndef CANNS_KERNELS_RIPSER_DIST_H
#define CANNS_KERNELS_RIPSER_DIST_H

#include <stdint.h>

/* Distances from point a to point b (dim coordinates each), in single
 * precision.  Euclidean sums (a_k - b_k)^2 in order k = 0..dim-1 (as
 * Ripser's point-cloud reader), Manhattan |a_k - b_k|, Chebyshev takes the
 * maximum.  Cosine is 1 - a.b / (|a| |b|) in double, clipped to [0, 2],
 * with the norms given (a zero norm counts as similarity 0). */
float cn_kern_euclidean_f32(const float *a, const float *b, int64_t dim);
float cn_kern_manhattan_f32(const float *a, const float *b, int64_t dim);
float cn_kern_chebyshev_f32(const float *a, const float *b, int64_t dim);
float cn_kern_cosine_f32(const float *a, const float *b, int64_t dim,
                         double norm_a, double norm_b);
double cn_kern_norm_f32(const float *a, int64_t dim);

/* Squared Euclidean distance accumulated in float with 8 interleaved
 * partial sums (element k goes to sum k mod 8; the sums are added
 * pairwise at the end), so the loop vectorises and the value does not
 * depend on the machine. */
float cn_kern_sqdist8_f32(const float *a, const float *b, int64_t len);

#endif
