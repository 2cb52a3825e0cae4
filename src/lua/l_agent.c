/* canns — Lua binding of the random-motion agents (include/canns/spatial.h):
 *
 *   local a = core.spatial_agent{environment = env, rng_seed = 3,
 *                                params = {dt = 0.02, save_history = false}}
 *   a:update{dt = 0.02, steps = 1e6}      -- the whole loop in C
 *   a:update{forced_next_position = {1, 1}}
 *   local h = a:get_history_arrays()     -- t, pos, vel, head_direction, ...
 *
 * and many agents stepped in parallel (core.spatial_agents{n = 1000, ...}).
 * Keyword arguments mirror upstream canns_lib.spatial.Agent; parameter
 * names may also be given at the top level. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua/l_spatial.h"

typedef struct { cn_agent *a; } lagent;
typedef struct { cn_agents *g; } lagents;

static const char *const PARAM_NAMES[] = {
    "dt", "speed_mean", "speed_std", "speed_coherence_time",
    "rotational_velocity_coherence_time", "rotational_velocity_std",
    "head_direction_smoothing_timescale", "thigmotaxis", "wall_repel_distance",
    "wall_repel_strength", "save_history", NULL};

static double *param_slot(cn_agent_params *p, const char *k) {
  if (!strcmp(k, "dt")) return &p->dt;
  if (!strcmp(k, "speed_mean")) return &p->speed_mean;
  if (!strcmp(k, "speed_std")) return &p->speed_std;
  if (!strcmp(k, "speed_coherence_time")) return &p->speed_coherence_time;
  if (!strcmp(k, "rotational_velocity_coherence_time")) return &p->rotational_velocity_coherence_time;
  if (!strcmp(k, "rotational_velocity_std")) return &p->rotational_velocity_std;
  if (!strcmp(k, "head_direction_smoothing_timescale")) return &p->head_direction_smoothing_timescale;
  if (!strcmp(k, "thigmotaxis")) return &p->thigmotaxis;
  if (!strcmp(k, "wall_repel_distance")) return &p->wall_repel_distance;
  if (!strcmp(k, "wall_repel_strength")) return &p->wall_repel_strength;
  return NULL;
}

/* Store value at idx into parameter k (error naming the option). */
static void set_param(lua_State *L, cn_agent_params *p, const char *k, int idx, const char *fn) {
  char d[128];
  if (!strcmp(k, "save_history")) {
    if (lua_type(L, idx) != LUA_TBOOLEAN)
      cnL_errorf(L, "%s: option 'save_history' must be a boolean, got %s", fn,
                 cnL_describe(L, idx, d, sizeof d));
    p->save_history = lua_toboolean(L, idx);
    return;
  }
  double *s = param_slot(p, k);
  if (!s) {
    cnL_errorf(L, "%s: unknown agent parameter '%s' (expected one of: dt, speed_mean, speed_std, "
                  "speed_coherence_time, rotational_velocity_coherence_time, "
                  "rotational_velocity_std, head_direction_smoothing_timescale, thigmotaxis, "
                  "wall_repel_distance, wall_repel_strength, save_history)", fn, k);
  }
  if (lua_type(L, idx) != LUA_TNUMBER)
    cnL_errorf(L, "%s: option '%s' must be a number, got %s", fn, k, cnL_describe(L, idx, d, sizeof d));
  *s = lua_tonumber(L, idx);
  cn_agent_params tmp = *p;
  if (cn_agent_params_check(&tmp) != CN_OK) cnL_errorf(L, "%s: option %s", fn, cn_errmsg() + 10);
}

/* Parameters from opts.params and from top-level keys of opts (idx). */
static void read_params(lua_State *L, int idx, cn_agent_params *p, const char *fn) {
  cn_agent_params_default(p);
  lua_getfield(L, idx, "params");
  if (!lua_isnil(L, -1)) {
    if (!lua_istable(L, -1)) cnL_errorf(L, "%s: option 'params' must be a table", fn);
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
      if (lua_type(L, -2) != LUA_TSTRING) cnL_errorf(L, "%s: option 'params' keys must be names", fn);
      set_param(L, p, lua_tostring(L, -2), lua_gettop(L), fn);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  for (int i = 0; PARAM_NAMES[i]; i++) {
    lua_getfield(L, idx, PARAM_NAMES[i]);
    if (!lua_isnil(L, -1)) set_param(L, p, PARAM_NAMES[i], lua_gettop(L), fn);
    lua_pop(L, 1);
  }
}

static uint64_t read_seed(lua_State *L, int idx, const char *fn) {
  lua_getfield(L, idx, "rng_seed");
  uint64_t seed;
  if (lua_isnil(L, -1)) {
    cn_rng *g = cn_rng_global();
    seed = (uint64_t)(cn_rng_uniform1(g) * 0x1p53) ^ ((uint64_t)(cn_rng_uniform1(g) * 0x1p53) << 11);
  } else {
    char d[128];
    if (!lua_isinteger(L, -1)) {
      double x = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
      if (!(x == floor(x) && x >= 0 && x < 0x1p63))
        cnL_errorf(L, "%s: option 'rng_seed' must be a non-negative integer, got %s", fn,
                   cnL_describe(L, -1, d, sizeof d));
      seed = (uint64_t)x;
    } else {
      lua_Integer v = lua_tointeger(L, -1);
      if (v < 0) cnL_errorf(L, "%s: option 'rng_seed' must be a non-negative integer, got %lld", fn, (long long)v);
      seed = (uint64_t)v;
    }
  }
  lua_pop(L, 1);
  return seed;
}

static void check_opts_table(lua_State *L, int idx, const char *fn) {
  if (!lua_istable(L, idx)) {
    char d[128];
    cnL_errorf(L, "%s: expects one table of keyword arguments, got %s", fn, cnL_describe(L, idx, d, sizeof d));
  }
}

static const char *const AGENT_KEYS[] = {
    "environment", "params", "rng_seed", "init_pos", "init_vel", "dt", "speed_mean", "speed_std",
    "speed_coherence_time", "rotational_velocity_coherence_time", "rotational_velocity_std",
    "head_direction_smoothing_timescale", "thigmotaxis", "wall_repel_distance",
    "wall_repel_strength", "save_history", NULL};

static int l_agent(lua_State *L) {
  const char *fn = "Agent";
  check_opts_table(L, 1, fn);
  cnL_checkfields(L, 1, AGENT_KEYS, fn);
  lua_getfield(L, 1, "environment");
  if (lua_isnil(L, -1)) cnL_errorf(L, "%s: option 'environment' is required (a canns.spatial.Environment)", fn);
  if (!luaL_testudata(L, -1, CNL_ENV_MT)) {
    char d[128];
    cnL_errorf(L, "%s: option 'environment' must be a canns.spatial.Environment, got %s", fn,
               cnL_describe(L, -1, d, sizeof d));
  }
  cn_env *env = spL_checkenv(L, -1, fn, 1, "environment");
  int envidx = lua_gettop(L);
  cn_agent_params p;
  read_params(L, 1, &p, fn);
  uint64_t seed = read_seed(L, 1, fn);
  double ip[2], iv[2];
  bool hp = false, hv = false;
  lua_getfield(L, 1, "init_pos");
  if (!lua_isnil(L, -1)) spL_point(L, -1, fn, "option 'init_pos'", ip), hp = true;
  lua_getfield(L, 1, "init_vel");
  if (!lua_isnil(L, -1)) spL_point(L, -1, fn, "option 'init_vel'", iv), hv = true;
  lagent *u = lua_newuserdatauv(L, sizeof(lagent), 1);
  u->a = NULL;
  luaL_setmetatable(L, CNL_AGENT_MT);
  lua_pushvalue(L, envidx);
  lua_setiuservalue(L, -2, 1);
  cnL_check(L, cn_agent_new(env, &p, seed, hp ? ip : NULL, hv ? iv : NULL, &u->a), fn);
  return 1;
}

static cn_agent *self(lua_State *L, const char *m) {
  lagent *u = luaL_testudata(L, 1, CNL_AGENT_MT);
  if (!u) cnL_errorf(L, "%s: expects an Agent as self (call agent:%s(...))", m, m);
  if (!u->a) cnL_errorf(L, "%s: the agent has been freed", m);
  return u->a;
}

static const char *const UPDATE_KEYS[] = {"dt", "drift_velocity", "drift_to_random_strength_ratio",
                                          "forced_next_position", "steps", NULL};

/* update([dt] | {dt, drift_velocity, drift_to_random_strength_ratio,
 *        forced_next_position, steps}) */
static int a_update(lua_State *L) {
  const char *fn = "update";
  cn_agent *a = self(L, fn);
  double dt = cn_agent_get_params(a)->dt, ratio = 1.0, drift[2], forced[2];
  bool hd = false, hf = false;
  int64_t steps = 1;
  if (lua_type(L, 2) == LUA_TNUMBER) {
    dt = lua_tonumber(L, 2);
  } else if (!lua_isnoneornil(L, 2)) {
    check_opts_table(L, 2, fn);
    cnL_checkfields(L, 2, UPDATE_KEYS, fn);
    dt = cnL_optfieldnumber(L, 2, "dt", dt, fn);
    ratio = cnL_optfieldnumber(L, 2, "drift_to_random_strength_ratio", 1.0, fn);
    lua_getfield(L, 2, "steps");
    if (!lua_isnil(L, -1)) {
      steps = cnL_optfieldcount(L, 2, "steps", 0, INT64_C(1000000000000), fn);
    }
    lua_getfield(L, 2, "drift_velocity");
    if (!lua_isnil(L, -1)) spL_point(L, -1, fn, "option 'drift_velocity'", drift), hd = true;
    lua_getfield(L, 2, "forced_next_position");
    if (!lua_isnil(L, -1)) spL_point(L, -1, fn, "option 'forced_next_position'", forced), hf = true;
    lua_settop(L, 2);
  }
  if (!isfinite(dt) || dt <= 0)
    cnL_errorf(L, "%s: option 'dt' must be a finite number > 0, got %g", fn, isnan(dt) ? fabs(dt) : dt);
  if (!isfinite(ratio))
    cnL_errorf(L, "%s: option 'drift_to_random_strength_ratio' must be finite, got %g", fn, fabs(ratio));
  if (hf && steps != 1)
    cnL_errorf(L, "%s: option 'forced_next_position' moves one step; 'steps' must be 1, got %lld", fn,
               (long long)steps);
  if (hf) cnL_check(L, cn_agent_update(a, dt, NULL, ratio, forced), fn);
  else if (steps == 1) cnL_check(L, cn_agent_update(a, dt, hd ? drift : NULL, ratio, NULL), fn);
  else cnL_check(L, cn_agent_run(a, steps, dt, hd ? drift : NULL, ratio), fn);
  return 0;
}

/* import_trajectory(times, positions [, {interpolate = true}]) or
 * import_trajectory{times = ..., positions = ..., interpolate = ...} */
static int a_import(lua_State *L) {
  const char *fn = "import_trajectory";
  cn_agent *a = self(L, fn);
  bool interp = true;
  int ti = 2, pi = 3;
  if (lua_istable(L, 2) && !cnL_toarray(L, 2) && lua_isnoneornil(L, 3) &&
      (lua_getfield(L, 2, "times"), !lua_isnil(L, -1))) {
    static const char *const keys[] = {"times", "positions", "interpolate", NULL};
    cnL_checkfields(L, 2, keys, fn);
    lua_getfield(L, 2, "positions");
    interp = cnL_optfieldbool(L, 2, "interpolate", true, fn);
    ti = lua_gettop(L) - 1, pi = lua_gettop(L);
  } else {
    lua_settop(L, 4);
    if (!lua_isnil(L, 4)) {
      static const char *const keys[] = {"interpolate", NULL};
      check_opts_table(L, 4, fn);
      cnL_checkfields(L, 4, keys, fn);
      interp = cnL_optfieldbool(L, 4, "interpolate", true, fn);
    }
  }
  int64_t n, m;
  double *xy = spL_points(L, pi, fn, "argument 2 (positions)", &n);
  cn_array *ta = cnL_checkarraylike(L, ti, CN_FLOAT64, fn, 1, "times");
  cnL_pusharray(L, ta);
  m = ta->size;
  if (ta->ndim != 1)
    cnL_argerror(L, fn, 1, "times", "must be a 1-D list of times, got %d dimensions", ta->ndim);
  if (m != n)
    cnL_errorf(L, "%s: times and positions must have the same length, got %lld and %lld", fn,
               (long long)m, (long long)n);
  if (n < 1) cnL_errorf(L, "%s: the trajectory must contain at least one sample", fn);
  const double *t = cn_f64(ta);
  for (int64_t i = 0; i < n; i++) {
    if (!isfinite(t[i])) cnL_argerror(L, fn, 1, "times", "must be finite, got %g at position %lld", fabs(t[i]), (long long)i + 1);
    if (i > 0 && !(t[i] > t[i - 1]))
      cnL_argerror(L, fn, 1, "times", "must be strictly increasing, got %.17g after %.17g at position %lld",
                   t[i], t[i - 1], (long long)i + 1);
  }
  cnL_check(L, cn_agent_import_trajectory(a, t, xy, n, interp), fn);
  return 0;
}

static void push_col(lua_State *L, const double *v, int64_t n, int w) {
  cn_array *a;
  cn_status s = w == 1 ? cn_array_new1(&a, CN_FLOAT64, n) : cn_array_new2(&a, CN_FLOAT64, n, w);
  cnL_check(L, s, "history");
  if (n > 0) memcpy(a->data, v, sizeof(double) * (size_t)(n * w));
  cnL_pusharray(L, a);
}

static int a_history(lua_State *L) {
  cn_agent *a = self(L, "get_history_arrays");
  const cn_agent_history *h = cn_agent_get_history(a);
  lua_createtable(L, 0, 6);
  push_col(L, h->t, h->n, 1), lua_setfield(L, -2, "t");
  push_col(L, h->pos, h->n, 2), lua_setfield(L, -2, "pos");
  push_col(L, h->vel, h->n, 2), lua_setfield(L, -2, "vel");
  push_col(L, h->head, h->n, 2), lua_setfield(L, -2, "head_direction");
  push_col(L, h->dist, h->n, 1), lua_setfield(L, -2, "distance_travelled");
  push_col(L, h->rot, h->n, 1), lua_setfield(L, -2, "rot_vel");
  return 1;
}

static int a_hcol(lua_State *L, int which) {
  cn_agent *a = self(L, "history");
  const cn_agent_history *h = cn_agent_get_history(a);
  const double *cols[5] = {h->t, h->pos, h->vel, h->head, h->dist};
  int w[5] = {1, 2, 2, 2, 1};
  push_col(L, cols[which], h->n, w[which]);
  return 1;
}
static int a_htimes(lua_State *L) { return a_hcol(L, 0); }
static int a_hpos(lua_State *L) { return a_hcol(L, 1); }
static int a_hvel(lua_State *L) { return a_hcol(L, 2); }
static int a_hhead(lua_State *L) { return a_hcol(L, 3); }
static int a_hdist(lua_State *L) { return a_hcol(L, 4); }

static int a_reset_history(lua_State *L) {
  cn_agent_reset_history(self(L, "reset_history"));
  return 0;
}

static void push_params(lua_State *L, const cn_agent_params *p) {
  lua_createtable(L, 0, 11);
  cn_agent_params c = *p;
  for (int i = 0; PARAM_NAMES[i]; i++) {
    if (!strcmp(PARAM_NAMES[i], "save_history")) lua_pushboolean(L, p->save_history);
    else lua_pushnumber(L, *param_slot(&c, PARAM_NAMES[i]));
    lua_setfield(L, -2, PARAM_NAMES[i]);
  }
}

static int a_params(lua_State *L) {
  push_params(L, cn_agent_get_params(self(L, "params")));
  return 1;
}

static int l_default_params(lua_State *L) {
  cn_agent_params p;
  cn_agent_params_default(&p);
  push_params(L, &p);
  return 1;
}

static int a_set_position(lua_State *L) {
  cn_agent *a = self(L, "set_position");
  double p[2];
  spL_point(L, 2, "set_position", "argument 1 (position)", p);
  cn_agent_set_position(a, p);
  return 0;
}

static int a_set_velocity(lua_State *L) {
  cn_agent *a = self(L, "set_velocity");
  double v[2];
  spL_point(L, 2, "set_velocity", "argument 1 (velocity)", v);
  cn_agent_set_velocity(a, v);
  return 0;
}

static int a_index(lua_State *L) {
  lagent *u = luaL_checkudata(L, 1, CNL_AGENT_MT);
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  if (!lua_isnil(L, -1)) return 1;
  lua_pop(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  if (!u->a) cnL_errorf(L, "Agent: the agent has been freed");
  const char *k = lua_tostring(L, 2);
  cn_agent_state s;
  cn_agent_get_state(u->a, &s);
  cn_agent_params p = *cn_agent_get_params(u->a);
  double *slot = param_slot(&p, k);
  if (!strcmp(k, "pos") || !strcmp(k, "position")) spL_pushpoint(L, s.pos[0], s.pos[1]);
  else if (!strcmp(k, "velocity")) spL_pushpoint(L, s.vel[0], s.vel[1]);
  else if (!strcmp(k, "measured_velocity")) spL_pushpoint(L, s.measured_vel[0], s.measured_vel[1]);
  else if (!strcmp(k, "head_direction")) spL_pushpoint(L, s.head[0], s.head[1]);
  else if (!strcmp(k, "rotational_velocity")) lua_pushnumber(L, s.rot_vel);
  else if (!strcmp(k, "measured_rotational_velocity")) lua_pushnumber(L, s.measured_rot_vel);
  else if (!strcmp(k, "distance_travelled")) lua_pushnumber(L, s.distance);
  else if (!strcmp(k, "t")) lua_pushnumber(L, s.t);
  else if (!strcmp(k, "save_history")) lua_pushboolean(L, p.save_history);
  else if (slot) lua_pushnumber(L, *slot);
  else if (!strcmp(k, "environment")) lua_getiuservalue(L, 1, 1);
  else if (!strcmp(k, "history")) return a_history(L);
  else if (!strcmp(k, "dimensionality")) lua_pushstring(L, "2D");
  else return 0;
  return 1;
}

static int a_newindex(lua_State *L) {
  lagent *u = luaL_checkudata(L, 1, CNL_AGENT_MT);
  if (!u->a) cnL_errorf(L, "Agent: the agent has been freed");
  if (lua_type(L, 2) != LUA_TSTRING) {
    char d[128];
    cnL_errorf(L, "Agent: property names are strings, got %s", cnL_describe(L, 2, d, sizeof d));
  }
  const char *k = lua_tostring(L, 2);
  double v[2];
  if (!strcmp(k, "pos")) {
    spL_point(L, 3, "Agent", "property 'pos'", v);
    cn_agent_set_position(u->a, v);
  } else if (!strcmp(k, "velocity")) {
    spL_point(L, 3, "Agent", "property 'velocity'", v);
    cn_agent_set_velocity(u->a, v);
  } else if (!strcmp(k, "head_direction")) {
    spL_point(L, 3, "Agent", "property 'head_direction'", v);
    if (v[0] * v[0] + v[1] * v[1] < 1e-24)
      cnL_errorf(L, "Agent: property 'head_direction' must be a non-zero vector");
    cn_agent_set_head_direction(u->a, v);
  } else {
    cn_agent_params p = *cn_agent_get_params(u->a);
    if (!param_slot(&p, k) && strcmp(k, "save_history"))
      cnL_errorf(L, "Agent: cannot set '%s' (settable: pos, velocity, head_direction and the "
                    "parameters dt, speed_mean, ..., save_history)", k);
    set_param(L, &p, k, 3, "Agent");
    cnL_check(L, cn_agent_set_params(u->a, &p), "Agent");
  }
  return 0;
}

static int a_gc(lua_State *L) {
  lagent *u = luaL_checkudata(L, 1, CNL_AGENT_MT);
  cn_agent_free(u->a);
  u->a = NULL;
  return 0;
}

static int a_tostring(lua_State *L) {
  lagent *u = luaL_checkudata(L, 1, CNL_AGENT_MT);
  if (!u->a) {
    lua_pushstring(L, "Agent(freed)");
    return 1;
  }
  cn_agent_state s;
  cn_agent_get_state(u->a, &s);
  lua_pushfstring(L, "Agent(t = %f, pos = {%f, %f}, %d history rows)", s.t, s.pos[0], s.pos[1],
                  (int)cn_agent_get_history(u->a)->n);
  return 1;
}

static const luaL_Reg agent_methods[] = {
    {"update", a_update},
    {"import_trajectory", a_import},
    {"get_history_arrays", a_history},
    {"history_arrays", a_history},
    {"history_times", a_htimes},
    {"history_positions", a_hpos},
    {"history_velocities", a_hvel},
    {"history_head_directions", a_hhead},
    {"history_distance_travelled", a_hdist},
    {"reset_history", a_reset_history},
    {"params", a_params},
    {"default_params", l_default_params},
    {"set_position", a_set_position},
    {"set_velocity", a_set_velocity},
    {NULL, NULL}};

/* ------------------------------------------------------------- Agents */

static const char *const AGENTS_KEYS[] = {
    "environment", "n", "params", "rng_seed", "init_pos", "dt", "speed_mean", "speed_std",
    "speed_coherence_time", "rotational_velocity_coherence_time", "rotational_velocity_std",
    "head_direction_smoothing_timescale", "thigmotaxis", "wall_repel_distance",
    "wall_repel_strength", "save_history", NULL};

static int l_agents(lua_State *L) {
  const char *fn = "Agents";
  check_opts_table(L, 1, fn);
  cnL_checkfields(L, 1, AGENTS_KEYS, fn);
  lua_getfield(L, 1, "environment");
  if (!luaL_testudata(L, -1, CNL_ENV_MT))
    cnL_errorf(L, "%s: option 'environment' is required (a canns.spatial.Environment)", fn);
  cn_env *env = spL_checkenv(L, -1, fn, 1, "environment");
  int envidx = lua_gettop(L);
  lua_getfield(L, 1, "n");
  if (lua_isnil(L, -1)) cnL_errorf(L, "%s: option 'n' is required (the number of agents, 1..1000000)", fn);
  int64_t n = cnL_optfieldrange(L, 1, "n", 1, 1, 1000000, fn);
  cn_agent_params p;
  read_params(L, 1, &p, fn);
  if (lua_getfield(L, 1, "save_history") == LUA_TNIL) p.save_history = false;
  uint64_t seed = read_seed(L, 1, fn);
  double *init = NULL;
  lua_getfield(L, 1, "init_pos");
  if (!lua_isnil(L, -1)) {
    double one[2];
    cn_array *ar = cnL_toarray(L, -1);
    bool single = (ar && ar->size == 2 && ar->ndim == 1);
    if (!ar && lua_istable(L, -1)) {
      lua_geti(L, -1, 1);
      single = lua_type(L, -1) == LUA_TNUMBER;
      lua_pop(L, 1);
    }
    init = lua_newuserdatauv(L, sizeof(double) * 2 * (size_t)n, 0);
    if (single) {
      spL_point(L, -2, fn, "option 'init_pos'", one);
      for (int64_t i = 0; i < n; i++) init[2 * i] = one[0], init[2 * i + 1] = one[1];
    } else {
      int64_t m;
      double *xy = spL_points(L, -2, fn, "option 'init_pos'", &m);
      if (m != n) cnL_errorf(L, "%s: option 'init_pos' must have n = %lld points, got %lld", fn, (long long)n, (long long)m);
      memcpy(init, xy, sizeof(double) * 2 * (size_t)n);
    }
  }
  lagents *u = lua_newuserdatauv(L, sizeof(lagents), 1);
  u->g = NULL;
  luaL_setmetatable(L, CNL_AGENTS_MT);
  lua_pushvalue(L, envidx);
  lua_setiuservalue(L, -2, 1);
  cnL_check(L, cn_agents_new(env, &p, n, seed, init, &u->g), fn);
  return 1;
}

static cn_agents *gself(lua_State *L, const char *m) {
  lagents *u = luaL_testudata(L, 1, CNL_AGENTS_MT);
  if (!u) cnL_errorf(L, "%s: expects Agents as self (call agents:%s(...))", m, m);
  if (!u->g) cnL_errorf(L, "%s: the agents have been freed", m);
  return u->g;
}

static int g_update(lua_State *L) {
  const char *fn = "update";
  cn_agents *g = gself(L, fn);
  double dt = cn_agent_get_params(cn_agents_get(g, 0))->dt;
  int64_t steps = 1;
  if (lua_type(L, 2) == LUA_TNUMBER) {
    dt = lua_tonumber(L, 2);
  } else if (!lua_isnoneornil(L, 2)) {
    static const char *const keys[] = {"dt", "steps", NULL};
    check_opts_table(L, 2, fn);
    cnL_checkfields(L, 2, keys, fn);
    dt = cnL_optfieldnumber(L, 2, "dt", dt, fn);
    lua_getfield(L, 2, "steps");
    if (!lua_isnil(L, -1)) {
      steps = cnL_optfieldcount(L, 2, "steps", 0, INT64_C(1000000000000), fn);
    }
  }
  if (!isfinite(dt) || dt <= 0)
    cnL_errorf(L, "%s: option 'dt' must be a finite number > 0, got %g", fn, isnan(dt) ? fabs(dt) : dt);
  cnL_check(L, cn_agents_run(g, steps, dt), fn);
  return 0;
}

static int g_state(lua_State *L, int which) {
  cn_agents *g = gself(L, "positions");
  int64_t n = cn_agents_count(g);
  cn_array *a;
  cnL_check(L, cn_array_new2(&a, CN_FLOAT64, n, 2), "positions");
  double *o = cn_f64(a);
  for (int64_t i = 0; i < n; i++) {
    cn_agent_state s;
    cn_agent_get_state(cn_agents_get(g, i), &s);
    const double *v = which == 0 ? s.pos : (which == 1 ? s.measured_vel : s.head);
    o[2 * i] = v[0], o[2 * i + 1] = v[1];
  }
  cnL_pusharray(L, a);
  return 1;
}
static int g_positions(lua_State *L) { return g_state(L, 0); }
static int g_velocities(lua_State *L) { return g_state(L, 1); }
static int g_heads(lua_State *L) { return g_state(L, 2); }

static int g_history(lua_State *L) {
  cn_agents *g = gself(L, "get_history_arrays");
  int64_t i = cnL_checkint(L, 2, "get_history_arrays", 1, "i");
  if (i < 1 || i > cn_agents_count(g))
    cnL_argerror(L, "get_history_arrays", 1, "i", "must be in 1..%lld, got %lld",
                 (long long)cn_agents_count(g), (long long)i);
  const cn_agent_history *h = cn_agent_get_history(cn_agents_get(g, i - 1));
  lua_createtable(L, 0, 6);
  push_col(L, h->t, h->n, 1), lua_setfield(L, -2, "t");
  push_col(L, h->pos, h->n, 2), lua_setfield(L, -2, "pos");
  push_col(L, h->vel, h->n, 2), lua_setfield(L, -2, "vel");
  push_col(L, h->head, h->n, 2), lua_setfield(L, -2, "head_direction");
  push_col(L, h->dist, h->n, 1), lua_setfield(L, -2, "distance_travelled");
  push_col(L, h->rot, h->n, 1), lua_setfield(L, -2, "rot_vel");
  return 1;
}

static int g_len(lua_State *L) {
  lua_pushinteger(L, cn_agents_count(gself(L, "__len")));
  return 1;
}

static int g_gc(lua_State *L) {
  lagents *u = luaL_checkudata(L, 1, CNL_AGENTS_MT);
  cn_agents_free(u->g);
  u->g = NULL;
  return 0;
}

static const luaL_Reg agents_methods[] = {
    {"update", g_update},          {"positions", g_positions},
    {"velocities", g_velocities},  {"head_directions", g_heads},
    {"get_history_arrays", g_history}, {NULL, NULL}};

static int l_isagent(lua_State *L) {
  lua_pushboolean(L, luaL_testudata(L, 1, CNL_AGENT_MT) != NULL);
  return 1;
}

void cnL_open_agent(lua_State *L) {
  luaL_newmetatable(L, CNL_AGENT_MT);
  lua_newtable(L);
  luaL_setfuncs(L, agent_methods, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, "spatial_agent_methods");
  lua_pushcclosure(L, a_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, a_newindex), lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, a_gc), lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, a_tostring), lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  luaL_newmetatable(L, CNL_AGENTS_MT);
  lua_newtable(L);
  luaL_setfuncs(L, agents_methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, g_len), lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, g_gc), lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_pushcfunction(L, l_agent), lua_setfield(L, -2, "spatial_agent");
  lua_pushcfunction(L, l_agents), lua_setfield(L, -2, "spatial_agents");
  lua_pushcfunction(L, l_isagent), lua_setfield(L, -2, "spatial_isagent");
  lua_pushcfunction(L, l_default_params), lua_setfield(L, -2, "spatial_agent_default_params");
}
