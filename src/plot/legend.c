/* canns — legends: matplotlib's layout (border pad 0.4, handle length 2,
 * handle-text pad 0.8, label spacing 0.5, axes pad 0.5, all in font
 * sizes), a rounded white frame at 0.8 opacity, and loc="best", which
 * tries the nine anchored places in matplotlib's order and keeps the one
 * covering the fewest data vertices and line segments. */
#include <math.h>
#include <string.h>

#include "plot/internal.h"

static bool has_entry(const pl_artist *a) {
  return a->label && a->label[0] && a->label[0] != '_' && a->kind != PL_IMAGE &&
         a->kind != PL_TEXT;
}

static void legend_size(const cn_axes *ax, cairo_t *cr, double *w, double *h, int *n) {
  double fs = ax->legend_size, maxw = 0;
  int k = 0;
  for (int i = 0; i < ax->nart; i++) {
    if (!has_entry(ax->art[i])) continue;
    pl_text_metrics m;
    pl_text_measure(cr, ax->art[i]->label, fs, false, &m);
    maxw = fmax(maxw, m.width);
    k++;
  }
  pl_text_metrics m;
  pl_text_measure(cr, "Ag", fs, false, &m);
  double rowh = m.ascent + m.descent;
  *n = k;
  *w = 2 * 0.4 * fs + 2.0 * fs + 0.8 * fs + maxw;
  *h = 2 * 0.4 * fs + k * rowh + (k > 0 ? (k - 1) * 0.5 * fs : 0);
}

static void anchored(const cn_axes *ax, int loc, double w, double h, double out[4]) {
  const double *b = ax->box;
  double pad = 0.5 * ax->legend_size;
  double l = b[0] + pad, r = b[0] + b[2] - pad - w, cx = b[0] + (b[2] - w) / 2;
  double t = b[1] + pad, bo = b[1] + b[3] - pad - h, cy = b[1] + (b[3] - h) / 2;
  double x = r, y = t;
  switch (loc) {
  case 1: x = r, y = t; break;     /* upper right */
  case 2: x = l, y = t; break;     /* upper left */
  case 3: x = l, y = bo; break;    /* lower left */
  case 4: x = r, y = bo; break;    /* lower right */
  case 5: x = r, y = cy; break;    /* right */
  case 6: x = l, y = cy; break;    /* center left */
  case 7: x = r, y = cy; break;    /* center right */
  case 8: x = cx, y = bo; break;   /* lower center */
  case 9: x = cx, y = t; break;    /* upper center */
  case 10: x = cx, y = cy; break;  /* center */
  }
  out[0] = x, out[1] = y, out[2] = w, out[3] = h;
}

static bool inside(const double b[4], double x, double y) {
  return x >= b[0] && x <= b[0] + b[2] && y >= b[1] && y <= b[1] + b[3];
}

static bool seg_seg(double ax, double ay, double bx, double by, double cx, double cy,
                    double dx, double dy) {
  double d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  double d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  double d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  double d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0));
}

static bool seg_box(const double b[4], double x0, double y0, double x1, double y1) {
  if (inside(b, x0, y0) || inside(b, x1, y1)) return true;
  double X0 = b[0], Y0 = b[1], X1 = b[0] + b[2], Y1 = b[1] + b[3];
  return seg_seg(x0, y0, x1, y1, X0, Y0, X1, Y0) || seg_seg(x0, y0, x1, y1, X1, Y0, X1, Y1) ||
         seg_seg(x0, y0, x1, y1, X1, Y1, X0, Y1) || seg_seg(x0, y0, x1, y1, X0, Y1, X0, Y0);
}

/* matplotlib's badness: vertices inside + segments crossing + overlapping
 * patch boxes. Animated artists are sampled at a few time steps. */
static double badness(const cn_axes *ax, const double b[4]) {
  double bad = 0;
  for (int i = 0; i < ax->nart; i++) {
    const pl_artist *a = ax->art[i];
    if (a->kind == PL_LINE || a->kind == PL_SCATTER) {
      int64_t rows = a->animated && !a->st.progressive ? a->T : 1;
      int nsample = rows < 8 ? (int)rows : 8;
      int64_t n = a->n;
      int64_t stride = n > 20000 ? n / 20000 : 1;
      for (int s = 0; s < nsample; s++) {
        int64_t row = nsample > 1 ? s * (rows - 1) / (nsample - 1) : 0;
        double px = NAN, py = NAN;
        for (int64_t j = 0; j < n; j += stride) {
          double x = a->x ? (a->x->ndim >= 2 ? pl_get(a->x, row * n + j) : pl_get(a->x, j))
                          : (double)j;
          double y = a->y->ndim >= 2 ? pl_get(a->y, row * n + j) : pl_get(a->y, j);
          if (!isfinite(x) || !isfinite(y)) { px = NAN; continue; }
          double fx, fy;
          pl_axes_to_fig(ax, x, y, &fx, &fy);
          if (inside(b, fx, fy)) bad += 1;
          if (a->kind == PL_LINE && !isnan(px) && seg_box(b, px, py, fx, fy)) bad += 1;
          px = fx, py = fy;
        }
      }
    } else if (a->kind == PL_BAR) {
      for (int64_t j = 0; j < a->n; j++) {
        double x0, y0, x1, y1, x = pl_get(a->x, j), h = pl_get(a->y, j);
        pl_axes_to_fig(ax, x - a->width / 2, 0, &x0, &y0);
        pl_axes_to_fig(ax, x + a->width / 2, h, &x1, &y1);
        if (fmax(x0, x1) > b[0] && fmin(x0, x1) < b[0] + b[2] && fmax(y0, y1) > b[1] &&
            fmin(y0, y1) < b[1] + b[3])
          bad += 1;
      }
    }
  }
  return bad;
}

void pl_legend_layout(cn_axes *ax, cairo_t *cr) {
  memset(ax->legbox, 0, sizeof ax->legbox);
  if (!ax->legend) return;
  double w, h;
  int n;
  legend_size(ax, cr, &w, &h, &n);
  if (n == 0) return;
  if (ax->legend_loc != 0) {
    anchored(ax, ax->legend_loc, w, h, ax->legbox);
    return;
  }
  double best = INFINITY;
  for (int loc = 1; loc <= 10; loc++) {
    double b[4];
    anchored(ax, loc, w, h, b);
    double v = badness(ax, b);
    if (v < best) best = v, memcpy(ax->legbox, b, sizeof b);
    if (v == 0) break;
  }
}

static void rounded_rect(cairo_t *cr, const double b[4], double r) {
  double x = b[0], y = b[1], w = b[2], h = b[3];
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
}

void pl_legend_draw(const cn_axes *ax, cairo_t *cr) {
  if (!ax->legend || ax->legbox[2] <= 0) return;
  double fs = ax->legend_size;
  const double *b = ax->legbox;
  cairo_save(cr);
  rounded_rect(cr, b, 0.2 * fs);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
  cairo_fill_preserve(cr);
  cairo_set_line_width(cr, 1.0);
  cairo_set_dash(cr, NULL, 0, 0);
  cairo_set_source_rgba(cr, 0.8, 0.8, 0.8, 0.8);
  cairo_stroke(cr);
  pl_text_metrics m;
  pl_text_measure(cr, "Ag", fs, false, &m);
  double rowh = m.ascent + m.descent;
  double y = b[1] + 0.4 * fs;
  double hx = b[0] + 0.4 * fs, hl = 2.0 * fs;
  for (int i = 0; i < ax->nart; i++) {
    const pl_artist *a = ax->art[i];
    if (!has_entry(a)) continue;
    double cy = y + rowh / 2;
    cairo_save(cr);
    switch (a->kind) {
    case PL_LINE:
    case PL_AXLINE:
      if (a->st.linestyle != CN_LS_NONE && a->st.linewidth > 0) {
        cairo_move_to(cr, hx, cy);
        cairo_line_to(cr, hx + hl, cy);
        cairo_set_line_width(cr, a->st.linewidth);
        pl_set_dash(cr, a->st.linestyle, a->st.linewidth);
        pl_set_source(cr, a->color, a->st.alpha);
        cairo_stroke(cr);
      }
      if (a->kind == PL_LINE && a->st.marker != CN_MK_NONE) {
        double ms = isnan(a->st.markersize) ? 6.0 : a->st.markersize;
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_line_width(cr, isnan(a->st.markeredgewidth) ? 1.0 : a->st.markeredgewidth);
        pl_set_source(cr, a->color, a->st.alpha);
        pl_marker_path(cr, a->st.marker, hx + hl / 2, cy, ms);
        if (pl_marker_filled(a->st.marker)) cairo_fill_preserve(cr);
        cairo_stroke(cr);
      }
      break;
    case PL_SCATTER: {
      double s = a->s && a->s->size > 0 ? pl_get(a->s, 0)
                                        : (isnan(a->st.markersize) ? 36 : a->st.markersize);
      cn_rgba c = a->color;
      if (a->c && a->c->size > 0) {
        double span = a->vmax - a->vmin, v = pl_get(a->c, 0);
        c = cn_colormap_eval(&a->cmap, span > 0 ? (v - a->vmin) / span : 0);
      }
      cn_marker mk = a->st.marker == CN_MK_NONE ? CN_MK_CIRCLE : a->st.marker;
      pl_marker_path(cr, mk, hx + hl / 2, cy, sqrt(s > 0 ? s : 36));
      pl_set_source(cr, a->st.facecolor.a >= 0 ? a->st.facecolor : c, a->st.alpha);
      cairo_set_line_width(cr, pl_marker_filled(mk) ? 1.0 : a->st.linewidth);
      if (pl_marker_filled(mk)) cairo_fill_preserve(cr);
      pl_set_source(cr, a->st.edgecolor.a >= 0 ? a->st.edgecolor : c, a->st.alpha);
      cairo_stroke(cr);
      break;
    }
    case PL_BAR:
    case PL_FILL: {
      double ph = 0.7 * fs;
      cairo_rectangle(cr, hx, cy - ph / 2, hl, ph);
      cn_rgba c = a->colors ? a->colors[0] : a->color;
      pl_set_source(cr, c, a->st.alpha);
      cairo_fill_preserve(cr);
      if (a->st.edgecolor.a > 0 && a->st.linewidth > 0) {
        cairo_set_line_width(cr, a->st.linewidth);
        pl_set_source(cr, a->st.edgecolor, a->st.alpha);
        cairo_stroke(cr);
      }
      cairo_new_path(cr);
      break;
    }
    default: break;
    }
    cairo_restore(cr);
    pl_text_draw(cr, a->label, fs, false, hx + hl + 0.8 * fs, cy, CN_ALIGN_LEFT,
                 CN_ALIGN_CENTER, 0, (cn_rgba){0, 0, 0, 1});
    y += rowh + 0.5 * fs;
  }
  cairo_restore(cr);
}
