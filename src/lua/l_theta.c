/* canns — Lua bindings of the theta-sweep networks' own methods
 * (include/canns/theta.h); lua/canns/models/theta_sweep.lua attaches them
 * to the model objects with upstream's method names.  (position2phase,
 * calculate_dist and get_unique_activity_bump of GridCellNetwork are the
 * twisted-torus ones of l_gridcell.c.)
 *
 *   core.dcn_input_bump(m, hd)          -> (num,)
 *   core.dcn_calculate_dist(m, d)       -> like d (a number for a number)
 *   core.theta_make_connection(m)       -> (N, N), no connection noise
 *   core.gcn_method(m)                  -> "dense" | "fft"
 *   core.gcn_conj_input(m, pos, d, th)  -> (num,)
 *   core.pcn_new(distances, cost_grid, opts) -> a PlaceCellNetwork
 *   core.pcn_input_bump(m, pos)         -> (cell_num,)
 *   core.pcn_cell_index(m, pos)         -> 0-based index or -1
 */
#include <math.h>
#include <stdlib.h>

#include "canns/theta.h"
#include "lua/l_models.h"
#include "lua/l_spatial.h"

static cn_model *check_dcn(lua_State *L, const char *fn) {
  cn_model *m = cnL_checkmodel(L, 1, fn, 0, "self");
  if (!cn_is_direction_cell_network(m))
    cnL_errorf(L, "%s: self must be a DirectionCellNetwork, got a %s", fn, m->vt->name);
  return m;
}

static cn_model *check_gcn(lua_State *L, const char *fn) {
  cn_model *m = cnL_checkmodel(L, 1, fn, 0, "self");
  if (!cn_is_grid_cell_network(m))
    cnL_errorf(L, "%s: self must be a GridCellNetwork, got a %s", fn, m->vt->name);
  return m;
}

static int l_dcn_input_bump(lua_State *L) {
  cn_model *m = check_dcn(L, "input_bump");
  double hd = cnL_checknumber(L, 2, "input_bump", 1, "head_direction");
  cn_array *out;
  cnL_check(L, cn_dcn_input_bump(m, hd, &out), "input_bump");
  cnL_pusharray(L, out);
  return 1;
}

static int l_dcn_calculate_dist(lua_State *L) {
  const char *fn = "calculate_dist";
  cn_model *m = check_dcn(L, fn);
  bool scalar = lua_type(L, 2) == LUA_TNUMBER;
  cn_array *a = cnL_checkarraylike(L, 2, CN_FLOAT32, fn, 1, "d");
  cnL_pusharray(L, a);
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT32, a->ndim, a->shape), fn);
  cn_dcn_calculate_dist(m, a->data, a->size, out->data);
  if (scalar) {
    lua_pushnumber(L, cn_f32(out)[0]);
    cn_array_release(out);
  } else {
    cnL_pusharray(L, out);
  }
  return 1;
}

/* make_connection of any of the three networks */
static int l_theta_make_connection(lua_State *L) {
  cn_model *m = cnL_checkmodel(L, 1, "make_connection", 0, "self");
  cn_status (*f)(const cn_model *, cn_array **) =
      cn_is_direction_cell_network(m) ? cn_dcn_make_connection
      : cn_is_grid_cell_network(m)    ? cn_gcn_make_connection
      : cn_is_place_cell_network(m)   ? cn_pcn_make_connection
                                      : NULL;
  if (!f)
    return cnL_errorf(L, "make_connection: self must be a theta-sweep network, got a %s",
                      m->vt->name);
  cn_array *c;
  cnL_check(L, f(m, &c), "make_connection");
  cnL_pusharray(L, c);
  return 1;
}

static int l_gcn_method(lua_State *L) {
  cn_model *m = check_gcn(L, "method");
  lua_pushstring(L, cn_gcn_method_used(m) == CN_GC_DENSE ? "dense" : "fft");
  return 1;
}

static int l_gcn_conj_input(lua_State *L) {
  const char *fn = "calculate_input_from_conjgc";
  cn_model *m = check_gcn(L, fn);
  double pos[2];
  cnL_checkvec2(L, 2, fn, 1, "animal_pos", pos);
  int64_t D = cn_gcn_get_params(m)->num_dc, N = cn_model_state(m, "r")->size;
  cn_array *d = cnL_checkarraylike(L, 3, CN_FLOAT32, fn, 2, "direction_activity");
  cnL_pusharray(L, d);
  char desc[128];
  if (d->size != D)
    return cnL_argerror(L, fn, 2, "direction_activity", "must have num_dc = %lld values, got %s",
                        (long long)D, cnL_describe(L, 3, desc, sizeof desc));
  double th = cnL_checknumber(L, 4, fn, 3, "theta_modulation");
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT32, 1, &N), fn);
  cnL_pusharray(L, out);
  float q[2] = {(float)pos[0], (float)pos[1]};
  cnL_check(L, cn_gcn_conj_input(m, q, d->data, (float)th, out->data), fn);
  return 1;
}

static cn_model *check_pcn(lua_State *L, const char *fn) {
  cn_model *m = cnL_checkmodel(L, 1, fn, 0, "self");
  if (!cn_is_place_cell_network(m))
    cnL_errorf(L, "%s: self must be a PlaceCellNetwork, got a %s", fn, m->vt->name);
  return m;
}

static int l_pcn_new(lua_State *L) {
  const char *fn = "PlaceCellNetwork";
  char d[128];
  cn_array *D = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "geodesic_result.distances");
  cnL_pusharray(L, D);
  cn_costgrid *g = cnL_tocostgrid(L, 2);
  if (!g)
    return cnL_argerror(L, fn, 1, "geodesic_result.cost_grid", "must be a MovementCostGrid, got %s",
                        cnL_describe(L, 2, d, sizeof d));
  cn_pcn_params p;
  cn_pcn_params_init(&p);
  if (!lua_isnoneornil(L, 3)) {
    static const char *const keys[] = {"tau", "tau_v", "noise_strength", "k", "m", "a",
                                       "A", "J0", "g", "conn_noise", NULL};
    cnL_checkfields(L, 3, keys, fn);
    double *t[] = {&p.tau, &p.tau_v, &p.noise_strength, &p.k, &p.m, &p.a, &p.A, &p.J0, &p.g,
                   &p.conn_noise};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
      *t[i] = cnL_optfieldnumber(L, 3, keys[i], *t[i], fn);
  }
  cn_model *m;
  cnL_check(L, cn_place_cell_network_new(&m, &p, D, g), fn);
  cnL_pushmodel(L, m);
  return 1;
}

static int l_pcn_input_bump(lua_State *L) {
  cn_model *m = check_pcn(L, "input_bump");
  double pos[2];
  cnL_checkvec2(L, 2, "input_bump", 1, "animal_pos", pos);
  float q[2] = {(float)pos[0], (float)pos[1]};
  cn_array *out;
  cnL_check(L, cn_pcn_input_bump(m, q, &out), "input_bump");
  cnL_pusharray(L, out);
  return 1;
}

static int l_pcn_cell_index(lua_State *L) {
  cn_model *m = check_pcn(L, "get_geodesic_index_by_pos");
  double pos[2];
  cnL_checkvec2(L, 2, "get_geodesic_index_by_pos", 1, "pos", pos);
  float q[2] = {(float)pos[0], (float)pos[1]};
  lua_pushinteger(L, cn_pcn_cell_index(m, q));
  return 1;
}

static int l_theta_chain_new(lua_State *L) {
  const char *fn = "ThetaSweepChain";
  cn_model *dc = cnL_checkmodel(L, 1, fn, 1, "direction");
  cn_model *gc = cnL_checkmodel(L, 2, fn, 2, "grid");
  cn_model *m;
  cnL_check(L, cn_theta_chain_new(&m, dc, gc), fn);
  cnL_pushmodel(L, m);
  return 1;
}

static const luaL_Reg functions[] = {{"dcn_input_bump", l_dcn_input_bump},
                                     {"theta_chain_new", l_theta_chain_new},
                                     {"dcn_calculate_dist", l_dcn_calculate_dist},
                                     {"theta_make_connection", l_theta_make_connection},
                                     {"gcn_method", l_gcn_method},
                                     {"gcn_conj_input", l_gcn_conj_input},
                                     {"pcn_new", l_pcn_new},
                                     {"pcn_input_bump", l_pcn_input_bump},
                                     {"pcn_cell_index", l_pcn_cell_index},
                                     {NULL, NULL}};

void cnL_open_theta(lua_State *L) { luaL_setfuncs(L, functions, 0); }
