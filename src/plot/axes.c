/* canns — the axes frame: background, grid, spines, ticks, tick labels,
 * axis labels and title, in matplotlib's default style (outward ticks of
 * 3.5 pt, 10 pt labels, title 6 pt above the axes). */
#include <math.h>
#include <string.h>

#include "plot/internal.h"

/* Snap a coordinate so that a line of width lw (points) lands on whole
 * device pixels, as matplotlib does for axis lines; only for raster
 * targets. */
static double snap(cairo_t *cr, double v, double lw, bool horizontal_line) {
  if (cairo_surface_get_type(cairo_get_target(cr)) != CAIRO_SURFACE_TYPE_IMAGE)
    return v;
  double x = horizontal_line ? 0 : v, y = horizontal_line ? v : 0;
  cairo_user_to_device(cr, &x, &y);
  double d = horizontal_line ? y : x;
  double wx = lw, wy = 0;
  cairo_user_to_device_distance(cr, &wx, &wy);
  long w = lround(fabs(wx));
  if (w < 1) w = 1;
  d = (w % 2) ? floor(d) + 0.5 : round(d);
  if (horizontal_line) y = d; else x = d;
  cairo_device_to_user(cr, &x, &y);
  return horizontal_line ? y : x;
}

static double text_h(cairo_t *cr, double size) {
  pl_text_metrics m;
  pl_text_measure(cr, "0", size, false, &m);
  return m.ascent + m.descent;
}

static double tick_x(const cn_axes *ax, double v) {
  double fx, fy;
  pl_axes_to_fig(ax, v, ax->view[1][0], &fx, &fy);
  return fx;
}

static double tick_y(const cn_axes *ax, double v) {
  double fx, fy;
  pl_axes_to_fig(ax, ax->view[0][0], v, &fx, &fy);
  return fy;
}

static void polar_measure(cn_axes *ax, cairo_t *cr) {
  double h = text_h(cr, ax->tick_size), w = 0;
  for (int i = 0; i < ax->ticks[0].n; i++) {
    pl_text_metrics m;
    pl_text_measure(cr, ax->ticks[0].label[i], ax->tick_size, false, &m);
    w = fmax(w, m.width);
  }
  double side = PL_TICK_PAD + 2 + w, vert = PL_TICK_PAD + 2 + h;
  ax->deco[0] = ax->deco[2] = side;
  ax->deco[1] = vert;
  ax->deco[3] = vert;
  if (ax->title) ax->deco[3] += PL_TITLE_PAD + text_h(cr, ax->title_size);
}

void pl_axes_measure(cn_axes *ax, cairo_t *cr) {
  memset(ax->deco, 0, sizeof ax->deco);
  if (ax->polar) {
    polar_measure(ax, cr);
    return;
  }
  double *d = ax->deco;
  const double *b = ax->box;
  if (!ax->axis_off) {
    const pl_ticks *tx = &ax->ticks[0], *ty = &ax->ticks[1];
    double th = text_h(cr, ax->tick_size);
    bool xl = false, yl = false;
    if (tx->n > 0) {
      d[1] = PL_TICK_LEN + PL_TICK_PAD;
      for (int i = 0; i < tx->n; i++) {
        if (!tx->label[i][0]) continue;
        pl_text_metrics m;
        pl_text_measure(cr, tx->label[i], ax->tick_size, false, &m);
        double x = tick_x(ax, tx->pos[i]);
        d[0] = fmax(d[0], b[0] - (x - m.width / 2));
        d[2] = fmax(d[2], x + m.width / 2 - (b[0] + b[2]));
        xl = true;
      }
      if (xl) d[1] += th;
      else d[1] = PL_TICK_LEN;
    }
    if (ty->n > 0) {
      double w = 0;
      for (int i = 0; i < ty->n; i++) {
        if (!ty->label[i][0]) continue;
        pl_text_metrics m;
        pl_text_measure(cr, ty->label[i], ax->tick_size, false, &m);
        w = fmax(w, m.width);
        double y = tick_y(ax, ty->pos[i]);
        d[3] = fmax(d[3], b[1] - (y - th / 2));
        d[1] = fmax(d[1], y + th / 2 - (b[1] + b[3]));
        yl = true;
      }
      d[0] = fmax(d[0], PL_TICK_LEN + (yl ? PL_TICK_PAD + w : 0));
    }
    double left = d[0];
    if (ax->ax[1].label) {
      left = (ty->n > 0 ? PL_TICK_LEN + (yl ? PL_TICK_PAD : 0) : 0);
      double w = 0;
      for (int i = 0; i < ty->n; i++) {
        pl_text_metrics m;
        pl_text_measure(cr, ty->label[i], ax->tick_size, false, &m);
        w = fmax(w, m.width);
      }
      left += w + PL_LABEL_PAD + text_h(cr, ax->ax[1].label_size);
      d[0] = fmax(d[0], left);
    }
    if (ax->ax[0].label) {
      double below = (tx->n > 0 ? PL_TICK_LEN + (xl ? PL_TICK_PAD + th : 0) : 0);
      d[1] = fmax(d[1], below + PL_LABEL_PAD + text_h(cr, ax->ax[0].label_size));
    }
    if (ty->offset[0]) d[3] = fmax(d[3], 2 + th);
    if (tx->offset[0]) d[1] += 2 + th;
  }
  if (ax->title) {
    pl_text_metrics m;
    pl_text_measure(cr, ax->title, ax->title_size, ax->title_bold, &m);
    double top = PL_TITLE_PAD + m.ascent;
    if (ax->ticks[1].offset[0]) top += text_h(cr, ax->tick_size);
    d[3] = fmax(d[3], top);
    double over = (m.width - b[2]) / 2;
    if (over > 0) d[0] = fmax(d[0], over), d[2] = fmax(d[2], over);
  }
  if (ax->cbar >= 0) {
    double w;
    pl_colorbar_measure(ax, cr, &w);
    d[2] = fmax(d[2], ax->cbox[0] + w - (b[0] + b[2]));
  }
}

static void draw_grid(const cn_axes *ax, cairo_t *cr) {
  const cn_grid *g = &ax->grid;
  if (!g->on[0] && !g->on[1]) return;
  const double *b = ax->box;
  cairo_save(cr);
  cairo_rectangle(cr, b[0], b[1], b[2], b[3]);
  cairo_clip(cr);
  cairo_set_line_width(cr, g->linewidth);
  pl_set_dash(cr, g->linestyle, g->linewidth);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  pl_set_source(cr, g->color, g->alpha);
  for (int k = 0; k < 2; k++) {
    if (!g->on[k]) continue;
    for (int i = 0; i < ax->ticks[k].n; i++) {
      if (k == 0) {
        double x = snap(cr, tick_x(ax, ax->ticks[0].pos[i]), g->linewidth, false);
        cairo_move_to(cr, x, b[1]);
        cairo_line_to(cr, x, b[1] + b[3]);
      } else {
        double y = snap(cr, tick_y(ax, ax->ticks[1].pos[i]), g->linewidth, true);
        cairo_move_to(cr, b[0], y);
        cairo_line_to(cr, b[0] + b[2], y);
      }
      cairo_stroke(cr);
    }
  }
  cairo_restore(cr);
}

static void draw_axis(const cn_axes *ax, cairo_t *cr) {
  const double *b = ax->box;
  const cn_rgba black = {0, 0, 0, 1};
  cairo_save(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  /* spines */
  cairo_set_line_width(cr, PL_SPINE_WIDTH);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  pl_set_source(cr, black, 1);
  double l = snap(cr, b[0], PL_SPINE_WIDTH, false);
  double r = snap(cr, b[0] + b[2], PL_SPINE_WIDTH, false);
  double t = snap(cr, b[1], PL_SPINE_WIDTH, true);
  double bo = snap(cr, b[1] + b[3], PL_SPINE_WIDTH, true);
  if (ax->spine[0]) cairo_move_to(cr, l, t), cairo_line_to(cr, l, bo);
  if (ax->spine[1]) cairo_move_to(cr, l, bo), cairo_line_to(cr, r, bo);
  if (ax->spine[2]) cairo_move_to(cr, r, t), cairo_line_to(cr, r, bo);
  if (ax->spine[3]) cairo_move_to(cr, l, t), cairo_line_to(cr, r, t);
  cairo_stroke(cr);
  /* ticks */
  cairo_set_line_width(cr, PL_TICK_WIDTH);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  const pl_ticks *tx = &ax->ticks[0], *ty = &ax->ticks[1];
  for (int i = 0; i < tx->n; i++) {
    double x = snap(cr, tick_x(ax, tx->pos[i]), PL_TICK_WIDTH, false);
    cairo_move_to(cr, x, bo);
    cairo_line_to(cr, x, bo + PL_TICK_LEN);
  }
  for (int i = 0; i < ty->n; i++) {
    double y = snap(cr, tick_y(ax, ty->pos[i]), PL_TICK_WIDTH, true);
    cairo_move_to(cr, l, y);
    cairo_line_to(cr, l - PL_TICK_LEN, y);
  }
  cairo_stroke(cr);
  /* tick labels */
  double ylab_w = 0, th = text_h(cr, ax->tick_size);
  bool xl = false, yl = false;
  for (int i = 0; i < tx->n; i++) {
    if (!tx->label[i][0]) continue;
    xl = true;
    pl_text_draw(cr, tx->label[i], ax->tick_size, false, tick_x(ax, tx->pos[i]),
                 b[1] + b[3] + PL_TICK_LEN + PL_TICK_PAD, CN_ALIGN_CENTER,
                 CN_ALIGN_TOP, 0, black);
  }
  for (int i = 0; i < ty->n; i++) {
    if (!ty->label[i][0]) continue;
    yl = true;
    pl_text_metrics m;
    pl_text_measure(cr, ty->label[i], ax->tick_size, false, &m);
    ylab_w = fmax(ylab_w, m.width);
    pl_text_draw(cr, ty->label[i], ax->tick_size, false,
                 b[0] - PL_TICK_LEN - PL_TICK_PAD, tick_y(ax, ty->pos[i]),
                 CN_ALIGN_RIGHT, CN_ALIGN_CENTER, 0, black);
  }
  if (tx->offset[0])
    pl_text_draw(cr, tx->offset, ax->tick_size, false, b[0] + b[2],
                 b[1] + b[3] + PL_TICK_LEN + PL_TICK_PAD + th + 2, CN_ALIGN_RIGHT,
                 CN_ALIGN_TOP, 0, black);
  if (ty->offset[0])
    pl_text_draw(cr, ty->offset, ax->tick_size, false, b[0], b[1] - 2,
                 CN_ALIGN_LEFT, CN_ALIGN_BOTTOM, 0, black);
  /* axis labels */
  if (ax->ax[0].label) {
    double y = b[1] + b[3] + (tx->n > 0 ? PL_TICK_LEN : 0) +
               (xl ? PL_TICK_PAD + th : 0) + PL_LABEL_PAD;
    pl_text_draw(cr, ax->ax[0].label, ax->ax[0].label_size, false, b[0] + b[2] / 2,
                 y, CN_ALIGN_CENTER, CN_ALIGN_TOP, 0, black);
  }
  if (ax->ax[1].label) {
    double x = b[0] - (ty->n > 0 ? PL_TICK_LEN : 0) - (yl ? PL_TICK_PAD + ylab_w : 0) -
               PL_LABEL_PAD;
    pl_text_draw(cr, ax->ax[1].label, ax->ax[1].label_size, false, x, b[1] + b[3] / 2,
                 CN_ALIGN_CENTER, CN_ALIGN_BOTTOM, 90, black);
  }
  cairo_restore(cr);
}

void pl_axes_draw_frame(const cn_axes *ax, cairo_t *cr, int part) {
  if (ax->polar) {
    pl_polar_draw_frame(ax, cr, part);
    return;
  }
  const double *b = ax->box;
  if (part == PL_PART_BACKGROUND) {
    if (!ax->axis_off && ax->face.a > 0) {
      cairo_rectangle(cr, b[0], b[1], b[2], b[3]);
      pl_set_source(cr, ax->face, 1);
      cairo_fill(cr);
    }
    return;
  }
  if (part == PL_PART_GRID) {
    if (!ax->axis_off) draw_grid(ax, cr);
    return;
  }
  if (!ax->axis_off) draw_axis(ax, cr);
  if (ax->title) {
    double y = b[1] - PL_TITLE_PAD;
    if (ax->ticks[1].offset[0]) y -= text_h(cr, ax->tick_size);
    pl_text_draw(cr, ax->title, ax->title_size, ax->title_bold, b[0] + b[2] / 2, y,
                 CN_ALIGN_CENTER, CN_ALIGN_BASELINE, 0, (cn_rgba){0, 0, 0, 1});
  }
}
