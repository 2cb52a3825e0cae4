/* canns — binning kernels of spatial analysis (rate maps, tuning curves)
 * with numpy's conventions. */
#ifndef CANNS_SPATIALSTATS_H
#define CANNS_SPATIALSTATS_H

#include <stdint.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* numpy.interp(x, xp, fp) (cn_interp1d): xp increasing, m >= 1; clamps outside. */
cn_status cn_interp1d(const double *x, int64_t n, const double *xp, const double *fp, int64_t m,
                    double *out);
/* numpy.histogram2d(x, y, bins=[xe, ye], weights=w) transposed: out is
 * (nye-1) x (nxe-1), [y][x].  Bins are [e_k, e_k+1), the last also holds
 * its right edge; samples outside (or NaN) are dropped.  w may be NULL. */
cn_status cn_histogram2d(const double *x, const double *y, const double *w, int64_t n,
                         const double *xe, int64_t nxe, const double *ye, int64_t nye,
                         double *out);
/* numpy.clip(numpy.digitize(x, edges) - 1, 0, ne - 2). */
void cn_digitize_clip(const double *x, int64_t n, const double *edges, int64_t ne, int64_t *bins);

#ifdef __cplusplus
}
#endif
#endif
