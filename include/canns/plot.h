/* canns — figures and animations.
 *
 * A small retained-mode plotting layer drawn with Cairo.  A figure holds
 * axes; axes hold artists (lines, scatter points, images, bars, text, ...)
 * that keep references to the arrays they draw.  Nothing is drawn until
 * the figure is saved (PNG, SVG, PDF) or animated (GIF through giflib,
 * MP4/WebM/... through the ffmpeg program).  Sizes are in points (1/72
 * inch) as in matplotlib, whose default style the figures follow.
 *
 *   cn_fig *fig;  cn_axes *ax;  cn_style st;
 *   CN_TRY(cn_fig_new(&fig, 10, 6));
 *   CN_TRY(cn_fig_add_subplot(fig, 1, 1, 0, &ax));
 *   cn_style_init(&st);  st.label = "u";
 *   CN_TRY(cn_axes_plot(ax, x, y, &st));
 *   CN_TRY(cn_fig_save(fig, "out/u.png", NULL));
 *   cn_fig_release(fig);
 *
 * Animation: an artist whose data has one more leading dimension (T, ...)
 * is animated: frame f draws row steps[f] of it.  Text artists may carry
 * one string per frame.  cn_fig_animate renders frames in parallel and
 * streams them, in order, to the encoder; memory stays bounded.
 *
 * Figures are not thread-safe while being built; rendering only reads them.
 */
#ifndef CANNS_PLOT_H
#define CANNS_PLOT_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- colours -------------------------------------------------------- */
typedef struct cn_rgba {
  double r, g, b, a; /* 0..1; a < 0 means "unset" where a field allows it */
} cn_rgba;

/* Parse a matplotlib colour: a name ("black", "crimson", "tab:blue"), a
 * cycle colour "C0".."C9", "#rgb", "#rrggbb", "#rrggbbaa", a grey level
 * "0.5", or "none" (transparent). */
cn_status cn_color_parse(const char *spec, cn_rgba *out);
/* Colour i of the default cycle (tab10). */
cn_rgba cn_color_cycle(int i);

/* --- colour maps ---------------------------------------------------- */
#define CN_CMAP_MAX 256

typedef struct cn_colormap {
  char name[48];
  int n;                        /* entries, 1..256 */
  uint8_t lut[CN_CMAP_MAX][3];  /* matplotlib's tables, 8 bits */
  cn_rgba bad;                  /* colour of NaN (default transparent) */
} cn_colormap;

/* Fill *out with a built-in map ("viridis", "jet", "hot", "RdBu_r", ...;
 * the suffix "_r" reverses any map). */
cn_status cn_colormap_get(cn_colormap *out, const char *name);
/* A listed map of n colours (like matplotlib's ListedColormap). */
cn_status cn_colormap_listed(cn_colormap *out, const cn_rgba *colors, int n);
/* Name of built-in map i (without "_r" variants), NULL after the last. */
const char *cn_colormap_builtin(int i);
/* Colour of a value normalised to [0, 1] (clamped; NaN gives `bad`). */
cn_rgba cn_colormap_eval(const cn_colormap *c, double t);

/* --- drawing options ------------------------------------------------ */
typedef enum cn_linestyle {
  CN_LS_SOLID = 0, CN_LS_DASHED, CN_LS_DOTTED, CN_LS_DASHDOT, CN_LS_NONE
} cn_linestyle;

typedef enum cn_marker {
  CN_MK_NONE = 0, CN_MK_POINT, CN_MK_CIRCLE, CN_MK_SQUARE, CN_MK_TRIANGLE,
  CN_MK_DIAMOND, CN_MK_STAR, CN_MK_PLUS, CN_MK_CROSS, CN_MK_VBAR, CN_MK_HBAR
} cn_marker;

/* "-", "--", ":", "-.", "solid", "dashed", "dotted", "dashdot", "none" */
cn_status cn_linestyle_parse(const char *s, cn_linestyle *out);
/* "o", ".", "s", "^", "D", "*", "+", "x", "|", "_", "none" */
cn_status cn_marker_parse(const char *s, cn_marker *out);

typedef enum cn_align {
  CN_ALIGN_DEFAULT = 0, CN_ALIGN_LEFT, CN_ALIGN_CENTER, CN_ALIGN_RIGHT,
  CN_ALIGN_TOP, CN_ALIGN_BOTTOM, CN_ALIGN_BASELINE
} cn_align;

typedef enum cn_coords {
  CN_COORDS_DATA = 0, /* the axes' data coordinates */
  CN_COORDS_AXES,     /* 0..1 across the axes box */
  CN_COORDS_FIGURE    /* 0..1 across the figure */
} cn_coords;

/* Everything an artist may be drawn with (matplotlib's keyword options).
 * cn_style_init sets matplotlib's defaults; each artist reads the fields
 * that apply to it. */
typedef struct cn_style {
  cn_rgba color;      /* lines, markers, text; a < 0: next cycle colour */
  cn_rgba facecolor;  /* fills, bars, text boxes; a < 0: none / default */
  cn_rgba edgecolor;  /* outlines; a < 0: none / default */
  double alpha;       /* multiplies every colour's opacity (1) */
  double linewidth;   /* points (1.5) */
  cn_linestyle linestyle;
  cn_marker marker;
  double markersize;  /* lines: points (6); scatter: area in pt^2 (36) */
  double markeredgewidth; /* line markers' stroke width, points; NaN: 1 */
  /* colour mapping: images and colour-mapped scatter */
  const cn_colormap *cmap; /* NULL: viridis */
  double vmin, vmax;       /* NaN: data minimum / maximum */
  /* images */
  double extent[4];        /* x0, x1, y0, y1; NaN: pixel centres 0..n-1 */
  bool origin_upper;       /* row 0 at the top (matplotlib's default) */
  bool interpolate;        /* bilinear instead of nearest */
  /* text */
  double fontsize;         /* points (10) */
  bool bold;
  cn_align ha, va;         /* default left / baseline */
  cn_coords coords;        /* where (x, y) of a text lives (data) */
  double rotation;         /* degrees, counter-clockwise */
  cn_rgba boxface, boxedge;/* text box; a < 0: no box */
  double boxpad;           /* box padding in units of fontsize (0.3) */
  /* any artist */
  const char *label;       /* legend entry (copied), NULL: none */
  double zorder;           /* NaN: the kind's default */
  bool clip;               /* clip to the axes box (true; text false) */
  bool progressive;        /* animated (T) line: draw samples 0..step */
} cn_style;

void cn_style_init(cn_style *s);

/* --- figures and axes ----------------------------------------------- */
typedef struct cn_fig cn_fig;
typedef struct cn_axes cn_axes; /* owned by its figure */

typedef enum cn_axis { CN_X = 0, CN_Y = 1 } cn_axis;

cn_status cn_fig_new(cn_fig **out, double width_in, double height_in);
cn_fig *cn_fig_retain(cn_fig *fig);
void cn_fig_release(cn_fig *fig); /* NULL is fine */
/* Axes in cell `index` (0-based, row-major) of an nrows x ncols grid. */
cn_status cn_fig_add_subplot(cn_fig *fig, int nrows, int ncols, int index,
                             cn_axes **out);
/* Polar axes (angles in radians, 0 to the right, counter-clockwise). */
cn_status cn_fig_add_polar(cn_fig *fig, int nrows, int ncols, int index,
                           cn_axes **out);
cn_fig *cn_axes_figure(cn_axes *ax);
cn_status cn_fig_suptitle(cn_fig *fig, const char *text, double size,
                          bool bold);
/* Figure-level text in figure coordinates (0..1); frame_texts as for
 * cn_axes_text_frames (may be NULL). */
cn_status cn_fig_text(cn_fig *fig, double x, double y, const char *text,
                      const char *const *frame_texts, int nframes,
                      const cn_style *st);

cn_status cn_axes_set_title(cn_axes *ax, const char *text, double size,
                            bool bold);
cn_status cn_axes_set_label(cn_axes *ax, cn_axis which, const char *text,
                            double size);
/* View limits; NaN leaves an end automatic.  lo > hi inverts the axis. */
cn_status cn_axes_set_lim(cn_axes *ax, cn_axis which, double lo, double hi);
/* Explicit ticks (labels may be NULL: formatted numbers); n = 0 removes
 * the ticks; pos = NULL with n < 0 goes back to automatic ticks. */
cn_status cn_axes_set_ticks(cn_axes *ax, cn_axis which, const double *pos,
                            int n, const char *const *labels);
/* Automatic tick locator: at most nbins intervals (0: by axis length, as
 * matplotlib's "auto"), integers only. */
void cn_axes_set_locator(cn_axes *ax, cn_axis which, int nbins, bool integer);
void cn_axes_set_tick_fontsize(cn_axes *ax, double size);
typedef struct cn_grid {
  bool on[2];          /* x lines, y lines */
  cn_rgba color;       /* #b0b0b0 */
  double linewidth;    /* 0.8 */
  cn_linestyle linestyle;
  double alpha;
} cn_grid;
void cn_grid_init(cn_grid *g);
void cn_axes_set_grid(cn_axes *ax, const cn_grid *g);
void cn_axes_set_aspect_equal(cn_axes *ax, bool equal);
void cn_axes_set_spines(cn_axes *ax, bool left, bool bottom, bool right,
                        bool top);
void cn_axes_set_axis_off(cn_axes *ax, bool off);
void cn_axes_set_facecolor(cn_axes *ax, cn_rgba c);
/* Legend locations as matplotlib's codes: 0 best, 1 upper right, 2 upper
 * left, 3 lower left, 4 lower right, 5 right, 6 center left, 7 center
 * right, 8 lower center, 9 upper center, 10 center. */
cn_status cn_legend_loc_parse(const char *s, int *loc);
void cn_axes_legend(cn_axes *ax, bool on, int loc, double fontsize);

/* --- artists -------------------------------------------------------- */
/* A line through (x[i], y[i]).  y is (n) or, animated, (T, n); x is (n),
 * (T, n) or NULL (0..n-1).  NaN breaks the line.  With st->progressive,
 * x and y are (T) and frame f draws samples 0..steps[f]. */
cn_status cn_axes_plot(cn_axes *ax, cn_array *x, cn_array *y,
                       const cn_style *st);
/* Markers at (x[i], y[i]); (n) or animated (T, n).  values (same shape
 * or NULL) colour the points through st->cmap; sizes (n or NULL) are
 * areas in pt^2. */
cn_status cn_axes_scatter(cn_axes *ax, cn_array *x, cn_array *y,
                          cn_array *values, cn_array *sizes,
                          const cn_style *st);
/* An image of z (H, W) or animated (T, H, W), colour-mapped; NaN cells
 * are transparent. */
cn_status cn_axes_imshow(cn_axes *ax, cn_array *z, const cn_style *st);
/* Text at (x, y) in st->coords. */
cn_status cn_axes_text(cn_axes *ax, double x, double y, const char *text,
                       const cn_style *st);
/* Text that changes per frame: frame f shows texts[f] (nframes of them);
 * a static save shows texts[0]. */
cn_status cn_axes_text_frames(cn_axes *ax, double x, double y,
                              const char *const *texts, int nframes,
                              const cn_style *st);
/* A line across the axes: vertical at x = pos (which = CN_X) or
 * horizontal at y = pos; `per_step` (T) or NULL moves it per frame. */
cn_status cn_axes_axline(cn_axes *ax, cn_axis which, double pos,
                         cn_array *per_step, const cn_style *st);
/* Bars centred at x with heights h; colors (n of them) or NULL. */
cn_status cn_axes_bar(cn_axes *ax, cn_array *x, cn_array *h, double width,
                      const cn_rgba *colors, int ncolors, const cn_style *st);
/* A filled polygon through (x[i], y[i]). */
cn_status cn_axes_fill(cn_axes *ax, cn_array *x, cn_array *y,
                       const cn_style *st);
/* A colour bar for artist `artist` (an index from cn_axes_nartists()-1 at
 * the time it was added; < 0: the last colour-mapped artist). */
cn_status cn_axes_colorbar(cn_axes *ax, int artist, const char *label,
                           double labelsize);
int cn_axes_nartists(const cn_axes *ax);

/* --- output --------------------------------------------------------- */
typedef struct cn_render_opts {
  double dpi;          /* pixels per inch of raster output (100) */
  bool tight;          /* crop to the drawn content + pad (true) */
  double pad_inches;   /* 0.1 */
  const char *format;  /* "png", "svg", "pdf"; NULL: from the extension */
  int64_t step;        /* time step shown by animated artists (0) */
  int frame;           /* frame whose per-frame texts are shown (0) */
} cn_render_opts;
void cn_render_opts_init(cn_render_opts *o);

/* Write the figure (atomically); missing parent directories are created
 * (as for GIF and video files). */
cn_status cn_fig_save(cn_fig *fig, const char *path,
                      const cn_render_opts *o);
/* Render into a malloc'd RGB buffer (3 bytes per pixel, row-major). */
cn_status cn_fig_render_rgb(cn_fig *fig, const cn_render_opts *o,
                            uint8_t **rgb, int *width, int *height);
/* Pixel position of data point (x, y) of ax in the last save/render of
 * its figure (tight crop included). */
cn_status cn_axes_data_to_pixel(cn_axes *ax, double x, double y, double *px,
                                double *py);
/* Format from a file name: "png", "svg", "pdf", "gif", "mp4", ... (NULL
 * when there is no extension). */
const char *cn_plot_format_of(const char *path);

typedef struct cn_anim_opts {
  double fps;          /* frames per second of the file (30) */
  double dpi;          /* 150 */
  int nthreads;        /* render threads; <= 0: cn_num_threads() */
  bool progress;       /* progress bar (true) */
  const char *format;  /* "gif", "mp4", "m4v", "mov", "avi", "webm"; NULL: extension */
  int loop;            /* GIF loop count: 0 forever (default), -1 play once */
  const char *label;   /* progress bar label (NULL: "Rendering <path>") */
} cn_anim_opts;
void cn_anim_opts_init(cn_anim_opts *o);

/* Render frames f = 0..nframes-1 (frame f shows time step steps[f]) and
 * encode them into path. */
cn_status cn_fig_animate(cn_fig *fig, const char *path, const int64_t *steps,
                         int nframes, const cn_anim_opts *o);

/* --- encoders (usable on their own) --------------------------------- */
typedef struct cn_gif cn_gif;
/* loop: 0 forever, k > 0 repeat k times, -1 no looping extension. */
cn_status cn_gif_open(cn_gif **out, const char *path, int width, int height,
                      int loop);
/* Quantise an RGB frame (median cut, 256 colours) and append it. */
cn_status cn_gif_add_rgb(cn_gif *g, const uint8_t *rgb, int delay_cs);
cn_status cn_gif_close(cn_gif *g);  /* finish and rename into place */
void cn_gif_abort(cn_gif *g);       /* remove the partial file */
/* GIF delays in centiseconds for frame i at fps: the running total is
 * rounded, so the file's duration is nframes/fps whatever the fps. */
int cn_gif_delay_cs(double fps, int64_t i);

typedef struct cn_video cn_video;
/* Is the ffmpeg program (CANNS_FFMPEG or ffmpeg on PATH) runnable? */
bool cn_video_available(void);
cn_status cn_video_open(cn_video **out, const char *path, const char *format,
                        int width, int height, double fps);
cn_status cn_video_add_rgb(cn_video *v, const uint8_t *rgb);
cn_status cn_video_close(cn_video *v);
void cn_video_abort(cn_video *v);

/* --- reading back (tests, tools) ------------------------------------ */
/* Read a PNG into malloc'd RGBA (straight alpha). */
cn_status cn_png_read(const char *path, uint8_t **rgba, int *width,
                      int *height);
typedef struct cn_gif_info {
  int width, height, nframes;
  int loop;            /* NETSCAPE loop count, -1 when absent */
  int delays_cs[64];   /* delays of the first 64 frames */
} cn_gif_info;
cn_status cn_gif_read_info(const char *path, cn_gif_info *info);
/* Frame i of a GIF as malloc'd RGB. */
cn_status cn_gif_read_frame(const char *path, int i, uint8_t **rgb,
                            int *width, int *height);

#ifdef __cplusplus
}
#endif
#endif
