/* canns — grid-cell classification: the gridness score of an
 * autocorrelogram (upstream canns.analyzer.data.cell_classification
 * GridnessAnalyzer.compute_gridness_score), and the ellipse fit it uses.
 *
 *   cn_gridness_params p = cn_gridness_defaults();
 *   cn_gridness_result r;
 *   CN_TRY(cn_gridness(ac, 89, 89, &p, &r));
 *   printf("%g %g\n", r.score, r.spacing[0]);
 */
#ifndef CANNS_GRIDNESS_H
#define CANNS_GRIDNESS_H

#include <stdint.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_gridness_params {
  double threshold;           /* contour level of the centre field (0.2) */
  double min_orientation;     /* degrees (15) */
  double min_center_radius;   /* pixels (2) */
  int64_t num_gridness_radii; /* window of the moving mean (3) */
} cn_gridness_params;

cn_gridness_params cn_gridness_defaults(void);

typedef struct cn_gridness_result {
  double score;             /* NaN when the centre field is not found */
  double spacing[3];        /* distances of the three chosen peaks */
  double orientation[3];    /* their angles, degrees, ascending */
  double ellipse[5];        /* cx, cy, rx, ry, theta (rad) */
  double ellipse_theta_deg;
  double center_radius;     /* 0 in a NaN result */
  double optimal_radius;
  int64_t n_peaks;          /* rows of peaks (0..6; 0 = no statistics) */
  double peaks[6][2];       /* (x = col, y = row), nearest first */
  int stats_warning;        /* 1: too few peaks found, 2: too few after filtering */
} cn_gridness_result;

/* ac: h x w (h, w >= 2), finite.  Never fails on content: a map without a
 * centre field gives a NaN result. */
cn_status cn_gridness(const double *ac, int64_t h, int64_t w,
                      const cn_gridness_params *p, cn_gridness_result *r);
/* n autocorrelograms (n, h, w), OpenMP over maps. */
cn_status cn_gridness_batch(const double *acs, int64_t n, int64_t h, int64_t w,
                            const cn_gridness_params *p, cn_gridness_result *r);

/* Direct least-squares ellipse fit (Fitzgibbon, upstream fit_ellipse):
 * out = {cx, cy, ru, rv, theta}.  n >= 5 with non-zero extent in x and y,
 * else CN_EINVAL. */
cn_status cn_fit_ellipse(const double *x, const double *y, int64_t n,
                         double out[5]);

#ifdef __cplusplus
}
#endif
#endif
