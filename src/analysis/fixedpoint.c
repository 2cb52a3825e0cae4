/* canns — one iteration of the fixed-point finder (upstream
 * canns.analyzer.slow_points.FixedPointFinder._run_optimization): q, dq,
 * the convergence test and the Adam step (BrainPy's Adam: beta1 0.9,
 * beta2 0.999, eps 1e-8, the step size never decays). */
#include <math.h>

#include "canns/slowpts.h"

cn_status cn_fp_iter(float *X, const float *Fx, const float *G, float *m, float *v, int64_t n,
                     int64_t S, int64_t t, double lr, float *q_prev, float *q, float *dq,
                     double tol_q, double tol_dq, double stats[4], int *done) {
  if (n < 0 || S < 0 || t < 1) return cn_error(CN_EINVAL, "fp_iter: bad sizes");
  float a = (float)(lr * sqrt(1.0 - pow(0.999, (double)t)) / (1.0 - pow(0.9, (double)t)));
  double sq = 0, sq2 = 0, sd = 0, sd2 = 0;
  int all = 1;
  for (int64_t p = 0; p < n; p++) {
    float *x = X + p * S;
    const float *f = Fx + p * S;
    float s = 0;
    for (int64_t k = 0; k < S; k++) {
      float e = x[k] - f[k];
      s += e * e;
    }
    float qi = 0.5f * s, dqi = fabsf(qi - q_prev[p]);
    q[p] = qi;
    dq[p] = dqi;
    q_prev[p] = qi;
    sq += qi, sq2 += (double)qi * qi, sd += dqi, sd2 += (double)dqi * dqi;
    if (!((double)dqi < tol_dq || (double)qi < tol_q)) all = 0;
    const float *g = G + p * S;
    float *mp = m + p * S, *vp = v + p * S;
    for (int64_t k = 0; k < S; k++) {
      mp[k] = 0.9f * mp[k] + 0.1f * g[k];
      vp[k] = 0.999f * vp[k] + 0.001f * g[k] * g[k];
      x[k] -= a * mp[k] / (sqrtf(vp[k]) + 1e-8f);
    }
  }
  double nn = n > 0 ? (double)n : 1.0;
  stats[0] = sq / nn;
  stats[1] = sqrt(fmax(0.0, sq2 / nn - stats[0] * stats[0]));
  stats[2] = sd / nn;
  stats[3] = sqrt(fmax(0.0, sd2 / nn - stats[2] * stats[2]));
  *done = all;
  return CN_OK;
}
