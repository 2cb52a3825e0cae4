/* canns — 2-D image primitives shared by the analyzers (cell
 * classification, grid-cell metrics).
 *
 * Images are row-major float64 buffers `[row][col]` of h x w pixels; the
 * caller owns every buffer.  Correlations go through FFTW (plan once,
 * execute many): nothing here is O(n^4).
 *
 *   int64_t oh, ow;
 *   cn_autocorr2d_shape(50, 50, 0.8, &oh, &ow);      // 89 x 89
 *   double *ac = malloc(sizeof(double) * oh * ow);
 *   CN_TRY(cn_autocorr2d(map, 50, 50, 0.8, ac));
 *
 * For many maps of one size make a plan (`cn_autocorr2d_plan_new`) and
 * call `cn_autocorr2d_execute` per map, or hand the whole stack to
 * `cn_autocorr2d_batch` (OpenMP over maps, one plan per thread).
 * Results never depend on the number of threads. */
#ifndef CANNS_IMAGE_H
#define CANNS_IMAGE_H

#include <stdint.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- linear cross-correlation (scipy.signal.correlate semantics) ---- */
typedef enum cn_xcorr_mode {
  CN_XCORR_FULL = 0, /* (ih+th-1) x (iw+tw-1)                              */
  CN_XCORR_SAME,     /* ih x iw, centred on the full result                */
  CN_XCORR_VALID     /* (ih-th+1) x (iw-tw+1); needs ih >= th and iw >= tw */
} cn_xcorr_mode;

/* Output extent of correlate(image, template, mode). */
cn_status cn_xcorr2d_shape(int64_t ih, int64_t iw, int64_t th, int64_t tw,
                           cn_xcorr_mode mode, int64_t *oh, int64_t *ow);
/* out[k] = sum_p image[p + k - (th-1, tw-1)] * template[p] over the full
 * result, cropped as `mode` says (upstream's scipy.signal.correlate(image,
 * template, mode, method="fft")).  Non-finite inputs are an error. */
cn_status cn_xcorr2d(const double *image, int64_t ih, int64_t iw,
                     const double *templ, int64_t th, int64_t tw,
                     cn_xcorr_mode mode, double *out);

/* Upstream `normalized_xcorr2(template, image, mode)`: full mode centres
 * by the global means and divides by n_t * std_t * std_i; same/valid
 * divide the raw correlation by the two L2 norms; clipped to [-1, 1].
 * A constant template is an error (CN_EINVAL). */
cn_status cn_normalized_xcorr2(const double *templ, int64_t th, int64_t tw,
                               const double *image, int64_t ih, int64_t iw,
                               cn_xcorr_mode mode, double *out);

/* --- autocorrelogram (upstream compute_2d_autocorrelation) ---------- */
/* Output extent per axis: m = round_half_even(n * (1 + overlap)), minus 1
 * when even and > 0; when the centred window would exceed the full
 * correlation (2n - 1 on either axis) the full correlation is kept. */
void cn_autocorr2d_shape(int64_t h, int64_t w, double overlap, int64_t *oh,
                         int64_t *ow);

typedef struct cn_autocorr2d_plan cn_autocorr2d_plan;
/* h, w >= 1; overlap finite and >= 0. */
cn_status cn_autocorr2d_plan_new(cn_autocorr2d_plan **out, int64_t h,
                                 int64_t w, double overlap);
void cn_autocorr2d_plan_shape(const cn_autocorr2d_plan *p, int64_t *oh,
                              int64_t *ow);
/* NaN -> 0; an all-zero map gives zeros; else the demeaned map's full
 * autocorrelation, centred crop, divided by the centre value when it is
 * > 0.  A plan's buffers are reused: one thread per plan at a time. */
cn_status cn_autocorr2d_execute(cn_autocorr2d_plan *p, const double *map,
                                double *out);
void cn_autocorr2d_plan_free(cn_autocorr2d_plan *p); /* NULL is fine */
/* One map (plans, executes, frees). */
cn_status cn_autocorr2d(const double *map, int64_t h, int64_t w,
                        double overlap, double *out);
/* n maps stacked (n, h, w) -> (n, oh, ow), OpenMP over maps. */
cn_status cn_autocorr2d_batch(const double *maps, int64_t n, int64_t h,
                              int64_t w, double overlap, double *out);

/* --- rotation (upstream rotate_image / scipy.ndimage.rotate) -------- */
typedef enum cn_interp {
  CN_INTERP_NEAREST = 0, /* spline order 0 */
  CN_INTERP_BILINEAR = 1 /* spline order 1 */
} cn_interp;

/* sin and cos of an angle in degrees, reduced to the nearest multiple of
 * 90 first (exact at multiples of 90, as scipy.special.sindg/cosdg). */
void cn_sincosdg(double deg, double *s, double *c);
/* The enlarged output extent of a rotation that keeps the whole input
 * (scipy's reshape=True). */
void cn_rotate_shape(int64_t h, int64_t w, double deg, int64_t *oh,
                     int64_t *ow);
/* Rotate counter-clockwise by `deg` degrees about the centre
 * ((h-1)/2, (w-1)/2), written into an oh x ow image centred at
 * ((oh-1)/2, (ow-1)/2).  Output pixel (i, j) samples the input at
 *   r = cr + c*(i - or) + s*(j - oc),  q = cc - s*(i - or) + c*(j - oc);
 * samples outside [0, h-1] x [0, w-1] are 0 (no blending at the border). */
cn_status cn_rotate_image(const double *img, int64_t h, int64_t w, double deg,
                          int64_t oh, int64_t ow, cn_interp interp,
                          double *out);

/* --- contours (upstream find_contours_at_level = skimage
 *     measure.find_contours, fully_connected="low") ------------------- */
typedef struct cn_contours {
  int64_t n;          /* number of contours */
  int64_t *start;     /* n + 1 offsets into pts (contour k: start[k]..start[k+1]-1) */
  double *pts;        /* (row, col) pairs; a closed contour repeats its first point */
} cn_contours;
/* Marching squares at `level` with linear interpolation along cell edges
 * (a pixel equal to the level counts as below it); segments assembled
 * into polylines in skimage's order.  h, w >= 2; values must be finite. */
cn_status cn_find_contours(const double *img, int64_t h, int64_t w,
                           double level, cn_contours *out);
void cn_contours_free(cn_contours *c);

/* --- morphology and regions ----------------------------------------- */
/* Regional maxima (skimage morphology.local_maxima, allow_borders): a
 * plateau of equal values, connected through 4-neighbours (connectivity
 * 1) or 8-neighbours (2), whose every neighbour outside it is strictly
 * lower.  out[k] = 1 on maxima, else 0. */
cn_status cn_regional_maxima(const double *img, int64_t h, int64_t w,
                             int connectivity, unsigned char *out);
/* Binary dilation with a (2r+1) x (2r+1) square; outside is background. */
cn_status cn_dilate_square(const unsigned char *in, int64_t h, int64_t w,
                           int64_t size, unsigned char *out);
/* Connected components of the non-zero pixels (connectivity 1 = 4-, 2 =
 * 8-neighbour), labelled 1..K in raster order of each component's first
 * pixel (skimage measure.label); 0 = background.  *nlabels = K. */
cn_status cn_label(const unsigned char *in, int64_t h, int64_t w,
                   int connectivity, int32_t *labels, int64_t *nlabels);

/* --- smoothing ------------------------------------------------------ */
/* scipy.ndimage.gaussian_filter(mode="reflect", truncate): separable,
 * radius floor(truncate*sigma + 0.5), weights normalised to 1; an axis
 * with sigma 0 is not filtered.  out may equal img. */
cn_status cn_image_gaussian2d(const double *img, int64_t h, int64_t w,
                               double sigma_r, double sigma_c,
                               double truncate, double *out);
/* The same along one axis of a row-major (rows x n) array (each row). */
cn_status cn_image_gaussian1d_rows(const double *in, int64_t rows, int64_t n,
                                    double sigma, double truncate,
                                    double *out);

/* |fftshift(fft2(img))|^2 (numpy), h x w. */
cn_status cn_power_spectrum2d(const double *img, int64_t h, int64_t w, double *out);

#ifdef __cplusplus
}
#endif
#endif
