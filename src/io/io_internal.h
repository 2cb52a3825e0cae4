/* canns — helpers shared by the array-file readers and writers (src/io/). */
#ifndef CANNS_IO_INTERNAL_H
#define CANNS_IO_INTERNAL_H

#include "canns/error.h"
#include "canns/io.h"

/* Re-record the current error message as "<prefix>: <message>" with code
 * s, and return s (no-op for CN_OK). */
cn_status cn_io_prefix_error(cn_status s, const char *prefix);

/* Copy of a NUL-terminated string (NULL on allocation failure). */
char *cn_io_strdup(const char *s);

/* Normalise bool bytes to 0/1 after reading foreign data. */
void cn_io_fix_bools(cn_array *a);

#endif
