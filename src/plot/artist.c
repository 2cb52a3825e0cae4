/* canns — artists: what an axes draws, checked when added.
 *
 * Artists keep a reference to the arrays they draw (no copy).  Data with
 * one more leading dimension than a static artist needs is animated: at
 * time step s the artist draws row s.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot/internal.h"

void cn_style_init(cn_style *s) {
  memset(s, 0, sizeof *s);
  s->color = (cn_rgba){0, 0, 0, -1};
  s->facecolor = (cn_rgba){0, 0, 0, -1};
  s->edgecolor = (cn_rgba){0, 0, 0, -1};
  s->alpha = 1.0;
  s->linewidth = 1.5;
  s->linestyle = CN_LS_SOLID;
  s->marker = CN_MK_NONE;
  s->markersize = NAN;
  s->markeredgewidth = NAN;
  s->cmap = NULL;
  s->vmin = s->vmax = NAN;
  for (int i = 0; i < 4; i++) s->extent[i] = NAN;
  s->origin_upper = true;
  s->fontsize = PL_FONTSIZE;
  s->ha = CN_ALIGN_LEFT;
  s->va = CN_ALIGN_BASELINE;
  s->coords = CN_COORDS_DATA;
  s->boxface = (cn_rgba){0, 0, 0, -1};
  s->boxedge = (cn_rgba){0, 0, 0, -1};
  s->boxpad = 0.3;
  s->zorder = NAN;
  s->clip = true;
}

void pl_artist_free(pl_artist *a) {
  if (!a) return;
  cn_array_release(a->x);
  cn_array_release(a->y);
  cn_array_release(a->c);
  cn_array_release(a->s);
  cn_array_release(a->z);
  free(a->label);
  free(a->text);
  for (int i = 0; i < a->nframes; i++) free(a->frames[i]);
  free(a->frames);
  free(a->colors);
  free(a);
}

static cn_status check_style(const cn_style *st) {
  if (!(st->alpha >= 0 && st->alpha <= 1))
    return cn_error(CN_EINVAL, "alpha must be in [0, 1], got %g", cn_fabs_nan(st->alpha));
  if (!(st->linewidth >= 0) || !isfinite(st->linewidth))
    return cn_error(CN_EINVAL, "linewidth must be a non-negative number, got %g",
                    cn_fabs_nan(st->linewidth));
  if (!isnan(st->markersize) && !(st->markersize >= 0 && isfinite(st->markersize)))
    return cn_error(CN_EINVAL, "marker size must be a non-negative number, got %g",
                    cn_fabs_nan(st->markersize));
  if (!isnan(st->markeredgewidth) && !(st->markeredgewidth >= 0 && isfinite(st->markeredgewidth)))
    return cn_error(CN_EINVAL, "marker edge width must be a non-negative number, got %g",
                    cn_fabs_nan(st->markeredgewidth));
  if (!(st->fontsize > 0) || !isfinite(st->fontsize))
    return cn_error(CN_EINVAL, "fontsize must be positive, got %g", cn_fabs_nan(st->fontsize));
  if (!isnan(st->vmin) && !isnan(st->vmax) && st->vmin > st->vmax)
    return cn_error(CN_EINVAL, "vmin (%g) must not exceed vmax (%g)", st->vmin,
                    st->vmax);
  if (st->label && !pl_utf8_valid(st->label))
    return cn_error(CN_EINVAL, "label is not valid UTF-8");
  if (!(st->boxpad >= 0) || !isfinite(st->boxpad))
    return cn_error(CN_EINVAL, "box padding must be non-negative, got %g", cn_fabs_nan(st->boxpad));
  return CN_OK;
}

static cn_status new_artist(cn_axes *ax, pl_kind kind, const cn_style *st,
                            pl_artist **out) {
  cn_style def;
  if (!st) cn_style_init(&def), st = &def;
  CN_TRY(check_style(st));
  (void)ax;
  pl_artist *a = calloc(1, sizeof *a);
  if (!a) return cn_error(CN_ENOMEM, "out of memory adding an artist");
  a->kind = kind;
  a->st = *st;
  a->st.label = NULL;
  a->st.cmap = NULL;
  if (st->label && !(a->label = pl_strdup(st->label))) {
    free(a);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  if (st->cmap) a->cmap = *st->cmap;
  else cn_colormap_get(&a->cmap, "viridis");
  a->vmin = st->vmin, a->vmax = st->vmax;
  *out = a;
  return CN_OK;
}

static cn_status push(cn_axes *ax, pl_artist *a) {
  if (ax->nart == ax->cap) {
    int cap = ax->cap ? 2 * ax->cap : 8;
    pl_artist **p = realloc(ax->art, cap * sizeof *p);
    if (!p) {
      pl_artist_free(a);
      return cn_error(CN_ENOMEM, "out of memory adding an artist");
    }
    ax->art = p, ax->cap = cap;
  }
  ax->art[ax->nart++] = a;
  if (ax->fig) ax->fig->laid_out = false;
  return CN_OK;
}

static cn_rgba next_color(cn_axes *ax, const cn_style *st) {
  if (st && st->color.a >= 0) return st->color;
  return cn_color_cycle(ax->cycle++);
}

static bool is_numeric(const cn_array *a) { return a && a->dtype < CN_NDTYPES; }

cn_status cn_axes_plot(cn_axes *ax, cn_array *x, cn_array *y,
                       const cn_style *st) {
  if (!ax || !y) return cn_error(CN_EINVAL, "y is required");
  if (!is_numeric(y) || (x && !is_numeric(x)))
    return cn_error(CN_EDTYPE, "x and y must be numeric arrays");
  bool prog = st && st->progressive;
  int64_t T = 0, n;
  if (prog) {
    if (y->ndim != 1 || !x || x->ndim != 1)
      return cn_error(CN_ESHAPE, "a progressive line needs 1-d x and y");
    if (x->shape[0] != y->shape[0])
      return cn_error(CN_ESHAPE, "x and y lengths differ (%lld vs %lld)",
                      (long long)x->shape[0], (long long)y->shape[0]);
    n = y->shape[0];
    T = n;
  } else if (y->ndim == 1) {
    n = y->shape[0];
    if (x && !(x->ndim == 1 && x->shape[0] == n))
      return cn_error(CN_ESHAPE, "x must have the length of y (%lld), got "
                      "%lld elements", (long long)n, (long long)x->size);
  } else if (y->ndim == 2) {
    T = y->shape[0], n = y->shape[1];
    if (T == 0)
      return cn_error(CN_ESHAPE, "y (time, n) has no time step (shape {0, %lld})",
                      (long long)n);
    if (x && !((x->ndim == 1 && x->shape[0] == n) ||
               (x->ndim == 2 && x->shape[0] == T && x->shape[1] == n)))
      return cn_error(CN_ESHAPE, "x must have %lld points (the second "
                      "dimension of y), got %lld elements", (long long)n,
                      (long long)x->size);
  } else {
    return cn_error(CN_ESHAPE, "y must be 1-d (n) or 2-d (time, n), got "
                    "%d dimensions", y->ndim);
  }
  pl_artist *a;
  CN_TRY(new_artist(ax, PL_LINE, st, &a));
  a->x = x ? cn_array_retain(x) : NULL;
  a->y = cn_array_retain(y);
  a->animated = T > 0;
  a->T = T, a->n = n;
  a->color = next_color(ax, st);
  return push(ax, a);
}

cn_status cn_axes_scatter(cn_axes *ax, cn_array *x, cn_array *y,
                          cn_array *values, cn_array *sizes,
                          const cn_style *st) {
  if (!ax || !x || !y) return cn_error(CN_EINVAL, "x and y are required");
  if (!is_numeric(x) || !is_numeric(y))
    return cn_error(CN_EDTYPE, "x and y must be numeric arrays");
  if (!cn_array_same_shape(x, y))
    return cn_error(CN_ESHAPE, "x and y must have the same shape "
                    "(%lld vs %lld elements)", (long long)x->size, (long long)y->size);
  if (x->ndim != 1 && x->ndim != 2)
    return cn_error(CN_ESHAPE, "x and y must be 1-d (n) or 2-d (time, n)");
  int64_t T = x->ndim == 2 ? x->shape[0] : 0, n = x->shape[x->ndim - 1];
  if (x->ndim == 2 && T == 0)
    return cn_error(CN_ESHAPE, "x and y (time, n) have no time step (shape {0, %lld})",
                    (long long)n);
  /* static points with one row of colour values per time step (T, n) */
  if (values && x->ndim == 1 && values->ndim == 2 && values->shape[1] == n && values->shape[0] > 0)
    T = values->shape[0];
  else if (values && !(values->size == n || cn_array_same_shape(values, x)))
    return cn_error(CN_ESHAPE, "values must have one entry per point "
                    "(%lld), got %lld", (long long)n, (long long)values->size);
  if (sizes && sizes->size != n)
    return cn_error(CN_ESHAPE, "sizes must have one entry per point "
                    "(%lld), got %lld", (long long)n, (long long)sizes->size);
  pl_artist *a;
  CN_TRY(new_artist(ax, PL_SCATTER, st, &a));
  a->x = cn_array_retain(x);
  a->y = cn_array_retain(y);
  a->c = values ? cn_array_retain(values) : NULL;
  a->s = sizes ? cn_array_retain(sizes) : NULL;
  a->animated = T > 0;
  a->T = T, a->n = n;
  if (!values) a->color = next_color(ax, st);
  if (values) {
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < values->size; i++) {
      double v = pl_get(values, i);
      if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
    }
    if (isnan(a->vmin)) a->vmin = isfinite(lo) ? lo : 0;
    if (isnan(a->vmax)) a->vmax = isfinite(hi) ? hi : 1;
  }
  return push(ax, a);
}

cn_status cn_axes_imshow(cn_axes *ax, cn_array *z, const cn_style *st) {
  if (!ax || !z) return cn_error(CN_EINVAL, "data is required");
  if (!is_numeric(z)) return cn_error(CN_EDTYPE, "data must be numeric");
  if (z->ndim != 2 && z->ndim != 3)
    return cn_error(CN_ESHAPE, "data must be 2-d (rows, cols) or 3-d "
                    "(time, rows, cols), got %d dimensions", z->ndim);
  if (z->size == 0) return cn_error(CN_ESHAPE, "data must not be empty");
  if (st) {
    int nn = 0;
    for (int i = 0; i < 4; i++) nn += isnan(st->extent[i]);
    if (nn != 0 && nn != 4)
      return cn_error(CN_EINVAL, "extent needs all four values");
    for (int i = 0; i < 4 && nn == 0; i++)
      if (!isfinite(st->extent[i]))
        return cn_error(CN_EINVAL, "extent values must be finite");
  }
  pl_artist *a;
  CN_TRY(new_artist(ax, PL_IMAGE, st, &a));
  a->z = cn_array_retain(z);
  a->animated = z->ndim == 3;
  a->T = a->animated ? z->shape[0] : 0;
  a->rows = z->shape[z->ndim - 2], a->cols = z->shape[z->ndim - 1];
  if (isnan(a->st.extent[0])) {
    a->st.extent[0] = -0.5, a->st.extent[1] = a->cols - 0.5;
    if (a->st.origin_upper) a->st.extent[2] = a->rows - 0.5, a->st.extent[3] = -0.5;
    else a->st.extent[2] = -0.5, a->st.extent[3] = a->rows - 0.5;
  }
  double lo = INFINITY, hi = -INFINITY;
  if (isnan(a->vmin) || isnan(a->vmax)) {
    for (int64_t i = 0; i < z->size; i++) {
      double v = pl_get(z, i);
      if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
    }
  }
  if (isnan(a->vmin)) a->vmin = isfinite(lo) ? lo : 0;
  if (isnan(a->vmax)) a->vmax = isfinite(hi) ? hi : 1;
  return push(ax, a);
}

static cn_status add_text(cn_axes *ax, double x, double y, const char *text,
                          const char *const *frames, int nframes,
                          const cn_style *st, pl_artist **out) {
  if (!isfinite(x) || !isfinite(y))
    return cn_error(CN_EINVAL, "position must be finite, got (%g, %g)", x, y);
  if (frames && nframes < 1)
    return cn_error(CN_EINVAL, "per-frame texts need at least one string");
  if (text && !pl_utf8_valid(text)) return cn_error(CN_EINVAL, "text is not valid UTF-8");
  for (int i = 0; frames && i < nframes; i++)
    if (frames[i] && !pl_utf8_valid(frames[i]))
      return cn_error(CN_EINVAL, "per-frame text %d is not valid UTF-8", i + 1);
  pl_artist *a;
  cn_style def;
  if (!st) {
    cn_style_init(&def);
    def.clip = false;
    st = &def;
  }
  CN_TRY(new_artist(ax, PL_TEXT, st, &a));
  a->pos = x, a->ty = y;
  a->color = st->color.a >= 0 ? st->color : (cn_rgba){0, 0, 0, 1};
  if (frames) {
    a->frames = calloc(nframes, sizeof *a->frames);
    if (!a->frames) goto nomem;
    a->nframes = nframes;
    for (int i = 0; i < nframes; i++)
      if (!(a->frames[i] = pl_strdup(frames[i] ? frames[i] : ""))) goto nomem;
  } else if (!(a->text = pl_strdup(text ? text : ""))) {
    goto nomem;
  }
  *out = a;
  return CN_OK;
nomem:
  pl_artist_free(a);
  return cn_error(CN_ENOMEM, "out of memory adding text");
}

cn_status cn_axes_text(cn_axes *ax, double x, double y, const char *text,
                       const cn_style *st) {
  pl_artist *a;
  CN_TRY(add_text(ax, x, y, text, NULL, 0, st, &a));
  return push(ax, a);
}

cn_status cn_axes_text_frames(cn_axes *ax, double x, double y,
                              const char *const *texts, int nframes,
                              const cn_style *st) {
  if (!texts) return cn_error(CN_EINVAL, "texts are required");
  pl_artist *a;
  CN_TRY(add_text(ax, x, y, NULL, texts, nframes, st, &a));
  return push(ax, a);
}

cn_status cn_fig_text(cn_fig *fig, double x, double y, const char *text,
                      const char *const *frames, int nframes,
                      const cn_style *st) {
  /* figure texts live in a pseudo axes-less list; reuse the artist code
   * through a temporary axes shell */
  cn_axes shell;
  memset(&shell, 0, sizeof shell);
  pl_artist *a;
  CN_TRY(add_text(&shell, x, y, text, frames, frames ? nframes : 0, st, &a));
  a->st.coords = CN_COORDS_FIGURE;
  if (fig->ntext == fig->tcap) {
    int cap = fig->tcap ? 2 * fig->tcap : 4;
    pl_artist **p = realloc(fig->text, cap * sizeof *p);
    if (!p) {
      pl_artist_free(a);
      return cn_error(CN_ENOMEM, "out of memory adding text");
    }
    fig->text = p, fig->tcap = cap;
  }
  fig->text[fig->ntext++] = a;
  fig->laid_out = false;
  return CN_OK;
}

cn_status cn_axes_axline(cn_axes *ax, cn_axis which, double pos,
                         cn_array *per_step, const cn_style *st) {
  if (!per_step && !isfinite(pos))
    return cn_error(CN_EINVAL, "position must be finite, got %g", pos);
  if (per_step && (per_step->ndim != 1 || per_step->size == 0))
    return cn_error(CN_ESHAPE, "per-step positions must be a non-empty 1-d array");
  pl_artist *a;
  CN_TRY(new_artist(ax, PL_AXLINE, st, &a));
  a->axis = which == CN_Y ? 1 : 0;
  a->pos = pos;
  if (per_step) {
    a->y = cn_array_retain(per_step);
    a->animated = true;
    a->T = per_step->size;
  }
  a->color = next_color(ax, st);
  return push(ax, a);
}

cn_status cn_axes_bar(cn_axes *ax, cn_array *x, cn_array *h, double width,
                      const cn_rgba *colors, int ncolors, const cn_style *st) {
  if (!x || !h) return cn_error(CN_EINVAL, "x and heights are required");
  if (x->ndim != 1 || !cn_array_same_shape(x, h))
    return cn_error(CN_ESHAPE, "x and heights must be 1-d of the same length");
  if (!(width > 0) || !isfinite(width))
    return cn_error(CN_EINVAL, "width must be positive, got %g", cn_fabs_nan(width));
  if (colors && ncolors < 1) return cn_error(CN_EINVAL, "empty colour list");
  pl_artist *a;
  CN_TRY(new_artist(ax, PL_BAR, st, &a));
  a->x = cn_array_retain(x);
  a->y = cn_array_retain(h);
  a->n = x->size;
  a->width = width;
  if (colors) {
    if (!(a->colors = malloc(ncolors * sizeof *colors))) {
      pl_artist_free(a);
      return cn_error(CN_ENOMEM, "out of memory");
    }
    memcpy(a->colors, colors, ncolors * sizeof *colors);
    a->ncolors = ncolors;
  }
  a->color = st && st->facecolor.a >= 0 ? st->facecolor
             : st && st->color.a >= 0   ? st->color
                                        : cn_color_cycle(ax->cycle++);
  return push(ax, a);
}

cn_status cn_axes_fill(cn_axes *ax, cn_array *x, cn_array *y,
                       const cn_style *st) {
  if (!x || !y) return cn_error(CN_EINVAL, "x and y are required");
  if (x->ndim != 1 || !cn_array_same_shape(x, y))
    return cn_error(CN_ESHAPE, "x and y must be 1-d of the same length");
  pl_artist *a;
  CN_TRY(new_artist(ax, PL_FILL, st, &a));
  a->x = cn_array_retain(x);
  a->y = cn_array_retain(y);
  a->n = x->size;
  a->color = st && st->facecolor.a >= 0 ? st->facecolor
             : st && st->color.a >= 0   ? st->color
                                        : cn_color_cycle(ax->cycle++);
  return push(ax, a);
}

int cn_axes_nartists(const cn_axes *ax) { return ax ? ax->nart : 0; }

bool pl_artist_is_mappable(const pl_artist *a) {
  return a->kind == PL_IMAGE || (a->kind == PL_SCATTER && a->c);
}

int64_t pl_artist_steps(const pl_artist *a) { return a->animated ? a->T : 0; }

static void upd(double l[2], double v) {
  if (isfinite(v)) l[0] = fmin(l[0], v), l[1] = fmax(l[1], v);
}

void pl_artist_limits(const pl_artist *a, double xl[2], double yl[2]) {
  xl[0] = yl[0] = INFINITY;
  xl[1] = yl[1] = -INFINITY;
  switch (a->kind) {
  case PL_LINE:
  case PL_SCATTER:
    for (int64_t i = 0; i < a->y->size; i++) upd(yl, pl_get(a->y, i));
    if (a->x)
      for (int64_t i = 0; i < a->x->size; i++) upd(xl, pl_get(a->x, i));
    else if (a->n > 0)
      upd(xl, 0), upd(xl, (double)(a->n - 1));
    break;
  case PL_IMAGE:
    upd(xl, a->st.extent[0]), upd(xl, a->st.extent[1]);
    upd(yl, a->st.extent[2]), upd(yl, a->st.extent[3]);
    break;
  case PL_BAR:
    for (int64_t i = 0; i < a->n; i++) {
      double x = pl_get(a->x, i), h = pl_get(a->y, i);
      upd(xl, x - a->width / 2), upd(xl, x + a->width / 2);
      upd(yl, 0), upd(yl, h);
    }
    break;
  case PL_FILL:
    for (int64_t i = 0; i < a->n; i++) upd(xl, pl_get(a->x, i)), upd(yl, pl_get(a->y, i));
    break;
  case PL_AXLINE: {
    double *l = a->axis == 0 ? xl : yl;
    if (a->y)
      for (int64_t i = 0; i < a->y->size; i++) upd(l, pl_get(a->y, i));
    else
      upd(l, a->pos);
    break;
  }
  case PL_TEXT:
    break;
  }
}
