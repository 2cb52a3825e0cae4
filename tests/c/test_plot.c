/* Tests of the figure layer: colours, colour maps, tick placement against
 * matplotlib, PNG/SVG/PDF output checked by content (size, format,
 * non-blank, where a known curve's peak is drawn), and bad inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canns/fileutil.h"
#include "canns/plot.h"
#include "plot/ticks.h"
#include "test.h"

static char outdir[512];

static const char *out(const char *name) { return test_join(outdir, name); }

TEST(colors) {
  cn_rgba c;
  CHECK_OK(cn_color_parse("black", &c));
  CHECK(c.r == 0 && c.g == 0 && c.b == 0 && c.a == 1);
  CHECK_OK(cn_color_parse("tab:blue", &c));
  CHECK_NEAR(c.r * 255, 0x1f, 1e-9);
  CHECK_NEAR(c.g * 255, 0x77, 1e-9);
  CHECK_NEAR(c.b * 255, 0xb4, 1e-9);
  CHECK_OK(cn_color_parse("C1", &c));
  CHECK_NEAR(c.r * 255, 0xff, 1e-9);
  CHECK_NEAR(c.g * 255, 0x7f, 1e-9);
  CHECK_OK(cn_color_parse("#ff000080", &c));
  CHECK_NEAR(c.a, 128 / 255.0, 1e-12);
  CHECK_OK(cn_color_parse("#0f0", &c));
  CHECK(c.g == 1 && c.r == 0);
  CHECK_OK(cn_color_parse("0.25", &c));
  CHECK(c.r == 0.25 && c.b == 0.25);
  CHECK_OK(cn_color_parse("crimson", &c));
  CHECK_NEAR(c.r * 255, 0xdc, 1e-9);
  CHECK_OK(cn_color_parse("grey", &c));
  CHECK_NEAR(c.r * 255, 0x80, 1e-9);
  CHECK_OK(cn_color_parse("none", &c));
  CHECK(c.a == 0);
  CHECK_FAILS(cn_color_parse("blurple", &c), CN_EINVAL);
  CHECK_FAILS(cn_color_parse("#12", &c), CN_EINVAL);
  CHECK_FAILS(cn_color_parse("1.5", &c), CN_EINVAL);
}

TEST(colormaps) {
  cn_colormap cm;
  CHECK_OK(cn_colormap_get(&cm, "viridis"));
  CHECK(cm.n == 256);
  /* matplotlib: viridis(0) = (0.267004, 0.004874, 0.329415), bytes truncated */
  CHECK(cm.lut[0][0] == 68 && cm.lut[0][1] == 1 && cm.lut[0][2] == 84);
  CHECK(cm.lut[255][0] == 253 && cm.lut[255][1] == 231 && cm.lut[255][2] == 36);
  cn_colormap r;
  CHECK_OK(cn_colormap_get(&r, "viridis_r"));
  CHECK(memcmp(r.lut[0], cm.lut[255], 3) == 0);
  cn_rgba c = cn_colormap_eval(&cm, 1.0);
  CHECK_NEAR(c.r, 253 / 255.0, 1e-12);
  c = cn_colormap_eval(&cm, 0.5); /* floor(0.5 * 256) = 128 */
  CHECK_NEAR(c.g, cm.lut[128][1] / 255.0, 1e-12);
  c = cn_colormap_eval(&cm, -3);
  CHECK_NEAR(c.r, 68 / 255.0, 1e-12);
  c = cn_colormap_eval(&cm, NAN);
  CHECK(c.a == 0);
  CHECK_OK(cn_colormap_get(&cm, "jet"));
  CHECK(cm.lut[0][0] == 0 && cm.lut[0][2] == 127); /* jet starts dark blue */
  CHECK_OK(cn_colormap_get(&cm, "RdBu_r"));
  CHECK(cm.lut[255][0] > 90 && cm.lut[255][2] < 40); /* ends dark red */
  CHECK_OK(cn_colormap_get(&cm, "tab10"));
  CHECK(cm.n == 10);
  CHECK_FAILS(cn_colormap_get(&cm, "notamap"), CN_EINVAL);
  cn_rgba two[2] = {{1, 1, 1, 1}, {0, 0, 0, 1}};
  CHECK_OK(cn_colormap_listed(&cm, two, 2));
  c = cn_colormap_eval(&cm, 0.0);
  CHECK(c.r == 1);
  c = cn_colormap_eval(&cm, 1.0);
  CHECK(c.r == 0);
}

/* Expected values from matplotlib 3.11 (MaxNLocator with steps 1, 2, 2.5,
 * 5, 10 and the ScalarFormatter), see scripts/fixtures/plot_tables.py's
 * companion notes in docs/figures.md. */
TEST(ticks_match_matplotlib) {
  static const struct {
    double lo, hi;
    int nbins;
    bool integer;
    int n;
    double pos[8];
    const char *labels[8];
    const char *offset;
  } cases[] = {
      {-3.4557, 3.4557, 9, false, 7, {-3, -2, -1, 0, 1, 2, 3},
       {"\xe2\x88\x92" "3", "\xe2\x88\x92" "2", "\xe2\x88\x92" "1", "0", "1", "2", "3"}, ""},
      {-0.08, 0.88, 6, false, 5, {0, 0.2, 0.4, 0.6, 0.8}, {"0.0", "0.2", "0.4", "0.6", "0.8"}, ""},
      {0, 199, 9, false, 8, {0, 25, 50, 75, 100, 125, 150, 175},
       {"0", "25", "50", "75", "100", "125", "150", "175"}, ""},
      {-1, 30, 10, true, 7, {0, 5, 10, 15, 20, 25, 30}, {"0", "5", "10", "15", "20", "25", "30"}, ""},
      {0.001, 0.00125, 5, false, 6, {0.001, 0.00105, 0.0011, 0.00115, 0.0012, 0.00125},
       {"0.00100", "0.00105", "0.00110", "0.00115", "0.00120", "0.00125"}, ""},
      {1e6, 5e6, 5, false, 5, {1e6, 2e6, 3e6, 4e6, 5e6}, {"1", "2", "3", "4", "5"}, "1e6"},
      {1000.1, 1000.5, 5, false, 5, {1000.1, 1000.2, 1000.3, 1000.4, 1000.5},
       {"0.1", "0.2", "0.3", "0.4", "0.5"}, "+1e3"},
      {-0.5, 0.5, 3, false, 3, {-0.5, 0, 0.5}, {"\xe2\x88\x92" "0.5", "0.0", "0.5"}, ""},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    pl_ticks t;
    pl_ticks_auto(cases[c].lo, cases[c].hi, cases[c].nbins, cases[c].integer, &t);
    CHECK(t.n == cases[c].n);
    for (int i = 0; i < t.n && i < cases[c].n; i++) {
      CHECK_NEAR(t.pos[i], cases[c].pos[i], 1e-9 * fabs(cases[c].hi));
      /* with the built-in fallback font the minus sign is ASCII */
      char want[48];
      snprintf(want, sizeof want, "%s", cases[c].labels[i]);
      if (strncmp(t.label[i], "-", 1) == 0 && strncmp(want, "\xe2\x88\x92", 3) == 0)
        memmove(want + 1, want + 3, strlen(want + 3) + 1), want[0] = '-';
      if (strcmp(t.label[i], want) != 0) {
        fprintf(stderr, "case %zu tick %d: label '%s', expected '%s'\n", c, i, t.label[i],
                cases[c].labels[i]);
        CHECK(0);
      }
    }
    CHECK(strcmp(t.offset, cases[c].offset) == 0);
  }
}

/* A Gaussian bump peaking at x = 1: the drawn curve's highest pixel must
 * sit in the column where the axes map x = 1. */
static cn_status bump_figure(cn_fig **fig, cn_axes **ax, double peak_x) {
  cn_array *x, *y;
  CN_TRY(cn_linspace(&x, -M_PI, M_PI, 401, true, CN_FLOAT64));
  CN_TRY(cn_array_new1(&y, CN_FLOAT64, 401));
  for (int i = 0; i < 401; i++) {
    double d = cn_f64(x)[i] - peak_x;
    cn_f64(y)[i] = exp(-d * d / 0.1);
  }
  CN_TRY(cn_fig_new(fig, 6, 4));
  CN_TRY(cn_fig_add_subplot(*fig, 1, 1, 0, ax));
  cn_style st;
  cn_style_init(&st);
  st.label = "bump";
  CN_TRY(cn_axes_plot(*ax, x, y, &st));
  CN_TRY(cn_axes_set_lim(*ax, CN_Y, 0, 1.2));
  CN_TRY(cn_axes_set_title(*ax, "Bump", 16, true));
  CN_TRY(cn_axes_set_label(*ax, CN_X, "x", 12));
  cn_axes_legend(*ax, true, 3, 10); /* lower left: its C0 handle stays below the peak */
  cn_array_release(x);
  cn_array_release(y);
  return CN_OK;
}

/* Mean column of the topmost pixels of colour C0 (within tol). */
static double peak_column(const uint8_t *px, int w, int h, int channels, int *row) {
  const int ref[3] = {0x1f, 0x77, 0xb4};
  for (int r = 0; r < h; r++) {
    double sum = 0;
    int n = 0;
    for (int c = 0; c < w; c++) {
      const uint8_t *p = px + ((size_t)r * w + c) * channels;
      if (abs(p[0] - ref[0]) < 12 && abs(p[1] - ref[1]) < 12 && abs(p[2] - ref[2]) < 12)
        sum += c, n++;
    }
    if (n > 0) {
      *row = r;
      return sum / n;
    }
  }
  *row = -1;
  return -1;
}

TEST(png_content) {
  cn_fig *fig;
  cn_axes *ax;
  CHECK_OK(bump_figure(&fig, &ax, 1.0));
  cn_render_opts o;
  cn_render_opts_init(&o);
  o.dpi = 100;
  o.tight = false;
  const char *path = out("bump.png");
  CHECK_OK(cn_fig_save(fig, path, &o));
  /* format: the PNG signature */
  FILE *fp = fopen(path, "rb");
  unsigned char sig[8] = {0};
  CHECK(fp && fread(sig, 1, 8, fp) == 8);
  if (fp) fclose(fp);
  CHECK(memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0);
  uint8_t *px = NULL;
  int w = 0, h = 0;
  CHECK_OK(cn_png_read(path, &px, &w, &h));
  CHECK(w == 600 && h == 400);
  /* not blank: a good share of non-white pixels, but mostly white */
  int64_t nonwhite = 0;
  for (int64_t i = 0; i < (int64_t)w * h; i++)
    if (px[4 * i] < 250 || px[4 * i + 1] < 250 || px[4 * i + 2] < 250) nonwhite++;
  CHECK(nonwhite > w * h / 100);
  CHECK(nonwhite < w * h / 2);
  double ex, ey;
  CHECK_OK(cn_axes_data_to_pixel(ax, 1.0, 1.0, &ex, &ey));
  int row;
  double col = peak_column(px, w, h, 4, &row);
  CHECK_NEAR(col, ex, 1.5);
  CHECK_NEAR(row, ey, 2.5);
  free(px);
  /* the same through the in-memory renderer at another dpi, tight crop */
  o.dpi = 150;
  o.tight = true;
  uint8_t *rgb;
  CHECK_OK(cn_fig_render_rgb(fig, &o, &rgb, &w, &h));
  CHECK(w < 900 && h < 600 && w > 700 && h > 450);
  CHECK_OK(cn_axes_data_to_pixel(ax, 1.0, 1.0, &ex, &ey));
  col = peak_column(rgb, w, h, 3, &row);
  CHECK_NEAR(col, ex, 2.0);
  free(rgb);
  cn_fig_release(fig);
}

TEST(vector_formats) {
  cn_fig *fig;
  cn_axes *ax;
  CHECK_OK(bump_figure(&fig, &ax, -1.0));
  const char *names[] = {"bump.svg", "bump.pdf", "bump.eps"};
  const char *magic[] = {"<?xml", "%PDF-", "%!PS-Adobe"};
  for (int k = 0; k < 3; k++) {
    CHECK_OK(cn_fig_save(fig, out(names[k]), NULL));
    void *data = NULL;
    size_t len = 0;
    CHECK_OK(cn_read_file(out(names[k]), 1 << 24, &data, &len));
    CHECK(len > 1000 && memcmp(data, magic[k], strlen(magic[k])) == 0);
    free(data);
  }
  cn_fig_release(fig);
}

TEST(images_and_colorbar) {
  /* a 2-D map whose single hot cell must land where the axes put it */
  cn_array *z;
  CHECK_OK(cn_array_new2(&z, CN_FLOAT32, 20, 30));
  CHECK_OK(cn_array_fill(z, 0));
  cn_f32(z)[5 * 30 + 24] = 1; /* row 5, col 24 */
  cn_fig *fig;
  cn_axes *ax;
  CHECK_OK(cn_fig_new(&fig, 8, 7));
  CHECK_OK(cn_fig_add_subplot(fig, 1, 1, 0, &ax));
  cn_style st;
  cn_style_init(&st);
  st.origin_upper = false;
  CHECK_OK(cn_axes_imshow(ax, z, &st));
  CHECK_OK(cn_axes_colorbar(ax, -1, "Value", 12));
  cn_render_opts o;
  cn_render_opts_init(&o);
  o.tight = false;
  uint8_t *rgb;
  int w, h;
  CHECK_OK(cn_fig_render_rgb(fig, &o, &rgb, &w, &h));
  double px, py;
  CHECK_OK(cn_axes_data_to_pixel(ax, 24, 5, &px, &py));
  const uint8_t *p = rgb + ((size_t)lround(py) * w + lround(px)) * 3;
  /* viridis(1) is yellow (253, 231, 36); viridis(0) dark purple */
  CHECK(p[0] > 240 && p[1] > 220 && p[2] < 60);
  CHECK_OK(cn_axes_data_to_pixel(ax, 10, 15, &px, &py));
  p = rgb + ((size_t)lround(py) * w + lround(px)) * 3;
  CHECK(p[0] == 68 && p[1] == 1 && p[2] == 84);
  free(rgb);
  cn_fig_release(fig);
  cn_array_release(z);
}

TEST(bad_inputs) {
  cn_fig *fig;
  cn_axes *ax;
  CHECK_FAILS(cn_fig_new(&fig, -1, 3), CN_EINVAL);
  CHECK_OK(cn_fig_new(&fig, 4, 3));
  CHECK_FAILS(cn_fig_add_subplot(fig, 1, 1, 1, &ax), CN_EINVAL);
  CHECK_OK(cn_fig_add_subplot(fig, 1, 1, 0, &ax));
  cn_array *x, *y, *e;
  CHECK_OK(cn_array_new1(&x, CN_FLOAT32, 10));
  CHECK_OK(cn_array_new1(&y, CN_FLOAT32, 9));
  int64_t zero = 0;
  CHECK_OK(cn_array_empty(&e, CN_FLOAT32, 1, &zero));
  CHECK_OK(cn_array_fill(x, 1));
  CHECK_OK(cn_array_fill(y, 1));
  CHECK_FAILS(cn_axes_plot(ax, x, y, NULL), CN_ESHAPE);
  CHECK_FAILS(cn_axes_scatter(ax, x, y, NULL, NULL, NULL), CN_ESHAPE);
  CHECK_FAILS(cn_axes_imshow(ax, x, NULL), CN_ESHAPE);
  cn_array *e2;
  int64_t sh[2] = {0, 4};
  CHECK_OK(cn_array_empty(&e2, CN_FLOAT32, 2, sh));
  CHECK_FAILS(cn_axes_imshow(ax, e2, NULL), CN_ESHAPE);
  cn_style st;
  cn_style_init(&st);
  st.alpha = 2;
  CHECK_FAILS(cn_axes_plot(ax, NULL, x, &st), CN_EINVAL);
  CHECK_FAILS(cn_axes_set_lim(ax, CN_X, 1, 1), CN_EINVAL);
  CHECK_FAILS(cn_axes_colorbar(ax, -1, "x", 10), CN_EINVAL); /* nothing to map */
  CHECK_OK(cn_axes_plot(ax, NULL, x, NULL));
  /* unwritable or unknown destinations: an error and no file left */
  int before = test_count_entries(outdir);
  CHECK_FAILS(cn_fig_save(fig, "/proc/canns-no-such-dir/x.png", NULL), CN_EIO);
  CHECK_FAILS(cn_fig_save(fig, out("figure.xyz"), NULL), CN_EINVAL);
  CHECK_FAILS(cn_fig_save(fig, out("noextension"), NULL), CN_EINVAL);
  CHECK_FAILS(cn_fig_save(fig, out("movie.gif"), NULL), CN_EINVAL);
  cn_render_opts o;
  cn_render_opts_init(&o);
  o.dpi = -5;
  CHECK_FAILS(cn_fig_save(fig, out("ok.png"), &o), CN_EINVAL);
  cn_fig_release(fig);
  /* 100 x 100 inches at 400 dpi would be 40000 pixels wide */
  cn_axes *ax2;
  CHECK_OK(cn_fig_new(&fig, 100, 100));
  CHECK_OK(cn_fig_add_subplot(fig, 1, 1, 0, &ax2));
  o.dpi = 400;
  CHECK_FAILS(cn_fig_save(fig, out("huge.png"), &o), CN_ERANGE);
  cn_fig_release(fig);
  CHECK(test_count_entries(outdir) == before);
  cn_array_release(x), cn_array_release(y), cn_array_release(e), cn_array_release(e2);
}

/* Animated data (time first) with no time step has nothing to draw in any
 * frame: refused when added (drawing it read past the empty array). */
TEST(empty_time_axis) {
  cn_fig *fig;
  cn_axes *ax;
  CHECK_OK(cn_fig_new(&fig, 4, 3));
  CHECK_OK(cn_fig_add_subplot(fig, 1, 1, 0, &ax));
  cn_array *e, *x;
  CHECK_OK(cn_array_empty(&e, CN_FLOAT32, 2, (int64_t[]){0, 5}));
  CHECK_OK(cn_array_new1(&x, CN_FLOAT32, 5));
  CHECK_OK(cn_array_fill(x, 1));
  CHECK_FAILS(cn_axes_plot(ax, NULL, e, NULL), CN_ESHAPE);
  CHECK_FAILS(cn_axes_plot(ax, x, e, NULL), CN_ESHAPE);
  CHECK_FAILS(cn_axes_scatter(ax, e, e, NULL, NULL, NULL), CN_ESHAPE);
  CHECK(cn_axes_nartists(ax) == 0);
  uint8_t *rgb;
  int w, h;
  CHECK_OK(cn_fig_render_rgb(fig, NULL, &rgb, &w, &h));
  free(rgb);
  cn_fig_release(fig);
  cn_array_release(e), cn_array_release(x);
}

int main(void) {
  if (!test_make_outdir(outdir, sizeof outdir, "plot")) return 1;
  RUN(colors);
  RUN(colormaps);
  RUN(ticks_match_matplotlib);
  RUN(png_content);
  RUN(vector_formats);
  RUN(images_and_colorbar);
  RUN(bad_inputs);
  RUN(empty_time_axis);
  test_remove_dir(outdir);
  return test_summary();
}
