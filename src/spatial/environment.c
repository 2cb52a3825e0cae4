/* canns — 2-D environments (upstream canns_lib.spatial.Environment):
 * rectangles and polygons with holes, loose walls and objects; the
 * collision wall list; containment, projection, wall vectors and position
 * sampling. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "spatial/spatial_internal.h"

static cn_status grow(void **p, int *cap, int need, size_t es) {
  if (need <= *cap) return CN_OK;
  int nc = *cap ? *cap * 2 : 8;
  while (nc < need) nc *= 2;
  void *q = realloc(*p, (size_t)nc * es);
  if (!q) return cn_error(CN_ENOMEM, "environment: out of memory");
  *p = q;
  *cap = nc;
  return CN_OK;
}

/* The wall list in upstream's order and the per-wall constants. */
static cn_status rebuild(cn_env *e) {
  int n = e->nuser;
  if (e->bc == CN_ENV_SOLID) {
    n += e->nb >= 3 ? e->nb : 4;
    for (int h = 0; h < e->nholes; h++) n += e->hole_n[h];
  }
  double *w = malloc(sizeof(double) * 4 * (size_t)(n ? n : 1));
  double *pre = malloc(sizeof(double) * 3 * (size_t)(n ? n : 1));
  if (!w || !pre) {
    free(w), free(pre);
    return cn_error(CN_ENOMEM, "environment: out of memory");
  }
  int k = 0;
  if (e->nuser) memcpy(w, e->user_walls, sizeof(double) * 4 * (size_t)e->nuser);
  k = e->nuser;
  if (e->bc == CN_ENV_SOLID) {
    if (e->nb >= 3) {
      for (int i = 0; i < e->nb; i++, k++) {
        int j = (i + 1) % e->nb;
        w[4 * k] = e->boundary[2 * i], w[4 * k + 1] = e->boundary[2 * i + 1];
        w[4 * k + 2] = e->boundary[2 * j], w[4 * k + 3] = e->boundary[2 * j + 1];
      }
    } else {
      double c[5][2] = {{e->min_x, e->min_y}, {e->max_x, e->min_y}, {e->max_x, e->max_y},
                        {e->min_x, e->max_y}, {e->min_x, e->min_y}};
      for (int i = 0; i < 4; i++, k++) {
        w[4 * k] = c[i][0], w[4 * k + 1] = c[i][1];
        w[4 * k + 2] = c[i + 1][0], w[4 * k + 3] = c[i + 1][1];
      }
    }
    for (int h = 0; h < e->nholes; h++) {
      const double *p = e->holes[h];
      int m = e->hole_n[h];
      for (int i = 0; i < m; i++, k++) {
        int j = (i + 1) % m;
        w[4 * k] = p[2 * i], w[4 * k + 1] = p[2 * i + 1];
        w[4 * k + 2] = p[2 * j], w[4 * k + 3] = p[2 * j + 1];
      }
    }
  }
  for (int i = 0; i < k; i++) {
    double abx = w[4 * i + 2] - w[4 * i], aby = w[4 * i + 3] - w[4 * i + 1];
    double l2 = abx * abx + aby * aby;
    pre[3 * i] = abx, pre[3 * i + 1] = aby, pre[3 * i + 2] = l2 > 0 ? 1.0 / l2 : 0.0;
  }
  double *col = malloc(sizeof(double) * 6 * (size_t)(k ? k : 1));
  if (!col) {
    free(w), free(pre);
    return cn_error(CN_ENOMEM, "environment: out of memory");
  }
  free(e->walls), free(e->wall_pre), free(e->wax);
  e->walls = w, e->wall_pre = pre, e->nwalls = k;
  int m = k ? k : 1;
  e->wax = col, e->way = col + m, e->wbx = col + 2 * m, e->wby = col + 3 * m;
  e->winv = col + 4 * m, e->wd2 = col + 5 * m;
  for (int i = 0; i < k; i++) {
    e->wax[i] = w[4 * i], e->way[i] = w[4 * i + 1];
    e->wbx[i] = pre[3 * i], e->wby[i] = pre[3 * i + 1], e->winv[i] = pre[3 * i + 2];
  }
  return CN_OK;
}

cn_status cn_env_new(cn_env_bc bc, double scale, double aspect, double dx,
                     const double *boundary, int nb, cn_env **out) {
  *out = NULL;
  if (bc != CN_ENV_SOLID && bc != CN_ENV_PERIODIC)
    return cn_error(CN_EINVAL, "boundary_conditions must be 'solid' or 'periodic'");
  if (!isfinite(scale) || scale <= 0)
    return cn_error(CN_EINVAL, "scale must be a finite number > 0, got %g", cn_fabs_nan(scale));
  if (!isfinite(aspect) || aspect <= 0)
    return cn_error(CN_EINVAL, "aspect must be a finite number > 0, got %g", cn_fabs_nan(aspect));
  if (!isfinite(dx) || dx <= 0)
    return cn_error(CN_EINVAL, "dx must be a finite number > 0, got %g", cn_fabs_nan(dx));
  if (boundary && nb > 0) CN_TRY(cn_geo_check_polygon(boundary, nb, "boundary"));
  cn_env *e = calloc(1, sizeof *e);
  if (!e) return cn_error(CN_ENOMEM, "environment: out of memory");
  e->bc = bc, e->scale = scale, e->aspect = aspect, e->dx = dx;
  if (boundary && nb >= 3) {
    e->boundary = malloc(sizeof(double) * 2 * (size_t)nb);
    if (!e->boundary) {
      free(e);
      return cn_error(CN_ENOMEM, "environment: out of memory");
    }
    memcpy(e->boundary, boundary, sizeof(double) * 2 * (size_t)nb);
    e->nb = nb;
    e->min_x = e->max_x = boundary[0];
    e->min_y = e->max_y = boundary[1];
    for (int i = 1; i < nb; i++) {
      e->min_x = fmin(e->min_x, boundary[2 * i]), e->max_x = fmax(e->max_x, boundary[2 * i]);
      e->min_y = fmin(e->min_y, boundary[2 * i + 1]);
      e->max_y = fmax(e->max_y, boundary[2 * i + 1]);
    }
    e->rect = false;
  } else {
    e->min_x = 0, e->max_x = scale * (aspect > 1e-9 ? aspect : 1e-9);
    e->min_y = 0, e->max_y = scale;
    e->rect = true;
  }
  cn_status s = rebuild(e);
  if (s != CN_OK) {
    cn_env_free(e);
    return s;
  }
  *out = e;
  return CN_OK;
}

void cn_env_free(cn_env *e) {
  if (!e) return;
  for (int h = 0; h < e->nholes; h++) free(e->holes[h]);
  free(e->holes), free(e->hole_n), free(e->boundary), free(e->user_walls);
  free(e->objects), free(e->object_type), free(e->walls), free(e->wall_pre), free(e->wax);
  free(e);
}

cn_status cn_env_clone(const cn_env *src, cn_env **out) {
  cn_env *e;
  CN_TRY(cn_env_new(src->bc, src->scale, src->aspect, src->dx, src->boundary, src->nb, &e));
  cn_status s = CN_OK;
  for (int i = 0; i < src->nuser && s == CN_OK; i++) s = cn_env_add_wall(e, src->user_walls + 4 * i);
  for (int h = 0; h < src->nholes && s == CN_OK; h++)
    s = cn_env_add_hole(e, src->holes[h], src->hole_n[h]);
  for (int i = 0; i < src->nobjects && s == CN_OK; i++)
    s = cn_env_add_object(e, src->objects[2 * i], src->objects[2 * i + 1], src->object_type[i]);
  if (s != CN_OK) {
    cn_env_free(e);
    return s;
  }
  *out = e;
  return CN_OK;
}

cn_status cn_env_add_wall(cn_env *e, const double w[4]) {
  for (int i = 0; i < 4; i++)
    if (!isfinite(w[i]))
      return cn_error(CN_EINVAL, "wall coordinates must be finite, got %g", cn_fabs_nan(w[i]));
  if (e->nuser >= 1000000) return cn_error(CN_ERANGE, "too many walls (at most 1000000)");
  CN_TRY(grow((void **)&e->user_walls, &e->cap_user, e->nuser + 1, 4 * sizeof(double)));
  memcpy(e->user_walls + 4 * e->nuser, w, 4 * sizeof(double));
  e->nuser++;
  cn_status s = rebuild(e);
  if (s != CN_OK) e->nuser--;
  return s;
}

cn_status cn_env_add_hole(cn_env *e, const double *xy, int n) {
  CN_TRY(cn_geo_check_polygon(xy, n, "hole"));
  if (e->nholes >= 100000) return cn_error(CN_ERANGE, "too many holes (at most 100000)");
  int cap = e->cap_holes;
  CN_TRY(grow((void **)&e->holes, &cap, e->nholes + 1, sizeof(double *)));
  int cap2 = e->cap_holes;
  cn_status s = grow((void **)&e->hole_n, &cap2, e->nholes + 1, sizeof(int));
  e->cap_holes = cap2 < cap ? cap2 : cap;
  if (s != CN_OK) return s;
  double *p = malloc(sizeof(double) * 2 * (size_t)n);
  if (!p) return cn_error(CN_ENOMEM, "environment: out of memory");
  memcpy(p, xy, sizeof(double) * 2 * (size_t)n);
  e->holes[e->nholes] = p, e->hole_n[e->nholes] = n;
  e->nholes++;
  s = rebuild(e);
  if (s != CN_OK) free(e->holes[--e->nholes]);
  return s;
}

cn_status cn_env_add_object(cn_env *e, double x, double y, int type) {
  if (!isfinite(x) || !isfinite(y))
    return cn_error(CN_EINVAL, "object position must be finite, got (%g, %g)", cn_fabs_nan(x),
                    cn_fabs_nan(y));
  int cap = e->cap_objects;
  CN_TRY(grow((void **)&e->objects, &cap, e->nobjects + 1, 2 * sizeof(double)));
  int cap2 = e->cap_objects;
  cn_status s = grow((void **)&e->object_type, &cap2, e->nobjects + 1, sizeof(int));
  e->cap_objects = cap2 < cap ? cap2 : cap;
  if (s != CN_OK) return s;
  e->objects[2 * e->nobjects] = x, e->objects[2 * e->nobjects + 1] = y;
  e->object_type[e->nobjects++] = type;
  return CN_OK;
}

bool cn_env_periodic(const cn_env *e) { return e->bc == CN_ENV_PERIODIC; }
bool cn_env_rectangular(const cn_env *e) { return e->rect; }
void cn_env_extent(const cn_env *e, double ext[4]) {
  ext[0] = e->min_x, ext[1] = e->max_x, ext[2] = e->min_y, ext[3] = e->max_y;
}
double cn_env_scale(const cn_env *e) { return e->scale; }
double cn_env_aspect(const cn_env *e) { return e->aspect; }
double cn_env_dx(const cn_env *e) { return e->dx; }
int cn_env_nwalls(const cn_env *e) { return e->nwalls; }
const double *cn_env_walls(const cn_env *e) { return e->walls; }
int cn_env_nuser_walls(const cn_env *e) { return e->nuser; }
const double *cn_env_user_walls(const cn_env *e) { return e->user_walls; }
int cn_env_nboundary(const cn_env *e) { return e->nb; }
const double *cn_env_boundary(const cn_env *e) { return e->boundary; }
int cn_env_nholes(const cn_env *e) { return e->nholes; }
const double *cn_env_hole(const cn_env *e, int i, int *n) {
  *n = e->hole_n[i];
  return e->holes[i];
}
int cn_env_nobjects(const cn_env *e) { return e->nobjects; }
void cn_env_object(const cn_env *e, int i, double *x, double *y, int *type) {
  *x = e->objects[2 * i], *y = e->objects[2 * i + 1], *type = e->object_type[i];
}

bool cn_env_contains(const cn_env *e, double x, double y) {
  if (x < e->min_x || x > e->max_x || y < e->min_y || y > e->max_y) return false;
  if (e->nb >= 3) {
    if (!cn_geo_point_in_polygon(x, y, e->boundary, e->nb)) return false;
    for (int h = 0; h < e->nholes; h++)
      if (cn_geo_point_in_polygon(x, y, e->holes[h], e->hole_n[h])) return false;
  }
  return true;
}

static void closest_valid(const cn_env *e, double p[2]) {
  double best[2] = {0, 0}, bd = INFINITY, c[2], w[4];
  bool found = false;
  for (int part = -1; part < e->nholes; part++) {
    const double *poly = part < 0 ? e->boundary : e->holes[part];
    int n = part < 0 ? e->nb : e->hole_n[part];
    if (!poly || n < (part < 0 ? 1 : 3)) continue;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      w[0] = poly[2 * i], w[1] = poly[2 * i + 1], w[2] = poly[2 * j], w[3] = poly[2 * j + 1];
      cn_geo_closest_on_segment(p[0], p[1], w, c);
      double dx = p[0] - c[0], dy = p[1] - c[1], d = dx * dx + dy * dy;
      if (d < bd) bd = d, best[0] = c[0], best[1] = c[1], found = true;
    }
  }
  if (found) {
    p[0] = best[0], p[1] = best[1];
  } else {
    p[0] = fmin(fmax(p[0], e->min_x), e->max_x);
    p[1] = fmin(fmax(p[1], e->min_y), e->max_y);
  }
}

void cn_env_project(const cn_env *e, const double *prev, double p[2]) {
  if (e->bc == CN_ENV_PERIODIC) {
    p[0] = cn_geo_wrap(p[0], e->min_x, e->max_x);
    p[1] = cn_geo_wrap(p[1], e->min_y, e->max_y);
    return;
  }
  if (e->rect) {
    p[0] = fmin(fmax(p[0], e->min_x), e->max_x);
    p[1] = fmin(fmax(p[1], e->min_y), e->max_y);
    return;
  }
  if (cn_env_contains(e, p[0], p[1])) return;
  if (prev && cn_env_contains(e, prev[0], prev[1])) {
    double lo = 0, hi = 1, best[2] = {prev[0], prev[1]};
    for (int k = 0; k < 40; k++) {
      double mid = 0.5 * (lo + hi);
      double m[2] = {prev[0] + (p[0] - prev[0]) * mid, prev[1] + (p[1] - prev[1]) * mid};
      if (cn_env_contains(e, m[0], m[1])) {
        best[0] = m[0], best[1] = m[1];
        lo = mid;
      } else {
        hi = mid;
      }
    }
    if (cn_env_contains(e, best[0], best[1])) {
      p[0] = best[0], p[1] = best[1];
      return;
    }
  }
  closest_valid(e, p);
}

void cn_env_vectors_from_walls(const cn_env *e, double x, double y, double *out) {
  double c[2];
  for (int k = 0; k < e->nwalls; k++) {
    cn_geo_closest_on_segment(x, y, e->walls + 4 * k, c);
    out[2 * k] = x - c[0];
    out[2 * k + 1] = y - c[1];
  }
}

void cn_env_check_wall_collisions(const cn_env *e, const double a[2], const double b[2],
                                  bool *hit) {
  for (int k = 0; k < e->nwalls; k++)
    hit[k] = cn_geo_segments_intersect(a, b, e->walls + 4 * k, e->walls + 4 * k + 2);
}

/* Uniform on the closed interval [lo, hi]. */
static double unif_closed(cn_rng *g, double lo, double hi) {
  double u = cn_rng_uniform1(g);
  return lo + (hi - lo) * u;
}

/* upstream sample_random_position: rejection in the bounding box. */
void cn_env_random_position(const cn_env *e, cn_rng *g, double p[2]);
void cn_env_random_position(const cn_env *e, cn_rng *g, double p[2]) {
  for (int i = 0; i < 10000; i++) {
    double x = unif_closed(g, e->min_x, e->max_x), y = unif_closed(g, e->min_y, e->max_y);
    if (cn_env_contains(e, x, y)) {
      p[0] = x, p[1] = y;
      return;
    }
  }
  p[0] = e->min_x, p[1] = e->min_y;
}

cn_status cn_env_sample_positions(const cn_env *e, int64_t n, cn_env_sampling m, cn_rng *g,
                                  double *out) {
  if (n < 0) return cn_error(CN_EINVAL, "n must be >= 0, got %lld", (long long)n);
  if (n == 0) return CN_OK;
  int64_t k = 0;
  if (m == CN_SAMPLE_RANDOM) {
    for (int a = 0; a < 10000 && k < n; a++) {
      double x = unif_closed(g, e->min_x, e->max_x), y = unif_closed(g, e->min_y, e->max_y);
      if (cn_env_contains(e, x, y)) out[2 * k] = x, out[2 * k + 1] = y, k++;
    }
    for (; k < n; k++) out[2 * k] = e->min_x, out[2 * k + 1] = e->min_y;
    return CN_OK;
  }
  int64_t side = (int64_t)ceil(sqrt((double)n));
  if (side < 1) side = 1;
  double dx = (e->max_x - e->min_x) / (double)side, dy = (e->max_y - e->min_y) / (double)side;
  bool jitter = m == CN_SAMPLE_UNIFORM_JITTER;
  for (int64_t ix = 0; ix < side && k < n; ix++)
    for (int64_t iy = 0; iy < side && k < n; iy++) {
      double x = e->min_x + dx * ((double)ix + 0.5), y = e->min_y + dy * ((double)iy + 0.5);
      if (jitter) {
        x += unif_closed(g, -0.45 * dx, 0.45 * dx);
        y += unif_closed(g, -0.45 * dy, 0.45 * dy);
      }
      if (cn_env_contains(e, x, y)) out[2 * k] = x, out[2 * k + 1] = y, k++;
    }
  for (; k < n; k++) cn_env_random_position(e, g, out + 2 * k);
  return CN_OK;
}
