/* canns — tracking-task input generators (upstream `canns.task.tracking`).
 *
 * The position sequences follow the Python toolkit to the bit: durations
 * are summed like numpy.sum, the total step count is ceil(sum / dt), each
 * segment gets int(d / dt) rows, segments are numpy.linspace with both ends
 * included, and rows left over repeat the last key point.  Positions are
 * float64 arrays of shape (T, ndim); stimuli come from the model
 * (cn_model_stimulus_seq) in its dtype.
 */
#ifndef CANNS_TASK_H
#define CANNS_TASK_H

#include <stdint.h>

#include "canns/array.h"
#include "canns/model.h"
#include "canns/random.h"

#ifdef __cplusplus
extern "C" {
#endif

/* numpy.sum of a float64 vector (pairwise summation, bit-exact). */
double cn_task_sum(const double *v, int64_t n);
/* ceil(sum(durations) / dt) with the checks of every task (durations
 * finite and >= 0, dt finite and > 0, result representable). */
cn_status cn_task_total_steps(const double *durations, int64_t n, double dt,
                              int64_t *out);
/* numpy.linspace(start, stop, n) with endpoint, one value. */
double cn_task_linspace_at(double start, double stop, int64_t n, int64_t k);

/* SmoothTracking: keys is nkeys x ndim (row-major), durations has
 * nkeys - 1 entries. */
cn_status cn_task_smooth_positions(int ndim, const double *keys, int64_t nkeys,
                                   const double *durations, int64_t ndur,
                                   double dt, cn_array **out);
/* The step function of PopulationCoding / TemplateMatching: key i held for
 * int(durations[i] / dt) rows; nkeys == ndur. */
cn_status cn_task_step_positions(int ndim, const double *keys, int64_t nkeys,
                                 const double *durations, int64_t ndur,
                                 double dt, cn_array **out);
/* The time vector run_steps: float32 k * dt for k < T (jax arange). */
cn_status cn_task_run_steps(int64_t T, double dt, cn_array **out);

/* PopulationCoding data: zeros of shape (T, model input shape) with
 * stimulus(pos) in rows start..end-1 (clipped to T). */
cn_status cn_task_population_data(cn_model *m, const double *pos, int64_t T,
                                  int64_t start, int64_t end, cn_array **out);
/* TemplateMatching data: row k = stimulus(pos) + noise_level * A * xi_k
 * with xi standard normals drawn from g, row after row. */
cn_status cn_task_template_data(cn_model *m, const double *pos, int64_t T,
                                 double noise_level, double A, cn_rng *g,
                                 cn_array **out);

#ifdef __cplusplus
}
#endif
#endif
