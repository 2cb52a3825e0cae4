/* canns — spatial navigation: environments and random-motion agents.
 *
 * The C side of upstream's Rust helper `canns_lib.spatial` (canns-lib
 * 0.11: `Environment`, `Agent`), which the navigation tasks of
 * `canns.task` drive.  Geometry is deterministic and follows upstream to
 * the last bit where the same expression is evaluated; the random motion
 * follows upstream's algorithm exactly but draws from canns's Philox
 * generator, so it matches upstream in distribution, not sample by sample.
 *
 *   cn_env *env;  cn_env_new(CN_ENV_SOLID, 1.0, 1.0, 0.01, NULL, 0, &env);
 *   cn_agent *a;  cn_agent_params p;  cn_agent_params_default(&p);
 *   cn_agent_new(env, &p, 7, NULL, NULL, &a);
 *   cn_agent_run(a, 1000000, p.dt, NULL, 1.0);   // a million steps in C
 *   cn_agent_free(a); cn_env_free(env);
 *
 * Only 2-D environments exist (upstream's canns tasks reject 1-D too).
 */
#ifndef CANNS_SPATIAL_H
#define CANNS_SPATIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/array.h"
#include "canns/random.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ environment */

typedef enum cn_env_bc { CN_ENV_SOLID = 0, CN_ENV_PERIODIC = 1 } cn_env_bc;

typedef struct cn_env cn_env;

/* A rectangle [0, scale*aspect] x [0, scale] (boundary NULL or fewer than
 * 3 vertices) or the polygon `boundary` (nb vertices, x0 y0 x1 y1 ...).
 * A polygon must be simple (no two non-adjacent edges touch) and every
 * coordinate finite; scale and aspect finite and > 0. */
cn_status cn_env_new(cn_env_bc bc, double scale, double aspect, double dx,
                     const double *boundary, int nb, cn_env **out);
cn_status cn_env_clone(const cn_env *e, cn_env **out);
void cn_env_free(cn_env *e); /* NULL is fine */

/* A 2-point wall (x0 y0 x1 y1), a hole polygon (n >= 3 simple), an object
 * (x, y, type).  The wall list is rebuilt after each: user walls, then
 * (solid only) the boundary or rectangle edges, then (solid only) the
 * edges of every hole. */
cn_status cn_env_add_wall(cn_env *e, const double w[4]);
cn_status cn_env_add_hole(cn_env *e, const double *xy, int n);
cn_status cn_env_add_object(cn_env *e, double x, double y, int type);

/* Read-only views. */
bool cn_env_periodic(const cn_env *e);
bool cn_env_rectangular(const cn_env *e);
void cn_env_extent(const cn_env *e, double ext[4]); /* min_x max_x min_y max_y */
double cn_env_scale(const cn_env *e);
double cn_env_aspect(const cn_env *e);
double cn_env_dx(const cn_env *e);
int cn_env_nwalls(const cn_env *e);            /* the full wall list */
const double *cn_env_walls(const cn_env *e);   /* 4 per wall */
int cn_env_nuser_walls(const cn_env *e);
const double *cn_env_user_walls(const cn_env *e);
int cn_env_nboundary(const cn_env *e);         /* 0 for a rectangle */
const double *cn_env_boundary(const cn_env *e);
int cn_env_nholes(const cn_env *e);
const double *cn_env_hole(const cn_env *e, int i, int *n);
int cn_env_nobjects(const cn_env *e);
void cn_env_object(const cn_env *e, int i, double *x, double *y, int *type);

/* Inside the extent (inclusive) and, for polygon environments only,
 * inside the boundary and outside every hole (even-odd rule). */
bool cn_env_contains(const cn_env *e, double x, double y);
/* Project p (in place) into the environment with `prev` (may be NULL) as
 * the previous position: periodic wraps, a solid rectangle clamps, a
 * solid polygon keeps a contained p, else bisects 40 times from a
 * contained prev, else takes the closest point on a boundary/hole edge. */
void cn_env_project(const cn_env *e, const double *prev, double p[2]);
/* out[2k], out[2k+1] = p - closest point of wall k (cn_env_nwalls). */
void cn_env_vectors_from_walls(const cn_env *e, double x, double y, double *out);
/* hit[k] = the segment a->b intersects wall k (touching counts). */
void cn_env_check_wall_collisions(const cn_env *e, const double a[2],
                                  const double b[2], bool *hit);

typedef enum cn_env_sampling {
  CN_SAMPLE_RANDOM, CN_SAMPLE_UNIFORM, CN_SAMPLE_UNIFORM_RANDOM, CN_SAMPLE_UNIFORM_JITTER
} cn_env_sampling;
/* n positions (out: 2n doubles), upstream's methods; uniforms from g. */
cn_status cn_env_sample_positions(const cn_env *e, int64_t n, cn_env_sampling m,
                                  cn_rng *g, double *out);

/* ------------------------------------------------------------------ agent */

typedef struct cn_agent_params {
  double dt, speed_mean, speed_std, speed_coherence_time;
  double rotational_velocity_coherence_time, rotational_velocity_std;
  double head_direction_smoothing_timescale, thigmotaxis;
  double wall_repel_distance, wall_repel_strength;
  bool save_history;
} cn_agent_params;

/* canns-lib's defaults: dt 0.05, speed_mean 0.08, speed_std 0.08, ... */
void cn_agent_params_default(cn_agent_params *p);
/* Every value finite, times and the dt > 0 where upstream divides. */
cn_status cn_agent_params_check(const cn_agent_params *p);

typedef struct cn_agent cn_agent;

/* History columns, one double per recorded step each. */
typedef struct cn_agent_history {
  int64_t n, cap;
  double *t, *pos, *vel, *head, *dist, *rot; /* pos/vel/head: 2 per step */
} cn_agent_history;

/* A new agent in a snapshot of env.  init_pos (projected; a random
 * interior point if it ends outside) and init_vel may be NULL. */
cn_status cn_agent_new(const cn_env *env, const cn_agent_params *p, uint64_t seed,
                       const double *init_pos, const double *init_vel, cn_agent **out);
void cn_agent_free(cn_agent *a);

/* One step (upstream Agent.update).  dt <= 0 or non-finite: error.
 * drift (2 values) may be NULL; forced (2 values) may be NULL. */
cn_status cn_agent_update(cn_agent *a, double dt, const double *drift, double ratio,
                          const double *forced);
/* n random steps with the same drift (may be NULL); history space for n
 * rows is reserved first, so the loop allocates nothing. */
cn_status cn_agent_run(cn_agent *a, int64_t n, double dt, const double *drift,
                       double ratio);
/* Reserve history room for n more rows. */
cn_status cn_agent_reserve(cn_agent *a, int64_t n);

/* Replace the motion by an imported trajectory (times need not be sorted;
 * they are sorted, stably).  n >= 1, all finite. */
cn_status cn_agent_import_trajectory(cn_agent *a, const double *times, const double *xy,
                                     int64_t n, bool interpolate);

/* Setters as upstream: position is projected and overwrites the last
 * history position/time; velocity sets v, the measured velocity and the
 * head direction and overwrites the last history vel/head. */
void cn_agent_set_position(cn_agent *a, const double p[2]);
void cn_agent_set_velocity(cn_agent *a, const double v[2]);
void cn_agent_set_head_direction(cn_agent *a, const double h[2]);
void cn_agent_reset_history(cn_agent *a);

typedef struct cn_agent_state {
  double t, pos[2], vel[2], measured_vel[2], head[2], rot_vel, measured_rot_vel;
  double distance;
} cn_agent_state;
void cn_agent_get_state(const cn_agent *a, cn_agent_state *s);
const cn_agent_params *cn_agent_get_params(const cn_agent *a);
/* Change a parameter after construction (checked like cn_agent_params_check). */
cn_status cn_agent_set_params(cn_agent *a, const cn_agent_params *p);
const cn_agent_history *cn_agent_get_history(const cn_agent *a);
const cn_env *cn_agent_env(const cn_agent *a);

/* ----------------------------------------------------------------- agents */

/* n independent agents in one environment, stepped in parallel (OpenMP);
 * agent i draws from its own Philox stream (key derived from seed and
 * i), so results are identical for any number of threads. */
typedef struct cn_agents cn_agents;
cn_status cn_agents_new(const cn_env *env, const cn_agent_params *p, int64_t n,
                        uint64_t seed, const double *init_pos /* 2n or NULL */,
                        cn_agents **out);
void cn_agents_free(cn_agents *g);
int64_t cn_agents_count(const cn_agents *g);
cn_agent *cn_agents_get(cn_agents *g, int64_t i);
/* steps random steps for every agent. */
cn_status cn_agents_run(cn_agents *g, int64_t steps, double dt);

/* ---------------------------------------------------- navigation helpers */

/* numpy-style derived arrays of OpenLoopNavigationData from n rows of
 * measured velocity vel (2n) and head direction head (2n): speed,
 * movement_direction, hd_angle, rot_vel (float32-valued map2pi of the
 * hd_angle differences, 0 first). Outputs n doubles each. */
void cn_nav_derive(int64_t n, const double *vel, const double *head, double *speed,
                   double *movement_direction, double *hd_angle, double *rot_vel);
/* upstream map2pi evaluated in float32 (JAX), returned as double. */
double cn_nav_map2pi_f32(double a);
/* import_data's arrays from n >= 2 positions (2n) and times (n):
 * velocity (2n) by differences (row 0 = row 1), speed, movement
 * direction, hd_angle (head_angle if given, else the movement direction
 * held over stationary samples) and rot_vel. */
cn_status cn_nav_import_derive(int64_t n, const double *pos, const double *times,
                               const double *head_angle, double *vel, double *speed,
                               double *movement_direction, double *hd_angle, double *rot_vel);
/* calculate_theta_sweep_data: ang_velocity = [0, diff(unwrap(hd))/dt],
 * speed / max(speed), ang_velocity / max|ang_velocity| (zeros if the max
 * is 0). */
void cn_nav_theta_sweep(int64_t n, const double *hd_angle, const double *speed, double dt,
                        double *ang_velocity, double *linear_gain, double *ang_gain);

/* The movement-cost grid of upstream navigation_base.MovementCostGrid. */
typedef struct cn_costgrid {
  int64_t rows, cols;
  double dx, dy, min_x, max_x, min_y, max_y;
  double *x_edges; /* cols+1 */
  double *y_edges; /* rows+1, descending */
  int32_t *costs;  /* rows*cols: 1 free, INT32_MAX blocked */
  int64_t *index;  /* rows*cols: index of a free cell, -1 blocked */
  int64_t nfree;
} cn_costgrid;
/* outline: nb >= 3 polygon vertices (else the rectangle 0,0 .. w,h);
 * walls: polylines (wall_n[i] points each, concatenated in wall_xy);
 * holes likewise. */
cn_status cn_costgrid_build(const double *outline, int nb, double width, double height,
                            const double *wall_xy, const int *wall_n, int nwalls,
                            const double *hole_xy, const int *hole_n, int nholes,
                            double dx, double dy, cn_costgrid **out);
void cn_costgrid_free(cn_costgrid *g);
/* upstream get_cell_index (bug_compatible: one row too high, as upstream). */
int64_t cn_costgrid_cell_index(const cn_costgrid *g, double x, double y, bool bug_compatible);
/* All-pairs 8-connected Dijkstra distances between free cells (row-major
 * order): out is nfree x nfree float64, inf where unreachable. */
cn_status cn_costgrid_geodesic(const cn_costgrid *g, cn_array **out);
/* The plain reference (one Dijkstra with a binary heap per source, no
 * threads) used by the tests. */
cn_status cn_costgrid_geodesic_ref(const cn_costgrid *g, cn_array **out);

#ifdef __cplusplus
}
#endif
#endif
