/* canns — the twisted-torus phase sheet (models/twisted_torus.h). */
#include "models/twisted_torus.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/vecmath.h"
#include "models/torusconv.h"

/* numpy/jax remainder: the sign of y */
static inline float remf(float x, float y) {
  float r = fmodf(x, y);
  if (r != 0 && ((r < 0) != (y < 0))) r = r + y;
  return r;
}

void cn_ttorus_free(cn_ttorus *t) {
  cn_array *all[] = {t->x_grid, t->y_grid, t->value_grid, t->value_bump, t->candidate_centers,
                     t->coor_transform, t->coor_transform_inv};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cn_array_release(all[i]);
  free(t->trig);
  memset(t, 0, sizeof *t);
}

cn_status cn_ttorus_build(cn_ttorus *t, int64_t L, double mapping_ratio) {
  memset(t, 0, sizeof *t);
  t->L = L;
  t->N = L * L;
  int64_t N = t->N;
  t->pi = (float)M_PI;
  t->two_pi = (float)(2.0 * M_PI);
  t->mapping_ratio = (float)mapping_ratio;
  float s3 = sqrtf(3.0f);
  t->T[0] = 1.0f, t->T[1] = -1.0f / s3, t->T[2] = 0.0f, t->T[3] = 2.0f / s3;
  /* inverse of the upper-triangular T by back substitution (float32) */
  float id = 1.0f / t->T[3];
  t->Tinv[0] = 1.0f, t->Tinv[1] = -t->T[1] * id, t->Tinv[2] = 0.0f, t->Tinv[3] = id;
  int64_t s2[2] = {2, 2}, n2[2] = {N, 2}, c2[2] = {CN_TT_NCAND * CN_TT_NCAND, 2};
  cn_array *xb = NULL;
  cn_status s = cn_array_empty(&t->coor_transform, CN_FLOAT32, 2, s2);
  if (s == CN_OK) s = cn_array_empty(&t->coor_transform_inv, CN_FLOAT32, 2, s2);
  if (s == CN_OK) s = cn_array_empty(&t->x_grid, CN_FLOAT32, 1, &N);
  if (s == CN_OK) s = cn_array_empty(&t->y_grid, CN_FLOAT32, 1, &N);
  if (s == CN_OK) s = cn_array_empty(&t->value_grid, CN_FLOAT32, 2, n2);
  if (s == CN_OK) s = cn_array_empty(&t->value_bump, CN_FLOAT32, 2, n2);
  if (s == CN_OK) s = cn_array_empty(&t->candidate_centers, CN_FLOAT32, 2, c2);
  if (s == CN_OK) s = cn_linspace(&xb, -M_PI, M_PI, L + 1, true, CN_FLOAT32);
  if (s == CN_OK && !(t->trig = malloc((size_t)(4 * N) * sizeof(float))))
    s = cn_error(CN_ENOMEM, "twisted torus: out of memory (side %lld)", (long long)L);
  if (s != CN_OK) {
    cn_ttorus_free(t);
    return s;
  }
  memcpy(t->coor_transform->data, t->T, sizeof t->T);
  memcpy(t->coor_transform_inv->data, t->Tinv, sizeof t->Tinv);
  const float *xbv = cn_f32(xb);
  for (int64_t n = 0; n < N; n++) {
    float x = xbv[n % L], y = xbv[n / L];
    cn_f32(t->x_grid)[n] = x;
    cn_f32(t->y_grid)[n] = y;
    cn_f32(t->value_grid)[2 * n] = x;
    cn_f32(t->value_grid)[2 * n + 1] = y;
    cn_f32(t->value_bump)[2 * n] = x * 4.0f;
    cn_f32(t->value_bump)[2 * n + 1] = y * 4.0f;
    t->trig[4 * n] = cosf(x), t->trig[4 * n + 1] = sinf(x);
    t->trig[4 * n + 2] = cosf(y), t->trig[4 * n + 3] = sinf(y);
  }
  cn_array_release(xb);
  double Lambda = 2 * M_PI / mapping_ratio;
  float *cc = cn_f32(t->candidate_centers);
  for (int i = 0; i < CN_TT_NCAND; i++)
    for (int j = 0; j < CN_TT_NCAND; j++) {
      float a0 = (float)((-CN_TT_NCAND / 2 + i) * Lambda);
      float a1 = (float)((-CN_TT_NCAND / 2 + j) * Lambda);
      int64_t k = i * CN_TT_NCAND + j;
      cc[2 * k] = t->Tinv[0] * a0 + t->Tinv[1] * a1;
      cc[2 * k + 1] = t->Tinv[2] * a0 + t->Tinv[3] * a1;
    }
  return CN_OK;
}

void cn_ttorus_position2phase(const cn_ttorus *t, const float *pos, int64_t K, float *phase) {
  float mr = t->mapping_ratio;
  for (int64_t k = 0; k < K; k++) {
    float m0 = pos[2 * k] * mr, m1 = pos[2 * k + 1] * mr;
    float q0 = (t->T[0] * m0 + t->T[1] * m1) + t->pi, q1 = (t->T[2] * m0 + t->T[3] * m1) + t->pi;
    phase[2 * k] = remf(q0, t->two_pi) - t->pi;
    phase[2 * k + 1] = remf(q1, t->two_pi) - t->pi;
  }
}

/* out[n] = A exp(out[n]), the exponentials as vectors (libmvec) */
CN_VEC_CLONES static void scaled_exp(float *out, int64_t N, float A) {
#pragma omp simd
  for (int64_t n = 0; n < N; n++) out[n] = A * expf(out[n]);
}

void cn_ttorus_phase_bump(const cn_ttorus *t, const float phase[2], float A, float a, float *out) {
  const float *vg = cn_f32(t->value_grid);
  for (int64_t n = 0; n < t->N; n++) {
    float d = cn_ttorus_dist(t, phase[0] - vg[2 * n], phase[1] - vg[2 * n + 1]) / a;
    out[n] = -0.5f * (d * d);
  }
  scaled_exp(out, t->N, A);
}

void cn_ttorus_unique_bump(const cn_ttorus *t, const float *act, const float pos[2], float A,
                           float a, float center_phase[2], float center_position[2],
                           float *bump) {
  int64_t N = t->N;
  float mx = -INFINITY;
  for (int64_t n = 0; n < N; n++) mx = act[n] > mx ? act[n] : mx;
  float thr = mx * 0.1f;
  const float *tr = t->trig;
  float rx = 0, ix = 0, ry = 0, iy = 0;
  for (int64_t n = 0; n < N; n++) {
    float w = act[n] > thr ? act[n] : 0.0f;
    if (w == 0.0f) continue; /* adds exact zeros */
    rx += tr[4 * n] * w;
    ix += tr[4 * n + 1] * w;
    ry += tr[4 * n + 2] * w;
    iy += tr[4 * n + 3] * w;
  }
  float cp0 = atan2f(ix, rx), cp1 = atan2f(iy, ry);
  float mr = t->mapping_ratio;
  float res0 = (t->Tinv[0] * cp0 + t->Tinv[1] * cp1) / mr;
  float res1 = (t->Tinv[2] * cp0 + t->Tinv[3] * cp1) / mr;
  const float *cc = cn_f32(t->candidate_centers);
  int64_t best = 0;
  float bd = INFINITY;
  for (int64_t k = 0; k < CN_TT_NCAND * CN_TT_NCAND; k++) {
    float dx = (cc[2 * k] + res0) - pos[0], dy = (cc[2 * k + 1] + res1) - pos[1];
    float d = sqrtf(dx * dx + dy * dy);
    if (d < bd) bd = d, best = k;
  }
  float c0 = cc[2 * best] + res0, c1 = cc[2 * best + 1] + res1;
  if (center_phase) center_phase[0] = cp0, center_phase[1] = cp1;
  if (center_position) center_position[0] = c0, center_position[1] = c1;
  if (bump) {
    const float *vb = cn_f32(t->value_bump);
    for (int64_t n = 0; n < N; n++) {
      float d0 = c0 - vb[2 * n], d1 = c1 - vb[2 * n + 1];
      float q = sqrtf(d0 * d0 + d1 * d1) / a;
      bump[n] = -(q * q);
    }
    scaled_exp(bump, N, A);
  }
}

static inline float kernel_at(const cn_ttorus *t, const float *vg, int64_t p, int64_t q, float J,
                              float a, float norm) {
  float d = cn_ttorus_dist(t, vg[2 * p] - vg[2 * q], vg[2 * p + 1] - vg[2 * q + 1]) / a;
  return J * expf(-0.5f * (d * d)) / norm;
}

void cn_ttorus_kernel_dense(const cn_ttorus *t, float J, float a, float *W) {
  int64_t N = t->N;
  const float *vg = cn_f32(t->value_grid);
  float norm = sqrtf((float)(2.0 * M_PI)) * a;
#pragma omp parallel for schedule(static) num_threads(cn_threads_for(N * N))
  for (int64_t p = 0; p < N; p++)
    for (int64_t q = 0; q < N; q++) W[p * N + q] = kernel_at(t, vg, p, q, J, a, norm);
}

/* 1 when the difference of coordinate i and the one half a period below
 * wraps to the positive side */
static int half_side(const cn_ttorus *t, const float *c, int64_t i) {
  int64_t L = t->L;
  return cn_ttorus_wrap(t, c[i] - c[(i - L / 2 + L) % L]) > 0;
}

int cn_ttorus_kernel_classes(const cn_ttorus *t, float J, float a, uint8_t *cls, double *h) {
  int64_t L = t->L, N = t->N;
  const float *vg = cn_f32(t->value_grid);
  float norm = sqrtf((float)(2.0 * M_PI)) * a;
  int K = L % 2 == 0 ? 4 : 1;
  float *xs = malloc((size_t)L * sizeof *xs), *ys = malloc((size_t)L * sizeof *ys);
  if (!xs || !ys) K = -1;
  int64_t rep[4] = {-1, -1, -1, -1};
  for (int64_t n = 0; K > 0 && n < N; n++) {
    if (n < L) xs[n] = vg[2 * n], ys[n] = vg[2 * n * L + 1];
  }
  for (int64_t n = 0; K > 0 && n < N; n++) {
    int c = K == 1 ? 0 : 2 * half_side(t, xs, n % L) + half_side(t, ys, n / L);
    cls[n] = (uint8_t)c;
    if (rep[c] < 0) rep[c] = n;
  }
  for (int c = 0; K > 0 && c < K; c++) {
    int64_t p = rep[c] >= 0 ? rep[c] : rep[cls[0]], pr = p / L, pc = p % L;
    for (int64_t lr = 0; lr < L; lr++)
      for (int64_t lc = 0; lc < L; lc++) {
        int64_t q = ((pr - lr + L) % L) * L + (pc - lc + L) % L;
        h[(size_t)c * (size_t)N + (size_t)(lr * L + lc)] = kernel_at(t, vg, p, q, J, a, norm);
      }
  }
  free(xs);
  free(ys);
  return K;
}

cn_status cn_ttorus_conv_new(const cn_ttorus *t, float J, float a, cn_torusconv **out) {
  *out = NULL;
  double *h = malloc((size_t)(4 * t->N) * sizeof *h);
  uint8_t *cls = malloc((size_t)t->N);
  int K = h && cls ? cn_ttorus_kernel_classes(t, J, a, cls, h) : -1;
  cn_status s = K > 0 ? cn_torusconv_new(out, t->L, K, h, K > 1 ? cls : NULL)
                      : cn_error(CN_ENOMEM, "twisted torus: out of memory for the kernels");
  free(h);
  free(cls);
  return s;
}
