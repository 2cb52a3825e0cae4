/* canns — NPZ files: a zip archive of .npy members (numpy.savez /
 * savez_compressed), read and written with libzip.
 *
 * Reading never trusts the archive: each member's declared sizes are
 * checked against its compressed size (deflate cannot expand more than
 * about 1032:1) and against the NPY header found at its start before any
 * array is allocated; the member must then decompress to exactly that many
 * bytes with a correct CRC.
 *
 * Writing streams each array straight from its memory (header, then data)
 * through a libzip source callback, so no second copy is made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zip.h>

#include "canns/fileutil.h"
#include "canns/io.h"
#include "io/io_internal.h"

/* ------------------------------------------------------------ reading */
static cn_status zip_failure(cn_status code, zip_error_t *e, const char *what) {
  return cn_error(code, "%s: %s", what, zip_error_strerror(e));
}

/* Read exactly n bytes (fewer only at the end of the member). */
static cn_status read_full(zip_file_t *zf, void *buf, uint64_t n,
                           uint64_t *got, const char *member) {
  *got = 0;
  while (*got < n) {
    uint64_t want = n - *got;
    if (want > ((uint64_t)1 << 30)) want = (uint64_t)1 << 30;
    zip_int64_t r = zip_fread(zf, (char *)buf + *got, want);
    if (r < 0)
      return cn_error(CN_EFORMAT, "NPZ member '%s' is corrupt: %s", member,
                      zip_file_strerror(zf));
    if (r == 0) break;
    *got += (uint64_t)r;
  }
  return CN_OK;
}

static cn_status read_member(zip_t *za, zip_uint64_t i, const zip_stat_t *st,
                             cn_array **out) {
  const char *name = st->name;
  uint64_t size = st->size;
  if (size > (uint64_t)CN_ARRAY_MAX_BYTES + 12 + CN_NPY_MAX_HEADER)
    return cn_error(CN_EFORMAT, "NPZ member '%s' claims %llu bytes, more "
                    "than any array canns can hold", name,
                    (unsigned long long)size);
  if (st->comp_method == ZIP_CM_STORE && size != st->comp_size)
    return cn_error(CN_EFORMAT, "NPZ member '%s' is stored but its sizes "
                    "differ (%llu vs %llu bytes)", name,
                    (unsigned long long)size,
                    (unsigned long long)st->comp_size);
  if (st->comp_method == ZIP_CM_DEFLATE &&
      size / CN_NPZ_MAX_RATIO > st->comp_size + 1024)
    return cn_error(CN_EFORMAT, "NPZ member '%s' claims %llu bytes from "
                    "%llu compressed bytes, an impossible ratio (corrupt "
                    "archive or zip bomb)", name, (unsigned long long)size,
                    (unsigned long long)st->comp_size);
  zip_file_t *zf = zip_fopen_index(za, i, 0);
  if (!zf)
    return cn_error(CN_EFORMAT, "cannot open NPZ member '%s': %s", name,
                    zip_strerror(za));
  size_t hmax = 12 + CN_NPY_MAX_HEADER;
  size_t want = size < hmax ? (size_t)size : hmax;
  unsigned char *head = malloc(want ? want : 1);
  cn_array *a = NULL;
  cn_status s = CN_OK;
  uint64_t got = 0;
  if (!head) {
    s = cn_error(CN_ENOMEM, "out of memory");
    goto done;
  }
  s = read_full(zf, head, want, &got, name);
  if (s != CN_OK) goto done;
  if (got < want) {
    s = cn_error(CN_EFORMAT, "NPZ member '%s' is truncated (%llu of %llu "
                 "bytes)", name, (unsigned long long)got,
                 (unsigned long long)size);
    goto done;
  }
  cn_npy_header h;
  s = cn_npy_parse_header(head, want, &h);
  if (s != CN_OK) {
    s = cn_io_prefix_error(s, name);
    goto done;
  }
  if (h.header_len + h.data_bytes != size) {
    s = cn_error(CN_EFORMAT, "NPZ member '%s' holds %llu bytes but its NPY "
                 "header announces %llu", name, (unsigned long long)size,
                 (unsigned long long)(h.header_len + h.data_bytes));
    goto done;
  }
  s = cn_array_empty(&a, h.dtype, h.ndim, h.shape);
  if (s != CN_OK) goto done;
  size_t inhead = want - h.header_len;
  if (inhead) memcpy(a->data, head + h.header_len, inhead);
  uint64_t rest = h.data_bytes - inhead;
  if (rest) {
    s = read_full(zf, (char *)a->data + inhead, rest, &got, name);
    if (s == CN_OK && got < rest)
      s = cn_error(CN_EFORMAT, "NPZ member '%s' is truncated", name);
    if (s != CN_OK) goto done;
  }
  /* One more read must hit the end: this is where libzip checks the CRC. */
  unsigned char extra;
  s = read_full(zf, &extra, 1, &got, name);
  if (s == CN_OK && got)
    s = cn_error(CN_EFORMAT, "NPZ member '%s' is longer than declared", name);
  if (s != CN_OK) goto done;
  cn_io_fix_bools(a);
done:
  free(head);
  if (zip_fclose(zf) != 0 && s == CN_OK)
    s = cn_error(CN_EFORMAT, "NPZ member '%s' is corrupt", name);
  if (s != CN_OK) {
    cn_array_release(a);
    return s;
  }
  *out = a;
  return CN_OK;
}

static cn_status read_archive(zip_t *za, cn_dataset **out) {
  zip_int64_t n = zip_get_num_entries(za, 0);
  if (n < 0) return cn_error(CN_EFORMAT, "cannot list the NPZ archive");
  cn_dataset *ds;
  CN_TRY(cn_dataset_new(&ds));
  cn_status s = CN_OK;
  for (zip_int64_t i = 0; i < n && s == CN_OK; i++) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0) {
      s = cn_error(CN_EFORMAT, "cannot read NPZ entry %lld: %s",
                   (long long)i, zip_strerror(za));
      break;
    }
    zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
                        ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
    if ((st.valid & need) != need || !st.name) {
      s = cn_error(CN_EFORMAT, "NPZ entry %lld lacks size information",
                   (long long)i);
      break;
    }
    size_t nl = strlen(st.name);
    if (nl < 5 || strcmp(st.name + nl - 4, ".npy") != 0) {
      s = cn_error(CN_EFORMAT, "NPZ member '%s' is not an .npy file", st.name);
      break;
    }
    if (st.encryption_method != ZIP_EM_NONE) {
      s = cn_error(CN_EFORMAT, "NPZ member '%s' is encrypted", st.name);
      break;
    }
    if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE) {
      s = cn_error(CN_EFORMAT, "NPZ member '%s' uses compression method %d "
                   "(canns reads stored and deflated members)", st.name,
                   (int)st.comp_method);
      break;
    }
    cn_array *a = NULL;
    s = read_member(za, (zip_uint64_t)i, &st, &a);
    if (s != CN_OK) break;
    char *key = cn_io_strdup(st.name);
    if (!key) {
      cn_array_release(a);
      s = cn_error(CN_ENOMEM, "out of memory");
      break;
    }
    key[nl - 4] = 0;
    if (cn_dataset_find(ds, key))
      s = cn_error(CN_EFORMAT, "NPZ archive has two members named '%s'",
                   st.name);
    else
      s = cn_dataset_add(ds, key, a, NULL);
    free(key);
    cn_array_release(a);
  }
  if (s != CN_OK) {
    cn_dataset_free(ds);
    return s;
  }
  *out = ds;
  return CN_OK;
}

cn_status cn_npz_load(const char *path, cn_dataset **out) {
  *out = NULL;
  struct stat st;
  CN_TRY(cn_io_stat_input(path, &st));
  /* libzip opens an empty file as an empty archive; it is not one. */
  if (st.st_size == 0)
    return cn_error(CN_EFORMAT, "'%s' is empty, not an NPZ (zip) archive",
                    path);
  int zerr = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (!za) {
    zip_error_t e;
    zip_error_init_with_code(&e, zerr);
    cn_status s = cn_error(zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ
                               ? CN_EIO
                               : CN_EFORMAT,
                           "'%s' is not a readable NPZ (zip) archive: %s",
                           path, zip_error_strerror(&e));
    zip_error_fini(&e);
    return s;
  }
  cn_status s = read_archive(za, out);
  zip_discard(za);
  return cn_io_prefix_error(s, path);
}

cn_status cn_npz_parse(const void *buf, size_t len, cn_dataset **out) {
  *out = NULL;
  if (!buf || len == 0)
    return cn_error(CN_EFORMAT, "not a readable NPZ (zip) archive: no data");
  zip_error_t e;
  zip_error_init(&e);
  zip_source_t *src = zip_source_buffer_create(buf, len, 0, &e);
  if (!src) {
    cn_status s = zip_failure(CN_ENOMEM, &e, "NPZ buffer");
    zip_error_fini(&e);
    return s;
  }
  zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &e);
  if (!za) {
    cn_status s = zip_failure(CN_EFORMAT, &e, "not a readable NPZ (zip) "
                                              "archive");
    zip_source_free(src);
    zip_error_fini(&e);
    return s;
  }
  zip_error_fini(&e);
  cn_status s = read_archive(za, out);
  zip_discard(za);
  return s;
}

/* ------------------------------------------------------------ writing */
typedef struct npy_source {
  unsigned char *head; /* NPY header */
  size_t hl;
  cn_array *array;     /* data follows the header */
  uint64_t total, pos;
  zip_error_t err;
} npy_source;

static zip_int64_t npy_source_cb(void *ud, void *data, zip_uint64_t len,
                                 zip_source_cmd_t cmd) {
  npy_source *s = ud;
  switch (cmd) {
  case ZIP_SOURCE_OPEN: s->pos = 0; return 0;
  case ZIP_SOURCE_READ: {
    uint64_t n = s->total - s->pos < len ? s->total - s->pos : len;
    uint64_t done = 0;
    while (done < n) {
      uint64_t p = s->pos + done, k;
      if (p < s->hl) {
        k = s->hl - p < n - done ? s->hl - p : n - done;
        memcpy((char *)data + done, s->head + p, k);
      } else {
        k = n - done;
        memcpy((char *)data + done, (char *)s->array->data + (p - s->hl), k);
      }
      done += k;
    }
    s->pos += n;
    return (zip_int64_t)n;
  }
  case ZIP_SOURCE_CLOSE: return 0;
  case ZIP_SOURCE_STAT: {
    if (len < sizeof(zip_stat_t)) {
      zip_error_set(&s->err, ZIP_ER_INVAL, 0);
      return -1;
    }
    zip_stat_t *st = data;
    zip_stat_init(st);
    st->size = s->total;
    /* A fixed time stamp (1980-01-01, as numpy uses) makes the archive
     * depend on its contents only. */
    struct tm tm = {.tm_year = 80, .tm_mon = 0, .tm_mday = 1, .tm_isdst = -1};
    st->mtime = mktime(&tm);
    st->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
    return sizeof(zip_stat_t);
  }
  case ZIP_SOURCE_ERROR: return zip_error_to_data(&s->err, data, len);
  case ZIP_SOURCE_SEEK: {
    zip_int64_t p = zip_source_seek_compute_offset(s->pos, s->total, data,
                                                   len, &s->err);
    if (p < 0) return -1;
    s->pos = (uint64_t)p;
    return 0;
  }
  case ZIP_SOURCE_TELL: return (zip_int64_t)s->pos;
  case ZIP_SOURCE_FREE:
    free(s->head);
    cn_array_release(s->array);
    zip_error_fini(&s->err);
    free(s);
    return 0;
  case ZIP_SOURCE_SUPPORTS:
    return zip_source_make_command_bitmap(
        ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
        ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
        ZIP_SOURCE_SUPPORTS, -1);
  default: zip_error_set(&s->err, ZIP_ER_OPNOTSUPP, 0); return -1;
  }
}

static cn_status add_member(zip_t *za, const cn_var *v, bool compress) {
  npy_source *ns = calloc(1, sizeof *ns);
  if (!ns) return cn_error(CN_ENOMEM, "out of memory");
  cn_status s = cn_npy_make_header(v->array->dtype, v->array->ndim,
                                   v->array->shape, (void **)&ns->head,
                                   &ns->hl);
  if (s != CN_OK) {
    free(ns);
    return s;
  }
  ns->array = cn_array_retain(v->array);
  ns->total = ns->hl + (uint64_t)v->array->size * cn_dtype_size(v->array->dtype);
  zip_error_init(&ns->err);
  zip_source_t *src = zip_source_function(za, npy_source_cb, ns);
  if (!src) {
    npy_source_cb(ns, NULL, 0, ZIP_SOURCE_FREE);
    return cn_error(CN_ENOMEM, "cannot create a zip source: %s",
                    zip_strerror(za));
  }
  size_t nl = strlen(v->name);
  char *member = malloc(nl + 5);
  if (!member) {
    zip_source_free(src);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  memcpy(member, v->name, nl);
  memcpy(member + nl, ".npy", 5);
  zip_int64_t idx = zip_file_add(za, member, src, ZIP_FL_ENC_UTF_8);
  free(member);
  if (idx < 0) {
    zip_source_free(src);
    return cn_error(CN_EINVAL, "cannot add member '%s.npy': %s", v->name,
                    zip_strerror(za));
  }
  /* zlib level 6, as numpy.savez_compressed (zipfile's default): libzip's
   * own default (0) means level 9, several times slower on float data
   * for a few per cent smaller files. */
  if (zip_set_file_compression(za, (zip_uint64_t)idx,
                               compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                               compress ? 6 : 0) != 0)
    return cn_error(CN_EINTERNAL, "cannot set compression of '%s.npy': %s",
                    v->name, zip_strerror(za));
  return CN_OK;
}

/* libzip removes an archive with no members instead of writing it, so an
 * empty NPZ is written directly: just the end-of-central-directory record
 * that numpy.savez() writes for no arrays. */
static cn_status write_empty(const char *path) {
  static const unsigned char eocd[22] = {'P', 'K', 5, 6};
  cn_atomic_file f;
  CN_TRY(cn_atomic_begin(&f, path));
  if (fwrite(eocd, 1, sizeof eocd, f.fp) != sizeof eocd) {
    int e = errno;
    cn_atomic_abort(&f);
    return cn_error(CN_EIO, "cannot write '%s': %s", path, strerror(e));
  }
  return cn_atomic_commit(&f);
}

cn_status cn_npz_save(const char *path, const cn_dataset *ds, bool compress) {
  if (!path || !*path) return cn_error(CN_EINVAL, "empty file name");
  if (!ds) return cn_error(CN_EINVAL, "dataset is NULL");
  for (int i = 0; i < ds->nvars; i++)
    if ((unsigned)ds->vars[i].array->dtype >= CN_NDTYPES)
      return cn_error(CN_EDTYPE, "variable '%s' has an invalid dtype",
                      ds->vars[i].name);
  if (ds->nvars == 0) return write_empty(path);
  cn_atomic_file f;
  CN_TRY(cn_atomic_begin_name(&f, path));
  int zerr = 0;
  zip_t *za = zip_open(f.tmp, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (!za) {
    zip_error_t e;
    zip_error_init_with_code(&e, zerr);
    cn_status s = cn_error(CN_EIO, "cannot create '%s': %s", path,
                           zip_error_strerror(&e));
    zip_error_fini(&e);
    cn_atomic_abort(&f);
    return s;
  }
  cn_status s = CN_OK;
  for (int i = 0; i < ds->nvars && s == CN_OK; i++)
    s = add_member(za, &ds->vars[i], compress);
  if (s == CN_OK && zip_close(za) != 0) {
    s = cn_error(CN_EIO, "cannot write '%s': %s", path, zip_strerror(za));
    zip_discard(za);
  } else if (s != CN_OK) {
    zip_discard(za);
  }
  if (s != CN_OK) {
    cn_atomic_abort(&f);
    return s;
  }
  return cn_atomic_commit(&f);
}
