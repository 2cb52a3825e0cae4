/* canns — internals shared by the spatial files (src/spatial/). */
#ifndef CANNS_SPATIAL_INTERNAL_H
#define CANNS_SPATIAL_INTERNAL_H

#include <math.h>

#include "canns/spatial.h"

struct cn_env {
  cn_env_bc bc;
  double scale, aspect, dx;
  double *boundary; /* 2*nb, NULL for a rectangle (nb < 3 stored as 0) */
  int nb;
  double *user_walls; /* 4 per wall */
  int nuser, cap_user;
  double **holes; /* each 2*hole_n[i] */
  int *hole_n;
  int nholes, cap_holes;
  double *objects; /* 2 per object */
  int *object_type;
  int nobjects, cap_objects;
  /* derived */
  double *walls; /* the full list, 4 per wall */
  int nwalls;
  /* per wall: ab = b - a and 1/|ab|^2 (0 for a point) for the hot loop */
  double *wall_pre; /* 3 per wall: abx, aby, inv_len2 */
  /* the same as separate columns (vectorised distance pass) and a
   * scratch column of squared distances (each agent owns its snapshot) */
  double *wax, *way, *wbx, *wby, *winv, *wd2;
  double min_x, max_x, min_y, max_y;
  bool rect;
};

/* geometry.c */
bool cn_geo_point_in_polygon(double px, double py, const double *poly, int n);
double cn_geo_wrap(double v, double lo, double hi);
void cn_geo_closest_on_segment(double px, double py, const double *w, double out[2]);
/* true if the closed segments p1-q1, p2-q2 share a point (upstream
 * orientation test, |o| < DBL_EPSILON counts as collinear). */
bool cn_geo_segments_intersect(const double p1[2], const double q1[2], const double p2[2],
                               const double q2[2]);
/* Polygon validity: n >= 3, finite, no two non-adjacent edges touching and
 * no zero-length edge.  Returns CN_OK or an error naming `what`. */
cn_status cn_geo_check_polygon(const double *xy, int n, const char *what);

/* normal.c: the speed map between Rayleigh and normal space. */
double cn_nav_ndtri(double p);         /* Phi^-1(p), p in (0, 1) */
double cn_nav_ndtr_upper(double z);    /* 1 - Phi(z) = Phi(-z)   */
double cn_nav_speed_to_z(double s, double sigma);
/* s / sigma from z: tabulated (fast) and direct (erfc, log). */
double cn_nav_z_to_speed(double z);
double cn_nav_z_to_speed_direct(double z);
/* n standard normals from g (ziggurat over Philox blocks). */
void cn_nav_normals(cn_rng *g, double *out, int n);

#endif
