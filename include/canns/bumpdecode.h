/* canns — where a 2-D CANN's bump is, frame by frame: upstream's gallery
 * runner's decoder (`canns.pipeline.gallery.runner.GalleryRunner.
 * _decode_cann2d_center`), in C.
 *
 *   double *c = malloc(sizeof(double) * 2 * T);
 *   CN_TRY(cn_decode_cann2d_centers(r, T, n, c));   // r: T frames of n x n
 *
 * Each frame is smoothed by a Gaussian of sigma 1 pixel (scipy.ndimage.
 * gaussian_filter: radius 4, mode 'reflect', one pass per axis stored in
 * float32 like scipy's float32 output), thresholded at its mean + 0.5
 * standard deviations, split into 4-connected blobs (scipy.ndimage.label's
 * default structure); the centre of mass (x = column, y = row, in pixels)
 * of the blob nearest the grid's centre (n/2, n/2) is the frame's bump.  A
 * frame without any pixel above threshold repeats the previous frame's
 * centre (the first: (n/2, n/2)).  OpenMP over frames; the result does not
 * depend on the number of threads. */
#ifndef CANNS_BUMPDECODE_H
#define CANNS_BUMPDECODE_H

#include <stdint.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* r: T frames of n x n float32 (row-major); centres: T x 2 (x, y).
 * Non-finite activity is an error; T >= 1, 1 <= n <= 4096. */
cn_status cn_decode_cann2d_centers(const float *r, int64_t T, int64_t n, double *centres);

#ifdef __cplusplus
}
#endif
#endif
