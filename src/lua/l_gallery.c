/* canns — binding of the model gallery's 2-D bump decoder
 * (include/canns/bumpdecode.h):
 *
 *   core.decode_cann2d_centers(r) -> (T, 2) float64 array of (x, y) pixels
 *
 * r: the recorded firing rates of a CANN2D, (T, n, n) (float32; other
 * dtypes are converted). */
#include "canns/bumpdecode.h"
#include "lua/cnlua.h"

static int l_decode(lua_State *L) {
  const char *fn = "decode_cann2d_centers";
  char d[128];
  cn_array *a = cnL_toarray(L, 1);
  if (!a) cnL_argerror(L, fn, 1, "r", "must be a (T, n, n) array, got %s", cnL_describe(L, 1, d, sizeof d));
  if (a->ndim != 3 || a->shape[1] != a->shape[2] || a->shape[0] < 1 || a->shape[1] < 1)
    cnL_argerror(L, fn, 1, "r", "must be a (T, n, n) array with T, n >= 1, got %s",
                 cnL_describe(L, 1, d, sizeof d));
  cn_array *x = cnL_checkarraylike(L, 1, CN_FLOAT32, fn, 1, "r");
  cnL_pusharray(L, x);
  cn_array *o;
  cnL_check(L, cn_array_new2(&o, CN_FLOAT64, x->shape[0], 2), fn);
  cnL_pusharray(L, o);
  cnL_check(L, cn_decode_cann2d_centers(cn_f32(x), x->shape[0], x->shape[1], cn_f64(o)), fn);
  return 1;
}

void cnL_open_gallery(lua_State *L) {
  lua_pushcfunction(L, l_decode);
  lua_setfield(L, -2, "decode_cann2d_centers");
}
