/* canns — grid-cell metrics on rate maps (upstream
 * `canns.analyzer.metrics.spatial_metrics`): the circular spatial
 * autocorrelation, the grid score and the grid spacing.  Maps are
 * row-major float64 h x w buffers owned by the caller.
 *
 *   double ac[50 * 50], score, corrs[5];
 *   CN_TRY(cn_spatial_autocorrelation(map, 50, 50, ac));
 *   CN_TRY(cn_grid_score(ac, 50, 50, 0.3, 0.7, &score, corrs));
 */
#ifndef CANNS_SPATIAL_METRICS_H
#define CANNS_SPATIAL_METRICS_H

#include <stdint.h>

#include "canns/error.h"
#include "canns/random.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The circular (wrap-around) autocorrelation of an h x w map, centred as
 * scipy.signal.correlate2d(a, a, "same", "wrap"):
 *   out[i][j] = sum_p a[p] a[(p + (i - (h-1)/2, j - (w-1)/2)) mod (h, w)],
 * through FFTW (O(hw log hw)).  Non-finite input is an error. */
cn_status cn_circular_autocorr2d(const double *map, int64_t h, int64_t w, double *out);

/* upstream compute_spatial_autocorrelation (without max_lag): the map
 * demeaned and divided by its std (when > 1e-10), its circular
 * autocorrelation, divided by its largest |value| (when > 1e-10). */
cn_status cn_spatial_autocorrelation(const double *map, int64_t h, int64_t w, double *out);

/* upstream compute_grid_score: Pearson correlations of the map with itself
 * rotated by 30, 60, 90, 120, 150 degrees (bilinear, zero outside, about
 * the centre) over the annulus inner <= r / min(h/2, w/2) <= outer around
 * (h/2, w/2) (integer halves); 0 where either side is constant.
 * score = min(c60, c120) - max(c30, c90, c150). */
cn_status cn_grid_score(const double *ac, int64_t h, int64_t w, double inner, double outer,
                        double *score, double corrs[5]);

/* upstream find_grid_spacing: distance in bins from (h/2, w/2) to the
 * largest value outside radius 3 (first in row-major order on ties). */
cn_status cn_find_grid_spacing(const double *ac, int64_t h, int64_t w, double *spacing);

/* upstream compute_firing_field: the mean of act (T x N, row-major) over
 * the time steps whose position (pos, T x 2) falls in each of M x K bins
 * of a width x height box (bin = position // bin size in numpy's floor
 * division, clipped to the box); 0 where a bin was never visited.
 * out is N x M x K.  Sums run in time order (any thread count). */
cn_status cn_firing_field(const double *act, int64_t T, int64_t N, const double *pos,
                          double width, double height, int64_t M, int64_t K, double *out);

/* upstream gaussian_smooth_heatmaps: each of N M x K maps smoothed as
 * scipy.ndimage.gaussian_filter(sigma, mode "reflect", truncate 4), then
 * set to 0 where the input is 0.  out must not alias heat. */
cn_status cn_gaussian_smooth_heatmaps(const double *heat, int64_t N, int64_t M, int64_t K,
                                      double sigma, double *out);

/* Rows of spike_train_to_firing_rate's output: floor(T dt_spike / dt_rate)
 * (also the number of spike-train rows firing_rate_to_spike_train makes
 * from R rate rows, with the roles of the steps swapped). */
cn_status cn_spike_rate_rows(int64_t T, double dt_spike, double dt_rate, int64_t *rows);

/* upstream spike_train_to_firing_rate: spike counts (non-zero entries of
 * spk, T x N) per bin [k dt_rate, (k+1) dt_rate) of numpy's float edges;
 * out is rows x N (rows from cn_spike_rate_rows). */
cn_status cn_spike_train_to_rate(const double *spk, int64_t T, int64_t N, double dt_spike,
                                 double dt_rate, int64_t rows, double *out);

/* upstream firing_rate_to_spike_train: rates (R x N) interpolated (numpy
 * interp at times i dt_spike of the bin centres (k + 0.5) dt_rate),
 * negative rates set to 0, p = rate dt_spike / dt_rate clipped to 1, one
 * Bernoulli draw per element from g in row-major order; out rows x N. */
cn_status cn_rate_to_spike_train(const double *rate, int64_t R, int64_t N, double dt_rate,
                                 double dt_spike, int64_t rows, cn_rng *g, int32_t *out);

#ifdef __cplusplus
}
#endif
#endif
