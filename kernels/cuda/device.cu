// canns — CUDA device discovery (for `canns doctor` and the GPU paths).
#include <cuda_runtime.h>
#include <stdio.h>

extern "C" int cn_cuda_device_count(void) {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError(); /* clear the sticky "no driver" error */
    return 0;
  }
  return n;
}

extern "C" int cn_cuda_describe(char *buf, int n) {
  int rt = 0, drv = 0;
  cudaRuntimeGetVersion(&rt);
  cudaDriverGetVersion(&drv);
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  int p = snprintf(buf, n, "CUDA runtime %d.%d", rt / 1000, (rt % 1000) / 10);
  if (e != cudaSuccess) {
    snprintf(buf + p, n - p, ", no devices (%s)", cudaGetErrorString(e));
    cudaGetLastError();
    return 0;
  }
  p += snprintf(buf + p, n - p, ", driver %d.%d, %d device%s", drv / 1000, (drv % 1000) / 10,
                count, count == 1 ? "" : "s");
  for (int i = 0; i < count && p < n; i++) {
    cudaDeviceProp prop;
    if (cudaGetDeviceProperties(&prop, i) == cudaSuccess)
      p += snprintf(buf + p, n - p, "%s%s (%.0f GiB, sm_%d%d)", i ? "; " : ": ", prop.name,
                    prop.totalGlobalMem / 1073741824.0, prop.major, prop.minor);
  }
  return count;
}
