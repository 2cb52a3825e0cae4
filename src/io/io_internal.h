/* canns — helpers shared by the array-file readers and writers (src/io/). */
#ifndef CANNS_IO_INTERNAL_H
#define CANNS_IO_INTERNAL_H

#include <stdint.h>
#include <sys/stat.h>

#include "canns/error.h"
#include "canns/io.h"

/* Re-record the current error message as "<prefix>: <message>" with code
 * s, and return s (no-op for CN_OK). */
cn_status cn_io_prefix_error(cn_status s, const char *prefix);

/* The checks a reader makes of its input before opening it: a non-empty
 * name of an existing regular file (CN_EINVAL / CN_EIO); fills *st. */
cn_status cn_io_stat_input(const char *path, struct stat *st);

/* Before nc_open: the file (of `size` bytes) must start with a netCDF
 * signature, and a classic (CDF-1/2/5) header must fit in the file: every
 * count and name length is checked against the bytes left (CN_EFORMAT
 * naming the file and the field).  src/io/nc_header.c. */
cn_status cn_nc_check_header(const char *path, uint64_t size);

/* Copy of a NUL-terminated string (NULL on allocation failure). */
char *cn_io_strdup(const char *s);

/* Normalise bool bytes to 0/1 after reading foreign data. */
void cn_io_fix_bools(cn_array *a);

#endif
