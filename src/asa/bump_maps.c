/* canns — the activity maps of upstream's bump animations on the decoded
 * torus (`plot_3d_bump_on_torus`, `plot_2d_bump_on_manifold`): for each
 * sliding window of decoded time points, the population activity summed
 * into phase bins, smoothed on the skewed torus (upstream
 * `_smooth_tuning_map` with `_smooth_image`), smoothed again
 * (gaussian_filter, reflect) and blended with the previous frame. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"

#define TWO_PI 6.283185307179586

/* 1-D zero-padded correlation of the rows of (rows x cols) src with the
 * centred kernel k[0..2r] into dst (dst[i][j] = sum_q src[i][q] k[j - q + r]). */
static void conv_rows(const double *src, int64_t rows, int64_t cols, const double *k, int64_t r,
                      double *dst) {
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) {
      int64_t q0 = j - r < 0 ? 0 : j - r, q1 = j + r >= cols ? cols - 1 : j + r;
      double s = 0.0;
      for (int64_t q = q0; q <= q1; q++) s += src[i * cols + q] * k[j - q + r];
      dst[i * cols + j] = s;
    }
}

cn_status cn_asa_skew_smooth(const double *m, int64_t n, double sigma, double *out) {
  const char *fn = "smooth_tuning_map";
  if (n < 1) return cn_error(CN_EINVAL, "%s: the map must not be empty", fn);
  if (!(sigma > 0)) return cn_error(CN_EINVAL, "%s: sigma must be > 0", fn);
  int64_t N3 = 3 * n, mid = n / 2, r = N3 - 1;
  double *big = malloc(sizeof(double) * (size_t)(N3 * N3));
  double *tmp = malloc(sizeof(double) * (size_t)(N3 * N3));
  double *k = malloc(sizeof(double) * (size_t)(2 * r + 1));
  if (!big || !tmp || !k) {
    free(big), free(tmp), free(k);
    return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  }
  /* row i rolled right by floor(i/2); three copies side by side (B); the
   * image is [B rolled right by mid; B; B rolled right by mid] */
  for (int64_t i = 0; i < n; i++)
    for (int64_t c = 0; c < N3; c++) {
      int64_t src = ((c % n) - i / 2) % n;
      if (src < 0) src += n;
      double v = m[i * n + src];
      int64_t cs = (c + mid) % N3; /* B rolled right by mid at column cs */
      big[(n + i) * N3 + c] = v;
      big[i * N3 + cs] = v;
      big[(2 * n + i) * N3 + cs] = v;
    }
  /* the 2-D Gaussian over the (6n-1)^2 grid, normalised over it, is the
   * product of the normalised 1-D one: two zero-padded passes */
  double ks = 0.0;
  for (int64_t d = -r; d <= r; d++) ks += (k[d + r] = exp(-0.5 * (double)(d * d) / (sigma * sigma)));
  for (int64_t d = 0; d <= 2 * r; d++) k[d] /= ks;
  conv_rows(big, N3, N3, k, r, tmp);
  /* columns: only rows n .. 2n-1 of the result are read back */
  for (int64_t i = 0; i < n; i++) {
    int64_t row = n + i, c0 = n + i / 2 + 1;
    for (int64_t c = 0; c < n; c++) {
      int64_t col = c0 + c;
      double s = 0.0;
      int64_t p0 = row - r < 0 ? 0 : row - r, p1 = row + r >= N3 ? N3 - 1 : row + r;
      for (int64_t p = p0; p <= p1; p++) s += tmp[p * N3 + col] * k[row - p + r];
      out[i * n + c] = s;
    }
  }
  free(big), free(tmp), free(k);
  return CN_OK;
}

int64_t cn_asa_bump_frame_count(const int64_t *times, int64_t K, int64_t window, int64_t step,
                                int64_t n_frames) {
  int64_t tmax = 0;
  for (int64_t k = 0; k < K; k++)
    if (times[k] > tmax) tmax = times[k];
  if (n_frames >= 0) return n_frames;
  int64_t f = (tmax - window) / step; /* numpy floor division */
  if ((tmax - window) % step != 0 && tmax - window < 0) f -= 1;
  return f < 0 ? 0 : f;
}

cn_status cn_asa_bump_maps(const double *coords, int64_t K, int64_t cstride, const int64_t *times,
                           const double *activity, int64_t T, int64_t numangsint, int64_t window,
                           int64_t step, int64_t n_frames, double *maps, int64_t *times_out,
                           int64_t *nout) {
  const char *fn = "bump_maps";
  if (numangsint < 3) return cn_error(CN_EINVAL, "%s: numangsint must be >= 3, got %lld", fn, (long long)numangsint);
  if (window < 1 || step < 1) return cn_error(CN_EINVAL, "%s: window_size and frame_step must be >= 1", fn);
  int64_t nb = numangsint - 2, nbb = nb * nb;
  int64_t tmax = 0;
  for (int64_t k = 0; k < K; k++) {
    if (times[k] < 0 || times[k] >= T)
      return cn_error(CN_ERANGE, "%s: times_box[%lld] = %lld is outside the %lld embedded rows", fn,
                      (long long)k + 1, (long long)times[k] + 1, (long long)T);
    if (times[k] > tmax) tmax = times[k];
  }
  double *m = malloc(sizeof(double) * (size_t)nbb), *s = malloc(sizeof(double) * (size_t)nbb);
  if (!m || !s) {
    free(m), free(s);
    return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  }
  double width = TWO_PI / (double)nb; /* bins on linspace(0, 2 pi, numangsint - 1) */
  int64_t got = 0;
  cn_status st = CN_OK;
  for (int64_t f = 0; f < n_frames; f++) {
    int64_t a = f * step, b = a + window;
    if (b > tmax) break;
    memset(m, 0, sizeof(double) * (size_t)nbb);
    int64_t hits = 0;
    for (int64_t k = 0; k < K; k++) {
      if (times[k] < a || times[k] >= b) continue;
      hits++;
      double x = coords[k * cstride], y = coords[k * cstride + 1];
      if (!(x >= 0.0 && x <= TWO_PI && y >= 0.0 && y <= TWO_PI)) continue;
      /* scipy: the last bin holds its right edge */
      int64_t ix = x == TWO_PI ? nb - 1 : (int64_t)(x / width), iy = y == TWO_PI ? nb - 1 : (int64_t)(y / width);
      if (ix >= nb) ix = nb - 1;
      if (iy >= nb) iy = nb - 1;
      m[ix * nb + iy] += activity[times[k]];
    }
    if (hits == 0) continue; /* upstream skips an empty window */
    if ((st = cn_asa_skew_smooth(m, nb, 4.0, s)) != CN_OK) break;
    double *o = maps + got * nbb;
    if ((st = cn_gaussian_filter2d(s, nb, nb, 1.0, CN_FILTER_REFLECT, o)) != CN_OK) break;
    if (got > 0)
      for (int64_t i = 0; i < nbb; i++) o[i] = 0.7 * o[i - nbb] + 0.3 * o[i];
    times_out[got] = a;
    got++;
  }
  free(m), free(s);
  *nout = got;
  return st;
}
