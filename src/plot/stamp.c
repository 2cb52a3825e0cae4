/* canns — stamped scatter markers.
 *
 * A large scatter draws one marker shape at one size thousands of times
 * (the theta-sweep animations draw 10^4 - 10^5 per frame).  Filling and
 * stroking each marker's path costs Cairo a tessellation per marker; here
 * the marker's fill and edge coverage are rendered once per 1/8-pixel
 * offset into A8 masks and each marker is the OVER composite of its
 * colour through its mask, written straight into the image's pixels
 * (Cairo's own cairo_mask costs allocations per call) within the clip
 * rectangle (partial coverage at its fractional edges); on an image of
 * another pixel format, through cairo_mask.  The fill and the edge stay
 * two composites, as the path drawing (an edge over a translucent face
 * darkens the ring as before); positions are rounded to 1/8 device pixel.
 * Only on image surfaces with an axis-aligned, uniformly scaled transform
 * (savefig to PNG, GIF, MP4 frames); vector surfaces keep the paths.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "plot/internal.h"

#define Q 8 /* sub-pixel offsets per axis */

struct pl_stamp {
  cn_marker mk;
  double size, lw, scale, x0, y0;
  bool fill;
  int half, w;
  cairo_antialias_t aa;
  cairo_line_join_t join;
  double miter;
  cairo_pattern_t *m[2][Q * Q]; /* [0] fill, [1] edge coverage */
  /* direct writing: the pixels, their format and the clip (device pixels) */
  unsigned char *px;
  int stride, W, H;
  bool rgb24;
  double cx0, cy0, cx1, cy1;
};

pl_stamp *pl_stamp_begin(cairo_t *cr, cn_marker mk, double size, double lw, bool fill,
                         const double *clip) {
  cairo_surface_t *t = cairo_get_target(cr);
  if (cairo_surface_get_type(t) != CAIRO_SURFACE_TYPE_IMAGE || cairo_get_group_target(cr) != t)
    return NULL;
  double dox, doy;
  cairo_surface_get_device_offset(t, &dox, &doy);
  cairo_matrix_t mt;
  cairo_get_matrix(cr, &mt);
  if (mt.xy != 0 || mt.yx != 0 || !(mt.xx > 0) || mt.yy != mt.xx) return NULL;
  double r = (size / 2 + lw / 2) * mt.xx;
  if (!(r < 256)) return NULL;
  pl_stamp *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->mk = mk, s->size = size, s->lw = lw, s->fill = fill;
  s->scale = mt.xx, s->x0 = mt.x0 + dox, s->y0 = mt.y0 + doy;
  s->half = (int)ceil(r) + 2;
  s->w = 2 * s->half + 1;
  s->aa = cairo_get_antialias(cr);
  s->join = cairo_get_line_join(cr);
  s->miter = cairo_get_miter_limit(cr);
  cairo_save(cr);
  cairo_identity_matrix(cr);
  cairo_format_t f = cairo_image_surface_get_format(t);
  if (f == CAIRO_FORMAT_ARGB32 || f == CAIRO_FORMAT_RGB24) {
    double e[4];
    cairo_clip_extents(cr, &e[0], &e[1], &e[2], &e[3]); /* the clip in device pixels */
    s->W = cairo_image_surface_get_width(t), s->H = cairo_image_surface_get_height(t);
    s->cx0 = fmax(e[0] + dox, 0), s->cy0 = fmax(e[1] + doy, 0);
    s->cx1 = fmin(e[2] + dox, s->W), s->cy1 = fmin(e[3] + doy, s->H);
    if (clip) {
      s->cx0 = fmax(s->cx0, clip[0] * s->scale + s->x0);
      s->cy0 = fmax(s->cy0, clip[1] * s->scale + s->y0);
      s->cx1 = fmin(s->cx1, (clip[0] + clip[2]) * s->scale + s->x0);
      s->cy1 = fmin(s->cy1, (clip[1] + clip[3]) * s->scale + s->y0);
    }
    cairo_surface_flush(t);
    s->px = cairo_image_surface_get_data(t);
    s->stride = cairo_image_surface_get_stride(t);
    s->rgb24 = f == CAIRO_FORMAT_RGB24;
  }
  return s;
}

/* x * a / 255, rounded (8-bit), as pixman */
static inline uint32_t mul8(uint32_t x, uint32_t a) {
  uint32_t t = x * a + 128;
  return (t + (t >> 8)) >> 8;
}

/* fraction of the pixel [p, p + 1) inside [a, b), as 0..256 */
static inline int cover(int p, double a, double b) {
  double f = fmin(p + 1.0, b) - fmax((double)p, a);
  return f <= 0 ? 0 : f >= 1 ? 256 : (int)(f * 256 + 0.5);
}

/* OVER of colour c (alpha applied) through the A8 mask m whose top-left
 * pixel lands on device pixel (ox, oy). */
static void composite(pl_stamp *s, cairo_surface_t *m, int ox, int oy, cn_rgba c, double alpha) {
  double a = (c.a < 0 ? 1.0 : c.a) * (alpha >= 0 ? alpha : 1.0);
  a = a < 0 ? 0 : a > 1 ? 1 : a;
  uint32_t sa = (uint32_t)(a * 255 + 0.5);
  uint32_t sr = (uint32_t)(c.r * a * 255 + 0.5), sg = (uint32_t)(c.g * a * 255 + 0.5),
           sb = (uint32_t)(c.b * a * 255 + 0.5);
  const unsigned char *md = cairo_image_surface_get_data(m);
  int ms = cairo_image_surface_get_stride(m), w = s->w;
  int i0 = (int)floor(s->cx0), i1 = (int)ceil(s->cx1), j0 = (int)floor(s->cy0), j1 = (int)ceil(s->cy1);
  for (int v = 0; v < w; v++) {
    int y = oy + v;
    if (y < j0 || y >= j1) continue;
    int cy = cover(y, s->cy0, s->cy1);
    uint32_t *row = (uint32_t *)(s->px + (size_t)y * s->stride);
    for (int u = 0; u < w; u++) {
      int x = ox + u;
      uint32_t k = md[v * ms + u];
      if (!k || x < i0 || x >= i1) continue;
      int cc = cy == 256 ? cover(x, s->cx0, s->cx1) : (cy * cover(x, s->cx0, s->cx1) + 128) >> 8;
      if (cc < 256) k = (k * (uint32_t)cc + 128) >> 8;
      if (!k) continue;
      uint32_t pa = mul8(sa, k), pr = mul8(sr, k), pg = mul8(sg, k), pb = mul8(sb, k);
      uint32_t d = row[x], ia = 255 - pa;
      uint32_t da = s->rgb24 ? 0xff : d >> 24;
      uint32_t na = pa + mul8(da, ia), nr = pr + mul8((d >> 16) & 0xff, ia),
               ng = pg + mul8((d >> 8) & 0xff, ia), nb = pb + mul8(d & 0xff, ia);
      if (na > 255) na = 255;
      if (nr > 255) nr = 255;
      if (ng > 255) ng = 255;
      if (nb > 255) nb = 255;
      row[x] = na << 24 | nr << 16 | ng << 8 | nb;
    }
  }
}

/* The coverage mask of kind k (0 fill, 1 edge) at offset q, as a pattern
 * (made once: a pattern per marker would cost an allocation each); NULL
 * on failure. */
static cairo_pattern_t *mask_of(pl_stamp *s, int k, int qx, int qy) {
  cairo_pattern_t **slot = &s->m[k][qy * Q + qx];
  if (*slot) return *slot;
  cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A8, s->w, s->w);
  if (cairo_surface_status(m) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(m);
    return NULL;
  }
  cairo_t *c = cairo_create(m);
  cairo_set_antialias(c, s->aa);
  cairo_translate(c, s->half + (double)qx / Q, s->half + (double)qy / Q);
  cairo_scale(c, s->scale, s->scale);
  pl_marker_path(c, s->mk, 0, 0, s->size);
  if (k == 0) {
    cairo_fill(c);
  } else {
    cairo_set_line_width(c, s->lw);
    cairo_set_line_cap(c, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(c, s->join);
    cairo_set_miter_limit(c, s->miter);
    cairo_stroke(c);
  }
  cairo_destroy(c);
  cairo_surface_flush(m);
  cairo_pattern_t *p = cairo_pattern_create_for_surface(m);
  cairo_surface_destroy(m);
  if (cairo_pattern_status(p) != CAIRO_STATUS_SUCCESS) {
    cairo_pattern_destroy(p);
    return NULL;
  }
  return *slot = p;
}

void pl_stamp_draw(pl_stamp *s, cairo_t *cr, double fx, double fy, cn_rgba face,
                   cn_rgba edge, double alpha) {
  double dx = fx * s->scale + s->x0, dy = fy * s->scale + s->y0;
  if (!(fabs(dx) < 1e9 && fabs(dy) < 1e9)) return;
  double ix = floor(dx), iy = floor(dy);
  int qx = (int)floor((dx - ix) * Q + 0.5), qy = (int)floor((dy - iy) * Q + 0.5);
  if (qx == Q) qx = 0, ix += 1;
  if (qy == Q) qy = 0, iy += 1;
  double ox = ix - s->half, oy = iy - s->half;
  for (int k = s->fill ? 0 : 1; k < 2; k++) {
    cn_rgba c = k == 0 ? face : edge;
    if (!(c.a > 0)) continue;
    cairo_pattern_t *m = mask_of(s, k, qx, qy);
    if (!m) continue;
    if (s->px) {
      cairo_surface_t *ms;
      cairo_pattern_get_surface(m, &ms);
      composite(s, ms, (int)ox, (int)oy, c, alpha);
      continue;
    }
    cairo_matrix_t mt;
    cairo_matrix_init_translate(&mt, -ox, -oy);
    cairo_pattern_set_matrix(m, &mt);
    pl_set_source(cr, c, alpha);
    cairo_mask(cr, m);
  }
}

void pl_stamp_end(pl_stamp *s, cairo_t *cr) {
  if (!s) return;
  if (s->px) cairo_surface_mark_dirty(cairo_get_target(cr));
  cairo_restore(cr);
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < Q * Q; i++)
      if (s->m[k][i]) cairo_pattern_destroy(s->m[k][i]);
  free(s);
}
