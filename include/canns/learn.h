/* canns — brain-inspired learning: Hebbian storage and Hopfield recall,
 * Oja / Sanger / BCM rules for linear layers, STDP for a LIF layer.
 *
 * Every routine works in place on float32 arrays owned by the caller (the
 * Lua model objects hold them) and runs its whole loop over the data set
 * inside C.  Arrays are row-major; a weight matrix W has shape
 * (outputs, inputs); a data set X has one sample per row.
 *
 * Conventions are those of the Python toolkit (upstream
 * `canns.trainer.*`, `canns.models.brain_inspired.*`), including
 * sign(0) = 0 for the sign network.  Nothing allocates per sample; each
 * call allocates at most one batch-sized work buffer.
 */
#ifndef CANNS_LEARN_H
#define CANNS_LEARN_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/array.h"
#include "canns/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- Hebbian storage (src/learn/hebbian.c) ------------------------- */
/* W (n, n) += sign * sum_p t_p t_p^T over the rows x_p of X (P, n), with
 * t_p = x_p - rho (rho = mean of all P*n entries when subtract_mean, else
 * 0), divided by P when normalize; then the diagonal is zeroed when
 * zero_diagonal.  One BLAS rank-P update (ssyrk). */
cn_status cn_hebbian_update(cn_array *W, const cn_array *X, double sign,
                            bool subtract_mean, bool normalize,
                            bool zero_diagonal);

/* --- Hopfield dynamics (src/learn/hopfield.c) ---------------------- */
typedef enum cn_hopfield_act {
  CN_HOPFIELD_SIGN = 0, /* sign(h), sign(0) = 0             */
  CN_HOPFIELD_TANH,     /* tanh(h / temperature)            */
  CN_HOPFIELD_SIGMOID   /* 1 / (1 + exp(-h / temperature))  */
} cn_hopfield_act;

typedef struct cn_hopfield_opts {
  cn_hopfield_act activation;
  double threshold;   /* h = W s - threshold */
  double temperature; /* for tanh / sigmoid  */
  bool asyn;          /* asynchronous (one neuron at a time) */
} cn_hopfield_opts;

/* Parse "sign" / "tanh" / "sigmoid". */
cn_status cn_hopfield_act_from_name(const char *name, cn_hopfield_act *out);

/* Run num_iter updates on every row of S (B, n) (or on S of shape (n))
 * in place.  Synchronous: S <- act(S W^T - threshold), one matrix product
 * per iteration for a block of probes.  Asynchronous: for k = perm[0..n-1]
 * in order, s_k <- act(W[k] . s - threshold); the same order is used for
 * every iteration and probe (upstream draws it once from a key it does not
 * advance).  perm must hold a permutation of 0..n-1 when asyn.  bar (may be
 * NULL) is ticked once per probe. */
cn_status cn_hopfield_recall(const cn_array *W, cn_array *S, int64_t num_iter,
                             const cn_hopfield_opts *o, const int64_t *perm,
                             cn_progress *bar);

/* energies[b] = -0.5 s_b^T W s_b + threshold * sum(s_b) for each row of S
 * (B, n) (or S (n), one energy), accumulated in double. */
cn_status cn_hopfield_energy(const cn_array *W, const cn_array *S,
                             double threshold, double *energies);

/* --- linear layers (src/learn/oja.c, sanger.c, bcm.c) -------------- */
/* One pass of Oja's rule over the rows of X (P, d) in order, W (k, d):
 *   y = W x;  W <- W + lr (y x^T - (y*y) 1^T * W);  rows renormalised
 *   (norm < 1e-10 -> divided by 1) when normalize. */
cn_status cn_oja_train(cn_array *W, const cn_array *X, double lr, bool normalize);
/* Sanger's generalised Hebbian rule: W <- W + lr (y x^T - tril(y y^T) W). */
cn_status cn_sanger_train(cn_array *W, const cn_array *X, double lr, bool normalize);
/* BCM: y = W x (W before the sample's update); W <- clip(W + lr (y (y - theta))
 * x^T, -10, 10); theta <- theta + alpha (y^2 - theta), alpha = 1/tau (1 if
 * tau <= 0).  theta has k entries. */
cn_status cn_bcm_train(cn_array *W, cn_array *theta, const cn_array *X,
                       double lr, double threshold_tau);

/* --- spiking layer and STDP (src/learn/stdp.c) --------------------- */
typedef struct cn_lif_params {
  double threshold, v_reset, leak, trace_decay;
} cn_lif_params;

typedef struct cn_stdp_params {
  double learning_rate, A_plus, A_minus, w_min, w_max;
} cn_stdp_params;

/* Forward the LIF layer over the rows of X (T, in) (or X (in), one step),
 * updating v, trace_pre, trace_post (and writing spikes (T, out) when not
 * NULL, the last step's spikes into spike when not NULL):
 *   trace_pre <- d trace_pre + x; v <- leak v + W x; spk = v >= threshold;
 *   v <- v_reset where spk; trace_post <- d trace_post + spk. */
cn_status cn_lif_forward(const cn_array *W, const cn_array *X,
                         const cn_lif_params *p, cn_array *v,
                         cn_array *trace_pre, cn_array *trace_post,
                         cn_array *spike, cn_array *spikes);

/* STDP over a sequence X (T, in): traces and v start at zero, each step is
 * the forward above followed by
 *   W <- clip(W + lr (A_plus spk trace_pre^T - A_minus trace_post x^T),
 *             w_min, w_max)
 * (both traces already include the step).  The final v and traces are
 * written into v, trace_pre, trace_post (and the last spikes into spike
 * when not NULL). */
cn_status cn_stdp_train(cn_array *W, const cn_array *X, const cn_lif_params *p,
                        const cn_stdp_params *s, cn_array *v,
                        cn_array *trace_pre, cn_array *trace_post,
                        cn_array *spike);

#ifdef __cplusplus
}
#endif
#endif
