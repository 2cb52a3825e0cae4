/* canns — bindings of the tanh RNN and the fixed-point finder kernels
 * (include/canns/slowpts.h), behind canns.nn.RNN and
 * canns.analyzer.slow_points.  Shapes and dtypes are checked here. */
#include <stdint.h>
#include <stdlib.h>

#include "canns/slowpts.h"
#include "lua/cnlua.h"

static cn_array *f32field(lua_State *L, int idx, const char *key, int ndim, const int64_t *shape,
                          const char *fn) {
  lua_getfield(L, idx, key);
  cn_array *a = cnL_toarray(L, -1);
  int ok = a && a->dtype == CN_FLOAT32 && a->ndim == ndim;
  for (int k = 0; ok && k < ndim; k++)
    if (shape[k] >= 0 && a->shape[k] != shape[k]) ok = 0;
  if (!ok) {
    char d[128];
    cnL_error(L, fn, "parameter '%s' must be a float32 array of %d dimension(s) matching the RNN, got %s",
              key, ndim, cnL_describe(L, -1, d, sizeof d));
  }
  lua_pop(L, 1); /* the parameters table keeps it alive */
  return a;
}

/* The RNN parameters {W_ih (I,H), W_hh (H,H), b (H) [, W_out (H,O), b_out (O), h0 (H)]} */
static cn_rnn checkrnn(lua_State *L, int idx, bool readout, const char *fn) {
  luaL_checktype(L, idx, LUA_TTABLE);
  cn_rnn r = {0};
  int64_t s2[2] = {-1, -1};
  cn_array *whh = f32field(L, idx, "W_hh", 2, s2, fn);
  r.H = whh->shape[0];
  if (whh->shape[1] != r.H || r.H < 1) cnL_error(L, fn, "parameter 'W_hh' must be square and non-empty");
  int64_t sih[2] = {-1, r.H}, sb[1] = {r.H};
  cn_array *wih = f32field(L, idx, "W_ih", 2, sih, fn);
  r.I = wih->shape[0];
  r.W_hh = cn_f32(whh);
  r.W_ih = cn_f32(wih);
  r.b = cn_f32(f32field(L, idx, "b", 1, sb, fn));
  if (readout) {
    int64_t so[2] = {r.H, -1};
    cn_array *wo = f32field(L, idx, "W_out", 2, so, fn);
    r.O = wo->shape[1];
    int64_t sbo[1] = {r.O};
    r.W_out = cn_f32(wo);
    r.b_out = cn_f32(f32field(L, idx, "b_out", 1, sbo, fn));
    r.h0 = cn_f32(f32field(L, idx, "h0", 1, sb, fn));
  }
  return r;
}

static cn_array *f32arg(lua_State *L, int idx, const char *fn, const char *name, int ndim,
                        const int64_t *shape) {
  return cnL_checkfloatarray(L, idx, fn, idx, name, ndim, shape);
}

static void need_f32(lua_State *L, int idx, cn_array *a, const char *fn, const char *name) {
  if (a->dtype != CN_FLOAT32) {
    char d[128];
    cnL_argerror(L, fn, idx, name, "must be float32, got %s", cnL_describe(L, idx, d, sizeof d));
  }
}

static cn_array *newf32(lua_State *L, int ndim, const int64_t *shape, const char *fn) {
  cn_array *a;
  cnL_check(L, cn_array_zeros(&a, CN_FLOAT32, ndim, shape), fn);
  return a;
}

/* rnn_forward(params, U (B,T,I)) -> H (B,T,H), Y (B,T,O) */
static int l_rnn_forward(lua_State *L) {
  const char *fn = "rnn_forward";
  cn_rnn r = checkrnn(L, 1, true, fn);
  int64_t su[3] = {-1, -1, r.I};
  cn_array *U = f32arg(L, 2, fn, "inputs", 3, su);
  need_f32(L, 2, U, fn, "inputs");
  int64_t B = U->shape[0], T = U->shape[1];
  int64_t sh[3] = {B, T, r.H}, sy[3] = {B, T, r.O};
  cn_array *Hs = newf32(L, 3, sh, fn);
  cnL_pusharray(L, Hs);
  cn_array *Y = newf32(L, 3, sy, fn);
  cnL_pusharray(L, Y);
  cnL_check(L, cn_rnn_forward(&r, cn_f32(U), B, T, cn_f32(Hs), cn_f32(Y)), fn);
  return 2;
}

static void xu_args(lua_State *L, const cn_rnn *r, int ix, int iu, const char *fn, cn_array **X,
                    cn_array **U) {
  int64_t sx[2] = {-1, r->H}, su[2] = {-1, r->I};
  *X = f32arg(L, ix, fn, "x", 2, sx);
  need_f32(L, ix, *X, fn, "x");
  *U = f32arg(L, iu, fn, "inputs", 2, su);
  need_f32(L, iu, *U, fn, "inputs");
  if ((*U)->shape[0] != 1 && (*U)->shape[0] != (*X)->shape[0])
    cnL_argerror(L, fn, iu, "inputs", "must have 1 or %lld rows, got %lld",
                 (long long)(*X)->shape[0], (long long)(*U)->shape[0]);
}

/* rnn_step(params, X (n,H), U (n|1,I) [, jacobians]) -> F (n,H) [, J (n,H,H), dFdu (n,H,I)] */
static int l_rnn_step(lua_State *L) {
  const char *fn = "rnn_step";
  cn_rnn r = checkrnn(L, 1, false, fn);
  cn_array *X, *U;
  xu_args(L, &r, 2, 3, fn, &X, &U);
  bool jac = lua_toboolean(L, 4);
  int64_t n = X->shape[0];
  int64_t sf[2] = {n, r.H}, sj[3] = {n, r.H, r.H}, sd[3] = {n, r.H, r.I};
  cn_array *F = newf32(L, 2, sf, fn), *J = NULL, *D = NULL;
  cnL_pusharray(L, F);
  if (jac) {
    J = newf32(L, 3, sj, fn);
    cnL_pusharray(L, J);
    D = newf32(L, 3, sd, fn);
    cnL_pusharray(L, D);
  }
  cnL_check(L, cn_rnn_step_jac(&r, cn_f32(X), cn_f32(U), n, U->shape[0], cn_f32(F),
                               J ? cn_f32(J) : NULL, D ? cn_f32(D) : NULL), fn);
  return jac ? 3 : 1;
}

/* rnn_qgrad(params, X, U, F, G): F(X) and the gradient of mean q into F, G */
static int l_rnn_qgrad(lua_State *L) {
  const char *fn = "rnn_qgrad";
  cn_rnn r = checkrnn(L, 1, false, fn);
  cn_array *X, *U;
  xu_args(L, &r, 2, 3, fn, &X, &U);
  cn_array *F = f32arg(L, 4, fn, "F", 2, X->shape), *G = f32arg(L, 5, fn, "G", 2, X->shape);
  need_f32(L, 4, F, fn, "F");
  need_f32(L, 5, G, fn, "G");
  cnL_check(L, cn_rnn_qgrad(&r, cn_f32(X), cn_f32(U), X->shape[0], U->shape[0], cn_f32(F),
                            cn_f32(G)), fn);
  return 0;
}

/* rnn_train(params, U (N,T,I), Y (N,T,O), {epochs, batch, lr, loss_tol, seed}) -> losses, n */
static int l_rnn_train(lua_State *L) {
  const char *fn = "rnn_train";
  cn_rnn r = checkrnn(L, 1, true, fn);
  int64_t su[3] = {-1, -1, r.I};
  cn_array *U = f32arg(L, 2, fn, "inputs", 3, su);
  need_f32(L, 2, U, fn, "inputs");
  int64_t sy[3] = {U->shape[0], U->shape[1], r.O};
  cn_array *Y = f32arg(L, 3, fn, "targets", 3, sy);
  need_f32(L, 3, Y, fn, "targets");
  luaL_checktype(L, 4, LUA_TTABLE);
  static const char *const keys[] = {"epochs", "batch", "lr", "loss_tol", "seed", NULL};
  cnL_checkfields(L, 4, keys, fn);
  int64_t epochs = cnL_optfieldcount(L, 4, "epochs", 500, CNL_MAX_COUNT, fn);
  int64_t batch = cnL_optfieldrange(L, 4, "batch", 128, 1, CNL_MAX_COUNT, fn);
  double lr = cnL_optfieldnumber(L, 4, "lr", 1e-3, fn);
  double tol = cnL_optfieldnumber(L, 4, "loss_tol", 0.0, fn);
  int64_t seed = cnL_optfieldcount(L, 4, "seed", 0, INT64_MAX, fn);
  int64_t sl[1] = {epochs};
  cn_array *losses;
  cnL_check(L, cn_array_zeros(&losses, CN_FLOAT64, 1, sl), fn);
  cnL_pusharray(L, losses);
  int64_t done = 0;
  cnL_check(L, cn_rnn_train(&r, cn_f32(U), cn_f32(Y), U->shape[0], U->shape[1], epochs, batch,
                            lr, tol, (uint64_t)seed, cn_f64(losses), &done), fn);
  lua_pushinteger(L, done);
  return 2;
}

/* fp_iter(X, F, G, m, v, t, lr, q_prev, q, dq, tol_q, tol_dq)
 *   -> q_mean, q_std, dq_mean, dq_std, done */
static int l_fp_iter(lua_State *L) {
  const char *fn = "fp_iter";
  int64_t s2[2] = {-1, -1};
  cn_array *X = f32arg(L, 1, fn, "x", 2, s2);
  need_f32(L, 1, X, fn, "x");
  const char *names[4] = {"F", "G", "m", "v"};
  cn_array *A[4];
  for (int k = 0; k < 4; k++) {
    A[k] = f32arg(L, 2 + k, fn, names[k], 2, X->shape);
    need_f32(L, 2 + k, A[k], fn, names[k]);
  }
  int64_t t = cnL_checkrange(L, 6, fn, 6, "t", 1, INT64_MAX);
  double lr = cnL_checknumber(L, 7, fn, 7, "lr");
  int64_t sq[1] = {X->shape[0]};
  cn_array *Q[3];
  const char *qn[3] = {"q_prev", "q", "dq"};
  for (int k = 0; k < 3; k++) {
    Q[k] = f32arg(L, 8 + k, fn, qn[k], 1, sq);
    need_f32(L, 8 + k, Q[k], fn, qn[k]);
  }
  double tq = cnL_checknumber(L, 11, fn, 11, "tol_q"), td = cnL_checknumber(L, 12, fn, 12, "tol_dq");
  double st[4];
  int done = 0;
  cnL_check(L, cn_fp_iter(cn_f32(X), cn_f32(A[0]), cn_f32(A[1]), cn_f32(A[2]), cn_f32(A[3]),
                          X->shape[0], X->shape[1], t, lr, cn_f32(Q[0]), cn_f32(Q[1]),
                          cn_f32(Q[2]), tq, td, st, &done), fn);
  for (int k = 0; k < 4; k++) lua_pushnumber(L, st[k]);
  lua_pushboolean(L, done);
  return 5;
}

void cnL_open_slowpts(lua_State *L) {
  static const luaL_Reg fns[] = {{"rnn_forward", l_rnn_forward}, {"rnn_step", l_rnn_step},
                                 {"rnn_qgrad", l_rnn_qgrad},     {"rnn_train", l_rnn_train},
                                 {"fp_iter", l_fp_iter},         {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
}
