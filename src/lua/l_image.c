/* canns — Lua binding of the 2-D image primitives (include/canns/image.h):
 *
 *   core.image.autocorr2d(map [, overlap])          -- float64 array
 *   core.image.autocorr2d_batch(maps (n,h,w) [, overlap])
 *   core.image.xcorr2d(image, template [, mode])    -- scipy.signal.correlate
 *   core.image.normalized_xcorr2(template, image [, mode])
 *   core.image.rotate(img, deg, oh, ow [, method])  -- oh/ow nil: enlarged
 *   core.image.rotate_shape(h, w, deg)
 *
 * The public names (canns.analyzer.data.cell_classification) add
 * upstream's keyword arguments in Lua. */
#include <math.h>
#include <string.h>

#include "canns/image.h"
#include "lua/cnlua.h"

/* A 2-D float64 image at idx (array or nested table), kept alive by a
 * userdata pushed on the stack. */
static cn_array *check_image(lua_State *L, int idx, const char *fn, int arg, const char *name,
                             int ndim) {
  char d[128];
  cn_array *a = cnL_toarray(L, idx);
  if (!a && !lua_istable(L, idx))
    cnL_argerror(L, fn, arg, name, "must be a %d-D array of numbers, got %s", ndim,
                 cnL_describe(L, idx, d, sizeof d));
  if (a && a->ndim != ndim)
    cnL_argerror(L, fn, arg, name, "must be a %d-D array, got %s", ndim,
                 cnL_describe(L, idx, d, sizeof d));
  cn_array *x = cnL_checkarraylike(L, idx, CN_FLOAT64, fn, arg, name);
  cnL_pusharray(L, x);
  if (x->ndim != ndim)
    cnL_argerror(L, fn, arg, name, "must be a %d-D array, got %s", ndim,
                 cnL_describe(L, -1, d, sizeof d));
  for (int k = 0; k < ndim; k++)
    if (x->shape[k] < 1)
      cnL_argerror(L, fn, arg, name, "must not be empty, got %s", cnL_describe(L, -1, d, sizeof d));
  return x;
}

static cn_array *new2(lua_State *L, const char *fn, int64_t h, int64_t w) {
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, CN_FLOAT64, h, w), fn);
  cnL_pusharray(L, o);
  return o;
}

static double opt_overlap(lua_State *L, int idx, const char *fn) {
  if (lua_isnoneornil(L, idx)) return 0.8;
  double ov = cnL_checkfinite(L, idx, fn, idx, "overlap");
  if (ov < 0 || ov > 1000) cnL_argerror(L, fn, idx, "overlap", "must be in [0, 1000], got %g", ov);
  return ov;
}

static int l_autocorr2d(lua_State *L) {
  const char *fn = "compute_2d_autocorrelation";
  cn_array *m = check_image(L, 1, fn, 1, "rate_map", 2);
  double ov = opt_overlap(L, 2, fn);
  int64_t oh, ow;
  cn_autocorr2d_shape(m->shape[0], m->shape[1], ov, &oh, &ow);
  cn_array *o = new2(L, fn, oh, ow);
  cnL_check(L, cn_autocorr2d(cn_f64(m), m->shape[0], m->shape[1], ov, cn_f64(o)), fn);
  return 1;
}

static int l_autocorr2d_batch(lua_State *L) {
  const char *fn = "compute_2d_autocorrelation";
  cn_array *m = check_image(L, 1, fn, 1, "rate_maps", 3);
  double ov = opt_overlap(L, 2, fn);
  int64_t oh, ow;
  cn_autocorr2d_shape(m->shape[1], m->shape[2], ov, &oh, &ow);
  int64_t shape[3] = {m->shape[0], oh, ow};
  cn_array *o;
  cnL_check(L, cn_array_empty(&o, CN_FLOAT64, 3, shape), fn);
  cnL_pusharray(L, o);
  cnL_check(L, cn_autocorr2d_batch(cn_f64(m), m->shape[0], m->shape[1], m->shape[2], ov, cn_f64(o)),
            fn);
  return 1;
}

static cn_xcorr_mode check_mode(lua_State *L, int idx, const char *fn, const char *def) {
  const char *s = lua_isnoneornil(L, idx) ? def : cnL_checkstring(L, idx, fn, idx, "mode");
  if (!strcmp(s, "full")) return CN_XCORR_FULL;
  if (!strcmp(s, "same")) return CN_XCORR_SAME;
  if (!strcmp(s, "valid")) return CN_XCORR_VALID;
  return cnL_argerror(L, fn, idx, "mode", "must be 'full', 'same' or 'valid', got '%s'", s),
         CN_XCORR_FULL;
}

static int l_xcorr2d(lua_State *L) {
  const char *fn = "correlate2d";
  cn_array *im = check_image(L, 1, fn, 1, "image", 2);
  cn_array *tp = check_image(L, 2, fn, 2, "template", 2);
  cn_xcorr_mode mode = check_mode(L, 3, fn, "full");
  int64_t oh, ow;
  cnL_check(L, cn_xcorr2d_shape(im->shape[0], im->shape[1], tp->shape[0], tp->shape[1], mode, &oh, &ow), fn);
  cn_array *o = new2(L, fn, oh, ow);
  cnL_check(L, cn_xcorr2d(cn_f64(im), im->shape[0], im->shape[1], cn_f64(tp), tp->shape[0],
                          tp->shape[1], mode, cn_f64(o)), fn);
  return 1;
}

static int l_normalized_xcorr2(lua_State *L) {
  const char *fn = "normalized_xcorr2";
  cn_array *tp = check_image(L, 1, fn, 1, "template", 2);
  cn_array *im = check_image(L, 2, fn, 2, "image", 2);
  cn_xcorr_mode mode = check_mode(L, 3, fn, "same");
  int64_t oh, ow;
  cnL_check(L, cn_xcorr2d_shape(im->shape[0], im->shape[1], tp->shape[0], tp->shape[1], mode, &oh, &ow), fn);
  cn_array *o = new2(L, fn, oh, ow);
  cnL_check(L, cn_normalized_xcorr2(cn_f64(tp), tp->shape[0], tp->shape[1], cn_f64(im), im->shape[0],
                                    im->shape[1], mode, cn_f64(o)), fn);
  return 1;
}

static int64_t check_extent(lua_State *L, int idx, const char *fn, const char *name) {
  return cnL_checkrange(L, idx, fn, idx, name, 1, (int64_t)1 << 20);
}

static int l_rotate(lua_State *L) {
  const char *fn = "rotate_image";
  cn_array *im = check_image(L, 1, fn, 1, "image", 2);
  double deg = cnL_checkfinite(L, 2, fn, 2, "angle");
  int64_t h = im->shape[0], w = im->shape[1], oh, ow;
  if (lua_isnoneornil(L, 3)) {
    cn_rotate_shape(h, w, deg, &oh, &ow);
  } else {
    oh = check_extent(L, 3, fn, "output rows");
    ow = check_extent(L, 4, fn, "output cols");
  }
  const char *m = lua_isnoneornil(L, 5) ? "bilinear" : cnL_checkstring(L, 5, fn, 5, "method");
  cn_interp ip;
  if (!strcmp(m, "bilinear")) ip = CN_INTERP_BILINEAR;
  else if (!strcmp(m, "nearest")) ip = CN_INTERP_NEAREST;
  else return cnL_argerror(L, fn, 5, "method", "must be 'bilinear' or 'nearest', got '%s'", m);
  if (lua_isnoneornil(L, 3) || (oh == h && ow == w)) {
    cn_array *o = new2(L, fn, oh, ow);
    cnL_check(L, cn_rotate_image(cn_f64(im), h, w, deg, oh, ow, ip, cn_f64(o)), fn);
    return 1;
  }
  /* Upstream rotates at the input's shape, then crops or zero-pads the
   * centre to the requested one (a shape larger on one axis and smaller
   * on the other is resampled upstream: not built). */
  if (!((oh <= h && ow <= w) || (oh >= h && ow >= w)))
    return cnL_argerror(L, fn, 3, "output_shape",
                        "must be no larger or no smaller than the image on both axes, got {%lld, %lld} for a %lld x %lld image",
                        (long long)oh, (long long)ow, (long long)h, (long long)w);
  cn_array *r = new2(L, fn, h, w);
  cnL_check(L, cn_rotate_image(cn_f64(im), h, w, deg, h, w, ip, cn_f64(r)), fn);
  cn_array *o = new2(L, fn, oh, ow);
  memset(o->data, 0, sizeof(double) * (size_t)(oh * ow));
  if (oh <= h) {
    int64_t sh = (h - oh) / 2, sw = (w - ow) / 2;
    for (int64_t i = 0; i < oh; i++)
      memcpy(cn_f64(o) + i * ow, cn_f64(r) + (i + sh) * w + sw, sizeof(double) * (size_t)ow);
  } else {
    int64_t ph = (oh - h) / 2, pw = (ow - w) / 2;
    for (int64_t i = 0; i < h; i++)
      memcpy(cn_f64(o) + (i + ph) * ow + pw, cn_f64(r) + i * w, sizeof(double) * (size_t)w);
  }
  return 1;
}

static int l_rotate_shape(lua_State *L) {
  const char *fn = "rotate_image";
  int64_t h = check_extent(L, 1, fn, "rows"), w = check_extent(L, 2, fn, "cols"), oh, ow;
  cn_rotate_shape(h, w, cnL_checkfinite(L, 3, fn, 3, "angle"), &oh, &ow);
  lua_pushinteger(L, oh);
  lua_pushinteger(L, ow);
  return 2;
}

static const luaL_Reg image_funcs[] = {
    {"autocorr2d", l_autocorr2d},
    {"autocorr2d_batch", l_autocorr2d_batch},
    {"xcorr2d", l_xcorr2d},
    {"normalized_xcorr2", l_normalized_xcorr2},
    {"rotate", l_rotate},
    {"rotate_shape", l_rotate_shape},
    {NULL, NULL},
};

void cnL_open_image(lua_State *L) {
  luaL_newlib(L, image_funcs);
  lua_setfield(L, -2, "image");
}
