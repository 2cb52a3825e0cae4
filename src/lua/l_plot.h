/* canns — internals shared by the figure bindings (l_plot.c: helpers,
 * figures and module functions; l_plot_axes.c: axes methods). */
#ifndef CANNS_L_PLOT_H
#define CANNS_L_PLOT_H

#include "canns/plot.h"
#include "lua/cnlua.h"

#define FIG_MT "canns.plot.figure"
#define AXES_MT "canns.plot.axes"

typedef struct lfig { cn_fig *fig; } lfig;
typedef struct laxes { cn_axes *ax; cn_fig *fig; } laxes;

cn_fig *plotL_check_fig(lua_State *L, int idx);
cn_axes *plotL_check_axes(lua_State *L, int idx);
cn_array *plotL_arg_array(lua_State *L, int idx, const char *fname, int arg, const char *name);
cn_rgba plotL_check_color(lua_State *L, int idx, const char *fname, const char *key);
double plotL_field_number(lua_State *L, int idx, const char *key, double def, const char *fname, bool finite);
int plotL_get_alias(lua_State *L, int idx, const char *const *names, const char **used);
void plotL_read_style(lua_State *L, int idx, cn_style *st, cn_colormap *cm, const char *fname);
void plotL_checkfields(lua_State *L, int o, const char *const *keys, const char *fname);
int plotL_copy_without(lua_State *L, int o, const char *const *skip);
int plotL_opt_table(lua_State *L, int idx, const char *fname);
/* An integer argument (arg) or option (key of the table at o) in lo..hi,
 * checked before it is narrowed to int: "fname: argument 2 (ncols) must be
 * in 1..64, got 100000". */
int64_t plotL_checkint_range(lua_State *L, int idx, const char *fname, int arg, const char *name,
                             int64_t lo, int64_t hi);
int64_t plotL_optint_range(lua_State *L, int o, const char *key, int64_t def, int64_t lo,
                           int64_t hi, const char *fname);
/* Title/label options {fontsize (default def), fontweight = "normal" | "bold"}
 * of the table at o (0: none). */
void plotL_text_opts(lua_State *L, int o, double def, double *size, bool *bold,
                     const char *fname);
int plotL_push_pixels(lua_State *L, uint8_t *px, int w, int h, int channels);
void plotL_new_class(lua_State *L, const char *mt, const luaL_Reg *methods, lua_CFunction gc,
                     lua_CFunction tostring);
/* Per-frame texts of an animated text artist (a list of strings). */
const char **plotL_frame_texts(lua_State *L, int idx, int *n, const char *fname);
/* Register the axes class (l_plot_axes.c). */
void plotL_open_axes(lua_State *L);

#endif
