/* canns — Lua binding of the simulation loop (cn_run).
 *
 *   local out = canns.core.run(model, inputs, {record = {"u", "inp"},
 *                                              record_every = 1,
 *                                              progress = true, reset = false})
 *   out.u   -- array (T / record_every, state shape), time first
 *
 * `model` is a model userdata (stepped entirely in C) or a Lua table with a
 * `step(self, inp)` function (stepped through Lua once per row; its state
 * variables are its fields holding arrays).  `inputs` is an array with time
 * first, a step count (zero input), a task table whose `data` is set, or a
 * table of named input sequences ({velocity = v, theta = th}, each time
 * first, all of one length) for models with several inputs per step.
 */
#include <stdlib.h>
#include <string.h>

#include "lua/l_models.h"

#define MAX_RECORD 32

/* --- a Lua table seen as a cn_model --------------------------------------- */

typedef struct lua_model {
  lua_State *L;
  int self_ref;   /* the table */
  int anchor_ref; /* table keeping the last looked-up state arrays alive */
  cn_model_vtable vt;
} lua_model;

/* Protected helpers: everything that touches the user's table runs inside
 * lua_pcall, so that an error there unwinds to cn_run and not through it. */
static int p_step(lua_State *L) { /* self, lightuserdata(cn_array *) */
  /* Lua owns the input from here on, so an error anywhere below (the
   * user's __index included) lets the collector free it. */
  cnL_pusharray(L, lua_touserdata(L, 2)); /* slot 3 */
  lua_getfield(L, 1, "step");
  if (!lua_isfunction(L, -1)) {
    if (luaL_getmetafield(L, -1, "__call") == LUA_TNIL)
      return luaL_error(L, "the model table has no step(self, inp) function");
    lua_pop(L, 1);
  }
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 3);
  lua_call(L, 2, 0);
  return 0;
}

static int p_reset(lua_State *L) { /* self */
  lua_getfield(L, 1, "reset");
  if (!lua_isfunction(L, -1)) return luaL_error(L, "the model table has no reset(self) function");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 0);
  return 0;
}

static int p_state(lua_State *L) { /* self, name, anchors -> array or nil */
  lua_pushvalue(L, 2);
  lua_gettable(L, 1);
  if (!cnL_toarray(L, -1)) return 0;
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_settable(L, 3);
  return 1;
}

static cn_status pcall_status(lua_State *L, int rc) {
  if (rc == LUA_OK) return CN_OK;
  const char *msg = lua_tostring(L, -1);
  cn_status s = cn_error(CN_EINVAL, "%s", msg ? msg : "error in the Lua model");
  lua_pop(L, 1);
  return s;
}

static cn_status lm_step(cn_model *m, const cn_array *inp) {
  lua_model *lm = m->impl;
  lua_State *L = lm->L;
  cn_array *copy; /* the Lua step owns its input */
  CN_TRY(cn_array_copy(&copy, inp));
  lua_pushcfunction(L, p_step);
  lua_rawgeti(L, LUA_REGISTRYINDEX, lm->self_ref);
  lua_pushlightuserdata(L, copy);
  return pcall_status(L, lua_pcall(L, 2, 0, 0));
}

static cn_status lm_reset(cn_model *m) {
  lua_model *lm = m->impl;
  lua_State *L = lm->L;
  lua_pushcfunction(L, p_reset);
  lua_rawgeti(L, LUA_REGISTRYINDEX, lm->self_ref);
  return pcall_status(L, lua_pcall(L, 1, 0, 0));
}

static cn_array *lm_state(cn_model *m, const char *name) {
  lua_model *lm = m->impl;
  lua_State *L = lm->L;
  lua_pushcfunction(L, p_state);
  lua_rawgeti(L, LUA_REGISTRYINDEX, lm->self_ref);
  lua_pushstring(L, name);
  lua_rawgeti(L, LUA_REGISTRYINDEX, lm->anchor_ref);
  if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
    lua_pop(L, 1);
    return NULL;
  }
  cn_array *a = cnL_toarray(L, -1); /* kept alive by the anchor table */
  lua_pop(L, 1);
  return a;
}

static void lm_destroy(cn_model *m) {
  lua_model *lm = m->impl;
  luaL_unref(lm->L, LUA_REGISTRYINDEX, lm->self_ref);
  luaL_unref(lm->L, LUA_REGISTRYINDEX, lm->anchor_ref);
  free(lm);
}

static const char *const no_names[] = {NULL};

/* Wrap the table at idx; the input shape comes from `inputs` or, without
 * inputs, from the table's `shape` field. */
static cn_model *lua_model_new(lua_State *L, int idx, const cn_array *inputs) {
  int64_t shape[CN_MAXDIM];
  int nd = 0;
  cn_dtype t = CN_FLOAT32;
  if (inputs) {
    if (inputs->ndim < 1) cnL_errorf(L, "run: inputs must have a time axis first");
    nd = inputs->ndim - 1;
    for (int i = 0; i < nd; i++) shape[i] = inputs->shape[i + 1];
    t = inputs->dtype == CN_FLOAT64 ? CN_FLOAT64 : CN_FLOAT32;
  } else {
    lua_getfield(L, idx, "shape");
    if (lua_isnil(L, -1))
      cnL_errorf(L, "run: a Lua model run without inputs needs a 'shape' field (its input shape)");
    nd = cnL_checkshape(L, lua_gettop(L), "run", 1, shape);
    lua_pop(L, 1);
  }
  lua_model *lm = calloc(1, sizeof *lm);
  if (!lm) cnL_errorf(L, "run: out of memory");
  lm->L = L;
  lm->vt = (cn_model_vtable){"Lua model", lm_step, lm_reset, lm_state, NULL, NULL, lm_destroy, NULL, NULL};
  lua_pushvalue(L, idx);
  lm->self_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  lm->anchor_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  cn_model *m;
  if (cn_model_new(&m, &lm->vt, lm, t, nd, shape) != CN_OK) {
    lm_destroy(&(cn_model){.impl = lm});
    cnL_errorf(L, "run: %s", cn_errmsg());
  }
  m->states = no_names;
  return m;
}

/* --- run ------------------------------------------------------------------------ */

static const char *const run_keys[] = {"record", "record_every", "progress", "reset", "label",
                                       NULL};

static int l_run(lua_State *L) {
  char d[128];
  cn_model *cm = cnL_tomodel(L, 1);
  if (!cm && !lua_istable(L, 1))
    return cnL_argerror(L, "run", 1, "model",
                        "must be a model or a table with a step(self, inp) function, got %s",
                        cnL_describe(L, 1, d, sizeof d));
  /* inputs */
  cn_array *inputs = NULL;
  int64_t nsteps = 0;
  const char *in_names[CN_MAX_INPUTS];
  const cn_array *in_seqs[CN_MAX_INPUTS];
  int nnamed = -1; /* >= 0: a table of named inputs */
  /* a plain table (no metatable, no `data` field) names input sequences;
   * a task is an object with `data` */
  bool plain = lua_istable(L, 2) && !lua_getmetatable(L, 2);
  if (!plain && lua_istable(L, 2)) lua_pop(L, 1); /* the metatable */
  if (plain && lua_getfield(L, 2, "data") == LUA_TNIL) {
    lua_pop(L, 1);
    /* named input sequences; the table keeps the arrays alive */
    nnamed = 0;
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      if (lua_type(L, -2) != LUA_TSTRING)
        return cnL_argerror(L, "run", 2, "inputs",
                            "must be an array, a step count, a task or a table of named input "
                            "sequences (name = array), got a table with key %s",
                            cnL_describe(L, -2, d, sizeof d));
      const char *k = lua_tostring(L, -2);
      cn_array *a = cnL_toarray(L, -1);
      if (!a)
        return cnL_argerror(L, "run", 2, "inputs", "input '%s' must be an array (time first), got %s",
                            k, cnL_describe(L, -1, d, sizeof d));
      if (nnamed == CN_MAX_INPUTS)
        return cnL_argerror(L, "run", 2, "inputs", "has more than %d named inputs", CN_MAX_INPUTS);
      in_names[nnamed] = k;
      in_seqs[nnamed++] = a;
      lua_pop(L, 1);
    }
    if (nnamed == 0)
      return cnL_argerror(L, "run", 2, "inputs", "must name at least one input sequence, got an empty table");
    if (!cm)
      return cnL_argerror(L, "run", 2, "inputs",
                          "a Lua model takes one input array, not a table of named inputs");
  } else if (plain) {
    lua_pop(L, 1);
  }
  if (nnamed >= 0) {
    /* done above */
  } else if (lua_type(L, 2) == LUA_TNUMBER) {
    nsteps = cnL_checkcount(L, 2, "run", 2, "inputs", CNL_MAX_COUNT);
  } else if ((inputs = cnL_toarray(L, 2)) == NULL) {
    if (lua_istable(L, 2)) {
      lua_getfield(L, 2, "data");
      inputs = cnL_toarray(L, -1);
      lua_replace(L, 2); /* keep the data array alive in slot 2 */
    }
    if (!inputs)
      return cnL_argerror(L, "run", 2, "inputs",
                          "must be an array (time first), a step count or a task with data "
                          "(call task:get_data() first), got %s",
                          cnL_describe(L, 2, d, sizeof d));
  }
  /* options */
  cnL_checkfields(L, 3, run_keys, "run");
  cn_run_opts o = CN_RUN_OPTS_INIT;
  const char *names[MAX_RECORD];
  int nrec = 0;
  bool record_given = false;
  if (lua_istable(L, 3)) {
    o.record_every = cnL_optfieldrange(L, 3, "record_every", 1, 1, CNL_MAX_COUNT, "run");
    o.progress = cnL_optfieldbool(L, 3, "progress", false, "run");
    o.reset = cnL_optfieldbool(L, 3, "reset", false, "run");
    o.label = cnL_optfieldstring(L, 3, "label", NULL, "run");
    lua_getfield(L, 3, "record");
    int rt = lua_gettop(L);
    record_given = !lua_isnil(L, rt);
    if (lua_type(L, rt) == LUA_TSTRING) {
      names[nrec++] = lua_tostring(L, rt);
    } else if (lua_istable(L, rt)) {
      lua_Integer n = luaL_len(L, rt);
      if (n > MAX_RECORD) return cnL_errorf(L, "run: option 'record' has more than %d names", MAX_RECORD);
      for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, rt, i);
        if (lua_type(L, -1) != LUA_TSTRING)
          return cnL_errorf(L, "run: option 'record' entry %lld must be a string, got %s",
                            (long long)i, cnL_describe(L, -1, d, sizeof d));
        names[nrec++] = lua_tostring(L, -1);
        lua_pop(L, 1); /* the record table keeps the string alive */
      }
    } else if (!lua_isnil(L, rt)) {
      return cnL_errorf(L, "run: option 'record' must be a name or a table of names, got %s",
                        cnL_describe(L, rt, d, sizeof d));
    }
    /* the record table stays on the stack */
  } else if (!lua_isnoneornil(L, 3)) {
    return cnL_argerror(L, "run", 3, "options", "must be a table, got %s",
                        cnL_describe(L, 3, d, sizeof d));
  }
  /* default: record u, when the model has one */
  if (!record_given && (!cm || cn_model_find_state(cm, "u"))) names[nrec++] = "u";
  o.record = names;
  o.nrecord = nrec;
  o.nsteps = nsteps;

  cn_model *m = cm ? cn_model_retain(cm) : lua_model_new(L, 1, inputs);
  cn_array *out[MAX_RECORD];
  cn_status s = nnamed >= 0 ? cn_run_inputs(m, nnamed, in_names, in_seqs, &o, out)
                            : cn_run(m, inputs, &o, out);
  cn_model_release(m);
  if (s != CN_OK) {
    const char *msg = cn_errmsg();
    return cnL_errorf(L, "%s%s", strncmp(msg, "run:", 4) == 0 ? "" : "run: ", msg);
  }
  lua_createtable(L, 0, nrec);
  for (int i = 0; i < nrec; i++) {
    cnL_pusharray(L, out[i]);
    lua_setfield(L, -2, names[i]);
  }
  return 1;
}

static const luaL_Reg functions[] = {{"run", l_run}, {NULL, NULL}};

void cnL_open_run(lua_State *L) { luaL_setfuncs(L, functions, 0); }
