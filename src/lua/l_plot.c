/* canns — Lua bindings of the figure layer (include/canns/plot.h).
 *
 *   local fig = core.plot_figure{figsize = {10, 6}}
 *   local ax = fig:subplot(1, 1, 1)            -- 1-based like matplotlib
 *   ax:plot(x, y, {label = "u", color = "C0", linewidth = 1.5})
 *   local im = ax:imshow(z, {cmap = "viridis", origin = "lower"})
 *   ax:colorbar(im, {label = "Value"})
 *   ax:set_title("Title", {fontsize = 16, fontweight = "bold"})
 *   fig:savefig("out/fig.png", {dpi = 300, bbox_inches = "tight"})
 *   fig:animate("out/anim.gif", steps, {fps = 30})   -- steps: 1-based rows
 *
 * Option names follow matplotlib's keyword arguments (with its short
 * aliases lw, ls, ms, c, s); an unknown option is an error.  Data
 * arguments are canns arrays or (nested) tables of numbers; an artist keeps
 * a reference to the array, not a copy.  Animated artists take data with
 * a leading time axis and draw row steps[f] in frame f.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/l_plot.h"

/* ------------------------------------------------------------ helpers */

cn_fig *plotL_check_fig(lua_State *L, int idx) {
  lfig *f = luaL_checkudata(L, idx, FIG_MT);
  if (!f->fig) luaL_error(L, "figure has been closed");
  return f->fig;
}

cn_axes *plotL_check_axes(lua_State *L, int idx) {
  laxes *a = luaL_checkudata(L, idx, AXES_MT);
  if (!a->ax) luaL_error(L, "the axes have been freed (used from a finalizer that ran after their own)");
  return a->ax;
}

/* An array argument: a canns array (used as is) or a table of numbers
 * (converted; the new array is left on the stack so the GC owns it). */
cn_array *plotL_arg_array(lua_State *L, int idx, const char *fname, int arg,
                           const char *name) {
  cn_array *a = cnL_toarray(L, idx);
  if (a) {
    if (a->dtype >= CN_NDTYPES)
      cnL_argerror(L, fname, arg, name, "must be a numeric array");
    return a;
  }
  if (!lua_istable(L, idx)) {
    char d[128];
    cnL_argerror(L, fname, arg, name, "must be an array or a table of numbers, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  }
  a = cnL_checkarraylike(L, idx, CN_FLOAT64, fname, arg, name);
  cnL_pusharray(L, a);
  return a;
}

cn_rgba plotL_check_color(lua_State *L, int idx, const char *fname, const char *key) {
  cn_rgba c;
  char d[128];
  if (lua_type(L, idx) == LUA_TSTRING) {
    if (cn_color_parse(lua_tostring(L, idx), &c) != CN_OK)
      luaL_error(L, "%s: option '%s': %s", fname, key, cn_errmsg());
    return c;
  }
  if (lua_istable(L, idx)) {
    double v[4] = {0, 0, 0, 1};
    lua_Integer n = luaL_len(L, idx);
    if (n == 3 || n == 4) {
      bool ok = true;
      for (int i = 0; i < n; i++) {
        lua_geti(L, idx, i + 1);
        if (lua_type(L, -1) != LUA_TNUMBER) ok = false;
        else v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
        if (!(v[i] >= 0 && v[i] <= 1)) ok = false;
      }
      if (ok) return (cn_rgba){v[0], v[1], v[2], v[3]};
    }
  }
  return luaL_error(L, "%s: option '%s' must be a colour (a name such as 'black' or "
                    "'tab:blue', 'C0', '#rrggbb', or {r, g, b[, a]} in [0, 1]), got %s",
                    fname, key, cnL_describe(L, idx, d, sizeof d)),
         c;
}

double plotL_field_number(lua_State *L, int idx, const char *key, double def,
                           const char *fname, bool finite) {
  double v = cnL_optfieldnumber(L, idx, key, def, fname);
  if (finite && !isnan(def) && !isfinite(v))
    cnL_errorf(L, "%s: option '%s' must be a finite number, got %g", fname, key,
               isnan(v) ? fabs(v) : v); /* nan, not -nan */
  return v;
}

/* A field that may be spelt several ways (matplotlib aliases). */
int plotL_get_alias(lua_State *L, int idx, const char *const *names, const char **used) {
  for (int i = 0; names[i]; i++) {
    if (lua_getfield(L, idx, names[i]) != LUA_TNIL) {
      *used = names[i];
      return 1;
    }
    lua_pop(L, 1);
  }
  return 0;
}

static const char *const style_keys[] = {
    "color", "c", "facecolor", "facecolors", "edgecolor", "edgecolors", "alpha",
    "linewidth", "linewidths", "lw", "linestyle", "ls", "marker", "markersize", "ms", "s",
    "markeredgewidth", "mew", "cmap", "vmin", "vmax", "extent", "origin", "interpolation", "aspect", "fontsize",
    "fontweight", "ha", "horizontalalignment", "va", "verticalalignment", "transform",
    "rotation", "bbox", "label", "zorder", "clip_on", "progressive", "rasterized", NULL};

/* Read matplotlib-style drawing options from the table at idx.  The
 * colour map (if any) goes to *cm, which st->cmap then points to. */
void plotL_read_style(lua_State *L, int idx, cn_style *st, cn_colormap *cm,
                       const char *fname) {
  cn_style_init(st);
  if (idx == 0 || lua_isnoneornil(L, idx)) return;
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) {
    char d[128];
    luaL_error(L, "%s: options must be a table, got %s", fname,
               cnL_describe(L, idx, d, sizeof d));
  }
  cnL_checkfields(L, idx, style_keys, fname);
  const char *used;
  static const char *const color_k[] = {"color", "c", NULL};
  static const char *const face_k[] = {"facecolor", "facecolors", NULL};
  static const char *const edge_k[] = {"edgecolor", "edgecolors", NULL};
  static const char *const lw_k[] = {"linewidth", "linewidths", "lw", NULL};
  static const char *const ls_k[] = {"linestyle", "ls", NULL};
  static const char *const ms_k[] = {"markersize", "ms", "s", NULL};
  static const char *const ha_k[] = {"ha", "horizontalalignment", NULL};
  static const char *const va_k[] = {"va", "verticalalignment", NULL};
  if (plotL_get_alias(L, idx, color_k, &used)) st->color = plotL_check_color(L, -1, fname, used), lua_pop(L, 1);
  if (plotL_get_alias(L, idx, face_k, &used)) st->facecolor = plotL_check_color(L, -1, fname, used), lua_pop(L, 1);
  if (plotL_get_alias(L, idx, edge_k, &used)) {
    if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "face") == 0)
      st->edgecolor = (cn_rgba){0, 0, 0, -1};
    else
      st->edgecolor = plotL_check_color(L, -1, fname, used);
    lua_pop(L, 1);
  }
  st->alpha = plotL_field_number(L, idx, "alpha", 1.0, fname, true);
  if (!(st->alpha >= 0 && st->alpha <= 1))
    cnL_errorf(L, "%s: option 'alpha' must be in [0, 1], got %g", fname, st->alpha);
  if (plotL_get_alias(L, idx, lw_k, &used)) {
    if (lua_type(L, -1) != LUA_TNUMBER || !(lua_tonumber(L, -1) >= 0) ||
        !isfinite(lua_tonumber(L, -1)))
      luaL_error(L, "%s: option '%s' must be a non-negative number", fname, used);
    st->linewidth = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  if (plotL_get_alias(L, idx, ls_k, &used)) {
    if (lua_type(L, -1) != LUA_TSTRING || cn_linestyle_parse(lua_tostring(L, -1), &st->linestyle))
      luaL_error(L, "%s: option '%s': %s", fname, used,
                 lua_type(L, -1) == LUA_TSTRING ? cn_errmsg() : "must be a string");
    lua_pop(L, 1);
  }
  const char *mk = cnL_optfieldstring(L, idx, "marker", NULL, fname);
  if (mk && cn_marker_parse(mk, &st->marker) != CN_OK)
    luaL_error(L, "%s: option 'marker': %s", fname, cn_errmsg());
  if (plotL_get_alias(L, idx, ms_k, &used)) {
    if (lua_type(L, -1) == LUA_TNUMBER) {
      st->markersize = lua_tonumber(L, -1);
      if (!(st->markersize >= 0) || !isfinite(st->markersize))
        luaL_error(L, "%s: option '%s' must be a non-negative number", fname, used);
    } else if (!cnL_toarray(L, -1)) {
      luaL_error(L, "%s: option '%s' must be a number", fname, used);
    }
    lua_pop(L, 1);
  }
  static const char *const mew_k[] = {"markeredgewidth", "mew", NULL};
  if (plotL_get_alias(L, idx, mew_k, &used)) {
    if (lua_type(L, -1) != LUA_TNUMBER || !(lua_tonumber(L, -1) >= 0) ||
        !isfinite(lua_tonumber(L, -1)))
      luaL_error(L, "%s: option '%s' must be a non-negative number", fname, used);
    st->markeredgewidth = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  if (lua_getfield(L, idx, "cmap") != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TSTRING) {
      if (cn_colormap_get(cm, lua_tostring(L, -1)) != CN_OK)
        luaL_error(L, "%s: option 'cmap': %s", fname, cn_errmsg());
    } else if (lua_istable(L, -1)) { /* a list of colours: a listed map */
      lua_Integer n = luaL_len(L, -1);
      if (n < 1 || n > CN_CMAP_MAX)
        luaL_error(L, "%s: option 'cmap' as a colour list needs 1..%d colours, got %d",
                   fname, CN_CMAP_MAX, (int)n);
      cn_rgba cols[CN_CMAP_MAX];
      for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        cols[i - 1] = plotL_check_color(L, -1, fname, "cmap");
        lua_pop(L, 1);
      }
      cn_colormap_listed(cm, cols, (int)n);
    } else {
      luaL_error(L, "%s: option 'cmap' must be a colour-map name or a list of colours", fname);
    }
    st->cmap = cm;
  }
  lua_pop(L, 1);
  st->vmin = plotL_field_number(L, idx, "vmin", NAN, fname, false);
  st->vmax = plotL_field_number(L, idx, "vmax", NAN, fname, false);
  if (isinf(st->vmin) || isinf(st->vmax))
    luaL_error(L, "%s: options 'vmin'/'vmax' must be finite", fname);
  if (!isnan(st->vmin) && !isnan(st->vmax) && st->vmin > st->vmax)
    cnL_errorf(L, "%s: vmin (%g) must not exceed vmax (%g)", fname, st->vmin, st->vmax);
  if (lua_getfield(L, idx, "extent") != LUA_TNIL) {
    if (!lua_istable(L, -1) || luaL_len(L, -1) != 4)
      luaL_error(L, "%s: option 'extent' must be {left, right, bottom, top}", fname);
    for (int i = 0; i < 4; i++) {
      lua_geti(L, -1, i + 1);
      if (lua_type(L, -1) != LUA_TNUMBER || !isfinite(lua_tonumber(L, -1)))
        luaL_error(L, "%s: option 'extent' must hold four finite numbers", fname);
      st->extent[i] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  const char *origin = cnL_optfieldstring(L, idx, "origin", "upper", fname);
  if (strcmp(origin, "upper") == 0) st->origin_upper = true;
  else if (strcmp(origin, "lower") == 0) st->origin_upper = false;
  else luaL_error(L, "%s: option 'origin' must be 'upper' or 'lower', got '%s'", fname, origin);
  const char *interp = cnL_optfieldstring(L, idx, "interpolation", "nearest", fname);
  if (strcmp(interp, "nearest") == 0 || strcmp(interp, "none") == 0 ||
      strcmp(interp, "antialiased") == 0)
    st->interpolate = false;
  else if (strcmp(interp, "bilinear") == 0 || strcmp(interp, "bicubic") == 0 ||
           strcmp(interp, "gaussian") == 0)
    st->interpolate = true;
  else
    luaL_error(L, "%s: option 'interpolation' must be 'nearest', 'none' or 'bilinear', got '%s'",
               fname, interp);
  st->fontsize = plotL_field_number(L, idx, "fontsize", 10.0, fname, true);
  if (!(st->fontsize > 0 && st->fontsize <= 500))
    cnL_errorf(L, "%s: option 'fontsize' must be in (0, 500], got %g", fname, st->fontsize);
  const char *weight = cnL_optfieldstring(L, idx, "fontweight", "normal", fname);
  st->bold = strcmp(weight, "bold") == 0 || strcmp(weight, "heavy") == 0;
  if (!st->bold && strcmp(weight, "normal") != 0)
    luaL_error(L, "%s: option 'fontweight' must be 'normal' or 'bold', got '%s'", fname, weight);
  if (plotL_get_alias(L, idx, ha_k, &used)) {
    const char *s = lua_tostring(L, -1);
    if (!s) luaL_error(L, "%s: option '%s' must be a string", fname, used);
    if (strcmp(s, "left") == 0) st->ha = CN_ALIGN_LEFT;
    else if (strcmp(s, "center") == 0 || strcmp(s, "centre") == 0) st->ha = CN_ALIGN_CENTER;
    else if (strcmp(s, "right") == 0) st->ha = CN_ALIGN_RIGHT;
    else luaL_error(L, "%s: option '%s' must be 'left', 'center' or 'right', got '%s'", fname, used, s);
    lua_pop(L, 1);
  }
  if (plotL_get_alias(L, idx, va_k, &used)) {
    const char *s = lua_tostring(L, -1);
    if (!s) luaL_error(L, "%s: option '%s' must be a string", fname, used);
    if (strcmp(s, "top") == 0) st->va = CN_ALIGN_TOP;
    else if (strcmp(s, "center") == 0 || strcmp(s, "center_baseline") == 0) st->va = CN_ALIGN_CENTER;
    else if (strcmp(s, "bottom") == 0) st->va = CN_ALIGN_BOTTOM;
    else if (strcmp(s, "baseline") == 0) st->va = CN_ALIGN_BASELINE;
    else luaL_error(L, "%s: option '%s' must be 'top', 'center', 'bottom' or 'baseline', got '%s'",
                    fname, used, s);
    lua_pop(L, 1);
  }
  const char *tr = cnL_optfieldstring(L, idx, "transform", "data", fname);
  if (strcmp(tr, "data") == 0) st->coords = CN_COORDS_DATA;
  else if (strcmp(tr, "axes") == 0) st->coords = CN_COORDS_AXES;
  else if (strcmp(tr, "figure") == 0) st->coords = CN_COORDS_FIGURE;
  else luaL_error(L, "%s: option 'transform' must be 'data', 'axes' or 'figure', got '%s'", fname, tr);
  st->rotation = plotL_field_number(L, idx, "rotation", 0, fname, true);
  if (lua_getfield(L, idx, "bbox") != LUA_TNIL) {
    if (!lua_istable(L, -1)) luaL_error(L, "%s: option 'bbox' must be a table", fname);
    int b = lua_absindex(L, -1);
    static const char *const bkeys[] = {"facecolor", "edgecolor", "alpha", "pad", "boxstyle", NULL};
    cnL_checkfields(L, b, bkeys, fname);
    double alpha = plotL_field_number(L, b, "alpha", 1.0, fname, true);
    if (!(alpha >= 0 && alpha <= 1)) luaL_error(L, "%s: bbox alpha must be in [0, 1]", fname);
    st->boxface = (cn_rgba){1, 1, 1, 1};
    st->boxedge = (cn_rgba){0, 0, 0, 1};
    if (lua_getfield(L, b, "facecolor") != LUA_TNIL) st->boxface = plotL_check_color(L, -1, fname, "bbox.facecolor");
    lua_pop(L, 1);
    if (lua_getfield(L, b, "edgecolor") != LUA_TNIL) st->boxedge = plotL_check_color(L, -1, fname, "bbox.edgecolor");
    lua_pop(L, 1);
    st->boxface.a *= alpha, st->boxedge.a *= alpha;
    st->boxpad = plotL_field_number(L, b, "pad", 0.3, fname, true);
    if (!(st->boxpad >= 0 && st->boxpad <= 20)) luaL_error(L, "%s: bbox pad must be in [0, 20]", fname);
  }
  lua_pop(L, 1);
  st->label = cnL_optfieldstring(L, idx, "label", NULL, fname);
  st->zorder = plotL_field_number(L, idx, "zorder", NAN, fname, false);
  st->clip = cnL_optfieldbool(L, idx, "clip_on", true, fname);
  st->progressive = cnL_optfieldbool(L, idx, "progressive", false, fname);
}

/* cnL_checkfields for an options index that is 0 when absent. */
void plotL_checkfields(lua_State *L, int o, const char *const *keys, const char *fname) {
  if (o) cnL_checkfields(L, o, keys, fname);
}

/* Push a shallow copy of the options table at o without the keys in
 * skip (NULL-terminated); returns its stack index. */
int plotL_copy_without(lua_State *L, int o, const char *const *skip) {
  lua_newtable(L);
  int copy = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, o)) {
    bool drop = false;
    if (lua_type(L, -2) == LUA_TSTRING)
      for (int i = 0; skip[i]; i++)
        if (strcmp(lua_tostring(L, -2), skip[i]) == 0) drop = true;
    if (drop) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_settable(L, copy);
  }
  return copy;
}

int64_t plotL_checkint_range(lua_State *L, int idx, const char *fname, int arg, const char *name,
                             int64_t lo, int64_t hi) {
  return cnL_checkrange(L, idx, fname, arg, name, lo, hi);
}

int64_t plotL_optint_range(lua_State *L, int o, const char *key, int64_t def, int64_t lo,
                           int64_t hi, const char *fname) {
  return o ? cnL_optfieldrange(L, o, key, def, lo, hi, fname) : def;
}

/* Options that must be a table or nil. */
int plotL_opt_table(lua_State *L, int idx, const char *fname) {
  if (lua_isnoneornil(L, idx)) return 0;
  if (!lua_istable(L, idx)) {
    char d[128];
    cnL_argerror(L, fname, idx, "options", "must be a table, got %s",
                 cnL_describe(L, idx, d, sizeof d));
  }
  return lua_absindex(L, idx);
}

/* Push width, height and the w x h x channels pixel bytes as a string,
 * then free the pixels; returns 3 (the number of results). */
int plotL_push_pixels(lua_State *L, uint8_t *px, int w, int h, int channels) {
  lua_pushinteger(L, w);
  lua_pushinteger(L, h);
  lua_pushlstring(L, (const char *)px, (size_t)w * h * channels);
  free(px);
  return 3;
}

/* ------------------------------------------------------------ figure */

static int l_figure(lua_State *L) {
  const char *fname = "figure";
  static const char *const keys[] = {"figsize", "facecolor", NULL};
  int o = plotL_opt_table(L, 1, fname);
  double w = 6.4, h = 4.8;
  if (o) {
    plotL_checkfields(L, o, keys, fname);
    if (lua_getfield(L, o, "figsize") != LUA_TNIL) {
      if (!lua_istable(L, -1) || luaL_len(L, -1) != 2)
        luaL_error(L, "%s: option 'figsize' must be {width, height} in inches", fname);
      lua_geti(L, -1, 1), lua_geti(L, -2, 2);
      if (lua_type(L, -2) != LUA_TNUMBER || lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "%s: option 'figsize' must be {width, height} in inches", fname);
      w = lua_tonumber(L, -2), h = lua_tonumber(L, -1);
      lua_pop(L, 2);
    }
    lua_pop(L, 1);
  }
  lfig *f = lua_newuserdatauv(L, sizeof *f, 0);
  f->fig = NULL;
  luaL_setmetatable(L, FIG_MT);
  cnL_check(L, cn_fig_new(&f->fig, w, h), fname);
  return 1;
}

/* fig:close() and __gc: drop the figure (closing twice is harmless). */
static int fig_close(lua_State *L) {
  lfig *f = luaL_checkudata(L, 1, FIG_MT);
  cn_fig_release(f->fig);
  f->fig = NULL;
  return 0;
}

static int fig_tostring(lua_State *L) {
  lfig *f = luaL_checkudata(L, 1, FIG_MT);
  lua_pushfstring(L, f->fig ? "Figure(%p)" : "Figure(closed)", (void *)f->fig);
  return 1;
}

static void push_axes(lua_State *L, cn_axes *ax, cn_fig *fig) {
  laxes *a = lua_newuserdatauv(L, sizeof *a, 0);
  a->ax = ax;
  a->fig = cn_fig_retain(fig);
  luaL_setmetatable(L, AXES_MT);
}

static int fig_subplot(lua_State *L) {
  lua_settop(L, 5); /* absent arguments are nil; helpers push above */
  const char *fname = "subplot";
  cn_fig *fig = plotL_check_fig(L, 1);
  int nr = (int)plotL_checkint_range(L, 2, fname, 1, "nrows", 1, 64);
  int nc = (int)plotL_checkint_range(L, 3, fname, 2, "ncols", 1, 64);
  int64_t index = cnL_checkint(L, 4, fname, 3, "index");
  bool polar = false;
  int o = plotL_opt_table(L, 5, fname);
  if (o) {
    static const char *const keys[] = {"polar", "projection", NULL};
    plotL_checkfields(L, o, keys, fname);
    polar = cnL_optfieldbool(L, o, "polar", false, fname);
    const char *proj = cnL_optfieldstring(L, o, "projection", NULL, fname);
    if (proj && strcmp(proj, "polar") == 0) polar = true;
    else if (proj && strcmp(proj, "rectilinear") != 0)
      luaL_error(L, "%s: option 'projection' must be 'polar' or 'rectilinear'", fname);
  }
  if (index < 1 || index > nr * nc)
    cnL_argerror(L, fname, 3, "index", "must be in 1..%d, got %lld", nr * nc, (long long)index);
  cn_axes *ax;
  cnL_check(L, polar ? cn_fig_add_polar(fig, nr, nc, (int)index - 1, &ax)
                     : cn_fig_add_subplot(fig, nr, nc, (int)index - 1, &ax),
            fname);
  push_axes(L, ax, fig);
  return 1;
}

void plotL_text_opts(lua_State *L, int o, double def, double *size, bool *bold,
                     const char *fname) {
  static const char *const keys[] = {"fontsize", "fontweight", NULL};
  plotL_checkfields(L, o, keys, fname);
  *size = o ? cnL_optfieldnumber(L, o, "fontsize", def, fname) : def;
  const char *w = o ? cnL_optfieldstring(L, o, "fontweight", "normal", fname) : "normal";
  *bold = strcmp(w, "bold") == 0;
  if (!*bold && strcmp(w, "normal") != 0)
    luaL_error(L, "%s: option 'fontweight' must be 'normal' or 'bold', got '%s'", fname, w);
}

static int fig_suptitle(lua_State *L) {
  const char *fname = "suptitle";
  cn_fig *fig = plotL_check_fig(L, 1);
  const char *t = cnL_checkstring(L, 2, fname, 1, "text");
  double size;
  bool bold;
  plotL_text_opts(L, plotL_opt_table(L, 3, fname), 12, &size, &bold, fname);
  cnL_check(L, cn_fig_suptitle(fig, t, size, bold), fname);
  return 0;
}

/* Per-frame texts from a table of strings at idx (pointers stay valid
 * while the table is on the stack). */
const char **plotL_frame_texts(lua_State *L, int idx, int *n, const char *fname) {
  lua_Integer len = luaL_len(L, idx);
  if (len < 1 || len > 10000000) luaL_error(L, "%s: per-frame texts must be a non-empty list", fname);
  const char **t = lua_newuserdatauv(L, (size_t)len * sizeof *t, 0);
  for (lua_Integer i = 1; i <= len; i++) {
    lua_geti(L, idx, i);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "%s: per-frame text %d must be a string", fname, (int)i);
    t[i - 1] = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays referenced by the table */
  }
  *n = (int)len;
  return t;
}

static int fig_text(lua_State *L) {
  lua_settop(L, 5); /* absent arguments are nil; helpers push above */
  const char *fname = "text";
  cn_fig *fig = plotL_check_fig(L, 1);
  double x = cnL_checkfinite(L, 2, fname, 1, "x"), y = cnL_checkfinite(L, 3, fname, 2, "y");
  cn_style st;
  cn_colormap cm;
  plotL_read_style(L, 5, &st, &cm, fname);
  if (lua_istable(L, 4)) {
    int n;
    const char **t = plotL_frame_texts(L, 4, &n, fname);
    cnL_check(L, cn_fig_text(fig, x, y, NULL, t, n, &st), fname);
  } else {
    cnL_check(L, cn_fig_text(fig, x, y, cnL_checkstring(L, 4, fname, 3, "text"), NULL, 0, &st), fname);
  }
  return 0;
}

static void read_render_opts(lua_State *L, int o, cn_render_opts *ro, const char *fname) {
  cn_render_opts_init(ro);
  if (!o) return;
  static const char *const keys[] = {"dpi", "bbox_inches", "pad_inches", "format", "step",
                                     "frame", NULL};
  plotL_checkfields(L, o, keys, fname);
  ro->dpi = cnL_optfieldnumber(L, o, "dpi", 100, fname);
  if (lua_getfield(L, o, "bbox_inches") != LUA_TNIL) {
    const char *b = lua_tostring(L, -1);
    if (lua_type(L, -1) == LUA_TBOOLEAN) ro->tight = lua_toboolean(L, -1);
    else if (b && strcmp(b, "tight") == 0) ro->tight = true;
    else luaL_error(L, "%s: option 'bbox_inches' must be 'tight' or nil", fname);
  } else {
    ro->tight = false;
  }
  lua_pop(L, 1);
  ro->pad_inches = cnL_optfieldnumber(L, o, "pad_inches", 0.1, fname);
  ro->format = cnL_optfieldstring(L, o, "format", NULL, fname);
  ro->step = plotL_optint_range(L, o, "step", 1, 1, INT64_MAX, fname) - 1;
  ro->frame = (int)plotL_optint_range(L, o, "frame", 1, 1, INT_MAX, fname) - 1;
}

static int fig_savefig(lua_State *L) {
  lua_settop(L, 3); /* absent arguments are nil; helpers push above */
  const char *fname = "savefig";
  cn_fig *fig = plotL_check_fig(L, 1);
  const char *path = cnL_checkstring(L, 2, fname, 1, "path");
  cn_render_opts ro;
  read_render_opts(L, plotL_opt_table(L, 3, fname), &ro, fname);
  cnL_check(L, cn_fig_save(fig, path, &ro), fname);
  return 0;
}

/* fig:render{dpi, bbox_inches, step, frame} -> width, height, rgb string */
static int fig_render(lua_State *L) {
  lua_settop(L, 2); /* absent arguments are nil; helpers push above */
  const char *fname = "render";
  cn_fig *fig = plotL_check_fig(L, 1);
  cn_render_opts ro;
  read_render_opts(L, plotL_opt_table(L, 2, fname), &ro, fname);
  uint8_t *rgb;
  int w, h;
  cnL_check(L, cn_fig_render_rgb(fig, &ro, &rgb, &w, &h), fname);
  return plotL_push_pixels(L, rgb, w, h, 3);
}

static int fig_animate(lua_State *L) {
  lua_settop(L, 4); /* absent arguments are nil; helpers push above */
  const char *fname = "animate";
  cn_fig *fig = plotL_check_fig(L, 1);
  const char *path = cnL_checkstring(L, 2, fname, 1, "path");
  int64_t n = 0;
  int64_t *steps = NULL;
  cn_array *sa = cnL_toarray(L, 3);
  if (sa) {
    if (sa->ndim != 1) cnL_argerror(L, fname, 2, "steps", "must be a 1-d array of rows");
    n = sa->size;
  } else if (lua_istable(L, 3)) {
    n = luaL_len(L, 3);
  } else {
    char d[128];
    cnL_argerror(L, fname, 2, "steps", "must be a list of time-step rows (1-based), got %s",
                 cnL_describe(L, 3, d, sizeof d));
  }
  if (n < 1) cnL_argerror(L, fname, 2, "steps", "must not be empty (an animation needs frames)");
  if (n > 10000000) cnL_argerror(L, fname, 2, "steps", "has too many frames (%lld)", (long long)n);
  steps = lua_newuserdatauv(L, (size_t)n * sizeof *steps, 0);
  for (int64_t i = 0; i < n; i++) {
    double v;
    if (sa) v = cn_array_getd(sa, i);
    else {
      lua_geti(L, 3, i + 1);
      if (lua_type(L, -1) != LUA_TNUMBER)
        cnL_argerror(L, fname, 2, "steps", "entry %lld must be a number", (long long)i + 1);
      v = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    if (!(v >= 1) || v != floor(v) || v > 9e15)
      cnL_argerror(L, fname, 2, "steps", "entry %lld must be a positive integer row, got %g",
                   (long long)i + 1, v);
    steps[i] = (int64_t)v - 1;
  }
  cn_anim_opts ao;
  cn_anim_opts_init(&ao);
  int o = plotL_opt_table(L, 4, fname);
  if (o) {
    static const char *const keys[] = {"fps", "dpi", "workers", "progress", "format", "loop",
                                       "label", NULL};
    plotL_checkfields(L, o, keys, fname);
    ao.fps = cnL_optfieldnumber(L, o, "fps", 30, fname);
    ao.dpi = cnL_optfieldnumber(L, o, "dpi", 150, fname);
    ao.nthreads = (int)plotL_optint_range(L, o, "workers", 0, 0, 4096, fname);
    ao.progress = cnL_optfieldbool(L, o, "progress", true, fname);
    ao.format = cnL_optfieldstring(L, o, "format", NULL, fname);
    ao.label = cnL_optfieldstring(L, o, "label", NULL, fname);
    if (lua_getfield(L, o, "loop") != LUA_TNIL) {
      if (lua_type(L, -1) == LUA_TBOOLEAN) ao.loop = lua_toboolean(L, -1) ? 0 : -1;
      else ao.loop = (int)plotL_optint_range(L, o, "loop", 0, -1, 65535, fname);
    }
    lua_pop(L, 1);
  }
  cnL_check(L, cn_fig_animate(fig, path, steps, (int)n, &ao), fname);
  return 0;
}

/* ------------------------------------------------------------ misc */

static int l_read_png(lua_State *L) {
  const char *fname = "read_png";
  const char *path = cnL_checkstring(L, 1, fname, 1, "path");
  uint8_t *rgba;
  int w, h;
  cnL_check(L, cn_png_read(path, &rgba, &w, &h), fname);
  return plotL_push_pixels(L, rgba, w, h, 4);
}

static int l_gif_info(lua_State *L) {
  const char *fname = "gif_info";
  const char *path = cnL_checkstring(L, 1, fname, 1, "path");
  cn_gif_info info;
  cnL_check(L, cn_gif_read_info(path, &info), fname);
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, info.width), lua_setfield(L, -2, "width");
  lua_pushinteger(L, info.height), lua_setfield(L, -2, "height");
  lua_pushinteger(L, info.nframes), lua_setfield(L, -2, "frames");
  lua_pushinteger(L, info.loop), lua_setfield(L, -2, "loop");
  lua_createtable(L, info.nframes < 64 ? info.nframes : 64, 0);
  for (int i = 0; i < info.nframes && i < 64; i++)
    lua_pushinteger(L, info.delays_cs[i]), lua_rawseti(L, -2, i + 1);
  lua_setfield(L, -2, "delays");
  return 1;
}

static int l_gif_frame(lua_State *L) {
  const char *fname = "gif_frame";
  const char *path = cnL_checkstring(L, 1, fname, 1, "path");
  int i = (int)plotL_checkint_range(L, 2, fname, 2, "frame", 1, INT_MAX);
  uint8_t *rgb;
  int w, h;
  cnL_check(L, cn_gif_read_frame(path, i - 1, &rgb, &w, &h), fname);
  return plotL_push_pixels(L, rgb, w, h, 3);
}

/* core.plot_nonzero(a) -> rows, cols (0-based float64) of the non-zero
 * entries of a 2-d array, in row-major order (numpy's where). */
static int l_nonzero(lua_State *L) {
  lua_settop(L, 1); /* absent arguments are nil; helpers push above */
  const char *fname = "plot_nonzero";
  cn_array *a = plotL_arg_array(L, 1, fname, 1, "a");
  if (a->ndim != 2) cnL_argerror(L, fname, 1, "a", "must be a 2-d array");
  int64_t n = 0, cols = a->shape[1];
  for (int64_t i = 0; i < a->size; i++)
    if (cn_array_getd(a, i) != 0) n++;
  cn_array *r, *c;
  cnL_check(L, cn_array_new1(&r, CN_FLOAT64, n), fname);
  cnL_pusharray(L, r);
  cnL_check(L, cn_array_new1(&c, CN_FLOAT64, n), fname);
  cnL_pusharray(L, c);
  int64_t k = 0;
  for (int64_t i = 0; i < a->size; i++)
    if (cn_array_getd(a, i) != 0) {
      cn_f64(r)[k] = (double)(i / cols), cn_f64(c)[k] = (double)(i % cols);
      k++;
    }
  return 2;
}

static int l_video_available(lua_State *L) {
  lua_pushboolean(L, cn_video_available());
  return 1;
}

static int l_colormap(lua_State *L) {
  const char *fname = "colormap";
  const char *name = cnL_checkstring(L, 1, fname, 1, "name");
  cn_colormap cm;
  cnL_check(L, cn_colormap_get(&cm, name), fname);
  lua_createtable(L, cm.n, 0);
  for (int i = 0; i < cm.n; i++) {
    lua_createtable(L, 3, 0);
    for (int k = 0; k < 3; k++) lua_pushinteger(L, cm.lut[i][k]), lua_rawseti(L, -2, k + 1);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int l_colormaps(lua_State *L) {
  lua_newtable(L);
  for (int i = 0; cn_colormap_builtin(i); i++)
    lua_pushstring(L, cn_colormap_builtin(i)), lua_rawseti(L, -2, i + 1);
  return 1;
}

static int l_color(lua_State *L) {
  cn_rgba c = plotL_check_color(L, 1, "color", "color");
  lua_pushnumber(L, c.r), lua_pushnumber(L, c.g), lua_pushnumber(L, c.b), lua_pushnumber(L, c.a);
  return 4;
}

static const luaL_Reg fig_methods[] = {
    {"subplot", fig_subplot},   {"suptitle", fig_suptitle}, {"text", fig_text},
    {"savefig", fig_savefig},   {"render", fig_render},     {"animate", fig_animate},
    {"close", fig_close},       {NULL, NULL}};

static const luaL_Reg plot_functions[] = {
    {"plot_figure", l_figure},       {"plot_read_png", l_read_png},
    {"plot_gif_info", l_gif_info},   {"plot_gif_frame", l_gif_frame},
    {"plot_video_available", l_video_available}, {"plot_colormap", l_colormap},
    {"plot_colormaps", l_colormaps}, {"plot_color", l_color},
    {"plot_nonzero", l_nonzero},
    {NULL, NULL}};

void plotL_new_class(lua_State *L, const char *mt, const luaL_Reg *methods, lua_CFunction gc,
                      lua_CFunction tostring) {
  luaL_newmetatable(L, mt);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
}

void cnL_open_plot(lua_State *L) {
  plotL_new_class(L, FIG_MT, fig_methods, fig_close, fig_tostring);
  plotL_open_axes(L);
  luaL_setfuncs(L, plot_functions, 0);
}
