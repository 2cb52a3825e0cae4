/* canns — kernels of the pruned-DFT ring convolution (src/models/ringspec.c).
 *
 * With the ring folded into its even part e and odd part o (h values
 * each), and tables C[m][j] = cos(2 pi m j / M), S[m][j] = sin(2 pi m j / M)
 * stored as `rows` rows of leading dimension ld (any row count; the tables
 * need no padding rows):
 *   forward:  a[m] = sum_j C[m][j] e[j],   b[m] = sum_j S[m][j] o[j]
 *   inverse:  E[j] = sum_m ca[m] C[m][j],  O[j] = sum_m cb[m] S[m][j]
 * The row sums run in eight independent SIMD accumulators (latency, not
 * bandwidth, bounds a single dot product of this length); the column sums
 * run down eight vectors of columns at a time.  The float32 passes have
 * AVX-512 and AVX2+FMA versions (x86-64-v4 / v3, GCC vectors of 16 and 8
 * floats, lanes summed by a fixed tree of shuffles) next to the plain
 * `omp simd` one, chosen at the first call; the float64 passes and the
 * folds are cloned per ISA by GCC.  The float32 passes take any
 * alignment; ringspec.c gives them 64-byte aligned rows. */
#ifndef CANNS_KERNELS_CANN_SPECTRAL_H
#define CANNS_KERNELS_CANN_SPECTRAL_H

#include <stdint.h>

/* out[m] = sum_{j<h} T[m*ld + j] v[j] for m < rows. */
void cn_k_spec_rows_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *v, float *out);
void cn_k_spec_rows_f64(const double *T, int64_t rows, int64_t ld, int64_t h,
                        const double *v, double *out);
/* out[j] = sum_{m<rows} c[m] T[m*ld + j] for j < h (zeros when rows is 0). */
void cn_k_spec_cols_f32(const float *T, int64_t rows, int64_t ld, int64_t h,
                        const float *c, float *out);
void cn_k_spec_cols_f64(const double *T, int64_t rows, int64_t ld, int64_t h,
                        const double *c, double *out);

/* Which float32 pass versions run: level 4 (AVX-512), 3 (AVX2+FMA), 1
 * (plain), or 0 for the best the CPU has.  A level the CPU lacks falls
 * back to the next one it has; returns the level chosen.  For tests and
 * benchmarks: every later call of the passes, on any thread, uses it. */
int cn_k_spec_isa(int level);

/* Fold x (M+1 values, x[M] the duplicate of x[0]) into e[j] = x[j] +
 * x[M-j], o[j] = x[j] - x[M-j] for 1 <= j <= (M-1)/2, e[0] = x[0] + x[M],
 * o[0] = 0 and, for even M, e[M/2] = x[M/2], o[M/2] = 0. */
void cn_k_spec_fold_f32(const float *x, int64_t M, float *e, float *o);
void cn_k_spec_fold_f64(const double *x, int64_t M, double *e, double *o);
/* Unfold: y[0] = E[0], y[j] = E[j] + O[j], y[M-j] = E[j] - O[j] for
 * 1 <= j <= (M-1)/2, y[M/2] = E[M/2] for even M, y[M] = y[0]. */
void cn_k_spec_unfold_f32(const float *E, const float *O, int64_t M, float *y);
void cn_k_spec_unfold_f64(const double *E, const double *O, int64_t M, double *y);

#endif
