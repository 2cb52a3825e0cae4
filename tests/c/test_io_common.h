/* canns — helpers shared by the array-file tests (tests/c/test_io*.c):
 * a private temporary directory, fixture paths and whole-file I/O. */
#ifndef CANNS_TEST_IO_COMMON_H
#define CANNS_TEST_IO_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canns/array.h"
#include "canns/io.h"
#include "test.h"

static char io_tmpdir[256];

/* Create the test's private directory (removed by io_cleanup). */
static inline void io_setup(void) {
  snprintf(io_tmpdir, sizeof io_tmpdir, "/tmp/canns_test_io_XXXXXX");
  if (!mkdtemp(io_tmpdir)) {
    perror("mkdtemp");
    exit(2);
  }
}

/* A path inside the private directory (static buffer, 4 in rotation). */
static inline const char *io_path(const char *name) { return test_join(io_tmpdir, name); }

/* Number of entries (other than . and ..) in the private directory. */
static inline int io_count_files(void) { return test_count_entries(io_tmpdir); }

static inline void io_cleanup(void) { test_remove_dir(io_tmpdir); }

static inline const char *fixture(const char *name) {
  static char bufs[4][1024];
  static int k = 0;
  char *b = bufs[k++ & 3];
  const char *src = getenv("CANNS_SOURCE_DIR");
  snprintf(b, 1024, "%s/spec/fixtures/io/%s", src ? src : ".", name);
  return b;
}

/* Whole file into a malloc'd buffer (exits on failure: fixtures must
 * exist). */
static inline unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s (is CANNS_SOURCE_DIR set?)\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(n ? (size_t)n : 1);
  if (fread(b, 1, (size_t)n, f) != (size_t)n) exit(2);
  fclose(f);
  *len = (size_t)n;
  return b;
}

static inline void spit(const char *path, const void *buf, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(buf, 1, len, f) != len) {
    perror(path);
    exit(2);
  }
  fclose(f);
}

/* Same dtype, shape and bytes. */
static inline int arrays_identical(const cn_array *a, const cn_array *b) {
  if (a->dtype != b->dtype || a->ndim != b->ndim || a->size != b->size)
    return 0;
  for (int i = 0; i < a->ndim; i++)
    if (a->shape[i] != b->shape[i]) return 0;
  return memcmp(a->data, b->data, (size_t)a->size * cn_dtype_size(a->dtype)) ==
         0;
}

/* A test array: element i is a dtype-appropriate function of i. */
static inline cn_array *pattern(cn_dtype t, int ndim, const int64_t *shape) {
  cn_array *a;
  if (cn_array_empty(&a, t, ndim, shape) != CN_OK) {
    fprintf(stderr, "pattern: %s\n", cn_errmsg());
    exit(2);
  }
  for (int64_t i = 0; i < a->size; i++) {
    switch (t) {
    case CN_FLOAT32: cn_f32(a)[i] = (float)(i * 0.37 - 3.1); break;
    case CN_FLOAT64: cn_f64(a)[i] = i * 1.0e-3 - 1.0 / 3.0; break;
    case CN_INT32: ((int32_t *)a->data)[i] = (int32_t)(i * 7919 - 100000); break;
    case CN_INT64: ((int64_t *)a->data)[i] = (int64_t)i * 1000000007LL - (1LL << 40); break;
    case CN_BOOL: ((uint8_t *)a->data)[i] = (i % 3) == 1; break;
    default: break;
    }
  }
  return a;
}

static inline int msg_has(const char *needle) {
  int ok = strstr(cn_errmsg(), needle) != NULL;
  if (!ok) fprintf(stderr, "  message '%s' lacks '%s'\n", cn_errmsg(), needle);
  return ok;
}

/* The arrays of make_io_fixtures.py, built here from the same formulas. */
static inline cn_array *expected(const char *name) {
  cn_array *a = NULL;
  if (!strcmp(name, "f4")) {
    int64_t s[2] = {3, 4};
    cn_array_empty(&a, CN_FLOAT32, 2, s);
    for (int i = 0; i < 12; i++) cn_f32(a)[i] = (float)((i - 5) / 4.0);
  } else if (!strcmp(name, "f8")) {
    static const double v[8] = {0.0, -1.5, 1e300, NAN, INFINITY, -INFINITY,
                                3.141592653589793, 0.1};
    cn_array_new1(&a, CN_FLOAT64, 8);
    memcpy(a->data, v, sizeof v);
  } else if (!strcmp(name, "i4")) {
    static const int32_t v[6] = {INT32_MIN, -1, 0, 1, INT32_MAX, 42};
    int64_t s[2] = {2, 3};
    cn_array_empty(&a, CN_INT32, 2, s);
    memcpy(a->data, v, sizeof v);
  } else if (!strcmp(name, "i8")) {
    cn_array_empty(&a, CN_INT64, 0, NULL);
    ((int64_t *)a->data)[0] = ((int64_t)1 << 62) + 1;
  } else if (!strcmp(name, "b1")) {
    int64_t s[3] = {2, 2, 2};
    cn_array_empty(&a, CN_BOOL, 3, s);
    for (int i = 0; i < 8; i++) ((uint8_t *)a->data)[i] = i % 3 == 0;
  } else if (!strcmp(name, "empty_f4")) {
    int64_t s[2] = {0, 3};
    cn_array_empty(&a, CN_FLOAT32, 2, s);
  }
  return a;
}

#endif
