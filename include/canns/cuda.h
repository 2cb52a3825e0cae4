/* canns — the CUDA backend's C entry points.
 *
 * Built when nvcc is found at configure time (the .cu files under kernels/cuda); without
 * it every entry returns CN_EUNSUP (src/core/cuda_stub.c).  Without a GPU
 * at run time cn_cuda_device_count() is 0 and the entries return CN_EUNSUP.
 * What exists today: device discovery and the Philox4x32-10 generator on
 * the device, bit-identical to the CPU one (canns/random.h).
 */
#ifndef CANNS_CUDA_H
#define CANNS_CUDA_H

#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"
#include "canns/random.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of usable CUDA devices (0 when not built or no driver/GPU). */
int cn_cuda_device_count(void);

/* The raw Philox4x32-10 words of counter blocks g->counter ..
 * g->counter+nblocks-1 for key g->key, computed on the device and copied to
 * out[4*nblocks] (host memory); the same words cn_philox4x32_10 gives with
 * the block layout of canns/random.h.  Does not advance g. */
cn_status cn_cuda_philox_blocks(const cn_rng *g, int64_t nblocks, uint32_t *out);

/* cn_rng_uniform computed on the device: fills the float32/float64 host
 * array out with the same numbers bit for bit, and advances g the same. */
cn_status cn_cuda_rng_uniform(cn_rng *g, cn_array *out, double low, double high);

#ifdef __cplusplus
}
#endif
#endif
