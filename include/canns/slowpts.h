/* canns — vanilla tanh RNN (canns.nn.RNN) and the fixed-point finder's
 * kernels (canns.analyzer.slow_points).
 *
 * The RNN step, in row-vector convention (upstream examples' PyTorch /
 * BrainPy RNN):
 *   h' = tanh(u W_ih + h W_hh + b),   y = h' W_out + b_out
 * with W_ih (I, H), W_hh (H, H), b (H), W_out (H, O), b_out (O), h0 (H).
 * All arrays are float32, row-major; callers (src/lua/l_slowpts.c) check
 * shapes, these functions check them again through cn_rnn_check. */
#ifndef CANNS_SLOWPTS_H
#define CANNS_SLOWPTS_H

#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cn_rnn {
  int64_t I, H, O;
  float *W_ih, *W_hh, *b, *W_out, *b_out, *h0; /* borrowed */
} cn_rnn;

/* Forward B sequences U (B, T, I) from h0: hidden states Hs (B, T, H) and
 * outputs Y (B, T, O) (either may be NULL). */
cn_status cn_rnn_forward(const cn_rnn *r, const float *U, int64_t B, int64_t T, float *Hs,
                         float *Y);

/* One step for n points: Fx = tanh(u W_ih + x W_hh + b); X (n, H), U (n, I)
 * (U may have one row, broadcast).  J (n, H, H) and dFdu (n, H, I), when not
 * NULL, get the Jacobians J[a][c] = dF_a/dx_c, dFdu[a][i] = dF_a/du_i. */
cn_status cn_rnn_step_jac(const cn_rnn *r, const float *X, const float *U, int64_t n,
                          int64_t n_u, float *Fx, float *J, float *dFdu);

/* For the finder: Fx = F(x, u) and the gradient of mean_i q_i,
 * q_i = 1/2 |x_i - F(x_i, u_i)|^2, with respect to X: G (n, H). */
cn_status cn_rnn_qgrad(const cn_rnn *r, const float *X, const float *U, int64_t n, int64_t n_u,
                       float *Fx, float *G);

/* Train every parameter (h0 included) by BPTT on the mean squared error of
 * Y against targets (N, T, O), Adam (lr, 0.9, 0.999, 1e-8), minibatches of
 * `batch` from a fresh permutation each epoch (splitmix64 from seed), for
 * at most `epochs` epochs, stopping after the first epoch whose mean batch
 * loss is < loss_tol.  losses (epochs) gets each epoch's mean loss;
 * *n_done the number of epochs run. */
cn_status cn_rnn_train(cn_rnn *r, const float *U, const float *Yt, int64_t N, int64_t T,
                       int64_t epochs, int64_t batch, double lr, double loss_tol, uint64_t seed,
                       double *losses, int64_t *n_done);

/* One finder iteration on n points of dimension S after Fx = F(x) and G
 * (the gradient of mean q) were computed at X:
 *   q = 1/2 |x - Fx|^2, dq = |q - q_prev| (NaN where q_prev is NaN),
 *   Adam step t (1-based) of X with m, v (n*S each), step size lr,
 *   q_prev <- q.  stats[0..3] = mean q, std q, mean dq, std dq (population
 * std); *done = every point has dq < tol_dq or q < tol_q. */
cn_status cn_fp_iter(float *X, const float *Fx, const float *G, float *m, float *v, int64_t n,
                     int64_t S, int64_t t, double lr, float *q_prev, float *q, float *dq,
                     double tol_q, double tol_dq, double stats[4], int *done);

#ifdef __cplusplus
}
#endif
#endif
