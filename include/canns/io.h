/* canns — array files: NPY, NPZ and netCDF-4.
 *
 * NPY (numpy's one-array format) and NPZ (a zip archive of .npy members,
 * as written by numpy.savez / savez_compressed) carry arrays between canns
 * and Python.  netCDF-4 carries named variables with dimension names and
 * attributes (readable by ncdump, xarray, ...).
 *
 *   cn_array *a;
 *   CN_TRY(cn_npy_load("u.npy", &a));
 *   CN_TRY(cn_npy_save("u2.npy", a));
 *
 *   cn_dataset *ds;
 *   CN_TRY(cn_dataset_new(&ds));
 *   const char *dims[2] = {"time", "neuron"};
 *   CN_TRY(cn_dataset_add(ds, "u", u, dims));
 *   CN_TRY(cn_dataset_set_text(ds, "u", "units", "a.u."));
 *   CN_TRY(cn_dataset_set_text(ds, NULL, "title", "run 1"));  // global
 *   CN_TRY(cn_nc_save("run.nc", ds, 0));
 *   cn_dataset_free(ds);
 *
 * Supported element types are those of cn_array: float32, float64, int32,
 * int64 (little-endian) and bool.  Every reader checks sizes against the
 * bytes actually present before allocating, so a corrupt or hostile file
 * gives CN_EFORMAT (or CN_EDTYPE for an unsupported element type), never a
 * crash or a huge allocation.  Every writer writes a temporary file and
 * renames it into place (include/canns/fileutil.h).  See docs/io.md.
 */
#ifndef CANNS_IO_H
#define CANNS_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- NPY ------------------------------------------------------------ */
/* Largest NPY header accepted when reading (numpy's own default limit is
 * 10000 bytes; the ones we write are under 200). */
#define CN_NPY_MAX_HEADER 65536

/* Write `a` as a .npy file (format 1.0, or 2.0 if the header needs it). */
cn_status cn_npy_save(const char *path, const cn_array *a);
/* Read a .npy file (format 1.0, 2.0 or 3.0). */
cn_status cn_npy_load(const char *path, cn_array **out);
/* The same from / to memory.  cn_npy_parse requires the buffer to hold
 * exactly one header and its data (no trailing bytes).  cn_npy_format
 * returns a malloc'd buffer the caller frees with free(). */
cn_status cn_npy_parse(const void *buf, size_t len, cn_array **out);
cn_status cn_npy_format(const cn_array *a, void **buf, size_t *len);

/* A parsed NPY header (used by the NPZ reader to check a member before
 * reading its data). */
typedef struct cn_npy_header {
  int version;             /* 1, 2 or 3 */
  size_t header_len;       /* bytes before the data (magic included) */
  cn_dtype dtype;
  int ndim;
  int64_t shape[CN_MAXDIM];
  int64_t size;            /* number of elements */
  uint64_t data_bytes;     /* size * item size */
} cn_npy_header;
/* Parse the header at the start of buf (len bytes available).  Succeeds
 * as soon as the whole header is present; the data need not be. */
cn_status cn_npy_parse_header(const void *buf, size_t len, cn_npy_header *h);
/* The header (magic included, padded to 64 bytes) for an array of the
 * given type and shape; returns a malloc'd buffer. */
cn_status cn_npy_make_header(cn_dtype t, int ndim, const int64_t *shape,
                             void **buf, size_t *len);

/* --- datasets: named arrays with dimension names and attributes ----- */
typedef enum cn_attr_kind { CN_ATTR_TEXT = 0, CN_ATTR_ARRAY } cn_attr_kind;

typedef struct cn_attr {
  char *name;
  cn_attr_kind kind;
  char *text;        /* CN_ATTR_TEXT: a NUL-terminated string */
  cn_array *values;  /* CN_ATTR_ARRAY: a 1-d array (float32, float64,
                        int32 or int64) */
} cn_attr;

typedef struct cn_var {
  char *name;
  cn_array *array;           /* owned reference */
  char *dims[CN_MAXDIM];     /* one name per dimension of array */
  int nattrs;
  cn_attr *attrs;
} cn_var;

typedef struct cn_dataset {
  int nvars;
  cn_var *vars;              /* in insertion (or file) order */
  int nattrs;
  cn_attr *attrs;            /* global attributes */
} cn_dataset;

cn_status cn_dataset_new(cn_dataset **out);
void cn_dataset_free(cn_dataset *ds); /* NULL is fine */
/* Add variable `name` holding a new reference to `a`.  dims gives one
 * name per dimension; dims == NULL (or a NULL entry) gives the default
 * "<name>_dim<k>" (k = 1, 2, ...).  A name already present, an empty
 * name or a dimension name used twice in one variable is CN_EINVAL. */
cn_status cn_dataset_add(cn_dataset *ds, const char *name, cn_array *a,
                         const char *const *dims);
/* The variable called name, or NULL. */
cn_var *cn_dataset_find(const cn_dataset *ds, const char *name);
/* Set (or replace) an attribute of variable `var`, or a global attribute
 * when var is NULL.  Numeric values are copied into a 1-d array. */
cn_status cn_dataset_set_text(cn_dataset *ds, const char *var,
                              const char *name, const char *text);
cn_status cn_dataset_set_values(cn_dataset *ds, const char *var,
                                const char *name, const cn_array *values);
cn_status cn_dataset_set_number(cn_dataset *ds, const char *var,
                                const char *name, double value);
/* An attribute of variable var (NULL: global), or NULL if absent. */
const cn_attr *cn_dataset_attr(const cn_dataset *ds, const char *var,
                               const char *name);

/* --- NPZ ------------------------------------------------------------ */
/* Largest uncompressed size of one member accepted when reading, and
 * the largest compression ratio a deflated member may claim (deflate
 * cannot exceed about 1032:1; a member claiming more is corrupt). */
#define CN_NPZ_MAX_RATIO 1100

/* Write the variables of ds (their names, arrays only: dims and
 * attributes are not part of NPZ) as members "<name>.npy", deflated when
 * compress is true, stored otherwise. */
cn_status cn_npz_save(const char *path, const cn_dataset *ds, bool compress);
/* Read every member "<name>.npy" (stored or deflated) into a new dataset
 * (dimension names are the defaults, no attributes).  A member that is not
 * a .npy file, an encrypted member or one with another compression method
 * is CN_EFORMAT. */
cn_status cn_npz_load(const char *path, cn_dataset **out);
cn_status cn_npz_parse(const void *buf, size_t len, cn_dataset **out);
/* The raw bytes of every member (any name, any content: for members
 * cn_npz_load refuses, such as numpy's pickled object arrays), at most
 * max_bytes in all; free with cn_npz_raw_free. */
typedef struct cn_npz_raw {
  char *name;
  unsigned char *data;
  size_t len;
} cn_npz_raw;
cn_status cn_npz_load_raw(const char *path, size_t max_bytes, cn_npz_raw **out, int *n);
void cn_npz_raw_free(cn_npz_raw *m, int n);
/* An array from raw element bytes in numpy's type string `descr`: "<f4",
 * "<f8", "<i4", "<i8", "|b1" as they are; "|i1", "<i2", "|u1", "<u2"
 * widened to int32, "<u4" to int64; "<f2" to float32; big-endian
 * (">...") swapped.  len must be the shape's element count times the
 * item size. */
cn_status cn_array_from_bytes(const void *data, size_t len, const char *descr, int ndim,
                              const int64_t *shape, cn_array **out);

/* --- netCDF-4 ------------------------------------------------------- */
/* A variable read from a netCDF file may hold at most CN_NC_MAX_RATIO
 * times the file's size once above CN_NC_MIN_LIMIT bytes: a corrupt
 * header cannot make canns allocate more than the file could hold. */
#define CN_NC_MAX_RATIO 2048
#define CN_NC_MIN_LIMIT ((uint64_t)1 << 30)

/* Write ds as a netCDF-4 file.  A dimension name shared by several
 * variables must have one length in all of them (else CN_ESHAPE).  bool
 * variables are stored as bytes with attribute dtype = "bool" (as xarray
 * does).  deflate: 0 (none) .. 9, per-variable zlib compression level. */
cn_status cn_nc_save(const char *path, const cn_dataset *ds, int deflate);
/* Read every variable, its dimension names and attributes, and the
 * global attributes.  Byte and short variables become int32, unsigned
 * 32-bit ones int64; a variable of another type (strings, compound,
 * unsigned 64-bit) is CN_EDTYPE. */
cn_status cn_nc_load(const char *path, cn_dataset **out);

#ifdef __cplusplus
}
#endif
#endif
