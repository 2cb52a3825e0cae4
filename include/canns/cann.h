/* canns — the classic continuous attractor networks (upstream `canns.models.basic.cann`):
 * CANN1D, CANN1D_SFA (ring) and CANN2D, CANN2D_SFA (torus).
 *
 *   cn_cann_params p;
 *   cn_cann_params_init(&p, false);        // Python defaults of CANN1D
 *   p.n = 512;
 *   cn_model *m;
 *   CN_TRY(cn_cann1d_new(&m, &p));
 *
 * The models are cn_model objects (include/canns/model.h) with the state
 * arrays "u", "r", "inp" (and "v" with SFA) and the attribute "x" (the
 * neuron coordinates).  The recurrent input is computed by one of:
 *   CN_CANN_DENSE      the plain N x N (1-D) or L^2 x L^2 (2-D) product —
 *                      the reference implementation;
 *   CN_CANN_FFT        a circular convolution through FFTW (1-D: period
 *                      N-1, as upstream's ring kernel; 2-D: 2-D FFT);
 *   CN_CANN_SEPARABLE  2-D only: Ky R Kx^T with two L x L Gaussian factors;
 *   CN_CANN_SPECTRAL   1-D only: the same circular convolution through a
 *                      pruned DFT, for kernels whose spectrum falls below
 *                      1e-9 of its peak after a few modes (the defaults);
 *   CN_CANN_AUTO       the fastest of these, measured at construction as
 *                      FFTW plans (a few recurrent products of each
 *                      candidate, a few ms), remembered per class, size,
 *                      dtype and thread count for the process and, when
 *                      the environment variable CANNS_WISDOM names a
 *                      file, across processes (see cn_cann_wisdom_*);
 *   CN_CANN_ESTIMATE   a fixed size rule, the same on every machine.
 * All give the same numbers to float32 round-off (not bit for bit: pick a
 * method, or "estimate", for results identical from run to run).
 */
#ifndef CANNS_CANN_H
#define CANNS_CANN_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cn_cann_method {
  CN_CANN_AUTO = 0,
  CN_CANN_DENSE,
  CN_CANN_FFT,
  CN_CANN_SEPARABLE,
  CN_CANN_SPECTRAL,
  CN_CANN_ESTIMATE
} cn_cann_method;

typedef struct cn_cann_params {
  int64_t n;        /* num (1-D) or length (2-D) */
  double tau, tau_v, k, a, A, J0, z_min, z_max, m;
  bool sfa;         /* spike-frequency adaptation (state v) */
  cn_dtype dtype;   /* CN_FLOAT32 (default) or CN_FLOAT64 */
  cn_cann_method method;
  /* canns 1.5's acceleration options (upstream `accl_mode`, `accl_k`,
   * `accl_target_err_mrad`), kept as given: accl_mode is NULL (upstream's
   * default "normal") or a name from cn_cann_accl_method; accl_k is 0
   * when not given.  They choose `method` (cn_cann_accl_method) and
   * change nothing else: every method here is exact. */
  const char *accl_mode;
  int64_t accl_k;
  double accl_target_err_mrad;
} cn_cann_params;

/* The Python toolkit's defaults: tau 1, k 8.1, a 0.5, A 10, J0 4, z in
 * [-pi, pi]; with sfa: tau_v 50, a 0.3, A 0.2, J0 1, m 0.3.  n is 0 and
 * must be set. */
void cn_cann_params_init(cn_cann_params *p, bool sfa);
/* Check every field (n > 0, finite numbers, tau, tau_v, a > 0,
 * z_max > z_min); fname names the model in messages. */
cn_status cn_cann_params_check(const cn_cann_params *p, const char *fname);

cn_status cn_cann1d_new(cn_model **out, const cn_cann_params *p);
cn_status cn_cann2d_new(cn_model **out, const cn_cann_params *p);

/* Whether m is one of the four CANN models, and its parameters. */
bool cn_is_cann(const cn_model *m);
const cn_cann_params *cn_cann_get_params(const cn_model *m);
/* The method in use (never CN_CANN_AUTO) and its name. */
cn_cann_method cn_cann_method_used(const cn_model *m);
const char *cn_cann_method_name(cn_cann_method method);
cn_status cn_cann_method_from_name(const char *name, cn_cann_method *out);
/* Upstream's accl_mode names onto the exact methods: "normal" (upstream's
 * default, full-rank) and "fast", "ultra-fast", "auto" (upstream: low-rank
 * SVD approximations) give CN_CANN_AUTO, the fastest exact method;
 * "fft" gives CN_CANN_FFT and "dense" CN_CANN_DENSE.  *canon receives the
 * static spelling of the name.  fname and argname ("argument 'accl_mode'")
 * name the caller and the argument in messages. */
cn_status cn_cann_accl_method(const char *mode, const char *fname, const char *argname,
                              cn_cann_method *out, const char **canon);
/* set_accl_mode upstream: mode NULL keeps the current one, k 0 and
 * target_err_mrad NaN keep theirs; k must be >= 1 when given. */
cn_status cn_cann_set_accl_mode(cn_model *m, const char *mode, int64_t k,
                                double target_err_mrad);

/* Change the method of a built model (its state is kept), e.g. for
 * set_accl_mode: the new method's parts are built before the old ones are
 * freed, so on failure the model is unchanged. */
cn_status cn_cann_set_method(cn_model *m, cn_cann_method method);

/* Wisdom: the methods "auto" measured, as text lines
 *   <class> <size> <dtype> <threads> <variant> <method>
 * after a "canns-wisdom 1" header.  With CANNS_WISDOM set, the file is
 * imported at the first measured choice and exported (atomically) after
 * each new one.  An unreadable or malformed file is ignored as a whole
 * (CN_EIO / CN_EFORMAT from import, nothing changed). */
cn_status cn_cann_wisdom_import(const char *path);
cn_status cn_cann_wisdom_export(const char *path);
/* Forget every remembered choice (the next "auto" measures again). */
void cn_cann_wisdom_forget(void);

/* The dense connection matrix (N x N or L^2 x L^2), built on request. */
cn_status cn_cann_conn_mat(cn_model *m, cn_array **out);
/* Ring distance of every element of d (dist() upstream): remainder by
 * z_range, then shifted into (-z_range/2, z_range/2]. */
cn_status cn_cann_dist(cn_model *m, const cn_array *d, cn_array **out);

/* The NULL-terminated list of the four built-in classes (registered in
 * the model registry at first use). */
const cn_model_class *const *cn_cann_classes(void);

#ifdef __cplusplus
}
#endif
#endif
