/* canns — vanilla tanh RNN (include/canns/slowpts.h): forward pass,
 * Jacobians and BPTT + Adam training for canns.nn.RNN. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/slowpts.h"

static cn_status check(const cn_rnn *r, const char *fn) {
  if (!r || r->I < 0 || r->H < 1 || r->O < 0 || !r->W_ih || !r->W_hh || !r->b)
    return cn_error(CN_EINVAL, "%s: the RNN is incomplete", fn);
  return CN_OK;
}

/* a (H) = u W_ih + x W_hh + b, then tanh */
static void step1(const cn_rnn *r, const float *x, const float *u, float *h) {
  int64_t I = r->I, H = r->H;
  for (int64_t a = 0; a < H; a++) h[a] = r->b[a];
  for (int64_t i = 0; i < I; i++) {
    float ui = u[i];
    if (ui == 0.0f) continue;
    const float *w = r->W_ih + i * H;
    for (int64_t a = 0; a < H; a++) h[a] += ui * w[a];
  }
  for (int64_t c = 0; c < H; c++) {
    float xc = x[c];
    const float *w = r->W_hh + c * H;
    for (int64_t a = 0; a < H; a++) h[a] += xc * w[a];
  }
  for (int64_t a = 0; a < H; a++) h[a] = tanhf(h[a]);
}

static void readout(const cn_rnn *r, const float *h, float *y) {
  int64_t H = r->H, O = r->O;
  for (int64_t o = 0; o < O; o++) y[o] = r->b_out[o];
  for (int64_t a = 0; a < H; a++) {
    const float *w = r->W_out + a * O;
    for (int64_t o = 0; o < O; o++) y[o] += h[a] * w[o];
  }
}

cn_status cn_rnn_forward(const cn_rnn *r, const float *U, int64_t B, int64_t T, float *Hs,
                         float *Y) {
  CN_TRY(check(r, "rnn_forward"));
  if (Y && (!r->W_out || !r->b_out)) return cn_error(CN_EINVAL, "rnn_forward: no readout");
  int64_t I = r->I, H = r->H, O = r->O;
  float *tmp = malloc((size_t)(2 * H) * sizeof *tmp);
  if (!tmp) return cn_error(CN_ENOMEM, "rnn_forward: out of memory");
  for (int64_t b = 0; b < B; b++) {
    float *hp = tmp, *hn = tmp + H;
    memcpy(hp, r->h0, (size_t)H * sizeof *hp);
    for (int64_t t = 0; t < T; t++) {
      step1(r, hp, U + (b * T + t) * I, hn);
      if (Hs) memcpy(Hs + (b * T + t) * H, hn, (size_t)H * sizeof *hn);
      if (Y) readout(r, hn, Y + (b * T + t) * O);
      float *s = hp;
      hp = hn;
      hn = s;
    }
  }
  free(tmp);
  return CN_OK;
}

cn_status cn_rnn_step_jac(const cn_rnn *r, const float *X, const float *U, int64_t n,
                          int64_t n_u, float *Fx, float *J, float *dFdu) {
  CN_TRY(check(r, "rnn_step"));
  int64_t I = r->I, H = r->H;
#pragma omp parallel for schedule(static) if (n * H * H > 65536)
  for (int64_t p = 0; p < n; p++) {
    const float *u = U + (n_u == 1 ? 0 : p) * I;
    float *f = Fx + p * H;
    step1(r, X + p * H, u, f);
    for (int64_t a = 0; a < H; a++) {
      float d = 1.0f - f[a] * f[a];
      if (J)
        for (int64_t c = 0; c < H; c++) J[(p * H + a) * H + c] = d * r->W_hh[c * H + a];
      if (dFdu)
        for (int64_t i = 0; i < I; i++) dFdu[(p * H + a) * I + i] = d * r->W_ih[i * H + a];
    }
  }
  return CN_OK;
}

cn_status cn_rnn_qgrad(const cn_rnn *r, const float *X, const float *U, int64_t n, int64_t n_u,
                       float *Fx, float *G) {
  CN_TRY(check(r, "rnn_qgrad"));
  int64_t I = r->I, H = r->H;
  float inv = n > 0 ? 1.0f / (float)n : 0.0f;
#pragma omp parallel if (n * H * H > 65536)
  {
    float *e = malloc((size_t)H * sizeof *e);
#pragma omp for schedule(static)
    for (int64_t p = 0; p < n; p++) {
      if (!e) continue;
      const float *x = X + p * H, *u = U + (n_u == 1 ? 0 : p) * I;
      float *f = Fx + p * H, *g = G + p * H;
      step1(r, x, u, f);
      /* e = x - F; grad q = e - J^T e, (J^T e)_c = sum_a (1 - f_a^2) W_hh[c][a] e_a */
      for (int64_t a = 0; a < H; a++) e[a] = x[a] - f[a];
      for (int64_t c = 0; c < H; c++) {
        const float *w = r->W_hh + c * H;
        float s = 0.0f;
        for (int64_t a = 0; a < H; a++) s += (1.0f - f[a] * f[a]) * w[a] * e[a];
        g[c] = (e[c] - s) * inv;
      }
    }
    free(e);
  }
  return CN_OK;
}

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

typedef struct adam {
  float *m, *v;
  int64_t t;
} adam;

static void adam_step(float *p, const float *g, float *m, float *v, int64_t k, int64_t t,
                      double lr) {
  const double b1 = 0.9, b2 = 0.999;
  float a = (float)(lr * sqrt(1.0 - pow(b2, (double)t)) / (1.0 - pow(b1, (double)t)));
  for (int64_t i = 0; i < k; i++) {
    m[i] = 0.9f * m[i] + 0.1f * g[i];
    v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
    p[i] -= a * m[i] / (sqrtf(v[i]) + 1e-8f);
  }
}

cn_status cn_rnn_train(cn_rnn *r, const float *U, const float *Yt, int64_t N, int64_t T,
                       int64_t epochs, int64_t batch, double lr, double loss_tol, uint64_t seed,
                       double *losses, int64_t *n_done) {
  const char *fn = "rnn_train";
  CN_TRY(check(r, fn));
  if (!r->W_out || !r->b_out || !r->h0) return cn_error(CN_EINVAL, "%s: no readout", fn);
  if (N < 1 || T < 1 || batch < 1) return cn_error(CN_EINVAL, "%s: empty data", fn);
  int64_t I = r->I, H = r->H, O = r->O;
  /* parameter blocks in one buffer: W_ih, W_hh, b, W_out, b_out, h0 */
  int64_t sz[6] = {I * H, H * H, H, H * O, O, H}, off[7] = {0};
  float *ptr[6] = {r->W_ih, r->W_hh, r->b, r->W_out, r->b_out, r->h0};
  for (int k = 0; k < 6; k++) off[k + 1] = off[k] + sz[k];
  int64_t P = off[6], bs = batch < N ? batch : N;
  float *grad = calloc((size_t)P, sizeof(float)), *m = calloc((size_t)P, sizeof(float)),
        *v = calloc((size_t)P, sizeof(float));
  float *hs = malloc((size_t)(bs * (T + 1) * H) * sizeof(float));
  float *ys = malloc((size_t)(bs * T * O) * sizeof(float));
  float *dh = malloc((size_t)(2 * H) * sizeof(float)), *dy = malloc((size_t)(O + 1) * sizeof(float));
  int64_t *perm = malloc((size_t)N * sizeof *perm);
  if (!grad || !m || !v || !hs || !ys || !dh || !dy || !perm) {
    free(grad), free(m), free(v), free(hs), free(ys), free(dh), free(dy), free(perm);
    return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  }
  uint64_t st = seed;
  int64_t step = 0, e = 0;
  for (e = 0; e < epochs; e++) {
    for (int64_t i = 0; i < N; i++) perm[i] = i;
    for (int64_t i = N - 1; i > 0; i--) {
      int64_t j = (int64_t)(splitmix(&st) % (uint64_t)(i + 1));
      int64_t s = perm[i];
      perm[i] = perm[j];
      perm[j] = s;
    }
    double esum = 0;
    int64_t nb = 0;
    for (int64_t s0 = 0; s0 < N; s0 += bs, nb++) {
      int64_t nbat = N - s0 < bs ? N - s0 : bs;
      memset(grad, 0, (size_t)P * sizeof *grad);
      double loss = 0, scale = 2.0 / (double)(nbat * T * (O > 0 ? O : 1));
      for (int64_t bi = 0; bi < nbat; bi++) {
        int64_t b = perm[s0 + bi];
        float *h = hs + bi * (T + 1) * H;
        memcpy(h, r->h0, (size_t)H * sizeof *h);
        for (int64_t t = 0; t < T; t++) {
          step1(r, h + t * H, U + (b * T + t) * I, h + (t + 1) * H);
          readout(r, h + (t + 1) * H, ys + (bi * T + t) * O);
        }
        float *dnext = dh, *da = dh + H;
        memset(dnext, 0, (size_t)H * sizeof *dnext);
        for (int64_t t = T - 1; t >= 0; t--) {
          const float *ht = h + (t + 1) * H, *hp = h + t * H, *y = ys + (bi * T + t) * O,
                      *yt = Yt + (b * T + t) * O, *u = U + (b * T + t) * I;
          for (int64_t o = 0; o < O; o++) {
            double d = (double)y[o] - yt[o];
            loss += d * d;
            dy[o] = (float)(scale * d);
            grad[off[4] + o] += dy[o];
          }
          for (int64_t a = 0; a < H; a++) {
            float s = dnext[a];
            const float *w = r->W_out + a * O;
            for (int64_t o = 0; o < O; o++) {
              grad[off[3] + a * O + o] += ht[a] * dy[o];
              s += dy[o] * w[o];
            }
            da[a] = s * (1.0f - ht[a] * ht[a]);
            grad[off[2] + a] += da[a];
          }
          for (int64_t i = 0; i < I; i++)
            if (u[i] != 0.0f)
              for (int64_t a = 0; a < H; a++) grad[off[0] + i * H + a] += u[i] * da[a];
          for (int64_t c = 0; c < H; c++) {
            const float *w = r->W_hh + c * H;
            float s = 0;
            for (int64_t a = 0; a < H; a++) {
              grad[off[1] + c * H + a] += hp[c] * da[a];
              s += w[a] * da[a];
            }
            dnext[c] = s;
          }
        }
        for (int64_t a = 0; a < H; a++) grad[off[5] + a] += dnext[a];
      }
      loss /= (double)(nbat * T * (O > 0 ? O : 1));
      esum += loss;
      step++;
      for (int k = 0; k < 6; k++)
        adam_step(ptr[k], grad + off[k], m + off[k], v + off[k], sz[k], step, lr);
    }
    double el = esum / (double)nb;
    if (losses) losses[e] = el;
    if (!(el >= loss_tol)) {
      e++;
      break;
    }
  }
  *n_done = e;
  free(grad), free(m), free(v), free(hs), free(ys), free(dh), free(dy), free(perm);
  return CN_OK;
}
