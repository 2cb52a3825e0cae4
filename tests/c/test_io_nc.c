/* Tests of netCDF-4 reading and writing (src/io/netcdf.c): round trips of
 * every dtype with dimension names and attributes, the file as ncdump sees
 * it, files made by ncgen (other netCDF types, classic format), and the
 * errors: conflicting dimensions, bad names, corrupt files. */
#include <stdint.h>
#include <string.h>

#include "canns/fileutil.h"
#include "test.h"
#include "test_io_common.h"

static int have_tool(const char *tool) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
  return system(cmd) == 0;
}

/* Output of a shell command (static buffer). */
static const char *run(const char *cmd) {
  static char out[16384];
  out[0] = 0;
  FILE *p = popen(cmd, "r");
  if (!p) return out;
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = 0;
  pclose(p);
  return out;
}

static cn_dataset *sample(void) {
  cn_dataset *ds;
  cn_dataset_new(&ds);
  cn_array *u = pattern(CN_FLOAT32, 2, (int64_t[]){4, 3});
  cn_array *x = pattern(CN_FLOAT64, 1, (int64_t[]){3});
  cn_array *idx = pattern(CN_INT32, 2, (int64_t[]){2, 2});
  cn_array *n = pattern(CN_INT64, 0, NULL);
  cn_array *mask = pattern(CN_BOOL, 1, (int64_t[]){4});
  cn_array *e = pattern(CN_FLOAT32, 2, (int64_t[]){0, 2});
  ((int64_t *)n->data)[0] = INT64_MIN + 5;
  cn_dataset_add(ds, "u", u, (const char *[]){"time", "neuron"});
  cn_dataset_add(ds, "x", x, (const char *[]){"neuron"});
  cn_dataset_add(ds, "idx", idx, NULL);
  cn_dataset_add(ds, "n", n, NULL);
  cn_dataset_add(ds, "mask", mask, (const char *[]){"time"});
  cn_dataset_add(ds, "empty", e, (const char *[]){"none", NULL});
  cn_dataset_set_text(ds, NULL, "title", "run 1");
  cn_dataset_set_number(ds, NULL, "version", 1.5);
  cn_array *ints = pattern(CN_INT32, 1, (int64_t[]){3});
  cn_dataset_set_values(ds, NULL, "ints", ints);
  cn_dataset_set_text(ds, "u", "units", "a.u.");
  cn_dataset_set_text(ds, "u", "long_name", "firing rate");
  cn_array *sc = pattern(CN_FLOAT32, 1, (int64_t[]){2});
  cn_dataset_set_values(ds, "u", "scale", sc);
  cn_array *big = pattern(CN_INT64, 1, (int64_t[]){2});
  cn_dataset_set_values(ds, "x", "big", big);
  cn_dataset_set_text(ds, "x", "empty_text", "");
  cn_array *none;
  cn_array_new1(&none, CN_FLOAT64, 0);
  cn_dataset_set_values(ds, "mask", "nothing", none);
  cn_array *arrs[] = {u, x, idx, n, mask, e, ints, sc, big, none};
  for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++)
    cn_array_release(arrs[i]);
  return ds;
}

static int attrs_equal(const cn_attr *a, int na, const cn_attr *b, int nb) {
  if (na != nb) return 0;
  for (int i = 0; i < na; i++) {
    const cn_attr *y = NULL;
    for (int j = 0; j < nb; j++)
      if (!strcmp(a[i].name, b[j].name)) y = &b[j];
    if (!y || y->kind != a[i].kind) return 0;
    if (a[i].kind == CN_ATTR_TEXT && strcmp(a[i].text, y->text)) return 0;
    if (a[i].kind == CN_ATTR_ARRAY && !arrays_identical(a[i].values, y->values))
      return 0;
  }
  return 1;
}

static void check_same(const cn_dataset *a, const cn_dataset *b) {
  CHECK(a->nvars == b->nvars);
  for (int i = 0; i < a->nvars && i < b->nvars; i++) {
    const cn_var *v = &a->vars[i], *w = &b->vars[i];
    CHECK(!strcmp(v->name, w->name));
    CHECK(arrays_identical(v->array, w->array));
    for (int d = 0; d < v->array->ndim && d < w->array->ndim; d++)
      CHECK(!strcmp(v->dims[d], w->dims[d]));
    CHECK(attrs_equal(v->attrs, v->nattrs, w->attrs, w->nattrs));
  }
  CHECK(attrs_equal(a->attrs, a->nattrs, b->attrs, b->nattrs));
}

TEST(roundtrip_with_dims_and_attributes) {
  cn_dataset *ds = sample();
  CHECK(!strcmp(ds->vars[2].dims[0], "idx_dim1"));
  CHECK(!strcmp(ds->vars[5].dims[1], "empty_dim2"));
  for (int deflate = 0; deflate <= 4; deflate += 4) {
    const char *p = io_path("rt.nc");
    CHECK_OK(cn_nc_save(p, ds, deflate));
    cn_dataset *back = NULL;
    CHECK_OK(cn_nc_load(p, &back));
    if (back) check_same(ds, back);
    /* bool came back as bool, without the helper attribute */
    cn_var *m = back ? cn_dataset_find(back, "mask") : NULL;
    CHECK(m && m->array->dtype == CN_BOOL && !cn_dataset_attr(back, "mask", "dtype"));
    const cn_attr *t = back ? cn_dataset_attr(back, NULL, "title") : NULL;
    CHECK(t && t->kind == CN_ATTR_TEXT && !strcmp(t->text, "run 1"));
    const cn_attr *ver = back ? cn_dataset_attr(back, NULL, "version") : NULL;
    CHECK(ver && ver->kind == CN_ATTR_ARRAY && ver->values->size == 1 &&
          cn_f64(ver->values)[0] == 1.5);
    cn_dataset_free(back);
  }
  CHECK(io_count_files() == 1);
  unlink(io_path("rt.nc"));
  cn_dataset_free(ds);
}

TEST(ncdump_reads_our_file) {
  if (!have_tool("ncdump")) {
    printf("  (ncdump not installed: skipped; install netcdf-bin)\n");
    return;
  }
  cn_dataset *ds = sample();
  const char *p = io_path("dump.nc");
  CHECK_OK(cn_nc_save(p, ds, 1));
  char cmd[700];
  snprintf(cmd, sizeof cmd, "ncdump -h '%s' 2>&1", p);
  const char *out = run(cmd);
  static const char *want[] = {
      "netcdf dump {", "time = 4 ;", "neuron = 3 ;",
      "none = UNLIMITED ; // (0 currently)", "float u(time, neuron) ;",
      "u:units = \"a.u.\" ;", "u:long_name = \"firing rate\" ;",
      "double x(neuron) ;", "int idx(idx_dim1, idx_dim2) ;", "int64 n ;",
      "byte mask(time) ;", "mask:dtype = \"bool\" ;",
      "float empty(none, empty_dim2) ;", ":title = \"run 1\" ;",
      ":version = 1.5 ;", ":ints = -100000, -92081, -84162 ;"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    int ok = strstr(out, want[i]) != NULL;
    CHECK(ok);
    if (!ok) fprintf(stderr, "  ncdump lacks '%s':\n%s\n", want[i], out);
  }
  /* data as ncdump prints it */
  snprintf(cmd, sizeof cmd, "ncdump -v x,idx '%s' 2>&1", p);
  out = run(cmd);
  CHECK(strstr(out, "idx =\n  -100000, -92081,\n  -84162, -76243 ;") != NULL);
  unlink(p);
  cn_dataset_free(ds);
}

static const char *foreign_cdl =
    "netcdf foreign {\n"
    "dimensions:\n  t = UNLIMITED ; c = 3 ;\n"
    "variables:\n"
    "  short s(t) ; s:scale_factor = 0.5f ; string s:tags = \"a\", \"bc\" ;\n"
    "  ubyte ub(c) ;\n  uint ui(c) ;\n  ushort us(c) ;\n"
    "  double d(t, c) ;\n"
    "  byte flag(c) ; flag:dtype = \"bool\" ;\n"
    "  string label ; \n"
    "  :history = \"made by ncgen\" ; :n = 3 ; :ll = 12345678912LL ;\n"
    "data:\n  s = -3, 7 ;\n  ub = 0, 200, 255 ;\n"
    "  ui = 0, 1, 4000000000 ;\n  us = 1, 2, 65535 ;\n"
    "  d = 1, 2, 3, 4, 5, 6 ;\n  flag = 0, 1, 2 ;\n  label = \"hi\" ;\n"
    "}\n";

static int ncgen(const char *cdl, const char *kind, const char *out) {
  const char *src = io_path("in.cdl");
  spit(src, cdl, strlen(cdl));
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "ncgen -k %s -o '%s' '%s' 2>&1", kind, out, src);
  const char *msg = run(cmd);
  unlink(src);
  if (msg[0]) fprintf(stderr, "ncgen: %s\n", msg);
  return cn_file_exists(out);
}

TEST(files_made_by_ncgen) {
  if (!have_tool("ncgen")) {
    printf("  (ncgen not installed: skipped; install netcdf-bin)\n");
    return;
  }
  char p[512]; /* io_path's buffers rotate: keep a copy */
  snprintf(p, sizeof p, "%s", io_path("foreign.nc"));
  CHECK(ncgen(foreign_cdl, "nc4", p));
  /* a string variable cannot be an array */
  cn_dataset *ds = NULL;
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EDTYPE);
  CHECK(ds == NULL && msg_has("variable 'label'") && msg_has("text"));
  /* without it, every other type converts */
  char *cdl = strdup(foreign_cdl);
  char *l = strstr(cdl, "  string label ;");
  memset(l, ' ', strlen("  string label ;"));
  l = strstr(cdl, "  label = \"hi\" ;");
  memset(l, ' ', strlen("  label = \"hi\" ;"));
  unlink(p);
  CHECK(ncgen(cdl, "nc4", p));
  free(cdl);
  CHECK_OK(cn_nc_load(p, &ds));
  cn_var *s = cn_dataset_find(ds, "s"), *ub = cn_dataset_find(ds, "ub"),
         *ui = cn_dataset_find(ds, "ui"), *us = cn_dataset_find(ds, "us"),
         *d = cn_dataset_find(ds, "d"), *flag = cn_dataset_find(ds, "flag");
  CHECK(s && s->array->dtype == CN_INT32 && s->array->shape[0] == 2 &&
        ((int32_t *)s->array->data)[0] == -3 && !strcmp(s->dims[0], "t"));
  CHECK(ub && ub->array->dtype == CN_INT32 && ((int32_t *)ub->array->data)[2] == 255);
  CHECK(ui && ui->array->dtype == CN_INT64 &&
        ((int64_t *)ui->array->data)[2] == 4000000000LL);
  CHECK(us && ((int32_t *)us->array->data)[2] == 65535);
  CHECK(d && d->array->ndim == 2 && cn_f64(d->array)[5] == 6.0);
  CHECK(flag && flag->array->dtype == CN_BOOL &&
        ((uint8_t *)flag->array->data)[2] == 1);
  const cn_attr *a = cn_dataset_attr(ds, "s", "scale_factor");
  CHECK(a && a->kind == CN_ATTR_ARRAY && a->values->dtype == CN_FLOAT32 &&
        cn_f32(a->values)[0] == 0.5f);
  a = cn_dataset_attr(ds, "s", "tags"); /* string array: joined by newlines */
  CHECK(a && a->kind == CN_ATTR_TEXT && !strcmp(a->text, "a\nbc"));
  a = cn_dataset_attr(ds, NULL, "ll");
  CHECK(a && a->values->dtype == CN_INT64 &&
        ((int64_t *)a->values->data)[0] == 12345678912LL);
  a = cn_dataset_attr(ds, NULL, "history");
  CHECK(a && !strcmp(a->text, "made by ncgen"));
  cn_dataset_free(ds);
  unlink(p);
  /* a tiny netCDF-4 file declaring an 80 GB variable (never written) */
  const char *huge = "netcdf h {\ndimensions: a = 100000 ; b = 100000 ;\n"
                     "variables:\n  double v(a, b) ;\n}\n";
  CHECK(ncgen(huge, "nc4", p));
  ds = NULL;
  CHECK_FAILS(cn_nc_load(p, &ds), CN_EFORMAT);
  CHECK(ds == NULL && msg_has("variable 'v' claims 80000000000 bytes"));
  unlink(p);
  /* the classic (netCDF-3) format reads too */
  const char *classic = "netcdf c {\ndimensions: k = 2 ;\nvariables:\n"
                        "  float v(k) ; v:units = \"m\" ;\n"
                        "data:\n  v = 1.5, -2 ;\n}\n";
  CHECK(ncgen(classic, "classic", p));
  ds = NULL;
  CHECK_OK(cn_nc_load(p, &ds));
  cn_var *v = ds ? cn_dataset_find(ds, "v") : NULL;
  CHECK(v && v->array->dtype == CN_FLOAT32 && cn_f32(v->array)[1] == -2.0f);
  const cn_attr *un = ds ? cn_dataset_attr(ds, "v", "units") : NULL;
  CHECK(un && un->kind == CN_ATTR_TEXT && !strcmp(un->text, "m"));
  cn_dataset_free(ds);
  unlink(p);
}

TEST(write_errors_leave_no_file) {
  cn_dataset *ds;
  cn_dataset_new(&ds);
  cn_array *a = pattern(CN_FLOAT32, 1, (int64_t[]){4});
  cn_array *b = pattern(CN_FLOAT32, 1, (int64_t[]){5});
  cn_dataset_add(ds, "a", a, (const char *[]){"time"});
  cn_dataset_add(ds, "b", b, (const char *[]){"time"});
  const char *p = io_path("bad.nc");
  CHECK_FAILS(cn_nc_save(p, ds, 0), CN_ESHAPE);
  CHECK(msg_has("dimension 'time' has length 4 in variable 'a' but 5 in "
                "variable 'b'"));
  cn_dataset_free(ds);

  cn_dataset_new(&ds);
  cn_dataset_add(ds, "a/b", a, NULL);
  CHECK_FAILS(cn_nc_save(p, ds, 0), CN_EINVAL);
  CHECK(msg_has("a/b") && msg_has("bad.nc"));
  cn_dataset_free(ds);

  cn_dataset_new(&ds);
  cn_dataset_add(ds, "a", a, (const char *[]){"bad/dim"});
  CHECK_FAILS(cn_nc_save(p, ds, 0), CN_EINVAL);
  CHECK(msg_has("dimension 'bad/dim'"));
  CHECK_FAILS(cn_nc_save(p, ds, -1), CN_EINVAL);
  CHECK_FAILS(cn_nc_save(p, ds, 10), CN_EINVAL);
  CHECK_FAILS(cn_nc_save(io_path("no/dir/x.nc"), ds, 0), CN_EIO);
  /* a _FillValue of the wrong type is refused by netCDF */
  cn_dataset_free(ds);
  cn_dataset_new(&ds);
  cn_dataset_add(ds, "a", a, NULL);
  cn_dataset_set_text(ds, "a", "_FillValue", "oops");
  CHECK_FAILS(cn_nc_save(p, ds, 0), CN_EINVAL);
  CHECK(msg_has("_FillValue"));
  CHECK(io_count_files() == 0);
  /* a failed write keeps an existing file intact */
  cn_dataset_free(ds);
  cn_dataset_new(&ds);
  cn_dataset_add(ds, "a", a, NULL);
  CHECK_OK(cn_nc_save(p, ds, 0));
  cn_dataset_add(ds, "b/c", b, NULL);
  CHECK(cn_nc_save(p, ds, 0) != CN_OK);
  cn_dataset *back = NULL;
  CHECK_OK(cn_nc_load(p, &back));
  CHECK(back && back->nvars == 1);
  CHECK(io_count_files() == 1);
  unlink(p);
  cn_dataset_free(back);
  cn_dataset_free(ds);
  cn_array_release(a);
  cn_array_release(b);
}

TEST(dataset_api_errors) {
  cn_dataset *ds;
  cn_dataset_new(&ds);
  cn_array *a = pattern(CN_FLOAT32, 2, (int64_t[]){2, 2});
  CHECK_FAILS(cn_dataset_add(ds, "", a, NULL), CN_EINVAL);
  CHECK_FAILS(cn_dataset_add(ds, "a", a, (const char *[]){"d", "d"}), CN_EINVAL);
  CHECK(msg_has("'d' is used twice"));
  CHECK_FAILS(cn_dataset_add(ds, "a", a, (const char *[]){"a_dim2", NULL}), CN_EINVAL);
  CHECK_FAILS(cn_dataset_add(ds, "a", a, (const char *[]){"", "x"}), CN_EINVAL);
  CHECK_OK(cn_dataset_add(ds, "a", a, NULL));
  CHECK_FAILS(cn_dataset_add(ds, "a", a, NULL), CN_EINVAL);
  CHECK(msg_has("already"));
  CHECK_FAILS(cn_dataset_set_text(ds, "zz", "units", "m"), CN_EINVAL);
  CHECK_FAILS(cn_dataset_set_text(ds, "a", "", "m"), CN_EINVAL);
  CHECK_FAILS(cn_dataset_set_values(ds, "a", "m", a), CN_ESHAPE);
  cn_array *bl;
  cn_array_new1(&bl, CN_BOOL, 2);
  CHECK_FAILS(cn_dataset_set_values(ds, "a", "m", bl), CN_EDTYPE);
  /* replacing an attribute keeps one copy */
  CHECK_OK(cn_dataset_set_text(ds, "a", "units", "m"));
  CHECK_OK(cn_dataset_set_number(ds, "a", "units", 2));
  CHECK(ds->vars[0].nattrs == 1 && ds->vars[0].attrs[0].kind == CN_ATTR_ARRAY);
  CHECK(cn_dataset_attr(ds, "nope", "units") == NULL);
  cn_array_release(bl);
  cn_array_release(a);
  cn_dataset_free(ds);
}

TEST(read_errors) {
  cn_dataset *ds = NULL;
  CHECK_FAILS(cn_nc_load(io_path("missing.nc"), &ds), CN_EIO);
  CHECK(msg_has("missing.nc"));
  CHECK_FAILS(cn_nc_load(fixture("f4.npy"), &ds), CN_EFORMAT);
  CHECK(msg_has("not a readable netCDF file"));
  /* truncated copies of a valid file */
  cn_dataset *good = sample();
  const char *p = io_path("t.nc"), *q = io_path("t2.nc");
  CHECK_OK(cn_nc_save(p, good, 0));
  size_t len;
  unsigned char *b = slurp(p, &len);
  for (size_t n = 0; n < len; n += len / 13 + 1) {
    spit(q, b, n);
    CHECK(cn_nc_load(q, &ds) != CN_OK);
    CHECK(ds == NULL);
  }
  free(b);
  unlink(p);
  unlink(q);
  cn_dataset_free(good);
}

int main(void) {
  io_setup();
  RUN(roundtrip_with_dims_and_attributes);
  RUN(ncdump_reads_our_file);
  RUN(files_made_by_ncgen);
  RUN(write_errors_leave_no_file);
  RUN(dataset_api_errors);
  RUN(read_errors);
  io_cleanup();
  return test_summary();
}
