/* Unit tests of the measured method choice (method = "auto") and its
 * wisdom file: a corrupt file named by CANNS_WISDOM is ignored, a
 * measured choice is written to the file and read back, an imported
 * choice is used, and malformed files are refused as a whole.  No timing
 * is asserted: only that the choices are valid and remembered. */
#include <sys/stat.h>
#include <unistd.h>

#include "canns/cann.h"
#include "canns/fileutil.h"
#include "test.h"

static char dir[] = "/tmp/canns-wisdom-XXXXXX";
static char path[256];

static void write_text(const char *p, const char *text, size_t n) {
  FILE *f = fopen(p, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fwrite(text, 1, n, f);
  fclose(f);
}

static char *read_text(const char *p) {
  void *data;
  size_t len;
  if (cn_read_file(p, 1 << 20, &data, &len) != CN_OK) return NULL;
  char *t = realloc(data, len + 1);
  t[len] = '\0';
  return t;
}

static cn_model *make(bool two_d, int64_t n, cn_cann_method method) {
  cn_cann_params p;
  cn_cann_params_init(&p, false);
  p.n = n;
  p.method = method;
  cn_model *m = NULL;
  CHECK_OK(two_d ? cn_cann2d_new(&m, &p) : cn_cann1d_new(&m, &p));
  return m;
}

static bool valid(cn_model *m, bool two_d) {
  cn_cann_method u = cn_cann_method_used(m);
  return u == CN_CANN_DENSE || u == CN_CANN_FFT ||
         u == (two_d ? CN_CANN_SEPARABLE : CN_CANN_SPECTRAL);
}

/* Must run first: CANNS_WISDOM is read at the first measured choice. */
TEST(corrupt_wisdom_in_environment_is_ignored) {
  const char *junk = "canns-wisdom 1\nCANN1D 200 float32 1 13 \xff\xfe garbage\n";
  write_text(path, junk, strlen(junk));
  setenv("CANNS_WISDOM", path, 1);
  cn_model *m = make(false, 200, CN_CANN_AUTO);
  CHECK(m && valid(m, false));
  cn_model_release(m);
  /* the measured choice replaced the corrupt file with a valid one */
  char *t = read_text(path);
  CHECK(t && strncmp(t, "canns-wisdom 1\nCANN1D 200 float32 ", 34) == 0);
  free(t);
}

TEST(measured_choice_round_trips_through_the_file) {
  cn_model *m = make(true, 12, CN_CANN_AUTO);
  CHECK(m && valid(m, true));
  cn_cann_method first = cn_cann_method_used(m);
  cn_model_release(m);
  char *t = read_text(path);
  CHECK(t && strstr(t, "\nCANN2D 12 float32 ") != NULL);
  free(t);
  /* export / forget / import: the same choice comes back */
  char other[300];
  snprintf(other, sizeof other, "%s/exported.txt", dir);
  CHECK_OK(cn_cann_wisdom_export(other));
  cn_cann_wisdom_forget();
  CHECK_OK(cn_cann_wisdom_import(other));
  m = make(true, 12, CN_CANN_AUTO);
  CHECK(cn_cann_method_used(m) == first);
  cn_model_release(m);
}

TEST(imported_choice_is_used_when_it_is_a_candidate) {
  /* CANN1D 200: the dense product is ~10x slower than the others, so a
   * model that takes it follows the file, not a measurement */
  char *t = read_text(path);
  char *line = t ? strstr(t, "CANN1D 200 float32 ") : NULL;
  CHECK(line != NULL);
  if (!line) {
    free(t);
    return;
  }
  int threads = 0;
  long long variant = 0;
  CHECK(sscanf(line, "CANN1D 200 float32 %d %lld", &threads, &variant) == 2);
  char text[512];
  int n = snprintf(text, sizeof text,
                   "canns-wisdom 1\nCANN1D 200 float32 %d %lld dense\n"
                   "CANN1D 2000 float32 %d %lld dense\n",
                   threads, variant, threads, variant);
  char forced[300];
  snprintf(forced, sizeof forced, "%s/forced.txt", dir);
  write_text(forced, text, (size_t)n);
  cn_cann_wisdom_forget();
  CHECK_OK(cn_cann_wisdom_import(forced));
  cn_model *m = make(false, 200, CN_CANN_AUTO);
  CHECK(cn_cann_method_used(m) == CN_CANN_DENSE);
  cn_model_release(m);
  /* dense is no candidate at 2000 neurons (its matrix is not built to be
   * timed): that entry is ignored and the choice measured */
  m = make(false, 2000, CN_CANN_AUTO);
  CHECK(m && cn_cann_method_used(m) != CN_CANN_DENSE && valid(m, false));
  cn_model_release(m);
  /* an explicit method is never overridden by the wisdom */
  m = make(false, 200, CN_CANN_SPECTRAL);
  CHECK(cn_cann_method_used(m) == CN_CANN_SPECTRAL);
  cn_model_release(m);
  free(t);
}

TEST(malformed_files_are_refused_as_a_whole) {
  char bad[300];
  snprintf(bad, sizeof bad, "%s/bad.txt", dir);
  const char *cases[] = {
      "",                                                   /* empty */
      "canns-wisdom 2\n",                                   /* other version */
      "CANN1D 200 float32 1 13 fft\n",                      /* no header */
      "canns-wisdom 1\nCANN1D 200 float32 1 13\n",          /* truncated line */
      "canns-wisdom 1\nCANN1D 200 float32 1 13 fft extra\n", /* trailing field */
      "canns-wisdom 1\nCANN3D 200 float32 1 13 fft\n",      /* unknown class */
      "canns-wisdom 1\nCANN1D -4 float32 1 13 fft\n",       /* bad size */
      "canns-wisdom 1\nCANN1D 200 int32 1 13 fft\n",        /* bad dtype */
      "canns-wisdom 1\nCANN1D 200 float32 0 13 fft\n",      /* bad threads */
      "canns-wisdom 1\nCANN1D 200 float32 1 13 auto\n",     /* not a method */
      "canns-wisdom 1\nCANN1D 200 float32 1 13 separable\n", /* 2-D only */
      "canns-wisdom 1\nCANN2D 20 float32 1 -1 spectral\n",  /* 1-D only */
      "canns-wisdom 1\nCANN1D 99999999999999999999 float32 1 13 fft\n",
  };
  cn_cann_wisdom_forget();
  CHECK_OK(cn_cann_wisdom_import(path)); /* a valid file: the state to keep */
  cn_model *m = make(false, 200, CN_CANN_AUTO);
  cn_cann_method before = cn_cann_method_used(m);
  cn_model_release(m);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    write_text(bad, cases[i], strlen(cases[i]));
    cn_status s = cn_cann_wisdom_import(bad);
    CHECK(s == CN_EFORMAT);
    if (s != CN_EFORMAT) fprintf(stderr, "case %zu was accepted\n", i);
  }
  write_text(bad, "canns-wisdom 1\n\0\0\0", 18); /* binary */
  CHECK_FAILS(cn_cann_wisdom_import(bad), CN_EFORMAT);
  char missing[300];
  snprintf(missing, sizeof missing, "%s/missing.txt", dir);
  CHECK_FAILS(cn_cann_wisdom_import(missing), CN_EIO);
  CHECK_FAILS(cn_cann_wisdom_import(dir), CN_EIO); /* a directory */
  char fifo[300];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  if (mkfifo(fifo, 0600) == 0) CHECK_FAILS(cn_cann_wisdom_import(fifo), CN_EIO); /* no wait */
  /* nothing of the refused files was taken */
  m = make(false, 200, CN_CANN_AUTO);
  CHECK(cn_cann_method_used(m) == before);
  cn_model_release(m);
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/wisdom.txt", dir);
  RUN(corrupt_wisdom_in_environment_is_ignored);
  RUN(measured_choice_round_trips_through_the_file);
  RUN(imported_choice_is_used_when_it_is_a_candidate);
  RUN(malformed_files_are_refused_as_a_whole);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return test_summary();
}
