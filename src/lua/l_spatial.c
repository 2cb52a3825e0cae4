/* canns — Lua binding of the environments (include/canns/spatial.h):
 *
 *   local env = core.spatial_environment{boundary = {{0,0},{2,0},{2,2},{0,2}},
 *     holes = {{{0.8,0.8},{1.2,0.8},{1.2,1.2},{0.8,1.2}}}, walls = {...}}
 *   env:contains({1, 1}); env:project({3, 1}); env:vectors_from_walls({0.3, 0.3})
 *
 * Keyword arguments mirror upstream canns_lib.spatial.Environment.  The
 * methods table is core.spatial_environment_methods (the Lua package adds
 * plot_environment there). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua/l_spatial.h"

#define FN "Environment"

/* ---------------------------------------------------------------- helpers */

cn_env *spL_checkenv(lua_State *L, int idx, const char *fname, int arg, const char *name) {
  lenv *u = luaL_testudata(L, idx, CNL_ENV_MT);
  if (!u) {
    char d[128];
    cnL_argerror(L, fname, arg, name, "must be a canns.spatial.Environment, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  }
  if (!u->e) cnL_error(L, fname, "the environment has been freed");
  return u->e;
}

static bool get_xy(lua_State *L, int idx, double out[2]) {
  cn_array *a = cnL_toarray(L, idx);
  if (a) {
    if (a->size != 2 || a->ndim > 1 || a->dtype == CN_BOOL) return false;
    out[0] = cn_array_getd(a, 0), out[1] = cn_array_getd(a, 1);
    return true;
  }
  if (!lua_istable(L, idx) || luaL_len(L, idx) != 2) return false;
  for (int i = 0; i < 2; i++) {
    lua_geti(L, idx, i + 1);
    bool num = lua_type(L, -1) == LUA_TNUMBER;
    if (num) out[i] = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!num) return false;
  }
  return true;
}

void spL_point(lua_State *L, int idx, const char *fname, const char *what, double out[2]) {
  char d[128];
  idx = lua_absindex(L, idx);
  if (!get_xy(L, idx, out))
    cnL_errorf(L, "%s: %s must be a point {x, y}, got %s", fname, what,
               cnL_describe(L, idx, d, sizeof d));
  if (!isfinite(out[0]) || !isfinite(out[1]))
    cnL_errorf(L, "%s: %s must have finite coordinates, got {%g, %g}", fname, what,
               isnan(out[0]) ? fabs(out[0]) : out[0], isnan(out[1]) ? fabs(out[1]) : out[1]);
}

double *spL_points(lua_State *L, int idx, const char *fname, const char *what, int64_t *n) {
  char d[128];
  idx = lua_absindex(L, idx);
  cn_array *a = cnL_toarray(L, idx);
  if (a) {
    if (a->ndim != 2 || a->shape[1] != 2 || a->dtype == CN_BOOL)
      cnL_errorf(L, "%s: %s must be an (n, 2) array of points, got %s", fname, what,
                 cnL_describe(L, idx, d, sizeof d));
    *n = a->shape[0];
    double *xy = lua_newuserdatauv(L, sizeof(double) * (size_t)(2 * *n + 2), 0);
    for (int64_t i = 0; i < 2 * *n; i++) {
      xy[i] = cn_array_getd(a, i);
      if (!isfinite(xy[i]))
        cnL_errorf(L, "%s: %s must have finite coordinates (point %lld)", fname, what,
                   (long long)(i / 2 + 1));
    }
    return xy;
  }
  if (!lua_istable(L, idx))
    cnL_errorf(L, "%s: %s must be a list of points {{x, y}, ...}, got %s", fname, what,
               cnL_describe(L, idx, d, sizeof d));
  lua_Integer len = luaL_len(L, idx);
  if (len > 10000000) cnL_errorf(L, "%s: %s has too many points (%lld)", fname, what, (long long)len);
  double *xy = lua_newuserdatauv(L, sizeof(double) * (size_t)(2 * len + 2), 0);
  for (lua_Integer i = 1; i <= len; i++) {
    lua_geti(L, idx, i);
    if (!get_xy(L, -1, xy + 2 * (i - 1)))
      cnL_errorf(L, "%s: %s point %lld must be {x, y}, got %s", fname, what, (long long)i,
                 cnL_describe(L, -1, d, sizeof d));
    if (!isfinite(xy[2 * (i - 1)]) || !isfinite(xy[2 * (i - 1) + 1]))
      cnL_errorf(L, "%s: %s point %lld must have finite coordinates", fname, what, (long long)i);
    lua_pop(L, 1);
  }
  *n = len;
  return xy;
}

void spL_pusharray2(lua_State *L, const double *xy, int64_t n) {
  cn_array *a;
  cnL_check(L, cn_array_new2(&a, CN_FLOAT64, n, 2), "spatial");
  if (n > 0) memcpy(a->data, xy, sizeof(double) * 2 * (size_t)n);
  cnL_pusharray(L, a);
}

void spL_pushpoint(lua_State *L, double x, double y) {
  lua_createtable(L, 2, 0);
  lua_pushnumber(L, x), lua_rawseti(L, -2, 1);
  lua_pushnumber(L, y), lua_rawseti(L, -2, 2);
}

static void push_poly(lua_State *L, const double *xy, int n) {
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    spL_pushpoint(L, xy[2 * i], xy[2 * i + 1]);
    lua_rawseti(L, -2, i + 1);
  }
}

static void push_walls(lua_State *L, const double *w, int n) {
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    push_poly(L, w + 4 * i, 2);
    lua_rawseti(L, -2, i + 1);
  }
}

/* A wall argument: exactly two points. */
static void check_wall(lua_State *L, int idx, const char *fname, const char *what, double w[4]) {
  int top = lua_gettop(L);
  int64_t n;
  char d[128];
  if (!lua_istable(L, idx) && !cnL_toarray(L, idx))
    cnL_errorf(L, "%s: %s must be a 2-point segment {{x0, y0}, {x1, y1}}, got %s", fname, what,
               cnL_describe(L, idx, d, sizeof d));
  double *xy = spL_points(L, idx, fname, what, &n);
  if (n != 2)
    cnL_errorf(L, "%s: %s must be a 2-point segment {{x0, y0}, {x1, y1}}, got %lld point%s",
               fname, what, (long long)n, n == 1 ? "" : "s");
  memcpy(w, xy, 4 * sizeof(double));
  lua_settop(L, top);
}

static void add_hole(lua_State *L, cn_env *e, int idx, const char *fname, const char *what) {
  int top = lua_gettop(L);
  int64_t n;
  double *xy = spL_points(L, idx, fname, what, &n);
  if (n > 100000) cnL_errorf(L, "%s: %s has too many vertices", fname, what);
  cn_status s = cn_env_add_hole(e, xy, (int)n);
  if (s != CN_OK) cnL_errorf(L, "%s: %s: %s", fname, what, cn_errmsg());
  lua_settop(L, top);
}

static void add_object(lua_State *L, cn_env *e, int idx, const char *fname, const char *what,
                       int type) {
  double p[2];
  spL_point(L, idx, fname, what, p);
  cnL_check(L, cn_env_add_object(e, p[0], p[1], type), fname);
}

/* ------------------------------------------------------------ constructor */

static int l_environment(lua_State *L) {
  static const char *const keys[] = {"dimensionality", "boundary_conditions", "scale", "aspect",
                                     "dx", "boundary", "walls", "holes", "objects", NULL};
  if (!lua_isnoneornil(L, 1) && !lua_istable(L, 1)) {
    char d[128];
    cnL_errorf(L, FN ": expects one table of keyword arguments, got %s",
               cnL_describe(L, 1, d, sizeof d));
  }
  if (lua_isnoneornil(L, 1)) lua_newtable(L), lua_replace(L, 1);
  cnL_checkfields(L, 1, keys, FN);
  const char *dim = cnL_optfieldstring(L, 1, "dimensionality", "2D", FN);
  if (!strcmp(dim, "1D") || !strcmp(dim, "1d"))
    cnL_errorf(L, FN ": option 'dimensionality' '1D' is not supported (upstream's navigation "
                  "tasks raise NotImplementedError for 1-D environments); use '2D'");
  if (strcmp(dim, "2D") && strcmp(dim, "2d"))
    cnL_errorf(L, FN ": option 'dimensionality' must be '2D', got '%s'", dim);
  const char *bcs = cnL_optfieldstring(L, 1, "boundary_conditions", "solid", FN);
  char low[16] = {0};
  for (int i = 0; bcs[i] && i < 15; i++) low[i] = (char)(bcs[i] >= 'A' && bcs[i] <= 'Z' ? bcs[i] + 32 : bcs[i]);
  cn_env_bc bc = CN_ENV_SOLID;
  if (!strcmp(low, "solid") && strlen(bcs) == 5) bc = CN_ENV_SOLID;
  else if (!strcmp(low, "periodic") && strlen(bcs) == 8) bc = CN_ENV_PERIODIC;
  else cnL_errorf(L, FN ": option 'boundary_conditions' must be 'solid' or 'periodic', got '%s'", bcs);
  double scale = cnL_optfieldnumber(L, 1, "scale", 1.0, FN);
  double aspect = cnL_optfieldnumber(L, 1, "aspect", 1.0, FN);
  double dx = cnL_optfieldnumber(L, 1, "dx", 0.01, FN);
  if (!isfinite(scale) || scale <= 0)
    cnL_errorf(L, FN ": option 'scale' must be a finite number > 0, got %g", isnan(scale) ? fabs(scale) : scale);
  if (!isfinite(aspect) || aspect <= 0)
    cnL_errorf(L, FN ": option 'aspect' must be a finite number > 0, got %g", isnan(aspect) ? fabs(aspect) : aspect);
  if (!isfinite(dx) || dx <= 0)
    cnL_errorf(L, FN ": option 'dx' must be a finite number > 0, got %g", isnan(dx) ? fabs(dx) : dx);
  lenv *u = lua_newuserdatauv(L, sizeof(lenv), 0);
  u->e = NULL;
  luaL_setmetatable(L, CNL_ENV_MT);
  int ud = lua_gettop(L);
  double *bxy = NULL;
  int64_t nb = 0;
  lua_getfield(L, 1, "boundary");
  if (!lua_isnil(L, -1)) {
    bxy = spL_points(L, -1, FN, "option 'boundary'", &nb);
    if (nb > 100000) cnL_errorf(L, FN ": option 'boundary' has too many vertices");
    if (nb < 3)
      cnL_errorf(L, FN ": option 'boundary' must be a polygon of at least 3 vertices, got %lld",
                 (long long)nb);
  }
  cn_status s = cn_env_new(bc, scale, aspect, dx, bxy, (int)nb, &u->e);
  if (s != CN_OK) cnL_errorf(L, FN ": option 'boundary': %s", cn_errmsg());
  lua_settop(L, ud);
  char what[64];
  lua_getfield(L, 1, "walls");
  if (!lua_isnil(L, -1)) {
    if (!lua_istable(L, -1)) cnL_errorf(L, FN ": option 'walls' must be a list of 2-point segments");
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      double w[4];
      lua_geti(L, -1, i);
      snprintf(what, sizeof what, "option 'walls' entry %lld", (long long)i);
      check_wall(L, -1, FN, what, w);
      cnL_check(L, cn_env_add_wall(u->e, w), FN);
      lua_pop(L, 1);
    }
  }
  lua_settop(L, ud);
  lua_getfield(L, 1, "holes");
  if (!lua_isnil(L, -1)) {
    if (!lua_istable(L, -1)) cnL_errorf(L, FN ": option 'holes' must be a list of polygons");
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, -1, i);
      snprintf(what, sizeof what, "option 'holes' entry %lld", (long long)i);
      add_hole(L, u->e, lua_gettop(L), FN, what);
      lua_pop(L, 1);
    }
  }
  lua_settop(L, ud);
  lua_getfield(L, 1, "objects");
  if (!lua_isnil(L, -1)) {
    if (!lua_istable(L, -1)) cnL_errorf(L, FN ": option 'objects' must be a list of points");
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, -1, i);
      snprintf(what, sizeof what, "option 'objects' entry %lld", (long long)i);
      add_object(L, u->e, lua_gettop(L), FN, what, 0);
      lua_pop(L, 1);
    }
  }
  lua_settop(L, ud);
  return 1;
}

/* ---------------------------------------------------------------- methods */

static cn_env *self(lua_State *L, const char *m) {
  lenv *u = luaL_testudata(L, 1, CNL_ENV_MT);
  if (!u) cnL_errorf(L, "%s: expects an Environment as self (call env:%s(...))", m, m);
  if (!u->e) cnL_errorf(L, "%s: the environment has been freed", m);
  return u->e;
}

static int e_contains(lua_State *L) {
  cn_env *e = self(L, "contains");
  double p[2];
  spL_point(L, 2, "contains", "argument 1 (position)", p);
  lua_pushboolean(L, cn_env_contains(e, p[0], p[1]));
  return 1;
}

/* project(position [, prev]) -> {x, y} (apply_boundary_conditions is
 * project without prev). */
static int e_project(lua_State *L) {
  cn_env *e = self(L, "project");
  double p[2], q[2];
  spL_point(L, 2, "project", "argument 1 (position)", p);
  bool hasprev = !lua_isnoneornil(L, 3);
  if (hasprev) spL_point(L, 3, "project", "argument 2 (prev)", q);
  cn_env_project(e, hasprev ? q : NULL, p);
  spL_pushpoint(L, p[0], p[1]);
  return 1;
}

static int e_apply_bc(lua_State *L) {
  cn_env *e = self(L, "apply_boundary_conditions");
  double p[2];
  spL_point(L, 2, "apply_boundary_conditions", "argument 1 (position)", p);
  cn_env_project(e, NULL, p);
  spL_pushpoint(L, p[0], p[1]);
  return 1;
}

static int e_vectors(lua_State *L) {
  cn_env *e = self(L, "vectors_from_walls");
  double p[2];
  spL_point(L, 2, "vectors_from_walls", "argument 1 (position)", p);
  int n = cn_env_nwalls(e);
  cn_array *a;
  cnL_check(L, cn_array_new2(&a, CN_FLOAT64, n, 2), "vectors_from_walls");
  cn_env_vectors_from_walls(e, p[0], p[1], cn_f64(a));
  cnL_pusharray(L, a);
  return 1;
}

/* check_wall_collisions({{x0, y0}, {x1, y1}}) -> walls, hits */
static int e_collisions(lua_State *L) {
  cn_env *e = self(L, "check_wall_collisions");
  double w[4];
  check_wall(L, 2, "check_wall_collisions", "argument 1 (proposed_step)", w);
  int n = cn_env_nwalls(e);
  bool *hit = lua_newuserdatauv(L, sizeof(bool) * (size_t)(n + 1), 0);
  cn_env_check_wall_collisions(e, w, w + 2, hit);
  push_walls(L, cn_env_walls(e), n);
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) lua_pushboolean(L, hit[i]), lua_rawseti(L, -2, i + 1);
  return 2;
}

static int e_sample(lua_State *L) {
  cn_env *e = self(L, "sample_positions");
  int64_t n = cnL_checkcount(L, 2, "sample_positions", 1, "n", 100000000);
  if (!lua_isnoneornil(L, 3) && lua_type(L, 3) != LUA_TSTRING) {
    char d[128];
    cnL_argerror(L, "sample_positions", 2, "method", "must be a string, got %s", cnL_describe(L, 3, d, sizeof d));
  }
  const char *m = luaL_optstring(L, 3, "uniform_jitter");
  cn_env_sampling how;
  if (!strcmp(m, "random")) how = CN_SAMPLE_RANDOM;
  else if (!strcmp(m, "uniform")) how = CN_SAMPLE_UNIFORM;
  else if (!strcmp(m, "uniform_random")) how = CN_SAMPLE_UNIFORM_RANDOM;
  else if (!strcmp(m, "uniform_jitter")) how = CN_SAMPLE_UNIFORM_JITTER;
  else
    return cnL_argerror(L, "sample_positions", 2, "method",
                        "must be 'random', 'uniform', 'uniform_random' or 'uniform_jitter', got '%s'", m);
  cn_array *a;
  cnL_check(L, cn_array_new2(&a, CN_FLOAT64, n, 2), "sample_positions");
  cn_status s = cn_env_sample_positions(e, n, how, cn_rng_global(), cn_f64(a));
  if (s != CN_OK) cn_array_release(a);
  cnL_check(L, s, "sample_positions");
  cnL_pusharray(L, a);
  return 1;
}

static int e_add_wall(lua_State *L) {
  cn_env *e = self(L, "add_wall");
  double w[4];
  check_wall(L, 2, "add_wall", "argument 1 (wall)", w);
  cnL_check(L, cn_env_add_wall(e, w), "add_wall");
  return 0;
}

static int e_add_hole(lua_State *L) {
  cn_env *e = self(L, "add_hole");
  add_hole(L, e, 2, "add_hole", "argument 1 (hole)");
  return 0;
}

static int e_add_object(lua_State *L) {
  cn_env *e = self(L, "add_object");
  int64_t t = luaL_opt(L, lua_tointeger, 3, 0);
  if (!lua_isnoneornil(L, 3)) t = cnL_checkint(L, 3, "add_object", 2, "object_type");
  if (t < INT32_MIN || t > INT32_MAX) cnL_argerror(L, "add_object", 2, "object_type", "is out of range");
  add_object(L, e, 2, "add_object", "argument 1 (position)", (int)t);
  return 0;
}

static void push_extent(lua_State *L, cn_env *e) {
  double ext[4];
  cn_env_extent(e, ext);
  lua_createtable(L, 4, 0);
  for (int i = 0; i < 4; i++) lua_pushnumber(L, ext[i]), lua_rawseti(L, -2, i + 1);
}

static void push_holes(lua_State *L, cn_env *e) {
  int nh = cn_env_nholes(e);
  lua_createtable(L, nh, 0);
  for (int h = 0; h < nh; h++) {
    int n;
    const double *xy = cn_env_hole(e, h, &n);
    push_poly(L, xy, n);
    lua_rawseti(L, -2, h + 1);
  }
}

static void push_objects(lua_State *L, cn_env *e) {
  int no = cn_env_nobjects(e);
  lua_createtable(L, no, 0);
  for (int i = 0; i < no; i++) {
    double x, y;
    int t;
    cn_env_object(e, i, &x, &y, &t);
    lua_createtable(L, 2, 0);
    spL_pushpoint(L, x, y), lua_rawseti(L, -2, 1);
    lua_pushinteger(L, t), lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, i + 1);
  }
}

static int e_render_state(lua_State *L) {
  cn_env *e = self(L, "render_state");
  lua_createtable(L, 0, 6);
  if (cn_env_nboundary(e) >= 3) push_poly(L, cn_env_boundary(e), cn_env_nboundary(e));
  else lua_pushboolean(L, false);
  lua_setfield(L, -2, "boundary");
  push_walls(L, cn_env_walls(e), cn_env_nwalls(e)), lua_setfield(L, -2, "walls");
  push_holes(L, e), lua_setfield(L, -2, "holes");
  push_objects(L, e), lua_setfield(L, -2, "objects");
  push_extent(L, e), lua_setfield(L, -2, "extent");
  lua_pushinteger(L, 10000), lua_setfield(L, -2, "max_random_samples");
  return 1;
}

/* Properties: read through __index after the methods table. */
static int e_index(lua_State *L) {
  lenv *u = luaL_checkudata(L, 1, CNL_ENV_MT);
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  if (!lua_isnil(L, -1)) return 1;
  lua_pop(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  if (!u->e) cnL_errorf(L, "Environment: the environment has been freed");
  cn_env *e = u->e;
  const char *k = lua_tostring(L, 2);
  if (!strcmp(k, "walls")) push_walls(L, cn_env_walls(e), cn_env_nwalls(e));
  else if (!strcmp(k, "holes")) push_holes(L, e);
  else if (!strcmp(k, "objects")) push_objects(L, e);
  else if (!strcmp(k, "boundary")) {
    if (cn_env_nboundary(e) >= 3) push_poly(L, cn_env_boundary(e), cn_env_nboundary(e));
    else lua_pushnil(L);
  } else if (!strcmp(k, "extent")) push_extent(L, e);
  else if (!strcmp(k, "scale")) lua_pushnumber(L, cn_env_scale(e));
  else if (!strcmp(k, "aspect")) lua_pushnumber(L, cn_env_aspect(e));
  else if (!strcmp(k, "dx")) lua_pushnumber(L, cn_env_dx(e));
  else if (!strcmp(k, "dimensionality")) lua_pushstring(L, "2D");
  else if (!strcmp(k, "boundary_conditions")) lua_pushstring(L, cn_env_periodic(e) ? "periodic" : "solid");
  else if (!strcmp(k, "is_rectangular")) lua_pushboolean(L, cn_env_rectangular(e));
  else return 0;
  return 1;
}

static int e_gc(lua_State *L) {
  lenv *u = luaL_checkudata(L, 1, CNL_ENV_MT);
  cn_env_free(u->e);
  u->e = NULL;
  return 0;
}

static int e_tostring(lua_State *L) {
  lenv *u = luaL_checkudata(L, 1, CNL_ENV_MT);
  if (!u->e) {
    lua_pushstring(L, "Environment(freed)");
    return 1;
  }
  double x[4];
  cn_env_extent(u->e, x);
  lua_pushfstring(L, "Environment(%s, %s, extent [%f, %f] x [%f, %f], %d walls, %d holes)",
                  cn_env_rectangular(u->e) ? "rectangle" : "polygon",
                  cn_env_periodic(u->e) ? "periodic" : "solid", x[0], x[1], x[2], x[3],
                  cn_env_nwalls(u->e), cn_env_nholes(u->e));
  return 1;
}

static const luaL_Reg env_methods[] = {
    {"contains", e_contains},
    {"check_if_position_is_in_environment", e_contains},
    {"project", e_project},
    {"apply_boundary_conditions", e_apply_bc},
    {"vectors_from_walls", e_vectors},
    {"check_wall_collisions", e_collisions},
    {"sample_positions", e_sample},
    {"add_wall", e_add_wall},
    {"add_hole", e_add_hole},
    {"add_object", e_add_object},
    {"render_state", e_render_state},
    {NULL, NULL}};

static int l_isenvironment(lua_State *L) {
  lua_pushboolean(L, luaL_testudata(L, 1, CNL_ENV_MT) != NULL);
  return 1;
}

void cnL_open_spatial(lua_State *L) {
  luaL_newmetatable(L, CNL_ENV_MT);
  lua_newtable(L);
  luaL_setfuncs(L, env_methods, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, "spatial_environment_methods"); /* core table is below */
  lua_pushcclosure(L, e_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, e_gc), lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, e_tostring), lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_pushcfunction(L, l_environment), lua_setfield(L, -2, "spatial_environment");
  lua_pushcfunction(L, l_isenvironment), lua_setfield(L, -2, "spatial_isenvironment");
  cnL_open_agent(L);
  cnL_open_navigation(L);
}
