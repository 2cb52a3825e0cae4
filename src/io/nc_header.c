/* canns — checks a netCDF file's header before netCDF-C opens it.
 *
 * netCDF-C trusts the counts in a classic header: a 13-byte file that
 * declares 2^31 dimensions makes nc_open allocate until the process is
 * killed, and a failed allocation inside nc_open can crash its clean-up.
 * So before nc_open we read the signature and, for the classic formats
 * (CDF-1, CDF-2 = 64-bit offset, CDF-5 = 64-bit data), walk the header as
 * the netCDF classic format specification lays it out (shipped with
 * netCDF-C as "The NetCDF Classic Format Specification"):
 *
 *   header    = magic numrecs dim_list gatt_list var_list
 *   dim_list  = ABSENT | NC_DIMENSION nelems [dim ...]
 *   att_list  = ABSENT | NC_ATTRIBUTE nelems [attr ...]
 *   var_list  = ABSENT | NC_VARIABLE nelems [var ...]
 *   dim       = name dim_length
 *   attr      = name nc_type nelems [values ...]   (padded to 4 bytes)
 *   var       = name nelems [dimid ...] vatt_list nc_type vsize begin
 *   name      = nelems [namestring]                (padded to 4 bytes)
 *
 * Tags and nc_type are 4 bytes; nelems, dim_length, dimid and vsize are 4
 * bytes in CDF-1/2 and 8 in CDF-5; begin is 4 bytes in CDF-1, else 8.
 * Every count is checked against the bytes left in the file before
 * anything depends on it, so netCDF-C is handed only headers whose tables
 * fit in the file.  netCDF-4 (HDF5) files are recognised by the HDF5
 * signature (at offset 0, 512, 1024, 2048, ...) and left to HDF5.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

/* NC_MAX_NAME: the longest name netCDF-C writes, and the size of the name
 * buffers (NC_MAX_NAME + 1) that nc_inq_varname and friends fill. */
#define NC_NAME_MAX 256
#define NC_VDIMS_MAX 1024 /* NC_MAX_VAR_DIMS */

typedef struct hdr {
  FILE *fp;
  const char *path;
  uint64_t pos, size;
  int version; /* 1, 2 or 5 */
} hdr;

static cn_status bad(const hdr *h, const char *field, const char *fmt,
                     unsigned long long a, unsigned long long b) {
  char why[160];
  snprintf(why, sizeof why, fmt, a, b);
  return cn_error(CN_EFORMAT, "'%s' is not a readable netCDF file: corrupt "
                  "CDF-%d header: %s at byte %llu %s", h->path, h->version,
                  field, (unsigned long long)h->pos, why);
}

static cn_status need(const hdr *h, const char *field, uint64_t n) {
  if (n > h->size - h->pos)
    return bad(h, field, "needs %llu bytes but the file has %llu left", n,
               h->size - h->pos);
  return CN_OK;
}

/* Read a big-endian unsigned integer of 4 or 8 bytes. */
static cn_status get(hdr *h, const char *field, int bytes, uint64_t *v) {
  CN_TRY(need(h, field, (uint64_t)bytes));
  unsigned char b[8];
  if (fread(b, 1, (size_t)bytes, h->fp) != (size_t)bytes)
    return cn_error(CN_EIO, "cannot read '%s': %s", h->path,
                    ferror(h->fp) ? strerror(errno) : "unexpected end of file");
  *v = 0;
  for (int i = 0; i < bytes; i++) *v = *v << 8 | b[i];
  h->pos += (uint64_t)bytes;
  return CN_OK;
}

static cn_status skip(hdr *h, const char *field, uint64_t n) {
  CN_TRY(need(h, field, n));
  if (n && fseeko(h->fp, (off_t)(h->pos + n), SEEK_SET) != 0)
    return cn_error(CN_EIO, "cannot read '%s': %s", h->path, strerror(errno));
  h->pos += n;
  return CN_OK;
}

static int nbytes(const hdr *h) { return h->version == 5 ? 8 : 4; }

/* A count (nelems) of entries each at least `min_entry` bytes long. */
static cn_status count(hdr *h, const char *field, uint64_t min_entry,
                       uint64_t *n) {
  uint64_t at = h->pos;
  CN_TRY(get(h, field, nbytes(h), n));
  if (h->version != 5 && *n > INT32_MAX) {
    h->pos = at;
    return bad(h, field, "is %llu, above the format's limit %llu", *n, INT32_MAX);
  }
  if (min_entry && *n > (h->size - h->pos) / min_entry) {
    h->pos = at;
    return bad(h, field, "is %llu, but the rest of the file holds at most "
               "%llu such entries", *n, (h->size - h->pos - nbytes(h)) / min_entry);
  }
  return CN_OK;
}

static cn_status name(hdr *h, const char *field) {
  uint64_t at = h->pos, n;
  CN_TRY(get(h, field, nbytes(h), &n));
  if (n == 0 || n > NC_NAME_MAX) {
    h->pos = at;
    return bad(h, field, "has length %llu, outside 1..%llu", n, NC_NAME_MAX);
  }
  return skip(h, field, (n + 3) & ~(uint64_t)3);
}

/* Bytes per value of nc_type t (0: not a type of this format version). */
static unsigned type_size(const hdr *h, uint64_t t) {
  static const unsigned sz[] = {0, 1, 1, 2, 4, 4, 8, 1, 2, 4, 8, 8};
  if (t >= 1 && t <= 6) return sz[t];
  if (h->version == 5 && t >= 7 && t <= 11) return sz[t];
  return 0;
}

/* tag + nelems: returns the count (0 for ABSENT). */
static cn_status list(hdr *h, uint32_t want, const char *field,
                      uint64_t min_entry, uint64_t *n) {
  uint64_t at = h->pos, tag;
  CN_TRY(get(h, field, 4, &tag));
  if (tag != want && tag != 0) {
    h->pos = at;
    return bad(h, field, "has tag %llu, expected %llu or 0 (absent)", tag, want);
  }
  CN_TRY(count(h, field, min_entry, n));
  if (tag == 0 && *n != 0) {
    h->pos = at;
    return bad(h, field, "is absent (tag 0) but counts %llu entries%.0llu", *n, 0);
  }
  return CN_OK;
}

static cn_status attrs(hdr *h, const char *field) {
  const uint64_t min_attr = (uint64_t)nbytes(h) + 4 + 4 + nbytes(h);
  uint64_t n;
  CN_TRY(list(h, 0x0C, field, min_attr, &n));
  for (uint64_t i = 0; i < n; i++) {
    CN_TRY(name(h, "attribute name"));
    uint64_t at = h->pos, t, len;
    CN_TRY(get(h, "attribute type", 4, &t));
    unsigned sz = type_size(h, t);
    if (!sz) {
      h->pos = at;
      return bad(h, "attribute type", "is %llu, not a netCDF type%.0llu", t, 0);
    }
    CN_TRY(count(h, "attribute length", sz, &len));
    CN_TRY(skip(h, "attribute values", (len * sz + 3) & ~(uint64_t)3));
  }
  return CN_OK;
}

static cn_status dims_and_vars(hdr *h, uint64_t ndims, uint64_t *dimlen,
                               uint64_t numrecs);

static cn_status classic(hdr *h) {
  const int nb = nbytes(h);
  uint64_t numrecs, ndims;
  CN_TRY(skip(h, "signature", 4));
  CN_TRY(get(h, "record count", nb, &numrecs));
  CN_TRY(list(h, 0x0A, "dimension count", (uint64_t)nb + 4 + nb, &ndims));
  /* ndims fits in the file (12+ bytes each), so this table is bounded by
   * the file's size. */
  uint64_t *dimlen = calloc(ndims ? ndims : 1, sizeof *dimlen);
  if (!dimlen) return cn_error(CN_ENOMEM, "reading '%s': out of memory", h->path);
  cn_status s = dims_and_vars(h, ndims, dimlen, numrecs);
  free(dimlen);
  return s;
}

/* The largest dimension length of the format: a non-negative INT32 (CDF-1
 * and CDF-2) or INT64 (CDF-5).  netCDF-C reads larger ones as negative
 * sizes (a 2^63 length in CDF-5 makes it divide by zero in nc_open). */
static uint64_t max_len(const hdr *h) {
  return h->version == 5 ? (uint64_t)INT64_MAX : (uint64_t)INT32_MAX;
}

static cn_status dims_and_vars(hdr *h, uint64_t ndims, uint64_t *dimlen,
                               uint64_t numrecs) {
  const int nb = nbytes(h);
  uint64_t nvars;
  int records = 0;
  for (uint64_t i = 0; i < ndims; i++) {
    CN_TRY(name(h, "dimension name"));
    uint64_t len;
    CN_TRY(get(h, "dimension length", nb, &len));
    h->pos -= (uint64_t)nb; /* errors point at the length */
    if (len > max_len(h))
      return bad(h, "dimension length", "is %llu, above the format's limit "
                 "%llu", len, max_len(h));
    if (len == 0 && records++)
      return bad(h, "dimension length", "is 0 (unlimited) for a second "
                 "dimension%.0llu%.0llu", 0, 0);
    h->pos += (uint64_t)nb;
    dimlen[i] = len;
  }
  CN_TRY(attrs(h, "global attribute count"));
  /* name, ndims, vatt_list, nc_type, vsize, begin */
  const uint64_t min_var = (uint64_t)nb + 4 + nb + 4 + nb + 4 + nb +
                           (h->version == 1 ? 4 : 8);
  CN_TRY(list(h, 0x0B, "variable count", min_var, &nvars));
  for (uint64_t i = 0; i < nvars; i++) {
    CN_TRY(name(h, "variable name"));
    uint64_t nd;
    CN_TRY(count(h, "variable dimension count", (uint64_t)nb, &nd));
    if (nd > NC_VDIMS_MAX) {
      h->pos -= (uint64_t)nb;
      return bad(h, "variable dimension count", "is %llu, above netCDF's "
                 "limit %llu", nd, NC_VDIMS_MAX);
    }
    /* Values per record (record variable) or in all (others); the
     * unlimited dimension (length 0) counts once. */
    uint64_t dims_at = h->pos, prod = 1;
    int record = 0;
    for (uint64_t d = 0; d < nd; d++) {
      uint64_t id;
      CN_TRY(get(h, "variable dimension id", nb, &id));
      if (id >= ndims) {
        h->pos -= (uint64_t)nb;
        return bad(h, "variable dimension id", "is %llu, but the file has "
                   "%llu dimensions", id, ndims);
      }
      if (dimlen[id] == 0) record = d == 0;
      else if (prod > UINT64_MAX / dimlen[id]) prod = UINT64_MAX;
      else prod *= dimlen[id];
    }
    CN_TRY(attrs(h, "variable attribute count"));
    uint64_t t, vsize, begin;
    CN_TRY(get(h, "variable type", 4, &t));
    unsigned tsz = type_size(h, t);
    if (!tsz) {
      h->pos -= 4;
      return bad(h, "variable type", "is %llu, not a netCDF type%.0llu", t, 0);
    }
    /* Classic files store values uncompressed and netCDF-C pads a file to
     * the size its header implies, so the fixed part of a variable (or one
     * record of a record variable, once records exist) fits in the file.
     * A record of a file without records (or whose count is "streaming")
     * only has to be a representable size. */
    int no_records = numrecs == 0 || numrecs == (h->version == 5
                                                     ? UINT64_MAX
                                                     : (uint64_t)UINT32_MAX);
    int open_ended = record && no_records;
    uint64_t limit = (open_ended ? (uint64_t)INT64_MAX : h->size) / tsz;
    if (prod > limit) {
      uint64_t here = h->pos;
      h->pos = dims_at;
      cn_status s = bad(h, "variable dimensions", open_ended
                        ? "give %llu values per record, more than %llu"
                        : "give %llu values, more than the file's size "
                          "allows (%llu)", prod, limit);
      h->pos = here;
      return s;
    }
    CN_TRY(get(h, "variable size", nb, &vsize));
    CN_TRY(get(h, "variable offset", h->version == 1 ? 4 : 8, &begin));
  }
  return CN_OK;
}

/* The HDF5 superblock signature may sit at 0, 512, 1024, 2048, ... */
static int hdf5_signature(FILE *fp, uint64_t size) {
  static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  for (uint64_t off = 0; off + 8 <= size; off = off ? 2 * off : 512) {
    unsigned char b[8];
    if (fseeko(fp, (off_t)off, SEEK_SET) != 0 || fread(b, 1, 8, fp) != 8) return 0;
    if (memcmp(b, sig, 8) == 0) return 1;
  }
  return 0;
}

cn_status cn_nc_check_header(const char *path, uint64_t size) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return cn_error(CN_EIO, "cannot open '%s': %s", path, strerror(errno));
  unsigned char magic[4] = {0};
  size_t got = fread(magic, 1, 4, fp);
  cn_status s = CN_OK;
  if (got == 4 && memcmp(magic, "CDF", 3) == 0 &&
      (magic[3] == 1 || magic[3] == 2 || magic[3] == 5)) {
    hdr h = {fp, path, 0, size, magic[3]};
    rewind(fp);
    s = classic(&h);
  } else if (!hdf5_signature(fp, size)) {
    s = cn_error(CN_EFORMAT, "'%s' is not a readable netCDF file: it starts "
                 "with neither a classic (CDF-1/2/5) nor an HDF5 (netCDF-4) "
                 "signature", path);
  }
  fclose(fp);
  return s;
}
