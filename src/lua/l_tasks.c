/* canns — Lua bindings of the tracking-task generators (include/canns/task.h).
 * The task objects themselves are written in Lua (lua/canns/task/); these
 * functions compute their sequences and data arrays in C.  Every function
 * takes the task's class name first, for error messages. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/random.h"
#include "canns/task.h"
#include "lua/l_models.h"

#define MAX_KEYS (1 << 20)

static void raise_status(lua_State *L, const char *fn, cn_status s) {
  if (s != CN_OK) cnL_errorf(L, "%s: %s", fn, cn_errmsg());
}

/* A table of numbers -> malloc'd doubles (kept in a userdata on the
 * stack, so an error frees it). */
static double *check_numbers(lua_State *L, int idx, const char *fn, const char *name,
                             int64_t *n) {
  char d[128];
  if (!lua_istable(L, idx) || cnL_toarray(L, idx))
    cnL_errorf(L, "%s: argument '%s' must be a table (a sequence) of numbers, got %s", fn, name,
               cnL_describe(L, idx, d, sizeof d));
  lua_Integer len = luaL_len(L, idx);
  if (len > MAX_KEYS) cnL_errorf(L, "%s: argument '%s' is too long", fn, name);
  double *v = lua_newuserdatauv(L, sizeof(double) * (size_t)(len ? len : 1), 0);
  for (lua_Integer i = 1; i <= len; i++) {
    lua_geti(L, idx, i);
    if (lua_type(L, -1) != LUA_TNUMBER)
      cnL_errorf(L, "%s: argument '%s' entry %lld must be a number, got %s", fn, name,
                 (long long)i, cnL_describe(L, -1, d, sizeof d));
    v[i - 1] = lua_tonumber(L, -1);
    if (isnan(v[i - 1]))
      cnL_errorf(L, "%s: argument '%s' entry %lld must not be NaN", fn, name, (long long)i);
    lua_pop(L, 1);
  }
  *n = len;
  return v;
}

/* Key points: ndim 1 -> numbers; ndim >= 2 -> tables/arrays of ndim numbers. */
static double *check_keys(lua_State *L, int idx, int ndim, const char *fn, int64_t *n) {
  char d[128];
  if (ndim == 1) return check_numbers(L, idx, fn, "Iext", n);
  if (!lua_istable(L, idx) || cnL_toarray(L, idx))
    cnL_errorf(L, "%s: argument 'Iext' must be a table of {x, y} points, got %s", fn,
               cnL_describe(L, idx, d, sizeof d));
  lua_Integer len = luaL_len(L, idx);
  if (len > MAX_KEYS) cnL_errorf(L, "%s: argument 'Iext' is too long", fn);
  double *v = lua_newuserdatauv(L, sizeof(double) * (size_t)(len ? len : 1) * ndim, 0);
  for (lua_Integer i = 1; i <= len; i++) {
    lua_geti(L, idx, i);
    double pos[8];
    int np = 0;
    cn_array *a = cnL_toarray(L, -1);
    if (a && a->size == ndim && a->ndim <= 1) {
      for (int k = 0; k < ndim; k++) pos[k] = cn_array_getd(a, k);
      np = ndim;
    } else if (!a && lua_istable(L, -1) && luaL_len(L, -1) == ndim) {
      for (int k = 0; k < ndim; k++) {
        lua_geti(L, -1, k + 1);
        if (lua_type(L, -1) == LUA_TNUMBER) pos[np++] = lua_tonumber(L, -1);
        lua_pop(L, 1);
      }
    }
    if (np != ndim)
      cnL_errorf(L, "%s: argument 'Iext' entry %lld must be a point of %d numbers {x, y}, got %s",
                 fn, (long long)i, ndim, cnL_describe(L, -1, d, sizeof d));
    for (int k = 0; k < ndim; k++) {
      if (isnan(pos[k]))
        cnL_errorf(L, "%s: argument 'Iext' entry %lld must not contain NaN", fn, (long long)i);
      v[(i - 1) * ndim + k] = pos[k];
    }
    lua_pop(L, 1);
  }
  *n = len;
  return v;
}

static double check_dt(lua_State *L, int idx, const char *fn) {
  char d[128];
  if (lua_type(L, idx) != LUA_TNUMBER)
    cnL_errorf(L, "%s: argument 'time_step' must be a number, got %s", fn,
               cnL_describe(L, idx, d, sizeof d));
  double dt = lua_tonumber(L, idx);
  if (!isfinite(dt) || dt <= 0)
    cnL_errorf(L, "%s: argument 'time_step' must be a finite number > 0, got %g", fn, dt);
  return dt;
}

static int check_ndim(lua_State *L, int idx, const char *fn) {
  int64_t nd = cnL_checkint(L, idx, fn, idx, "ndim");
  if (nd < 1 || nd > 8) cnL_errorf(L, "%s: ndim must be in 1..8, got %lld", fn, (long long)nd);
  return (int)nd;
}

/* The stimulus position at idx (argument 2 'Iext'): as many coordinates
 * as the model has. */
static void check_iext(lua_State *L, int idx, const char *fn, const cn_model *m,
                       double *pos) {
  int np = cnL_checkposition(L, idx, fn, 2, pos);
  if (np != m->pos_ndim)
    cnL_errorf(L, "%s: argument 'Iext' must have %d coordinate%s, got %d", fn, m->pos_ndim,
               m->pos_ndim == 1 ? "" : "s", np);
}

/* task_sum(fn, durations) -> numpy.sum */
static int l_task_sum(lua_State *L) {
  const char *fn = luaL_checkstring(L, 1);
  int64_t n;
  double *v = check_numbers(L, 2, fn, "duration", &n);
  lua_pushnumber(L, cn_task_sum(v, n));
  return 1;
}

/* task_total_steps(fn, durations, dt) -> integer */
static int l_task_total_steps(lua_State *L) {
  const char *fn = luaL_checkstring(L, 1);
  int64_t n, T;
  double *v = check_numbers(L, 2, fn, "duration", &n);
  double dt = check_dt(L, 3, fn);
  raise_status(L, fn, cn_task_total_steps(v, n, dt, &T));
  lua_pushinteger(L, T);
  return 1;
}

/* The position generators of include/canns/task.h share one signature. */
typedef cn_status (*positions_fn)(int ndim, const double *keys, int64_t nkeys,
                                  const double *durations, int64_t ndur, double dt,
                                  cn_array **out);

/* (fn, ndim, keys, durations, dt) -> (T, ndim) float64 from gen */
static int push_positions(lua_State *L, positions_fn gen) {
  const char *fn = luaL_checkstring(L, 1);
  int ndim = check_ndim(L, 2, fn);
  int64_t nk, nd;
  double *k = check_keys(L, 3, ndim, fn, &nk);
  double *d = check_numbers(L, 4, fn, "duration", &nd);
  double dt = check_dt(L, 5, fn);
  cn_array *out;
  raise_status(L, fn, gen(ndim, k, nk, d, nd, dt, &out));
  cnL_pusharray(L, out);
  return 1;
}

/* task_smooth_positions(fn, ndim, keys, durations, dt) -> (T, ndim) float64 */
static int l_task_smooth_positions(lua_State *L) {
  return push_positions(L, cn_task_smooth_positions);
}

/* task_step_positions(fn, ndim, keys, durations, dt) -> (T, ndim) float64 */
static int l_task_step_positions(lua_State *L) {
  return push_positions(L, cn_task_step_positions);
}

/* task_run_steps(fn, T, dt) -> float32 times */
static int l_task_run_steps(lua_State *L) {
  const char *fn = luaL_checkstring(L, 1);
  int64_t T = cnL_checkcount(L, 2, fn, 2, "steps", CNL_MAX_COUNT);
  double dt = check_dt(L, 3, fn);
  cn_array *out;
  raise_status(L, fn, cn_task_run_steps(T, dt, &out));
  cnL_pusharray(L, out);
  return 1;
}

/* task_stimuli(fn, model, positions) -> (T, model shape) */
static int l_task_stimuli(lua_State *L) {
  const char *fn = luaL_checkstring(L, 1);
  cn_model *m = cnL_checkmodel(L, 2, fn, 1, "cann_instance");
  cn_array *pos = cnL_checkarray(L, 3, fn, 2, "positions"), *out;
  raise_status(L, fn, cn_model_stimulus_seq(m, pos, &out));
  cnL_pusharray(L, out);
  return 1;
}

/* task_population_data(fn, model, pos, T, start, stop) with 0-based,
 * half-open [start, stop) */
static int l_task_population_data(lua_State *L) {
  const char *fn = luaL_checkstring(L, 1);
  cn_model *m = cnL_checkmodel(L, 2, fn, 1, "cann_instance");
  double pos[8];
  check_iext(L, 3, fn, m, pos);
  int64_t T = cnL_checkcount(L, 4, fn, 3, "steps", CNL_MAX_COUNT);
  int64_t start = cnL_checkint(L, 5, fn, 4, "start"), stop = cnL_checkint(L, 6, fn, 5, "stop");
  cn_array *out;
  raise_status(L, fn, cn_task_population_data(m, pos, T, start, stop, &out));
  cnL_pusharray(L, out);
  return 1;
}

/* task_template_data(fn, model, pos, T, noise_level, A) */
static int l_task_template_data(lua_State *L) {
  const char *fn = luaL_checkstring(L, 1);
  cn_model *m = cnL_checkmodel(L, 2, fn, 1, "cann_instance");
  double pos[8];
  check_iext(L, 3, fn, m, pos);
  int64_t T = cnL_checkcount(L, 4, fn, 3, "steps", CNL_MAX_COUNT);
  double noise = cnL_checknumber(L, 5, fn, 4, "noise_level");
  double A = cnL_checknumber(L, 6, fn, 5, "A");
  cn_array *out;
  raise_status(L, fn, cn_task_template_data(m, pos, T, noise, A, cn_rng_global(), &out));
  cnL_pusharray(L, out);
  return 1;
}

static const luaL_Reg functions[] = {
    {"task_sum", l_task_sum},
    {"task_total_steps", l_task_total_steps},
    {"task_smooth_positions", l_task_smooth_positions},
    {"task_step_positions", l_task_step_positions},
    {"task_run_steps", l_task_run_steps},
    {"task_stimuli", l_task_stimuli},
    {"task_population_data", l_task_population_data},
    {"task_template_data", l_task_template_data},
    {NULL, NULL}};

void cnL_open_tasks(lua_State *L) { luaL_setfuncs(L, functions, 0); }
