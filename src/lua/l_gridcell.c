/* canns — Lua bindings of the grid-cell sheets' own methods
 * (include/canns/gridcell.h); lua/canns/models/grid_cell.lua attaches them
 * to the model objects with upstream's method names.
 *
 *   core.gcv_conn_mat(m)            -> (num, num) float32
 *   core.gcv_velocity_input(m, v)   -> (num,)
 *   core.gcv_heal(m, dt_healing)
 *   core.gcv_method(m)              -> "dense" | "fft"
 *   core.gcp_make_connection(m)     -> (num, num), no connection noise
 *   core.gcp_method(m)              -> "dense" | "fft"
 *   core.gcp_position2phase(m, p)   -> (2,) for p (2,), (2, K) for p (2, K)
 *   core.gcp_calculate_dist(m, d)   -> (K,) for d (K, 2), a number for (2,)
 *   core.gcp_unique_bump(m, act, p) -> center_phase, center_position, bump
 *   core.gcp_stimulus(m, p)         -> (num,)
 * position2phase, calculate_dist and unique_bump also take a
 * GridCellNetwork (the same twisted torus).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/gridcell.h"
#include "canns/theta.h"
#include "lua/l_models.h"

static cn_model *check_gcv(lua_State *L, const char *fn) {
  cn_model *m = cnL_checkmodel(L, 1, fn, 0, "self");
  if (!cn_is_gridcell_velocity(m))
    cnL_errorf(L, "%s: self must be a GridCell2DVelocity, got a %s", fn, m->vt->name);
  return m;
}

static cn_model *check_gcp(lua_State *L, const char *fn) {
  cn_model *m = cnL_checkmodel(L, 1, fn, 0, "self");
  if (!cn_is_gridcell_position(m))
    cnL_errorf(L, "%s: self must be a GridCell2DPosition, got a %s", fn, m->vt->name);
  return m;
}

/* a twisted-torus sheet: GridCell2DPosition or GridCellNetwork */
static cn_model *check_torus(lua_State *L, const char *fn) {
  cn_model *m = cnL_checkmodel(L, 1, fn, 0, "self");
  if (!cn_is_gridcell_position(m) && !cn_is_grid_cell_network(m))
    cnL_errorf(L, "%s: self must be a GridCell2DPosition or GridCellNetwork, got a %s", fn,
               m->vt->name);
  return m;
}

static void torus_position2phase(const cn_model *m, const double *pos, int64_t K, float *ph) {
  if (cn_is_gridcell_position(m)) {
    cn_gcp_position2phase(m, pos, K, ph);
    return;
  }
  for (int64_t k = 0; k < K; k++) {
    float q[2] = {(float)pos[2 * k], (float)pos[2 * k + 1]};
    cn_gcn_position2phase(m, q, 1, ph + 2 * k);
  }
}

/* A finite 2-vector from a table or array at idx (l_models.h). */
void cnL_checkvec2(lua_State *L, int idx, const char *fn, int arg, const char *name,
                   double v[2]) {
  char d[128];
  double pos[8];
  int n = cnL_checkposition(L, idx, fn, arg, pos);
  if (n != 2)
    cnL_argerror(L, fn, arg, name, "must have 2 coordinates, got %s", cnL_describe(L, idx, d, sizeof d));
  if (!isfinite(pos[0]) || !isfinite(pos[1]))
    cnL_argerror(L, fn, arg, name, "must be finite, got %s", cnL_describe(L, idx, d, sizeof d));
  v[0] = pos[0], v[1] = pos[1];
}

static int l_gcv_conn_mat(lua_State *L) {
  cn_model *m = check_gcv(L, "make_connection");
  cn_array *c;
  cnL_check(L, cn_gcv_conn_mat(m, &c), "make_connection");
  cn_array *copy;
  cn_status s = cn_array_copy(&copy, c);
  cn_array_release(c);
  cnL_check(L, s, "make_connection");
  cnL_pusharray(L, copy);
  return 1;
}

static int l_gcv_velocity_input(lua_State *L) {
  cn_model *m = check_gcv(L, "compute_velocity_input");
  double v[2];
  cnL_checkvec2(L, 2, "compute_velocity_input", 1, "velocity", v);
  cn_array *out;
  cnL_check(L, cn_gcv_velocity_input(m, v, &out), "compute_velocity_input");
  cnL_pusharray(L, out);
  return 1;
}

static int l_gcv_heal(lua_State *L) {
  cn_model *m = check_gcv(L, "heal_network");
  double dt = cnL_checknumber(L, 2, "heal_network", 2, "dt_healing");
  cn_status s = cn_gcv_heal(m, dt);
  if (s != CN_OK) return cnL_errorf(L, "%s", cn_errmsg());
  return 0;
}

static int l_gcv_method(lua_State *L) {
  cn_model *m = check_gcv(L, "method");
  lua_pushstring(L, cn_gcv_method_used(m) == CN_GC_DENSE ? "dense" : "fft");
  return 1;
}

static int l_gcp_method(lua_State *L) {
  cn_model *m = check_gcp(L, "method");
  lua_pushstring(L, cn_gcp_method_used(m) == CN_GC_DENSE ? "dense" : "fft");
  return 1;
}

static int l_gcp_make_connection(lua_State *L) {
  cn_model *m = check_gcp(L, "make_connection");
  cn_array *c;
  cnL_check(L, cn_gcp_make_connection(m, &c), "make_connection");
  cnL_pusharray(L, c);
  return 1;
}

static int l_gcp_position2phase(lua_State *L) {
  const char *fn = "position2phase";
  cn_model *m = check_torus(L, fn);
  cn_array *a = cnL_checkarraylike(L, 2, CN_FLOAT64, fn, 1, "position");
  cnL_pusharray(L, a); /* Lua owns it */
  char d[128];
  if (!((a->ndim == 1 && a->shape[0] == 2) || (a->ndim == 2 && a->shape[0] == 2)))
    return cnL_argerror(L, fn, 1, "position", "must have shape {2} or {2, K}, got %s",
                        cnL_describe(L, -1, d, sizeof d));
  int64_t K = a->ndim == 1 ? 1 : a->shape[1];
  double *pos = malloc((size_t)(2 * K + 1) * sizeof *pos);
  float *ph = malloc((size_t)(2 * K + 1) * sizeof *ph);
  cn_array *out = NULL;
  cn_status s = pos && ph ? cn_array_empty(&out, CN_FLOAT32, a->ndim, a->shape)
                          : cn_error(CN_ENOMEM, "out of memory");
  if (s == CN_OK) {
    const double *x = a->data;
    bool finite = true;
    for (int64_t k = 0; k < K; k++) {
      pos[2 * k] = x[k], pos[2 * k + 1] = x[K + k]; /* row 0: x, row 1: y */
      finite = finite && isfinite(x[k]) && isfinite(x[K + k]);
    }
    if (!finite) s = cn_error(CN_EINVAL, "argument 1 (position) must be finite");
    else {
      torus_position2phase(m, pos, K, ph);
      float *o = out->data;
      for (int64_t k = 0; k < K; k++) o[k] = ph[2 * k], o[K + k] = ph[2 * k + 1];
    }
  }
  free(pos);
  free(ph);
  if (s != CN_OK) {
    cn_array_release(out);
    return cnL_errorf(L, "%s: %s", fn, cn_errmsg());
  }
  cnL_pusharray(L, out);
  return 1;
}

static int l_gcp_calculate_dist(lua_State *L) {
  const char *fn = "calculate_dist";
  cn_model *m = check_torus(L, fn);
  cn_array *a = cnL_checkarraylike(L, 2, CN_FLOAT32, fn, 1, "d");
  cnL_pusharray(L, a);
  char d[128];
  if (a->ndim < 1 || a->shape[a->ndim - 1] != 2)
    return cnL_argerror(L, fn, 1, "d", "must have a last axis of 2, got %s",
                        cnL_describe(L, -1, d, sizeof d));
  int64_t K = a->size / 2;
  cn_array *out;
  cnL_check(L, cn_array_empty(&out, CN_FLOAT32, a->ndim - 1, a->shape), fn);
  if (cn_is_gridcell_position(m))
    cn_gcp_calculate_dist(m, a->data, K, out->data);
  else
    cn_gcn_calculate_dist(m, a->data, K, out->data);
  if (a->ndim == 1) {
    lua_pushnumber(L, cn_f32(out)[0]);
    cn_array_release(out);
  } else {
    cnL_pusharray(L, out);
  }
  return 1;
}

static int l_gcp_unique_bump(lua_State *L) {
  const char *fn = "get_unique_activity_bump";
  cn_model *m = check_torus(L, fn);
  int64_t N = cn_model_state(m, "r")->size;
  cn_array *a = cnL_checkarraylike(L, 2, CN_FLOAT32, fn, 1, "network_activity");
  cnL_pusharray(L, a);
  char d[128];
  if (a->size != N)
    return cnL_argerror(L, fn, 1, "network_activity", "must have %lld values, got %s",
                        (long long)N, cnL_describe(L, -1, d, sizeof d));
  double pos[2];
  cnL_checkvec2(L, 3, fn, 2, "animal_position", pos);
  cn_array *cp, *cpos, *bump;
  cnL_check(L, cn_array_empty(&cp, CN_FLOAT32, 1, (int64_t[]){2}), fn);
  cnL_pusharray(L, cp);
  cnL_check(L, cn_array_empty(&cpos, CN_FLOAT32, 1, (int64_t[]){2}), fn);
  cnL_pusharray(L, cpos);
  cnL_check(L, cn_array_empty(&bump, CN_FLOAT32, 1, &N), fn);
  cnL_pusharray(L, bump);
  if (cn_is_gridcell_position(m)) {
    cnL_check(L, cn_gcp_unique_bump(m, a->data, pos, cp->data, cpos->data, bump->data), fn);
  } else {
    float q[2] = {(float)pos[0], (float)pos[1]};
    cn_gcn_unique_bump(m, a->data, q, cp->data, cpos->data, bump->data);
  }
  return 3;
}

static int l_gcp_stimulus(lua_State *L) {
  const char *fn = "get_stimulus_by_pos";
  cn_model *m = check_gcp(L, fn);
  double pos[2];
  cnL_checkvec2(L, 2, fn, 1, "position", pos);
  cn_array *out;
  cnL_check(L, cn_gcp_stimulus(m, pos, &out), fn);
  cnL_pusharray(L, out);
  return 1;
}

static const luaL_Reg functions[] = {{"gcv_conn_mat", l_gcv_conn_mat},
                                     {"gcv_velocity_input", l_gcv_velocity_input},
                                     {"gcv_heal", l_gcv_heal},
                                     {"gcv_method", l_gcv_method},
                                     {"gcp_make_connection", l_gcp_make_connection},
                                     {"gcp_method", l_gcp_method},
                                     {"gcp_position2phase", l_gcp_position2phase},
                                     {"gcp_calculate_dist", l_gcp_calculate_dist},
                                     {"gcp_unique_bump", l_gcp_unique_bump},
                                     {"gcp_stimulus", l_gcp_stimulus},
                                     {NULL, NULL}};

void cnL_open_gridcell(lua_State *L) { luaL_setfuncs(L, functions, 0); }
