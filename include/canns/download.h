/* canns — downloading a file (libcurl) and SHA-256 digests (nettle).
 *
 *   cn_download_opts o = {.sha256 = "ab12...", .resume = true};
 *   CN_TRY(cn_download("https://host/grid_1.npz", "/data/grid_1.npz", &o));
 *
 * The bytes go to DEST.part (beside DEST) and DEST appears only when the
 * transfer is complete and, when a digest is given, verified: then the
 * .part file is renamed over DEST.  A transfer that fails part-way keeps
 * DEST.part, and the next call with `resume` continues it (an HTTP Range
 * request, or the file:// offset): a server that cannot resume, or a
 * .part longer than the file, restarts from the first byte.  A resumed
 * file whose digest does not match is downloaded once more from the
 * start; a fresh one that does not match is removed and is an error
 * naming both digests.
 *
 * DEST.part is locked (flock) for the whole call: a second download of the
 * same DEST at the same time is an error instead of a mixed file.
 *
 * URLs: http, https and file, with the scheme written out (redirects
 * followed; anything else is refused before libcurl sees it).
 * Errors name the URL and libcurl's own message ("Could not resolve host:
 * huggingface.co", "Couldn't open file /nonexistent/x").  A progress bar
 * (include/canns/progress.h, in bytes) is drawn on a terminal while the
 * size is known.  Nothing is printed otherwise.
 */
#ifndef CANNS_DOWNLOAD_H
#define CANNS_DOWNLOAD_H

#include <stdbool.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_download_opts {
  const char *sha256; /* expected digest, 64 hex digits (any case), or NULL */
  bool resume;        /* continue DEST.part when it exists (else start over) */
  const char *label;  /* progress-bar label (NULL: DEST's file name) */
  long connect_timeout_s; /* 0: 30 s; a stalled transfer (< 1 byte/s for
                             this long, at least 30 s) is an error too */
} cn_download_opts;

cn_status cn_download(const char *url, const char *dest,
                      const cn_download_opts *opts);

/* SHA-256 of a file's bytes as 64 lower-case hex digits (hex[64] = 0). */
cn_status cn_sha256_file(const char *path, char hex[65]);

/* The version of libcurl in use ("8.1.2 (GnuTLS/3.7.9)"). */
const char *cn_download_backend(void);

#ifdef __cplusplus
}
#endif
#endif
