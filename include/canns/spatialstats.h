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
/* cn_histogram2d of interleaved pairs xy[2i], xy[2i+1] (unweighted). */
cn_status cn_histogram2d_pairs(const double *xy, int64_t n, const double *xe, int64_t nxe,
                               const double *ye, int64_t nye, double *out);
/* The spike-count map of upstream compute_rate_map in one pass:
 * histogram2d(interp(s, t, pos[:, 0]), interp(s, t, pos[:, 1])) without
 * the interpolated arrays; t (m samples, finite, non-decreasing) and pos
 * (m, 2).  NaN spike times are dropped. */
cn_status cn_spike_histogram2d(const double *s, int64_t ns, const double *t, const double *pos,
                               int64_t m, const double *xe, int64_t nxe, const double *ye,
                               int64_t nye, double *out);
/* Both maps of upstream compute_rate_map at once: occ = cn_histogram2d_pairs
 * of the positions and spk = cn_spike_histogram2d, the same counts; faster
 * (each sample binned once, spikes in an interval that stays inside one
 * cell are not interpolated).  occ and spk are (nye-1) x (nxe-1). */
cn_status cn_track_maps(const double *s, int64_t ns, const double *t, const double *pos, int64_t m,
                        const double *xe, int64_t nxe, const double *ye, int64_t nye, double *occ,
                        double *spk);
/* A track's per-axis range of the finite positions (n, 2), whether all are
 * finite, and numpy.median(numpy.diff(t)); t must be finite and
 * non-decreasing (CN_EINVAL, *bad = the 0-based offending sample). */
cn_status cn_track_stats(const double *pos, const double *t, int64_t n, double lo[2], double hi[2],
                         int *finite, double *median_dt, int64_t *bad);
/* numpy.median of d[0..n-1] (n >= 1, no NaN): the middle value, or the
 * mean of the two middle values; reorders d (selection, O(n)). */
double cn_median_inplace(double *d, int64_t n);
/* numpy.clip(numpy.digitize(x, edges) - 1, 0, ne - 2). */
void cn_digitize_clip(const double *x, int64_t n, const double *edges, int64_t ne, int64_t *bins);

#ifdef __cplusplus
}
#endif
#endif
