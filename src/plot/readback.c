/* canns — reading images back (tests and tools): PNG through Cairo. */
#include <stdlib.h>

#include "plot/internal.h"

cn_status cn_png_read(const char *path, uint8_t **rgba, int *width, int *height) {
  if (!path) return cn_error(CN_EINVAL, "png path is NULL");
  cairo_surface_t *s = cairo_image_surface_create_from_png(path);
  cairo_status_t st = cairo_surface_status(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    if (st == CAIRO_STATUS_FILE_NOT_FOUND || st == CAIRO_STATUS_READ_ERROR)
      return cn_error(CN_EIO, "cannot read PNG '%s': %s", path, cairo_status_to_string(st));
    return cn_error(CN_EFORMAT, "'%s' is not a readable PNG: %s", path,
                    cairo_status_to_string(st));
  }
  int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  int stride = cairo_image_surface_get_stride(s);
  cairo_format_t fmt = cairo_image_surface_get_format(s);
  uint8_t *buf = malloc((size_t)w * h * 4);
  if (!buf) {
    cairo_surface_destroy(s);
    return cn_error(CN_ENOMEM, "out of memory reading '%s'", path);
  }
  const unsigned char *px = cairo_image_surface_get_data(s);
  for (int y = 0; y < h; y++) {
    const uint32_t *line = (const uint32_t *)(px + (size_t)y * stride);
    for (int x = 0; x < w; x++) {
      uint32_t v = line[x];
      uint32_t a = fmt == CAIRO_FORMAT_ARGB32 ? v >> 24 : 255;
      uint32_t r = v >> 16 & 0xff, g = v >> 8 & 0xff, b = v & 0xff;
      if (a > 0 && a < 255) /* un-premultiply */
        r = (r * 255 + a / 2) / a, g = (g * 255 + a / 2) / a, b = (b * 255 + a / 2) / a;
      uint8_t *q = buf + ((size_t)y * w + x) * 4;
      q[0] = (uint8_t)r, q[1] = (uint8_t)g, q[2] = (uint8_t)b, q[3] = (uint8_t)a;
    }
  }
  cairo_surface_destroy(s);
  *rgba = buf, *width = w, *height = h;
  return CN_OK;
}
