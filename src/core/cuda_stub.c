/* canns — the CUDA entry points when the library is built without nvcc:
 * each reports CN_EUNSUP (see canns/cuda.h). */
#include "canns/cuda.h"

#ifndef CANNS_HAVE_CUDA
int cn_cuda_device_count(void) { return 0; }

cn_status cn_cuda_philox_blocks(const cn_rng *g, int64_t nblocks, uint32_t *out) {
  (void)g; (void)nblocks; (void)out;
  return cn_error(CN_EUNSUP, "cuda: not built (no CUDA toolkit found at configure time)");
}

cn_status cn_cuda_rng_uniform(cn_rng *g, cn_array *out, double low, double high) {
  (void)g; (void)out; (void)low; (void)high;
  return cn_error(CN_EUNSUP, "cuda: not built (no CUDA toolkit found at configure time)");
}
#endif
