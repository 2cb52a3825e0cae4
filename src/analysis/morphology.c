/* canns — binary morphology and regions on images: regional maxima
 * (skimage morphology.local_maxima), square dilation
 * (skimage binary_dilation with footprint_rectangle) and connected
 * component labelling (skimage measure.label). */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "canns/image.h"

static const int DR[8] = {-1, 1, 0, 0, -1, -1, 1, 1};
static const int DC[8] = {0, 0, -1, 1, -1, 1, -1, 1};

static cn_status check(int64_t h, int64_t w, int connectivity) {
  if (h < 1 || w < 1 || h > CN_IMAGE_MAX_EXTENT || w > CN_IMAGE_MAX_EXTENT ||
      h * w > CN_IMAGE_MAX_PIXELS)
    return cn_error(CN_ESHAPE, "the image must be non-empty, got %lld x %lld", (long long)h, (long long)w);
  if (connectivity != 1 && connectivity != 2)
    return cn_error(CN_EINVAL, "connectivity must be 1 or 2, got %d", connectivity);
  return CN_OK;
}

cn_status cn_regional_maxima(const double *img, int64_t h, int64_t w,
                             int connectivity, unsigned char *out) {
  CN_TRY(check(h, w, connectivity));
  const int nn = connectivity == 1 ? 4 : 8;
  const int64_t n = h * w;
  int64_t *stack = malloc(sizeof(int64_t) * (size_t)n);
  unsigned char *seen = calloc((size_t)n, 1);
  if (!stack || !seen) {
    free(stack), free(seen);
    return cn_error(CN_ENOMEM, "regional maxima");
  }
  memset(out, 0, (size_t)n);
  /* skimage pads the image with its minimum, so a plateau at the global
   * minimum is never a maximum (a constant image has none) */
  double vmin = img[0];
  for (int64_t k = 1; k < n; k++) vmin = img[k] < vmin ? img[k] : vmin;
  for (int64_t s = 0; s < n; s++) {
    if (seen[s]) continue;
    /* flood the plateau of s; it is a maximum unless some neighbour
     * outside it is higher */
    const double v = img[s];
    int64_t top = 0, count = 0;
    int is_max = v != vmin;
    stack[top++] = s;
    seen[s] = 1;
    /* the stack doubles as the plateau's pixel list: pixels are pushed
     * once and kept below `count` */
    while (count < top) {
      int64_t p = stack[count++];
      int64_t r = p / w, c = p % w;
      for (int k = 0; k < nn; k++) {
        int64_t rr = r + DR[k], cc = c + DC[k];
        if (rr < 0 || rr >= h || cc < 0 || cc >= w) continue;
        int64_t q = rr * w + cc;
        if (img[q] == v) {
          if (!seen[q]) seen[q] = 1, stack[top++] = q;
        } else if (img[q] > v) {
          is_max = 0;
        }
      }
    }
    if (is_max)
      for (int64_t k = 0; k < top; k++) out[stack[k]] = 1;
  }
  free(stack), free(seen);
  return CN_OK;
}

cn_status cn_dilate_square(const unsigned char *in, int64_t h, int64_t w,
                           int64_t size, unsigned char *out) {
  CN_TRY(check(h, w, 1));
  if (size < 1 || size > CN_IMAGE_MAX_EXTENT)
    return cn_error(CN_EINVAL, "footprint size must be >= 1, got %lld", (long long)size);
  /* footprint_rectangle((size, size)) centred at size//2 (scipy origin) */
  const int64_t lo = size / 2, hi = size - 1 - lo;
  for (int64_t r = 0; r < h; r++)
    for (int64_t c = 0; c < w; c++) {
      unsigned char v = 0;
      for (int64_t dr = -lo; dr <= hi && !v; dr++) {
        int64_t rr = r + dr;
        if (rr < 0 || rr >= h) continue;
        for (int64_t dc = -lo; dc <= hi; dc++) {
          int64_t cc = c + dc;
          if (cc >= 0 && cc < w && in[rr * w + cc]) { v = 1; break; }
        }
      }
      out[r * w + c] = v;
    }
  return CN_OK;
}

cn_status cn_label(const unsigned char *in, int64_t h, int64_t w,
                   int connectivity, int32_t *labels, int64_t *nlabels) {
  CN_TRY(check(h, w, connectivity));
  const int nn = connectivity == 1 ? 4 : 8;
  const int64_t n = h * w;
  int64_t *stack = malloc(sizeof(int64_t) * (size_t)n);
  if (!stack) return cn_error(CN_ENOMEM, "labelling");
  memset(labels, 0, sizeof(int32_t) * (size_t)n);
  int32_t next = 0;
  for (int64_t s = 0; s < n; s++) {
    if (!in[s] || labels[s]) continue;
    if (next == INT32_MAX) { free(stack); return cn_error(CN_ERANGE, "too many components"); }
    int32_t lab = ++next;
    int64_t top = 0;
    stack[top++] = s;
    labels[s] = lab;
    while (top > 0) {
      int64_t p = stack[--top];
      int64_t r = p / w, c = p % w;
      for (int k = 0; k < nn; k++) {
        int64_t rr = r + DR[k], cc = c + DC[k];
        if (rr < 0 || rr >= h || cc < 0 || cc >= w) continue;
        int64_t q = rr * w + cc;
        if (in[q] && !labels[q]) labels[q] = lab, stack[top++] = q;
      }
    }
  }
  free(stack);
  *nlabels = next;
  return CN_OK;
}
