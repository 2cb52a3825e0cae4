/* canns — bindings of the correlation tests (include/canns/stats.h):
 * core.pearsonr(x, y) and core.spearmanr(x, y) -> r, p. */
#include "canns/stats.h"
#include "lua/cnlua.h"

static int corr(lua_State *L, const char *fn,
                cn_status (*f)(const double *, const double *, int64_t, double *, double *)) {
  cn_array *X = cnL_checkarraylike(L, 1, CN_FLOAT64, fn, 1, "x");
  cnL_pusharray(L, X);
  cn_array *Y = cnL_checkarraylike(L, 2, CN_FLOAT64, fn, 2, "y");
  cnL_pusharray(L, Y);
  if (X->dtype != CN_FLOAT64 || Y->dtype != CN_FLOAT64 || X->size != Y->size)
    cnL_error(L, fn, "x and y must have the same number of values (%lld and %lld)", (long long)X->size,
              (long long)Y->size);
  double r, p;
  cnL_check(L, f(cn_f64(X), cn_f64(Y), X->size, &r, &p), fn);
  lua_pushnumber(L, r);
  lua_pushnumber(L, p);
  return 2;
}

static int l_pearsonr(lua_State *L) { return corr(L, "pearsonr", cn_pearsonr); }
static int l_spearmanr(lua_State *L) { return corr(L, "spearmanr", cn_spearmanr); }

void cnL_open_stats(lua_State *L) {
  lua_pushcfunction(L, l_pearsonr);
  lua_setfield(L, -2, "pearsonr");
  lua_pushcfunction(L, l_spearmanr);
  lua_setfield(L, -2, "spearmanr");
}
