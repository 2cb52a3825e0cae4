/* canns — direct least-squares ellipse fit (Fitzgibbon, Pilu & Fisher;
 * upstream fit_ellipse): normalised design matrix, the reduced 3 x 3
 * eigenproblem solved by LAPACK dgeev (OpenBLAS), then the conic turned
 * into centre, radii and angle. */
#include <math.h>
#include <string.h>

#include "canns/gridness.h"

void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info);

/* inverse of a 3x3 matrix (row-major); 0 if singular */
static int inv3(const double m[9], double o[9]) {
  double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
  double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  double det = a * A + b * B + c * C;
  if (det == 0 || !isfinite(det)) return 0;
  o[0] = A / det, o[1] = -(b * i - c * h) / det, o[2] = (b * f - c * e) / det;
  o[3] = B / det, o[4] = (a * i - c * g) / det, o[5] = -(a * f - c * d) / det;
  o[6] = C / det, o[7] = -(a * h - b * g) / det, o[8] = (a * e - b * d) / det;
  return 1;
}

cn_status cn_fit_ellipse(const double *x, const double *y, int64_t n,
                         double out[5]) {
  if (n < 5) return cn_error(CN_EINVAL, "need at least 5 points to fit an ellipse, got %lld", (long long)n);
  double mx = 0, my = 0, xmin = x[0], xmax = x[0], ymin = y[0], ymax = y[0];
  for (int64_t k = 0; k < n; k++) {
    if (!isfinite(x[k]) || !isfinite(y[k])) return cn_error(CN_EINVAL, "points must be finite");
    mx += x[k], my += y[k];
    xmin = fmin(xmin, x[k]), xmax = fmax(xmax, x[k]);
    ymin = fmin(ymin, y[k]), ymax = fmax(ymax, y[k]);
  }
  mx /= (double)n, my /= (double)n;
  double sx = (xmax - xmin) / 2, sy = (ymax - ymin) / 2;
  if (sx == 0 || sy == 0) return cn_error(CN_EINVAL, "points must have non-zero extent in both dimensions");
  double S[36] = {0};
  for (int64_t k = 0; k < n; k++) {
    double u = (x[k] - mx) / sx, v = (y[k] - my) / sy;
    double D[6] = {u * u, u * v, v * v, u, v, 1};
    for (int i = 0; i < 6; i++)
      for (int j = 0; j < 6; j++) S[i * 6 + j] += D[i] * D[j];
  }
  double A3[9], B3[9], C3[9], Ci[9];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      A3[i * 3 + j] = S[i * 6 + j];
      B3[i * 3 + j] = S[i * 6 + 3 + j];
      C3[i * 3 + j] = S[(3 + i) * 6 + 3 + j];
    }
  if (!inv3(C3, Ci)) return cn_error(CN_EINVAL, "failed to fit ellipse: singular matrix");
  double E[9]; /* C^-1 B^T */
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      double s = 0;
      for (int k = 0; k < 3; k++) s += Ci[i * 3 + k] * B3[j * 3 + k];
      E[i * 3 + j] = s;
    }
  double T[9]; /* A - B E */
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      double s = 0;
      for (int k = 0; k < 3; k++) s += B3[i * 3 + k] * E[k * 3 + j];
      T[i * 3 + j] = A3[i * 3 + j] - s;
    }
  /* Cc^-1 for Cc = [[0,0,-2],[0,1,0],[-2,0,0]] is [[0,0,-1/2],[0,1,0],[-1/2,0,0]] */
  double M[9];
  for (int j = 0; j < 3; j++) {
    M[0 * 3 + j] = -0.5 * T[2 * 3 + j];
    M[1 * 3 + j] = T[1 * 3 + j];
    M[2 * 3 + j] = -0.5 * T[0 * 3 + j];
  }
  double Mf[9]; /* column-major for LAPACK */
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) Mf[j * 3 + i] = M[i * 3 + j];
  int N = 3, ld = 3, lwork = 64, info = 0, one = 1;
  double wr[3], wi[3], vr[9], vl[1], work[64];
  dgeev_("N", "V", &N, Mf, &ld, wr, wi, vl, &one, vr, &ld, work, &lwork, &info);
  if (info != 0) return cn_error(CN_EINVAL, "failed to fit ellipse: eigen-decomposition did not converge");
  int idx = -1;
  for (int k = 0; k < 3; k++)
    if (wr[k] < 1e-8 && !isinf(wr[k]) && !isinf(wi[k])) { idx = k; break; }
  if (idx < 0) {
    double best = INFINITY;
    for (int k = 0; k < 3; k++) {
      double m = hypot(wr[k], wi[k]);
      if (m < best) best = m, idx = k;
    }
  }
  /* real part of eigenvector idx: for a complex pair LAPACK stores the
   * real part in column idx (first of the pair) or idx-1 (second) */
  double a[6];
  int col = idx;
  if (wi[idx] != 0 && idx > 0 && wi[idx - 1] == -wi[idx] && wi[idx] < 0) col = idx - 1;
  if (wi[idx] != 0) {
    /* numpy returns complex vectors normalised to unit 2-norm with the
     * real/imag parts from columns col, col+1; keep the real part */
    for (int i = 0; i < 3; i++) a[i] = vr[col * 3 + i];
  } else {
    for (int i = 0; i < 3; i++) a[i] = vr[idx * 3 + i];
  }
  for (int i = 0; i < 3; i++) {
    double s = 0;
    for (int k = 0; k < 3; k++) s += E[i * 3 + k] * a[k];
    a[3 + i] = -s;
  }
  double p0 = a[0] * sy * sy, p1 = a[1] * sx * sy, p2 = a[2] * sx * sx;
  double p3 = -2 * a[0] * sy * sy * mx - a[1] * sx * sy * my + a[3] * sx * sy * sy;
  double p4 = -a[1] * sx * sy * mx - 2 * a[2] * sx * sx * my + a[4] * sx * sx * sy;
  double p5 = a[0] * sy * sy * mx * mx + a[1] * sx * sy * mx * my + a[2] * sx * sx * my * my -
              a[3] * sx * sy * sy * mx - a[4] * sx * sx * sy * my + a[5] * sx * sx * sy * sy;
  double th = 0.5 * atan2(p1, p0 - p2);
  double c = cos(th), s = sin(th);
  double Au = p3 * c + p4 * s, Av = -p3 * s + p4 * c;
  double Auu = p0 * c * c + p2 * s * s + p1 * s * c;
  double Avv = p0 * s * s + p2 * c * c - p1 * s * c;
  double tu = -Au / (2 * Auu), tv = -Av / (2 * Avv);
  double wc = p5 - Auu * tu * tu - Avv * tv * tv;
  double Ru = -wc / Auu, Rv = -wc / Avv;
  Ru = sqrt(fabs(Ru)) * (Ru > 0 ? 1 : Ru < 0 ? -1 : 0);
  Rv = sqrt(fabs(Rv)) * (Rv > 0 ? 1 : Rv < 0 ? -1 : 0);
  out[0] = tu * c - tv * s;
  out[1] = tu * s + tv * c;
  out[2] = Ru, out[3] = Rv, out[4] = th;
  return CN_OK;
}
