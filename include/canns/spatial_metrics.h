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

#ifdef __cplusplus
}
#endif
#endif
