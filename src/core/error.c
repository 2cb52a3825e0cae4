/* canns — thread-local error messages (see include/canns/error.h). */
#include "canns/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char errbuf[1024];

cn_status cn_error(cn_status code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errbuf, sizeof errbuf, fmt, ap);
  va_end(ap);
  return code;
}

const char *cn_errmsg(void) { return errbuf; }

const char *cn_strstatus(cn_status code) {
  switch (code) {
  case CN_OK: return "ok";
  case CN_EINVAL: return "invalid argument";
  case CN_ENOMEM: return "out of memory";
  case CN_EIO: return "input/output error";
  case CN_EFORMAT: return "bad file format";
  case CN_EDTYPE: return "unsupported dtype";
  case CN_ESHAPE: return "shape mismatch";
  case CN_ERANGE: return "out of range";
  case CN_EUNSUP: return "not supported";
  case CN_EINTERNAL: return "internal error";
  }
  return "unknown error";
}
