/* canns — a terminal progress bar for long loops.
 *
 *   cn_progress *p = cn_progress_new("simulate", nsteps);
 *   for (i = 0; i < nsteps; i++) { ...; cn_progress_tick(p, 1); }
 *   cn_progress_free(p);   // finishes the line
 *
 * The bar is drawn on stderr only when it is a terminal, at most ~10 times
 * per second, with rate and ETA.  It is silent when CANNS_PROGRESS=0, when
 * cn_progress_set_enabled(false) was called, or when the caller passes
 * total <= 0.  cn_progress_tick is thread-safe (atomic counter; whichever
 * thread crosses the redraw time draws).  A NULL bar is a valid no-op.
 */
#ifndef CANNS_PROGRESS_H
#define CANNS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_progress cn_progress;

cn_progress *cn_progress_new(const char *label, int64_t total);
/* The same bar counting bytes: shows "3.2/8.7 MiB" and a rate in MiB/s
 * (downloads). */
cn_progress *cn_progress_new_bytes(const char *label, int64_t total);
void cn_progress_tick(cn_progress *p, int64_t n);
void cn_progress_free(cn_progress *p);
/* Process-wide switch (canns.set_progress); the environment variable
 * CANNS_PROGRESS=0 always wins. */
void cn_progress_set_enabled(bool on);
bool cn_progress_enabled(void);
/* Format seconds as "1:02:03" / "02:03" into buf. */
void cn_progress_format_time(double seconds, char *buf, int n);

#ifdef __cplusplus
}
#endif
#endif
