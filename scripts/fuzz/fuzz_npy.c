/* libFuzzer harness for the NPY reader (cn_npy_parse).
 *
 * Any input must give either an error or an array; an accepted array must
 * survive a write/read round trip unchanged.  See README.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canns/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cn_array *a = NULL;
  if (cn_npy_parse(data, size, &a) != CN_OK) {
    if (a) abort(); /* no result on failure */
    return 0;
  }
  void *buf;
  size_t len;
  if (cn_npy_format(a, &buf, &len) != CN_OK) abort();
  cn_array *b = NULL;
  if (cn_npy_parse(buf, len, &b) != CN_OK) abort();
  size_t bytes = (size_t)a->size * cn_dtype_size(a->dtype);
  if (b->dtype != a->dtype || b->ndim != a->ndim || b->size != a->size ||
      memcmp(b->shape, a->shape, sizeof a->shape[0] * (size_t)a->ndim) != 0 ||
      (bytes && memcmp(a->data, b->data, bytes) != 0))
    abort();
  free(buf);
  cn_array_release(a);
  cn_array_release(b);
  return 0;
}
