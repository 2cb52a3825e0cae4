/* canns — polar axes: angle 0 to the right, counter-clockwise, radius
 * from 0 at the centre to the radial limit at the circle; matplotlib's
 * polar style (grey grid circles and spokes, angle labels outside). */
#include <math.h>

#include "plot/internal.h"

void pl_polar_to_fig(const cn_axes *ax, double theta, double r, double *fx, double *fy) {
  double cx = ax->box[0] + ax->box[2] / 2, cy = ax->box[1] + ax->box[3] / 2;
  double R = fmin(ax->box[2], ax->box[3]) / 2;
  double f = ax->rmax > 0 ? r / ax->rmax : 0;
  *fx = cx + R * f * cos(theta);
  *fy = cy - R * f * sin(theta);
}

void pl_polar_draw_frame(const cn_axes *ax, cairo_t *cr, int part) {
  double cx = ax->box[0] + ax->box[2] / 2, cy = ax->box[1] + ax->box[3] / 2;
  double R = fmin(ax->box[2], ax->box[3]) / 2;
  const cn_rgba black = {0, 0, 0, 1};
  cairo_save(cr);
  if (part == PL_PART_BACKGROUND) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, cy, R, 0, 2 * M_PI);
    pl_set_source(cr, ax->face, 1);
    cairo_fill(cr);
  } else if (part == PL_PART_GRID) {
    cairo_set_line_width(cr, 0.8);
    cairo_set_source_rgb(cr, 0xb0 / 255.0, 0xb0 / 255.0, 0xb0 / 255.0);
    for (int i = 0; i < ax->ticks[1].n; i++) {
      double r = ax->ticks[1].pos[i] / ax->rmax * R;
      if (r <= 0 || r >= R) continue;
      cairo_new_sub_path(cr);
      cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
    }
    for (int i = 0; i < ax->ticks[0].n; i++) {
      double t = ax->ticks[0].pos[i];
      cairo_move_to(cr, cx, cy);
      cairo_line_to(cr, cx + R * cos(t), cy - R * sin(t));
    }
    cairo_stroke(cr);
  } else {
    cairo_set_line_width(cr, PL_SPINE_WIDTH);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, cy, R, 0, 2 * M_PI);
    cairo_stroke(cr);
    for (int i = 0; i < ax->ticks[0].n; i++) {
      double t = ax->ticks[0].pos[i], c = cos(t), s = sin(t);
      double d = R + PL_TICK_PAD + 2;
      cn_align ha = fabs(c) < 1e-6 ? CN_ALIGN_CENTER : c > 0 ? CN_ALIGN_LEFT : CN_ALIGN_RIGHT;
      cn_align va = fabs(s) < 1e-6 ? CN_ALIGN_CENTER : s > 0 ? CN_ALIGN_BOTTOM : CN_ALIGN_TOP;
      pl_text_draw(cr, ax->ticks[0].label[i], ax->tick_size, false, cx + d * c, cy - d * s,
                   ha, va, 0, black);
    }
    double ang = 22.5 * M_PI / 180;
    for (int i = 0; i < ax->ticks[1].n; i++) {
      double r = ax->ticks[1].pos[i] / ax->rmax * R;
      if (r <= 0 || r > R) continue;
      pl_text_draw(cr, ax->ticks[1].label[i], ax->tick_size, false, cx + r * cos(ang),
                   cy - r * sin(ang), CN_ALIGN_LEFT, CN_ALIGN_BOTTOM, 0, black);
    }
    if (ax->title)
      pl_text_draw(cr, ax->title, ax->title_size, ax->title_bold, cx,
                   ax->box[1] - ax->deco[3] + PL_TITLE_PAD +
                       ax->title_size * 0.95,
                   CN_ALIGN_CENTER, CN_ALIGN_BASELINE, 0, black);
  }
  cairo_restore(cr);
}
