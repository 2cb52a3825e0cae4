/* canns — helpers shared by the spatial bindings (l_spatial.c, l_agent.c,
 * l_navigation.c). */
#ifndef CANNS_L_SPATIAL_H
#define CANNS_L_SPATIAL_H

#include "canns/spatial.h"
#include "lua/cnlua.h"

#define CNL_ENV_MT "canns.spatial.Environment"
#define CNL_AGENT_MT "canns.spatial.Agent"
#define CNL_AGENTS_MT "canns.spatial.Agents"
#define CNL_COSTGRID_MT "canns.task.MovementCostGrid"

typedef struct { cn_env *e; } lenv;

cn_env *spL_checkenv(lua_State *L, int idx, const char *fname, int arg, const char *name);
/* The movement-cost grid of a MovementCostGrid userdata at idx, or NULL. */
cn_costgrid *cnL_tocostgrid(lua_State *L, int idx);
/* A point {x, y} or a 2-element array at idx; finite.  `what` names it
 * in messages ("argument 1 (position)", "option 'init_pos'"). */
void spL_point(lua_State *L, int idx, const char *fname, const char *what, double out[2]);
/* A list of points ({{x, y}, ...} or an (n, 2) array) at idx; the
 * coordinates live in a userdata pushed on the stack (freed with it). */
double *spL_points(lua_State *L, int idx, const char *fname, const char *what, int64_t *n);
/* Push a new (n, 2) float64 array holding xy. */
void spL_pusharray2(lua_State *L, const double *xy, int64_t n);
/* Push a Lua list {x, y}. */
void spL_pushpoint(lua_State *L, double x, double y);

void cnL_open_spatial(lua_State *L);
void cnL_open_agent(lua_State *L);
void cnL_open_navigation(lua_State *L);

#endif
