/* canns — atomic output files and small file helpers.
 *
 * Every file canns writes goes to a temporary name in the same directory
 * and is renamed into place only when complete, so a crash or error never
 * leaves a truncated file under the final name.
 *
 *   cn_atomic_file f;
 *   CN_TRY(cn_atomic_begin(&f, path));       // f.fp open on f.tmp
 *   ... fwrite(..., f.fp) ...
 *   return cn_atomic_commit(&f);             // or cn_atomic_abort(&f)
 *
 * For libraries that write by file name themselves (netCDF, libzip,
 * Cairo, ffmpeg): cn_atomic_begin_name(&f, path) only reserves f.tmp (no
 * FILE*), the library writes f.tmp, then cn_atomic_commit(&f).
 */
#ifndef CANNS_FILEUTIL_H
#define CANNS_FILEUTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_atomic_file {
  char *path; /* final name */
  char *tmp;  /* temporary name in the same directory */
  FILE *fp;   /* open for writing (NULL for *_begin_name) */
} cn_atomic_file;

cn_status cn_atomic_begin(cn_atomic_file *f, const char *path);
cn_status cn_atomic_begin_name(cn_atomic_file *f, const char *path);
/* Flush, close and rename into place (on failure the temp file is
 * removed and an error returned). */
cn_status cn_atomic_commit(cn_atomic_file *f);
/* Close and remove the temp file; always safe to call after begin. */
void cn_atomic_abort(cn_atomic_file *f);

/* Create a directory and its parents (like mkdir -p). */
cn_status cn_mkdir_p(const char *path);
/* Read a whole file into a malloc'd buffer (max_bytes guards size). */
cn_status cn_read_file(const char *path, size_t max_bytes, void **data,
                       size_t *len);
bool cn_file_exists(const char *path);

#ifdef __cplusplus
}
#endif
#endif
