// canns — Philox4x32-10 on the device, bit-identical to src/core/random.c:
// the same bijection, the same counter-block layout ((lo, hi, "CANN", 0)
// with the 64-bit seed as key), the same 53-bit uniforms and the same
// float32 rounding with the half-open clamp.  Double arithmetic is written
// with explicit round-to-nearest intrinsics so nvcc cannot contract it
// into an FMA the CPU does not do.
#include <cuda_runtime.h>
#include <math.h>

#include "canns/cuda.h"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

__device__ static void philox_block(uint64_t key, uint64_t b, uint32_t out[4]) {
  uint32_t c0 = (uint32_t)b, c1 = (uint32_t)(b >> 32), c2 = 0x43414e4eu, c3 = 0;
  uint32_t k0 = (uint32_t)key, k1 = (uint32_t)(key >> 32);
#pragma unroll
  for (int r = 0; r < 10; r++) {
    uint32_t hi0 = __umulhi(PHILOX_M0, c0), lo0 = PHILOX_M0 * c0;
    uint32_t hi1 = __umulhi(PHILOX_M1, c2), lo1 = PHILOX_M1 * c2;
    uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

__global__ static void k_blocks(uint64_t key, uint64_t c0, int64_t nb, uint32_t *out) {
  int64_t b = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (b >= nb) return;
  uint32_t w[4];
  philox_block(key, c0 + (uint64_t)b, w);
  for (int j = 0; j < 4; j++) out[4 * b + j] = w[j];
}

__global__ static void k_uniform(uint64_t key, uint64_t c0, int64_t n, double low, double w,
                                 double high, int f32, void *out) {
  int64_t b = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (2 * b >= n) return;
  uint32_t r[4];
  philox_block(key, c0 + (uint64_t)b, r);
  double u[2];
  u[0] = (double)(((uint64_t)r[0] << 21) ^ (r[1] >> 11)) * 0x1p-53;
  u[1] = (double)(((uint64_t)r[2] << 21) ^ (r[3] >> 11)) * 0x1p-53;
  for (int j = 0; j < 2 && 2 * b + j < n; j++) {
    double v = __dadd_rn(low, __dmul_rn(w, u[j]));
    if (f32) {
      float f = (float)v;
      if (f >= (float)high && high > low) f = nextafterf((float)high, -INFINITY);
      ((float *)out)[2 * b + j] = f;
    } else {
      ((double *)out)[2 * b + j] = v;
    }
  }
}

static cn_status cuda_fail(cudaError_t e, const char *what) {
  cudaGetLastError();
  return cn_error(e == cudaErrorMemoryAllocation ? CN_ENOMEM : CN_EINTERNAL, "cuda: %s: %s",
                  what, cudaGetErrorString(e));
}

static cn_status need_device(void) {
  if (cn_cuda_device_count() == 0)
    return cn_error(CN_EUNSUP, "cuda: no CUDA device available");
  return CN_OK;
}

extern "C" cn_status cn_cuda_philox_blocks(const cn_rng *g, int64_t nblocks, uint32_t *out) {
  if (!g || !out || nblocks < 0 || nblocks > ((int64_t)1 << 32))
    return cn_error(CN_EINVAL, "cuda philox: need 0 <= nblocks <= 2^32, got %lld",
                    (long long)nblocks);
  CN_TRY(need_device());
  if (nblocks == 0) return CN_OK;
  size_t bytes = (size_t)nblocks * 4 * sizeof(uint32_t);
  uint32_t *d = NULL;
  cudaError_t e = cudaMalloc(&d, bytes);
  if (e != cudaSuccess) return cuda_fail(e, "allocate");
  int t = 256;
  k_blocks<<<(unsigned)((nblocks + t - 1) / t), t>>>(g->key, g->counter, nblocks, d);
  e = cudaGetLastError();
  if (e == cudaSuccess) e = cudaMemcpy(out, d, bytes, cudaMemcpyDeviceToHost);
  cudaFree(d);
  return e == cudaSuccess ? CN_OK : cuda_fail(e, "philox kernel");
}

extern "C" cn_status cn_cuda_rng_uniform(cn_rng *g, cn_array *out, double low, double high) {
  if (!g || !out || (out->dtype != CN_FLOAT32 && out->dtype != CN_FLOAT64))
    return cn_error(CN_EDTYPE, "cuda uniform: need a float32 or float64 array");
  if (!isfinite(low) || !isfinite(high))
    return cn_error(CN_EINVAL, "cuda uniform: bounds must be finite, got [%g, %g)", low, high);
  double w = high - low;
  if (!isfinite(w))
    return cn_error(CN_EINVAL, "cuda uniform: high - low overflows for [%g, %g)", low, high);
  CN_TRY(need_device());
  int64_t n = out->size, nb = (n + 1) / 2;
  if (n > 0) {
    int f32 = out->dtype == CN_FLOAT32;
    size_t bytes = (size_t)n * (f32 ? sizeof(float) : sizeof(double));
    void *d = NULL;
    cudaError_t e = cudaMalloc(&d, bytes);
    if (e != cudaSuccess) return cuda_fail(e, "allocate");
    int t = 256;
    k_uniform<<<(unsigned)((nb + t - 1) / t), t>>>(g->key, g->counter, n, low, w, high, f32, d);
    e = cudaGetLastError();
    if (e == cudaSuccess) e = cudaMemcpy(out->data, d, bytes, cudaMemcpyDeviceToHost);
    cudaFree(d);
    if (e != cudaSuccess) return cuda_fail(e, "uniform kernel");
  }
  g->counter += (uint64_t)nb;
  return CN_OK;
}
