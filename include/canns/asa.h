/* canns — Attractor Structure Analysis (upstream canns.analyzer.data.asa).
 *
 *   cn_embed_opts eo;  cn_embed_opts_default(&eo);
 *   cn_array *E, *xx, *yy, *tt;
 *   CN_TRY(cn_asa_embed(&eo, spk, off, N, t, x, y, nt, &E, &xx, &yy, &tt));
 *   cn_asa_tda_opts to;  cn_asa_tda_opts_default(&to);
 *   cn_asa_tda_result *r;
 *   CN_TRY(cn_asa_tda(&to, cn_f32(E), E->shape[0], E->shape[1], &r));
 *   ... r->ph->dgms[1] (H1), r->indstemp, r->movetimes, r->d ...
 *   cn_asa_tda_result_free(r);
 *
 * All indices are 0-based here (1-based in Lua).  Every function returns a
 * cn_status; nothing aborts on bad input.  See docs/asa.md.
 */
#ifndef CANNS_ASA_H
#define CANNS_ASA_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"
#include "canns/random.h"
#include "canns/tda.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- Gaussian filters with scipy.ndimage semantics ------------------ */
/* Boundary modes of scipy.ndimage: constant (zeros outside), reflect
 * (half-sample symmetric: d c b a | a b c d | d c b a), wrap, nearest. */
enum { CN_FILTER_CONSTANT = 0, CN_FILTER_REFLECT, CN_FILTER_WRAP, CN_FILTER_NEAREST };
/* The normalised kernel of gaussian_filter1d: radius floor(truncate*sigma
 * + 0.5), weights exp(-x^2 / (2 sigma^2)) / sum.  w has 2*radius+1
 * entries (call with w = NULL to get the radius). */
int64_t cn_gaussian_kernel(double sigma, double truncate, double *w);
/* y[i] = sum_k w[k] x[i + k - r] over n samples with stride `stride`
 * (in elements) of x and y, accumulated in double in scipy's order; x and y
 * may be the same buffer only when `tmp` (n + 2r doubles) is given. */
void cn_correlate1d_f64(const double *x, int64_t n, int64_t stride, const double *w,
                        int64_t r, int mode, double *tmp, double *y);
/* gaussian_filter1d of a float64 vector (mode as above; truncate 4). */
cn_status cn_gaussian_filter1d(const double *x, int64_t n, double sigma, int mode,
                               double *y);
/* 2-D gaussian_filter of a (rows x cols) float64 image, both axes, same
 * sigma, truncate 4. */
cn_status cn_gaussian_filter2d(const double *x, int64_t rows, int64_t cols, double sigma,
                               int mode, double *y);

/* --- embedding (embed_spike_trains) --------------------------------- */
typedef struct cn_embed_opts {
  int64_t res;       /* ticks per second (100000)                      */
  int64_t dt;        /* bin width in ticks (1000)                      */
  double sigma;      /* Gaussian s.d. in ticks (5000)                  */
  bool smooth;       /* (true)                                         */
  bool speed_filter; /* (true)                                         */
  double min_speed;  /* cm/s (2.5)                                     */
  int num_threads;   /* 0 = OpenMP default                             */
} cn_embed_opts;

void cn_embed_opts_default(cn_embed_opts *o);

/* Spikes of N neurons: neuron n has the times spk[off[n] .. off[n+1]-1]
 * (seconds, any order).  t (nt samples, seconds, non-decreasing) and,
 * when speed_filter, x and y (nt samples).  Returns E: float32 {T', N}
 * when smooth, else int32 counts; with speed_filter also xx, yy, tt
 * (float64 {T'}) at the kept bins (else they are set to NULL). */
cn_status cn_asa_embed(const cn_embed_opts *o, const double *spk, const int64_t *off,
                       int64_t N, const double *t, const double *x, const double *y,
                       int64_t nt, cn_array **E, cn_array **xx, cn_array **yy,
                       cn_array **tt);

/* --- temporal TDA (tda_vis) ----------------------------------------- */
typedef struct cn_asa_tda_opts {
  int64_t dim;          /* PCA dimension (6)                          */
  int64_t num_times;    /* time stride (5)                            */
  int64_t active_times; /* most active strided rows kept (15000)      */
  int64_t k;            /* neighbours of the sampling graph (1000)    */
  int64_t n_points;     /* points kept for PH (1200)                  */
  int64_t nbs;          /* neighbours of the distance graph (800)     */
  cn_metric metric;     /* euclidean, manhattan, cosine (default) or chebyshev */
  int maxdim;           /* (1)                                        */
  int coeff;            /* (47)                                       */
  bool standardize;     /* z-score before PCA (true)                  */
  bool do_cocycles;     /* (true)                                     */
  double ph_threshold;  /* NAN: none (Ripser's default)               */
  bool max_finite_threshold; /* ph_threshold_policy "max_finite_float32" */
  int num_threads;
  bool progress;
} cn_asa_tda_opts;

void cn_asa_tda_opts_default(cn_asa_tda_opts *o);

typedef struct cn_asa_tda_result {
  int64_t n_move;      /* rows selected (M)                              */
  int64_t *movetimes;  /* [M] rows of E                                  */
  int64_t n_points;
  int64_t *indstemp;   /* [n_points] rows of movetimes, selection order  */
  double *dimred;      /* [M x dim] PCA projection                       */
  int64_t dim;
  double *d;           /* [n_points x n_points] -ln(fuzzy union), +inf where 0 */
  cn_ripser_result *ph;
} cn_asa_tda_result;

void cn_asa_tda_result_free(cn_asa_tda_result *r);

/* E is float32 {T, N}, row-major, finite. */
cn_status cn_asa_tda(const cn_asa_tda_opts *o, const float *E, int64_t T, int64_t N,
                     cn_asa_tda_result **out);
/* Null model of canns 1.5: for shuffle s every column n of E is rolled
 * by shifts[s*N + n] (towards later rows, numpy.roll) and the whole
 * pipeline above runs again; maxima[d*S + s] is the longest finite bar
 * of dimension d (0 when none). */
cn_status cn_asa_tda_shuffle(const cn_asa_tda_opts *o, const float *E, int64_t T, int64_t N,
                             int64_t S, const int64_t *shifts, double *maxima);

/* The pieces, for tests and reuse. */
/* sklearn.preprocessing.scale of float32 data in place (columns; population
 * s.d.; zero s.d. -> 1), float32 arithmetic as numpy does it. */
cn_status cn_asa_scale_f32(float *X, int64_t rows, int64_t cols);
/* The same z-scoring fitted without touching the data (three reads) and
 * applied a row at a time: cn_asa_scaler_apply(s, x, out) gives row x of
 * the scaled matrix (out may be x), bit for bit what cn_asa_scale_f32
 * leaves there.  Free with cn_asa_scaler_free. */
typedef struct cn_asa_scaler {
  int64_t cols;
  float *mean, *sd, *acc0, *acc1; /* column means, s.d., the two corrections */
  bool sub0, sub1;                /* whether each correction applies */
} cn_asa_scaler;
cn_status cn_asa_scaler_fit(cn_asa_scaler *s, const float *X, int64_t rows, int64_t cols);
void cn_asa_scaler_apply(const cn_asa_scaler *s, const float *x, float *out);
void cn_asa_scaler_free(cn_asa_scaler *s);
/* Nonzero: cn_asa_fuzzy_graph takes its plain per-pair kNN path for every
 * metric (the reference the tests hold the fast cosine/euclidean rows to). */
extern int cn_asa_fuzzy_plain;

/* UMAP-style fuzzy kNN graph of n points (n x dim, float64) with k
 * neighbours: the symmetric union A = W + W' - W.W' as CSR (rowptr[n+1],
 * col, val; columns ascending in each row).  Caller frees with free(). */
cn_status cn_asa_fuzzy_graph(const double *X, int64_t n, int64_t dim, int64_t k,
                             cn_metric metric, int num_threads, int64_t **rowptr,
                             int32_t **col, double **val);
/* Greedy sampling on a CSR graph: F = row sums; pick argmax, subtract
 * omega * row, repeat among the rest.  inds[m]. */
cn_status cn_asa_greedy_sample(int64_t n, const int64_t *rowptr, const int32_t *col,
                               const double *val, int64_t m, double omega, int64_t *inds);

/* --- decoding circular coordinates ---------------------------------- */
/* Vertex phases (turns in [0, 1)) of one H1 cocycle (rows of 3 int64:
 * a > b, coefficient in [0, p)), lifted with p, on the graph of pairs
 * (r < s) with 0 < dists[r, s] <= threshold; minimum-norm least squares.
 * CN_EINVAL when a vertex has no edge. */
cn_status cn_asa_cocycle_coords(const int64_t *cocycle, int64_t rows, int p, double threshold,
                                int64_t n, const double *dists, double *f);

/* The projection of decode_circular_coordinates_multi: with Zs the
 * z-scored rows `rows` (np of them: movetimes[indstemp]) of E and theta the
 * K x np vertex phases (turns), ccos[n, c, p] = cos(2 pi theta[c, p]) *
 * Zs[p, n] (csin likewise; either may be NULL); times = rows of E with any
 * activity > 0; coords[t, c] = atan2(Z[t] . Csin[:, c], Z[t] . Ccos[:, c])
 * mod 2 pi with Z the z-scored E and C the sums of ccos/csin over p.
 * *times_out (ntimes) and *coords_out (ntimes x K) are malloc'ed. */
cn_status cn_asa_decode_project(const float *E, int64_t T, int64_t N, const int64_t *rows,
                                int64_t np, const double *theta, int64_t K, double *ccos,
                                double *csin, int64_t *ntimes, int64_t **times_out,
                                double **coords_out);

/* --- downstream maps (src/asa/maps.c) -------------------------------- */
/* EcohoMap's phase map: the circular mean atan2(mean sin v, mean cos v)
 * of the values whose (x, y) fall in each cell of the grid given by the
 * increasing edges xe (nxe) and ye (nye), as scipy's binned_statistic_2d
 * bins them (a value on the last edge is in the last cell; outside and NaN
 * values are dropped).  out is (nxe-1) x (nye-1), row = x cell; NaN where
 * empty. */
cn_status cn_asa_circ_hist2d(const double *x, const double *y, const double *v, int64_t n,
                             const double *xe, int64_t nxe, const double *ye, int64_t nye,
                             double *out);
/* Decoded angles c (K x D) at time indices idx (0-based, any order) to
 * every index 0..T-1: sorted, first of duplicates kept, unwrapped
 * (numpy.unwrap), linearly interpolated (numpy.interp), mod 2 pi. */
cn_status cn_asa_interp_angles(const int64_t *idx, const double *c, int64_t K, int64_t D,
                               int64_t T, double *out);
/* A path xy (n x 2) with a NaN row inserted before each point whose nearest
 * copy (shifts i e1 + j e2, |i|, |j| <= 1) to the previous point is not the
 * point itself.  out holds up to 2n rows; returns the row count. */
int64_t cn_asa_snake_wrap(const double *xy, int64_t n, const double *e1, const double *e2,
                          double *out);
/* upstream _smooth_circular_map of a (rows x cols) phase map in place:
 * Gaussian smoothing (reflect, truncate 4) of sin and cos; with fill_nan
 * the empty cells are filled by the mask-normalised smoothing (s.d.
 * fill_sigma, NAN: smooth_sigma if > 0 else 1) and cells of weight <=
 * fill_min_weight become NaN (when fill_min_weight > 0). */
cn_status cn_asa_smooth_circular_map(double *m, int64_t rows, int64_t cols, double smooth_sigma,
                                     bool fill_nan, double fill_sigma, double fill_min_weight);

/* --- firing-rate maps (src/asa/fr.c) ---------------------------------- */
enum { CN_ASA_ZSCORE = 0, CN_ASA_MINMAX = 1 };
/* Per column of the (T x N) matrix X in place: z-score (population s.d.,
 * 0 -> 1) or min-max ((x - min) / (max - min), 0 -> 1), as upstream's
 * compute_fr_heatmap_matrix normalises for display. */
cn_status cn_asa_normalize_columns(double *X, int64_t T, int64_t N, int mode);
/* upstream compute_frm: samples (x[i], y[i]) binned on the bins + 1 edges
 * xe, ye (cell = searchsorted right - 1; outside dropped, so a sample at
 * the maximum is dropped), occupancy occ and sum of v[i * vstride] per
 * cell (bins x bins, [x cell, y cell]), frm = sum / occupancy, cells below
 * min_occupancy NaN (nan_for_empty) or 0; sigma > 0 smooths (reflect), with
 * NaNs by the normalised convolution (NaN where the weight <= 1e-12). */
cn_status cn_asa_frm(const double *x, const double *y, const double *v, int64_t n, int64_t vstride,
                     const double *xe, const double *ye, int64_t bins, int64_t min_occupancy,
                     bool nan_for_empty, double sigma, int64_t *occ, double *sum, double *frm);

/* --- CohoSpace (src/asa/cohospace.c) ---------------------------------- */
/* Rate maps over the decoded torus: coords (K rows, stride cstride, first
 * two columns used) binned on the ne edges (both axes), act (K x N) the
 * activity at those rows; maps (N x nb x nb, nb = ne - 1) hold the mean
 * per cell with the theta2 axis reversed (upstream's orientation), NaN
 * where empty, smoothed (NaN -> 0, Gaussian reflect, NaN restored) when
 * smooth_sigma > 0; centers (N x 2) the circular-mean phase centre
 * (upstream's pairing), NaN for an empty map. */
cn_status cn_asa_cohospace(const double *coords, int64_t K, int64_t cstride, const double *act,
                           int64_t N, const double *edges, int64_t ne, double smooth_sigma,
                           double *maps, double *centers);
/* CohoScore: for each neuron the time points with activity >= its
 * (100 - top_percent)-th percentile (NAN: activity > 0); fewer than 5 ->
 * NaN; else the mean over the D angle columns of theta (T x D, radians) of
 * the circular variance 1 - |mean exp(i theta)|. */
cn_status cn_asa_cohoscore(const double *theta, int64_t T, int64_t D, const double *act, int64_t N,
                           double top_percent, double *scores);

/* The projection with the centres from the rows `rows` of Ec (Tc x N) and
 * the z-scored activity Ez (Tz x N) evaluated at the given times (nt rows
 * of Ez): the legacy decoder's variant.  coords is nt x K. */
cn_status cn_asa_decode_project_at(const float *Ec, int64_t Tc, int64_t N, const int64_t *rows,
                                   int64_t np, const double *theta, int64_t K, const float *Ez,
                                   int64_t Tz, const int64_t *times, int64_t nt, double *ccos,
                                   double *csin, double *coords);

/* The time points the CohoSpace scatter plots draw: for each neuron ids[k]
 * (0-based) of act (T x N), those with activity >= its (100 -
 * top_percent)-th percentile (fr_mode) or > 0; mask[t] = 1 when any neuron
 * selects t, agg[t] the sum of the selecting neurons' activity (fr_mode)
 * or their count. */
cn_status cn_asa_select_points(const double *act, int64_t T, int64_t N, const int64_t *ids,
                               int64_t nids, bool fr_mode, double top_percent, unsigned char *mask,
                               double *agg);

/* --- CohoMap stripe fit (src/asa/stripes.c) --------------------------- */
/* The output shape of scipy.ndimage.rotate(img, angle_deg, reshape). */
void cn_asa_rotate_shape(int64_t rows, int64_t cols, double angle_deg, bool reshape,
                         int64_t *orows, int64_t *ocols);
/* scipy.ndimage.rotate(in, angle_deg, reshape=reshape) with order 3,
 * mode "constant", cval 0: out has cn_asa_rotate_shape's shape. */
cn_status cn_asa_rotate(const double *in, int64_t rows, int64_t cols, double angle_deg, bool reshape,
                        double *out);
/* The ramp X = meshgrid(linspace(0, 3 pi, grid_size - 1))[0] rotated by
 * angle (radians) as upstream's stripe model does, on the window
 * [trim, grid_size - 1 - trim)^2: out is n x n, n = grid_size - 1 - 2 trim. */
cn_status cn_asa_stripe_window(int64_t grid_size, int64_t trim, double angle, double *out);
/* upstream's stripe objective mean((cos(s X_rot + phase) - cos(map))^2)
 * over the finite cells of the n x n map, for np parameter rows (angle,
 * phase, spacing). */
cn_status cn_asa_stripe_objective(const double *map, int64_t n, int64_t grid_size, int64_t trim,
                                  const double *params, int64_t np, double *out);
/* fit_cohomap_stripes: the best of the grid[0] x grid[1] x grid[2] grid
 * (angle in [0, pi], phase in [0, 2 pi], spacing in [sp_lo, sp_hi]) in
 * p0, refined by Nelder-Mead to x with objective value fun. */
cn_status cn_asa_fit_stripes(const double *map, int64_t n, int64_t grid_size, int64_t trim,
                             const int64_t grid[3], double sp_lo, double sp_hi, double p0[3],
                             double x[3], double *fun);

/* Fly ROI bump fits (upstream fly_roi.roi_bump_fits): MCMC over von Mises
 * bumps at each of T time points of a ring of n_roi ROIs.  y is the
 * normalised data (T x n_roi, row-major); the final state comes back as
 * nbump[T] and pos/ampli/kappa[T x n_bump_max] (NaN past nbump[t]),
 * logl[T] the site log-likelihoods and *total the chain's total
 * (sites + couplings).  Draws come from g. */
#define CN_ROI_BUMP_MAX 16
typedef struct cn_roi_bump_opts {
  int64_t n_steps, n_roi, n_bump_max;
  double sigma_diff, ampli_min, kappa_mean, sig2, penbump, jc, beta;
} cn_roi_bump_opts;
void cn_roi_bump_opts_default(cn_roi_bump_opts *o);
cn_status cn_roi_bump_fits(const cn_roi_bump_opts *o, const double *y, int64_t T, cn_rng *g,
                           int32_t *nbump, double *pos, double *ampli, double *kappa,
                           double *logl, double *total);
/* The pieces, for tests: the predicted ring (upstream's fast I0), a site's
 * log-likelihood (work: n_roi doubles) and the coupling of two sites
 * (dp: 2^CN_ROI_BUMP_MAX doubles). */
void cn_roi_bump_predict(const double *pos, const double *ampli, const double *kappa, int nb,
                         int64_t n_roi, double *pred);
double cn_roi_bump_site_logl(const cn_roi_bump_opts *o, const double *y, const double *pos,
                             const double *ampli, const double *kappa, int nb, double *work);
double cn_roi_bump_coupling(const cn_roi_bump_opts *o, const double *p1, int n1, const double *p2,
                            int n2, double *dp);

/* --- bump animation maps (src/asa/bump_maps.c) ----------------------- */
/* upstream _smooth_tuning_map(m, n + 1, sigma) of an n x n map: the
 * skewed-torus tiling smoothed by the full-support normalised Gaussian
 * (zero padding), read back on the skew. */
cn_status cn_asa_skew_smooth(const double *m, int64_t n, double sigma, double *out);
/* Frames of upstream's bump animations: n_frames if >= 0, else
 * (max(times) - window) // step (plot_2d_bump_on_manifold's count). */
int64_t cn_asa_bump_frame_count(const int64_t *times, int64_t K, int64_t window, int64_t step,
                                int64_t n_frames);
/* For frames f = 0 .. n_frames-1 (window [f step, f step + window) of the
 * 0-based times, stopping when its end passes max(times), skipping empty
 * windows): activity[times[k]] summed into (numangsint - 2)^2 phase bins of
 * coords (K x 2, row stride cstride), skew-smoothed (sigma 4), Gaussian
 * filtered (sigma 1, reflect) and blended 0.7 previous + 0.3 new.  maps
 * holds n_frames maps; *nout of them are written, times_out[i] = the
 * window start of map i. */
cn_status cn_asa_bump_maps(const double *coords, int64_t K, int64_t cstride, const int64_t *times,
                           const double *activity, int64_t T, int64_t numangsint, int64_t window,
                           int64_t step, int64_t n_frames, double *maps, int64_t *times_out,
                           int64_t *nout);

#ifdef __cplusplus
}
#endif
#endif
