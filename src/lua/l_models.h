/* canns — helpers shared by the model, run and task bindings (internal to
 * src/lua/l_models.c, l_run.c and l_tasks.c). */
#ifndef CANNS_L_MODELS_H
#define CANNS_L_MODELS_H

#include "canns/model.h"
#include "lua/cnlua.h"

#define CNL_MODEL_MT "canns.Model"

/* Push a model userdata that takes over the caller's reference. */
void cnL_pushmodel(lua_State *L, cn_model *m);
cn_model *cnL_tomodel(lua_State *L, int idx); /* NULL if not a model */
cn_model *cnL_checkmodel(lua_State *L, int idx, const char *fname, int arg,
                         const char *name);
/* A position for get_stimulus_by_pos: a number, a table of numbers or an
 * array; returns the number of coordinates stored in pos (<= 8). */
int cnL_checkposition(lua_State *L, int idx, const char *fname, int arg,
                      double *pos);
/* A finite 2-vector (table or array) at idx into v, or an argument error. */
void cnL_checkvec2(lua_State *L, int idx, const char *fn, int arg, const char *name, double v[2]);

void cnL_open_run(lua_State *L);
void cnL_open_tasks(lua_State *L);
void cnL_open_gridcell(lua_State *L);
void cnL_open_theta(lua_State *L);
void cnL_open_hierarchical(lua_State *L);
void cnL_open_spatial_metrics(lua_State *L);

#endif
