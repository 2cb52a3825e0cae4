/* canns — the derived arrays of upstream OpenLoopNavigationData
 * (`OpenLoopNavigationTask.get_data`, `import_data`,
 * `calculate_theta_sweep_data`), computed as numpy/JAX compute them. */
#include <math.h>

#include "core/internal.h"
#include "spatial/spatial_internal.h"

/* map2pi as upstream evaluates it on a numpy float64 array: the first
 * where() computes a - 2 pi in float64 and hands JAX a float32 array
 * (x64 off); the second runs in float32 with pi and 2 pi weakly typed. */
double cn_nav_map2pi_f32(double a) {
  const float pi = (float)M_PI, two_pi = (float)(2 * M_PI);
  float b = (float)(a > M_PI ? a - 2 * M_PI : a);
  if (b < -pi) b = b + two_pi;
  return (double)b;
}

void cn_nav_derive(int64_t n, const double *vel, const double *head, double *speed,
                   double *movement_direction, double *hd_angle, double *rot_vel) {
  for (int64_t k = 0; k < n; k++) {
    double vx = vel[2 * k], vy = vel[2 * k + 1];
    speed[k] = sqrt(vx * vx + vy * vy);
    movement_direction[k] = speed[k] == 0 ? 0.0 : atan2(vy, vx);
    if (head) hd_angle[k] = atan2(head[2 * k + 1], head[2 * k]);
  }
  if (n > 0) rot_vel[0] = 0;
  for (int64_t k = 1; k < n; k++) rot_vel[k] = cn_nav_map2pi_f32(hd_angle[k] - hd_angle[k - 1]);
}

cn_status cn_nav_import_derive(int64_t n, const double *pos, const double *times,
                               const double *head_angle, double *vel, double *speed,
                               double *movement_direction, double *hd_angle, double *rot_vel) {
  if (n < 2) return cn_error(CN_EINVAL, "position_data must contain at least 2 time steps");
  for (int64_t k = 1; k < n; k++) {
    double dt = times[k] - times[k - 1];
    vel[2 * k] = (pos[2 * k] - pos[2 * k - 2]) / dt;
    vel[2 * k + 1] = (pos[2 * k + 1] - pos[2 * k - 1]) / dt;
  }
  vel[0] = vel[2], vel[1] = vel[3];
  for (int64_t k = 0; k < n; k++) {
    double vx = vel[2 * k], vy = vel[2 * k + 1];
    speed[k] = sqrt(vx * vx + vy * vy);
    movement_direction[k] = speed[k] == 0 ? 0.0 : atan2(vy, vx);
  }
  if (head_angle) {
    for (int64_t k = 0; k < n; k++) hd_angle[k] = head_angle[k];
  } else {
    for (int64_t k = 0; k < n; k++) hd_angle[k] = movement_direction[k];
    for (int64_t k = 1; k < n; k++)
      if (speed[k] == 0) hd_angle[k] = hd_angle[k - 1];
  }
  rot_vel[0] = 0;
  for (int64_t k = 1; k < n; k++) rot_vel[k] = cn_nav_map2pi_f32(hd_angle[k] - hd_angle[k - 1]);
  return CN_OK;
}

/* numpy.mod for doubles: the result takes the divisor's sign. */
static double np_mod(double x, double y) {
  double m = fmod(x, y);
  if (m != 0 && ((y < 0) != (m < 0))) m += y;
  return m;
}

void cn_nav_theta_sweep(int64_t n, const double *hd_angle, const double *speed, double dt,
                        double *ang_velocity, double *linear_gain, double *ang_gain) {
  if (n <= 0) return;
  /* numpy.unwrap (period 2 pi) followed by diff / dt with a leading 0. */
  double corr = 0, prev_unwrapped = hd_angle[0];
  ang_velocity[0] = 0;
  for (int64_t k = 1; k < n; k++) {
    double dd = hd_angle[k] - hd_angle[k - 1];
    double ddmod = np_mod(dd + M_PI, 2 * M_PI) - M_PI;
    if (ddmod == -M_PI && dd > 0) ddmod = M_PI;
    double pc = ddmod - dd;
    if (fabs(dd) < M_PI) pc = 0;
    corr += pc;
    double u = hd_angle[k] + corr;
    ang_velocity[k] = (u - prev_unwrapped) / dt;
    prev_unwrapped = u;
  }
  double ms = -INFINITY, ma = -INFINITY;
  for (int64_t k = 0; k < n; k++) {
    if (speed[k] > ms || isnan(speed[k])) ms = isnan(ms) ? ms : (isnan(speed[k]) ? NAN : speed[k]);
    double a = fabs(ang_velocity[k]);
    if (a > ma || isnan(a)) ma = isnan(ma) ? ma : (isnan(a) ? NAN : a);
  }
  for (int64_t k = 0; k < n; k++) {
    linear_gain[k] = ms > 0 ? speed[k] / ms : 0.0;
    ang_gain[k] = ma > 0 ? ang_velocity[k] / ma : 0.0;
  }
}
