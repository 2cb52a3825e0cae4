/* canns — a minimal harness for the C unit tests.
 *
 *   TEST(name) { CHECK(cond); CHECK_NEAR(a, b, tol); CHECK_OK(status); }
 *   int main(void) { RUN(name); return test_summary(); }
 *
 * A failed check prints file:line and the condition and marks the test
 * failed; the executable exits non-zero if any check failed.
 */
#ifndef CANNS_TEST_H
#define CANNS_TEST_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canns/array.h"
#include "canns/error.h"
#include "canns/io.h"

static int test_failures = 0, test_checks = 0, test_count = 0;

#define TEST(name) static void name(void)
#define RUN(name)                                                             \
  do {                                                                        \
    int before_ = test_failures;                                              \
    test_count++;                                                             \
    name();                                                                   \
    printf("%s %s\n", test_failures == before_ ? "ok  " : "FAIL", #name);     \
  } while (0)

#define CHECK(cond)                                                           \
  do {                                                                        \
    test_checks++;                                                            \
    if (!(cond)) {                                                            \
      test_failures++;                                                        \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                         \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                                 \
  do {                                                                        \
    double a_ = (a), b_ = (b), t_ = (tol);                                    \
    test_checks++;                                                            \
    if (!(fabs(a_ - b_) <= t_)) {                                             \
      test_failures++;                                                        \
      fprintf(stderr, "%s:%d: %s = %.9g, expected %s = %.9g (tol %g)\n",       \
              __FILE__, __LINE__, #a, a_, #b, b_, t_);                        \
    }                                                                         \
  } while (0)

#define CHECK_OK(expr)                                                        \
  do {                                                                        \
    cn_status s_ = (expr);                                                    \
    test_checks++;                                                            \
    if (s_ != CN_OK) {                                                        \
      test_failures++;                                                        \
      fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #expr,    \
              cn_errmsg());                                                   \
    }                                                                         \
  } while (0)

#define CHECK_FAILS(expr, code)                                               \
  do {                                                                        \
    cn_status s_ = (expr);                                                    \
    test_checks++;                                                            \
    if (s_ != (code)) {                                                       \
      test_failures++;                                                        \
      fprintf(stderr, "%s:%d: %s returned %d, expected %d\n", __FILE__,       \
              __LINE__, #expr, (int)s_, (int)(code));                         \
    }                                                                         \
  } while (0)

/* A fixture: spec/fixtures/<subdir>/<name>.npy under $CANNS_SOURCE_DIR.
 * A missing fixture ends the test program with a message. */
static inline cn_array *test_fixture(const char *subdir, const char *name) {
  char path[1024];
  const char *src = getenv("CANNS_SOURCE_DIR");
  snprintf(path, sizeof path, "%s/spec/fixtures/%s/%s.npy", src ? src : ".", subdir, name);
  cn_array *a = NULL;
  if (cn_npy_load(path, &a) != CN_OK) {
    fprintf(stderr, "cannot load fixture %s/%s: %s\n", subdir, name, cn_errmsg());
    exit(1);
  }
  return a;
}

/* max |a - b| / max |b| (infinite for different sizes or any NaN). */
static inline double test_rel_maxdiff(const cn_array *a, const cn_array *b) {
  if (a->size != b->size) return INFINITY;
  double md = 0, mb = 0;
  for (int64_t i = 0; i < a->size; i++) {
    double x = cn_array_getd(a, i), y = cn_array_getd(b, i);
    if (isnan(x - y)) return INFINITY;
    md = fmax(md, fabs(x - y));
    mb = fmax(mb, fabs(y));
  }
  return mb > 0 ? md / mb : md;
}

/* Entries of a directory other than . and .. (hidden temporary files
 * included): checks that a failed write left nothing behind. */
static inline int test_count_entries(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  if (d) closedir(d);
  return n;
}

/* "dir/name" in a static buffer (4 in rotation: up to four paths from one
 * call may be alive at once). */
static inline const char *test_join(const char *dir, const char *name) {
  static char buf[4][1200];
  static int k = 0;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

/* Make a fresh directory "<$CANNS_BUILD_DIR or /tmp>/test-out-<tag>-XXXXXX"
 * in dir (n bytes); returns 0 (after perror) when it cannot. */
static inline int test_make_outdir(char *dir, size_t n, const char *tag) {
  const char *b = getenv("CANNS_BUILD_DIR");
  snprintf(dir, n, "%s/test-out-%s-XXXXXX", b && *b ? b : "/tmp", tag);
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 0;
  }
  return 1;
}

/* Remove the files in a test's private directory, then the directory. */
static inline void test_remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) unlink(test_join(dir, e->d_name));
  if (d) closedir(d);
  rmdir(dir);
}

static inline int test_summary(void) {
  printf("%d tests, %d checks, %d failures\n", test_count, test_checks,
         test_failures);
  return test_failures ? 1 : 0;
}

#endif
