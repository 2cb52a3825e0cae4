/* canns — status codes and error messages.
 *
 * Every libcanns function that can fail returns a cn_status.  On failure it
 * has also stored a human-readable message in a thread-local buffer, which
 * the caller reads with cn_errmsg().  Nothing in libcanns prints, aborts or
 * exits on bad input; the Lua bindings turn a failed status into a Lua error.
 */
#ifndef CANNS_ERROR_H
#define CANNS_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cn_status {
  CN_OK = 0,
  CN_EINVAL,   /* invalid argument (shape, value, option)          */
  CN_ENOMEM,   /* allocation failed or would be unreasonably large */
  CN_EIO,      /* file could not be opened, read or written        */
  CN_EFORMAT,  /* file is corrupt, truncated or of unsupported kind */
  CN_EDTYPE,   /* array has an unsupported element type            */
  CN_ESHAPE,   /* arrays have incompatible shapes                  */
  CN_ERANGE,   /* index or size out of range / would overflow      */
  CN_EUNSUP,   /* feature not built in (e.g. CUDA without a GPU)   */
  CN_EINTERNAL /* library bug or external library failure          */
} cn_status;

/* Record an error: formats the message (printf-style) into the
 * thread-local buffer and returns `code`, so that callers can write
 *   return cn_error(CN_EINVAL, "n must be positive, got %d", n);          */
cn_status cn_error(cn_status code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The message of the last error recorded on this thread ("" if none). */
const char *cn_errmsg(void);

/* A short name for a status code ("invalid argument", ...). */
const char *cn_strstatus(cn_status code);

/* Convenience: propagate a failed status. */
#define CN_TRY(expr)                                                          \
  do {                                                                        \
    cn_status cn_try_s_ = (expr);                                             \
    if (cn_try_s_ != CN_OK) return cn_try_s_;                                 \
  } while (0)

#ifdef __cplusplus
}
#endif
#endif
