/* canns — NPY files (numpy's format for one array).
 *
 * Layout: "\x93NUMPY", major, minor, a little-endian header length (2
 * bytes for 1.0, 4 bytes for 2.0 and 3.0), an ASCII (3.0: UTF-8) Python
 * dict literal such as
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 * padded with spaces and a final newline so that the data starts at a
 * multiple of 64 bytes, then the raw C-order data.
 *
 * The header is parsed by a small strict reader of exactly that literal,
 * not by a general evaluator.  Every size is checked against the bytes
 * present before anything is allocated.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "canns/fileutil.h"
#include "canns/io.h"
#include "io/io_internal.h"

static const char npy_magic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

/* ------------------------------------------------------------ helpers */
cn_status cn_io_prefix_error(cn_status s, const char *prefix) {
  if (s == CN_OK) return s;
  char msg[1024];
  snprintf(msg, sizeof msg, "%s", cn_errmsg());
  return cn_error(s, "%s: %s", prefix, msg);
}

cn_status cn_io_stat_input(const char *path, struct stat *st) {
  if (!path || !*path) return cn_error(CN_EINVAL, "empty file name");
  if (stat(path, st) != 0)
    return cn_error(CN_EIO, "cannot open '%s': %s", path, strerror(errno));
  if (!S_ISREG(st->st_mode))
    return cn_error(CN_EIO, "'%s' is not a regular file", path);
  return CN_OK;
}

char *cn_io_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

void cn_io_fix_bools(cn_array *a) {
  if (a->dtype != CN_BOOL) return;
  unsigned char *p = a->data;
  for (int64_t i = 0; i < a->size; i++) p[i] = p[i] != 0;
}

/* ----------------------------------------------------- header reading */
typedef struct cursor {
  const char *p, *end;
} cursor;

static void skip_ws(cursor *c) {
  while (c->p < c->end &&
         (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static bool accept(cursor *c, char ch) {
  skip_ws(c);
  if (c->p < c->end && *c->p == ch) {
    c->p++;
    return true;
  }
  return false;
}

/* A quoted string without escapes, copied into out (n bytes). */
static cn_status read_string(cursor *c, char *out, size_t n, const char *what) {
  skip_ws(c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return cn_error(CN_EFORMAT, "NPY header: expected a quoted string for %s",
                    what);
  char q = *c->p++;
  const char *s = c->p;
  while (c->p < c->end && *c->p != q) {
    if (*c->p == '\\' || (unsigned char)*c->p < 0x20)
      return cn_error(CN_EFORMAT, "NPY header: unexpected character in %s",
                      what);
    c->p++;
  }
  if (c->p >= c->end)
    return cn_error(CN_EFORMAT, "NPY header: unterminated string in %s", what);
  size_t len = (size_t)(c->p - s);
  c->p++;
  if (len >= n)
    return cn_error(CN_EFORMAT, "NPY header: %s is too long (%zu bytes)", what,
                    len);
  memcpy(out, s, len);
  out[len] = 0;
  return CN_OK;
}

static bool match_word(cursor *c, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(c->end - c->p) >= n && memcmp(c->p, w, n) == 0) {
    c->p += n;
    return true;
  }
  return false;
}

static cn_status read_bool(cursor *c, bool *v) {
  skip_ws(c);
  if (match_word(c, "True")) *v = true;
  else if (match_word(c, "False")) *v = false;
  else
    return cn_error(CN_EFORMAT,
                    "NPY header: fortran_order must be True or False");
  return CN_OK;
}

/* A tuple of non-negative integers: (), (3,), (3, 4), (3, 4,). */
static cn_status read_shape(cursor *c, int *ndim, int64_t *shape) {
  if (!accept(c, '('))
    return cn_error(CN_EFORMAT, "NPY header: shape must be a tuple");
  int n = 0;
  bool comma_after_last = false;
  for (;;) {
    skip_ws(c);
    if (c->p < c->end && *c->p == ')') {
      c->p++;
      break;
    }
    if (c->p >= c->end || *c->p < '0' || *c->p > '9') {
      if (c->p < c->end && *c->p == '-')
        return cn_error(CN_EFORMAT, "NPY header: negative extent in shape");
      return cn_error(CN_EFORMAT, "NPY header: malformed shape tuple");
    }
    int64_t v = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
      int d = *c->p++ - '0';
      if (v > (INT64_MAX - d) / 10)
        return cn_error(CN_EFORMAT, "NPY header: shape extent overflows");
      v = v * 10 + d;
    }
    if (c->p < c->end && *c->p == 'L') c->p++; /* Python 2 long */
    if (n >= CN_MAXDIM)
      return cn_error(CN_EFORMAT,
                      "NPY header: more than %d dimensions are not supported",
                      CN_MAXDIM);
    shape[n++] = v;
    comma_after_last = accept(c, ',');
    if (!comma_after_last) {
      if (!accept(c, ')'))
        return cn_error(CN_EFORMAT, "NPY header: malformed shape tuple");
      break;
    }
  }
  if (n == 1 && !comma_after_last)
    return cn_error(CN_EFORMAT,
                    "NPY header: shape (n) is not a tuple (expected (n,))");
  *ndim = n;
  return CN_OK;
}

static cn_status parse_descr(const char *d, cn_dtype *t) {
  static const struct {
    const char *code;
    cn_dtype t;
  } known[] = {{"f4", CN_FLOAT32}, {"f8", CN_FLOAT64}, {"i4", CN_INT32},
               {"i8", CN_INT64},   {"b1", CN_BOOL}};
  char order = d[0];
  const char *code = d;
  if (order == '<' || order == '>' || order == '|' || order == '=')
    code = d + 1;
  else
    order = 0;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    if (strcmp(code, known[i].code) != 0) continue;
    bool onebyte = known[i].t == CN_BOOL;
    if (onebyte || order == '<') {
      *t = known[i].t;
      return CN_OK;
    }
    if (order == '>')
      return cn_error(CN_EDTYPE,
                      "NPY dtype '%s' is big-endian; canns reads "
                      "little-endian data only",
                      d);
    break;
  }
  return cn_error(CN_EDTYPE,
                  "NPY dtype '%s' is not supported (canns reads <f4 <f8 "
                  "<i4 <i8 |b1)",
                  d);
}

/* Parse the dict literal in [s, s+n). */
static cn_status parse_dict(const char *s, size_t n, cn_npy_header *h) {
  cursor c = {s, s + n};
  bool have_descr = false, have_fortran = false, have_shape = false;
  bool fortran = false;
  char descr[64];
  if (!accept(&c, '{'))
    return cn_error(CN_EFORMAT, "NPY header: not a dictionary literal");
  for (;;) {
    if (accept(&c, '}')) break;
    char key[32];
    CN_TRY(read_string(&c, key, sizeof key, "a key"));
    if (!accept(&c, ':'))
      return cn_error(CN_EFORMAT, "NPY header: expected ':' after '%s'", key);
    if (strcmp(key, "descr") == 0 && !have_descr) {
      skip_ws(&c);
      if (c.p < c.end && (*c.p == '[' || *c.p == '{'))
        return cn_error(CN_EDTYPE,
                        "NPY dtype is structured (a record type); canns reads "
                        "plain <f4 <f8 <i4 <i8 |b1 arrays only");
      CN_TRY(read_string(&c, descr, sizeof descr, "descr"));
      have_descr = true;
    } else if (strcmp(key, "fortran_order") == 0 && !have_fortran) {
      CN_TRY(read_bool(&c, &fortran));
      have_fortran = true;
    } else if (strcmp(key, "shape") == 0 && !have_shape) {
      CN_TRY(read_shape(&c, &h->ndim, h->shape));
      have_shape = true;
    } else if (strcmp(key, "descr") == 0 || strcmp(key, "fortran_order") == 0 ||
               strcmp(key, "shape") == 0) {
      return cn_error(CN_EFORMAT, "NPY header: key '%s' appears twice", key);
    } else {
      return cn_error(CN_EFORMAT, "NPY header: unexpected key '%s'", key);
    }
    if (accept(&c, ',')) continue;
    if (accept(&c, '}')) break;
    return cn_error(CN_EFORMAT, "NPY header: expected ',' or '}' after '%s'",
                    key);
  }
  skip_ws(&c);
  if (c.p != c.end)
    return cn_error(CN_EFORMAT, "NPY header: unexpected text after the "
                                "dictionary");
  if (!have_descr || !have_fortran || !have_shape)
    return cn_error(CN_EFORMAT, "NPY header: missing key '%s'",
                    !have_descr ? "descr"
                    : !have_fortran ? "fortran_order"
                                    : "shape");
  CN_TRY(parse_descr(descr, &h->dtype));
  if (fortran)
    return cn_error(CN_EFORMAT,
                    "NPY array is in Fortran order (fortran_order: True); "
                    "canns reads C-order arrays only");
  if (cn_shape_check(h->ndim, h->shape, h->dtype, &h->size) != CN_OK)
    return cn_io_prefix_error(CN_EFORMAT, "NPY header");
  h->data_bytes = (uint64_t)h->size * cn_dtype_size(h->dtype);
  return CN_OK;
}

cn_status cn_npy_parse_header(const void *buf, size_t len, cn_npy_header *h) {
  const unsigned char *b = buf;
  memset(h, 0, sizeof *h);
  if (!buf || len == 0)
    return cn_error(CN_EFORMAT, "NPY data is empty (0 bytes)");
  size_t m = len < 6 ? len : 6;
  if (memcmp(b, npy_magic, m) != 0)
    return cn_error(CN_EFORMAT, "not an NPY file (bad magic)");
  if (len < 8)
    return cn_error(CN_EFORMAT, "NPY file is truncated (%zu bytes)", len);
  int major = b[6], minor = b[7];
  if (major < 1 || major > 3 || minor != 0)
    return cn_error(CN_EFORMAT, "NPY format version %d.%d is not supported "
                    "(canns reads 1.0, 2.0 and 3.0)", major, minor);
  size_t prefix = major == 1 ? 10 : 12;
  if (len < prefix)
    return cn_error(CN_EFORMAT, "NPY file is truncated (%zu bytes)", len);
  uint64_t hlen = major == 1 ? (uint64_t)b[8] | (uint64_t)b[9] << 8
                             : (uint64_t)b[8] | (uint64_t)b[9] << 8 |
                                   (uint64_t)b[10] << 16 | (uint64_t)b[11] << 24;
  if (hlen > CN_NPY_MAX_HEADER)
    return cn_error(CN_EFORMAT, "NPY header length %llu exceeds the limit of "
                    "%d bytes", (unsigned long long)hlen, CN_NPY_MAX_HEADER);
  if (len - prefix < hlen)
    return cn_error(CN_EFORMAT, "NPY file is truncated inside its header "
                    "(%zu of %llu header bytes)", len - prefix,
                    (unsigned long long)hlen);
  h->version = major;
  h->header_len = prefix + (size_t)hlen;
  const char *text = (const char *)b + prefix;
  if (memchr(text, 0, (size_t)hlen))
    return cn_error(CN_EFORMAT, "NPY header contains a NUL byte");
  return parse_dict(text, (size_t)hlen, h);
}

/* ----------------------------------------------------- header writing */
static const char *descr_of(cn_dtype t) {
  switch (t) {
  case CN_FLOAT32: return "<f4";
  case CN_FLOAT64: return "<f8";
  case CN_INT32: return "<i4";
  case CN_INT64: return "<i8";
  case CN_BOOL: return "|b1";
  default: return NULL;
  }
}

cn_status cn_npy_make_header(cn_dtype t, int ndim, const int64_t *shape,
                             void **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  const char *descr = (unsigned)t < CN_NDTYPES ? descr_of(t) : NULL;
  if (!descr) return cn_error(CN_EDTYPE, "invalid dtype code %d", (int)t);
  if (ndim < 0 || ndim > CN_MAXDIM)
    return cn_error(CN_EINVAL, "number of dimensions must be in 0..%d, got %d",
                    CN_MAXDIM, ndim);
  /* numpy writes the dict with sorted keys and repr(shape). */
  char dict[512];
  int n = snprintf(dict, sizeof dict,
                   "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  for (int i = 0; i < ndim; i++) {
    if (shape[i] < 0)
      return cn_error(CN_EINVAL, "shape must be non-negative, got %lld",
                      (long long)shape[i]);
    n += snprintf(dict + n, sizeof dict - n, i ? ", %lld" : "%lld",
                  (long long)shape[i]);
  }
  n += snprintf(dict + n, sizeof dict - n, "%s), }", ndim == 1 ? "," : "");
  /* Pad with spaces and a newline so that magic + version + length +
   * header is a multiple of 64 (numpy's _wrap_header); use format 2.0
   * only if the header does not fit a 16-bit length. */
  size_t hlen = (size_t)n + 1, prefix = 10;
  size_t pad = 64 - (prefix + hlen) % 64;
  if (hlen + pad > 65535) {
    prefix = 12;
    pad = 64 - (prefix + hlen) % 64;
  }
  size_t total = prefix + hlen + pad;
  unsigned char *out = malloc(total);
  if (!out) return cn_error(CN_ENOMEM, "out of memory");
  memcpy(out, npy_magic, 6);
  out[6] = prefix == 10 ? 1 : 2;
  out[7] = 0;
  size_t field = hlen + pad;
  for (size_t i = 0; i < prefix - 8; i++) out[8 + i] = (field >> (8 * i)) & 255;
  memcpy(out + prefix, dict, (size_t)n);
  memset(out + prefix + n, ' ', pad);
  out[total - 1] = '\n';
  *buf = out;
  *len = total;
  return CN_OK;
}

/* ------------------------------------------------------ whole arrays */
static cn_status check_data_len(const cn_npy_header *h, uint64_t have) {
  if (have < h->data_bytes)
    return cn_error(CN_EFORMAT, "NPY data is truncated: the header announces "
                    "%llu data bytes, %llu present",
                    (unsigned long long)h->data_bytes,
                    (unsigned long long)have);
  if (have > h->data_bytes)
    return cn_error(CN_EFORMAT, "NPY file has %llu unexpected bytes after "
                    "its data", (unsigned long long)(have - h->data_bytes));
  return CN_OK;
}

cn_status cn_npy_parse(const void *buf, size_t len, cn_array **out) {
  *out = NULL;
  cn_npy_header h;
  CN_TRY(cn_npy_parse_header(buf, len, &h));
  CN_TRY(check_data_len(&h, len - h.header_len));
  cn_array *a;
  CN_TRY(cn_array_empty(&a, h.dtype, h.ndim, h.shape));
  if (h.data_bytes)
    memcpy(a->data, (const char *)buf + h.header_len, (size_t)h.data_bytes);
  cn_io_fix_bools(a);
  *out = a;
  return CN_OK;
}

cn_status cn_npy_format(const cn_array *a, void **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  if (!a) return cn_error(CN_EINVAL, "array is NULL");
  void *head;
  size_t hl;
  CN_TRY(cn_npy_make_header(a->dtype, a->ndim, a->shape, &head, &hl));
  size_t db = (size_t)a->size * cn_dtype_size(a->dtype);
  char *out = realloc(head, hl + db);
  if (!out) {
    free(head);
    return cn_error(CN_ENOMEM, "out of memory formatting an NPY buffer");
  }
  if (db) memcpy(out + hl, a->data, db);
  *buf = out;
  *len = hl + db;
  return CN_OK;
}

cn_status cn_npy_save(const char *path, const cn_array *a) {
  if (!path || !*path) return cn_error(CN_EINVAL, "empty file name");
  if (!a) return cn_error(CN_EINVAL, "array is NULL");
  void *head;
  size_t hl;
  CN_TRY(cn_npy_make_header(a->dtype, a->ndim, a->shape, &head, &hl));
  cn_atomic_file f;
  cn_status s = cn_atomic_begin(&f, path);
  if (s != CN_OK) {
    free(head);
    return s;
  }
  size_t db = (size_t)a->size * cn_dtype_size(a->dtype);
  bool ok = fwrite(head, 1, hl, f.fp) == hl &&
            (db == 0 || fwrite(a->data, 1, db, f.fp) == db);
  int e = errno;
  free(head);
  if (!ok) {
    cn_atomic_abort(&f);
    return cn_error(CN_EIO, "cannot write '%s': %s", path, strerror(e));
  }
  return cn_atomic_commit(&f);
}

cn_status cn_npy_load(const char *path, cn_array **out) {
  *out = NULL;
  struct stat st;
  /* before fopen: opening a FIFO would wait for a writer */
  CN_TRY(cn_io_stat_input(path, &st));
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return cn_error(CN_EIO, "cannot open '%s': %s", path, strerror(errno));
  if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
    fclose(fp);
    return cn_error(CN_EIO, "'%s' is not a regular file", path);
  }
  uint64_t fsize = (uint64_t)st.st_size;
  /* The header is at most 12 + CN_NPY_MAX_HEADER bytes: read that much
   * (or the whole file if smaller) and parse it first. */
  size_t want = fsize < 12 + CN_NPY_MAX_HEADER ? (size_t)fsize
                                                : 12 + CN_NPY_MAX_HEADER;
  unsigned char *head = malloc(want ? want : 1);
  if (!head) {
    fclose(fp);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  cn_status s = CN_OK;
  cn_array *a = NULL;
  cn_npy_header h;
  if (fread(head, 1, want, fp) != want) {
    s = cn_error(CN_EIO, "cannot read '%s'", path);
    goto done;
  }
  s = cn_npy_parse_header(head, want, &h);
  if (s == CN_OK) s = check_data_len(&h, fsize - h.header_len);
  if (s == CN_OK) s = cn_array_empty(&a, h.dtype, h.ndim, h.shape);
  if (s != CN_OK) goto done;
  if (h.data_bytes) {
    size_t inhead = want - h.header_len;
    if (inhead > h.data_bytes) inhead = (size_t)h.data_bytes;
    memcpy(a->data, head + h.header_len, inhead);
    size_t rest = (size_t)h.data_bytes - inhead;
    if (rest && fread((char *)a->data + inhead, 1, rest, fp) != rest) {
      s = cn_error(CN_EIO, "short read from '%s'", path);
      goto done;
    }
  }
  cn_io_fix_bools(a);
done:
  free(head);
  fclose(fp);
  if (s != CN_OK) {
    cn_array_release(a);
    if (s != CN_EIO) s = cn_io_prefix_error(s, path);
    return s;
  }
  *out = a;
  return CN_OK;
}
