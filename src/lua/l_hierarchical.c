/* canns — Lua bindings of the hierarchical path-integration models' own
 * methods (include/canns/hierarchical.h); lua/canns/models/hierarchical.lua
 * attaches them to the model objects with upstream's method names.
 *
 *   core.hpim_new(place_center, opts)   -> a HierarchicalPathIntegrationModel
 *   core.hier_postophase(m, pos)        -> (K,) for a BandCell, (K, 2) for a module
 *   core.band_stimulus(m, pos)          -> (size,)
 *   core.band_move_heading(m, shift)
 *   core.band_reset(m)                  -> zero the shifters' u
 *   core.hpim_get_input(m, phase)       -> (grid_num^2,)
 *   core.hier_method(m)                 -> "dense" | "fft"
 */
#include <math.h>
#include <string.h>

#include "canns/hierarchical.h"
#include "lua/l_models.h"

static int l_hpim_new(lua_State *L) {
  const char *fn = "HierarchicalPathIntegrationModel";
  char d[128];
  if (lua_isnoneornil(L, 1))
    return cnL_argerror(L, fn, 1, "place_center",
                        "is required (a (P, 2) array of place-field centres)");
  cn_array *pc = cnL_checkarraylike(L, 1, CN_FLOAT32, fn, 1, "place_center");
  cnL_pusharray(L, pc); /* Lua owns it */
  if (pc->ndim != 2 || pc->shape[1] != 2)
    return cnL_argerror(L, fn, 1, "place_center", "must be a (P, 2) array, got %s",
                        cnL_describe(L, 1, d, sizeof d));
  cn_param items[64];
  int n = 0;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    cnL_checkfields(L, 2, cn_hpim_keys, fn);
    for (const char *const *k = cn_hpim_keys; *k && n < 64; k++) {
      int t = lua_getfield(L, 2, *k);
      if (t == LUA_TNUMBER) {
        items[n++] = (cn_param){*k, CN_PARAM_NUMBER, lua_tonumber(L, -1), NULL};
      } else if (t == LUA_TSTRING) {
        items[n++] = (cn_param){*k, CN_PARAM_STRING, 0, lua_tostring(L, -1)};
      } else if (t != LUA_TNIL) {
        return cnL_argerror(L, fn, 2, *k, "must be a number%s, got %s",
                            strcmp(*k, "method") == 0 ? " or string" : "",
                            cnL_describe(L, -1, d, sizeof d));
      }
      lua_pop(L, 1); /* the table keeps strings alive */
    }
  }
  cn_params p = {fn, n, items};
  cn_model *m;
  cnL_check(L, cn_hpim_from_params(&p, pc, &m), fn);
  cnL_pushmodel(L, m);
  return 1;
}

static cn_model *check_class(lua_State *L, const char *fn, const char *a, const char *b) {
  cn_model *m = cnL_checkmodel(L, 1, fn, 0, "self");
  const char *c = cn_hier_class(m);
  if (!c || (strcmp(c, a) != 0 && (!b || strcmp(c, b) != 0)))
    cnL_errorf(L, "%s: self must be a %s%s%s, got a %s", fn, a, b ? " or " : "", b ? b : "",
               m->vt->name ? m->vt->name : "model");
  return m;
}

static int l_postophase(lua_State *L) {
  const char *fn = "Postophase";
  cn_model *m = check_class(L, fn, "BandCell", "HierarchicalPathIntegrationModel");
  bool band = strcmp(cn_hier_class(m), "BandCell") == 0;
  cn_array *pos = cnL_checkarraylike(L, 2, CN_FLOAT32, fn, 1, "pos");
  cnL_pusharray(L, pos);
  char d[128];
  if (pos->shape[pos->ndim - 1] != 2 || pos->ndim > 2 || pos->ndim < 1)
    return cnL_argerror(L, fn, 1, "pos", "must be (2,) or (K, 2), got %s",
                        cnL_describe(L, 2, d, sizeof d));
  int64_t K = pos->ndim == 2 ? pos->shape[0] : 1;
  cn_array *out;
  int64_t sh[2] = {K, 2};
  cnL_check(L, band ? cn_array_empty(&out, CN_FLOAT32, pos->ndim == 2 ? 1 : 0, sh)
                    : cn_array_empty(&out, CN_FLOAT32, pos->ndim == 2 ? 2 : 1,
                                     pos->ndim == 2 ? sh : sh + 1),
            fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_hier_postophase(m, cn_f32(pos), K, cn_f32(out)), fn);
  if (band && pos->ndim == 1) lua_pushnumber(L, cn_f32(out)[0]); /* one position: a number */
  return 1;
}

static void check_vec2f(lua_State *L, int idx, const char *fn, const char *name, float v[2]) {
  double q[2];
  cnL_checkvec2(L, idx, fn, idx - 1, name, q);
  v[0] = (float)q[0];
  v[1] = (float)q[1];
}

static int l_band_stimulus(lua_State *L) {
  const char *fn = "get_stimulus_by_pos";
  cn_model *m = check_class(L, fn, "BandCell", NULL);
  float pos[2];
  check_vec2f(L, 2, fn, "pos", pos);
  int64_t size = cn_model_state(m, "x")->size;
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT32, 1, &size), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_band_stimulus(m, pos, cn_f32(out)), fn);
  return 1;
}

static int l_band_move_heading(lua_State *L) {
  const char *fn = "move_heading";
  cn_model *m = check_class(L, fn, "BandCell", NULL);
  if (!lua_isinteger(L, 2)) {
    char d[128];
    return cnL_argerror(L, fn, 1, "shift", "must be an integer, got %s",
                        cnL_describe(L, 2, d, sizeof d));
  }
  cnL_check(L, cn_band_move_heading(m, lua_tointeger(L, 2)), fn);
  return 0;
}

static int l_band_reset(lua_State *L) {
  cn_model *m = check_class(L, "reset", "BandCell", NULL);
  cnL_check(L, cn_band_reset_shifters(m), "reset");
  return 0;
}

static int l_hpim_get_input(lua_State *L) {
  const char *fn = "get_input";
  cn_model *m = check_class(L, fn, "HierarchicalPathIntegrationModel", NULL);
  float ph[2];
  check_vec2f(L, 2, fn, "Phase", ph);
  if (!isfinite(ph[0]) || !isfinite(ph[1]))
    return cnL_argerror(L, fn, 1, "Phase", "must be finite, got (%g, %g)", ph[0], ph[1]);
  int64_t N = cn_model_state(m, "grid_cell.r")->size;
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT32, 1, &N), fn);
  cnL_pusharray(L, out);
  cnL_check(L, cn_hpim_get_input(m, ph, cn_f32(out)), fn);
  return 1;
}

static int l_hier_method(lua_State *L) {
  cn_model *m = cnL_checkmodel(L, 1, "method", 0, "self");
  if (!cn_hier_class(m)) return cnL_errorf(L, "method: not a hierarchical-model class");
  lua_pushstring(L, cn_hier_method_used(m) == CN_GC_FFT ? "fft" : "dense");
  return 1;
}

static const luaL_Reg functions[] = {{"hpim_new", l_hpim_new},
                                     {"hier_postophase", l_postophase},
                                     {"band_stimulus", l_band_stimulus},
                                     {"band_move_heading", l_band_move_heading},
                                     {"band_reset", l_band_reset},
                                     {"hpim_get_input", l_hpim_get_input},
                                     {"hier_method", l_hier_method},
                                     {NULL, NULL}};

void cnL_open_hierarchical(lua_State *L) { luaL_setfuncs(L, functions, 0); }
