/* canns — Lua binding of the navigation-task helpers: the derived arrays
 * of OpenLoopNavigationData, map2pi, and the movement-cost grid with its
 * geodesic distances (upstream canns.task.navigation_base). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua/l_spatial.h"

typedef struct { cn_agent *a; } lagent_view; /* same layout as l_agent.c's */
typedef struct { cn_costgrid *g; } lgrid;

static cn_array *new1(lua_State *L, int64_t n) {
  cn_array *a;
  cnL_check(L, cn_array_new1(&a, CN_FLOAT64, n), "navigation");
  cnL_pusharray(L, a);
  return a;
}

static cn_array *new2(lua_State *L, int64_t n) {
  cn_array *a;
  cnL_check(L, cn_array_new2(&a, CN_FLOAT64, n, 2), "navigation");
  cnL_pusharray(L, a);
  return a;
}

/* nav_derive(agent) -> {position, velocity, speed, movement_direction,
 * hd_angle, rot_vel} from the whole history. */
static int l_nav_derive(lua_State *L) {
  lagent_view *u = luaL_testudata(L, 1, CNL_AGENT_MT);
  if (!u || !u->a) cnL_argerror(L, "nav_derive", 1, "agent", "must be a live canns.spatial.Agent");
  const cn_agent_history *h = cn_agent_get_history(u->a);
  int64_t n = h->n;
  lua_createtable(L, 0, 6);
  cn_array *pos = new2(L, n);
  if (n) memcpy(pos->data, h->pos, sizeof(double) * 2 * (size_t)n);
  lua_setfield(L, -2, "position");
  cn_array *vel = new2(L, n);
  if (n) memcpy(vel->data, h->vel, sizeof(double) * 2 * (size_t)n);
  lua_setfield(L, -2, "velocity");
  cn_array *sp = new1(L, n);
  lua_setfield(L, -2, "speed");
  cn_array *md = new1(L, n);
  lua_setfield(L, -2, "movement_direction");
  cn_array *hd = new1(L, n);
  lua_setfield(L, -2, "hd_angle");
  cn_array *rv = new1(L, n);
  lua_setfield(L, -2, "rot_vel");
  cn_nav_derive(n, h->vel, h->head, cn_f64(sp), cn_f64(md), cn_f64(hd), cn_f64(rv));
  return 1;
}

static cn_array *checkvec(lua_State *L, int idx, const char *fn, int arg, const char *name, int64_t n) {
  cn_array *a = cnL_checkarraylike(L, idx, CN_FLOAT64, fn, arg, name);
  cnL_pusharray(L, a);
  if (a->ndim != 1 || a->size != n)
    cnL_argerror(L, fn, arg, name, "must be a 1-D array of length %lld, got %d dimension(s) and %lld elements",
                 (long long)n, a->ndim, (long long)a->size);
  for (int64_t i = 0; i < n; i++)
    if (!isfinite(cn_f64(a)[i]))
      cnL_argerror(L, fn, arg, name, "must be finite, got %g at position %lld", fabs(cn_f64(a)[i]), (long long)i + 1);
  return a;
}

/* nav_import_derive(positions (n, 2), times (n), head_direction (n) | nil) */
static int l_nav_import(lua_State *L) {
  const char *fn = "import_data";
  int64_t n;
  double *xy = spL_points(L, 1, fn, "argument 1 (position_data)", &n);
  if (n < 2) cnL_argerror(L, fn, 1, "position_data", "must contain at least 2 time steps, got %lld", (long long)n);
  cn_array *t = checkvec(L, 2, fn, 2, "times", n);
  for (int64_t i = 1; i < n; i++)
    if (!(cn_f64(t)[i] > cn_f64(t)[i - 1]))
      cnL_argerror(L, fn, 2, "times", "must be strictly increasing, got %.17g after %.17g at position %lld",
                   cn_f64(t)[i], cn_f64(t)[i - 1], (long long)i + 1);
  cn_array *hd_in = lua_isnoneornil(L, 3) ? NULL : checkvec(L, 3, fn, 3, "head_direction", n);
  lua_createtable(L, 0, 6);
  cn_array *pos = new2(L, n);
  memcpy(pos->data, xy, sizeof(double) * 2 * (size_t)n);
  lua_setfield(L, -2, "position");
  cn_array *vel = new2(L, n);
  lua_setfield(L, -2, "velocity");
  cn_array *sp = new1(L, n);
  lua_setfield(L, -2, "speed");
  cn_array *md = new1(L, n);
  lua_setfield(L, -2, "movement_direction");
  cn_array *hd = new1(L, n);
  lua_setfield(L, -2, "hd_angle");
  cn_array *rv = new1(L, n);
  lua_setfield(L, -2, "rot_vel");
  cnL_check(L, cn_nav_import_derive(n, xy, cn_f64(t), hd_in ? cn_f64(hd_in) : NULL, cn_f64(vel),
                                    cn_f64(sp), cn_f64(md), cn_f64(hd), cn_f64(rv)), fn);
  return 1;
}

/* nav_theta_sweep(hd_angle, speed, dt) -> ang_velocity, linear, angular gains */
static int l_nav_theta(lua_State *L) {
  const char *fn = "calculate_theta_sweep_data";
  cn_array *hd = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "hd_angle");
  cnL_pusharray(L, hd);
  int64_t n = hd->size;
  cn_array *sp = checkvec(L, 2, fn, 2, "speed", n);
  double dt = cnL_checkfinite(L, 3, fn, 3, "dt");
  if (dt <= 0) cnL_argerror(L, fn, 3, "dt", "must be > 0, got %g", dt);
  cn_array *av = new1(L, n), *lg = new1(L, n), *ag = new1(L, n);
  cn_nav_theta_sweep(n, cn_f64(hd), cn_f64(sp), dt, cn_f64(av), cn_f64(lg), cn_f64(ag));
  return 3;
}

/* nav_map2pi(number | array) in float32 as upstream's JAX code */
static int l_nav_map2pi(lua_State *L) {
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_pushnumber(L, cn_nav_map2pi_f32(lua_tonumber(L, 1)));
    return 1;
  }
  cn_array *a = cnL_checkarraylike(L, 1, CN_FLOAT64, "map2pi", 1, "a");
  cnL_pusharray(L, a);
  cn_array *o;
  cnL_check(L, cn_array_empty(&o, CN_FLOAT32, a->ndim, a->shape), "map2pi");
  for (int64_t i = 0; i < a->size; i++) cn_f32(o)[i] = (float)cn_nav_map2pi_f32(cn_f64(a)[i]);
  cnL_pusharray(L, o);
  return 1;
}

/* ----------------------------------------------------------- cost grid */

/* A list of polylines/polygons: each entry a list of points. Pushes one
 * userdata with the coordinates and one with the counts. */
static int read_polys(lua_State *L, int idx, const char *fn, const char *what, double **xy, int **cnt) {
  idx = lua_absindex(L, idx);
  if (lua_isnil(L, idx)) {
    *xy = lua_newuserdatauv(L, sizeof(double), 0);
    *cnt = lua_newuserdatauv(L, sizeof(int), 0);
    return 0;
  }
  if (!lua_istable(L, idx)) cnL_errorf(L, "%s: option '%s' must be a list of point lists", fn, what);
  lua_Integer m = luaL_len(L, idx);
  if (m > 100000) cnL_errorf(L, "%s: option '%s' has too many entries", fn, what);
  int64_t total = 0;
  int base = lua_gettop(L);
  char w[64];
  for (lua_Integer i = 1; i <= m; i++) {
    int64_t n;
    lua_geti(L, idx, i);
    snprintf(w, sizeof w, "option '%s' entry %lld", what, (long long)i);
    spL_points(L, -1, fn, w, &n);
    lua_remove(L, -2);
    if (n > 1000000) cnL_errorf(L, "%s: %s has too many points", fn, w);
    total += n;
  }
  double *all = lua_newuserdatauv(L, sizeof(double) * (size_t)(2 * total + 2), 0);
  int *c = lua_newuserdatauv(L, sizeof(int) * (size_t)(m + 1), 0);
  int64_t off = 0;
  for (lua_Integer i = 1; i <= m; i++) {
    lua_geti(L, idx, i);
    int64_t n;
    double *p = spL_points(L, -1, fn, what, &n);
    memcpy(all + 2 * off, p, sizeof(double) * 2 * (size_t)n);
    lua_pop(L, 2);
    c[i - 1] = (int)n;
    off += n;
  }
  /* keep only the two buffers above base */
  lua_rotate(L, base + 1, 2);
  lua_settop(L, base + 2);
  *xy = all, *cnt = c;
  return (int)m;
}

static int l_costgrid(lua_State *L) {
  const char *fn = "build_movement_cost_grid";
  static const char *const keys[] = {"boundary", "width", "height", "walls", "holes", "dx", "dy", NULL};
  if (!lua_istable(L, 1)) cnL_errorf(L, "%s: expects a table of keyword arguments", fn);
  cnL_checkfields(L, 1, keys, fn);
  double w = cnL_optfieldnumber(L, 1, "width", 5, fn), h = cnL_optfieldnumber(L, 1, "height", 5, fn);
  double dx = cnL_optfieldnumber(L, 1, "dx", 0.01, fn), dy = cnL_optfieldnumber(L, 1, "dy", dx, fn);
  if (!isfinite(w) || !isfinite(h)) cnL_errorf(L, "%s: width and height must be finite", fn);
  double *bxy = NULL;
  int64_t nb = 0;
  lua_getfield(L, 1, "boundary");
  if (!lua_isnil(L, -1)) bxy = spL_points(L, -1, fn, "option 'boundary'", &nb);
  if (nb > 100000) cnL_errorf(L, "%s: option 'boundary' has too many vertices", fn);
  double *wxy, *hxy;
  int *wn, *hn;
  lua_getfield(L, 1, "walls");
  int nw = read_polys(L, -1, fn, "walls", &wxy, &wn);
  lua_getfield(L, 1, "holes");
  int nh = read_polys(L, -1, fn, "holes", &hxy, &hn);
  lgrid *u = lua_newuserdatauv(L, sizeof(lgrid), 0);
  u->g = NULL;
  luaL_setmetatable(L, CNL_COSTGRID_MT);
  cnL_check(L, cn_costgrid_build(bxy, (int)nb, w, h, wxy, wn, nw, hxy, hn, nh, dx, dy, &u->g), fn);
  return 1;
}

cn_costgrid *cnL_tocostgrid(lua_State *L, int idx) {
  lgrid *u = luaL_testudata(L, idx, CNL_COSTGRID_MT);
  return u ? u->g : NULL;
}

static cn_costgrid *gself(lua_State *L, const char *m) {
  lgrid *u = luaL_testudata(L, 1, CNL_COSTGRID_MT);
  if (!u) cnL_errorf(L, "%s: expects a MovementCostGrid as self (call grid:%s(...))", m, m);
  if (!u->g) cnL_errorf(L, "%s: the grid has been freed", m);
  return u->g;
}

/* get_cell_index(pos [, {bug_compatible = true}]) -> 0-based index or -1 */
static int g_cell_index(lua_State *L) {
  cn_costgrid *g = gself(L, "get_cell_index");
  double p[2];
  spL_point(L, 2, "get_cell_index", "argument 1 (pos)", p);
  bool bug = true;
  if (!lua_isnoneornil(L, 3)) {
    static const char *const keys[] = {"bug_compatible", NULL};
    cnL_checkfields(L, 3, keys, "get_cell_index");
    bug = cnL_optfieldbool(L, 3, "bug_compatible", true, "get_cell_index");
  }
  lua_pushinteger(L, cn_costgrid_cell_index(g, p[0], p[1], bug));
  return 1;
}

static int g_geodesic(lua_State *L) {
  cn_costgrid *g = gself(L, "geodesic_distances");
  cn_array *a;
  cnL_check(L, (lua_toboolean(L, 2) ? cn_costgrid_geodesic_ref : cn_costgrid_geodesic)(g, &a),
            "compute_geodesic_distance_matrix");
  cnL_pusharray(L, a);
  return 1;
}

static int g_index(lua_State *L) {
  lgrid *u = luaL_checkudata(L, 1, CNL_COSTGRID_MT);
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  if (!lua_isnil(L, -1)) return 1;
  lua_pop(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING || !u->g) return 0;
  cn_costgrid *g = u->g;
  const char *k = lua_tostring(L, 2);
  cn_array *a;
  if (!strcmp(k, "costs")) {
    cnL_check(L, cn_array_new2(&a, CN_INT32, g->rows, g->cols), "costs");
    memcpy(a->data, g->costs, sizeof(int32_t) * (size_t)(g->rows * g->cols));
    cnL_pusharray(L, a);
  } else if (!strcmp(k, "accessible_mask")) {
    cnL_check(L, cn_array_new2(&a, CN_BOOL, g->rows, g->cols), "accessible_mask");
    for (int64_t i = 0; i < g->rows * g->cols; i++) ((bool *)a->data)[i] = g->costs[i] == 1;
    cnL_pusharray(L, a);
  } else if (!strcmp(k, "x_edges") || !strcmp(k, "x_centers")) {
    bool c = k[2] == 'c';
    a = new1(L, g->cols + (c ? 0 : 1));
    for (int64_t i = 0; i < a->size; i++) cn_f64(a)[i] = g->x_edges[i] + (c ? g->dx / 2 : 0);
  } else if (!strcmp(k, "y_edges") || !strcmp(k, "y_centers")) {
    bool c = k[2] == 'c';
    a = new1(L, g->rows + (c ? 0 : 1));
    for (int64_t i = 0; i < a->size; i++) cn_f64(a)[i] = g->y_edges[i] - (c ? g->dy / 2 : 0);
  } else if (!strcmp(k, "accessible_indices")) {
    cnL_check(L, cn_array_new2(&a, CN_INT64, g->nfree, 2), "accessible_indices");
    int64_t *o = a->data;
    for (int64_t i = 0, j = 0; i < g->rows * g->cols; i++)
      if (g->costs[i] == 1) o[2 * j] = i / g->cols, o[2 * j + 1] = i % g->cols, j++;
    cnL_pusharray(L, a);
  } else if (!strcmp(k, "shape")) {
    int64_t s[2] = {g->rows, g->cols};
    cnL_pushshape(L, 2, s);
  } else if (!strcmp(k, "dx")) lua_pushnumber(L, g->dx);
  else if (!strcmp(k, "dy")) lua_pushnumber(L, g->dy);
  else if (!strcmp(k, "n_free")) lua_pushinteger(L, g->nfree);
  else return 0;
  return 1;
}

static int g_gc(lua_State *L) {
  lgrid *u = luaL_checkudata(L, 1, CNL_COSTGRID_MT);
  cn_costgrid_free(u->g);
  u->g = NULL;
  return 0;
}

static int g_tostring(lua_State *L) {
  cn_costgrid *g = gself(L, "__tostring");
  lua_pushfstring(L, "MovementCostGrid(%d x %d cells, %d free, dx = %f, dy = %f)", (int)g->rows,
                  (int)g->cols, (int)g->nfree, g->dx, g->dy);
  return 1;
}

static const luaL_Reg grid_methods[] = {
    {"get_cell_index", g_cell_index}, {"geodesic_distances", g_geodesic}, {NULL, NULL}};

static const luaL_Reg functions[] = {
    {"nav_derive", l_nav_derive},   {"nav_import_derive", l_nav_import},
    {"nav_theta_sweep", l_nav_theta}, {"nav_map2pi", l_nav_map2pi},
    {"nav_costgrid", l_costgrid},   {NULL, NULL}};

void cnL_open_navigation(lua_State *L) {
  luaL_newmetatable(L, CNL_COSTGRID_MT);
  lua_newtable(L);
  luaL_setfuncs(L, grid_methods, 0);
  lua_pushcclosure(L, g_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, g_gc), lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, g_tostring), lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  luaL_setfuncs(L, functions, 0);
}
