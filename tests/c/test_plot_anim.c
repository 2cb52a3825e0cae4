/* Tests of animations: GIF frame count, delays (the real 1/fps) and loop
 * flag read back with giflib; the drawn bump moving right frame by frame;
 * identical files for 1 and 2 render threads; MP4 frame count through
 * ffprobe when it is installed; failures leave no partial file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canns/fileutil.h"
#include "canns/plot.h"
#include "test.h"

static char outdir[512];

static const char *out(const char *name) { return test_join(outdir, name); }

/* A bump moving from x = -2 to x = 2 over T steps, drawn as an animated
 * (T, n) line, plus a per-frame time label. */
static cn_fig *moving_bump(int T, cn_axes **axp) {
  int n = 200;
  cn_array *x, *y;
  cn_linspace(&x, -M_PI, M_PI, n, true, CN_FLOAT64);
  cn_array_new2(&y, CN_FLOAT32, T, n);
  for (int t = 0; t < T; t++)
    for (int i = 0; i < n; i++) {
      double d = cn_f64(x)[i] - (-2 + 4.0 * t / (T - 1));
      cn_f32(y)[t * n + i] = (float)exp(-d * d / 0.1);
    }
  cn_fig *fig;
  cn_axes *ax;
  cn_fig_new(&fig, 4, 3);
  cn_fig_add_subplot(fig, 1, 1, 0, &ax);
  cn_style st;
  cn_style_init(&st);
  cn_axes_plot(ax, x, y, &st);
  cn_axes_set_lim(ax, CN_Y, -0.1, 1.2);
  char buf[64][32];
  const char *texts[64];
  for (int t = 0; t < T && t < 64; t++) {
    snprintf(buf[t], sizeof buf[t], "Time: %.2f s", t / 10.0);
    texts[t] = buf[t];
  }
  cn_style_init(&st);
  st.coords = CN_COORDS_AXES;
  st.boxface = (cn_rgba){1, 1, 1, 0.7};
  cn_axes_text_frames(ax, 0.05, 0.9, texts, T < 64 ? T : 64, &st);
  cn_array_release(x);
  cn_array_release(y);
  *axp = ax;
  return fig;
}

static double peak_col(const uint8_t *rgb, int w, int h) {
  for (int r = 0; r < h; r++) {
    double sum = 0;
    int k = 0;
    for (int c = 0; c < w; c++) {
      const uint8_t *p = rgb + ((size_t)r * w + c) * 3;
      if (abs(p[0] - 0x1f) < 16 && abs(p[1] - 0x77) < 16 && abs(p[2] - 0xb4) < 16) sum += c, k++;
    }
    if (k) return sum / k;
  }
  return -1;
}

TEST(gif_frames_delays_content) {
  cn_axes *ax;
  cn_fig *fig = moving_bump(5, &ax);
  int64_t steps[5] = {0, 1, 2, 3, 4};
  cn_anim_opts o;
  cn_anim_opts_init(&o);
  o.fps = 2;
  o.dpi = 50;
  o.progress = false;
  CHECK_OK(cn_fig_animate(fig, out("bump.gif"), steps, 5, &o));
  cn_gif_info info;
  CHECK_OK(cn_gif_read_info(out("bump.gif"), &info));
  CHECK(info.nframes == 5);
  CHECK(info.width == 200 && info.height == 150);
  CHECK(info.loop == 0);
  for (int i = 0; i < 5; i++) CHECK(info.delays_cs[i] == 50); /* 1/fps = 0.5 s */
  /* the bump's top moves right, to where the axes put x = -2 + f */
  double prev = -1;
  for (int f = 0; f < 5; f++) {
    uint8_t *rgb;
    int w, h;
    CHECK_OK(cn_gif_read_frame(out("bump.gif"), f, &rgb, &w, &h));
    double col = peak_col(rgb, w, h), ex, ey;
    CHECK_OK(cn_axes_data_to_pixel(ax, -2 + f, 1.0, &ex, &ey));
    CHECK_NEAR(col, ex, 1.5);
    CHECK(col > prev);
    prev = col;
    free(rgb);
  }
  /* oracle: 2 frames at fps 2 carry 50 cs each and loop forever */
  int64_t two[2] = {0, 4};
  CHECK_OK(cn_fig_animate(fig, out("two.gif"), two, 2, &o));
  CHECK_OK(cn_gif_read_info(out("two.gif"), &info));
  CHECK(info.nframes == 2 && info.delays_cs[0] == 50 && info.delays_cs[1] == 50);
  CHECK(info.loop == 0);
  /* play once: no looping extension */
  o.loop = -1;
  CHECK_OK(cn_fig_animate(fig, out("once.gif"), two, 2, &o));
  CHECK_OK(cn_gif_read_info(out("once.gif"), &info));
  CHECK(info.loop == -1);
  cn_fig_release(fig);
}

TEST(gif_delay_rounding) {
  /* 30 fps cannot be whole centiseconds: delays alternate so that the
   * total is exact */
  int sum = 0;
  for (int i = 0; i < 30; i++) {
    int d = cn_gif_delay_cs(30, i);
    CHECK(d == 3 || d == 4);
    sum += d;
  }
  CHECK(sum == 100);
  CHECK(cn_gif_delay_cs(20, 7) == 5);
  CHECK(cn_gif_delay_cs(10, 0) == 10);
}

static bool same_file(const char *a, const char *b) {
  void *da, *db;
  size_t la, lb;
  if (cn_read_file(a, 1 << 28, &da, &la) != CN_OK) return false;
  if (cn_read_file(b, 1 << 28, &db, &lb) != CN_OK) return free(da), false;
  bool same = la == lb && memcmp(da, db, la) == 0;
  free(da), free(db);
  return same;
}

TEST(threads_give_identical_files) {
  cn_axes *ax;
  cn_fig *fig = moving_bump(12, &ax);
  int64_t steps[12];
  for (int i = 0; i < 12; i++) steps[i] = i;
  cn_anim_opts o;
  cn_anim_opts_init(&o);
  o.dpi = 40;
  o.progress = false;
  o.nthreads = 1;
  CHECK_OK(cn_fig_animate(fig, out("t1.gif"), steps, 12, &o));
  o.nthreads = 2;
  CHECK_OK(cn_fig_animate(fig, out("t2.gif"), steps, 12, &o));
  o.nthreads = 5; /* more threads than cores, ring of 10 slots */
  CHECK_OK(cn_fig_animate(fig, out("t5.gif"), steps, 12, &o));
  CHECK(same_file(out("t1.gif"), out("t2.gif")));
  CHECK(same_file(out("t1.gif"), out("t5.gif")));
  cn_fig_release(fig);
}

static bool have_program(const char *name) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
  return system(cmd) == 0;
}

TEST(mp4_frame_count) {
  if (!cn_video_available() || !have_program("ffprobe")) {
    printf("skip mp4_frame_count (ffmpeg/ffprobe not installed)\n");
    return;
  }
  cn_axes *ax;
  cn_fig *fig = moving_bump(7, &ax);
  int64_t steps[7] = {0, 1, 2, 3, 4, 5, 6};
  cn_anim_opts o;
  cn_anim_opts_init(&o);
  o.dpi = 45; /* 180 x 135: odd height, padded to even for yuv420p */
  o.fps = 10;
  o.progress = false;
  CHECK_OK(cn_fig_animate(fig, out("bump.mp4"), steps, 7, &o));
  char cmd[1400];
  snprintf(cmd, sizeof cmd,
           "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
           "stream=nb_read_frames,width,height -of csv=p=0 '%s'",
           out("bump.mp4"));
  FILE *p = popen(cmd, "r");
  int w = 0, h = 0, n = 0;
  CHECK(p && fscanf(p, "%d,%d,%d", &w, &h, &n) == 3);
  if (p) pclose(p);
  CHECK(n == 7);
  CHECK(w == 180 && h == 136);
  cn_fig_release(fig);
}

TEST(failures_leave_no_file) {
  cn_axes *ax;
  cn_fig *fig = moving_bump(4, &ax);
  int64_t steps[4] = {0, 1, 2, 3};
  cn_anim_opts o;
  cn_anim_opts_init(&o);
  o.dpi = 30;
  o.progress = false;
  int before = test_count_entries(outdir);
  int64_t bad[2] = {0, 9}; /* beyond the 4 time steps of the data */
  CHECK_FAILS(cn_fig_animate(fig, out("bad.gif"), bad, 2, &o), CN_ESHAPE);
  CHECK_FAILS(cn_fig_animate(fig, out("none.gif"), steps, 0, &o), CN_EINVAL);
  CHECK_FAILS(cn_fig_animate(fig, out("x.png"), steps, 4, &o), CN_EINVAL);
  CHECK_FAILS(cn_fig_animate(fig, "/proc/canns-no-dir/a.gif", steps, 4, &o), CN_EIO);
  int64_t five[5] = {0, 1, 2, 3, 3}; /* 5 frames, but the text has 4 strings */
  CHECK_FAILS(cn_fig_animate(fig, out("short.gif"), five, 5, &o), CN_ESHAPE);
  /* an encoder that fails: no partial video and no temporary left */
  setenv("CANNS_FFMPEG", "/bin/false", 1);
  CHECK(cn_fig_animate(fig, out("fail.mp4"), steps, 4, &o) == CN_EIO);
  setenv("CANNS_FFMPEG", "/nonexistent/ffmpeg", 1);
  CHECK_FAILS(cn_fig_animate(fig, out("missing.mp4"), steps, 4, &o), CN_EUNSUP);
  unsetenv("CANNS_FFMPEG");
  CHECK(test_count_entries(outdir) == before);
  /* GIF encoder on its own */
  cn_gif *g;
  CHECK_FAILS(cn_gif_open(&g, out("z.gif"), 0, 10, 0), CN_EINVAL);
  CHECK_OK(cn_gif_open(&g, out("empty.gif"), 8, 8, 0));
  CHECK_FAILS(cn_gif_close(g), CN_EINVAL); /* no frames: removed */
  CHECK(test_count_entries(outdir) == before);
  uint8_t rgb[8 * 8 * 3];
  for (int k = 0; k < 64; k++) /* 64 colours in distinct 5-bit cells */
    rgb[3 * k] = (uint8_t)(k % 4 * 64 + 3), rgb[3 * k + 1] = (uint8_t)(k / 4 % 4 * 64 + 5),
    rgb[3 * k + 2] = (uint8_t)(k / 16 * 64 + 7);
  CHECK_OK(cn_gif_open(&g, out("small.gif"), 8, 8, 0));
  CHECK_OK(cn_gif_add_rgb(g, rgb, 10));
  CHECK_OK(cn_gif_close(g));
  uint8_t *back;
  int w, h;
  CHECK_OK(cn_gif_read_frame(out("small.gif"), 0, &back, &w, &h));
  /* reproduced exactly (palette entries are true means) */
  int exact = 0;
  for (int i = 0; i < 8 * 8 * 3; i++) exact += back[i] == rgb[i];
  CHECK(exact == 8 * 8 * 3);
  free(back);
  cn_fig_release(fig);
}

int main(void) {
  if (!test_make_outdir(outdir, sizeof outdir, "anim")) return 1;
  RUN(gif_frames_delays_content);
  RUN(gif_delay_rounding);
  RUN(threads_give_identical_files);
  RUN(mp4_frame_count);
  RUN(failures_leave_no_file);
  test_remove_dir(outdir);
  return test_summary();
}
