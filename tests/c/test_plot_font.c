/* Text must render even when fontconfig knows no font at all: this test
 * points fontconfig at an empty configuration before any text is drawn
 * and checks that the title still puts ink on the figure (Cairo's
 * built-in font is the fallback) without errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canns/plot.h"
#include "test.h"

static int ink_in(const uint8_t *rgb, int w, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++) {
      const uint8_t *p = rgb + ((size_t)y * w + x) * 3;
      if (p[0] < 128 && p[1] < 128 && p[2] < 128) n++;
    }
  return n;
}

static char conf[600];

TEST(text_without_fonts) {
  cn_fig *fig;
  cn_axes *ax;
  CHECK_OK(cn_fig_new(&fig, 4, 3));
  CHECK_OK(cn_fig_add_subplot(fig, 1, 1, 0, &ax));
  cn_array *y;
  CHECK_OK(cn_array_new1(&y, CN_FLOAT32, 5));
  for (int i = 0; i < 5; i++) cn_f32(y)[i] = (float)(i - 2);
  CHECK_OK(cn_axes_plot(ax, NULL, y, NULL));
  CHECK_OK(cn_axes_set_title(ax, "TITLE WITHOUT FONTS", 16, true));
  cn_render_opts o;
  cn_render_opts_init(&o);
  o.tight = false;
  uint8_t *rgb;
  int w, h;
  CHECK_OK(cn_fig_render_rgb(fig, &o, &rgb, &w, &h));
  double x0, ytop, x1, ybot;
  CHECK_OK(cn_axes_data_to_pixel(ax, -0.2, 2.2, &x0, &ytop));
  CHECK_OK(cn_axes_data_to_pixel(ax, 4.2, -2.2, &x1, &ybot));
  /* the title sits above the axes box, the tick labels left of it */
  CHECK(ink_in(rgb, w, (int)x0, 0, (int)x1, (int)ytop - 2) > 50);
  CHECK(ink_in(rgb, w, 0, (int)ytop, (int)x0 - 5, (int)ybot) > 20);
  free(rgb);
  cn_fig_release(fig);
  cn_array_release(y);
}

int main(void) {
  const char *b = getenv("CANNS_BUILD_DIR");
  snprintf(conf, sizeof conf, "%s/test-empty-fonts-%d.conf", b && *b ? b : "/tmp", (int)getpid());
  FILE *fp = fopen(conf, "w");
  if (!fp) return perror("fopen"), 1;
  fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n"
        "<fontconfig></fontconfig>\n", fp);
  fclose(fp);
  setenv("FONTCONFIG_FILE", conf, 1);
  RUN(text_without_fonts);
  unlink(conf);
  return test_summary();
}
