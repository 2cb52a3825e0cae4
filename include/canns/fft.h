/* canns — FFT helpers shared by the kernels that plan with FFTW.
 *
 * FFTW's planner is not thread-safe; every fftw(f)_plan_* and
 * fftw(f)_destroy_plan call in libcanns must be bracketed by these. */
#ifndef CANNS_FFT_H
#define CANNS_FFT_H
#ifdef __cplusplus
extern "C" {
#endif
void cn_fft_plan_lock(void);
void cn_fft_plan_unlock(void);
#ifdef __cplusplus
}
#endif
#endif
