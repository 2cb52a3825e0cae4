/* canns — plane geometry of the spatial environments: point in polygon,
 * periodic wrap, closest point on a segment, segment intersection and the
 * polygon validity check.  The first four evaluate upstream's expressions
 * in the same order, so their results are the same doubles. */
#include <float.h>
#include <math.h>

#include "core/internal.h"
#include "spatial/spatial_internal.h"

/* Even-odd ray crossing; the crossing abscissa adds DBL_EPSILON to the
 * denominator as upstream does (so horizontal edges never divide by 0). */
bool cn_geo_point_in_polygon(double px, double py, const double *poly, int n) {
  bool inside = false;
  if (n < 3) return false;
  int j = n - 1;
  for (int i = 0; i < n; i++) {
    double xi = poly[2 * i], yi = poly[2 * i + 1];
    double xj = poly[2 * j], yj = poly[2 * j + 1];
    if (((yi > py) != (yj > py)) && (px < (xj - xi) * (py - yi) / (yj - yi + DBL_EPSILON) + xi))
      inside = !inside;
    j = i;
  }
  return inside;
}

/* ((v - lo) mod w) + lo with a non-negative remainder (fmod, as Rust's %). */
double cn_geo_wrap(double v, double lo, double hi) {
  if (hi <= lo) return v;
  double w = hi - lo;
  double r = fmod(v - lo, w);
  if (r < 0.0) r += w;
  return r + lo;
}

void cn_geo_closest_on_segment(double px, double py, const double *w, double out[2]) {
  double ax = w[0], ay = w[1], abx = w[2] - ax, aby = w[3] - ay;
  double l2 = abx * abx + aby * aby;
  if (l2 == 0.0) {
    out[0] = ax, out[1] = ay;
    return;
  }
  double t = ((px - ax) * abx + (py - ay) * aby) / l2;
  t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
  out[0] = ax + abx * t;
  out[1] = ay + aby * t;
}

static double orient(const double a[2], const double b[2], const double c[2]) {
  return (b[1] - a[1]) * (c[0] - b[0]) - (b[0] - a[0]) * (c[1] - b[1]);
}

static bool on_seg(const double a[2], const double b[2], const double c[2]) {
  return b[0] >= fmin(a[0], c[0]) && b[0] <= fmax(a[0], c[0]) && b[1] >= fmin(a[1], c[1]) &&
         b[1] <= fmax(a[1], c[1]);
}

bool cn_geo_segments_intersect(const double p1[2], const double q1[2], const double p2[2],
                               const double q2[2]) {
  double o1 = orient(p1, q1, p2), o2 = orient(p1, q1, q2);
  double o3 = orient(p2, q2, p1), o4 = orient(p2, q2, q1);
  if (o1 * o2 < 0.0 && o3 * o4 < 0.0) return true;
  if (fabs(o1) < DBL_EPSILON && on_seg(p1, p2, q1)) return true;
  if (fabs(o2) < DBL_EPSILON && on_seg(p1, q2, q1)) return true;
  if (fabs(o3) < DBL_EPSILON && on_seg(p2, p1, q2)) return true;
  if (fabs(o4) < DBL_EPSILON && on_seg(p2, q1, q2)) return true;
  return false;
}

cn_status cn_geo_check_polygon(const double *xy, int n, const char *what) {
  if (n < 3) return cn_error(CN_EINVAL, "%s must have at least 3 vertices, got %d", what, n);
  for (int i = 0; i < 2 * n; i++)
    if (!isfinite(xy[i]))
      return cn_error(CN_EINVAL, "%s vertex %d has a non-finite coordinate (%g)", what,
                      i / 2 + 1, xy[i]);
  for (int i = 0; i < n; i++) {
    int k = (i + 1) % n;
    if (xy[2 * i] == xy[2 * k] && xy[2 * i + 1] == xy[2 * k + 1])
      return cn_error(CN_EINVAL, "%s vertices %d and %d are the same point (%g, %g)%s", what,
                      i + 1, k + 1, xy[2 * i], xy[2 * i + 1],
                      k == 0 ? "; do not repeat the first vertex at the end" : "");
  }
  /* Non-adjacent edges must not touch (O(n^2); polygons are small). */
  for (int i = 0; i < n; i++) {
    const double *a0 = xy + 2 * i, *a1 = xy + 2 * ((i + 1) % n);
    for (int j = i + 2; j < n; j++) {
      if (i == 0 && j == n - 1) continue; /* adjacent through the closing edge */
      const double *b0 = xy + 2 * j, *b1 = xy + 2 * ((j + 1) % n);
      if (cn_geo_segments_intersect(a0, a1, b0, b1))
        return cn_error(CN_EINVAL,
                        "%s is self-intersecting: edge %d-%d crosses edge %d-%d "
                        "(a simple polygon is expected)",
                        what, i + 1, (i + 1) % n + 1, j + 1, (j + 1) % n + 1);
    }
  }
  return CN_OK;
}
