/* canns — the random-motion agent (upstream canns_lib.spatial.Agent).
 *
 * One step, in upstream's order: OU rotational velocity, rotation of the
 * velocity, OU speed in the normal space of a Rayleigh law with scale
 * speed_mean, optional drift, wall repulsion (acceleration and conveyor
 * shift), the proposal, and then the jittered wall-collision loop (2-D
 * solid) or the periodic wrap; measured velocity, distance, smoothed head
 * direction, time and history.
 *
 * Two shortcuts change only which random numbers are drawn, never the
 * distribution: (1) the speed's normal-space value is carried from one
 * step to the next when nothing but the rotation touched the velocity
 * (instead of mapping the speed back through Phi^-1), and (2) the
 * collision loop (and its four jitter normals) is skipped when the
 * nearest wall is farther from the start of the step than the step is
 * long plus 1e-6 (no crossing is possible; the jitter is 1e-9).
 * A step allocates nothing; history room is reserved beforehand.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "spatial/agent_internal.h"

void cn_env_random_position(const cn_env *e, cn_rng *g, double p[2]);

/* Euclidean length as upstream computes it (no hypot scaling). */
static inline double norm2(double x, double y) { return sqrt(x * x + y * y); }

void cn_agent_params_default(cn_agent_params *p) {
  p->dt = 0.05;
  p->speed_mean = 0.08;
  p->speed_std = 0.08;
  p->speed_coherence_time = 0.7;
  p->rotational_velocity_coherence_time = 0.08;
  p->rotational_velocity_std = 120.0 * M_PI / 180.0;
  p->head_direction_smoothing_timescale = 0.15;
  p->thigmotaxis = 0.5;
  p->wall_repel_distance = 0.1;
  p->wall_repel_strength = 1.0;
  p->save_history = true;
}

cn_status cn_agent_params_check(const cn_agent_params *p) {
  struct { const char *name; double v; int rule; } f[] = {
      {"dt", p->dt, 1},
      {"speed_mean", p->speed_mean, 0},
      {"speed_std", p->speed_std, 0},
      {"speed_coherence_time", p->speed_coherence_time, 2},
      {"rotational_velocity_coherence_time", p->rotational_velocity_coherence_time, 2},
      {"rotational_velocity_std", p->rotational_velocity_std, 0},
      {"head_direction_smoothing_timescale", p->head_direction_smoothing_timescale, 2},
      {"thigmotaxis", p->thigmotaxis, 3},
      {"wall_repel_distance", p->wall_repel_distance, 0},
      {"wall_repel_strength", p->wall_repel_strength, 0},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    double v = f[i].v;
    if (!isfinite(v))
      return cn_error(CN_EINVAL, "parameter '%s' must be finite, got %g", f[i].name, cn_fabs_nan(v));
    if (f[i].rule == 1 && !(v > 0))
      return cn_error(CN_EINVAL, "parameter '%s' must be > 0, got %g", f[i].name, v);
    if ((f[i].rule == 0 || f[i].rule == 2) && v < 0)
      return cn_error(CN_EINVAL, "parameter '%s' must be >= 0, got %g", f[i].name, v);
    if (f[i].rule == 3 && (v < 0 || v > 1))
      return cn_error(CN_EINVAL, "parameter '%s' must be in [0, 1], got %g", f[i].name, v);
  }
  return CN_OK;
}

/* ------------------------------------------------------------ random draws */

static void refill(cn_agent *a) {
  cn_nav_normals(&a->rng, a->nbuf, CN_AGENT_NBUF);
  a->nidx = 0;
}

static inline double normal(cn_agent *a) {
  if (a->nidx >= CN_AGENT_NBUF) refill(a);
  return a->nbuf[a->nidx++];
}

/* ------------------------------------------------------------ construction */

static void initial_velocity(cn_agent *a, double v[2]) {
  double th = 2.0 * M_PI * cn_rng_uniform1(&a->rng);
  double s = a->p.speed_mean > 1e-8 ? a->p.speed_mean : 1e-8;
  v[0] = s * cos(th), v[1] = s * sin(th);
}

static void unit_or(const double v[2], double out[2]) {
  double n = norm2(v[0], v[1]);
  if (n > 1e-12) {
    out[0] = v[0] / n, out[1] = v[1] / n;
  } else {
    out[0] = v[0], out[1] = v[1];
  }
  if (fabs(out[0]) < 1e-9 && fabs(out[1]) < 1e-9) out[0] = 1, out[1] = 0;
}

cn_status cn_agent_new(const cn_env *env, const cn_agent_params *p, uint64_t seed,
                       const double *init_pos, const double *init_vel, cn_agent **out) {
  *out = NULL;
  CN_TRY(cn_agent_params_check(p));
  for (int i = 0; i < 2; i++) {
    if (init_pos && !isfinite(init_pos[i]))
      return cn_error(CN_EINVAL, "init_pos must be finite, got %g", cn_fabs_nan(init_pos[i]));
    if (init_vel && !isfinite(init_vel[i]))
      return cn_error(CN_EINVAL, "init_vel must be finite, got %g", cn_fabs_nan(init_vel[i]));
  }
  cn_agent *a = calloc(1, sizeof *a);
  if (!a) return cn_error(CN_ENOMEM, "agent: out of memory");
  cn_status s = cn_env_clone(env, &a->env);
  if (s != CN_OK) {
    free(a);
    return s;
  }
  a->p = *p;
  cn_rng_seed(&a->rng, seed);
  a->nidx = CN_AGENT_NBUF;
  a->zmax = -cn_nav_ndtri(1e-6);
  if (init_pos) {
    a->pos[0] = init_pos[0], a->pos[1] = init_pos[1];
    cn_env_project(a->env, NULL, a->pos);
    if (!cn_env_contains(a->env, a->pos[0], a->pos[1])) cn_env_random_position(a->env, &a->rng, a->pos);
  } else {
    cn_env_random_position(a->env, &a->rng, a->pos);
  }
  if (init_vel) {
    a->vel[0] = init_vel[0], a->vel[1] = init_vel[1];
  } else {
    initial_velocity(a, a->vel);
  }
  if (norm2(a->vel[0], a->vel[1]) < 1e-9) initial_velocity(a, a->vel);
  unit_or(a->vel, a->head);
  a->mvel[0] = a->prev_mvel[0] = a->vel[0];
  a->mvel[1] = a->prev_mvel[1] = a->vel[1];
  *out = a;
  return CN_OK;
}

void cn_agent_free(cn_agent *a) {
  if (!a) return;
  cn_agent_history *h = &a->h;
  free(h->t), free(h->pos), free(h->vel), free(h->head), free(h->dist), free(h->rot);
  free(a->imp_t), free(a->imp_xy);
  cn_env_free(a->env);
  free(a);
}

cn_status cn_agent_reserve(cn_agent *a, int64_t n) {
  cn_agent_history *h = &a->h;
  if (n < 0) return cn_error(CN_EINVAL, "reserve: n must be >= 0");
  if (!a->p.save_history || h->n + n <= h->cap) return CN_OK;
  if (h->n + n > 100000000)
    return cn_error(CN_ENOMEM,
                    "agent history of %lld rows is too large (at most 1e8 rows, 8 GB); "
                    "set save_history = false or record fewer steps", (long long)(h->n + n));
  int64_t cap = h->cap ? h->cap * 2 : 1024;
  while (cap < h->n + n) cap *= 2;
  double **cols[6] = {&h->t, &h->pos, &h->vel, &h->head, &h->dist, &h->rot};
  int width[6] = {1, 2, 2, 2, 1, 1};
  for (int c = 0; c < 6; c++) {
    double *q = realloc(*cols[c], sizeof(double) * (size_t)(cap * width[c]));
    if (!q) return cn_error(CN_ENOMEM, "agent history: out of memory (%lld rows)", (long long)cap);
    *cols[c] = q;
  }
  h->cap = cap;
  return CN_OK;
}

static inline void record(cn_agent *a) {
  if (!a->p.save_history) return;
  cn_agent_history *h = &a->h;
  int64_t k = h->n++;
  h->t[k] = a->t;
  h->pos[2 * k] = a->pos[0], h->pos[2 * k + 1] = a->pos[1];
  h->vel[2 * k] = a->mvel[0], h->vel[2 * k + 1] = a->mvel[1];
  h->head[2 * k] = a->head[0], h->head[2 * k + 1] = a->head[1];
  h->dist[k] = a->dist;
  h->rot[k] = a->rot;
}

/* ------------------------------------------------------------------ a step */

/* sin and cos; Taylor series for the small angles of one step (|x| <
 * 1/8: the first omitted terms are below 3e-19 relative), libm beyond. */
static inline void small_sincos(double x, double *s, double *c) {
  if (fabs(x) < 0.125) {
    double x2 = x * x;
    *s = x * (1 + x2 * (-1.0 / 6 + x2 * (1.0 / 120 + x2 * (-1.0 / 5040 + x2 * (1.0 / 362880 +
             x2 * (-1.0 / 39916800))))));
    *c = 1 + x2 * (-0.5 + x2 * (1.0 / 24 + x2 * (-1.0 / 720 + x2 * (1.0 / 40320 +
             x2 * (-1.0 / 3628800 + x2 * (1.0 / 479001600))))));
  } else {
    sincos(x, s, c);
  }
}

static inline double ou(double x, double mu, double sigma, double tau, double dt, double xi) {
  if (tau <= 0) return mu - x;
  double drift = (mu - x) * dt / tau;
  if (sigma == 0) return drift;
  return drift + sigma * sqrt(2.0 * dt / tau) * xi;
}

static inline void head_update(cn_agent *a, double dt) {
  double n = norm2(a->mvel[0], a->mvel[1]);
  if (n < 1e-9) return;
  double tau = a->p.head_direction_smoothing_timescale;
  if (tau < 1e-6) tau = 1e-6;
  double al = dt / tau;
  al = al < 0 ? 0 : (al > 1 ? 1 : al);
  double hx = (1 - al) * a->head[0] + al * a->mvel[0] / n;
  double hy = (1 - al) * a->head[1] + al * a->mvel[1] / n;
  double hn = norm2(hx, hy);
  if (hn > 1e-12) hx /= hn, hy /= hn;
  a->head[0] = hx, a->head[1] = hy;
}

static inline void finish(cn_agent *a, const double p0[2], double dt) {
  a->prev_mvel[0] = a->mvel[0], a->prev_mvel[1] = a->mvel[1];
  double dx = a->pos[0] - p0[0], dy = a->pos[1] - p0[1];
  a->mvel[0] = dx / dt, a->mvel[1] = dy / dt;
  /* The measured rotational velocity (wrapped angle change of the
   * measured velocity over dt) is worked out when read (agent_state.c). */
  a->mrot_dt = dt;
  a->dist += norm2(dx, dy);
  head_update(a, dt);
  a->t += dt;
  record(a);
}

/* First wall (list order) crossed strictly by p0 -> p1, or -1. */
static int first_crossing(const cn_env *e, const double p0[2], const double p1[2]) {
  double rx = p1[0] - p0[0], ry = p1[1] - p0[1];
  for (int k = 0; k < e->nwalls; k++) {
    const double *w = e->walls + 4 * k, *pre = e->wall_pre + 3 * k;
    double sx = pre[0], sy = pre[1];
    double det = rx * sy - ry * sx;
    if (fabs(det) < 1e-10) continue;
    double qx = w[0] - p0[0], qy = w[1] - p0[1];
    double t = (qx * sy - qy * sx) / det, u = (qx * ry - qy * rx) / det;
    if (t > 0 && t < 1 && u > 0 && u < 1) return k;
  }
  return -1;
}

static void collide(cn_agent *a, const double p0[2], double dt) {
  const cn_env *e = a->env;
  for (int pass = 0; pass < CN_AGENT_MAX_BOUNCES; pass++) {
    double j0[2] = {p0[0] + normal(a) * 1e-9, p0[1] + normal(a) * 1e-9};
    double j1[2] = {a->pos[0] + normal(a) * 1e-9, a->pos[1] + normal(a) * 1e-9};
    int k = first_crossing(e, j0, j1);
    if (k < 0) return;
    const double *pre = e->wall_pre + 3 * k;
    double wl = sqrt(pre[0] * pre[0] + pre[1] * pre[1]);
    double wx = pre[0] / wl, wy = pre[1] / wl;
    double along = a->vel[0] * wx + a->vel[1] * wy;
    double vx = 2 * along * wx - a->vel[0], vy = 2 * along * wy - a->vel[1];
    double sp = norm2(vx, vy);
    if (sp > 1e-12) {
      double sc = 0.5 * a->p.speed_mean / sp;
      vx *= sc, vy *= sc;
    }
    a->vel[0] = vx, a->vel[1] = vy;
    a->pos[0] = p0[0] + vx * dt, a->pos[1] = p0[1] + vy * dt;
    a->zvalid = false;
  }
  /* No way out after many bounces (a corner trap): stay put. */
  a->pos[0] = p0[0], a->pos[1] = p0[1];
}

static void random_step(cn_agent *a, double dt, const double *drift, double ratio) {
  const cn_agent_params *P = &a->p;
  const cn_env *e = a->env;
  double p0[2] = {a->pos[0], a->pos[1]};
  /* 1-2: rotational velocity and rotation. */
  if (P->rotational_velocity_coherence_time <= 0) {
    a->rot = 0;
  } else if (P->rotational_velocity_std != 0) {
    a->rot += ou(a->rot, 0, P->rotational_velocity_std, P->rotational_velocity_coherence_time, dt,
                 normal(a));
  } else {
    a->rot += ou(a->rot, 0, 0, P->rotational_velocity_coherence_time, dt, 0);
  }
  double ang = a->rot * dt;
  if (ang != 0) {
    double s, c;
    small_sincos(ang, &s, &c);
    double vx = a->vel[0] * c - a->vel[1] * s, vy = a->vel[0] * s + a->vel[1] * c;
    a->vel[0] = vx, a->vel[1] = vy;
  }
  /* 3: speed. */
  double sp = norm2(a->vel[0], a->vel[1]);
  if (sp < 1e-8) {
    a->vel[0] = 1e-8, a->vel[1] = 0;
    sp = 1e-8;
    a->zvalid = false;
  }
  double ns;
  if (P->speed_std == 0) {
    ns = P->speed_mean;
  } else {
    double sig = P->speed_mean, z;
    if (a->zvalid) {
      z = a->zcache;
      if (z > a->zmax) z = a->zmax;
      if (z < -a->zmax) z = -a->zmax;
    } else {
      z = cn_nav_speed_to_z(sp, sig);
    }
    if (P->speed_coherence_time <= 0) z = 0;
    else z += ou(z, 0, 1, P->speed_coherence_time, dt, normal(a));
    ns = sig * cn_nav_z_to_speed(z);
    a->zcache = z;
    a->zvalid = ns >= 1e-8;
  }
  double cur = norm2(a->vel[0], a->vel[1]);
  if (cur > 1e-12) {
    double k = ns / cur;
    a->vel[0] *= k, a->vel[1] *= k;
  } else {
    a->vel[0] = ns, a->vel[1] = 0;
  }
  /* 4: drift. */
  if (drift) {
    double r = ratio > 1e-6 ? ratio : 1e-6;
    double tau = P->speed_coherence_time / r;
    if (tau < 1e-6) tau = 1e-6;
    a->vel[0] += (drift[0] - a->vel[0]) * dt / tau;
    a->vel[1] += (drift[1] - a->vel[1]) * dt / tau;
    a->zvalid = false;
  }
  /* 5: wall repulsion; dmin = distance from p0 to the nearest wall. */
  double dmin = -1;
  if (e->nwalls > 0 && P->wall_repel_strength > 0) {
    double D = P->wall_repel_distance > 1e-6 ? P->wall_repel_distance : 1e-6;
    double S = P->wall_repel_strength;
    double th = P->thigmotaxis < 0 ? 0 : (P->thigmotaxis > 1 ? 1 : P->thigmotaxis);
    double V = S * P->speed_mean, kk = V * V / (D * D);
    double ax = 0, ay = 0, qx = 0, qy = 0, dm2 = INFINITY;
    bool any = false;
    const int nw = e->nwalls;
    const double *wax = e->wax, *way = e->way, *wbx = e->wbx, *wby = e->wby, *winv = e->winv;
    double *wd2 = e->wd2;
    const double x0 = p0[0], y0 = p0[1];
    /* Pass 1 (branch-free, vectorised): squared distance to every wall. */
#pragma omp simd reduction(min : dm2)
    for (int k = 0; k < nw; k++) {
      double px = x0 - wax[k], py = y0 - way[k];
      double t = (px * wbx[k] + py * wby[k]) * winv[k];
      t = t < 0 ? 0 : (t > 1 ? 1 : t);
      double vx = px - wbx[k] * t, vy = py - wby[k] * t;
      double d2 = vx * vx + vy * vy;
      wd2[k] = d2;
      dm2 = d2 < dm2 ? d2 : dm2;
    }
    /* Pass 2: the walls within reach push. */
    if (dm2 <= D * D) {
      for (int k = 0; k < nw; k++) {
        double d2 = wd2[k];
        if (d2 > D * D) continue;
        double d = sqrt(d2);
        if (d < 1e-9 || d > D) continue;
        double px = x0 - wax[k], py = y0 - way[k];
        double t = (px * wbx[k] + py * wby[k]) * winv[k];
        t = t < 0 ? 0 : (t > 1 ? 1 : t);
        double ux = (px - wbx[k] * t) / d, uy = (py - wby[k] * t) / d, g = D - d;
        ax += kk * g * ux, ay += kk * g * uy;
        double in = 1 - g * g / (D * D);
        double sh = V * (1 - sqrt(in > 0 ? in : 0));
        qx += sh * ux, qy += sh * uy;
        any = true;
      }
    }
    dmin = sqrt(dm2);
    if (any) {
      double vs = 3 * (1 - th) * (1 - th);
      if (vs != 0) {
        a->vel[0] += vs * ax * dt, a->vel[1] += vs * ay * dt;
        a->zvalid = false;
      }
      double ps = 6 * th * th;
      if (ps != 0 && (qx != 0 || qy != 0)) {
        double np[2] = {p0[0] + ps * qx * dt, p0[1] + ps * qy * dt};
        if (e->rect && e->bc == CN_ENV_SOLID) { /* the clamp of cn_env_project */
          np[0] = np[0] < e->min_x ? e->min_x : (np[0] > e->max_x ? e->max_x : np[0]);
          np[1] = np[1] < e->min_y ? e->min_y : (np[1] > e->max_y ? e->max_y : np[1]);
        } else {
          cn_env_project(e, p0, np);
        }
        a->pos[0] = np[0], a->pos[1] = np[1];
      }
    }
  }
  /* 6: proposal. */
  a->pos[0] += a->vel[0] * dt;
  a->pos[1] += a->vel[1] * dt;
  /* 7: boundaries. */
  if (e->bc == CN_ENV_SOLID) {
    if (e->nwalls > 0) {
      double L = norm2(a->pos[0] - p0[0], a->pos[1] - p0[1]);
      if (dmin < 0 || dmin <= L + 1e-6) collide(a, p0, dt);
    }
  } else {
    a->pos[0] = cn_geo_wrap(a->pos[0], e->min_x, e->max_x);
    a->pos[1] = cn_geo_wrap(a->pos[1], e->min_y, e->max_y);
  }
  finish(a, p0, dt);
}

static void imported_step(cn_agent *a, double dt) {
  double p0[2] = {a->pos[0], a->pos[1]}, tg[2];
  a->t += dt;
  cn_agent_import_sample(a, a->t, tg);
  double dx = tg[0] - p0[0], dy = tg[1] - p0[1];
  a->mvel[0] = dx / dt, a->mvel[1] = dy / dt;
  a->vel[0] = a->mvel[0], a->vel[1] = a->mvel[1];
  a->pos[0] = tg[0], a->pos[1] = tg[1];
  cn_env_project(a->env, p0, a->pos);
  a->dist += norm2(dx, dy);
  head_update(a, dt);
  a->zvalid = false;
  record(a);
}

static void forced_step(cn_agent *a, double dt, const double *target) {
  double p0[2] = {a->pos[0], a->pos[1]};
  a->pos[0] = target[0], a->pos[1] = target[1];
  cn_env_project(a->env, p0, a->pos);
  double dx = a->pos[0] - p0[0], dy = a->pos[1] - p0[1];
  a->mvel[0] = dx / dt, a->mvel[1] = dy / dt;
  a->vel[0] = a->mvel[0], a->vel[1] = a->mvel[1];
  a->dist += norm2(dx, dy);
  head_update(a, dt);
  a->t += dt;
  a->zvalid = false;
  record(a);
}

static cn_status check_step(double dt, const double *drift, double ratio, const double *forced) {
  if (!isfinite(dt) || dt <= 0)
    return cn_error(CN_EINVAL, "dt must be a finite number > 0, got %g", cn_fabs_nan(dt));
  for (int i = 0; i < 2; i++) {
    if (drift && !isfinite(drift[i]))
      return cn_error(CN_EINVAL, "drift_velocity must be finite, got %g", cn_fabs_nan(drift[i]));
    if (forced && !isfinite(forced[i]))
      return cn_error(CN_EINVAL, "forced_next_position must be finite, got %g",
                      cn_fabs_nan(forced[i]));
  }
  if (drift && !isfinite(ratio))
    return cn_error(CN_EINVAL, "drift_to_random_strength_ratio must be finite, got %g",
                    cn_fabs_nan(ratio));
  return CN_OK;
}

cn_status cn_agent_update(cn_agent *a, double dt, const double *drift, double ratio,
                          const double *forced) {
  CN_TRY(check_step(dt, drift, ratio, forced));
  CN_TRY(cn_agent_reserve(a, 1));
  if (a->imported) imported_step(a, dt);
  else if (forced) forced_step(a, dt, forced);
  else random_step(a, dt, drift, ratio);
  return CN_OK;
}

cn_status cn_agent_run(cn_agent *a, int64_t n, double dt, const double *drift, double ratio) {
  if (n < 0) return cn_error(CN_EINVAL, "steps must be >= 0, got %lld", (long long)n);
  CN_TRY(check_step(dt, drift, ratio, NULL));
  CN_TRY(cn_agent_reserve(a, n));
  if (a->imported) {
    for (int64_t i = 0; i < n; i++) imported_step(a, dt);
  } else {
    for (int64_t i = 0; i < n; i++) random_step(a, dt, drift, ratio);
  }
  return CN_OK;
}
