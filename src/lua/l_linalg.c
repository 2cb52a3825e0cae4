/* canns — bindings of the LAPACK eigen-decompositions
 * (include/canns/linalg.h): canns.linalg.eigh and canns.linalg.eig. */
#include "canns/linalg.h"
#include "lua/cnlua.h"

static cn_array *matarg(lua_State *L, const char *fn) {
  cn_array *A = cnL_checkarray(L, 1, fn, 1, "a");
  if ((A->dtype != CN_FLOAT32 && A->dtype != CN_FLOAT64) || A->ndim != 2 ||
      A->shape[0] != A->shape[1]) {
    char d[128];
    cnL_argerror(L, fn, 1, "a", "must be a square float array, got %s",
                 cnL_describe(L, 1, d, sizeof d));
  }
  return A;
}

/* eigh(a) -> w (ascending, float64), V (columns are the eigenvectors) */
static int l_eigh(lua_State *L) {
  const char *fn = "eigh";
  cn_array *A = matarg(L, fn), *w, *V;
  cnL_check(L, cn_linalg_eigh(A, &w, &V), fn);
  cnL_pusharray(L, w);
  cnL_pusharray(L, V);
  return 2;
}

/* eig(a) -> wr, wi, VR (LAPACK's packing of the right eigenvectors) */
static int l_eig(lua_State *L) {
  const char *fn = "eig";
  cn_array *A = matarg(L, fn), *wr, *wi, *VR;
  cnL_check(L, cn_linalg_eig(A, &wr, &wi, &VR), fn);
  cnL_pusharray(L, wr);
  cnL_pusharray(L, wi);
  cnL_pusharray(L, VR);
  return 3;
}

void cnL_open_linalg(lua_State *L) {
  static const luaL_Reg fns[] = {{"eigh", l_eigh}, {"eig", l_eig}, {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
}
