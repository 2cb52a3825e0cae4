/* libFuzzer harness for the netCDF reader (cn_nc_load: the header checks
 * of src/io/nc_header.c, then netCDF-C's nc_open and the variable reads).
 *
 * cn_nc_load reads by file name, so each input is written to one private
 * temporary file first.  Any input must give either an error or a dataset
 * whose members are well-formed arrays.  Inputs with an HDF5 (netCDF-4)
 * signature are skipped unless CANNS_FUZZ_HDF5=1: their parsing is HDF5's,
 * which is not instrumented here and has known crashes of its own.
 * See README.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canns/io.h"

static char tmp_path[512];
static int fuzz_hdf5;

static void cleanup(void) {
  if (tmp_path[0]) unlink(tmp_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *dir = getenv("TMPDIR");
  snprintf(tmp_path, sizeof tmp_path, "%s/canns-fuzz-nc-XXXXXX",
           dir && *dir ? dir : "/tmp");
  int fd = mkstemp(tmp_path);
  if (fd < 0) {
    perror("fuzz_nc: mkstemp");
    abort();
  }
  close(fd);
  atexit(cleanup);
  const char *h = getenv("CANNS_FUZZ_HDF5");
  fuzz_hdf5 = h && strcmp(h, "1") == 0;
  return 0;
}

/* The reader takes an HDF5 signature at 0, 512, 1024, 2048, ... */
static int has_hdf5_signature(const uint8_t *data, size_t size) {
  static const uint8_t hdf5[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  for (size_t off = 0; off + 8 <= size; off = off ? 2 * off : 512)
    if (memcmp(data + off, hdf5, 8) == 0) return 1;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz_hdf5 && has_hdf5_signature(data, size)) return 0;
  FILE *f = fopen(tmp_path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
  cn_dataset *ds = NULL;
  if (cn_nc_load(tmp_path, &ds) != CN_OK) {
    if (ds) abort();
    return 0;
  }
  for (int i = 0; i < ds->nvars; i++) {
    const cn_array *a = ds->vars[i].array;
    int64_t n = 1;
    for (int d = 0; d < a->ndim; d++) {
      n *= a->shape[d];
      if (!ds->vars[i].dims[d]) abort();
    }
    if (n != a->size || (unsigned)a->dtype >= CN_NDTYPES) abort();
    if (a->dtype == CN_BOOL)
      for (int64_t k = 0; k < a->size; k++)
        if (((const uint8_t *)a->data)[k] > 1) abort();
  }
  cn_dataset_free(ds);
  return 0;
}
