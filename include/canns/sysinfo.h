/* canns — what this build of libcanns was built with and can see. */
#ifndef CANNS_SYSINFO_H
#define CANNS_SYSINFO_H
#ifdef __cplusplus
extern "C" {
#endif
const char *cn_version(void);
/* Each writes a one-line description into buf (always NUL-terminated). */
void cn_info_blas(char *buf, int n);
void cn_info_fftw(char *buf, int n);
void cn_info_openmp(char *buf, int n);
void cn_info_netcdf(char *buf, int n);
void cn_info_cuda(char *buf, int n);
void cn_info_build(char *buf, int n);
#ifdef __cplusplus
}
#endif
#endif
