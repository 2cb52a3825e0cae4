/* canns — the raw bytes of every member of an .npz archive, for members
 * the array reader refuses (numpy's pickled object arrays, read by
 * lua/canns/data/pickle.lua), and a numeric array made from raw bytes. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "canns/io.h"
#include "io/io_internal.h"

void cn_npz_raw_free(cn_npz_raw *m, int n) {
  if (!m) return;
  for (int i = 0; i < n; i++) {
    free(m[i].name);
    free(m[i].data);
  }
  free(m);
}

static cn_status read_one(zip_t *za, zip_uint64_t i, const zip_stat_t *st, size_t max_bytes,
                          cn_npz_raw *out) {
  if (st->size > max_bytes)
    return cn_error(CN_EFORMAT, "NPZ member '%s' holds %llu bytes, more than the %llu allowed",
                    st->name, (unsigned long long)st->size, (unsigned long long)max_bytes);
  if (st->comp_method == ZIP_CM_DEFLATE && st->size / CN_NPZ_MAX_RATIO > st->comp_size + 1024)
    return cn_error(CN_EFORMAT, "NPZ member '%s' claims %llu bytes from %llu compressed bytes, "
                    "an impossible ratio (corrupt archive or zip bomb)", st->name,
                    (unsigned long long)st->size, (unsigned long long)st->comp_size);
  if (st->comp_method != ZIP_CM_STORE && st->comp_method != ZIP_CM_DEFLATE)
    return cn_error(CN_EFORMAT, "NPZ member '%s' uses compression method %d", st->name,
                    (int)st->comp_method);
  if (st->encryption_method != ZIP_EM_NONE)
    return cn_error(CN_EFORMAT, "NPZ member '%s' is encrypted", st->name);
  zip_file_t *zf = zip_fopen_index(za, i, 0);
  if (!zf) return cn_error(CN_EFORMAT, "cannot open NPZ member '%s': %s", st->name, zip_strerror(za));
  unsigned char *buf = malloc(st->size + 1);
  if (!buf) {
    zip_fclose(zf);
    return cn_error(CN_ENOMEM, "out of memory for NPZ member '%s'", st->name);
  }
  uint64_t got = 0;
  cn_status s = CN_OK;
  for (;;) { /* read to the end: libzip checks the CRC there */
    zip_int64_t r = zip_fread(zf, buf + got, st->size + 1 - got);
    if (r < 0) {
      s = cn_error(CN_EFORMAT, "NPZ member '%s' is corrupt: %s", st->name, zip_file_strerror(zf));
      break;
    }
    if (r == 0) break;
    got += (uint64_t)r;
    if (got > st->size) {
      s = cn_error(CN_EFORMAT, "NPZ member '%s' is longer than declared", st->name);
      break;
    }
  }
  if (s == CN_OK && got != st->size)
    s = cn_error(CN_EFORMAT, "NPZ member '%s' is truncated (%llu of %llu bytes)", st->name,
                 (unsigned long long)got, (unsigned long long)st->size);
  if (zip_fclose(zf) != 0 && s == CN_OK) s = cn_error(CN_EFORMAT, "NPZ member '%s' is corrupt", st->name);
  if (s != CN_OK) {
    free(buf);
    return s;
  }
  out->data = buf;
  out->len = (size_t)st->size;
  return CN_OK;
}

cn_status cn_npz_load_raw(const char *path, size_t max_bytes, cn_npz_raw **out, int *n_out) {
  *out = NULL;
  *n_out = 0;
  struct stat sb;
  CN_TRY(cn_io_stat_input(path, &sb));
  if (sb.st_size == 0) return cn_error(CN_EFORMAT, "'%s' is empty, not an NPZ (zip) archive", path);
  int zerr = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (!za) {
    zip_error_t e;
    zip_error_init_with_code(&e, zerr);
    cn_status s = cn_error(CN_EFORMAT, "'%s' is not a readable NPZ (zip) archive: %s", path,
                           zip_error_strerror(&e));
    zip_error_fini(&e);
    return s;
  }
  zip_int64_t n = zip_get_num_entries(za, 0);
  cn_status s = CN_OK;
  cn_npz_raw *m = n > 0 ? calloc((size_t)n, sizeof *m) : NULL;
  if (n < 0 || n > 1000000) s = cn_error(CN_EFORMAT, "'%s': cannot list the NPZ archive", path);
  else if (n > 0 && !m) s = cn_error(CN_ENOMEM, "out of memory");
  size_t total = 0;
  int k = 0;
  for (zip_int64_t i = 0; s == CN_OK && i < n; i++) {
    zip_stat_t st;
    zip_stat_init(&st);
    zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
                        ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
    if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || (st.valid & need) != need || !st.name) {
      s = cn_error(CN_EFORMAT, "'%s': cannot read NPZ entry %lld", path, (long long)i);
      break;
    }
    size_t left = max_bytes > total ? max_bytes - total : 0;
    s = read_one(za, (zip_uint64_t)i, &st, left, &m[k]);
    if (s != CN_OK) break;
    total += m[k].len;
    m[k].name = cn_io_strdup(st.name);
    k++;
    if (!m[k - 1].name) s = cn_error(CN_ENOMEM, "out of memory");
  }
  zip_discard(za);
  if (s != CN_OK) {
    cn_npz_raw_free(m, k);
    return cn_io_prefix_error(s, path);
  }
  *out = m;
  *n_out = k;
  return CN_OK;
}

/* ------------------------------------------------- arrays from bytes */
static uint64_t load_le(const unsigned char *p, int size, bool swap) {
  uint64_t v = 0;
  for (int b = 0; b < size; b++) v |= (uint64_t)p[swap ? size - 1 - b : b] << (8 * b);
  return v;
}

static float half_to_float(uint16_t h) {
  int sign = h >> 15, e = (h >> 10) & 31, m = h & 1023;
  float v;
  if (e == 0) v = ldexpf((float)m, -24);
  else if (e == 31) v = m ? NAN : INFINITY;
  else v = ldexpf((float)(m | 1024), e - 25);
  return sign ? -v : v;
}

cn_status cn_array_from_bytes(const void *data, size_t len, const char *descr, int ndim,
                              const int64_t *shape, cn_array **out) {
  *out = NULL;
  if (!descr || strlen(descr) < 3)
    return cn_error(CN_EDTYPE, "unsupported numpy type '%s'", descr ? descr : "");
  char order = descr[0], kind = descr[1];
  int size = atoi(descr + 2);
  bool swap = order == '>';
  if (order != '<' && order != '>' && order != '|' && order != '=')
    return cn_error(CN_EDTYPE, "unsupported numpy type '%s'", descr);
  cn_dtype t;
  if (kind == 'f' && size == 8) t = CN_FLOAT64;
  else if (kind == 'f' && (size == 4 || size == 2)) t = CN_FLOAT32;
  else if (kind == 'i' && size == 8) t = CN_INT64;
  else if (kind == 'i' && (size == 4 || size == 2 || size == 1)) t = CN_INT32;
  else if (kind == 'u' && (size == 1 || size == 2)) t = CN_INT32;
  else if (kind == 'u' && size == 4) t = CN_INT64;
  else if (kind == 'b' && size == 1) t = CN_BOOL;
  else
    return cn_error(CN_EDTYPE, "unsupported numpy type '%s' (canns reads float16/32/64, "
                    "int8..int64, uint8..uint32 and bool)", descr);
  /* the bytes must match the shape before anything is allocated */
  if (ndim < 0 || ndim > CN_MAXDIM) return cn_error(CN_EINVAL, "%d dimensions", ndim);
  uint64_t n = 1;
  for (int d = 0; d < ndim; d++) {
    if (shape[d] < 0) return cn_error(CN_EINVAL, "a negative extent %lld", (long long)shape[d]);
    if (shape[d] && n > len / (uint64_t)shape[d] + 1) n = (uint64_t)len + 1; /* cannot match */
    else n *= (uint64_t)shape[d];
  }
  if (n > len || n * (uint64_t)size != len)
    return cn_error(CN_EFORMAT, "%zu bytes of '%s' do not fill the shape's elements", len, descr);
  cn_array *a;
  CN_TRY(cn_array_empty(&a, t, ndim, shape));
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++, p += size) {
    uint64_t v = load_le(p, size, swap);
    switch (t) {
    case CN_FLOAT64: memcpy((double *)a->data + i, &v, 8); break;
    case CN_FLOAT32:
      if (size == 2) ((float *)a->data)[i] = half_to_float((uint16_t)v);
      else { uint32_t w = (uint32_t)v; memcpy((float *)a->data + i, &w, 4); }
      break;
    case CN_INT64: ((int64_t *)a->data)[i] = (int64_t)v; break; /* i8, or u4 widened */
    case CN_INT32:
      if (kind == 'u') ((int32_t *)a->data)[i] = (int32_t)v;
      else if (size == 4) ((int32_t *)a->data)[i] = (int32_t)(uint32_t)v;
      else if (size == 2) ((int32_t *)a->data)[i] = (int16_t)(uint16_t)v;
      else ((int32_t *)a->data)[i] = (int8_t)(uint8_t)v;
      break;
    default: ((unsigned char *)a->data)[i] = v != 0; break;
    }
  }
  *out = a;
  return CN_OK;
}
