/* A model written in C, added to canns from a Lua C module.
 *
 * LeakyIntegrator{n = 8, tau = 2.0}: one state variable x (n values)
 * relaxing towards the input, x += (-x + inp) / tau * dt, with dt the
 * global time step.  Build: CMake makes build/examples/cmodel/leaky.so;
 * use it from a script with
 *
 *   package.cpath = "build/examples/cmodel/?.so;" .. package.cpath
 *   local leaky = require "leaky"
 *   local m = leaky.LeakyIntegrator{n = 8, tau = 2}
 *   local out = canns.run(m, inputs, {record = {"x"}})
 *
 * Three steps: fill a cn_model_vtable, register a cn_model_class whose
 * create() builds the model from keyword parameters, and return a Lua
 * table of constructors that call canns.core.model_new(name, opts).
 * See docs/extending.md. */
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/model.h"

typedef struct leaky {
  int64_t n;
  double tau;
  cn_array *x;
} leaky;

static cn_status leaky_step(cn_model *m, const cn_array *inp) {
  leaky *k = m->impl;
  float *x = cn_f32(k->x);
  const float *in = cn_f32(inp); /* same dtype and shape as the model */
  float c = (float)(cn_get_dt() / k->tau);
  for (int64_t i = 0; i < k->n; i++) x[i] += (-x[i] + in[i]) * c;
  return CN_OK;
}

static cn_status leaky_reset(cn_model *m) {
  return cn_array_fill(((leaky *)m->impl)->x, 0.0);
}

static cn_array *leaky_state(cn_model *m, const char *name) {
  return strcmp(name, "x") == 0 ? ((leaky *)m->impl)->x : NULL;
}

static cn_status leaky_param(cn_model *m, const char *name, double *out) {
  leaky *k = m->impl;
  if (strcmp(name, "tau") == 0) return (*out = k->tau), CN_OK;
  if (strcmp(name, "n") == 0) return (*out = (double)k->n), CN_OK;
  return cn_error(CN_EINVAL, "LeakyIntegrator has no parameter '%s'", name);
}

static void leaky_destroy(cn_model *m) {
  leaky *k = m->impl;
  cn_array_release(k->x);
  free(k);
}

static const cn_model_vtable leaky_vt = {
    "LeakyIntegrator", leaky_step, leaky_reset, leaky_state, leaky_param, NULL, leaky_destroy};

static const char *const leaky_states[] = {"x", NULL};
static const char *const leaky_params[] = {"n", "tau", NULL};

static cn_status leaky_create(const cn_params *p, cn_model **out) {
  int64_t n;
  double tau;
  CN_TRY(cn_params_int(p, "n", 8, &n));
  CN_TRY(cn_params_number(p, "tau", 1.0, &tau));
  if (n < 1) return cn_error(CN_EINVAL, "%s: argument 'n' must be >= 1, got %lld", p->fname, (long long)n);
  if (!(tau > 0) || !isfinite(tau))
    return cn_error(CN_EINVAL, "%s: argument 'tau' must be a finite number > 0", p->fname);
  leaky *k = calloc(1, sizeof *k);
  if (!k) return cn_error(CN_ENOMEM, "%s: out of memory", p->fname);
  k->n = n;
  k->tau = tau;
  cn_status s = cn_array_zeros(&k->x, CN_FLOAT32, 1, &n);
  if (s == CN_OK) s = cn_model_new(out, &leaky_vt, k, CN_FLOAT32, 1, &n);
  if (s != CN_OK) {
    cn_array_release(k->x);
    free(k);
    return s;
  }
  (*out)->states = leaky_states;
  (*out)->params = leaky_params;
  return CN_OK;
}

static const char *const leaky_keys[] = {"n", "tau", NULL};
static const cn_model_class leaky_class = {"LeakyIntegrator", leaky_create, leaky_keys,
                                           "leaky integrator x' = (-x + inp) / tau"};

/* LeakyIntegrator(opts) -> require("canns.core").model_new("LeakyIntegrator", opts) */
static int l_new(lua_State *L) {
  lua_settop(L, 1);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "canns.core");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "model_new");
  lua_pushliteral(L, "LeakyIntegrator");
  lua_pushvalue(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

int luaopen_leaky(lua_State *L) {
  if (cn_model_register(&leaky_class) != CN_OK) return luaL_error(L, "leaky: %s", cn_errmsg());
  lua_newtable(L);
  lua_pushcfunction(L, l_new);
  lua_setfield(L, -2, "LeakyIntegrator");
  return 1;
}
