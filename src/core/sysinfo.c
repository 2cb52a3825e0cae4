/* canns — build and run-time information (for `canns doctor`). */
#include "canns/sysinfo.h"

#include <fftw3.h>
#include <netcdf.h>
#include <omp.h>
#include <stdio.h>

#include "canns/array.h"
#include "canns_config.h"

/* OpenBLAS exports these; declared here to avoid depending on its headers
 * beyond cblas.h. */
char *openblas_get_config(void);
int openblas_get_num_threads(void);

const char *cn_version(void) { return CANNS_VERSION; }

void cn_info_blas(char *buf, int n) {
  snprintf(buf, n, "%s (%d threads)", openblas_get_config(), openblas_get_num_threads());
}

void cn_info_fftw(char *buf, int n) { snprintf(buf, n, "%s (float and double)", fftwf_version); }

void cn_info_openmp(char *buf, int n) {
  snprintf(buf, n, "OpenMP %d, %d threads (%d processors)", _OPENMP, cn_num_threads(),
           omp_get_num_procs());
}

void cn_info_netcdf(char *buf, int n) { snprintf(buf, n, "netCDF %s", nc_inq_libvers()); }

#ifdef CANNS_HAVE_CUDA
int cn_cuda_describe(char *buf, int n); /* kernels/cuda/device.cu */
void cn_info_cuda(char *buf, int n) { cn_cuda_describe(buf, n); }
#else
void cn_info_cuda(char *buf, int n) {
  snprintf(buf, n, "not built (no CUDA toolkit found at configure time)");
}
#endif

void cn_info_build(char *buf, int n) {
  snprintf(buf, n, "canns %s, %s build%s", CANNS_VERSION, CANNS_BUILD_TYPE,
           CANNS_SANITIZE ? ", ASan+UBSan" : "");
}
