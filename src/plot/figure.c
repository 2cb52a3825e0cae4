/* canns — figures and axes: creation, settings, and the layout that runs
 * before every render (autoscaled limits, ticks, matplotlib's
 * tight_layout for a grid of subplots, colour bars, legend placement). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/internal.h"

cn_status cn_fig_new(cn_fig **out, double width_in, double height_in) {
  if (!(width_in > 0 && height_in > 0) || !isfinite(width_in) || !isfinite(height_in) ||
      width_in > 200 || height_in > 200)
    return cn_error(CN_EINVAL, "figure size must be positive inches up to 200, "
                    "got %g x %g", cn_fabs_nan(width_in), cn_fabs_nan(height_in));
  cn_fig *f = calloc(1, sizeof *f);
  if (!f) return cn_error(CN_ENOMEM, "out of memory creating a figure");
  f->refcount = 1;
  f->w = width_in * 72, f->h = height_in * 72;
  f->face = (cn_rgba){1, 1, 1, 1};
  f->suptitle_size = 12;
  f->last_scale = 100.0 / 72;
  *out = f;
  return CN_OK;
}

cn_fig *cn_fig_retain(cn_fig *fig) {
  if (fig) __atomic_add_fetch(&fig->refcount, 1, __ATOMIC_RELAXED);
  return fig;
}

static void axes_free(cn_axes *ax) {
  for (int i = 0; i < ax->nart; i++) pl_artist_free(ax->art[i]);
  free(ax->art);
  free(ax->title);
  for (int k = 0; k < 2; k++) {
    free(ax->ax[k].label);
    free(ax->ax[k].tick_pos);
    if (ax->ax[k].tick_labels)
      for (int i = 0; i < ax->ax[k].nticks; i++) free(ax->ax[k].tick_labels[i]);
    free(ax->ax[k].tick_labels);
  }
  free(ax->cbar_label);
  free(ax);
}

void cn_fig_release(cn_fig *fig) {
  if (!fig || __atomic_sub_fetch(&fig->refcount, 1, __ATOMIC_ACQ_REL) > 0) return;
  for (int i = 0; i < fig->naxes; i++) axes_free(fig->axes[i]);
  free(fig->axes);
  for (int i = 0; i < fig->ntext; i++) pl_artist_free(fig->text[i]);
  free(fig->text);
  free(fig->suptitle);
  free(fig);
}

cn_fig *cn_axes_figure(cn_axes *ax) { return ax ? ax->fig : NULL; }

void cn_grid_init(cn_grid *g) {
  g->on[0] = g->on[1] = false;
  g->color = (cn_rgba){0xb0 / 255.0, 0xb0 / 255.0, 0xb0 / 255.0, 1};
  g->linewidth = 0.8;
  g->linestyle = CN_LS_SOLID;
  g->alpha = 1.0;
}

static cn_status add_axes(cn_fig *fig, int nrows, int ncols, int index,
                          bool polar, cn_axes **out) {
  if (!fig) return cn_error(CN_EINVAL, "figure is NULL");
  if (nrows < 1 || ncols < 1 || nrows > 64 || ncols > 64)
    return cn_error(CN_EINVAL, "grid must be 1..64 x 1..64, got %d x %d",
                    nrows, ncols);
  if (index < 0 || index >= nrows * ncols)
    return cn_error(CN_EINVAL, "index must be in 1..%d, got %d",
                    nrows * ncols, index + 1);
  if (fig->naxes == fig->cap) {
    int cap = fig->cap ? 2 * fig->cap : 4;
    cn_axes **p = realloc(fig->axes, cap * sizeof *p);
    if (!p) return cn_error(CN_ENOMEM, "out of memory adding axes");
    fig->axes = p, fig->cap = cap;
  }
  cn_axes *ax = calloc(1, sizeof *ax);
  if (!ax) return cn_error(CN_ENOMEM, "out of memory adding axes");
  ax->fig = fig;
  ax->nrows = nrows, ax->ncols = ncols, ax->index = index;
  ax->polar = polar;
  ax->title_size = 12;
  for (int k = 0; k < 2; k++) {
    ax->ax[k].label_size = PL_FONTSIZE;
    ax->ax[k].lim[0] = ax->ax[k].lim[1] = NAN;
  }
  ax->tick_size = PL_FONTSIZE;
  cn_grid_init(&ax->grid);
  for (int k = 0; k < 4; k++) ax->spine[k] = true;
  ax->face = (cn_rgba){1, 1, 1, 1};
  ax->legend_size = PL_FONTSIZE;
  ax->cbar = -1;
  ax->cbar_label_size = PL_FONTSIZE;
  fig->axes[fig->naxes++] = ax;
  fig->laid_out = false;
  *out = ax;
  return CN_OK;
}

cn_status cn_fig_add_subplot(cn_fig *fig, int nrows, int ncols, int index,
                             cn_axes **out) {
  return add_axes(fig, nrows, ncols, index, false, out);
}

cn_status cn_fig_add_polar(cn_fig *fig, int nrows, int ncols, int index,
                           cn_axes **out) {
  CN_TRY(add_axes(fig, nrows, ncols, index, true, out));
  (*out)->aspect_equal = true;
  return CN_OK;
}

static cn_status set_str(char **dst, const char *s) {
  char *d = NULL;
  if (s && !pl_utf8_valid(s)) return cn_error(CN_EINVAL, "text is not valid UTF-8");
  if (s && !(d = pl_strdup(s))) return cn_error(CN_ENOMEM, "out of memory");
  free(*dst);
  *dst = d;
  return CN_OK;
}

static cn_status check_size(double size) {
  if (!(size > 0) || !isfinite(size) || size > 500)
    return cn_error(CN_EINVAL, "font size must be in (0, 500] points, got %g", cn_fabs_nan(size));
  return CN_OK;
}

/* A title or label: *size <= 0 means def; an empty text clears it. */
static cn_status set_sized_text(char **dst, const char *text, double *size, double def) {
  if (*size <= 0) *size = def;
  CN_TRY(check_size(*size));
  return set_str(dst, text && *text ? text : NULL);
}

cn_status cn_fig_suptitle(cn_fig *fig, const char *text, double size, bool bold) {
  CN_TRY(set_sized_text(&fig->suptitle, text, &size, 12));
  fig->suptitle_size = size, fig->suptitle_bold = bold;
  fig->laid_out = false;
  return CN_OK;
}

cn_status cn_axes_set_title(cn_axes *ax, const char *text, double size, bool bold) {
  CN_TRY(set_sized_text(&ax->title, text, &size, 12));
  ax->title_size = size, ax->title_bold = bold;
  ax->fig->laid_out = false;
  return CN_OK;
}

cn_status cn_axes_set_label(cn_axes *ax, cn_axis which, const char *text, double size) {
  CN_TRY(set_sized_text(&ax->ax[which].label, text, &size, PL_FONTSIZE));
  ax->ax[which].label_size = size;
  ax->fig->laid_out = false;
  return CN_OK;
}

cn_status cn_axes_set_lim(cn_axes *ax, cn_axis which, double lo, double hi) {
  if (isinf(lo) || isinf(hi))
    return cn_error(CN_EINVAL, "axis limits must be finite, got (%g, %g)", lo, hi);
  if (!isnan(lo) && !isnan(hi) && lo == hi)
    return cn_error(CN_EINVAL, "axis limits must differ, got (%g, %g)", lo, hi);
  ax->ax[which].lim[0] = lo, ax->ax[which].lim[1] = hi;
  ax->fig->laid_out = false;
  return CN_OK;
}

cn_status cn_axes_set_ticks(cn_axes *ax, cn_axis which, const double *pos, int n,
                            const char *const *labels) {
  pl_axis_spec *s = &ax->ax[which];
  if (n > PL_MAXTICKS)
    return cn_error(CN_EINVAL, "at most %d ticks, got %d", PL_MAXTICKS, n);
  for (int i = 0; pos && i < n; i++)
    if (!isfinite(pos[i])) return cn_error(CN_EINVAL, "tick positions must be finite");
  for (int i = 0; labels && i < n; i++)
    if (labels[i] && !pl_utf8_valid(labels[i]))
      return cn_error(CN_EINVAL, "tick label %d is not valid UTF-8", i + 1);
  double *p = NULL;
  char **l = NULL;
  if (n > 0 && pos) {
    if (!(p = malloc(n * sizeof *p))) return cn_error(CN_ENOMEM, "out of memory");
    memcpy(p, pos, n * sizeof *p);
    if (labels) {
      if (!(l = calloc(n, sizeof *l))) return free(p), cn_error(CN_ENOMEM, "out of memory");
      for (int i = 0; i < n; i++)
        if (!(l[i] = pl_strdup(labels[i] ? labels[i] : ""))) {
          for (int j = 0; j < i; j++) free(l[j]);
          free(l), free(p);
          return cn_error(CN_ENOMEM, "out of memory");
        }
    }
  }
  free(s->tick_pos);
  if (s->tick_labels)
    for (int i = 0; i < s->nticks; i++) free(s->tick_labels[i]);
  free(s->tick_labels);
  s->tick_pos = p, s->tick_labels = l;
  s->manual_ticks = n >= 0;
  s->nticks = n > 0 && pos ? n : 0;
  ax->fig->laid_out = false;
  return CN_OK;
}

void cn_axes_set_locator(cn_axes *ax, cn_axis which, int nbins, bool integer) {
  ax->ax[which].nbins = nbins > 0 ? nbins : 0;
  ax->ax[which].integer = integer;
  ax->fig->laid_out = false;
}

void cn_axes_set_tick_fontsize(cn_axes *ax, double size) {
  if (size > 0 && size <= 500) ax->tick_size = size;
  ax->fig->laid_out = false;
}

void cn_axes_set_grid(cn_axes *ax, const cn_grid *g) { ax->grid = *g; }
void cn_axes_set_aspect_equal(cn_axes *ax, bool equal) {
  ax->aspect_equal = equal || ax->polar;
  ax->fig->laid_out = false;
}
void cn_axes_set_spines(cn_axes *ax, bool l, bool b, bool r, bool t) {
  ax->spine[0] = l, ax->spine[1] = b, ax->spine[2] = r, ax->spine[3] = t;
}
void cn_axes_set_axis_off(cn_axes *ax, bool off) {
  ax->axis_off = off;
  ax->fig->laid_out = false;
}
void cn_axes_set_facecolor(cn_axes *ax, cn_rgba c) { ax->face = c; }

void cn_axes_legend(cn_axes *ax, bool on, int loc, double fontsize) {
  ax->legend = on;
  ax->legend_loc = loc >= 0 && loc <= 10 ? loc : 0;
  ax->legend_size = fontsize > 0 && fontsize <= 500 ? fontsize : PL_FONTSIZE;
  ax->fig->laid_out = false;
}

cn_status cn_axes_colorbar(cn_axes *ax, int artist, const char *label, double labelsize) {
  if (artist < 0) {
    for (int i = ax->nart - 1; i >= 0 && artist < 0; i--)
      if (pl_artist_is_mappable(ax->art[i])) artist = i;
    if (artist < 0)
      return cn_error(CN_EINVAL, "the axes has no image or coloured scatter");
  } else if (artist >= ax->nart || !pl_artist_is_mappable(ax->art[artist])) {
    return cn_error(CN_EINVAL, "artist %d is not an image or coloured scatter",
                    artist + 1);
  }
  if (labelsize <= 0) labelsize = PL_FONTSIZE;
  CN_TRY(check_size(labelsize));
  CN_TRY(set_str(&ax->cbar_label, label && *label ? label : NULL));
  ax->cbar = artist;
  ax->cbar_label_size = labelsize;
  ax->fig->laid_out = false;
  return CN_OK;
}

/* ------------------------------------------------------------ layout */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Autoscale one axis as matplotlib does: data limits, nonsingular, 5 %
 * margins that do not cross sticky edges (image extents, bar bases). */
static void autoscale(cn_axes *ax, int k) {
  double lo = INFINITY, hi = -INFINITY;
  double sticky[64];
  int ns = 0;
  bool inverted = false;
  for (int i = 0; i < ax->nart; i++) {
    const pl_artist *a = ax->art[i];
    double l[2][2];
    pl_artist_limits(a, l[0], l[1]);
    if (l[k][0] <= l[k][1]) lo = fmin(lo, l[k][0]), hi = fmax(hi, l[k][1]);
    if (a->kind == PL_IMAGE && ns < 62) {
      sticky[ns++] = a->st.extent[2 * k];
      sticky[ns++] = a->st.extent[2 * k + 1];
      if (k == 1 && a->st.extent[2] > a->st.extent[3]) inverted = true;
    }
    if (a->kind == PL_BAR && k == 1 && ns < 64) sticky[ns++] = 0;
  }
  double ulo = ax->ax[k].lim[0], uhi = ax->ax[k].lim[1];
  if (!isnan(ulo) && !isnan(uhi)) {
    ax->view[k][0] = ulo, ax->view[k][1] = uhi;
    return;
  }
  if (!(lo <= hi)) lo = 0, hi = 1, ns = 0;
  double x0 = lo, x1 = hi;
  pl_nonsingular(&x0, &x1);
  qsort(sticky, ns, sizeof *sticky, cmp_double);
  double tol = 1e-5 * fabs(x1 - x0);
  double b0 = NAN, b1 = NAN;
  for (int i = 0; i < ns; i++) {
    if (sticky[i] < x0 + tol) b0 = sticky[i];
    if (sticky[i] > x1 - tol && isnan(b1)) b1 = sticky[i];
  }
  double d = (x1 - x0) * PL_MARGIN;
  double v0 = x0 - d, v1 = x1 + d;
  if (!isnan(b0)) v0 = fmax(v0, b0);
  if (!isnan(b1)) v1 = fmin(v1, b1);
  if (!isnan(ulo)) v0 = ulo;
  if (!isnan(uhi)) v1 = uhi;
  if (v0 == v1) v1 = v0 + 1;
  if (inverted && isnan(ulo) && isnan(uhi)) { double t = v0; v0 = v1; v1 = t; }
  ax->view[k][0] = v0, ax->view[k][1] = v1;
}

static void polar_limits(cn_axes *ax) {
  double rmax = -INFINITY;
  for (int i = 0; i < ax->nart; i++) {
    double l[2][2];
    pl_artist_limits(ax->art[i], l[0], l[1]);
    if (l[1][0] <= l[1][1]) rmax = fmax(rmax, l[1][1]);
  }
  if (!isnan(ax->ax[1].lim[1])) rmax = ax->ax[1].lim[1];
  else if (!(rmax > 0)) rmax = 1;
  else {
    pl_ticks t;
    pl_ticks_auto(0, rmax, 4, false, &t);
    if (t.n > 0 && t.pos[t.n - 1] < rmax) rmax = rmax * 1.05;
  }
  ax->rmax = rmax;
  ax->view[0][0] = 0, ax->view[0][1] = 2 * M_PI;
  ax->view[1][0] = 0, ax->view[1][1] = rmax;
}

static void compute_ticks(cn_axes *ax) {
  for (int k = 0; k < 2; k++) {
    pl_axis_spec *s = &ax->ax[k];
    pl_ticks *t = &ax->ticks[k];
    memset(t, 0, sizeof *t);
    if (ax->axis_off) continue;
    if (s->manual_ticks) {
      double lo = fmin(ax->view[k][0], ax->view[k][1]);
      double hi = fmax(ax->view[k][0], ax->view[k][1]);
      double tol = 1e-10 * (hi - lo);
      for (int i = 0; i < s->nticks; i++) {
        if (!ax->polar && (s->tick_pos[i] < lo - tol || s->tick_pos[i] > hi + tol)) continue;
        t->pos[t->n] = s->tick_pos[i];
        if (s->tick_labels)
          snprintf(t->label[t->n], sizeof t->label[0], "%s", s->tick_labels[i]);
        t->n++;
      }
      if (!s->tick_labels) pl_ticks_format(t);
      continue;
    }
    if (ax->polar) {
      if (k == 0) { /* angles every 45 degrees */
        for (int i = 0; i < 8; i++) {
          t->pos[i] = i * M_PI / 4;
          snprintf(t->label[i], sizeof t->label[i], "%d\xc2\xb0", i * 45);
        }
        t->n = 8;
      } else {
        pl_ticks_auto(0, ax->rmax, 4, false, t);
      }
      continue;
    }
    int nbins = s->nbins;
    if (nbins == 0) {
      double len = k == 0 ? ax->box[2] : ax->box[3];
      double size = ax->tick_size * (k == 0 ? 3 : 2);
      nbins = (int)floor(len / size);
      if (nbins > 9) nbins = 9;
      if (nbins < 1) nbins = 1;
    }
    pl_ticks_auto(ax->view[k][0], ax->view[k][1], nbins, s->integer, t);
  }
  if (ax->cbar >= 0) {
    const pl_artist *a = ax->art[ax->cbar];
    double lo = a->vmin, hi = a->vmax;
    if (!(hi > lo)) lo -= 0.5, hi += 0.5; /* a constant map */
    int nb = (int)floor(ax->cbox[3] / (ax->tick_size * 2));
    if (nb > 9) nb = 9;
    if (nb < 1) nb = 1;
    pl_ticks_auto(lo, hi, nb, false, &ax->cticks);
  }
}

static void grid_solve(cn_fig *fig, double top_reserved) {
  int nr = 1, nc = 1;
  for (int i = 0; i < fig->naxes; i++) {
    if (fig->axes[i]->nrows > nr) nr = fig->axes[i]->nrows;
    if (fig->axes[i]->ncols > nc) nc = fig->axes[i]->ncols;
  }
  double cl[64] = {0}, cr[64] = {0}, rt[64] = {0}, rb[64] = {0};
  for (int i = 0; i < fig->naxes; i++) {
    cn_axes *ax = fig->axes[i];
    /* axes of a coarser grid map onto the finest one proportionally */
    int r = ax->index / ax->ncols * nr / ax->nrows;
    int c = ax->index % ax->ncols * nc / ax->ncols;
    int r2 = r + nr / ax->nrows - 1, c2 = c + nc / ax->ncols - 1;
    cl[c] = fmax(cl[c], ax->cdeco[0]);
    rb[r2] = fmax(rb[r2], ax->cdeco[1]);
    cr[c2] = fmax(cr[c2], ax->cdeco[2]);
    rt[r] = fmax(rt[r], ax->cdeco[3]);
  }
  const double pad = PL_LAYOUT_PAD;
  double fw = 2 * pad + pad * (nc - 1), fh = 2 * pad + pad * (nr - 1) + top_reserved;
  for (int c = 0; c < nc; c++) fw += cl[c] + cr[c];
  for (int r = 0; r < nr; r++) fh += rt[r] + rb[r];
  double cw = (fig->w - fw) / nc, ch = (fig->h - fh) / nr;
  if (cw < 0.05 * fig->w) cw = 0.05 * fig->w;
  if (ch < 0.05 * fig->h) ch = 0.05 * fig->h;
  double xs[65], ys[65];
  double x = pad;
  for (int c = 0; c < nc; c++) xs[c] = x + cl[c], x += cl[c] + cw + cr[c] + pad;
  double y = pad + top_reserved;
  for (int r = 0; r < nr; r++) ys[r] = y + rt[r], y += rt[r] + ch + rb[r] + pad;
  for (int i = 0; i < fig->naxes; i++) {
    cn_axes *ax = fig->axes[i];
    int r = ax->index / ax->ncols * nr / ax->nrows;
    int c = ax->index % ax->ncols * nc / ax->ncols;
    int r2 = r + nr / ax->nrows - 1, c2 = c + nc / ax->ncols - 1;
    ax->box[0] = xs[c];
    ax->box[1] = ys[r];
    ax->box[2] = xs[c2] + cw - xs[c];
    ax->box[3] = ys[r2] + ch - ys[r];
  }
}

static void place_colorbar(cn_axes *ax) {
  if (ax->cbar < 0) return;
  double gap = 0.0625 * ax->box[2];
  double w = fmin(ax->box[3] / 20, 0.1875 * ax->box[2]);
  ax->cbox[0] = ax->box[0] + ax->box[2] + gap;
  ax->cbox[1] = ax->box[1];
  ax->cbox[2] = w;
  ax->cbox[3] = ax->box[3];
}

static void apply_aspect(cn_axes *ax) {
  if (!ax->aspect_equal) return;
  double dx = fabs(ax->view[0][1] - ax->view[0][0]);
  double dy = fabs(ax->view[1][1] - ax->view[1][0]);
  if (ax->polar) dx = dy = 1;
  if (!(dx > 0 && dy > 0)) return;
  double want = dy / dx; /* box height / width */
  double w = ax->box[2], h = ax->box[3];
  if (h / w > want) {
    double nh = w * want;
    ax->box[1] += (h - nh) / 2, ax->box[3] = nh;
  } else {
    double nw = h / want;
    ax->box[0] += (w - nw) / 2, ax->box[2] = nw;
  }
}

static void box_union(double u[4], const double b[4]) {
  if (!(b[2] >= 0 && b[3] >= 0)) return;
  double x0 = fmin(u[0], b[0]), y0 = fmin(u[1], b[1]);
  double x1 = fmax(u[0] + u[2], b[0] + b[2]), y1 = fmax(u[1] + u[3], b[1] + b[3]);
  u[0] = x0, u[1] = y0, u[2] = x1 - x0, u[3] = y1 - y0;
}

static void text_anchor(const cn_fig *fig, const cn_axes *ax, const pl_artist *a,
                        double *x, double *y) {
  switch (a->st.coords) {
  case CN_COORDS_FIGURE: *x = a->pos * fig->w, *y = (1 - a->ty) * fig->h; break;
  case CN_COORDS_AXES:
    *x = ax->box[0] + a->pos * ax->box[2];
    *y = ax->box[1] + (1 - a->ty) * ax->box[3];
    break;
  default: pl_axes_to_fig(ax, a->pos, a->ty, x, y); break;
  }
}

void pl_text_anchor(const cn_fig *fig, const cn_axes *ax, const pl_artist *a,
                    double *x, double *y) {
  text_anchor(fig, ax, a, x, y);
}

/* Place an axes, its colour bar and decorations in the cell grid_solve
 * gave it (ax->box on entry); record how far the decorations reach
 * beyond the cell for the next grid_solve. */
static void layout_in_cell(cn_axes *ax, cairo_t *cr) {
  double cell[4];
  memcpy(cell, ax->box, sizeof cell);
  if (ax->cbar >= 0) ax->box[2] *= 0.8;
  apply_aspect(ax);
  place_colorbar(ax);
  compute_ticks(ax);
  pl_axes_measure(ax, cr);
  double l = ax->box[0] - ax->deco[0], t = ax->box[1] - ax->deco[3];
  double r = ax->box[0] + ax->box[2] + ax->deco[2];
  double b = ax->box[1] + ax->box[3] + ax->deco[1];
  ax->cdeco[0] = fmax(0, cell[0] - l);
  ax->cdeco[1] = fmax(0, b - (cell[1] + cell[3]));
  ax->cdeco[2] = fmax(0, r - (cell[0] + cell[2]));
  ax->cdeco[3] = fmax(0, cell[1] - t);
}

cn_status pl_fig_layout(cn_fig *fig) {
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create(surf);
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    return cn_error(CN_ENOMEM, "cannot create a Cairo context for layout");
  }
  double top = 0;
  if (fig->suptitle) {
    pl_text_metrics m;
    pl_text_measure(cr, fig->suptitle, fig->suptitle_size, fig->suptitle_bold, &m);
    top = 0.02 * fig->h + m.ascent + m.descent;
  }
  for (int i = 0; i < fig->naxes; i++) {
    cn_axes *ax = fig->axes[i];
    if (ax->polar) polar_limits(ax);
    else autoscale(ax, 0), autoscale(ax, 1);
    memset(ax->deco, 0, sizeof ax->deco);
    memset(ax->cdeco, 0, sizeof ax->cdeco);
  }
  for (int it = 0; it < 4; it++) {
    grid_solve(fig, top);
    for (int i = 0; i < fig->naxes; i++) layout_in_cell(fig->axes[i], cr);
  }
  for (int i = 0; i < fig->naxes; i++) pl_legend_layout(fig->axes[i], cr);
  /* bounding box of everything drawn */
  double u[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
  u[2] = u[3] = -INFINITY;
  bool any = false;
  for (int i = 0; i < fig->naxes; i++) {
    cn_axes *ax = fig->axes[i];
    double b[4] = {ax->box[0] - ax->deco[0], ax->box[1] - ax->deco[3],
                   ax->box[2] + ax->deco[0] + ax->deco[2],
                   ax->box[3] + ax->deco[1] + ax->deco[3]};
    if (!any) memcpy(u, b, sizeof u), any = true;
    else box_union(u, b);
    for (int j = 0; j < ax->nart; j++) {
      const pl_artist *a = ax->art[j];
      if (a->kind != PL_TEXT) continue;
      double x, y, tb[4];
      text_anchor(fig, ax, a, &x, &y);
      const char *s = a->frames ? a->frames[0] : a->text;
      pl_text_box(cr, s, a->st.fontsize, a->st.bold, x, y, a->st.ha, a->st.va,
                  a->st.rotation, tb);
      if (isfinite(tb[0]) && isfinite(tb[1])) box_union(u, tb);
    }
  }
  for (int j = 0; j < fig->ntext; j++) {
    const pl_artist *a = fig->text[j];
    double x, y, tb[4];
    text_anchor(fig, NULL, a, &x, &y);
    const char *s = a->frames ? a->frames[0] : a->text;
    pl_text_box(cr, s, a->st.fontsize, a->st.bold, x, y, a->st.ha, a->st.va,
                a->st.rotation, tb);
    if (!any) memcpy(u, tb, sizeof u), any = true;
    else box_union(u, tb);
  }
  if (fig->suptitle) {
    double tb[4];
    pl_text_box(cr, fig->suptitle, fig->suptitle_size, fig->suptitle_bold,
                fig->w / 2, 0.02 * fig->h, CN_ALIGN_CENTER, CN_ALIGN_TOP, 0, tb);
    if (!any) memcpy(u, tb, sizeof u), any = true;
    else box_union(u, tb);
  }
  if (!any) u[0] = u[1] = 0, u[2] = fig->w, u[3] = fig->h;
  /* clamp to the figure */
  double x0 = fmax(0, u[0]), y0 = fmax(0, u[1]);
  double x1 = fmin(fig->w, u[0] + u[2]), y1 = fmin(fig->h, u[1] + u[3]);
  fig->content[0] = x0, fig->content[1] = y0;
  fig->content[2] = x1 - x0, fig->content[3] = y1 - y0;
  cairo_destroy(cr);
  cairo_surface_destroy(surf);
  fig->laid_out = true;
  return CN_OK;
}

void pl_axes_to_fig(const cn_axes *ax, double x, double y, double *fx, double *fy) {
  if (ax->polar) {
    pl_polar_to_fig(ax, x, y, fx, fy);
    return;
  }
  double x0 = ax->view[0][0], x1 = ax->view[0][1];
  double y0 = ax->view[1][0], y1 = ax->view[1][1];
  *fx = ax->box[0] + (x - x0) / (x1 - x0) * ax->box[2];
  *fy = ax->box[1] + ax->box[3] - (y - y0) / (y1 - y0) * ax->box[3];
}
