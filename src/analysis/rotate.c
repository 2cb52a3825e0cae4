/* canns — image rotation about the centre with bilinear (or nearest)
 * sampling and a zero outside the input (upstream rotate_image, i.e.
 * scipy.ndimage.rotate(order=1, mode="constant", cval=0)). */
#include <math.h>

#include "analysis/analysis_internal.h"
#include "canns/image.h"

void cn_sincosdg(double deg, double *s, double *c) {
  /* Reduce to z in [-45, 45] around the nearest multiple q of 90 degrees,
   * then rotate (sin z, cos z) by q quarter turns: exact at multiples of
   * 90 and identical to scipy.special.sindg/cosdg elsewhere. */
  double q = nearbyint(deg / 90.0);
  double z = (deg - 90.0 * q) * (M_PI / 180.0);
  double sz = sin(z), cz = cos(z);
  long k = (long)fmod(q, 4.0);
  if (k < 0) k += 4;
  switch (k) {
  case 0: *s = sz, *c = cz; break;
  case 1: *s = cz, *c = -sz; break;
  case 2: *s = -sz, *c = -cz; break;
  default: *s = -cz, *c = sz; break;
  }
  if (*s == 0) *s = 0.0; /* no negative zero */
  if (*c == 0) *c = 0.0;
}

void cn_rotate_shape(int64_t h, int64_t w, double deg, int64_t *oh,
                     int64_t *ow) {
  double s, c;
  cn_sincosdg(deg, &s, &c);
  /* bounds of R @ [[0, 0, h, h], [0, w, 0, w]], R = [[c, s], [-s, c]] */
  double r[4] = {0, c * 0 + s * (double)w, c * (double)h, c * (double)h + s * (double)w};
  double q[4] = {0, c * (double)w, -s * (double)h, -s * (double)h + c * (double)w};
  double rmin = r[0], rmax = r[0], qmin = q[0], qmax = q[0];
  for (int k = 1; k < 4; k++) {
    rmin = fmin(rmin, r[k]), rmax = fmax(rmax, r[k]);
    qmin = fmin(qmin, q[k]), qmax = fmax(qmax, q[k]);
  }
  *oh = (int64_t)(rmax - rmin + 0.5);
  *ow = (int64_t)(qmax - qmin + 0.5);
}

cn_status cn_rotate_image(const double *img, int64_t h, int64_t w, double deg,
                          int64_t oh, int64_t ow, cn_interp interp,
                          double *out) {
  if (h < 1 || w < 1 || h > CN_IMAGE_MAX_EXTENT || w > CN_IMAGE_MAX_EXTENT)
    return cn_error(CN_ESHAPE, "the image must be non-empty, got %lld x %lld", (long long)h, (long long)w);
  if (oh < 0 || ow < 0 || oh > CN_IMAGE_MAX_EXTENT || ow > CN_IMAGE_MAX_EXTENT ||
      oh * ow > CN_IMAGE_MAX_PIXELS)
    return cn_error(CN_ESHAPE, "output shape %lld x %lld out of range", (long long)oh, (long long)ow);
  if (!isfinite(deg)) return cn_error(CN_EINVAL, "the angle must be finite, got %g", deg);
  if (interp != CN_INTERP_NEAREST && interp != CN_INTERP_BILINEAR)
    return cn_error(CN_EINVAL, "unknown interpolation %d", (int)interp);
  double s, c;
  cn_sincosdg(deg, &s, &c);
  const double cr = (double)(h - 1) / 2, cc = (double)(w - 1) / 2;
  const double orr = (double)(oh - 1) / 2, oc = (double)(ow - 1) / 2;
  const double hmax = (double)(h - 1), wmax = (double)(w - 1);
  for (int64_t i = 0; i < oh; i++) {
    double di = (double)i - orr;
    for (int64_t j = 0; j < ow; j++) {
      double dj = (double)j - oc;
      double r = cr + c * di + s * dj;
      double q = cc - s * di + c * dj;
      double v = 0;
      if (r >= 0 && r <= hmax && q >= 0 && q <= wmax) {
        if (interp == CN_INTERP_NEAREST) {
          int64_t ri = (int64_t)floor(r + 0.5), qi = (int64_t)floor(q + 0.5);
          if (ri > h - 1) ri = h - 1;
          if (qi > w - 1) qi = w - 1;
          v = img[ri * w + qi];
        } else {
          int64_t r0 = (int64_t)floor(r), q0 = (int64_t)floor(q);
          double fr = r - (double)r0, fq = q - (double)q0;
          int64_t r1 = r0 + 1 < h ? r0 + 1 : r0, q1 = q0 + 1 < w ? q0 + 1 : q0;
          double a = img[r0 * w + q0], b = img[r0 * w + q1];
          double d = img[r1 * w + q0], e = img[r1 * w + q1];
          v = (1 - fr) * ((1 - fq) * a + fq * b) + fr * ((1 - fq) * d + fq * e);
        }
      }
      out[i * ow + j] = v;
    }
  }
  return CN_OK;
}
