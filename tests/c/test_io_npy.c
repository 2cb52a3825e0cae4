/* Tests of NPY reading and writing (src/io/npy.c): round trips of every
 * dtype and shape, numpy-written fixtures (spec/fixtures/io, made by
 * scripts/fixtures/make_io_fixtures.py), byte-identical headers, every
 * rejection path and every truncation of a valid file. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "canns/fileutil.h"
#include "test.h"
#include "test_io_common.h"

static const cn_dtype all_dtypes[] = {CN_FLOAT32, CN_FLOAT64, CN_INT32,
                                      CN_INT64, CN_BOOL};

TEST(roundtrip_every_dtype_and_shape) {
  static const struct {
    int ndim;
    int64_t shape[CN_MAXDIM];
  } shapes[] = {{0, {0}},       {1, {0}},          {2, {0, 3}},
                {2, {3, 0}},    {1, {7}},          {2, {3, 5}},
                {3, {2, 3, 4}}, {8, {1, 2, 1, 2, 1, 1, 2, 3}}};
  for (size_t t = 0; t < 5; t++)
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
      cn_array *a = pattern(all_dtypes[t], shapes[k].ndim, shapes[k].shape);
      void *buf;
      size_t len;
      CHECK_OK(cn_npy_format(a, &buf, &len));
      CHECK(len % 64 == (size_t)(a->size * cn_dtype_size(a->dtype)) % 64);
      cn_array *b = NULL;
      CHECK_OK(cn_npy_parse(buf, len, &b));
      CHECK(b && arrays_identical(a, b));
      cn_array_release(b);
      /* the same through a file */
      const char *p = io_path("rt.npy");
      CHECK_OK(cn_npy_save(p, a));
      size_t flen;
      unsigned char *fb = slurp(p, &flen);
      CHECK(flen == len && memcmp(fb, buf, len) == 0);
      free(fb);
      b = NULL;
      CHECK_OK(cn_npy_load(p, &b));
      CHECK(b && arrays_identical(a, b));
      cn_array_release(b);
      free(buf);
      cn_array_release(a);
    }
  CHECK(io_count_files() == 1); /* no temporary left behind */
  unlink(io_path("rt.npy"));
}

TEST(numpy_fixtures_read_exactly_and_match_our_bytes) {
  static const char *names[] = {"f4", "f8", "i4", "i8", "b1", "empty_f4"};
  for (int k = 0; k < 6; k++) {
    char fn[64];
    snprintf(fn, sizeof fn, "%s.npy", names[k]);
    cn_array *want = expected(names[k]), *got = NULL;
    CHECK_OK(cn_npy_load(fixture(fn), &got));
    CHECK(got && arrays_identical(got, want)); /* bitwise, NaN included */
    /* numpy's file and ours are the same bytes */
    size_t nlen, olen;
    unsigned char *nb = slurp(fixture(fn), &nlen);
    void *ob;
    CHECK_OK(cn_npy_format(want, &ob, &olen));
    CHECK(nlen == olen && memcmp(nb, ob, nlen) == 0);
    free(nb);
    free(ob);
    cn_array_release(got);
    cn_array_release(want);
  }
}

TEST(numpy_format_2_and_3_headers) {
  cn_array *want = expected("f8");
  const char *files[2] = {"f8_v2.npy", "f8_v3.npy"};
  for (int k = 0; k < 2; k++) {
    size_t len;
    unsigned char *b = slurp(fixture(files[k]), &len);
    CHECK(b[6] == 2 + k && b[7] == 0);
    cn_npy_header h;
    CHECK_OK(cn_npy_parse_header(b, len, &h));
    CHECK(h.version == 2 + k && h.header_len % 64 == 0);
    cn_array *got = NULL;
    CHECK_OK(cn_npy_parse(b, len, &got));
    CHECK(got && arrays_identical(got, want));
    cn_array_release(got);
    free(b);
  }
  cn_array_release(want);
}

/* Build an NPY buffer by hand: version, header text (used as is) and n
 * data bytes of value 0x11. */
static unsigned char *craft(int major, const char *header, size_t ndata,
                            size_t *len) {
  size_t hl = strlen(header), pre = major == 1 ? 10 : 12;
  *len = pre + hl + ndata;
  unsigned char *b = malloc(*len);
  memcpy(b, "\x93NUMPY", 6);
  b[6] = (unsigned char)major;
  b[7] = 0;
  for (size_t i = 0; i < pre - 8; i++) b[8 + i] = (hl >> (8 * i)) & 255;
  memcpy(b + pre, header, hl);
  memset(b + pre + hl, 0x11, ndata);
  return b;
}

TEST(hand_made_headers_of_each_version) {
  const char *hdr = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n";
  for (int major = 1; major <= 3; major++) {
    size_t len;
    unsigned char *b = craft(major, hdr, 8, &len);
    cn_array *a = NULL;
    CHECK_OK(cn_npy_parse(b, len, &a));
    CHECK(a && a->dtype == CN_INT32 && a->ndim == 1 && a->shape[0] == 2);
    CHECK(a && ((int32_t *)a->data)[1] == 0x11111111);
    cn_array_release(a);
    free(b);
  }
  /* Liberal but unambiguous spellings: double quotes, other key order,
   * no trailing comma, Python 2 long suffix, no padding, |b1 as <b1. */
  static const struct {
    const char *h;
    size_t ndata;
    cn_dtype t;
    int ndim;
  } ok[] = {
      {"{\"shape\": (3,), \"fortran_order\": False, \"descr\": \"<f8\"}", 24,
       CN_FLOAT64, 1},
      {"{'descr':'<f4','fortran_order':False,'shape':(2L, 3L)}", 24,
       CN_FLOAT32, 2},
      {"{'descr': '<b1', 'fortran_order': False, 'shape': ()}", 1, CN_BOOL, 0},
      {"  {'descr': '<i8', 'fortran_order': False, 'shape': ( 1 , )}\t\n  ",
       8, CN_INT64, 1},
  };
  for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) {
    size_t len;
    unsigned char *b = craft(1, ok[k].h, ok[k].ndata, &len);
    cn_array *a = NULL;
    CHECK_OK(cn_npy_parse(b, len, &a));
    CHECK(a && a->dtype == ok[k].t && a->ndim == ok[k].ndim);
    if (a && a->dtype == CN_BOOL) CHECK(((uint8_t *)a->data)[0] == 1);
    cn_array_release(a);
    free(b);
  }
}

TEST(numpy_files_of_unsupported_kinds_are_refused) {
  static const struct {
    const char *file;
    cn_status code;
    const char *msg;
  } cases[] = {
      {"reject_be_f8.npy", CN_EDTYPE, "big-endian"},
      {"reject_fortran.npy", CN_EFORMAT, "Fortran order"},
      {"reject_u1.npy", CN_EDTYPE, "'|u1' is not supported"},
      {"reject_c8.npy", CN_EDTYPE, "'<c8' is not supported"},
      {"reject_struct.npy", CN_EDTYPE, "structured"},
      {"reject_object.npy", CN_EDTYPE, "'|O' is not supported"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    cn_array *a = NULL;
    CHECK_FAILS(cn_npy_load(fixture(cases[k].file), &a), cases[k].code);
    CHECK(a == NULL);
    CHECK(msg_has(cases[k].msg));
    CHECK(msg_has(cases[k].file)); /* the path is named */
  }
}

TEST(malformed_headers_are_errors) {
  static const struct {
    const char *h;
    size_t ndata;
    cn_status code;
    const char *msg;
  } bad[] = {
      {"{'fortran_order': False, 'shape': (2,)}", 8, CN_EFORMAT, "missing key 'descr'"},
      {"{'descr': '<f4', 'shape': (2,)}", 8, CN_EFORMAT, "missing key 'fortran_order'"},
      {"{'descr': '<f4', 'fortran_order': False}", 8, CN_EFORMAT, "missing key 'shape'"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 8, CN_EFORMAT, "twice"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", 8, CN_EFORMAT, "unexpected key 'x'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", 8, CN_EFORMAT, "not a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", 8, CN_EFORMAT, "must be a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", 8, CN_EFORMAT, "negative"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", 8, CN_EFORMAT, "overflows"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", 8, CN_EFORMAT, "too large"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,)}", 8, CN_EFORMAT, "truncated"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1)}", 4, CN_EFORMAT, "more than 8 dimensions"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 9, CN_EFORMAT, "1 unexpected bytes"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 7, CN_EFORMAT, "truncated"},
      {"{'descr': '<f4', 'fortran_order': maybe, 'shape': (2,)}", 8, CN_EFORMAT, "True or False"},
      {"{'descr': 5, 'fortran_order': False, 'shape': (2,)}", 8, CN_EFORMAT, "quoted string"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", 8, CN_EFORMAT, "NPY header"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", 8, CN_EFORMAT, "after the dictionary"},
      {"{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", 8, CN_EFORMAT, "expected ','"},
      {"{'descr' '<f4', 'fortran_order': False, 'shape': (2,)}", 8, CN_EFORMAT, "expected ':'"},
      {"['descr', '<f4']", 8, CN_EFORMAT, "not a dictionary"},
      {"{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}", 4, CN_EDTYPE, "'<f2' is not supported"},
      {"{'descr': '>i4', 'fortran_order': False, 'shape': (2,)}", 8, CN_EDTYPE, "big-endian"},
      {"{'descr': 'f4', 'fortran_order': False, 'shape': (2,)}", 8, CN_EDTYPE, "'f4' is not supported"},
      {"{'descr': '', 'fortran_order': False, 'shape': (2,)}", 8, CN_EDTYPE, "is not supported"},
      {"{'descr': '<f4\\n', 'fortran_order': False, 'shape': (2,)}", 8, CN_EFORMAT, "unexpected character"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,,)}", 8, CN_EFORMAT, "malformed shape"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (,)}", 8, CN_EFORMAT, "malformed shape"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,", 8, CN_EFORMAT, "malformed shape"},
      {"", 0, CN_EFORMAT, "not a dictionary"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    size_t len;
    unsigned char *b = craft(1, bad[k].h, bad[k].ndata, &len);
    cn_array *a = NULL;
    cn_status s = cn_npy_parse(b, len, &a);
    CHECK(s == bad[k].code);
    if (s != bad[k].code) fprintf(stderr, "  case %zu: %s\n", k, cn_errmsg());
    CHECK(a == NULL);
    CHECK(msg_has(bad[k].msg));
    free(b);
  }
}

TEST(bad_prefixes_are_errors) {
  const char *hdr = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n";
  size_t len;
  unsigned char *b = craft(1, hdr, 8, &len);
  cn_array *a = NULL;
  b[0] = 'x';
  CHECK_FAILS(cn_npy_parse(b, len, &a), CN_EFORMAT);
  CHECK(msg_has("bad magic"));
  b[0] = 0x93;
  b[6] = 4;
  CHECK_FAILS(cn_npy_parse(b, len, &a), CN_EFORMAT);
  CHECK(msg_has("version 4.0"));
  b[6] = 1;
  b[7] = 1;
  CHECK_FAILS(cn_npy_parse(b, len, &a), CN_EFORMAT);
  CHECK(msg_has("version 1.1"));
  b[7] = 0;
  b[8] = 0xff;
  b[9] = 0xff; /* header length 65535 > what is present */
  CHECK_FAILS(cn_npy_parse(b, len, &a), CN_EFORMAT);
  CHECK(msg_has("truncated inside its header"));
  free(b);
  /* a 4 GiB header length in a version 2 file */
  b = craft(2, hdr, 8, &len);
  b[8] = b[9] = b[10] = b[11] = 0xff;
  CHECK_FAILS(cn_npy_parse(b, len, &a), CN_EFORMAT);
  CHECK(msg_has("exceeds the limit"));
  free(b);
  /* a NUL inside the header */
  char h2[80];
  snprintf(h2, sizeof h2, "%s", hdr);
  b = craft(1, h2, 8, &len);
  b[20] = 0;
  CHECK_FAILS(cn_npy_parse(b, len, &a), CN_EFORMAT);
  CHECK(msg_has("NUL"));
  free(b);
  CHECK_FAILS(cn_npy_parse("", 0, &a), CN_EFORMAT);
  CHECK_FAILS(cn_npy_parse(NULL, 0, &a), CN_EFORMAT);
  CHECK(a == NULL);
}

TEST(every_truncation_of_a_valid_file_is_an_error) {
  const char *names[2] = {"f4.npy", "f8_v2.npy"};
  for (int k = 0; k < 2; k++) {
    size_t len;
    unsigned char *b = slurp(fixture(names[k]), &len);
    const char *p = io_path("trunc.npy");
    int failures_before = test_failures;
    for (size_t n = 0; n < len; n++) {
      cn_array *a = NULL;
      CHECK_FAILS(cn_npy_parse(b, n, &a), CN_EFORMAT);
      CHECK(a == NULL);
      spit(p, b, n);
      CHECK_FAILS(cn_npy_load(p, &a), CN_EFORMAT);
      CHECK(a == NULL);
      if (test_failures != failures_before) {
        fprintf(stderr, "  first failure at length %zu of %s\n", n, names[k]);
        break;
      }
    }
    cn_array *a = NULL;
    CHECK_OK(cn_npy_parse(b, len, &a));
    cn_array_release(a);
    unlink(p);
    free(b);
  }
}

TEST(bool_bytes_are_normalised) {
  const char *hdr = "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }\n";
  size_t len;
  unsigned char *b = craft(1, hdr, 3, &len);
  b[len - 3] = 0;
  b[len - 2] = 2;
  b[len - 1] = 255;
  cn_array *a = NULL;
  CHECK_OK(cn_npy_parse(b, len, &a));
  uint8_t *v = a ? a->data : NULL;
  CHECK(v && v[0] == 0 && v[1] == 1 && v[2] == 1);
  cn_array_release(a);
  free(b);
}

TEST(file_errors) {
  cn_array *a = NULL, *x = pattern(CN_FLOAT32, 1, (int64_t[]){4});
  CHECK_FAILS(cn_npy_load(io_path("missing.npy"), &a), CN_EIO);
  CHECK(msg_has("missing.npy"));
  CHECK_FAILS(cn_npy_load(io_tmpdir, &a), CN_EIO);
  CHECK(msg_has("not a regular file"));
  CHECK_FAILS(cn_npy_load("", &a), CN_EINVAL);
  CHECK(a == NULL);
  /* a FIFO is refused before it is opened (fopen would wait for a writer) */
  char fifo[1024];
  snprintf(fifo, sizeof fifo, "%s", io_path("fifo.npy"));
  CHECK(mkfifo(fifo, 0600) == 0);
  CHECK_FAILS(cn_npy_load(fifo, &a), CN_EIO);
  CHECK(msg_has("not a regular file"));
  unlink(fifo);
  /* writing into a directory that does not exist, or onto a directory */
  CHECK_FAILS(cn_npy_save(io_path("no/such/dir/x.npy"), x), CN_EIO);
  CHECK_FAILS(cn_npy_save(io_tmpdir, x), CN_EIO);
  CHECK_FAILS(cn_npy_save(io_path("x.npy"), NULL), CN_EINVAL);
  CHECK(io_count_files() == 0);
  cn_array_release(x);
}

TEST(failed_write_keeps_old_file_and_leaves_no_temporary) {
  const char *p = io_path("keep.npy");
  cn_array *a = pattern(CN_INT32, 1, (int64_t[]){5}), *b = NULL;
  CHECK_OK(cn_npy_save(p, a));
  /* a bad array (invalid dtype) fails after nothing was renamed */
  cn_array bad = *a;
  bad.dtype = (cn_dtype)99;
  CHECK_FAILS(cn_npy_save(p, &bad), CN_EDTYPE);
  CHECK_OK(cn_npy_load(p, &b));
  CHECK(b && arrays_identical(a, b));
  CHECK(io_count_files() == 1);
  /* a read-only directory: the temporary cannot even be created */
  if (geteuid() != 0) {
    chmod(io_tmpdir, 0500);
    CHECK_FAILS(cn_npy_save(io_path("ro.npy"), a), CN_EIO);
    chmod(io_tmpdir, 0700);
    CHECK(io_count_files() == 1);
  }
  unlink(p);
  cn_array_release(a);
  cn_array_release(b);
}

TEST(header_padding_matches_numpy_rule) {
  /* numpy pads magic+length+dict+newline to a multiple of 64 with spaces;
   * check the rule for every rank and a long extent. */
  for (int nd = 0; nd <= CN_MAXDIM; nd++) {
    int64_t shape[CN_MAXDIM];
    for (int i = 0; i < nd; i++) shape[i] = i == 0 ? 123456789012LL : 1;
    void *h;
    size_t hl;
    CHECK_OK(cn_npy_make_header(CN_FLOAT64, nd, shape, &h, &hl));
    unsigned char *b = h;
    CHECK(hl % 64 == 0 && b[6] == 1 && b[hl - 1] == '\n');
    CHECK((size_t)(b[8] | b[9] << 8) == hl - 10);
    cn_npy_header ph;
    CHECK_OK(cn_npy_parse_header(h, hl, &ph));
    CHECK(ph.ndim == nd && ph.header_len == hl);
    for (int i = 0; i < nd; i++) CHECK(ph.shape[i] == shape[i]);
    free(h);
  }
  void *h;
  size_t hl;
  CHECK_FAILS(cn_npy_make_header((cn_dtype)7, 0, NULL, &h, &hl), CN_EDTYPE);
  CHECK_FAILS(cn_npy_make_header(CN_FLOAT32, 9, NULL, &h, &hl), CN_EINVAL);
}

/* Inputs that stop right after the magic or the length field.  (Crashing
 * inputs found by scripts/fuzz/ would be added here as regressions; the
 * runs recorded in scripts/fuzz/README.md found none.) */
TEST(tiny_inputs) {
  static const struct {
    const char *bytes;
    size_t len;
  } cases[] = {
      {"\x93NUMPY", 6},
      {"\x93NUMPY\x01\x00\x00\x00", 10},
      {"\x93NUMPY\x02\x00\x00\x00\x00", 11},
      {"\x93NUMPY\x03\x00\x01\x00\x00\x00{", 13},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    cn_array *a = NULL;
    CHECK(cn_npy_parse(cases[k].bytes, cases[k].len, &a) != CN_OK);
    CHECK(a == NULL);
  }
}

int main(void) {
  io_setup();
  RUN(roundtrip_every_dtype_and_shape);
  RUN(numpy_fixtures_read_exactly_and_match_our_bytes);
  RUN(numpy_format_2_and_3_headers);
  RUN(hand_made_headers_of_each_version);
  RUN(numpy_files_of_unsupported_kinds_are_refused);
  RUN(malformed_headers_are_errors);
  RUN(bad_prefixes_are_errors);
  RUN(every_truncation_of_a_valid_file_is_an_error);
  RUN(bool_bytes_are_normalised);
  RUN(file_errors);
  RUN(failed_write_keeps_old_file_and_leaves_no_temporary);
  RUN(header_padding_matches_numpy_rule);
  RUN(tiny_inputs);
  io_cleanup();
  return test_summary();
}
