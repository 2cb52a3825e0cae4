/* canns — static output: PNG (Cairo image surface at `dpi`), SVG, PDF,
 * PS/EPS (Cairo vector surfaces, in points), with matplotlib's
 * bbox_inches="tight" crop (drawn content plus 0.1 inch).  Every file is
 * written to a temporary name and renamed into place when complete. */
#include <cairo-pdf.h>
#include <cairo-ps.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/fileutil.h"
#include "plot/internal.h"

void cn_render_opts_init(cn_render_opts *o) {
  o->dpi = 100;
  o->tight = true;
  o->pad_inches = 0.1;
  o->format = NULL;
  o->step = 0;
  o->frame = 0;
}

const char *cn_plot_format_of(const char *path) {
  static const char *const known[] = {"png", "svg", "pdf", "ps", "eps", "gif",
                                      "mp4", "m4v", "mov", "avi", "webm", "mkv", NULL};
  if (!path) return NULL;
  const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash) || !dot[1]) return NULL;
  char ext[8];
  size_t n = strlen(dot + 1);
  if (n >= sizeof ext) return NULL;
  for (size_t i = 0; i <= n; i++) ext[i] = (char)tolower((unsigned char)dot[1 + i]);
  for (int i = 0; known[i]; i++)
    if (strcmp(ext, known[i]) == 0) return known[i];
  return NULL;
}

static cn_status check_opts(const cn_render_opts *o) {
  if (!(o->dpi > 0) || !isfinite(o->dpi) || o->dpi > 2400)
    return cn_error(CN_EINVAL, "dpi must be in (0, 2400], got %g", cn_fabs_nan(o->dpi));
  if (!(o->pad_inches >= 0) || !isfinite(o->pad_inches) || o->pad_inches > 10)
    return cn_error(CN_EINVAL, "pad_inches must be in [0, 10], got %g", cn_fabs_nan(o->pad_inches));
  if (o->step < 0) return cn_error(CN_EINVAL, "step must be non-negative, got %lld",
                                   (long long)o->step);
  return CN_OK;
}

/* The region of the figure (points) an output covers. */
static void region(const cn_fig *fig, const cn_render_opts *o, double r[4]) {
  if (!o->tight) {
    r[0] = r[1] = 0, r[2] = fig->w, r[3] = fig->h;
    return;
  }
  double pad = o->pad_inches * 72;
  r[0] = fig->content[0] - pad, r[1] = fig->content[1] - pad;
  r[2] = fig->content[2] + 2 * pad, r[3] = fig->content[3] + 2 * pad;
}

static cn_status pixel_size(const double r[4], double scale, int *w, int *h) {
  double W = ceil(r[2] * scale - 1e-6), H = ceil(r[3] * scale - 1e-6);
  if (W < 1) W = 1;
  if (H < 1) H = 1;
  if (W > 32767 || H > 32767 || W * H > 4e8)
    return cn_error(CN_ERANGE, "image of %.0f x %.0f pixels is too large (lower the dpi)",
                    W, H);
  *w = (int)W, *h = (int)H;
  return CN_OK;
}

static cn_status prepare(cn_fig *fig, const cn_render_opts *o) {
  CN_TRY(check_opts(o));
  return pl_fig_layout(fig);
}

static void remember(cn_fig *fig, const double r[4], double scale) {
  fig->last_scale = scale;
  fig->last_x0 = r[0], fig->last_y0 = r[1];
}

/* Render into a new RGB24 image surface. */
static cn_status render_surface(cn_fig *fig, const cn_render_opts *o,
                                cairo_surface_t **out) {
  double r[4], scale = o->dpi / 72.0;
  region(fig, o, r);
  int w = 0, h = 0;
  CN_TRY(pixel_size(r, scale, &w, &h));
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return cn_error(CN_ENOMEM, "cannot allocate a %d x %d image", w, h);
  }
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, scale, scale);
  cairo_translate(cr, -r[0], -r[1]);
  pl_fig_draw(fig, cr, o->step, o->frame);
  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return cn_error(CN_EINTERNAL, "drawing failed: %s", cairo_status_to_string(st));
  }
  remember(fig, r, scale);
  *out = s;
  return CN_OK;
}

cn_status pl_fig_render_xrgb(cn_fig *fig, double dpi, int64_t step, int frame,
                             uint32_t *px, int w, int h) {
  /* animation frames: the whole figure, no crop; the caller did the
   * layout.  Cairo draws straight into the caller's buffer. */
  double scale = dpi / 72.0;
  cairo_surface_t *s = cairo_image_surface_create_for_data(
      (unsigned char *)px, CAIRO_FORMAT_RGB24, w, h, w * 4);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return cn_error(CN_ENOMEM, "cannot use a %d x %d frame buffer", w, h);
  }
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, scale, scale);
  pl_fig_draw(fig, cr, step, frame);
  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS)
    return cn_error(CN_EINTERNAL, "drawing frame failed: %s", cairo_status_to_string(st));
  return CN_OK;
}

cn_status cn_fig_render_rgb(cn_fig *fig, const cn_render_opts *o, uint8_t **rgb,
                            int *width, int *height) {
  cn_render_opts def;
  if (!o) cn_render_opts_init(&def), o = &def;
  CN_TRY(prepare(fig, o));
  cairo_surface_t *s;
  CN_TRY(render_surface(fig, o, &s));
  int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  uint8_t *buf = malloc((size_t)w * h * 3);
  if (!buf) {
    cairo_surface_destroy(s);
    return cn_error(CN_ENOMEM, "out of memory for a %d x %d image", w, h);
  }
  const unsigned char *px = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; y++) {
    const uint32_t *line = (const uint32_t *)(px + (size_t)y * stride);
    for (int x = 0; x < w; x++) {
      uint32_t v = line[x];
      uint8_t *q = buf + ((size_t)y * w + x) * 3;
      q[0] = (uint8_t)(v >> 16), q[1] = (uint8_t)(v >> 8), q[2] = (uint8_t)v;
    }
  }
  cairo_surface_destroy(s);
  *rgb = buf, *width = w, *height = h;
  return CN_OK;
}

/* The first write error of the figure being saved (errno), for the message:
 * cairo itself only says "error while writing to output stream". */
static _Thread_local int write_errno;

static cairo_status_t write_fp(void *closure, const unsigned char *data, unsigned int len) {
  FILE *fp = closure;
  if (fwrite(data, 1, len, fp) == len) return CAIRO_STATUS_SUCCESS;
  if (!write_errno) write_errno = errno ? errno : EIO;
  return CAIRO_STATUS_WRITE_ERROR;
}

static cn_status parent_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return CN_OK;
  size_t n = (size_t)(slash - path);
  char *dir = malloc(n + 1);
  if (!dir) return cn_error(CN_ENOMEM, "out of memory");
  memcpy(dir, path, n);
  dir[n] = 0;
  cn_status s = cn_file_exists(dir) ? CN_OK : cn_mkdir_p(dir);
  free(dir);
  return s;
}

cn_status pl_prepare_output(const char *path) {
  if (!path || !*path) return cn_error(CN_EINVAL, "output path is empty");
  return parent_dir(path);
}

cn_status cn_fig_save(cn_fig *fig, const char *path, const cn_render_opts *o) {
  cn_render_opts def;
  if (!o) cn_render_opts_init(&def), o = &def;
  const char *fmt = o->format ? o->format : cn_plot_format_of(path);
  if (!fmt)
    return cn_error(CN_EINVAL, "cannot tell the image format of '%s' (use a .png, "
                    ".svg, .pdf, .ps or .eps name, or give a format)", path ? path : "");
  bool png = strcmp(fmt, "png") == 0, svg = strcmp(fmt, "svg") == 0,
       pdf = strcmp(fmt, "pdf") == 0, ps = strcmp(fmt, "ps") == 0,
       eps = strcmp(fmt, "eps") == 0;
  if (!(png || svg || pdf || ps || eps))
    return cn_error(CN_EINVAL, "unsupported figure format '%s' (expected png, svg, "
                    "pdf, ps or eps; animations write gif/mp4)", fmt);
  CN_TRY(prepare(fig, o));
  CN_TRY(pl_prepare_output(path));
  cn_atomic_file f;
  CN_TRY(cn_atomic_begin(&f, path));
  write_errno = 0;
  cairo_status_t st;
  if (png) {
    cairo_surface_t *s;
    cn_status rs = render_surface(fig, o, &s);
    if (rs != CN_OK) {
      cn_atomic_abort(&f);
      return rs;
    }
    st = cairo_surface_write_to_png_stream(s, write_fp, f.fp);
    cairo_surface_destroy(s);
  } else {
    double r[4];
    region(fig, o, r);
    cairo_surface_t *s = svg   ? cairo_svg_surface_create_for_stream(write_fp, f.fp, r[2], r[3])
                         : pdf ? cairo_pdf_surface_create_for_stream(write_fp, f.fp, r[2], r[3])
                               : cairo_ps_surface_create_for_stream(write_fp, f.fp, r[2], r[3]);
    if (eps) cairo_ps_surface_set_eps(s, 1);
    if (pdf) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "canns");
    cairo_t *cr = cairo_create(s);
    cairo_translate(cr, -r[0], -r[1]);
    fig->image_dpi = o->dpi;
    pl_fig_draw(fig, cr, o->step, o->frame);
    fig->image_dpi = 0;
    cairo_show_page(cr);
    st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    remember(fig, r, 1.0);
  }
  if (st != CAIRO_STATUS_SUCCESS) {
    cn_atomic_abort(&f);
    return cn_error(CN_EIO, "cannot write '%s': %s", path,
                    st == CAIRO_STATUS_WRITE_ERROR && write_errno
                        ? strerror(write_errno) : cairo_status_to_string(st));
  }
  return cn_atomic_commit(&f);
}

cn_status cn_axes_data_to_pixel(cn_axes *ax, double x, double y, double *px, double *py) {
  cn_fig *fig = ax->fig;
  if (!fig->laid_out) CN_TRY(pl_fig_layout(fig));
  double fx, fy;
  pl_axes_to_fig(ax, x, y, &fx, &fy);
  *px = (fx - fig->last_x0) * fig->last_scale;
  *py = (fy - fig->last_y0) * fig->last_scale;
  return CN_OK;
}
