/* Tests of the netCDF header checks made before nc_open
 * (src/io/nc_header.c): the corrupt files that crash netCDF-C's nc_open
 * (spec/fixtures/corrupt-netcdf/) give errors naming the file and the
 * field; valid CDF-1, CDF-2 and CDF-5 files made by ncgen (record
 * dimension, attributes of every type) still read; every truncation and
 * every 4-byte word of their headers set to extreme values gives a status,
 * never a crash or a runaway allocation. */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "canns/fileutil.h"
#include "test.h"
#include "test_io_common.h"

static const char *corrupt(const char *name) {
  static char b[1024];
  const char *src = getenv("CANNS_SOURCE_DIR");
  snprintf(b, sizeof b, "%s/spec/fixtures/corrupt-netcdf/%s", src ? src : ".", name);
  return b;
}

TEST(crashing_files_are_refused) {
  static const struct {
    const char *file, *field, *version;
  } cases[] = {
      {"oom-13-bytes.nc", "dimension count", "CDF-1"},
      {"segv-150-bytes.nc", "dimension count", "CDF-1"},
      {"huge-alloc-118-bytes.nc", "variable attribute count", "CDF-1"},
      /* found by scripts/fuzz/fuzz_nc.c: a CDF-5 dimension of length 2^63
       * makes nc_open divide by zero (SIGFPE in NC_check_vlen) */
      {"fpe-516-bytes.nc", "dimension length", "CDF-5"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cn_dataset *ds = NULL;
    char want[64];
    snprintf(want, sizeof want, "corrupt %s header", cases[i].version);
    CHECK_FAILS(cn_nc_load(corrupt(cases[i].file), &ds), CN_EFORMAT);
    CHECK(ds == NULL);
    CHECK(msg_has(cases[i].file) && msg_has(cases[i].field) && msg_has(want));
  }
}

/* A hand-made classic header, big-endian words appended one by one. */
typedef struct {
  unsigned char b[2048];
  size_t n;
} buf;

static void w32(buf *h, uint32_t v) {
  for (int i = 3; i >= 0; i--) h->b[h->n++] = (unsigned char)(v >> (8 * i));
}

static void wname(buf *h, const char *s, size_t len) {
  w32(h, (uint32_t)len);
  for (size_t i = 0; i < ((len + 3) & ~(size_t)3); i++)
    h->b[h->n++] = i < len ? (unsigned char)s[i % strlen(s)] : 0;
}

/* CDF-1: numrecs, the given dimensions, no attributes, one float variable
 * over dimension ids 0..nvd-1 (data: 4 bytes). */
static size_t cdf1(buf *h, uint32_t numrecs, int nd, const uint32_t *lens,
                   int nvd, size_t name_len) {
  h->n = 0;
  memcpy(h->b, "CDF\001", 4);
  h->n = 4;
  w32(h, numrecs);
  w32(h, 0x0A);
  w32(h, (uint32_t)nd);
  for (int d = 0; d < nd; d++) {
    wname(h, d == 0 ? "t" : "n", 1);
    w32(h, lens[d]);
  }
  w32(h, 0); /* no global attributes */
  w32(h, 0);
  w32(h, 0x0B);
  w32(h, 1);
  wname(h, "v", name_len);
  w32(h, (uint32_t)nvd);
  for (int d = 0; d < nvd; d++) w32(h, (uint32_t)d);
  w32(h, 0); /* no attributes */
  w32(h, 0);
  w32(h, 5); /* NC_FLOAT */
  w32(h, 4);
  w32(h, (uint32_t)(h->n + 8));
  w32(h, 0); /* the data */
  return h->n;
}

TEST(header_fields_against_the_file_size) {
  const char *p = io_path("hand.nc");
  buf h;
  cn_dataset *ds = NULL;
  /* the sound file: one value of a 1-long dimension */
  uint32_t one[] = {1};
  spit(p, h.b, cdf1(&h, 0, 1, one, 1, 1));
  CHECK_OK(cn_nc_load(p, &ds));
  cn_var *v = ds ? cn_dataset_find(ds, "v") : NULL;
  CHECK(v && v->array->size == 1);
  cn_dataset_free(ds);
  ds = NULL;
  /* a fixed variable of 2^31-1 values in an 80-byte file */
  uint32_t huge[] = {0x7fffffffu};
  spit(p, h.b, cdf1(&h, 0, 1, huge, 1, 1));
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("hand.nc") && msg_has("variable dimensions") &&
        msg_has("more than the file's size allows"));
  /* a dimension length above CDF-1's INT32 */
  uint32_t neg[] = {0x80000000u};
  spit(p, h.b, cdf1(&h, 0, 1, neg, 1, 1));
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("dimension length") && msg_has("above the format's limit"));
  /* a record variable: without records a record may be large ... */
  uint32_t rec[] = {0, 1000000};
  spit(p, h.b, cdf1(&h, 0, 2, rec, 2, 1));
  CHECK_OK(cn_nc_load(p, &ds));
  v = ds ? cn_dataset_find(ds, "v") : NULL;
  CHECK(v && v->array->ndim == 2 && v->array->shape[0] == 0 &&
        v->array->shape[1] == 1000000);
  cn_dataset_free(ds);
  ds = NULL;
  /* ... but not unrepresentable, and once there are records it must fit */
  spit(p, h.b, cdf1(&h, 1, 2, rec, 2, 1));
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("variable dimensions"));
  uint32_t rec3[] = {0, 0x7fffffffu, 0x7fffffffu};
  spit(p, h.b, cdf1(&h, 0, 3, rec3, 3, 1));
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("values per record, more than"));
  /* a variable over a dimension that does not exist */
  spit(p, h.b, cdf1(&h, 0, 1, one, 2, 1));
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("variable dimension id") && msg_has("the file has 1 dimensions"));
  /* names: 256 bytes is netCDF's limit (and our buffers'), 257 is not */
  spit(p, h.b, cdf1(&h, 0, 1, one, 1, 256));
  CHECK_OK(cn_nc_load(p, &ds));
  cn_dataset_free(ds);
  ds = NULL;
  spit(p, h.b, cdf1(&h, 0, 1, one, 1, 257));
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("variable name") && msg_has("has length 257, outside 1..256"));
  unlink(p);
}

TEST(signatures) {
  cn_dataset *ds = NULL;
  const char *p = io_path("sig.nc");
  spit(p, "CDF\003\0\0\0\0", 8); /* no CDF-3 */
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("neither a classic (CDF-1/2/5) nor an HDF5"));
  spit(p, "", 0);
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  spit(p, "CDF", 3);
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  spit(p, "CDF\001", 4);
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("record count"));
  /* the smallest valid classic file: no dimensions, attributes, variables */
  static const unsigned char empty[32] = {'C', 'D', 'F', 1};
  spit(p, empty, 4 + 4 + 8 * 3);
  CHECK_OK(cn_nc_load(p, &ds));
  CHECK(ds && ds->nvars == 0);
  cn_dataset_free(ds);
  ds = NULL;
  /* an absent list (tag 0) with a count */
  unsigned char bad[32] = {'C', 'D', 'F', 1};
  bad[15] = 1;
  spit(p, bad, sizeof bad);
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("dimension count") && msg_has("absent"));
  unlink(p);
}

static int ncgen(const char *cdl, const char *kind, const char *out) {
  const char *src = io_path("in.cdl");
  spit(src, cdl, strlen(cdl));
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "ncgen -k %s -o '%s' '%s'", kind, out, src);
  int rc = system(cmd);
  unlink(src);
  return rc == 0 && cn_file_exists(out);
}

static const char *cdl_classic =
    "netcdf c {\n"
    "dimensions: time = UNLIMITED ; neuron = 3 ; longer_dimension_name = 5 ;\n"
    "variables:\n"
    "  float u(time, neuron) ; u:units = \"a.u.\" ; u:scale = 0.5f, 2.f ;\n"
    "  double x(neuron) ; x:b = 1b, 2b, 3b ; x:s = 7s ; x:i = 1, 2, 3, 4, 5 ;\n"
    "  int k(longer_dimension_name) ;\n"
    "  short t ;\n"
    "  byte flags(time) ;\n"
    "  :title = \"corrupt-header test\" ; :dt = 0.1 ;\n"
    "data:\n"
    "  u = 1, 2, 3, 4, 5, 6 ;\n  x = 0.25, 0.5, 0.75 ;\n  k = 1, 2, 3, 4, 5 ;\n"
    "  t = 9 ;\n  flags = 1, 0 ;\n"
    "}\n";

/* CDF-5 adds the unsigned and 64-bit types. */
static const char *cdl_cdf5 =
    "netcdf c5 {\n"
    "dimensions: n = 2 ;\n"
    "variables:\n"
    "  int64 big(n) ; big:u8 = 5ull ; big:l = -5ll ;\n"
    "  uint ui(n) ; ui:us = 65535us ;\n"
    "  ubyte ub(n) ;\n"
    "data:\n  big = 1, -2 ;\n  ui = 4000000000, 1 ;\n  ub = 255, 0 ;\n"
    "}\n";

/* Load every truncation of the file, and the file with each header word
 * (4-byte aligned, within the first hdr_bytes) set to extreme values: a
 * status each time, never a result for a truncated header. */
static void mutate_all(const char *path, size_t hdr_bytes) {
  size_t len;
  unsigned char *b = slurp(path, &len);
  const char *q = io_path("mut.nc");
  char qq[1200];
  snprintf(qq, sizeof qq, "%s", q);
  cn_dataset *ds = NULL;
  for (size_t n = 0; n < len; n++) {
    spit(qq, b, n);
    cn_status s = cn_nc_load(qq, &ds);
    if (n < hdr_bytes) CHECK(s != CN_OK);
    if (s != CN_OK) CHECK(ds == NULL);
    cn_dataset_free(ds);
    ds = NULL;
  }
  static const uint32_t words[] = {0xffffffffu, 0x7fffffffu, 0x80000000u,
                                   0x00ffffffu, 0x00010000u, 0};
  if (hdr_bytes > len) hdr_bytes = len;
  int refused = 0, tried = 0;
  for (size_t off = 4; off + 4 <= hdr_bytes; off += 4) {
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
      unsigned char *m = malloc(len);
      memcpy(m, b, len);
      m[off] = (unsigned char)(words[w] >> 24);
      m[off + 1] = (unsigned char)(words[w] >> 16);
      m[off + 2] = (unsigned char)(words[w] >> 8);
      m[off + 3] = (unsigned char)words[w];
      spit(qq, m, len);
      free(m);
      cn_status s = cn_nc_load(qq, &ds);
      tried++;
      if (s != CN_OK) {
        refused++;
        CHECK(ds == NULL);
      }
      cn_dataset_free(ds);
      ds = NULL;
    }
  }
  CHECK(refused > tried / 4); /* most extreme counts cannot fit */
  unlink(qq);
  free(b);
}

TEST(valid_classic_files_still_read_and_mutations_never_crash) {
  if (system("command -v ncgen >/dev/null 2>&1") != 0) {
    printf("  (ncgen not installed: skipped; install netcdf-bin)\n");
    return;
  }
  static const struct {
    const char *kind, *name;
  } kinds[] = {{"1", "CDF-1"}, {"2", "CDF-2"}, {"5", "CDF-5"}};
  char p[512];
  snprintf(p, sizeof p, "%s", io_path("valid.nc"));
  for (size_t k = 0; k < 3; k++) {
    const char *cdl = k == 2 ? cdl_cdf5 : cdl_classic;
    unlink(p);
    CHECK(ncgen(cdl, kinds[k].kind, p));
    cn_dataset *ds = NULL;
    CHECK_OK(cn_nc_load(p, &ds));
    if (k < 2) {
      cn_var *u = ds ? cn_dataset_find(ds, "u") : NULL;
      CHECK(u && u->array->shape[0] == 2 && cn_f32(u->array)[5] == 6.0f);
      const cn_attr *a = ds ? cn_dataset_attr(ds, "x", "i") : NULL;
      CHECK(a && a->values->size == 5);
      a = ds ? cn_dataset_attr(ds, NULL, "title") : NULL;
      CHECK(a && !strcmp(a->text, "corrupt-header test"));
    } else {
      cn_var *ui = ds ? cn_dataset_find(ds, "ui") : NULL;
      CHECK(ui && ((int64_t *)ui->array->data)[0] == 4000000000LL);
    }
    cn_dataset_free(ds);
    struct stat st;
    stat(p, &st);
    /* the data of these files is under 200 bytes: what precedes is header */
    size_t hdr = (size_t)st.st_size > 200 ? (size_t)st.st_size - 200 : 0;
    printf("  %s: %lld bytes, mutating the first %zu\n", kinds[k].name,
           (long long)st.st_size, hdr);
    mutate_all(p, hdr);
  }
  unlink(p);
}

static int ncgen(const char *cdl, const char *kind, const char *out);

/* netCDF-4: a chunk is read whole, so its size (from the header) is
 * bounded like a variable's.  ncgen writes the chunk sizes asked for; the
 * 2 GiB chunks of `u` are never written (the file is ~12 KB). */
TEST(netcdf4_chunks_are_bounded) {
  if (system("command -v ncgen >/dev/null 2>&1") != 0) {
    printf("  (ncgen not installed: skipped; install netcdf-bin)\n");
    return;
  }
  static const char *cdl =
      "netcdf c { dimensions: time = UNLIMITED ; variables:\n"
      "  double u(time) ; u:_ChunkSizes = %d ; double v(time) ;\n"
      "data: v = 1, 2 ; }\n";
  char text[512], p[512];
  snprintf(p, sizeof p, "%s", io_path("chunks.nc"));
  cn_dataset *ds = NULL;
  snprintf(text, sizeof text, cdl, 1 << 28);
  CHECK(ncgen(text, "nc4", p));
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(msg_has("chunks.nc") && msg_has("variable 'u' has chunks of 2147483648 bytes"));
  unlink(p);
  snprintf(text, sizeof text, cdl, 1 << 10);
  CHECK(ncgen(text, "nc4", p));
  CHECK_OK(cn_nc_load(p, &ds));
  cn_var *u = ds ? cn_dataset_find(ds, "u") : NULL;
  CHECK(u && u->array->size == 2);
  cn_dataset_free(ds);
  unlink(p);
}

int main(void) {
  io_setup();
  RUN(crashing_files_are_refused);
  RUN(header_fields_against_the_file_size);
  RUN(netcdf4_chunks_are_bounded);
  RUN(signatures);
  RUN(valid_classic_files_still_read_and_mutations_never_crash);
  io_cleanup();
  return test_summary();
}
