/* canns — colour bars: a vertical strip right of the axes (matplotlib's
 * fraction 0.15, pad 0.05, aspect 20), one band per colour-map entry,
 * ticks and labels on the right, the label reading upwards. */
#include <math.h>

#include "plot/internal.h"

static double cbar_pos(const cn_axes *ax, double v) {
  const pl_artist *a = ax->art[ax->cbar];
  double lo = a->vmin, hi = a->vmax;
  if (!(hi > lo)) lo -= 0.5, hi += 0.5;
  return ax->cbox[1] + ax->cbox[3] - (v - lo) / (hi - lo) * ax->cbox[3];
}

void pl_colorbar_measure(cn_axes *ax, cairo_t *cr, double *width) {
  double w = 0;
  const pl_ticks *t = &ax->cticks;
  for (int i = 0; i < t->n; i++) {
    pl_text_metrics m;
    pl_text_measure(cr, t->label[i], ax->tick_size, false, &m);
    w = fmax(w, m.width);
  }
  double total = ax->cbox[2] + PL_TICK_LEN + (t->n > 0 ? PL_TICK_PAD + w : 0);
  if (ax->cbar_label) {
    pl_text_metrics m;
    pl_text_measure(cr, ax->cbar_label, ax->cbar_label_size, false, &m);
    total += PL_LABEL_PAD + m.ascent + m.descent;
  }
  *width = total;
}

void pl_colorbar_draw(const cn_axes *ax, cairo_t *cr) {
  const pl_artist *a = ax->art[ax->cbar];
  const double *b = ax->cbox;
  if (!(b[2] > 0 && b[3] > 0)) return;
  int n = a->cmap.n;
  unsigned char *px;
  int stride;
  cairo_surface_t *img = pl_image_surface(CAIRO_FORMAT_RGB24, 1, n, &px, &stride);
  if (!img) return;
  for (int i = 0; i < n; i++) { /* row 0 is the top: the largest value */
    const uint8_t *c = a->cmap.lut[n - 1 - i];
    *(uint32_t *)(px + i * stride) = 0xffu << 24 | c[0] << 16 | c[1] << 8 | c[2];
  }
  cairo_surface_mark_dirty(img);
  cairo_save(cr);
  cairo_pattern_t *pat = cairo_pattern_create_for_surface(img);
  cairo_matrix_t m;
  cairo_matrix_init(&m, 1.0 / b[2], 0, 0, n / b[3], -b[0] / b[2], -b[1] * n / b[3]);
  cairo_pattern_set_matrix(pat, &m);
  cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend(pat, CAIRO_EXTEND_PAD);
  cairo_rectangle(cr, b[0], b[1], b[2], b[3]);
  cairo_set_source(cr, pat);
  cairo_fill(cr);
  cairo_pattern_destroy(pat);
  cairo_surface_destroy(img);
  /* outline and ticks */
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, PL_SPINE_WIDTH);
  cairo_set_dash(cr, NULL, 0, 0);
  cairo_rectangle(cr, b[0], b[1], b[2], b[3]);
  cairo_stroke(cr);
  cairo_set_line_width(cr, PL_TICK_WIDTH);
  const pl_ticks *t = &ax->cticks;
  double x = b[0] + b[2], w = 0;
  for (int i = 0; i < t->n; i++) {
    double y = cbar_pos(ax, t->pos[i]);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + PL_TICK_LEN, y);
  }
  cairo_stroke(cr);
  for (int i = 0; i < t->n; i++) {
    pl_text_metrics mm;
    pl_text_measure(cr, t->label[i], ax->tick_size, false, &mm);
    w = fmax(w, mm.width);
    pl_text_draw(cr, t->label[i], ax->tick_size, false, x + PL_TICK_LEN + PL_TICK_PAD,
                 cbar_pos(ax, t->pos[i]), CN_ALIGN_LEFT, CN_ALIGN_CENTER, 0,
                 (cn_rgba){0, 0, 0, 1});
  }
  if (t->offset[0])
    pl_text_draw(cr, t->offset, ax->tick_size, false, b[0], b[1] - 2, CN_ALIGN_LEFT,
                 CN_ALIGN_BOTTOM, 0, (cn_rgba){0, 0, 0, 1});
  if (ax->cbar_label) {
    double lx = x + PL_TICK_LEN + (t->n > 0 ? PL_TICK_PAD + w : 0) + PL_LABEL_PAD;
    pl_text_draw(cr, ax->cbar_label, ax->cbar_label_size, false, lx, b[1] + b[3] / 2,
                 CN_ALIGN_CENTER, CN_ALIGN_TOP, 90, (cn_rgba){0, 0, 0, 1});
  }
  cairo_restore(cr);
}
