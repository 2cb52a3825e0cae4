/* canns — Lua bindings of the models (include/canns/model.h, cann.h).
 *
 *   local m = canns.core.model_new("CANN1D", {num = 512, k = 8.1})
 *   m:update(m:get_stimulus_by_pos(0.5))   -- or m(inp)
 *   print(m.u, m.num, m.shape[1])
 *   canns.core.set_dt(0.05)
 *
 * A model is a userdata over a cn_model.  Reading a state variable
 * (m.u, m.r, m.inp, m.v, m.x) gives a copy of it; assigning one
 * (m.u = a) copies a into the state.  m.conn_mat builds the dense matrix on
 * request.  Parameters read as numbers (m.tau, m.z_range, ...).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/cann.h"
#include "lua/l_models.h"

#define MAX_PARAMS 64
#define CLASS_METHODS "canns.class_methods" 

/* --- the userdata ------------------------------------------------------ */

void cnL_pushmodel(lua_State *L, cn_model *m) {
  cn_model **ud = lua_newuserdatauv(L, sizeof *ud, 0);
  *ud = m;
  luaL_setmetatable(L, CNL_MODEL_MT);
}

cn_model *cnL_tomodel(lua_State *L, int idx) {
  cn_model **ud = luaL_testudata(L, idx, CNL_MODEL_MT);
  return ud ? *ud : NULL;
}

/* The model of a userdata known to be one (metamethods), or an error when
 * its finalizer already ran (another finalizer can still reach it). */
static cn_model *live_model(lua_State *L, int idx) {
  cn_model **ud = luaL_checkudata(L, idx, CNL_MODEL_MT);
  if (!*ud) luaL_error(L, "the model has been freed (used from a finalizer that ran after its own)");
  return *ud;
}

cn_model *cnL_checkmodel(lua_State *L, int idx, const char *fname, int arg,
                         const char *name) {
  if (luaL_testudata(L, idx, CNL_MODEL_MT)) return live_model(L, idx);
  char d[128];
  cnL_argerror(L, fname, arg, name, "must be a model, got %s", cnL_describe(L, idx, d, sizeof d));
  return NULL;
}

static cn_model *self_model(lua_State *L, const char *fname) {
  return cnL_checkmodel(L, 1, fname, 0, "self");
}

int cnL_checkposition(lua_State *L, int idx, const char *fname, int arg,
                      double *pos) {
  char d[128];
  if (lua_type(L, idx) == LUA_TNUMBER) {
    pos[0] = lua_tonumber(L, idx);
    return 1;
  }
  cn_array *a = cnL_toarray(L, idx);
  if (a) {
    if (a->size < 1 || a->size > 8 || a->ndim > 1)
      cnL_argerror(L, fname, arg, "pos", "must hold 1 to 8 coordinates, got %s",
                   cnL_describe(L, idx, d, sizeof d));
    for (int64_t i = 0; i < a->size; i++) pos[i] = cn_array_getd(a, i);
    return (int)a->size;
  }
  if (lua_istable(L, idx)) {
    lua_Integer n = luaL_len(L, idx);
    if (n < 1 || n > 8)
      cnL_argerror(L, fname, arg, "pos", "must hold 1 to 8 coordinates, got %lld",
                   (long long)n);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, idx, i);
      if (lua_type(L, -1) != LUA_TNUMBER)
        cnL_argerror(L, fname, arg, "pos", "coordinate %lld must be a number, got %s",
                     (long long)i, cnL_describe(L, -1, d, sizeof d));
      pos[i - 1] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    return (int)n;
  }
  return cnL_argerror(L, fname, arg, "pos", "must be a number, a table of numbers or an array, got %s",
                      cnL_describe(L, idx, d, sizeof d));
}

/* --- construction --------------------------------------------------------- */

/* The first positional argument of a constructor (CANN1D(512) or
 * CANN1D{512, ...}) is the class's first key. */
static const char *first_key(const cn_model_class *c) {
  return c->keys && c->keys[0] ? c->keys[0] : NULL;
}

/* model_new(name [, opts | n]) */
static int l_model_new(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const cn_model_class *c = cn_model_find(name);
  if (!c) return cnL_argerror(L, "model_new", 1, "name", "no model class named '%s'", name);
  cn_param items[MAX_PARAMS];
  int n = 0;
  const char *k1 = first_key(c);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    if (!k1) return cnL_errorf(L, "%s: takes no positional argument", name);
    items[n++] = (cn_param){k1, CN_PARAM_NUMBER, lua_tonumber(L, 2), NULL};
  } else if (lua_istable(L, 2)) {
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      char d[128];
      const char *key;
      if (lua_type(L, -2) == LUA_TSTRING) {
        key = lua_tostring(L, -2);
      } else if (lua_isinteger(L, -2) && lua_tointeger(L, -2) == 1 && k1) {
        key = k1;
      } else {
        return cnL_errorf(L, "%s: unexpected positional argument %s (use key = value)", name,
                          cnL_describe(L, -2, d, sizeof d));
      }
      if (n == MAX_PARAMS) return cnL_errorf(L, "%s: too many arguments", name);
      for (int i = 0; i < n; i++) /* only the positional size can repeat a name */
        if (strcmp(items[i].key, key) == 0)
          return cnL_errorf(L, "%s: argument '%s' is given twice (positionally and by name)",
                            name, key);
      cn_param *p = &items[n++];
      p->key = key;
      p->str = NULL;
      p->num = 0;
      switch (lua_type(L, -1)) {
      case LUA_TNUMBER: p->type = CN_PARAM_NUMBER; p->num = lua_tonumber(L, -1); break;
      case LUA_TBOOLEAN: p->type = CN_PARAM_BOOL; p->num = lua_toboolean(L, -1); break;
      case LUA_TSTRING: p->type = CN_PARAM_STRING; p->str = lua_tostring(L, -1); break;
      default:
        return cnL_errorf(L, "%s: argument '%s' must be a number, boolean or string, got %s",
                          name, key, cnL_describe(L, -1, d, sizeof d));
      }
      lua_pop(L, 1); /* strings stay alive: the table holds them */
    }
  } else if (!lua_isnoneornil(L, 2)) {
    char d[128];
    return cnL_argerror(L, name, 1, "options", "must be a table of keyword arguments, got %s",
                        cnL_describe(L, 2, d, sizeof d));
  }
  cn_params params = {name, n, items};
  cn_model *m;
  cn_status s = cn_model_create(name, &params, &m);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  cnL_pushmodel(L, m);
  return 1;
}

static int l_model_classes(lua_State *L) {
  const char *names[256];
  int n = cn_model_classes(names, 256);
  lua_createtable(L, n, 0);
  for (int i = 0; i < n && i < 256; i++) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* set_class_methods(name, methods): methods (a table of functions) that
 * every model of class `name` has, after the common ones; used by the
 * Lua side of classes with methods of their own (GridCell2DVelocity's
 * heal_network, ...). */
static int l_set_class_methods(lua_State *L) {
  const char *name = cnL_checkstring(L, 1, "set_class_methods", 1, "name");
  luaL_checktype(L, 2, LUA_TTABLE);
  if (lua_getfield(L, LUA_REGISTRYINDEX, CLASS_METHODS) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, CLASS_METHODS);
  }
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, name);
  return 0;
}

static int l_ismodel(lua_State *L) {
  lua_pushboolean(L, cnL_tomodel(L, 1) != NULL);
  return 1;
}

static int l_set_dt(lua_State *L) {
  double dt = cnL_checknumber(L, 1, "set_dt", 1, "dt");
  if (!isfinite(dt) || dt <= 0) {
    char d[64];
    return cnL_argerror(L, "set_dt", 1, "dt", "must be a finite number > 0, got %s",
                        cnL_describe(L, 1, d, sizeof d));
  }
  cnL_check(L, cn_set_dt(dt), "set_dt");
  return 0;
}

static int l_get_dt(lua_State *L) {
  lua_pushnumber(L, cn_get_dt());
  return 1;
}

/* --- methods ---------------------------------------------------------------- */

/* update(inp) for a model with one input; update(a, b, ...) (declared
 * order) or update{name = value, ...} for a model with several. */
static int m_update(lua_State *L) {
  cn_model *m = self_model(L, "update");
  const char *fn = m->vt->name ? m->vt->name : "update";
  int nargs = lua_gettop(L) - 1;
  bool named = false;
  if (m->ninputs > 1 && nargs == 1 && lua_istable(L, 2) && !cnL_toarray(L, 2)) {
    lua_pushnil(L);
    if (lua_next(L, 2)) {
      named = lua_type(L, -2) == LUA_TSTRING;
      lua_pop(L, 2);
    }
  }
  if (m->ninputs == 1 || (nargs <= 1 && !named)) {
    if (lua_isnoneornil(L, 2))
      return cnL_argerror(L, fn, 1, m->inputs[0].name,
                          "is required (an array of shape of the model, or a number)");
    cn_array *inp = cnL_checkarraylike(L, 2, m->dtype, fn, 1, m->inputs[0].name);
    cn_status s = cn_model_step(m, inp);
    cn_array_release(inp);
    if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
    return 0;
  }
  cn_array *x[CN_MAX_INPUTS] = {NULL};
  if (named) {
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      char d[128];
      if (lua_type(L, -2) != LUA_TSTRING)
        return cnL_argerror(L, fn, 1, "inputs", "must name its inputs, got key %s",
                            cnL_describe(L, -2, d, sizeof d));
      const char *k = lua_tostring(L, -2);
      int i = cn_model_input_index(m, k);
      if (i < 0) return cnL_errorf(L, "%s.update: unknown input '%s'", fn, k);
      x[i] = cnL_checkarraylike(L, -1, m->dtype, fn, 1, k);
      lua_pop(L, 1);
      cnL_pusharray(L, x[i]); /* Lua owns it: an error below frees it */
      lua_insert(L, 3);       /* below the key */
    }
  } else {
    if (nargs > m->ninputs)
      return cnL_errorf(L, "%s.update: takes at most %d inputs, got %d", fn, m->ninputs, nargs);
    for (int i = 0; i < nargs; i++)
      if (!lua_isnil(L, i + 2)) {
        x[i] = cnL_checkarraylike(L, i + 2, m->dtype, fn, i + 1, m->inputs[i].name);
        cnL_pusharray(L, x[i]); /* Lua owns it: an error below frees it */
      }
  }
  cn_status s = cn_model_step_inputs(m, (const cn_array *const *)x);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  return 0;
}

static int m_call(lua_State *L) { return m_update(L); }

static int m_reset(lua_State *L) {
  cn_model *m = self_model(L, "reset");
  cnL_check(L, cn_model_reset(m), "reset");
  return 0;
}

static int m_get_stimulus_by_pos(lua_State *L) {
  cn_model *m = self_model(L, "get_stimulus_by_pos");
  double pos[8];
  int np = cnL_checkposition(L, 2, "get_stimulus_by_pos", 1, pos);
  cn_array *out;
  cn_status s = cn_model_stimulus(m, pos, np, &out);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  cnL_pusharray(L, out);
  return 1;
}

static int m_dist(lua_State *L) {
  cn_model *m = self_model(L, "dist");
  if (!cn_is_cann(m)) return cnL_errorf(L, "dist: %s has no dist()", m->vt->name);
  bool scalar = lua_type(L, 2) == LUA_TNUMBER;
  cn_array *d = cnL_checkarraylike(L, 2, m->dtype, "dist", 1, "d"), *out;
  cn_status s = cn_cann_dist(m, d, &out);
  cn_array_release(d);
  cnL_check(L, s, "dist");
  if (scalar) {
    lua_pushnumber(L, cn_array_getd(out, 0));
    cn_array_release(out);
  } else {
    cnL_pusharray(L, out);
  }
  return 1;
}

static int m_make_conn(lua_State *L) {
  cn_model *m = self_model(L, "make_conn");
  if (!cn_is_cann(m)) return cnL_errorf(L, "make_conn: %s has no connection matrix", m->vt->name);
  cn_array *c;
  cnL_check(L, cn_cann_conn_mat(m, &c), "make_conn");
  cnL_pusharray(L, c);
  return 1;
}

/* set_accl_mode([mode [, k [, target_err_mrad]]]) or set_accl_mode{mode =,
 * k =, target_err_mrad =} (upstream's keywords); nil keeps the current. */
static const char *const accl_keys[] = {"mode", "k", "target_err_mrad", NULL};

static int m_set_accl_mode(lua_State *L) {
  const char *fn = "set_accl_mode";
  cn_model *m = self_model(L, fn);
  if (!cn_is_cann(m)) return cnL_errorf(L, "%s: %s has no set_accl_mode()", fn, m->vt->name);
  char d[128];
  int im = 2, ik = 3, ie = 4;
  if (lua_istable(L, 2)) {
    if (lua_gettop(L) > 2) return cnL_errorf(L, "%s: give the options as one table or as arguments, not both", fn);
    cnL_checkfields(L, 2, accl_keys, fn);
    lua_settop(L, 2);
    lua_getfield(L, 2, "mode");
    lua_getfield(L, 2, "k");
    lua_getfield(L, 2, "target_err_mrad");
    im = 3, ik = 4, ie = 5;
  }
  const char *mode = NULL;
  if (!lua_isnoneornil(L, im)) {
    if (lua_type(L, im) != LUA_TSTRING)
      return cnL_argerror(L, fn, 1, "mode", "must be a string, got %s", cnL_describe(L, im, d, sizeof d));
    mode = lua_tostring(L, im);
  }
  int64_t k = 0;
  if (!lua_isnoneornil(L, ik)) {
    k = cnL_checkrange(L, ik, fn, 2, "k", 1, CNL_MAX_COUNT);
  }
  double err = NAN;
  if (!lua_isnoneornil(L, ie)) {
    err = cnL_checknumber(L, ie, fn, 3, "target_err_mrad");
    if (!isfinite(err))
      return cnL_argerror(L, fn, 3, "target_err_mrad", "must be a finite number, got %s",
                          cnL_describe(L, ie, d, sizeof d));
  }
  cn_status s = cn_cann_set_accl_mode(m, mode, k, err);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  return 0;
}

static int push_names(lua_State *L, const char *const *names) {
  lua_newtable(L);
  for (int i = 0; names && names[i]; i++) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int m_state_names(lua_State *L) {
  return push_names(L, self_model(L, "state_names")->states);
}

static int m_param_names(lua_State *L) {
  return push_names(L, self_model(L, "param_names")->params);
}

/* input_names(): the named inputs one step takes, in declared order */
static int m_input_names(lua_State *L) {
  cn_model *m = self_model(L, "input_names");
  lua_createtable(L, m->ninputs, 0);
  for (int i = 0; i < m->ninputs; i++) {
    lua_pushstring(L, m->inputs[i].name);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static const luaL_Reg methods[] = {
    {"input_names", m_input_names},
    {"update", m_update},
    {"step", m_update},
    {"reset", m_reset},
    {"reset_state", m_reset},
    {"init_state", m_reset},
    {"get_stimulus_by_pos", m_get_stimulus_by_pos},
    {"dist", m_dist},
    {"make_conn", m_make_conn},
    {"set_accl_mode", m_set_accl_mode},
    {"state_names", m_state_names},
    {"param_names", m_param_names},
    {NULL, NULL}};

/* --- metamethods ------------------------------------------------------------- */

static int mt_index(lua_State *L) {
  cn_model *m = live_model(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  const char *k = lua_tostring(L, 2);
  /* methods of this class first (set_class_methods) */
  if (m->vt->name && lua_getfield(L, LUA_REGISTRYINDEX, CLASS_METHODS) == LUA_TTABLE) {
    if (lua_getfield(L, -1, m->vt->name) == LUA_TTABLE) {
      if (lua_getfield(L, -1, k) != LUA_TNIL) return 1;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  luaL_getmetatable(L, CNL_MODEL_MT);
  lua_getfield(L, -1, "__methods");
  lua_getfield(L, -1, k);
  if (!lua_isnil(L, -1)) return 1;
  lua_pop(L, 3);

  if (strcmp(k, "name") == 0) {
    lua_pushstring(L, m->vt->name ? m->vt->name : "model");
  } else if (strcmp(k, "shape") == 0) {
    cnL_pushshape(L, m->in_ndim, m->in_shape);
  } else if (strcmp(k, "dtype") == 0) {
    lua_pushstring(L, cn_dtype_name(m->dtype));
  } else if (strcmp(k, "method") == 0 && cn_is_cann(m)) {
    lua_pushstring(L, cn_cann_method_name(cn_cann_method_used(m)));
  } else if (strcmp(k, "accl_mode") == 0 && cn_is_cann(m)) {
    const char *am = cn_cann_get_params(m)->accl_mode;
    lua_pushstring(L, am ? am : "normal");
  } else if (strcmp(k, "accl_k") == 0 && cn_is_cann(m)) {
    lua_pushinteger(L, -1); /* every method is exact: no truncation rank */
  } else if (strcmp(k, "accl_target_err_mrad") == 0 && cn_is_cann(m)) {
    lua_pushnumber(L, cn_cann_get_params(m)->accl_target_err_mrad);
  } else if (strcmp(k, "is_accelerated") == 0 && cn_is_cann(m)) {
    lua_pushboolean(L, cn_cann_method_used(m) != CN_CANN_DENSE);
  } else if (strcmp(k, "conn_mat") == 0 && cn_is_cann(m)) {
    cn_array *c;
    cnL_check(L, cn_cann_conn_mat(m, &c), "conn_mat");
    cnL_pusharray(L, c);
  } else {
    cn_model *part = m->vt->child ? m->vt->child(m, k) : NULL;
    cn_array *a = part ? NULL : cn_model_find_state(m, k), *copy;
    double v;
    if (part) {
      cnL_pushmodel(L, cn_model_retain(part)); /* the part lives while Lua holds it */
    } else if (a) {
      cnL_check(L, cn_array_copy(&copy, a), k);
      cnL_pusharray(L, copy);
    } else if (m->vt->param && m->vt->param(m, k, &v) == CN_OK) {
      if (v == floor(v) && fabs(v) < 9.0e15 &&
          (strcmp(k, "num") == 0 || strcmp(k, "length") == 0))
        lua_pushinteger(L, (lua_Integer)v);
      else
        lua_pushnumber(L, v);
    } else if (m->vt->name &&
               lua_getfield(L, LUA_REGISTRYINDEX, CLASS_METHODS) == LUA_TTABLE &&
               lua_getfield(L, -1, m->vt->name) == LUA_TTABLE &&
               lua_getfield(L, -1, "__index") == LUA_TFUNCTION) {
      /* computed attributes of the class: __index(self, key) */
      lua_pushvalue(L, 1);
      lua_pushvalue(L, 2);
      lua_call(L, 2, 1);
    } else {
      lua_pushnil(L);
    }
  }
  return 1;
}

static int mt_newindex(lua_State *L) {
  cn_model *m = live_model(L, 1);
  const char *k = luaL_checkstring(L, 2);
  cn_array *a = cn_model_find_state(m, k);
  const char *fn = m->vt->name ? m->vt->name : "model";
  if (!a || strcmp(k, "x") == 0)
    return cnL_errorf(L, "%s: cannot set '%s' (only the state variables can be assigned)", fn, k);
  cn_array *v = cnL_checkarraylike(L, 3, a->dtype, fn, 2, k);
  if (v->size != a->size && v->size != 1) {
    char d[128];
    cn_array_release(v);
    return cnL_errorf(L, "%s: '%s' must have %lld values, got %s", fn, k, (long long)a->size,
                      cnL_describe(L, 3, d, sizeof d));
  }
  cn_status s = v->size == 1 && a->size != 1 ? cn_array_fill(a, cn_array_getd(v, 0))
                                             : cn_array_assign(a, v);
  cn_array_release(v);
  cnL_check(L, s, fn);
  return 0;
}

static int mt_tostring(lua_State *L) {
  cn_model *m = live_model(L, 1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, m->vt->name ? m->vt->name : "model");
  luaL_addstring(&b, "{shape={");
  for (int i = 0; i < m->in_ndim; i++) {
    lua_pushfstring(L, "%s%I", i ? "," : "", (lua_Integer)m->in_shape[i]);
    luaL_addvalue(&b);
  }
  luaL_addstring(&b, "}");
  if (cn_is_cann(m)) {
    luaL_addstring(&b, ", method=");
    luaL_addstring(&b, cn_cann_method_name(cn_cann_method_used(m)));
  }
  luaL_addstring(&b, ", ");
  luaL_addstring(&b, cn_dtype_name(m->dtype));
  luaL_addstring(&b, "}");
  luaL_pushresult(&b);
  return 1;
}

static int mt_gc(lua_State *L) {
  cn_model **ud = luaL_testudata(L, 1, CNL_MODEL_MT);
  if (ud && *ud) {
    cn_model_release(*ud);
    *ud = NULL;
  }
  return 0;
}

static const luaL_Reg functions[] = {
    {"model_new", l_model_new},
    {"model_classes", l_model_classes},
    {"ismodel", l_ismodel},
    {"set_class_methods", l_set_class_methods},
    {"set_dt", l_set_dt},
    {"get_dt", l_get_dt},
    {NULL, NULL}};

void cnL_open_models(lua_State *L) {
  if (luaL_newmetatable(L, CNL_MODEL_MT)) {
    lua_pushcfunction(L, mt_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, mt_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, m_call);
    lua_setfield(L, -2, "__call");
    lua_pushcfunction(L, mt_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, mt_gc);
    lua_setfield(L, -2, "__gc");
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__methods");
    lua_pushstring(L, "canns.Model");
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, functions, 0);
  cnL_open_run(L);
  cnL_open_tasks(L);
  cnL_open_gridcell(L);
  cnL_open_theta(L);
  cnL_open_hierarchical(L);
  cnL_open_spatial_metrics(L);
}
