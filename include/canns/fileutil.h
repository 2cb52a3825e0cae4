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
 *
 * The destination:
 * - a symbolic link (or a chain of them) is resolved: the temporary file
 *   is made in the target's directory and renamed over the target, so the
 *   link stays and the file it points to gets the data (as numpy's
 *   open(path, "wb") does); a dangling link creates its target;
 * - an existing regular file is replaced, keeping its permission bits;
 * - an existing destination that is not a regular file (a device such as
 *   /dev/null, a FIFO, /dev/stdout in a pipeline) is written straight,
 *   never renamed over or removed: cn_atomic_begin gives f.fp open on it
 *   (f.tmp is NULL); cn_atomic_begin_name gives a scratch f.tmp under
 *   $TMPDIR (default /tmp) whose bytes commit copies into it.  Every write
 *   error is reported (a full device: "No space left on device").
 *
 * Temporary names are ".NAME.canns-tmp.XXXXXX" (CN_TMP_TAG) beside the
 * target.  A writer killed outright (SIGKILL, power loss) leaves its
 * temporary behind; such files are incomplete and may be removed.
 */
#ifndef CANNS_FILEUTIL_H
#define CANNS_FILEUTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The marker in every temporary name: ".NAME" CN_TMP_TAG "XXXXXX". */
#define CN_TMP_TAG ".canns-tmp."

typedef struct cn_atomic_file {
  char *path;   /* the name given (used in messages) */
  char *tmp;    /* temporary name (NULL when f.fp writes a device) */
  FILE *fp;     /* open for writing (NULL for *_begin_name) */
  char *target; /* path with symbolic links resolved: what commit fills */
  bool direct;  /* target is not a regular file: written, never renamed */
} cn_atomic_file;

cn_status cn_atomic_begin(cn_atomic_file *f, const char *path);
cn_status cn_atomic_begin_name(cn_atomic_file *f, const char *path);
/* Flush, close and rename into place, or finish writing a device (on
 * failure the temp file is removed and an error returned that names the
 * path and the system's reason). */
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
