/* libFuzzer harness for the NPZ reader (cn_npz_parse: a zip archive in
 * memory, opened with libzip).
 *
 * Any input must give either an error or a dataset whose members are
 * well-formed arrays.  See README.md. */
#include <stdint.h>
#include <stdlib.h>

#include "canns/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cn_dataset *ds = NULL;
  if (cn_npz_parse(data, size, &ds) != CN_OK) {
    if (ds) abort();
    return 0;
  }
  for (int i = 0; i < ds->nvars; i++) {
    const cn_array *a = ds->vars[i].array;
    int64_t n = 1;
    for (int d = 0; d < a->ndim; d++) n *= a->shape[d];
    if (n != a->size || (unsigned)a->dtype >= CN_NDTYPES) abort();
    if (a->dtype == CN_BOOL)
      for (int64_t k = 0; k < a->size; k++)
        if (((const uint8_t *)a->data)[k] > 1) abort();
  }
  cn_dataset_free(ds);
  return 0;
}
