/* canns — Lua bindings of the axes of a figure (see l_plot.c for the
 * figure object and the module functions):
 *
 *   ax:plot(x, y, {label = "u", color = "C0"}); ax:set_title("Title")
 *   ax:imshow(z, {cmap = "viridis"}); ax:legend(); ax:grid(true)
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/l_plot.h"

/* ------------------------------------------------------------ axes */

static int axes_gc(lua_State *L) {
  laxes *a = luaL_checkudata(L, 1, AXES_MT);
  cn_fig_release(a->fig);
  a->fig = NULL, a->ax = NULL;
  return 0;
}

static int axes_tostring(lua_State *L) {
  lua_pushfstring(L, "Axes(%p)", (void *)plotL_check_axes(L, 1));
  return 1;
}

static const char *const line_keys[] = {"color", "c", "alpha", "linewidth", "lw", "linestyle", "ls",
                                        "marker", "markersize", "ms", "markeredgewidth", "mew",
                                        "label", "zorder",
                                        "clip_on", "progressive", "rasterized", NULL};

static int ax_plot(lua_State *L) {
  lua_settop(L, 4); /* absent arguments are nil; helpers push above */
  const char *fname = "plot";
  cn_axes *ax = plotL_check_axes(L, 1);
  cnL_checkfields(L, 4, line_keys, fname);
  cn_style st;
  cn_colormap cm;
  plotL_read_style(L, 4, &st, &cm, fname);
  cn_array *x = lua_isnil(L, 2) ? NULL : plotL_arg_array(L, 2, fname, 1, "x");
  cn_array *y = plotL_arg_array(L, 3, fname, 2, "y");
  cnL_check(L, cn_axes_plot(ax, x, y, &st), fname);
  return 0;
}

static int ax_scatter(lua_State *L) {
  lua_settop(L, 4); /* absent arguments are nil; helpers push above */
  const char *fname = "scatter";
  cn_axes *ax = plotL_check_axes(L, 1);
  static const char *const keys[] = {"c", "color", "s", "marker", "cmap", "vmin", "vmax", "alpha",
                                     "linewidths", "linewidth", "lw", "edgecolors", "edgecolor",
                                     "facecolors", "facecolor", "label", "zorder", "clip_on",
                                     "rasterized", NULL};
  int o = plotL_opt_table(L, 4, fname);
  plotL_checkfields(L, o, keys, fname);
  cn_array *x = plotL_arg_array(L, 2, fname, 1, "x");
  cn_array *y = plotL_arg_array(L, 3, fname, 2, "y");
  cn_array *values = NULL, *sizes = NULL;
  /* c and s may be per-point arrays (or tables of numbers), or a colour
   * name / one area; the arrays stay on the stack while we work */
  if (o) {
    lua_getfield(L, o, "c");
    if (cnL_toarray(L, -1) || lua_istable(L, -1))
      values = plotL_arg_array(L, lua_gettop(L), fname, 3, "c");
    lua_getfield(L, o, "s");
    if (cnL_toarray(L, -1) || lua_istable(L, -1))
      sizes = plotL_arg_array(L, lua_gettop(L), fname, 3, "s");
  }
  cn_style st;
  cn_colormap cm;
  static const char *const c_only[] = {"c", NULL}, *const s_only[] = {"s", NULL},
                           *const both[] = {"c", "s", NULL};
  if (o && (values || sizes))
    plotL_read_style(L, plotL_copy_without(L, o, values && sizes ? both : values ? c_only : s_only), &st,
               &cm, fname);
  else
    plotL_read_style(L, o, &st, &cm, fname);
  if (values && st.color.a >= 0)
    luaL_error(L, "%s: give either 'c' (values) or 'color', not both", fname);
  cnL_check(L, cn_axes_scatter(ax, x, y, values, sizes, &st), fname);
  lua_pushinteger(L, cn_axes_nartists(ax));
  return 1;
}

static int ax_imshow(lua_State *L) {
  lua_settop(L, 3); /* absent arguments are nil; helpers push above */
  const char *fname = "imshow";
  cn_axes *ax = plotL_check_axes(L, 1);
  static const char *const keys[] = {"cmap", "vmin", "vmax", "origin", "extent", "interpolation",
                                     "alpha", "aspect", "zorder", "rasterized", "label", NULL};
  int o = plotL_opt_table(L, 3, fname);
  plotL_checkfields(L, o, keys, fname);
  cn_style st;
  cn_colormap cm;
  plotL_read_style(L, o, &st, &cm, fname);
  cn_array *z = plotL_arg_array(L, 2, fname, 1, "data");
  const char *aspect = o ? cnL_optfieldstring(L, o, "aspect", "equal", fname) : "equal";
  if (strcmp(aspect, "equal") != 0 && strcmp(aspect, "auto") != 0)
    luaL_error(L, "%s: option 'aspect' must be 'equal' or 'auto', got '%s'", fname, aspect);
  cnL_check(L, cn_axes_imshow(ax, z, &st), fname);
  cn_axes_set_aspect_equal(ax, strcmp(aspect, "equal") == 0);
  lua_pushinteger(L, cn_axes_nartists(ax));
  return 1;
}

static int ax_text(lua_State *L) {
  lua_settop(L, 5); /* absent arguments are nil; helpers push above */
  const char *fname = "text";
  cn_axes *ax = plotL_check_axes(L, 1);
  double x = cnL_checkfinite(L, 2, fname, 1, "x"), y = cnL_checkfinite(L, 3, fname, 2, "y");
  static const char *const keys[] = {"color", "c", "alpha", "fontsize", "fontweight", "ha",
                                     "horizontalalignment", "va", "verticalalignment",
                                     "transform", "rotation", "bbox", "zorder", NULL};
  int o = plotL_opt_table(L, 5, fname);
  plotL_checkfields(L, o, keys, fname);
  cn_style st;
  cn_colormap cm;
  plotL_read_style(L, o, &st, &cm, fname);
  st.clip = false;
  if (lua_istable(L, 4)) {
    int n;
    const char **t = plotL_frame_texts(L, 4, &n, fname);
    cnL_check(L, cn_axes_text_frames(ax, x, y, t, n, &st), fname);
  } else {
    cnL_check(L, cn_axes_text(ax, x, y, cnL_checkstring(L, 4, fname, 3, "text"), &st), fname);
  }
  return 0;
}

static int axline(lua_State *L, cn_axis which, const char *fname) {
  lua_settop(L, 3); /* absent arguments are nil; helpers push above */
  cn_axes *ax = plotL_check_axes(L, 1);
  cnL_checkfields(L, 3, line_keys, fname);
  cn_style st;
  cn_colormap cm;
  plotL_read_style(L, 3, &st, &cm, fname);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    cnL_check(L, cn_axes_axline(ax, which, cnL_checkfinite(L, 2, fname, 1, "position"), NULL, &st),
              fname);
  } else {
    cn_array *p = plotL_arg_array(L, 2, fname, 1, "position");
    cnL_check(L, cn_axes_axline(ax, which, 0, p, &st), fname);
  }
  return 0;
}

static int ax_axvline(lua_State *L) { return axline(L, CN_X, "axvline"); }
static int ax_axhline(lua_State *L) { return axline(L, CN_Y, "axhline"); }

static int ax_bar(lua_State *L) {
  lua_settop(L, 4); /* absent arguments are nil; helpers push above */
  const char *fname = "bar";
  cn_axes *ax = plotL_check_axes(L, 1);
  static const char *const keys[] = {"width", "color", "edgecolor", "linewidth", "lw", "alpha",
                                     "label", "zorder", NULL};
  int o = plotL_opt_table(L, 4, fname);
  plotL_checkfields(L, o, keys, fname);
  cn_array *x = plotL_arg_array(L, 2, fname, 1, "x");
  cn_array *h = plotL_arg_array(L, 3, fname, 2, "height");
  double width = o ? cnL_optfieldnumber(L, o, "width", 0.8, fname) : 0.8;
  cn_rgba cols[256];
  int ncol = 0;
  cn_style st;
  cn_colormap cm;
  static const char *const skip_w[] = {"width", NULL}, *const skip_wc[] = {"width", "color", NULL};
  if (o && lua_getfield(L, o, "color") == LUA_TTABLE) { /* one colour per bar */
    lua_Integer n = luaL_len(L, -1);
    if (n < 1 || n > 256) luaL_error(L, "%s: option 'color' as a list needs 1..256 colours", fname);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, -1, i);
      cols[ncol++] = plotL_check_color(L, -1, fname, "color");
      lua_pop(L, 1);
    }
    plotL_read_style(L, plotL_copy_without(L, o, skip_wc), &st, &cm, fname);
  } else {
    plotL_read_style(L, o ? plotL_copy_without(L, o, skip_w) : 0, &st, &cm, fname);
  }
  cnL_check(L, cn_axes_bar(ax, x, h, width, ncol ? cols : NULL, ncol, &st), fname);
  return 0;
}

static int ax_fill(lua_State *L) {
  lua_settop(L, 4); /* absent arguments are nil; helpers push above */
  const char *fname = "fill";
  cn_axes *ax = plotL_check_axes(L, 1);
  static const char *const keys[] = {"color", "facecolor", "edgecolor", "linewidth", "lw",
                                     "linestyle", "ls", "alpha", "label", "zorder", NULL};
  cnL_checkfields(L, 4, keys, fname);
  cn_style st;
  cn_colormap cm;
  plotL_read_style(L, 4, &st, &cm, fname);
  cn_array *x = plotL_arg_array(L, 2, fname, 1, "x");
  cn_array *y = plotL_arg_array(L, 3, fname, 2, "y");
  cnL_check(L, cn_axes_fill(ax, x, y, &st), fname);
  return 0;
}

static int ax_colorbar(lua_State *L) {
  lua_settop(L, 3); /* absent arguments are nil; helpers push above */
  const char *fname = "colorbar";
  cn_axes *ax = plotL_check_axes(L, 1);
  int artist = -1;
  if (!lua_isnoneornil(L, 2))
    artist = (int)plotL_checkint_range(L, 2, fname, 1, "mappable", 1, INT_MAX) - 1;
  static const char *const keys[] = {"label", "fontsize", NULL};
  int o = plotL_opt_table(L, 3, fname);
  plotL_checkfields(L, o, keys, fname);
  const char *label = o ? cnL_optfieldstring(L, o, "label", NULL, fname) : NULL;
  double size = o ? cnL_optfieldnumber(L, o, "fontsize", 10, fname) : 10;
  cnL_check(L, cn_axes_colorbar(ax, artist, label, size), fname);
  return 0;
}

static int ax_set_title(lua_State *L) {
  const char *fname = "set_title";
  cn_axes *ax = plotL_check_axes(L, 1);
  const char *t = cnL_checkstring(L, 2, fname, 1, "title");
  double size;
  bool bold;
  plotL_text_opts(L, plotL_opt_table(L, 3, fname), 12, &size, &bold, fname);
  cnL_check(L, cn_axes_set_title(ax, t, size, bold), fname);
  return 0;
}

static int set_label(lua_State *L, cn_axis which, const char *fname) {
  cn_axes *ax = plotL_check_axes(L, 1);
  const char *t = cnL_checkstring(L, 2, fname, 1, "label");
  double size;
  bool bold;
  plotL_text_opts(L, plotL_opt_table(L, 3, fname), 10, &size, &bold, fname);
  cnL_check(L, cn_axes_set_label(ax, which, t, size), fname);
  return 0;
}

static int ax_set_xlabel(lua_State *L) { return set_label(L, CN_X, "set_xlabel"); }
static int ax_set_ylabel(lua_State *L) { return set_label(L, CN_Y, "set_ylabel"); }

static int set_lim(lua_State *L, cn_axis which, const char *fname) {
  cn_axes *ax = plotL_check_axes(L, 1);
  double lo = lua_isnoneornil(L, 2) ? NAN : cnL_checkfinite(L, 2, fname, 1, "low");
  double hi = lua_isnoneornil(L, 3) ? NAN : cnL_checkfinite(L, 3, fname, 2, "high");
  cnL_check(L, cn_axes_set_lim(ax, which, lo, hi), fname);
  return 0;
}

static int ax_set_xlim(lua_State *L) { return set_lim(L, CN_X, "set_xlim"); }
static int ax_set_ylim(lua_State *L) { return set_lim(L, CN_Y, "set_ylim"); }

static int set_ticks(lua_State *L, cn_axis which, const char *fname) {
  lua_settop(L, 3); /* absent arguments are nil; helpers push above */
  cn_axes *ax = plotL_check_axes(L, 1);
  if (lua_isnoneornil(L, 2)) {
    cnL_check(L, cn_axes_set_ticks(ax, which, NULL, -1, NULL), fname);
    return 0;
  }
  cn_array *p = plotL_arg_array(L, 2, fname, 1, "ticks");
  if (p->size > 64)
    cnL_argerror(L, fname, 1, "ticks", "must have at most 64 positions, got %lld",
                 (long long)p->size);
  int n = (int)p->size;
  double pos[64];
  for (int i = 0; i < n; i++) pos[i] = cn_array_getd(p, i);
  const char *labels[64];
  bool have_labels = !lua_isnoneornil(L, 3);
  if (have_labels) {
    if (!lua_istable(L, 3) || luaL_len(L, 3) != n)
      cnL_argerror(L, fname, 2, "labels", "must be a list of %d strings", n);
    for (int i = 0; i < n; i++) {
      lua_geti(L, 3, i + 1);
      labels[i] = luaL_tolstring(L, -1, NULL); /* numbers become text; stays on the stack */
      lua_remove(L, -2);
    }
  }
  cnL_check(L, cn_axes_set_ticks(ax, which, pos, n, have_labels ? labels : NULL), fname);
  return 0;
}

static int ax_set_xticks(lua_State *L) { return set_ticks(L, CN_X, "set_xticks"); }
static int ax_set_yticks(lua_State *L) { return set_ticks(L, CN_Y, "set_yticks"); }

static int ax_set_locator(lua_State *L) {
  const char *fname = "set_locator";
  cn_axes *ax = plotL_check_axes(L, 1);
  const char *axis = cnL_checkstring(L, 2, fname, 1, "axis");
  if (strcmp(axis, "x") != 0 && strcmp(axis, "y") != 0)
    cnL_argerror(L, fname, 1, "axis", "must be 'x' or 'y', got '%s'", axis);
  int o = plotL_opt_table(L, 3, fname);
  static const char *const keys[] = {"nbins", "integer", NULL};
  plotL_checkfields(L, o, keys, fname);
  int nbins = (int)plotL_optint_range(L, o, "nbins", 0, 0, 60, fname);
  bool integer = o ? cnL_optfieldbool(L, o, "integer", false, fname) : false;
  cn_axes_set_locator(ax, axis[0] == 'x' ? CN_X : CN_Y, nbins, integer);
  return 0;
}

static int ax_grid(lua_State *L) {
  const char *fname = "grid";
  cn_axes *ax = plotL_check_axes(L, 1);
  bool on = lua_isnoneornil(L, 2) ? true : lua_toboolean(L, 2);
  int o = plotL_opt_table(L, 3, fname);
  static const char *const keys[] = {"axis", "color", "linestyle", "ls", "alpha", "linewidth",
                                     "lw", NULL};
  plotL_checkfields(L, o, keys, fname);
  cn_grid g;
  cn_grid_init(&g);
  const char *axis = o ? cnL_optfieldstring(L, o, "axis", "both", fname) : "both";
  if (strcmp(axis, "both") && strcmp(axis, "x") && strcmp(axis, "y"))
    luaL_error(L, "%s: option 'axis' must be 'both', 'x' or 'y', got '%s'", fname, axis);
  g.on[0] = on && strcmp(axis, "y") != 0;
  g.on[1] = on && strcmp(axis, "x") != 0;
  if (o) {
    cn_style st;
    cn_colormap cm;
    static const char *const skip[] = {"axis", NULL};
    int copy = plotL_copy_without(L, o, skip);
    plotL_read_style(L, copy, &st, &cm, fname);
    if (st.color.a >= 0) g.color = st.color;
    g.alpha = st.alpha;
    g.linestyle = st.linestyle;
    lua_getfield(L, copy, "linewidth");
    lua_getfield(L, copy, "lw");
    if (!lua_isnil(L, -1) || !lua_isnil(L, -2)) g.linewidth = st.linewidth;
    lua_pop(L, 2);
  }
  cn_axes_set_grid(ax, &g);
  return 0;
}

static int ax_legend(lua_State *L) {
  const char *fname = "legend";
  cn_axes *ax = plotL_check_axes(L, 1);
  if (lua_type(L, 2) == LUA_TBOOLEAN) {
    cn_axes_legend(ax, lua_toboolean(L, 2), 0, 10);
    return 0;
  }
  int o = plotL_opt_table(L, 2, fname);
  static const char *const keys[] = {"loc", "fontsize", NULL};
  plotL_checkfields(L, o, keys, fname);
  int loc = 0;
  const char *ls = o ? cnL_optfieldstring(L, o, "loc", "best", fname) : "best";
  if (cn_legend_loc_parse(ls, &loc) != CN_OK) luaL_error(L, "%s: %s", fname, cn_errmsg());
  double size = o ? cnL_optfieldnumber(L, o, "fontsize", 10, fname) : 10;
  if (!(size > 0 && size <= 500)) luaL_error(L, "%s: option 'fontsize' must be in (0, 500]", fname);
  cn_axes_legend(ax, true, loc, size);
  return 0;
}

static int ax_set_aspect(lua_State *L) {
  const char *fname = "set_aspect";
  cn_axes *ax = plotL_check_axes(L, 1);
  const char *a = cnL_checkstring(L, 2, fname, 1, "aspect");
  if (strcmp(a, "equal") && strcmp(a, "auto"))
    cnL_argerror(L, fname, 1, "aspect", "must be 'equal' or 'auto', got '%s'", a);
  cn_axes_set_aspect_equal(ax, strcmp(a, "equal") == 0);
  return 0;
}

static int ax_set_spines(lua_State *L) {
  const char *fname = "set_spines";
  cn_axes *ax = plotL_check_axes(L, 1);
  int o = plotL_opt_table(L, 2, fname);
  static const char *const keys[] = {"left", "bottom", "right", "top", NULL};
  plotL_checkfields(L, o, keys, fname);
  if (!o) return 0;
  cn_axes_set_spines(ax, cnL_optfieldbool(L, o, "left", true, fname),
                     cnL_optfieldbool(L, o, "bottom", true, fname),
                     cnL_optfieldbool(L, o, "right", true, fname),
                     cnL_optfieldbool(L, o, "top", true, fname));
  return 0;
}

static int ax_axis(lua_State *L) {
  const char *fname = "axis";
  cn_axes *ax = plotL_check_axes(L, 1);
  const char *m = cnL_checkstring(L, 2, fname, 1, "mode");
  if (strcmp(m, "off") == 0) cn_axes_set_axis_off(ax, true);
  else if (strcmp(m, "on") == 0) cn_axes_set_axis_off(ax, false);
  else if (strcmp(m, "equal") == 0 || strcmp(m, "scaled") == 0) cn_axes_set_aspect_equal(ax, true);
  else cnL_argerror(L, fname, 1, "mode", "must be 'on', 'off' or 'equal', got '%s'", m);
  return 0;
}

static int ax_tick_params(lua_State *L) {
  const char *fname = "tick_params";
  cn_axes *ax = plotL_check_axes(L, 1);
  int o = plotL_opt_table(L, 2, fname);
  static const char *const keys[] = {"labelsize", NULL};
  plotL_checkfields(L, o, keys, fname);
  double s = o ? cnL_optfieldnumber(L, o, "labelsize", 10, fname) : 10;
  if (!(s > 0 && s <= 500)) luaL_error(L, "%s: option 'labelsize' must be in (0, 500]", fname);
  cn_axes_set_tick_fontsize(ax, s);
  return 0;
}

static int ax_set_facecolor(lua_State *L) {
  cn_axes *ax = plotL_check_axes(L, 1);
  cn_axes_set_facecolor(ax, plotL_check_color(L, 2, "set_facecolor", "color"));
  return 0;
}

/* ax:data_to_pixel(x, y) -> px, py in the last saved/rendered image */
static int ax_data_to_pixel(lua_State *L) {
  const char *fname = "data_to_pixel";
  cn_axes *ax = plotL_check_axes(L, 1);
  double x = cnL_checkfinite(L, 2, fname, 1, "x"), y = cnL_checkfinite(L, 3, fname, 2, "y");
  double px, py;
  cnL_check(L, cn_axes_data_to_pixel(ax, x, y, &px, &py), fname);
  lua_pushnumber(L, px);
  lua_pushnumber(L, py);
  return 2;
}

/* ax:get_figure() -> the figure holding the axes (matplotlib's
 * ax.get_figure()); another handle on the same figure. */
static int ax_get_figure(lua_State *L) {
  laxes *a = luaL_checkudata(L, 1, AXES_MT);
  if (!a->fig) luaL_error(L, "get_figure: the axes are closed");
  lfig *f = lua_newuserdatauv(L, sizeof *f, 0);
  f->fig = cn_fig_retain(a->fig);
  luaL_setmetatable(L, FIG_MT);
  return 1;
}

static const luaL_Reg axes_methods[] = {
    {"plot", ax_plot},             {"scatter", ax_scatter},       {"imshow", ax_imshow},
    {"text", ax_text},             {"axvline", ax_axvline},       {"axhline", ax_axhline},
    {"bar", ax_bar},               {"fill", ax_fill},             {"colorbar", ax_colorbar},
    {"set_title", ax_set_title},   {"set_xlabel", ax_set_xlabel}, {"set_ylabel", ax_set_ylabel},
    {"set_xlim", ax_set_xlim},     {"set_ylim", ax_set_ylim},     {"set_xticks", ax_set_xticks},
    {"set_yticks", ax_set_yticks}, {"set_locator", ax_set_locator}, {"grid", ax_grid},
    {"legend", ax_legend},         {"set_aspect", ax_set_aspect}, {"set_spines", ax_set_spines},
    {"axis", ax_axis},             {"tick_params", ax_tick_params},
    {"set_facecolor", ax_set_facecolor}, {"data_to_pixel", ax_data_to_pixel},
    {"get_figure", ax_get_figure},  {NULL, NULL}};


void plotL_open_axes(lua_State *L) {
  plotL_new_class(L, AXES_MT, axes_methods, axes_gc, axes_tostring);
}
