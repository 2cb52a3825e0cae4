/* canns — the movement-cost grid of upstream navigation_base
 * (`BaseNavigationTask.build_movement_cost_grid`, `MovementCostGrid`): a
 * cell is blocked when its centre is outside the outline, a wall touches
 * it, or a hole overlaps or touches it (epsilon 1e-12, touching counts). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "spatial/spatial_internal.h"

#define EPS 1e-12

static bool pt_in_rect(const double *p, double xl, double xr, double yb, double yt) {
  return xl - EPS <= p[0] && p[0] <= xr + EPS && yb - EPS <= p[1] && p[1] <= yt + EPS;
}

static double orient(const double *a, const double *b, const double *c) {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

static bool on_seg(const double *a, const double *b, const double *c) {
  return fmin(a[0], c[0]) - EPS <= b[0] && b[0] <= fmax(a[0], c[0]) + EPS &&
         fmin(a[1], c[1]) - EPS <= b[1] && b[1] <= fmax(a[1], c[1]) + EPS;
}

static int sgn(double v) { return fabs(v) <= EPS ? 0 : (v > 0 ? 1 : -1); }

static bool seg_seg(const double *p1, const double *p2, const double *q1, const double *q2) {
  int s1 = sgn(orient(p1, p2, q1)), s2 = sgn(orient(p1, p2, q2));
  int s3 = sgn(orient(q1, q2, p1)), s4 = sgn(orient(q1, q2, p2));
  if (s1 != s2 && s3 != s4) return true;
  if (s1 == 0 && on_seg(p1, q1, p2)) return true;
  if (s2 == 0 && on_seg(p1, q2, p2)) return true;
  if (s3 == 0 && on_seg(q1, p1, q2)) return true;
  if (s4 == 0 && on_seg(q1, p2, q2)) return true;
  return false;
}

static bool seg_rect(const double *p1, const double *p2, double xl, double xr, double yb,
                     double yt) {
  if (fmax(p1[0], p2[0]) < xl - EPS || fmin(p1[0], p2[0]) > xr + EPS ||
      fmax(p1[1], p2[1]) < yb - EPS || fmin(p1[1], p2[1]) > yt + EPS)
    return false;
  if (pt_in_rect(p1, xl, xr, yb, yt) || pt_in_rect(p2, xl, xr, yb, yt)) return true;
  double c[5][2] = {{xl, yb}, {xr, yb}, {xr, yt}, {xl, yt}, {xl, yb}};
  for (int i = 0; i < 4; i++)
    if (seg_seg(p1, p2, c[i], c[i + 1])) return true;
  return false;
}

/* Point in polygon without the epsilon of the environment's test (the
 * grid's centres and corners never need it; see the header). */
static bool inside(const double *p, const double *poly, int n) {
  bool in = false;
  for (int i = 0, j = n - 1; i < n; j = i++) {
    double xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
    if (((yi > p[1]) != (yj > p[1])) && (p[0] < (xj - xi) * (p[1] - yi) / (yj - yi) + xi))
      in = !in;
  }
  return in;
}

/* matplotlib's Path.contains_point(p, radius = 1e-9), which upstream uses
 * for the outline: the polygon is offset by the radius outwards when its
 * vertices run counter-clockwise and inwards when clockwise, so a point
 * within 1e-9 of the outline is inside exactly for a counter-clockwise
 * outline (the T-maze outlines run clockwise: centres on their edges are
 * blocked). */
static bool outline_contains(const double *p, const double *poly, int n, bool ccw) {
  double c[2];
  for (int i = 0; i < n; i++) {
    double w[4] = {poly[2 * i], poly[2 * i + 1], poly[2 * ((i + 1) % n)], poly[2 * ((i + 1) % n) + 1]};
    cn_geo_closest_on_segment(p[0], p[1], w, c);
    double dx = p[0] - c[0], dy = p[1] - c[1];
    if (dx * dx + dy * dy <= 1e-18) return ccw;
  }
  return inside(p, poly, n);
}

static bool hole_overlaps(const double *h, int n, double xl, double xr, double yb, double yt,
                          const double *centre) {
  if (inside(centre, h, n)) return true;
  double c[4][2] = {{xl, yb}, {xr, yb}, {xr, yt}, {xl, yt}};
  for (int i = 0; i < 4; i++)
    if (inside(c[i], h, n)) return true;
  for (int i = 0; i < n; i++)
    if (pt_in_rect(h + 2 * i, xl, xr, yb, yt)) return true;
  for (int i = 0; i < n; i++)
    if (seg_rect(h + 2 * i, h + 2 * ((i + 1) % n), xl, xr, yb, yt)) return true;
  return false;
}

void cn_costgrid_free(cn_costgrid *g) {
  if (!g) return;
  free(g->x_edges), free(g->y_edges), free(g->costs), free(g->index);
  free(g);
}

cn_status cn_costgrid_build(const double *outline, int nb, double width, double height,
                            const double *wall_xy, const int *wall_n, int nwalls,
                            const double *hole_xy, const int *hole_n, int nholes, double dx,
                            double dy, cn_costgrid **out) {
  *out = NULL;
  if (!isfinite(dx) || dx <= 0 || !isfinite(dy) || dy <= 0)
    return cn_error(CN_EINVAL, "grid_dx and grid_dy must be finite numbers > 0, got %g and %g",
                    cn_fabs_nan(dx), cn_fabs_nan(dy));
  double rect[8] = {0, 0, width, 0, width, height, 0, height};
  const double *ol = nb >= 3 ? outline : rect;
  int no = nb >= 3 ? nb : 4;
  double mnx = ol[0], mxx = ol[0], mny = ol[1], mxy = ol[1];
  for (int i = 1; i < no; i++) {
    mnx = fmin(mnx, ol[2 * i]), mxx = fmax(mxx, ol[2 * i]);
    mny = fmin(mny, ol[2 * i + 1]), mxy = fmax(mxy, ol[2 * i + 1]);
  }
  if (!isfinite(mnx) || !isfinite(mxx) || !isfinite(mny) || !isfinite(mxy))
    return cn_error(CN_EINVAL, "the outline has non-finite coordinates");
  double fc = ceil((mxx - mnx) / dx), fr = ceil((mxy - mny) / dy);
  if (!(fc > 0) || !(fr > 0))
    return cn_error(CN_EINVAL, "computed grid has no cells; check boundary and resolution");
  if (fc * fr > 4e7 || fc > 1e7 || fr > 1e7)
    return cn_error(CN_ERANGE, "the grid would have %.0f x %.0f cells (at most 4e7)", fr, fc);
  int64_t ncol = (int64_t)fc, nrow = (int64_t)fr;
  cn_costgrid *g = calloc(1, sizeof *g);
  if (!g) return cn_error(CN_ENOMEM, "cost grid: out of memory");
  g->x_edges = malloc(sizeof(double) * (size_t)(ncol + 2));
  g->y_edges = malloc(sizeof(double) * (size_t)(nrow + 2));
  if (!g->x_edges || !g->y_edges) {
    cn_costgrid_free(g);
    return cn_error(CN_ENOMEM, "cost grid: out of memory");
  }
  for (int64_t i = 0; i <= ncol; i++) g->x_edges[i] = mnx + (double)i * dx;
  for (int64_t i = 0; i <= nrow; i++) g->y_edges[i] = mxy - (double)i * dy;
  if (g->x_edges[ncol] < mxx) g->x_edges[ncol + 1] = g->x_edges[ncol] + dx, ncol++;
  if (g->y_edges[nrow] > mny) g->y_edges[nrow + 1] = g->y_edges[nrow] - dy, nrow++;
  g->rows = nrow, g->cols = ncol, g->dx = dx, g->dy = dy;
  g->min_x = mnx, g->max_x = mxx, g->min_y = mny, g->max_y = mxy;
  g->costs = malloc(sizeof(int32_t) * (size_t)(nrow * ncol));
  g->index = malloc(sizeof(int64_t) * (size_t)(nrow * ncol));
  if (!g->costs || !g->index) {
    cn_costgrid_free(g);
    return cn_error(CN_ENOMEM, "cost grid: out of memory");
  }
  int64_t *woff = NULL, *hoff = NULL;
  woff = malloc(sizeof(int64_t) * (size_t)(nwalls + 1));
  hoff = malloc(sizeof(int64_t) * (size_t)(nholes + 1));
  if (!woff || !hoff) {
    free(woff), free(hoff), cn_costgrid_free(g);
    return cn_error(CN_ENOMEM, "cost grid: out of memory");
  }
  woff[0] = 0;
  for (int i = 0; i < nwalls; i++) woff[i + 1] = woff[i] + wall_n[i];
  hoff[0] = 0;
  for (int i = 0; i < nholes; i++) hoff[i + 1] = hoff[i] + hole_n[i];
  double area2 = 0;
  for (int i = 0; i < nb; i++) {
    int j = (i + 1) % nb;
    area2 += outline[2 * i] * outline[2 * j + 1] - outline[2 * j] * outline[2 * i + 1];
  }
  bool ccw = area2 > 0;
#pragma omp parallel for schedule(dynamic, 4) num_threads(cn_threads_for(nrow * ncol * 64))
  for (int64_t r = 0; r < nrow; r++) {
    double yt = g->y_edges[r], yb = g->y_edges[r + 1], cy = (yt + yb) / 2;
    for (int64_t c = 0; c < ncol; c++) {
      double xl = g->x_edges[c], xr = g->x_edges[c + 1], centre[2] = {(xl + xr) / 2, cy};
      bool blocked = false;
      if (nb >= 3 && !outline_contains(centre, outline, nb, ccw)) blocked = true;
      for (int w = 0; w < nwalls && !blocked; w++) {
        if (wall_n[w] < 2) continue;
        const double *p = wall_xy + 2 * woff[w];
        for (int k = 0; k + 1 < wall_n[w] && !blocked; k++)
          if (seg_rect(p + 2 * k, p + 2 * k + 2, xl, xr, yb, yt)) blocked = true;
      }
      for (int h = 0; h < nholes && !blocked; h++)
        if (hole_n[h] >= 3 && hole_overlaps(hole_xy + 2 * hoff[h], hole_n[h], xl, xr, yb, yt, centre))
          blocked = true;
      g->costs[r * ncol + c] = blocked ? INT32_MAX : 1;
    }
  }
  free(woff), free(hoff);
  int64_t k = 0;
  for (int64_t i = 0; i < nrow * ncol; i++) g->index[i] = g->costs[i] == 1 ? k++ : -1;
  g->nfree = k;
  *out = g;
  return CN_OK;
}

int64_t cn_costgrid_cell_index(const cn_costgrid *g, double x, double y, bool bug_compatible) {
  if (isnan(x) || isnan(y)) return -1;
  int64_t E = g->rows + 1, nle = 0, nlt = 0, col = -1;
  for (int64_t i = 0; i <= g->cols; i++)
    if (g->x_edges[i] <= x) col = i;
  for (int64_t i = 0; i < E; i++) {
    if (g->y_edges[i] < y) nlt++;
    if (g->y_edges[i] <= y) nle++;
  }
  /* upstream: searchsorted(reversed y_edges, y, 'left') -> one row high */
  int64_t row = bug_compatible ? E - 2 - nlt : E - 1 - nle;
  if (row < 0 || row >= g->rows || col < 0 || col >= g->cols) return -1;
  return g->index[row * g->cols + col];
}
