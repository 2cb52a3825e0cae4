/* canns — the 2-D bump decoder of upstream's gallery runner
 * (include/canns/bumpdecode.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/bumpdecode.h"

#define RADIUS 4 /* int(truncate * sigma + 0.5) for sigma 1, truncate 4 */

/* scipy.ndimage 'reflect' (half-sample symmetric): d c b a | a b c d. */
static int64_t reflect(int64_t i, int64_t n) {
  int64_t p = 2 * n;
  i %= p;
  if (i < 0) i += p;
  return i < n ? i : p - 1 - i;
}

/* One correlate1d pass along a line of len values spaced `stride` apart,
 * in double with scipy's symmetric-kernel order, stored as float32.
 * line: len + 2 RADIUS doubles of scratch. */
static void pass(const float *in, float *out, int64_t len, int64_t stride, const double *w,
                 double *line) {
  for (int64_t i = -RADIUS; i < len + RADIUS; i++)
    line[i + RADIUS] = in[reflect(i, len) * stride];
  for (int64_t i = 0; i < len; i++) {
    const double *c = line + i + RADIUS;
    double t = c[0] * w[0];
    for (int j = 1; j <= RADIUS; j++) t += (c[j] + c[-j]) * w[j];
    out[i * stride] = (float)t;
  }
}

/* One frame: centre of the blob nearest the middle; 0 when no pixel is
 * above threshold.  s: n*n floats, tmp: n*n floats, lab: n*n ints,
 * stack: n*n ints, line: n + 2 RADIUS doubles. */
static int frame(const float *r, int64_t n, const double *w, float *s, float *tmp, int32_t *lab,
                 int32_t *stack, double *line, double *cx, double *cy) {
  /* axis 0 (down the columns), then axis 1 (along the rows) */
  for (int64_t c = 0; c < n; c++) pass(r + c, tmp + c, n, n, w, line);
  for (int64_t row = 0; row < n; row++) pass(tmp + row * n, s + row * n, n, 1, w, line);
  int64_t m = n * n;
  double sum = 0;
  for (int64_t k = 0; k < m; k++) sum += s[k];
  double mean = sum / (double)m, ss = 0;
  for (int64_t k = 0; k < m; k++) ss += ((double)s[k] - mean) * ((double)s[k] - mean);
  double thr = mean + 0.5 * sqrt(ss / (double)m);
  memset(lab, 0, sizeof(int32_t) * m);
  double half = (double)n / 2.0, best = INFINITY;
  int found = 0;
  int32_t next = 0;
  for (int64_t k = 0; k < m; k++) {
    if (lab[k] || !(s[k] > thr)) continue;
    /* a new blob, numbered in raster order as scipy.ndimage.label does */
    lab[k] = ++next;
    int64_t top = 0, count = 0;
    double sr = 0, sc = 0;
    stack[top++] = (int32_t)k;
    while (top) {
      int64_t p = stack[--top], pr = p / n, pc = p % n;
      sr += (double)pr, sc += (double)pc, count++;
      int64_t nb[4] = {pr > 0 ? p - n : -1, pr < n - 1 ? p + n : -1, pc > 0 ? p - 1 : -1,
                       pc < n - 1 ? p + 1 : -1};
      for (int j = 0; j < 4; j++) {
        int64_t q = nb[j];
        if (q >= 0 && !lab[q] && s[q] > thr) {
          lab[q] = next;
          stack[top++] = (int32_t)q;
        }
      }
    }
    double x = sc / (double)count, y = sr / (double)count;
    double d = hypot(x - half, y - half);
    if (d < best) best = d, *cx = x, *cy = y, found = 1; /* first of equals, like argmin */
  }
  return found;
}

cn_status cn_decode_cann2d_centers(const float *r, int64_t T, int64_t n, double *centres) {
  if (!r || !centres) return cn_error(CN_EINVAL, "decode_cann2d_centers: NULL buffer");
  if (T < 1) return cn_error(CN_EINVAL, "decode_cann2d_centers: need at least 1 frame, got %lld", (long long)T);
  if (n < 1 || n > 4096)
    return cn_error(CN_EINVAL, "decode_cann2d_centers: the grid side must be in [1, 4096], got %lld",
                    (long long)n);
  int64_t m = n * n;
  for (int64_t k = 0; k < T * m; k++)
    if (!isfinite(r[k]))
      return cn_error(CN_EINVAL, "decode_cann2d_centers: activity %lld of frame %lld is not finite",
                      (long long)(k % m), (long long)(k / m));
  double w[RADIUS + 1], tot = 0;
  for (int j = 0; j <= RADIUS; j++) w[j] = exp(-0.5 * (double)j * (double)j);
  for (int j = -RADIUS; j <= RADIUS; j++) tot += w[j < 0 ? -j : j];
  for (int j = 0; j <= RADIUS; j++) w[j] /= tot;
  char *found = malloc((size_t)T);
  if (!found) return cn_error(CN_ENOMEM, "decode_cann2d_centers: out of memory");
  int failed = 0;
#pragma omp parallel reduction(| : failed)
  {
    float *s = malloc(sizeof(float) * m), *tmp = malloc(sizeof(float) * m);
    int32_t *lab = malloc(sizeof(int32_t) * m), *stack = malloc(sizeof(int32_t) * m);
    double *line = malloc(sizeof(double) * (n + 2 * RADIUS));
    if (!s || !tmp || !lab || !stack || !line) failed = 1;
#pragma omp for schedule(static)
    for (int64_t t = 0; t < T; t++) {
      if (failed) { found[t] = 0; continue; }
      found[t] = (char)frame(r + t * m, n, w, s, tmp, lab, stack, line, &centres[2 * t], &centres[2 * t + 1]);
    }
    free(s), free(tmp), free(lab), free(stack), free(line);
  }
  if (failed) {
    free(found);
    return cn_error(CN_ENOMEM, "decode_cann2d_centers: out of memory");
  }
  for (int64_t t = 0; t < T; t++) {
    if (found[t]) continue;
    centres[2 * t] = t ? centres[2 * t - 2] : (double)n / 2.0;
    centres[2 * t + 1] = t ? centres[2 * t - 1] : (double)n / 2.0;
  }
  free(found);
  return CN_OK;
}
