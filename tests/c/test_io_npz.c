/* Tests of NPZ reading and writing (src/io/npz.c): round trips, numpy's
 * savez / savez_compressed fixtures, and archives corrupted on purpose
 * (renamed, inflated sizes, flipped bytes, truncated at every length). */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <string.h>

#include "test.h"
#include "test_io_common.h"

/* A dataset of several arrays: every dtype, 0-d, empty, 3-d, and one
 * large compressible member. */
static cn_dataset *sample(void) {
  cn_dataset *ds;
  cn_dataset_new(&ds);
  struct {
    const char *name;
    cn_dtype t;
    int nd;
    int64_t shape[3];
  } v[] = {{"u", CN_FLOAT32, 2, {3, 5}},  {"x", CN_FLOAT64, 1, {7}},
           {"idx", CN_INT32, 3, {2, 3, 4}}, {"n", CN_INT64, 0, {0}},
           {"mask", CN_BOOL, 1, {9}},     {"empty", CN_FLOAT32, 2, {0, 4}},
           {"big", CN_FLOAT64, 1, {20000}}};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    cn_array *a = pattern(v[i].t, v[i].nd, v[i].shape);
    if (!strcmp(v[i].name, "big")) cn_array_fill(a, 0.25);
    cn_dataset_add(ds, v[i].name, a, NULL);
    cn_array_release(a);
  }
  return ds;
}

static int datasets_identical(const cn_dataset *a, const cn_dataset *b) {
  if (a->nvars != b->nvars) return 0;
  for (int i = 0; i < a->nvars; i++)
    if (strcmp(a->vars[i].name, b->vars[i].name) ||
        !arrays_identical(a->vars[i].array, b->vars[i].array))
      return 0;
  return 1;
}

TEST(roundtrip_compressed_and_stored) {
  cn_dataset *ds = sample();
  for (int compress = 0; compress <= 1; compress++) {
    const char *p = io_path("rt.npz");
    CHECK_OK(cn_npz_save(p, ds, compress));
    cn_dataset *back = NULL;
    CHECK_OK(cn_npz_load(p, &back));
    CHECK(back && datasets_identical(ds, back));
    /* member names and default dims */
    CHECK(back && !strcmp(back->vars[0].dims[1], "u_dim2"));
    size_t len;
    unsigned char *b = slurp(p, &len);
    /* "big" alone is 160 kB raw: deflate shrinks the archive a lot */
    if (compress) CHECK(len < 20000);
    else CHECK(len > 160000);
    CHECK(memmem(b, len, "u.npy", 5) && memmem(b, len, "mask.npy", 8));
    cn_dataset *mem = NULL;
    CHECK_OK(cn_npz_parse(b, len, &mem));
    CHECK(mem && datasets_identical(ds, mem));
    /* the archive depends on the contents only (fixed time stamps) */
    CHECK_OK(cn_npz_save(io_path("rt2.npz"), ds, compress));
    size_t len2;
    unsigned char *b2 = slurp(io_path("rt2.npz"), &len2);
    CHECK(len == len2 && memcmp(b, b2, len) == 0);
    free(b2);
    free(b);
    cn_dataset_free(back);
    cn_dataset_free(mem);
  }
  CHECK(io_count_files() == 2);
  unlink(io_path("rt.npz"));
  unlink(io_path("rt2.npz"));
  cn_dataset_free(ds);
}

TEST(numpy_savez_fixtures) {
  static const struct {
    const char *file;
    const char *names[3];
  } f[] = {{"savez.npz", {"f4", "i8", "b1"}},
           {"savez_compressed.npz", {"f8", "i4", "empty_f4"}}};
  for (int k = 0; k < 2; k++) {
    cn_dataset *ds = NULL;
    CHECK_OK(cn_npz_load(fixture(f[k].file), &ds));
    CHECK(ds && ds->nvars == 3);
    for (int i = 0; ds && i < 3; i++) {
      cn_var *v = cn_dataset_find(ds, f[k].names[i]);
      cn_array *want = expected(f[k].names[i]);
      CHECK(v && arrays_identical(v->array, want));
      cn_array_release(want);
    }
    cn_dataset_free(ds);
  }
}

TEST(empty_archive) {
  cn_dataset *ds, *back = NULL;
  cn_dataset_new(&ds);
  const char *p = io_path("empty.npz");
  CHECK_OK(cn_npz_save(p, ds, true));
  CHECK_OK(cn_npz_load(p, &back));
  CHECK(back && back->nvars == 0);
  unlink(p);
  cn_dataset_free(ds);
  cn_dataset_free(back);
}

/* Replace every occurrence of `from` by `to` (same length). */
static int replace_all(unsigned char *b, size_t len, const char *from,
                       const char *to) {
  size_t n = strlen(from);
  int count = 0;
  for (size_t i = 0; i + n <= len; i++)
    if (!memcmp(b + i, from, n)) {
      memcpy(b + i, to, n);
      count++;
    }
  return count;
}

static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (v >> (8 * i)) & 255;
}

/* An archive of arrays "a" (5 float32) and "b" (a large float64 zeros). */
static unsigned char *two_members(bool compress, size_t *len) {
  cn_dataset *ds;
  cn_dataset_new(&ds);
  cn_array *a = pattern(CN_FLOAT32, 1, (int64_t[]){5}), *b;
  cn_array_zeros(&b, CN_FLOAT64, 1, (int64_t[]){4000});
  cn_dataset_add(ds, "a", a, NULL);
  cn_dataset_add(ds, "b", b, NULL);
  const char *p = io_path("two.npz");
  if (cn_npz_save(p, ds, compress) != CN_OK) exit(2);
  unsigned char *buf = slurp(p, len);
  unlink(p);
  cn_array_release(a);
  cn_array_release(b);
  cn_dataset_free(ds);
  return buf;
}

static cn_status parse(const unsigned char *b, size_t len) {
  cn_dataset *ds = NULL;
  cn_status s = cn_npz_parse(b, len, &ds);
  if ((s == CN_OK) != (ds != NULL)) {
    fprintf(stderr, "  status and result disagree\n");
    test_failures++;
  }
  cn_dataset_free(ds);
  return s;
}

TEST(corrupt_archives_are_errors) {
  size_t len;
  unsigned char *b;

  b = two_members(true, &len);
  CHECK(replace_all(b, len, "b.npy", "b.npz") == 2);
  CHECK_FAILS(parse(b, len), CN_EFORMAT);
  CHECK(msg_has("'b.npz' is not an .npy file"));
  free(b);

  b = two_members(true, &len);
  CHECK(replace_all(b, len, "b.npy", "a.npy") == 2);
  CHECK(parse(b, len) != CN_OK);
  free(b);

  /* A zip bomb: claim 2 GiB of output for a member of a few bytes, in the
   * local header and in the central directory. */
  b = two_members(true, &len);
  for (size_t i = 0; i + 4 <= len; i++) {
    if (!memcmp(b + i, "PK\3\4", 4) && !memcmp(b + i + 30, "b.npy", 5))
      put32(b + i + 22, 0x7fffffffu);
    if (!memcmp(b + i, "PK\1\2", 4) && !memcmp(b + i + 46, "b.npy", 5))
      put32(b + i + 24, 0x7fffffffu);
  }
  CHECK_FAILS(parse(b, len), CN_EFORMAT);
  CHECK(msg_has("impossible ratio"));
  free(b);

  /* A stored member whose NPY header disagrees with the member size. */
  b = two_members(false, &len);
  CHECK(replace_all(b, len, "(5,)", "(6,)") == 1);
  CHECK_FAILS(parse(b, len), CN_EFORMAT);
  CHECK(msg_has("header announces"));
  free(b);

  /* A stored member whose two sizes differ. */
  b = two_members(false, &len);
  for (size_t i = 0; i + 4 <= len; i++)
    if (!memcmp(b + i, "PK\1\2", 4) && !memcmp(b + i + 46, "a.npy", 5))
      put32(b + i + 24, 100);
  CHECK(parse(b, len) == CN_EFORMAT);
  free(b);

  /* Flipped bytes in compressed data and in stored data (CRC). */
  b = two_members(true, &len);
  size_t first_b = 0;
  for (size_t i = 0; i + 4 <= len; i++)
    if (!memcmp(b + i, "PK\3\4", 4) && !memcmp(b + i + 30, "b.npy", 5))
      first_b = i + 30 + 5 + (b[i + 28] | b[i + 29] << 8);
  CHECK(first_b > 0);
  b[first_b + 10] ^= 0x5a;
  b[first_b + 11] ^= 0xa5;
  CHECK_FAILS(parse(b, len), CN_EFORMAT);
  free(b);
  b = two_members(false, &len);
  unsigned char *data = memmem(b, len, "\x93NUMPY", 6);
  CHECK(data != NULL);
  if (data) data[140] ^= 1;
  CHECK_FAILS(parse(b, len), CN_EFORMAT);
  CHECK(msg_has("a.npy"));
  free(b);

  /* Not a zip at all. */
  CHECK_FAILS(parse((const unsigned char *)"hello world", 11), CN_EFORMAT);
  CHECK(msg_has("not a readable NPZ"));
  CHECK_FAILS(parse(NULL, 0), CN_EFORMAT);
}

TEST(every_truncation_is_an_error) {
  for (int compress = 0; compress <= 1; compress++) {
    size_t len;
    unsigned char *b = two_members(compress, &len);
    CHECK(parse(b, len) == CN_OK);
    int before = test_failures;
    for (size_t n = 0; n < len; n++) {
      unsigned char *c = malloc(n ? n : 1);
      memcpy(c, b, n);
      CHECK(parse(c, n) == CN_EFORMAT);
      free(c);
      if (test_failures != before) {
        fprintf(stderr, "  truncation at %zu of %zu accepted\n", n, len);
        break;
      }
    }
    /* and a few through a file */
    const char *p = io_path("trunc.npz");
    for (size_t n = 0; n < len; n += len / 7 + 1) {
      spit(p, b, n);
      cn_dataset *ds = NULL;
      CHECK_FAILS(cn_npz_load(p, &ds), CN_EFORMAT);
      CHECK(ds == NULL && msg_has("trunc.npz"));
    }
    unlink(p);
    free(b);
  }
}

TEST(file_errors_and_atomic_writes) {
  cn_dataset *ds = sample(), *back = NULL;
  CHECK_FAILS(cn_npz_load(io_path("missing.npz"), &back), CN_EIO);
  CHECK(msg_has("missing.npz"));
  CHECK(cn_npz_load(io_tmpdir, &back) != CN_OK);
  CHECK(back == NULL);
  CHECK_FAILS(cn_npz_save(io_path("no/dir/x.npz"), ds, true), CN_EIO);
  CHECK_FAILS(cn_npz_save("", ds, true), CN_EINVAL);
  CHECK_FAILS(cn_npz_save(io_path("x.npz"), NULL, true), CN_EINVAL);
  /* a failure while adding members leaves neither file nor temporary */
  ds->vars[3].array->dtype = (cn_dtype)42;
  CHECK_FAILS(cn_npz_save(io_path("x.npz"), ds, true), CN_EDTYPE);
  ds->vars[3].array->dtype = CN_INT64;
  CHECK(io_count_files() == 0);
  cn_dataset_free(ds);
}

int main(void) {
  io_setup();
  RUN(roundtrip_compressed_and_stored);
  RUN(numpy_savez_fixtures);
  RUN(empty_archive);
  RUN(corrupt_archives_are_errors);
  RUN(every_truncation_is_an_error);
  RUN(file_errors_and_atomic_writes);
  io_cleanup();
  return test_summary();
}
