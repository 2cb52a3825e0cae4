/* canns — internals of the plotting layer (src/plot/), not public API.
 *
 * Conventions: layout and drawing work in points with the origin at the
 * top-left of the figure and y growing downwards (Cairo's convention); a
 * render scales points to pixels by dpi/72.  Figures are read-only while
 * being rendered, so frames of an animation render in parallel.
 */
#ifndef CANNS_PLOT_INTERNAL_H
#define CANNS_PLOT_INTERNAL_H

#include <cairo.h>
#include <stdbool.h>
#include <stdint.h>

#include "canns/plot.h"
#include "core/internal.h" /* cn_fabs_nan */

/* --- generated tables (tables.c) ------------------------------------ */
typedef struct cn_cmap_table {
  const char *name;
  int n;
  int listed;
  const char *hex; /* n RGB triples, 6 hex digits each */
} cn_cmap_table;
extern const cn_cmap_table cn_cmap_tables[];

typedef struct cn_named_color {
  const char *name;
  const char *hex;
} cn_named_color;
extern const cn_named_color cn_named_colors[];

/* --- matplotlib's default style (rcParams), in points ---------------- */
#define PL_FONTSIZE 10.0       /* font.size */
#define PL_TICK_LEN 3.5        /* xtick.major.size */
#define PL_TICK_WIDTH 0.8      /* xtick.major.width */
#define PL_TICK_PAD 3.5        /* xtick.major.pad */
#define PL_LABEL_PAD 4.0       /* axes.labelpad */
#define PL_TITLE_PAD 6.0       /* axes.titlepad */
#define PL_SPINE_WIDTH 0.8     /* axes.linewidth */
#define PL_LAYOUT_PAD 10.8     /* tight_layout pad 1.08 * font size */
#define PL_MARGIN 0.05         /* axes.xmargin / ymargin */

/* --- text (text.c) --------------------------------------------------- */
typedef struct pl_text_metrics {
  double width;   /* advance width */
  double ascent;  /* font ascent above the baseline */
  double descent; /* font descent below the baseline (positive) */
  int lines;      /* lines of text ('\n'); ascent covers all but the last */
} pl_text_metrics;

/* Select the font (DejaVu Sans, falling back to any font, then Cairo's
 * built-in font) on cr. */
void pl_font_select(cairo_t *cr, double size, bool bold);
/* True when only Cairo's built-in font could be used. */
bool pl_font_is_fallback(void);
/* Replace '-' used as a minus sign by U+2212 when the font has it. */
const char *pl_minus(void);
void pl_text_measure(cairo_t *cr, const char *s, double size, bool bold,
                     pl_text_metrics *m);
/* Bounding box (x, y, w, h in points, y down) of text drawn at (x, y)
 * with the given alignment and rotation (degrees, counter-clockwise). */
void pl_text_box(cairo_t *cr, const char *s, double size, bool bold,
                 double x, double y, cn_align ha, cn_align va, double rot,
                 double box[4]);
void pl_text_draw(cairo_t *cr, const char *s, double size, bool bold,
                  double x, double y, cn_align ha, cn_align va, double rot,
                  cn_rgba color);

#include "plot/ticks.h"

/* --- colours (color.c) ----------------------------------------------- */
void pl_set_source(cairo_t *cr, cn_rgba c, double alpha);
void pl_set_dash(cairo_t *cr, cn_linestyle ls, double lw);

/* --- artists (artist.c) ---------------------------------------------- */
typedef enum pl_kind {
  PL_LINE, PL_SCATTER, PL_IMAGE, PL_TEXT, PL_AXLINE, PL_BAR, PL_FILL
} pl_kind;

typedef struct pl_artist {
  pl_kind kind;
  cn_style st;           /* label points at `label` below */
  char *label;
  cn_colormap cmap;
  cn_rgba color;         /* resolved line / marker colour */
  cn_array *x, *y;       /* lines, scatter, bars (heights in y), fill */
  cn_array *c, *s;       /* scatter values and sizes */
  cn_array *z;           /* images */
  bool animated;         /* data has a leading time axis */
  int64_t T;             /* time steps of animated data */
  int64_t n;             /* points per step (lines, scatter, bars) */
  int64_t rows, cols;    /* image size */
  double vmin, vmax;     /* resolved colour range */
  double pos;            /* axline position / text x */
  double ty;             /* text y */
  int axis;              /* axline orientation */
  char *text;            /* static text */
  char **frames;         /* per-frame texts */
  int nframes;
  double width;          /* bar width */
  cn_rgba *colors;       /* per-bar colours */
  int ncolors;
} pl_artist;

void pl_artist_free(pl_artist *a);
/* Data limits of an artist over all its time steps (NaN if none). */
void pl_artist_limits(const pl_artist *a, double xl[2], double yl[2]);
/* Number of time steps an animated artist covers (0 if static). */
int64_t pl_artist_steps(const pl_artist *a);
bool pl_artist_is_mappable(const pl_artist *a);

/* --- axes and figure (figure.c) -------------------------------------- */
typedef struct pl_axis_spec {
  char *label;
  double label_size;
  double lim[2];            /* user limits (NaN: auto) */
  bool manual_ticks;        /* ticks given by the user */
  int nticks;               /* manual: count (0 = none) */
  double *tick_pos;
  char **tick_labels;       /* NULL: formatted */
  int nbins;                /* locator: 0 auto */
  bool integer;
} pl_axis_spec;

struct cn_axes {
  cn_fig *fig;
  int nrows, ncols, index;
  bool polar;
  char *title;
  double title_size;
  bool title_bold;
  pl_axis_spec ax[2];
  double tick_size;
  cn_grid grid;
  bool aspect_equal, axis_off;
  bool spine[4];            /* left, bottom, right, top */
  cn_rgba face;
  bool legend;
  int legend_loc;
  double legend_size;
  int cbar;                 /* artist index with a colour bar, -1 none */
  char *cbar_label;
  double cbar_label_size;
  pl_artist **art;
  int nart, cap;
  int cycle;                /* next cycle colour */
  /* layout results (points, figure space, y down) */
  double box[4];            /* axes rectangle x, y, w, h */
  double cbox[4];           /* colour bar rectangle */
  double view[2][2];        /* resolved limits [axis][lo, hi] */
  pl_ticks ticks[2];
  pl_ticks cticks;          /* colour-bar ticks */
  double deco[4];           /* decoration extents outside box: l, b, r, t */
  double cdeco[4];          /* the same, beyond the axes' grid cell */
  double legbox[4];         /* legend rectangle (when shown) */
  double rmax;              /* polar: radial limit */
};

struct cn_fig {
  int refcount;
  double w, h;              /* points */
  cn_rgba face;
  char *suptitle;
  double suptitle_size;
  bool suptitle_bold;
  cn_axes **axes;
  int naxes, cap;
  pl_artist **text;         /* figure-level texts */
  int ntext, tcap;
  /* layout results */
  bool laid_out;
  double content[4];        /* bounding box of everything drawn */
  /* last render, for cn_axes_data_to_pixel */
  double last_scale;        /* pixels per point */
  double last_x0, last_y0;  /* crop origin in points */
  double image_dpi;         /* vector output: resolution images keep */
};

/* Compute limits, ticks, the tight layout and the legend place.  Must run
 * (single-threaded) before rendering; reads `frame`/step for nothing. */
cn_status pl_fig_layout(cn_fig *fig);
/* Draw the whole figure on cr (user space in points) as it looks at time
 * step `step` and frame `frame`. */
void pl_fig_draw(cn_fig *fig, cairo_t *cr, int64_t step, int frame);
/* Data -> figure points for an axes (after layout). */
void pl_axes_to_fig(const cn_axes *ax, double x, double y, double *fx,
                    double *fy);
/* Anchor point (figure points) of a text artist of ax (ax NULL for
 * figure texts). */
void pl_text_anchor(const cn_fig *fig, const cn_axes *ax, const pl_artist *a,
                    double *x, double *y);

/* --- drawing (draw.c, axes.c, legend.c, colorbar.c) ------------------ */
void pl_artist_draw(const cn_axes *ax, const pl_artist *a, cairo_t *cr,
                    int64_t step, int frame);
enum { PL_PART_BACKGROUND, PL_PART_GRID, PL_PART_AXIS };
void pl_axes_draw_frame(const cn_axes *ax, cairo_t *cr, int part);
void pl_draw_text(const cn_fig *fig, const cn_axes *ax, const pl_artist *a,
                  cairo_t *cr, int frame);
void pl_marker_path(cairo_t *cr, cn_marker m, double x, double y,
                    double size);
bool pl_marker_filled(cn_marker m);
/* Stamped markers (stamp.c): NULL where the paths must be kept (not an
 * image surface, a rotated or skewed transform); between begin and end the
 * transform is the identity and nothing else may draw. */
typedef struct pl_stamp pl_stamp;
pl_stamp *pl_stamp_begin(cairo_t *cr, cn_marker mk, double size, double lw, bool fill,
                         const double *clip /* x, y, w, h in user units, or NULL */);
void pl_stamp_draw(pl_stamp *s, cairo_t *cr, double fx, double fy, cn_rgba face,
                   cn_rgba edge, double alpha);
void pl_stamp_end(pl_stamp *s, cairo_t *cr);
/* A w x h image surface to fill by hand (pixels in *px, rows *stride bytes
 * apart; call cairo_surface_mark_dirty when done), or NULL when Cairo
 * cannot make one. */
cairo_surface_t *pl_image_surface(cairo_format_t f, int w, int h, unsigned char **px,
                                  int *stride);
/* Measure decorations (ticks, labels, title, colour bar) of ax and
 * store them in ax->deco. */
void pl_axes_measure(cn_axes *ax, cairo_t *cr);
void pl_legend_layout(cn_axes *ax, cairo_t *cr);
void pl_legend_draw(const cn_axes *ax, cairo_t *cr);
void pl_colorbar_measure(cn_axes *ax, cairo_t *cr, double *width);
void pl_colorbar_draw(const cn_axes *ax, cairo_t *cr);
void pl_polar_draw_frame(const cn_axes *ax, cairo_t *cr, int part);
void pl_polar_to_fig(const cn_axes *ax, double theta, double r, double *fx,
                     double *fy);

/* Element i of an array as a double (any dtype). */
static inline double pl_get(const cn_array *a, int64_t i) {
  switch (a->dtype) {
  case CN_FLOAT32: return ((const float *)a->data)[i];
  case CN_FLOAT64: return ((const double *)a->data)[i];
  case CN_INT32: return ((const int32_t *)a->data)[i];
  case CN_INT64: return (double)((const int64_t *)a->data)[i];
  case CN_BOOL: return ((const uint8_t *)a->data)[i] ? 1.0 : 0.0;
  default: return 0.0;
  }
}

/* --- encoders -------------------------------------------------------- */
/* A quantised GIF frame (gif.c): palette + indices, made in parallel by
 * the renderers, written in order by one thread. */
typedef struct pl_gif_frame {
  int ncolors;
  uint8_t palette[256][3];
  uint8_t *index; /* width*height */
} pl_gif_frame;
/* Median-cut a frame of w*h xRGB pixels (0x00RRGGBB) to <= 256 colours;
 * out->index must hold w*h bytes.  Reentrant. */
cn_status pl_gif_quantize(const uint32_t *px, int w, int h,
                          pl_gif_frame *out);
cn_status pl_gif_write(cn_gif *g, const pl_gif_frame *f, int delay_cs);
/* Encode a frame's GIF blocks (control block, descriptor, palette, LZW
 * data) into malloc'd bytes, for pl_gif_write_encoded.  Reentrant. */
cn_status pl_gif_encode(const pl_gif_frame *f, int w, int h, int delay_cs,
                        uint8_t **bytes, size_t *len);
cn_status pl_gif_write_encoded(cn_gif *g, const uint8_t *bytes, size_t len);

/* Append an xRGB frame (the caller's w*h) to a video. */
cn_status pl_video_write_xrgb(cn_video *v, const uint32_t *px);

/* --- output helpers (save.c) ----------------------------------------- */
/* Create the parent directory of an output path if needed. */
cn_status pl_prepare_output(const char *path);
/* Render the whole (laid out) figure into w*h xRGB pixels at dpi. */
cn_status pl_fig_render_xrgb(cn_fig *fig, double dpi, int64_t step, int frame,
                             uint32_t *px, int w, int h);

char *pl_strdup(const char *s);
/* Text must be UTF-8 (Cairo refuses anything else). */
bool pl_utf8_valid(const char *s);

#endif
