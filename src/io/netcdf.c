/* canns — netCDF-4 files through netCDF-C.
 *
 * A cn_dataset maps onto the root group of a netCDF-4 file: each variable
 * is a netCDF variable over named dimensions, with its attributes; global
 * attributes are the root group's.  Values are stored and read raw: no CF
 * decoding (_FillValue masking, scale_factor, time units) is applied.
 */
#include <errno.h>
#include <netcdf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "canns/fileutil.h"
#include "canns/io.h"
#include "io/io_internal.h"

static cn_status nc_fail(cn_status code, int rc, const char *what,
                         const char *name) {
  return cn_error(code, "%s '%s': %s", what, name, nc_strerror(rc));
}

/* ------------------------------------------------------------ writing */
static bool is_space_error(int e) {
  return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

/* No block left for an unprivileged writer on the file system of `path`. */
static bool disk_full(const char *path) {
  struct statvfs v;
  return statvfs(path, &v) == 0 && v.f_bavail == 0;
}

typedef struct dim_entry {
  const char *name;
  int64_t len;
  const char *first_var; /* for the error message of a conflict */
  int id;
} dim_entry;

/* Collect the distinct dimensions of ds; a name used with two lengths is
 * an error. */
static cn_status collect_dims(const cn_dataset *ds, dim_entry **out, int *n) {
  int cap = 0, cnt = 0;
  dim_entry *dims = NULL;
  for (int i = 0; i < ds->nvars; i++) {
    const cn_var *v = &ds->vars[i];
    for (int d = 0; d < v->array->ndim; d++) {
      int k = 0;
      while (k < cnt && strcmp(dims[k].name, v->dims[d]) != 0) k++;
      if (k < cnt) {
        if (dims[k].len != v->array->shape[d]) {
          cn_status s = cn_error(
              CN_ESHAPE, "dimension '%s' has length %lld in variable '%s' "
              "but %lld in variable '%s'", v->dims[d],
              (long long)dims[k].len, dims[k].first_var,
              (long long)v->array->shape[d], v->name);
          free(dims);
          return s;
        }
        continue;
      }
      if (cnt == cap) {
        cap = cap ? 2 * cap : 16;
        dim_entry *g = realloc(dims, (size_t)cap * sizeof *g);
        if (!g) {
          free(dims);
          return cn_error(CN_ENOMEM, "out of memory");
        }
        dims = g;
      }
      dims[cnt++] = (dim_entry){v->dims[d], v->array->shape[d], v->name, -1};
    }
  }
  *out = dims;
  *n = cnt;
  return CN_OK;
}

static nc_type nc_type_of(cn_dtype t) {
  switch (t) {
  case CN_FLOAT32: return NC_FLOAT;
  case CN_FLOAT64: return NC_DOUBLE;
  case CN_INT32: return NC_INT;
  case CN_INT64: return NC_INT64;
  case CN_BOOL: return NC_BYTE;
  default: return NC_NAT;
  }
}

static cn_status put_attrs(int ncid, int varid, const cn_attr *attrs, int n,
                           const char *owner) {
  for (int i = 0; i < n; i++) {
    const cn_attr *a = &attrs[i];
    int rc;
    if (a->kind == CN_ATTR_TEXT) {
      rc = nc_put_att_text(ncid, varid, a->name, strlen(a->text), a->text);
    } else {
      const cn_array *v = a->values;
      size_t len = (size_t)v->size;
      switch (v->dtype) {
      case CN_FLOAT32:
        rc = nc_put_att_float(ncid, varid, a->name, NC_FLOAT, len, v->data);
        break;
      case CN_FLOAT64:
        rc = nc_put_att_double(ncid, varid, a->name, NC_DOUBLE, len, v->data);
        break;
      case CN_INT32:
        rc = nc_put_att_int(ncid, varid, a->name, NC_INT, len, v->data);
        break;
      case CN_INT64:
        rc = nc_put_att_longlong(ncid, varid, a->name, NC_INT64, len,
                                 (const long long *)v->data);
        break;
      default:
        return cn_error(CN_EDTYPE, "attribute '%s' of %s has unsupported "
                        "dtype %s", a->name, owner, cn_dtype_name(v->dtype));
      }
    }
    if (rc != NC_NOERR)
      return cn_error(CN_EINVAL, "cannot write attribute '%s' of %s: %s",
                      a->name, owner, nc_strerror(rc));
  }
  return CN_OK;
}

static cn_status put_data(int ncid, int varid, const cn_var *v) {
  const cn_array *a = v->array;
  if (a->size == 0) return CN_OK;
  int rc;
  switch (a->dtype) {
  case CN_FLOAT32: rc = nc_put_var_float(ncid, varid, a->data); break;
  case CN_FLOAT64: rc = nc_put_var_double(ncid, varid, a->data); break;
  case CN_INT32: rc = nc_put_var_int(ncid, varid, a->data); break;
  case CN_INT64:
    rc = nc_put_var_longlong(ncid, varid, (const long long *)a->data);
    break;
  case CN_BOOL: rc = nc_put_var_uchar(ncid, varid, a->data); break;
  default: return cn_error(CN_EDTYPE, "variable '%s' has an invalid dtype",
                           v->name);
  }
  if (rc != NC_NOERR)
    return nc_fail(CN_EIO, rc, "cannot write variable", v->name);
  return CN_OK;
}

static cn_status write_file(int ncid, const cn_dataset *ds, dim_entry *dims,
                            int ndims, int deflate) {
  int rc;
  for (int k = 0; k < ndims; k++) {
    /* netCDF has no fixed dimension of length 0: NC_UNLIMITED (0) is the
     * one that starts empty. */
    rc = nc_def_dim(ncid, dims[k].name, (size_t)dims[k].len, &dims[k].id);
    if (rc != NC_NOERR)
      return nc_fail(CN_EINVAL, rc, "cannot define dimension", dims[k].name);
  }
  CN_TRY(put_attrs(ncid, NC_GLOBAL, ds->attrs, ds->nattrs, "the dataset"));
  int *varids = malloc((size_t)(ds->nvars ? ds->nvars : 1) * sizeof *varids);
  if (!varids) return cn_error(CN_ENOMEM, "out of memory");
  cn_status s = CN_OK;
  for (int i = 0; i < ds->nvars && s == CN_OK; i++) {
    const cn_var *v = &ds->vars[i];
    int ids[CN_MAXDIM];
    for (int d = 0; d < v->array->ndim; d++) {
      int k = 0;
      while (strcmp(dims[k].name, v->dims[d]) != 0) k++;
      ids[d] = dims[k].id;
    }
    nc_type t = nc_type_of(v->array->dtype);
    if (t == NC_NAT) {
      s = cn_error(CN_EDTYPE, "variable '%s' has an invalid dtype", v->name);
      break;
    }
    rc = nc_def_var(ncid, v->name, t, v->array->ndim, ids, &varids[i]);
    if (rc != NC_NOERR) {
      s = nc_fail(CN_EINVAL, rc, "cannot define variable", v->name);
      break;
    }
    if (deflate > 0 && v->array->ndim > 0) {
      rc = nc_def_var_deflate(ncid, varids[i], 1, 1, deflate);
      if (rc != NC_NOERR) {
        s = nc_fail(CN_EINTERNAL, rc, "cannot compress variable", v->name);
        break;
      }
    }
    char owner[NC_MAX_NAME + 16];
    snprintf(owner, sizeof owner, "variable '%s'", v->name);
    s = put_attrs(ncid, varids[i], v->attrs, v->nattrs, owner);
    if (s == CN_OK && v->array->dtype == CN_BOOL) {
      /* xarray's convention for booleans stored as bytes. */
      rc = nc_put_att_text(ncid, varids[i], "dtype", 4, "bool");
      if (rc != NC_NOERR)
        s = nc_fail(CN_EINVAL, rc, "cannot write attribute dtype of", v->name);
    }
  }
  if (s == CN_OK && (rc = nc_enddef(ncid)) != NC_NOERR)
    s = cn_error(CN_EIO, "cannot write the netCDF header: %s",
                 nc_strerror(rc));
  for (int i = 0; i < ds->nvars && s == CN_OK; i++)
    s = put_data(ncid, varids[i], &ds->vars[i]);
  free(varids);
  return s;
}

cn_status cn_nc_save(const char *path, const cn_dataset *ds, int deflate) {
  if (!path || !*path) return cn_error(CN_EINVAL, "empty file name");
  if (!ds) return cn_error(CN_EINVAL, "dataset is NULL");
  if (deflate < 0 || deflate > 9)
    return cn_error(CN_EINVAL, "deflate level must be in 0..9, got %d",
                    deflate);
  dim_entry *dims = NULL;
  int ndims = 0;
  CN_TRY(collect_dims(ds, &dims, &ndims));
  cn_atomic_file f;
  cn_status s = cn_atomic_begin_name(&f, path);
  if (s != CN_OK) {
    free(dims);
    return s;
  }
  errno = 0;
  int ncid, rc = nc_create(f.tmp, NC_NETCDF4 | NC_CLOBBER, &ncid);
  if (rc != NC_NOERR) {
    s = cn_error(CN_EIO, "cannot create '%s': %s", path, nc_strerror(rc));
  } else {
    s = write_file(ncid, ds, dims, ndims, deflate);
    int e = errno;
    rc = nc_close(ncid);
    if (!is_space_error(e)) e = errno;
    if (s == CN_OK && rc != NC_NOERR)
      s = cn_error(CN_EIO, "cannot write '%s': %s", path, nc_strerror(rc));
    /* netCDF-C reports a failed write of its HDF5 layer as "NetCDF: HDF
     * error": say what the system said, or that the disk is full. */
    if (s != CN_OK && (is_space_error(e) || disk_full(f.tmp)))
      s = cn_error(CN_EIO, "cannot write '%s': %s", path,
                   strerror(is_space_error(e) ? e : ENOSPC));
  }
  free(dims);
  if (s != CN_OK) {
    cn_atomic_abort(&f);
    return cn_io_prefix_error(s, path);
  }
  return cn_atomic_commit(&f);
}

/* ------------------------------------------------------------ reading */
/* Read attribute `name` of varid into the dataset (var NULL: global).
 * Attributes of types with no cn_attr form (user-defined compound, enum,
 * vlen, opaque) are skipped. */
static cn_status get_attr(int ncid, int varid, const char *name,
                          cn_dataset *ds, const char *var) {
  nc_type t;
  size_t len;
  int rc = nc_inq_att(ncid, varid, name, &t, &len);
  if (rc != NC_NOERR) return nc_fail(CN_EFORMAT, rc, "cannot read attribute", name);
  cn_status s = CN_OK;
  if (t == NC_CHAR) {
    char *text = malloc(len + 1);
    if (!text) return cn_error(CN_ENOMEM, "out of memory");
    rc = len ? nc_get_att_text(ncid, varid, name, text) : NC_NOERR;
    text[len] = 0;
    if (rc == NC_NOERR) s = cn_dataset_set_text(ds, var, name, text);
    free(text);
  } else if (t == NC_STRING) {
    char **strs = calloc(len ? len : 1, sizeof *strs);
    if (!strs) return cn_error(CN_ENOMEM, "out of memory");
    rc = len ? nc_get_att_string(ncid, varid, name, strs) : NC_NOERR;
    if (rc == NC_NOERR) {
      /* Several strings are joined by newlines. */
      size_t total = 1;
      for (size_t i = 0; i < len; i++) total += (strs[i] ? strlen(strs[i]) : 0) + 1;
      char *text = malloc(total);
      if (!text) {
        s = cn_error(CN_ENOMEM, "out of memory");
      } else {
        size_t o = 0;
        for (size_t i = 0; i < len; i++) {
          if (i) text[o++] = '\n';
          size_t k = strs[i] ? strlen(strs[i]) : 0;
          memcpy(text + o, strs[i], k);
          o += k;
        }
        text[o] = 0;
        s = cn_dataset_set_text(ds, var, name, text);
        free(text);
      }
      if (len) nc_free_string(len, strs);
    }
    free(strs);
  } else {
    cn_dtype dt;
    switch (t) {
    case NC_BYTE: case NC_UBYTE: case NC_SHORT: case NC_USHORT: case NC_INT:
      dt = CN_INT32; break;
    case NC_UINT: case NC_INT64: case NC_UINT64: dt = CN_INT64; break;
    case NC_FLOAT: dt = CN_FLOAT32; break;
    case NC_DOUBLE: dt = CN_FLOAT64; break;
    default: return CN_OK;
    }
    cn_array *v;
    CN_TRY(cn_array_new1(&v, dt, (int64_t)len));
    if (len == 0) rc = NC_NOERR;
    else if (dt == CN_INT32) rc = nc_get_att_int(ncid, varid, name, v->data);
    else if (dt == CN_INT64)
      rc = nc_get_att_longlong(ncid, varid, name, (long long *)v->data);
    else if (dt == CN_FLOAT32) rc = nc_get_att_float(ncid, varid, name, v->data);
    else rc = nc_get_att_double(ncid, varid, name, v->data);
    if (rc == NC_NOERR) s = cn_dataset_set_values(ds, var, name, v);
    cn_array_release(v);
  }
  if (rc != NC_NOERR) return nc_fail(CN_EFORMAT, rc, "cannot read attribute", name);
  return s;
}

static cn_status get_var(int ncid, int varid, cn_dataset *ds,
                         uint64_t fsize) {
  char name[NC_MAX_NAME + 1];
  nc_type t;
  int nd, natts, dimids[NC_MAX_VAR_DIMS];
  int rc = nc_inq_varndims(ncid, varid, &nd);
  if (rc == NC_NOERR && (nd < 0 || nd > NC_MAX_VAR_DIMS)) rc = NC_EMAXDIMS;
  if (rc == NC_NOERR)
    rc = nc_inq_var(ncid, varid, name, &t, &nd, dimids, &natts);
  if (rc != NC_NOERR)
    return cn_error(CN_EFORMAT, "cannot read variable %d: %s", varid,
                    nc_strerror(rc));
  if (nd > CN_MAXDIM)
    return cn_error(CN_EFORMAT, "variable '%s' has %d dimensions; canns "
                    "arrays have at most %d", name, nd, CN_MAXDIM);
  /* bool: a byte variable marked dtype = "bool" (xarray convention). */
  bool is_bool = false;
  if (t == NC_BYTE || t == NC_UBYTE) {
    nc_type at;
    size_t al;
    char buf[8];
    if (nc_inq_att(ncid, varid, "dtype", &at, &al) == NC_NOERR &&
        at == NC_CHAR && al == 4 &&
        nc_get_att_text(ncid, varid, "dtype", buf) == NC_NOERR &&
        memcmp(buf, "bool", 4) == 0)
      is_bool = true;
  }
  cn_dtype dt;
  switch (t) {
  case NC_BYTE: case NC_UBYTE: case NC_SHORT: case NC_USHORT: case NC_INT:
    dt = is_bool ? CN_BOOL : CN_INT32; break;
  case NC_UINT: case NC_INT64: case NC_UINT64: dt = CN_INT64; break;
  case NC_FLOAT: dt = CN_FLOAT32; break;
  case NC_DOUBLE: dt = CN_FLOAT64; break;
  default:
    return cn_error(CN_EDTYPE, "variable '%s' has netCDF type %d (%s), which "
                    "canns cannot hold in an array", name, (int)t,
                    t == NC_CHAR || t == NC_STRING ? "text" : "non-numeric");
  }
  int64_t shape[CN_MAXDIM];
  char dnames[CN_MAXDIM][NC_MAX_NAME + 1];
  const char *dims[CN_MAXDIM];
  for (int d = 0; d < nd; d++) {
    size_t len;
    rc = nc_inq_dim(ncid, dimids[d], dnames[d], &len);
    if (rc != NC_NOERR)
      return nc_fail(CN_EFORMAT, rc, "cannot read a dimension of variable",
                     name);
    if (len > (size_t)INT64_MAX)
      return cn_error(CN_EFORMAT, "variable '%s': dimension too long", name);
    shape[d] = (int64_t)len;
    dims[d] = dnames[d];
  }
  int64_t size;
  cn_status s = cn_shape_check(nd, shape, dt, &size);
  if (s != CN_OK) return cn_io_prefix_error(CN_EFORMAT, name);
  /* A corrupt header can declare any size: refuse what the file cannot
   * plausibly hold (zlib expands at most about 1032:1). */
  uint64_t bytes = (uint64_t)size * cn_dtype_size(dt);
  if (bytes > CN_NC_MIN_LIMIT && bytes / CN_NC_MAX_RATIO > fsize)
    return cn_error(CN_EFORMAT, "variable '%s' claims %llu bytes, more than "
                    "%d times the file's %llu bytes (corrupt file?)", name,
                    (unsigned long long)bytes, CN_NC_MAX_RATIO,
                    (unsigned long long)fsize);
  size_t tsize = 0;
  int fmt = 0;
  if (nc_inq_format(ncid, &fmt) != NC_NOERR ||
      nc_inq_type(ncid, t, NULL, &tsize) != NC_NOERR || tsize == 0)
    return cn_error(CN_EFORMAT, "variable '%s': cannot read its format and "
                    "type (corrupt file?)", name);
  /* A classic (netCDF-3) file stores every value uncompressed: a variable
   * larger than the file is corrupt. */
  if ((fmt == NC_FORMAT_CLASSIC || fmt == NC_FORMAT_64BIT_OFFSET ||
       fmt == NC_FORMAT_CDF5) && (uint64_t)size > fsize / tsize)
    return cn_error(CN_EFORMAT, "variable '%s' claims %llu bytes, more than "
                    "the classic file's %llu bytes (corrupt file?)", name,
                    (unsigned long long)size * tsize,
                    (unsigned long long)fsize);
  /* netCDF-4: HDF5 allocates a whole chunk to read any part of it, and the
   * chunk sizes come from the header: bound a chunk like a variable. */
  if ((fmt == NC_FORMAT_NETCDF4 || fmt == NC_FORMAT_NETCDF4_CLASSIC) &&
      size > 0 && nd > 0) {
    int storage = 0;
    size_t chunk[CN_MAXDIM];
    if (nc_inq_var_chunking(ncid, varid, &storage, chunk) == NC_NOERR &&
        storage == NC_CHUNKED) {
      uint64_t cb = tsize;
      for (int d = 0; d < nd; d++)
        cb = chunk[d] && cb > UINT64_MAX / chunk[d] ? UINT64_MAX
                                                    : cb * (chunk[d] ? chunk[d] : 1);
      if (cb > CN_NC_MIN_LIMIT && cb / CN_NC_MAX_RATIO > fsize)
        return cn_error(CN_EFORMAT, "variable '%s' has chunks of %llu bytes, "
                        "more than %d times the file's %llu bytes (corrupt "
                        "file?)", name, (unsigned long long)cb,
                        CN_NC_MAX_RATIO, (unsigned long long)fsize);
    }
  }
  cn_array *a;
  s = cn_array_empty(&a, dt, nd, shape);
  if (s != CN_OK) return cn_io_prefix_error(s, name);
  if (a->size == 0) rc = NC_NOERR;
  else if (dt == CN_BOOL) rc = nc_get_var_uchar(ncid, varid, a->data);
  else if (dt == CN_INT32) rc = nc_get_var_int(ncid, varid, a->data);
  else if (dt == CN_INT64)
    rc = nc_get_var_longlong(ncid, varid, (long long *)a->data);
  else if (dt == CN_FLOAT32) rc = nc_get_var_float(ncid, varid, a->data);
  else rc = nc_get_var_double(ncid, varid, a->data);
  if (rc != NC_NOERR) {
    cn_array_release(a);
    return nc_fail(CN_EFORMAT, rc, "cannot read variable", name);
  }
  cn_io_fix_bools(a);
  s = cn_dataset_add(ds, name, a, dims);
  cn_array_release(a);
  if (s != CN_OK) return cn_io_prefix_error(CN_EFORMAT, "netCDF file");
  for (int i = 0; i < natts; i++) {
    char an[NC_MAX_NAME + 1];
    rc = nc_inq_attname(ncid, varid, i, an);
    if (rc != NC_NOERR)
      return nc_fail(CN_EFORMAT, rc, "cannot read an attribute of", name);
    if (is_bool && strcmp(an, "dtype") == 0) continue;
    CN_TRY(get_attr(ncid, varid, an, ds, name));
  }
  return CN_OK;
}

cn_status cn_nc_load(const char *path, cn_dataset **out) {
  *out = NULL;
  struct stat st;
  CN_TRY(cn_io_stat_input(path, &st));
  CN_TRY(cn_nc_check_header(path, (uint64_t)st.st_size));
  int ncid, rc = nc_open(path, NC_NOWRITE, &ncid);
  if (rc != NC_NOERR)
    return cn_error(CN_EFORMAT, "'%s' is not a readable netCDF file: %s",
                    path, nc_strerror(rc));
  int nvars, ngatts;
  cn_dataset *ds = NULL;
  cn_status s = CN_OK;
  rc = nc_inq(ncid, NULL, &nvars, &ngatts, NULL);
  if (rc != NC_NOERR)
    s = cn_error(CN_EFORMAT, "cannot read the netCDF header: %s",
                 nc_strerror(rc));
  if (s == CN_OK) s = cn_dataset_new(&ds);
  for (int v = 0; v < nvars && s == CN_OK; v++) s = get_var(ncid, v, ds, (uint64_t)st.st_size);
  for (int i = 0; i < ngatts && s == CN_OK; i++) {
    char an[NC_MAX_NAME + 1];
    rc = nc_inq_attname(ncid, NC_GLOBAL, i, an);
    s = rc != NC_NOERR ? cn_error(CN_EFORMAT, "cannot read a global "
                                  "attribute: %s", nc_strerror(rc))
                       : get_attr(ncid, NC_GLOBAL, an, ds, NULL);
  }
  nc_close(ncid);
  if (s != CN_OK) {
    cn_dataset_free(ds);
    return cn_io_prefix_error(s, path);
  }
  *out = ds;
  return CN_OK;
}
