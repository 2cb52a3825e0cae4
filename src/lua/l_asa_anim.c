/* canns — bindings of the bump animations' maps (src/asa/bump_maps.c),
 * added to canns.core.asa. */
#include <stdlib.h>

#include <string.h>

#include "canns/asa.h"
#include "canns/plot.h"
#include "lua/cnlua.h"

/* bump_maps(coords {K, >=2} f64, times {K} int64 (1-based), activity {T} f64,
 *           numangsint, window, step, n_frames (-1: auto)) -> maps {F, n, n}, starts {F} (0-based) */
static int l_bump_maps(lua_State *L) {
  const char *fn = "bump_maps";
  luaL_checkstack(L, 24, fn);
  cn_array *C = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "coords");
  cnL_pusharray(L, C);
  cn_array *Tm = cnL_checkarraylike(L, 2, CN_INT64, fn, 2, "times");
  cnL_pusharray(L, Tm);
  cn_array *Ac = cnL_checkarraylike(L, 3, CN_FLOAT64, fn, 3, "activity");
  cnL_pusharray(L, Ac);
  int64_t na = cnL_checkrange(L, 4, fn, 4, "numangsint", 3, 4096);
  int64_t win = cnL_checkrange(L, 5, fn, 5, "window_size", 1, INT64_MAX / 4);
  int64_t step = cnL_checkrange(L, 6, fn, 6, "frame_step", 1, INT64_MAX / 4);
  int64_t nf = cnL_checkrange(L, 7, fn, 7, "n_frames", -1, 1000000);
  if (C->dtype != CN_FLOAT64 || C->ndim != 2 || C->shape[1] < 2)
    cnL_error(L, fn, "coords must be a (K, 2) matrix of phases");
  if (Tm->dtype != CN_INT64 || Tm->size != C->shape[0])
    cnL_error(L, fn, "times must hold one integer per coordinate row");
  int64_t K = C->shape[0], T = Ac->size;
  int64_t *t0 = lua_newuserdatauv(L, sizeof(int64_t) * (size_t)(K ? K : 1), 0);
  for (int64_t k = 0; k < K; k++) t0[k] = ((int64_t *)Tm->data)[k] - 1;
  int64_t F = cn_asa_bump_frame_count(t0, K, win, step, nf);
  if (F > 1000000) cnL_error(L, fn, "too many frames (%lld)", (long long)F);
  int64_t nb = na - 2, shp[3] = {F, nb, nb};
  cn_array *M, *S;
  cnL_check(L, cn_array_zeros(&M, CN_FLOAT64, 3, shp), fn);
  cnL_pusharray(L, M);
  cnL_check(L, cn_array_new1(&S, CN_INT64, F ? F : 1), fn);
  cnL_pusharray(L, S);
  int64_t got = 0;
  cnL_check(L, cn_asa_bump_maps(cn_f64(C), K, C->shape[1], t0, cn_f64(Ac), T, na, win, step, F, cn_f64(M),
                                (int64_t *)S->data, &got), fn);
  lua_pushinteger(L, got);
  return 3;
}

/* skew_smooth(m {n, n} f64, sigma) -> {n, n} */
static int l_skew_smooth(lua_State *L) {
  const char *fn = "smooth_tuning_map";
  cn_array *Mp = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "m");
  cnL_pusharray(L, Mp);
  double sg = cnL_checkfinite(L, 2, fn, 2, "sigma");
  if (Mp->dtype != CN_FLOAT64 || Mp->ndim != 2 || Mp->shape[0] != Mp->shape[1] || Mp->shape[0] < 1)
    cnL_error(L, fn, "m must be a non-empty square matrix");
  cn_array *O;
  cnL_check(L, cn_array_new2(&O, CN_FLOAT64, Mp->shape[0], Mp->shape[1]), fn);
  cnL_pusharray(L, O);
  cnL_check(L, cn_asa_skew_smooth(cn_f64(Mp), Mp->shape[0], sg, cn_f64(O)), fn);
  return 1;
}

/* plot_write_frames(path, frames (list of RGB strings w*h*3), w, h, fps, loop)
 * -> path: a .gif through giflib or a video through ffmpeg, atomically
 * (the figures drawn one by one, e.g. a 3-D surface per frame). */
static int l_write_frames(lua_State *L) {
  const char *fn = "plot_write_frames";
  const char *path = cnL_checkstring(L, 1, fn, 1, "path");
  luaL_checktype(L, 2, LUA_TTABLE);
  int64_t w = cnL_checkrange(L, 3, fn, 3, "width", 1, 20000), h = cnL_checkrange(L, 4, fn, 4, "height", 1, 20000);
  double fps = cnL_checkfinite(L, 5, fn, 5, "fps");
  int loop = lua_toboolean(L, 6) ? 0 : -1;
  if (!(fps > 0)) cnL_error(L, fn, "fps must be > 0, got %g", fps);
  lua_Integer n = luaL_len(L, 2);
  if (n < 1) cnL_error(L, fn, "frames must not be empty");
  size_t need = (size_t)(w * h * 3);
  for (lua_Integer i = 1; i <= n; i++) {
    size_t len;
    lua_rawgeti(L, 2, i);
    const char *px = lua_tolstring(L, -1, &len);
    lua_pop(L, 1);
    if (!px || len != need) cnL_error(L, fn, "frame %d must be a %lldx%lld RGB string", (int)i, (long long)w, (long long)h);
  }
  size_t pl = strlen(path);
  bool gif = pl >= 4 && strcmp(path + pl - 4, ".gif") == 0;
  cn_status st;
  if (gif) {
    cn_gif *g;
    cnL_check(L, cn_gif_open(&g, path, (int)w, (int)h, loop), fn);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, 2, i);
      st = cn_gif_add_rgb(g, (const uint8_t *)lua_tostring(L, -1), cn_gif_delay_cs(fps, (int64_t)i - 1));
      lua_pop(L, 1);
      if (st != CN_OK) {
        cn_gif_abort(g);
        cnL_check(L, st, fn);
      }
    }
    cnL_check(L, cn_gif_close(g), fn);
  } else {
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) cnL_error(L, fn, "path '%s' needs an extension (.gif, .mp4, ...)", path);
    cn_video *v;
    cnL_check(L, cn_video_open(&v, path, dot + 1, (int)w, (int)h, fps), fn);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, 2, i);
      st = cn_video_add_rgb(v, (const uint8_t *)lua_tostring(L, -1));
      lua_pop(L, 1);
      if (st != CN_OK) {
        cn_video_abort(v);
        cnL_check(L, st, fn);
      }
    }
    cnL_check(L, cn_video_close(v), fn);
  }
  lua_pushstring(L, path);
  return 1;
}

static const luaL_Reg anim_funcs[] = {{"bump_maps", l_bump_maps}, {"skew_smooth", l_skew_smooth}, {NULL, NULL}};

void cnL_open_asa_anim(lua_State *L) {
  lua_getfield(L, -1, "asa");
  luaL_setfuncs(L, anim_funcs, 0);
  lua_pop(L, 1);
  lua_pushcfunction(L, l_write_frames);
  lua_setfield(L, -2, "plot_write_frames");
}
