/* canns — drawing artists and whole figures with Cairo.
 *
 * Lines longer than a few points per device pixel are reduced, for
 * increasing x, to the first/min/max/last sample of every pixel column
 * (the drawn image is unchanged; long time series stay fast).  Images
 * larger than their device rectangle are sampled at the pixel centres
 * first, as matplotlib resamples before drawing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot/internal.h"

cairo_surface_t *pl_image_surface(cairo_format_t f, int w, int h, unsigned char **px,
                                  int *stride) {
  cairo_surface_t *img = cairo_image_surface_create(f, w, h);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(img);
    return NULL;
  }
  cairo_surface_flush(img);
  *px = cairo_image_surface_get_data(img);
  *stride = cairo_image_surface_get_stride(img);
  return img;
}

static double zorder_of(const pl_artist *a) {
  if (!isnan(a->st.zorder)) return a->st.zorder;
  switch (a->kind) {
  case PL_IMAGE: return 0;
  case PL_BAR:
  case PL_FILL: return 1;
  case PL_TEXT: return 3;
  default: return 2;
  }
}

static void clip_box(const cn_axes *ax, cairo_t *cr) {
  cairo_rectangle(cr, ax->box[0], ax->box[1], ax->box[2], ax->box[3]);
  cairo_clip(cr);
}

/* Sample i of row `row` (animated data) or of the static data. */
static inline double at(const cn_array *a, int64_t row, int64_t n, int64_t i) {
  return a->ndim >= 2 ? pl_get(a, row * n + i) : pl_get(a, i);
}

bool pl_marker_filled(cn_marker m) {
  return m == CN_MK_POINT || m == CN_MK_CIRCLE || m == CN_MK_SQUARE ||
         m == CN_MK_TRIANGLE || m == CN_MK_DIAMOND || m == CN_MK_STAR;
}

/* A marker of nominal size `size` (points) centred at (x, y). */
void pl_marker_path(cairo_t *cr, cn_marker m, double x, double y, double size) {
  double r = size / 2;
  switch (m) {
  case CN_MK_POINT:
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r / 2, 0, 2 * M_PI);
    break;
  case CN_MK_CIRCLE:
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    break;
  case CN_MK_SQUARE: cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r); break;
  case CN_MK_TRIANGLE:
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r, y + r);
    cairo_line_to(cr, x - r, y + r);
    cairo_close_path(cr);
    break;
  case CN_MK_DIAMOND:
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r * 0.6, y);
    cairo_line_to(cr, x, y + r);
    cairo_line_to(cr, x - r * 0.6, y);
    cairo_close_path(cr);
    break;
  case CN_MK_STAR:
    for (int k = 0; k < 10; k++) {
      double rr = k % 2 ? r * 0.381966 : r, ang = -M_PI / 2 + k * M_PI / 5;
      if (k == 0) cairo_move_to(cr, x + rr * cos(ang), y + rr * sin(ang));
      else cairo_line_to(cr, x + rr * cos(ang), y + rr * sin(ang));
    }
    cairo_close_path(cr);
    break;
  case CN_MK_PLUS:
    cairo_move_to(cr, x - r, y), cairo_line_to(cr, x + r, y);
    cairo_move_to(cr, x, y - r), cairo_line_to(cr, x, y + r);
    break;
  case CN_MK_CROSS:
    cairo_move_to(cr, x - r, y - r), cairo_line_to(cr, x + r, y + r);
    cairo_move_to(cr, x - r, y + r), cairo_line_to(cr, x + r, y - r);
    break;
  case CN_MK_VBAR: cairo_move_to(cr, x, y - r), cairo_line_to(cr, x, y + r); break;
  case CN_MK_HBAR: cairo_move_to(cr, x - r, y), cairo_line_to(cr, x + r, y); break;
  default: break;
  }
}

static double px_per_pt(cairo_t *cr) {
  double dx = 1, dy = 0;
  cairo_user_to_device_distance(cr, &dx, &dy);
  return fabs(dx) > 0 ? fabs(dx) : 1;
}

static void draw_line(const cn_axes *ax, const pl_artist *a, cairo_t *cr, int64_t step) {
  int64_t n = a->n, row = 0, count = n;
  if (a->st.progressive) count = step + 1 < n ? step + 1 : n;
  else if (a->animated) row = step;
  if (count <= 0) return;
  double lw = a->st.linewidth;
  cairo_save(cr);
  if (a->st.clip) clip_box(ax, cr);
  if (a->st.linestyle != CN_LS_NONE && lw > 0) {
    /* reduce long monotonic series to min/max per device pixel column */
    double scale = px_per_pt(cr);
    bool reduce = count > 4 * ax->box[2] * scale;
    double col = NAN, cmin = 0, cmax = 0, clast = 0, cx = 0;
    bool pen = false;
    double prevx = -INFINITY;
    for (int64_t i = 0; i < count; i++) {
      double x = a->x ? at(a->x, row, n, i) : (double)i;
      double y = at(a->y, row, n, i);
      if (!isfinite(x) || !isfinite(y)) {
        if (reduce && !isnan(col)) {
          cairo_line_to(cr, cx, cmin), cairo_line_to(cr, cx, cmax);
          cairo_line_to(cr, cx, clast);
          col = NAN;
        }
        pen = false;
        continue;
      }
      double fx, fy;
      pl_axes_to_fig(ax, x, y, &fx, &fy);
      if (reduce && x < prevx) reduce = false; /* not monotonic: plain path */
      prevx = x;
      if (!reduce || !pen) {
        if (pen) cairo_line_to(cr, fx, fy);
        else cairo_move_to(cr, fx, fy);
        pen = true;
        col = floor(fx * scale), cmin = cmax = clast = fy, cx = fx;
        continue;
      }
      double c = floor(fx * scale);
      if (c == col) {
        cmin = fmin(cmin, fy), cmax = fmax(cmax, fy), clast = fy, cx = fx;
      } else {
        if (!isnan(col)) {
          cairo_line_to(cr, cx, cmin), cairo_line_to(cr, cx, cmax);
          cairo_line_to(cr, cx, clast);
        }
        cairo_line_to(cr, fx, fy);
        col = c, cmin = cmax = clast = fy, cx = fx;
      }
    }
    if (reduce && !isnan(col) && pen) {
      cairo_line_to(cr, cx, cmin), cairo_line_to(cr, cx, cmax);
      cairo_line_to(cr, cx, clast);
    }
    cairo_set_line_width(cr, lw);
    pl_set_dash(cr, a->st.linestyle, lw);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    pl_set_source(cr, a->color, a->st.alpha);
    cairo_stroke(cr);
  }
  if (a->st.marker != CN_MK_NONE) {
    double ms = isnan(a->st.markersize) ? 6.0 : a->st.markersize;
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_width(cr, isnan(a->st.markeredgewidth) ? 1.0 : a->st.markeredgewidth);
    pl_set_source(cr, a->color, a->st.alpha);
    bool filled = pl_marker_filled(a->st.marker);
    for (int64_t i = 0; i < count; i++) {
      double x = a->x ? at(a->x, row, n, i) : (double)i;
      double y = at(a->y, row, n, i);
      if (!isfinite(x) || !isfinite(y)) continue;
      double fx, fy;
      pl_axes_to_fig(ax, x, y, &fx, &fy);
      pl_marker_path(cr, a->st.marker, fx, fy, ms);
      if (filled) cairo_fill_preserve(cr);
      cairo_stroke(cr);
    }
  }
  cairo_restore(cr);
}

static cn_rgba map_value(const pl_artist *a, double v) {
  double span = a->vmax - a->vmin;
  double t = isnan(v) ? NAN : span > 0 ? (v - a->vmin) / span : 0.0;
  return cn_colormap_eval(&a->cmap, t);
}

/* Scatters of at least this many markers are stamped. */
#define PL_STAMP_MIN 256

static void draw_scatter(const cn_axes *ax, const pl_artist *a, cairo_t *cr, int64_t step) {
  int64_t n = a->n, row = a->animated ? step : 0;
  cairo_save(cr);
  if (a->st.clip) clip_box(ax, cr);
  cn_marker mk = a->st.marker == CN_MK_NONE ? CN_MK_CIRCLE : a->st.marker;
  bool filled = pl_marker_filled(mk);
  double lw = filled ? 1.0 : a->st.linewidth;
  if (a->st.edgecolor.a >= 0 && filled) lw = a->st.linewidth > 0 ? a->st.linewidth : 1.0;
  cairo_set_line_width(cr, lw);
  cairo_set_dash(cr, NULL, 0, 0);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  double s0 = isnan(a->st.markersize) ? 36.0 : a->st.markersize;
  /* many markers of one size: stamped (stamp.c) */
  pl_stamp *stamp = !a->s && n >= PL_STAMP_MIN && s0 > 0
                        ? pl_stamp_begin(cr, mk, sqrt(s0), lw, filled, a->st.clip ? ax->box : NULL)
                        : NULL;
  for (int64_t i = 0; i < n; i++) {
    double x = at(a->x, row, n, i), y = at(a->y, row, n, i);
    if (!isfinite(x) || !isfinite(y)) continue;
    double s = a->s ? pl_get(a->s, i) : s0;
    if (!(s > 0)) continue;
    cn_rgba c = a->color;
    if (a->c) {
      double v = a->c->size == n ? pl_get(a->c, i) : at(a->c, row, n, i);
      c = map_value(a, v);
      if (c.a <= 0) continue;
    }
    double fx, fy;
    pl_axes_to_fig(ax, x, y, &fx, &fy);
    if (stamp) {
      if (filled)
        pl_stamp_draw(stamp, cr, fx, fy, a->st.facecolor.a >= 0 ? a->st.facecolor : c,
                      a->st.edgecolor.a >= 0 ? a->st.edgecolor : c, a->st.alpha);
      else
        pl_stamp_draw(stamp, cr, fx, fy, c, c, a->st.alpha);
      continue;
    }
    pl_marker_path(cr, mk, fx, fy, sqrt(s));
    if (filled) {
      cn_rgba face = a->st.facecolor.a >= 0 ? a->st.facecolor : c;
      if (face.a > 0) pl_set_source(cr, face, a->st.alpha), cairo_fill_preserve(cr);
      cn_rgba edge = a->st.edgecolor.a >= 0 ? a->st.edgecolor : c;
      if (edge.a > 0) pl_set_source(cr, edge, a->st.alpha), cairo_stroke(cr);
      cairo_new_path(cr);
    } else {
      pl_set_source(cr, c, a->st.alpha);
      cairo_stroke(cr);
    }
  }
  pl_stamp_end(stamp, cr);
  cairo_restore(cr);
}

static void draw_image(const cn_axes *ax, const pl_artist *a, cairo_t *cr, int64_t step) {
  const double *e = a->st.extent;
  double ya = a->st.origin_upper ? e[3] : e[2], yb = a->st.origin_upper ? e[2] : e[3];
  double X0, Y0, X1, Y1;
  pl_axes_to_fig(ax, e[0], ya, &X0, &Y0);
  pl_axes_to_fig(ax, e[1], yb, &X1, &Y1);
  if (!(fabs(X1 - X0) > 0 && fabs(Y1 - Y0) > 0)) return;
  int64_t rows = a->rows, cols = a->cols;
  int64_t off = a->animated ? step * rows * cols : 0;
  /* device size of the image rectangle: resample when the data is larger */
  double dw = fabs(X1 - X0), dh = fabs(Y1 - Y0);
  cairo_user_to_device_distance(cr, &dw, &dh);
  dw = fabs(dw), dh = fabs(dh);
  if (cairo_surface_get_type(cairo_get_target(cr)) != CAIRO_SURFACE_TYPE_IMAGE &&
      ax->fig->image_dpi > 0) /* vector output: keep images at the save dpi */
    dw *= ax->fig->image_dpi / 72, dh *= ax->fig->image_dpi / 72;
  int64_t w = cols, h = rows;
  if (w > dw + 1) w = (int64_t)ceil(dw);
  if (h > dh + 1) h = (int64_t)ceil(dh);
  if (w < 1) w = 1;
  if (h < 1) h = 1;
  if (w > 16384) w = 16384;
  if (h > 16384) h = 16384;
  unsigned char *px;
  int stride;
  cairo_surface_t *img = pl_image_surface(CAIRO_FORMAT_ARGB32, (int)w, (int)h, &px, &stride);
  if (!img) return;
  for (int64_t v = 0; v < h; v++) {
    int64_t r = h == rows ? v : (int64_t)((v + 0.5) * rows / h);
    if (r >= rows) r = rows - 1;
    uint32_t *line = (uint32_t *)(px + v * stride);
    for (int64_t u = 0; u < w; u++) {
      int64_t c = w == cols ? u : (int64_t)((u + 0.5) * cols / w);
      if (c >= cols) c = cols - 1;
      cn_rgba k = map_value(a, pl_get(a->z, off + r * cols + c));
      uint32_t al = (uint32_t)lround(fmin(fmax(k.a, 0), 1) * 255);
      uint32_t R = (uint32_t)lround(k.r * al), G = (uint32_t)lround(k.g * al),
               B = (uint32_t)lround(k.b * al);
      line[u] = al << 24 | R << 16 | G << 8 | B;
    }
  }
  cairo_surface_mark_dirty(img);
  cairo_save(cr);
  clip_box(ax, cr);
  cairo_pattern_t *pat = cairo_pattern_create_for_surface(img);
  cairo_matrix_t m;
  double sx = w / (X1 - X0), sy = h / (Y1 - Y0);
  cairo_matrix_init(&m, sx, 0, 0, sy, -X0 * sx, -Y0 * sy);
  cairo_pattern_set_matrix(pat, &m);
  cairo_pattern_set_filter(pat, a->st.interpolate ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend(pat, CAIRO_EXTEND_PAD);
  cairo_set_source(cr, pat);
  cairo_rectangle(cr, fmin(X0, X1), fmin(Y0, Y1), fabs(X1 - X0), fabs(Y1 - Y0));
  cairo_clip(cr);
  cairo_paint_with_alpha(cr, a->st.alpha);
  cairo_restore(cr);
  cairo_pattern_destroy(pat);
  cairo_surface_destroy(img);
}

void pl_draw_text(const cn_fig *fig, const cn_axes *ax, const pl_artist *a,
                  cairo_t *cr, int frame) {
  const char *s = a->text;
  if (a->frames) s = a->frames[frame < a->nframes ? (frame < 0 ? 0 : frame) : a->nframes - 1];
  if (!s || !*s) return;
  double x, y;
  pl_text_anchor(fig, ax, a, &x, &y);
  const cn_style *st = &a->st;
  if (st->boxface.a >= 0 || st->boxedge.a >= 0) {
    pl_text_metrics m;
    pl_text_measure(cr, s, st->fontsize, st->bold, &m);
    double pad = st->boxpad * st->fontsize, dx = 0, dy = 0;
    if (st->ha == CN_ALIGN_CENTER) dx = -m.width / 2;
    else if (st->ha == CN_ALIGN_RIGHT) dx = -m.width;
    if (st->va == CN_ALIGN_TOP) dy = m.ascent;
    else if (st->va == CN_ALIGN_BOTTOM) dy = -m.descent;
    else if (st->va == CN_ALIGN_CENTER) dy = (m.ascent - m.descent) / 2;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    if (st->rotation != 0) cairo_rotate(cr, -st->rotation * M_PI / 180);
    cairo_rectangle(cr, dx - pad, dy - m.ascent - pad, m.width + 2 * pad,
                    m.ascent + m.descent + 2 * pad);
    if (st->boxface.a > 0) pl_set_source(cr, st->boxface, 1), cairo_fill_preserve(cr);
    if (st->boxedge.a > 0) {
      cairo_set_line_width(cr, 1.0);
      cairo_set_dash(cr, NULL, 0, 0);
      pl_set_source(cr, st->boxedge, 1);
      cairo_stroke(cr);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
  }
  cn_rgba c = a->color;
  c.a = (c.a < 0 ? 1 : c.a) * st->alpha;
  pl_text_draw(cr, s, st->fontsize, st->bold, x, y, st->ha, st->va, st->rotation, c);
}

static void draw_axline(const cn_axes *ax, const pl_artist *a, cairo_t *cr, int64_t step) {
  double pos = a->y ? pl_get(a->y, step < a->T ? step : a->T - 1) : a->pos;
  if (!isfinite(pos)) return;
  double fx, fy;
  pl_axes_to_fig(ax, a->axis == 0 ? pos : ax->view[0][0], a->axis == 1 ? pos : ax->view[1][0],
                 &fx, &fy);
  cairo_save(cr);
  clip_box(ax, cr);
  if (a->axis == 0) cairo_move_to(cr, fx, ax->box[1]), cairo_line_to(cr, fx, ax->box[1] + ax->box[3]);
  else cairo_move_to(cr, ax->box[0], fy), cairo_line_to(cr, ax->box[0] + ax->box[2], fy);
  cairo_set_line_width(cr, a->st.linewidth);
  pl_set_dash(cr, a->st.linestyle, a->st.linewidth);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  pl_set_source(cr, a->color, a->st.alpha);
  cairo_stroke(cr);
  cairo_restore(cr);
}

static void draw_patch_outline(const pl_artist *a, cairo_t *cr) {
  if (a->st.edgecolor.a > 0 && a->st.linewidth > 0) {
    cairo_set_line_width(cr, a->st.linewidth);
    pl_set_dash(cr, a->st.linestyle == CN_LS_NONE ? CN_LS_SOLID : a->st.linestyle,
                a->st.linewidth);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    pl_set_source(cr, a->st.edgecolor, a->st.alpha);
    cairo_stroke(cr);
  }
  cairo_new_path(cr);
}

static void draw_bars(const cn_axes *ax, const pl_artist *a, cairo_t *cr) {
  cairo_save(cr);
  clip_box(ax, cr);
  for (int64_t i = 0; i < a->n; i++) {
    double x = pl_get(a->x, i), h = pl_get(a->y, i);
    if (!isfinite(x) || !isfinite(h)) continue;
    double x0, y0, x1, y1;
    pl_axes_to_fig(ax, x - a->width / 2, 0, &x0, &y0);
    pl_axes_to_fig(ax, x + a->width / 2, h, &x1, &y1);
    cairo_rectangle(cr, fmin(x0, x1), fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0));
    cn_rgba c = a->colors ? a->colors[i % a->ncolors] : a->color;
    pl_set_source(cr, c, a->st.alpha);
    cairo_fill_preserve(cr);
    draw_patch_outline(a, cr);
  }
  cairo_restore(cr);
}

static void draw_fill(const cn_axes *ax, const pl_artist *a, cairo_t *cr) {
  cairo_save(cr);
  if (a->st.clip) clip_box(ax, cr);
  bool pen = false;
  for (int64_t i = 0; i < a->n; i++) {
    double x = pl_get(a->x, i), y = pl_get(a->y, i), fx, fy;
    if (!isfinite(x) || !isfinite(y)) continue;
    pl_axes_to_fig(ax, x, y, &fx, &fy);
    if (pen) cairo_line_to(cr, fx, fy);
    else cairo_move_to(cr, fx, fy), pen = true;
  }
  if (pen) {
    cairo_close_path(cr);
    if (a->color.a > 0) pl_set_source(cr, a->color, a->st.alpha), cairo_fill_preserve(cr);
    draw_patch_outline(a, cr);
  }
  cairo_restore(cr);
}

void pl_artist_draw(const cn_axes *ax, const pl_artist *a, cairo_t *cr, int64_t step,
                    int frame) {
  if (a->animated && step >= a->T) step = a->T - 1;
  if (step < 0) step = 0;
  switch (a->kind) {
  case PL_LINE: draw_line(ax, a, cr, step); break;
  case PL_SCATTER: draw_scatter(ax, a, cr, step); break;
  case PL_IMAGE: draw_image(ax, a, cr, step); break;
  case PL_TEXT: pl_draw_text(ax->fig, ax, a, cr, frame); break;
  case PL_AXLINE: draw_axline(ax, a, cr, step); break;
  case PL_BAR: draw_bars(ax, a, cr); break;
  case PL_FILL: draw_fill(ax, a, cr); break;
  }
}

void pl_fig_draw(cn_fig *fig, cairo_t *cr, int64_t step, int frame) {
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
  cairo_rectangle(cr, 0, 0, fig->w, fig->h);
  pl_set_source(cr, fig->face, 1);
  cairo_fill(cr);
  for (int i = 0; i < fig->naxes; i++) {
    const cn_axes *ax = fig->axes[i];
    pl_axes_draw_frame(ax, cr, PL_PART_BACKGROUND);
    /* artists in z order; insertion order breaks ties */
    int n = ax->nart;
    const pl_artist *stackbuf[64];
    const pl_artist **order = n <= 64 ? stackbuf : malloc(n * sizeof *order);
    if (!order) continue;
    for (int j = 0; j < n; j++) order[j] = ax->art[j];
    /* stable insertion sort by zorder */
    for (int j = 1; j < n; j++) {
      const pl_artist *t = order[j];
      int k = j - 1;
      while (k >= 0 && zorder_of(order[k]) > zorder_of(t)) order[k + 1] = order[k], k--;
      order[k + 1] = t;
    }
    bool grid_done = false;
    for (int j = 0; j < n; j++) {
      if (!grid_done && zorder_of(order[j]) > 1.5) {
        pl_axes_draw_frame(ax, cr, PL_PART_GRID); /* grid sits at z 1.5 */
        grid_done = true;
      }
      pl_artist_draw(ax, order[j], cr, step, frame);
    }
    if (!grid_done) pl_axes_draw_frame(ax, cr, PL_PART_GRID);
    if (order != stackbuf) free(order);
    pl_axes_draw_frame(ax, cr, PL_PART_AXIS);
    if (ax->cbar >= 0) pl_colorbar_draw(ax, cr);
    if (ax->legend) pl_legend_draw(ax, cr);
  }
  for (int j = 0; j < fig->ntext; j++) pl_draw_text(fig, NULL, fig->text[j], cr, frame);
  if (fig->suptitle)
    pl_text_draw(cr, fig->suptitle, fig->suptitle_size, fig->suptitle_bold, fig->w / 2,
                 0.02 * fig->h, CN_ALIGN_CENTER, CN_ALIGN_TOP, 0, (cn_rgba){0, 0, 0, 1});
}
