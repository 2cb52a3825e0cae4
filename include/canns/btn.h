/* canns — BTN (bursty / theta-modulated / non-bursty) classification of
 * neurons from their spike trains (upstream
 * canns.analyzer.data.cell_classification BTNAnalyzer.classify_btn):
 * ISI autocorrelograms, their normalised and smoothed curves, cosine
 * distances, k-nearest-neighbour densities and ToMATo clustering
 * (gudhi's algorithm on a manual graph with manual densities).
 *
 *   cn_btn_isi_autocorr(spikes, offsets, n, edges, ne, -1e-5, 0.2 - 1e-5, true, counts);
 *   cn_btn_normalize_smooth(counts, n, ne - 1, 4.0, norm, smooth);
 *   cn_btn_cosine_distances(smooth, n, ne - 1, dist);
 *   cn_btn_knn(dist, n, nbs, idx, kd, weights);
 *   cn_tomato(idx, n, nbs, weights, 4, labels, &n_leaves);
 *
 * Loops over neurons run under OpenMP; every number is the same for any
 * thread count. */
#ifndef CANNS_BTN_H
#define CANNS_BTN_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Lag histograms.  Neuron i's spikes are spikes[off[i] .. off[i+1]-1]
 * (any order).  For every spike s, each spike u with s + mint < u <
 * s + maxt (both sums in double, as written) gives the lag u - s
 * (one_sided: only lags >= 0); the lag's bin is b with edges[b] <= lag <
 * edges[b+1] (numpy.digitize - 1), kept when 0 <= b < ne - 1.  counts is
 * n x (ne - 1), row-major.  edges must be increasing. */
cn_status cn_btn_isi_autocorr(const double *spikes, const int64_t *off, int64_t n,
                              const double *edges, int64_t ne, double mint, double maxt,
                              bool one_sided, int64_t *counts);

/* norm = counts / counts[:,0] for rows whose first count is > 0, first
 * column then 0; smooth = gaussian_filter1d(norm, sigma, axis=1) (reflect,
 * truncate 4).  Both n x m. */
cn_status cn_btn_normalize_smooth(const int64_t *counts, int64_t n, int64_t m, double sigma,
                                  double *norm, double *smooth);

/* Binned temporal autocorrelation of a dense (T x N, row-major) activity
 * matrix (upstream subcluster_grid_cells_asa.py, dense mode): acorr[i, l]
 * = sum_t x[t, i] x[t + l, i] for lags l = 0..nlag-1 (0 once l >= T),
 * x = S, or S > 0 as 0/1 when binary.  acorr is N x nlag. */
cn_status cn_btn_binned_autocorr(const double *S, int64_t T, int64_t N, int64_t nlag, bool binary,
                                 double *acorr);

/* As cn_btn_normalize_smooth for real-valued curves normalised by their
 * row sums (a zero sum counts as 1; the dense-mode normalisation):
 * norm = acorr / sum(acorr, row), smooth = gaussian_filter1d(norm, sigma,
 * axis=1). */
cn_status cn_btn_rowsum_smooth(const double *acorr, int64_t n, int64_t m, double sigma, double *norm,
                               double *smooth);

/* dist (n x n) = 1 - clip(x_i . x_j / (|x_i| |x_j|), -1, 1) off the
 * diagonal (scipy pdist "cosine"), 0 on it; a zero row gives NaN. */
cn_status cn_btn_cosine_distances(const double *x, int64_t n, int64_t m, double *dist);

/* Per row of dist: the indices sorted by distance (stable; NaN last);
 * idx (n x k) = sorted positions 1..k (k = max(1, min(nbs, n - 1)); for
 * n = 1 position 0), kd their distances, weights[i] = sum exp(-kd).
 * Returns k through *k_out. */
cn_status cn_btn_knn(const double *dist, int64_t n, int64_t nbs, int64_t *idx, double *kd,
                     double *weights, int64_t *k_out);

/* ToMATo on the directed graph nbr (n x k, 0-based indices, -1 or
 * out-of-range entries ignored) with densities w: raw clusters by
 * ascending density order, merges replayed by increasing prominence,
 * then merged down to n_clusters (clamped to [#leaves - #merges,
 * #leaves]).  labels (n) are 0-based in order of first appearance over
 * the raw clusters; *n_leaves the number of raw clusters. */
cn_status cn_tomato(const int64_t *nbr, int64_t n, int64_t k, const double *w, int64_t n_clusters,
                    int64_t *labels, int64_t *n_leaves);

#ifdef __cplusplus
}
#endif
#endif
