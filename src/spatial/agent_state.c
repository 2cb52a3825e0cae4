/* canns — the agent's imported trajectories, setters and read-outs. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "spatial/agent_internal.h"

typedef struct { double t; int64_t i; } tkey;

static int cmp_tkey(const void *x, const void *y) {
  const tkey *a = x, *b = y;
  if (a->t < b->t) return -1;
  if (a->t > b->t) return 1;
  return a->i < b->i ? -1 : (a->i > b->i); /* stable */
}

void cn_agent_import_sample(cn_agent *a, double t, double out[2]) {
  int64_t n = a->imp_n;
  const double *T = a->imp_t, *P = a->imp_xy;
  if (n == 1) {
    out[0] = P[0], out[1] = P[1];
    return;
  }
  double tm = fmod(t, a->imp_dur);
  if (!a->imp_interp) {
    a->imp_cursor = (a->imp_cursor + 1) % n;
    out[0] = P[2 * a->imp_cursor], out[1] = P[2 * a->imp_cursor + 1];
    return;
  }
  int64_t lo = 0, hi = n; /* first index with T[idx] >= tm */
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (T[mid] < tm) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) {
    out[0] = P[0], out[1] = P[1];
    return;
  }
  if (lo >= n) {
    out[0] = P[2 * (n - 1)], out[1] = P[2 * (n - 1) + 1];
    return;
  }
  double t0 = T[lo - 1], t1 = T[lo];
  double r = fabs(t1 - t0) < 1e-9 ? 0.0 : (tm - t0) / (t1 - t0);
  const double *p0 = P + 2 * (lo - 1), *p1 = P + 2 * lo;
  out[0] = p0[0] + (p1[0] - p0[0]) * r;
  out[1] = p0[1] + (p1[1] - p0[1]) * r;
}

cn_status cn_agent_import_trajectory(cn_agent *a, const double *times, const double *xy,
                                     int64_t n, bool interpolate) {
  if (n < 1) return cn_error(CN_EINVAL, "trajectory must contain at least one sample");
  for (int64_t i = 0; i < n; i++) {
    if (!isfinite(times[i]))
      return cn_error(CN_EINVAL, "times must be finite, got %g at position %lld",
                      cn_fabs_nan(times[i]), (long long)i + 1);
    if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]))
      return cn_error(CN_EINVAL, "positions must be finite (row %lld)", (long long)i + 1);
  }
  tkey *k = malloc(sizeof(tkey) * (size_t)n);
  double *T = malloc(sizeof(double) * (size_t)n), *P = malloc(sizeof(double) * 2 * (size_t)n);
  if (!k || !T || !P) {
    free(k), free(T), free(P);
    return cn_error(CN_ENOMEM, "import_trajectory: out of memory");
  }
  for (int64_t i = 0; i < n; i++) k[i].t = times[i], k[i].i = i;
  qsort(k, (size_t)n, sizeof(tkey), cmp_tkey);
  for (int64_t i = 0; i < n; i++) {
    T[i] = k[i].t;
    P[2 * i] = xy[2 * k[i].i], P[2 * i + 1] = xy[2 * k[i].i + 1];
  }
  free(k);
  free(a->imp_t), free(a->imp_xy);
  a->imp_t = T, a->imp_xy = P, a->imp_n = n, a->imp_interp = interpolate, a->imp_cursor = 0;
  double d = T[n - 1] > 0 ? T[n - 1] : 0;
  a->imp_dur = d <= 0 ? 1.0 : d;
  a->imported = true;
  a->t = 0, a->dist = 0;
  a->h.n = 0;
  a->vel[0] = a->vel[1] = a->mvel[0] = a->mvel[1] = 0;
  a->zvalid = false;
  double p[2];
  cn_agent_import_sample(a, 0.0, p);
  a->pos[0] = p[0], a->pos[1] = p[1];
  return CN_OK;
}

void cn_agent_set_position(cn_agent *a, const double p[2]) {
  double np[2] = {p[0], p[1]}, cur[2] = {a->pos[0], a->pos[1]};
  cn_env_project(a->env, cur, np);
  a->pos[0] = np[0], a->pos[1] = np[1];
  if (a->h.n > 0) {
    int64_t k = a->h.n - 1;
    a->h.pos[2 * k] = np[0], a->h.pos[2 * k + 1] = np[1];
    a->h.t[k] = a->t;
  }
}

void cn_agent_set_velocity(cn_agent *a, const double v[2]) {
  a->vel[0] = a->mvel[0] = a->prev_mvel[0] = v[0];
  a->vel[1] = a->mvel[1] = a->prev_mvel[1] = v[1];
  double n = hypot(v[0], v[1]);
  if (n < 1e-9) a->head[0] = 1, a->head[1] = 0;
  else a->head[0] = v[0] / n, a->head[1] = v[1] / n;
  a->zvalid = false;
  if (a->h.n > 0) {
    int64_t k = a->h.n - 1;
    a->h.vel[2 * k] = v[0], a->h.vel[2 * k + 1] = v[1];
    a->h.head[2 * k] = a->head[0], a->h.head[2 * k + 1] = a->head[1];
  }
}

void cn_agent_set_head_direction(cn_agent *a, const double h[2]) {
  double n = hypot(h[0], h[1]);
  if (n < 1e-12) return;
  a->head[0] = h[0] / n, a->head[1] = h[1] / n;
}

void cn_agent_reset_history(cn_agent *a) { a->h.n = 0; }

void cn_agent_get_state(const cn_agent *a, cn_agent_state *s) {
  s->t = a->t;
  memcpy(s->pos, a->pos, sizeof s->pos);
  memcpy(s->vel, a->vel, sizeof s->vel);
  memcpy(s->measured_vel, a->mvel, sizeof s->measured_vel);
  memcpy(s->head, a->head, sizeof s->head);
  s->rot_vel = a->rot;
  double d = 0;
  if (a->mrot_dt > 0) {
    d = atan2(a->mvel[1], a->mvel[0]) - atan2(a->prev_mvel[1], a->prev_mvel[0]);
    while (d > M_PI) d -= 2 * M_PI;
    while (d < -M_PI) d += 2 * M_PI;
    d /= a->mrot_dt;
  }
  s->measured_rot_vel = d;
  s->distance = a->dist;
}

const cn_agent_params *cn_agent_get_params(const cn_agent *a) { return &a->p; }

cn_status cn_agent_set_params(cn_agent *a, const cn_agent_params *p) {
  CN_TRY(cn_agent_params_check(p));
  a->p = *p;
  a->zvalid = false;
  return CN_OK;
}

const cn_agent_history *cn_agent_get_history(const cn_agent *a) { return &a->h; }
const cn_env *cn_agent_env(const cn_agent *a) { return a->env; }
