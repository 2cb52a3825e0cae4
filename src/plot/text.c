/* canns — text: font choice with fallback, measuring and drawing.
 *
 * Text goes through Cairo's font API, which finds fonts with fontconfig.
 * The family is matplotlib's default, DejaVu Sans (Debian package
 * fonts-dejavu-core), or CANNS_PLOT_FONT when set.  If fontconfig has no
 * such font it substitutes another; if there is no usable font at all
 * Cairo's built-in stroke font is used, so text always renders.
 * Alignment works as matplotlib's rotation_mode="anchor": the text is
 * aligned in its own frame, then rotated about the anchor point.
 */
#include <math.h>
#include <pthread.h>
#if defined(__SANITIZE_ADDRESS__)
#include <fontconfig/fontconfig.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "plot/internal.h"

static cairo_font_face_t *faces[2];
static bool fallback_font;
static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;

/* Does the face draw text with a real font file?  (When fontconfig finds
 * no font at all, Cairo quietly substitutes its built-in user font.) */
static bool face_works(cairo_font_face_t *face) {
  if (!face || cairo_font_face_status(face) != CAIRO_STATUS_SUCCESS) return false;
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4);
  cairo_t *cr = cairo_create(s);
  cairo_set_font_face(cr, face);
  cairo_set_font_size(cr, 10);
  cairo_text_extents_t e;
  cairo_text_extents(cr, "0123456789", &e);
  bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS &&
            cairo_scaled_font_status(cairo_get_scaled_font(cr)) == CAIRO_STATUS_SUCCESS &&
            e.x_advance > 1.0 && e.height > 1.0 &&
            cairo_scaled_font_get_type(cairo_get_scaled_font(cr)) != CAIRO_FONT_TYPE_USER;
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  return ok;
}

#if defined(__SANITIZE_ADDRESS__)
/* Leak-checking builds: hand Cairo's and fontconfig's process-wide caches
 * back at exit, so that only real leaks are reported. */
static void release_fonts(void) {
  for (int b = 0; b < 2; b++) cairo_font_face_destroy(faces[b]), faces[b] = NULL;
  cairo_debug_reset_static_data();
  FcFini();
}
#endif

static void init_fonts(void) {
#if defined(__SANITIZE_ADDRESS__)
  atexit(release_fonts);
#endif
  const char *family = getenv("CANNS_PLOT_FONT");
  if (!family || !*family) family = "DejaVu Sans";
  for (int b = 0; b < 2; b++)
    faces[b] = cairo_toy_font_face_create(
        family, CAIRO_FONT_SLANT_NORMAL,
        b ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  if (face_works(faces[0]) && face_works(faces[1]) &&
      strncmp(family, "@cairo:", 7) != 0)
    return;
  /* Cairo's built-in font needs no font files. */
  for (int b = 0; b < 2; b++) {
    cairo_font_face_destroy(faces[b]);
    faces[b] = cairo_toy_font_face_create(
        "@cairo:sans-serif", CAIRO_FONT_SLANT_NORMAL,
        b ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  }
  fallback_font = true;
}

bool pl_font_is_fallback(void) {
  pthread_once(&fonts_once, init_fonts);
  return fallback_font;
}

const char *pl_minus(void) {
  return pl_font_is_fallback() ? "-" : "\xe2\x88\x92"; /* U+2212 */
}

void pl_font_select(cairo_t *cr, double size, bool bold) {
  pthread_once(&fonts_once, init_fonts);
  cairo_set_font_face(cr, faces[bold ? 1 : 0]);
  cairo_set_font_size(cr, size);
  /* unhinted metrics: text scales exactly with the resolution */
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
}

#define LINESPACING 1.2 /* matplotlib's Text linespacing */

static double line_width(cairo_t *cr, const char *s, size_t n) {
  char buf[1024];
  if (n >= sizeof buf) n = sizeof buf - 1;
  memcpy(buf, s, n);
  buf[n] = 0;
  cairo_text_extents_t te;
  cairo_text_extents(cr, buf, &te);
  return te.x_advance;
}

/* Multi-line text ('\n'): the metrics describe the whole block relative
 * to the baseline of its last line, as matplotlib aligns it. */
void pl_text_measure(cairo_t *cr, const char *s, double size, bool bold,
                     pl_text_metrics *m) {
  pl_font_select(cr, size, bold);
  cairo_font_extents_t fe;
  cairo_font_extents(cr, &fe);
  if (!s) s = "";
  double w = 0;
  int lines = 1;
  for (const char *p = s;; lines++) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    w = fmax(w, line_width(cr, p, n));
    if (!e) break;
    p = e + 1;
  }
  double asc = fe.ascent;
  if (pl_font_is_fallback() && asc <= 0) asc = 0.8 * size;
  m->width = w;
  m->ascent = asc + (lines - 1) * LINESPACING * size;
  m->descent = fe.descent;
  m->lines = lines;
}

/* Offset of the text origin from the anchor in the text's own frame. */
static void align_offset(const pl_text_metrics *m, cn_align ha, cn_align va,
                         double *dx, double *dy) {
  switch (ha) {
  case CN_ALIGN_CENTER: *dx = -0.5 * m->width; break;
  case CN_ALIGN_RIGHT: *dx = -m->width; break;
  default: *dx = 0; break;
  }
  switch (va) {
  case CN_ALIGN_TOP: *dy = m->ascent; break;
  case CN_ALIGN_BOTTOM: *dy = -m->descent; break;
  case CN_ALIGN_CENTER: *dy = 0.5 * (m->ascent - m->descent); break;
  default: *dy = 0; break; /* baseline */
  }
}

void pl_text_box(cairo_t *cr, const char *s, double size, bool bold,
                 double x, double y, cn_align ha, cn_align va, double rot,
                 double box[4]) {
  pl_text_metrics m;
  pl_text_measure(cr, s, size, bold, &m);
  double dx, dy;
  align_offset(&m, ha, va, &dx, &dy);
  double c = cos(rot * M_PI / 180), sn = sin(rot * M_PI / 180);
  double xs[4] = {dx, dx + m.width, dx + m.width, dx};
  double ys[4] = {dy - m.ascent, dy - m.ascent, dy + m.descent, dy + m.descent};
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (int i = 0; i < 4; i++) {
    /* rotate counter-clockwise on screen (y down) */
    double X = x + c * xs[i] + sn * ys[i];
    double Y = y - sn * xs[i] + c * ys[i];
    x0 = fmin(x0, X), x1 = fmax(x1, X), y0 = fmin(y0, Y), y1 = fmax(y1, Y);
  }
  box[0] = x0, box[1] = y0, box[2] = x1 - x0, box[3] = y1 - y0;
}

void pl_text_draw(cairo_t *cr, const char *s, double size, bool bold,
                  double x, double y, cn_align ha, cn_align va, double rot,
                  cn_rgba color) {
  if (!s || !*s) return;
  pl_text_metrics m;
  pl_text_measure(cr, s, size, bold, &m);
  double dx, dy;
  align_offset(&m, ha, va, &dx, &dy);
  cairo_save(cr);
  cairo_translate(cr, x, y);
  if (rot != 0) cairo_rotate(cr, -rot * M_PI / 180);
  pl_set_source(cr, color, 1.0);
  /* dx aligns the widest line; each line is aligned on its own */
  double base = dy - (m.lines - 1) * LINESPACING * size;
  const char *p = s;
  for (int i = 0; i < m.lines; i++) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char buf[1024];
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, p, n);
    buf[n] = 0;
    double w = line_width(cr, p, n), lx = 0;
    if (ha == CN_ALIGN_CENTER) lx = -0.5 * w;
    else if (ha == CN_ALIGN_RIGHT) lx = -w;
    cairo_move_to(cr, lx, base + i * LINESPACING * size);
    cairo_show_text(cr, buf);
    cairo_new_path(cr);
    if (!e) break;
    p = e + 1;
  }
  cairo_restore(cr);
  (void)dx;
}
