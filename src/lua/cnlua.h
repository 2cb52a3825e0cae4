/* canns — helpers shared by the Lua bindings (src/lua/).
 *
 * Bindings check every argument at the door and raise a Lua error that
 * names the function, the argument and what was expected:
 *   "zeros: argument 1 (shape) must be non-negative, got -3"
 * Past the door they call libcanns and turn a failed cn_status into a Lua
 * error with cnL_check().
 */
#ifndef CANNS_CNLUA_H
#define CANNS_CNLUA_H

#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>

#include "canns/array.h"

#define CNL_ARRAY_MT "canns.array"

/* --- errors --------------------------------------------------------- */
/* Raise "fname: argument <arg> (<name>) <message>".  Never returns. */
int cnL_argerror(lua_State *L, const char *fname, int arg, const char *name,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Raise "fname: <message>".  Never returns. */
int cnL_error(lua_State *L, const char *fname, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Raise a message formatted with the C printf (luaL_error's own format
 * lacks %lld and friends).  Never returns. */
int cnL_errorf(lua_State *L, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* If s != CN_OK raise "fname: <cn_errmsg()>". */
void cnL_check(lua_State *L, cn_status s, const char *fname);
/* A short description of the value at idx for messages: "-3", "'abc'",
 * "a table", "nil", "an array of shape {3,4} float32", ... (pushes
 * nothing; uses a static buffer per call site via luaL_Buffer-free
 * formatting into buf). */
const char *cnL_describe(lua_State *L, int idx, char *buf, size_t n);

/* --- boxes ---------------------------------------------------------- */
/* Push a userdata holding one pointer (NULL), with metatable mt (made on
 * first use with gc as its __gc), and return the slot: a C object put
 * there is freed by gc when Lua collects the box, even if an error
 * unwinds the stack first. */
void **cnL_pushbox(lua_State *L, const char *mt, lua_CFunction gc);

/* --- arrays --------------------------------------------------------- */
/* Push a new userdata that takes over the caller's reference to a. */
void cnL_pusharray(lua_State *L, cn_array *a);
/* The array at idx, or an error naming fname/arg/name. */
cn_array *cnL_checkarray(lua_State *L, int idx, const char *fname, int arg,
                         const char *name);
cn_array *cnL_toarray(lua_State *L, int idx); /* NULL if not an array */
/* The array behind the canns.array userdata at idx (a metamethod's own
 * operand), or an error when its __gc has already released it. */
cn_array *cnL_livearray(lua_State *L, int idx, const char *fname);
/* An array from idx that may be an array, a number or a nested table of
 * numbers (converted to dtype t).  Returns a new reference. */
cn_array *cnL_checkarraylike(lua_State *L, int idx, cn_dtype t,
                             const char *fname, int arg, const char *name);
/* Store the Lua number or boolean at idx as element pos of a; a Lua
 * integer goes into an int64 array exactly (a double would round it above
 * 2^53).  Returns 0 (storing nothing) if the value is neither. */
int cnL_setelement(lua_State *L, int idx, cn_array *a, int64_t pos);
/* Check a float array with a given number of dimensions and (when
 * shape[i] >= 0) given extents. */
cn_array *cnL_checkfloatarray(lua_State *L, int idx, const char *fname,
                              int arg, const char *name, int ndim,
                              const int64_t *shape);
/* Push a shape (ndim extents) as a Lua list of integers. */
void cnL_pushshape(lua_State *L, int ndim, const int64_t *shape);
/* A shape: a non-negative integer or a table of them. Returns ndim. */
int cnL_checkshape(lua_State *L, int idx, const char *fname, int arg,
                   int64_t *shape);
/* An optional dtype name at idx (default def). */
cn_dtype cnL_optdtype(lua_State *L, int idx, cn_dtype def, const char *fname,
                      int arg);

/* --- strings -------------------------------------------------------- */
/* A Lua string (numbers are not converted), else "must be a string, got ...". */
const char *cnL_checkstring(lua_State *L, int idx, const char *fname, int arg,
                            const char *name);

/* --- numbers -------------------------------------------------------- */
double cnL_checknumber(lua_State *L, int idx, const char *fname, int arg,
                       const char *name);
/* A finite number (not NaN or inf). */
double cnL_checkfinite(lua_State *L, int idx, const char *fname, int arg,
                       const char *name);
/* An integer: a Lua integer or an integral float within the int64 range
 * ("must be an integer" / "is too large: must be at most ..."). */
int64_t cnL_checkint(lua_State *L, int idx, const char *fname, int arg,
                     const char *name);
/* The largest count (steps, samples, bins, ...) a binding accepts unless
 * it names its own limit: 2^31 - 1, the same as canns.argcheck's
 * MAX_COUNT for the functions written in Lua. */
#define CNL_MAX_COUNT INT64_C(2147483647)
/* An integer in lo..hi: "must be an integer, got 1.5" / "must be >= 1,
 * got 0" / "is too large: must be at most 4096, got 9.007199254741e+15"
 * (an integral float past hi is too large, never "not an integer"). */
int64_t cnL_checkrange(lua_State *L, int idx, const char *fname, int arg,
                       const char *name, int64_t lo, int64_t hi);
/* A count: cnL_checkrange with lo = 0 ("must be non-negative, got -3"). */
int64_t cnL_checkcount(lua_State *L, int idx, const char *fname, int arg,
                       const char *name, int64_t max);

/* --- option tables (keyword arguments) ------------------------------ */
/* Read field `key` of the table at idx, with a default when absent.  A
 * present field of the wrong type is an error naming `key`. */
double cnL_optfieldnumber(lua_State *L, int idx, const char *key, double def,
                          const char *fname);
int64_t cnL_optfieldint(lua_State *L, int idx, const char *key, int64_t def,
                        const char *fname);
/* An optional integer option in lo..hi / a count option in 0..max
 * (messages as cnL_checkrange's, "fname: option 'key' ..."). */
int64_t cnL_optfieldrange(lua_State *L, int idx, const char *key, int64_t def,
                          int64_t lo, int64_t hi, const char *fname);
int64_t cnL_optfieldcount(lua_State *L, int idx, const char *key, int64_t def,
                          int64_t max, const char *fname);
bool cnL_optfieldbool(lua_State *L, int idx, const char *key, bool def,
                      const char *fname);
const char *cnL_optfieldstring(lua_State *L, int idx, const char *key,
                               const char *def, const char *fname);
/* Error if the options table at idx has a key not in `allowed`
 * (NULL-terminated): catches misspelt keyword arguments. */
void cnL_checkfields(lua_State *L, int idx, const char *const *allowed,
                     const char *fname);

/* --- shared result converters ------------------------------------- */
struct cn_ripser_result;
/* Push a Ripser result as the table of canns.analyzer.tda.ripser (1-based
 * vertex ids). */
void cnL_push_ripser_result(lua_State *L, struct cn_ripser_result *r, const char *fn);

/* --- registration --------------------------------------------------- */
/* Each binding file exposes one opener that adds its functions to the
 * table on top of the stack (the `canns.core` table).  They are listed
 * once, in src/lua/core.c. */
void cnL_open_array(lua_State *L);
void cnL_open_random(lua_State *L);
void cnL_open_io(lua_State *L);
void cnL_open_sys(lua_State *L);
void cnL_open_plot(lua_State *L);
void cnL_open_models(lua_State *L);
void cnL_open_tda(lua_State *L);
void cnL_open_db(lua_State *L);   /* SQLite (l_db.c) */
void cnL_open_proc(lua_State *L); /* processes, locks, clocks (l_proc.c) */
void cnL_open_asa(lua_State *L);
/* CohoMap stripe kernels into the core.asa table on top (l_asa_stripes.c) */
void cnL_asa_stripes_register(lua_State *L);
void cnL_open_learn(lua_State *L); /* learning rules (l_learn.c) */
void cnL_open_linalg(lua_State *L); /* LAPACK eigen-decompositions (l_linalg.c) */
void cnL_open_slowpts(lua_State *L); /* tanh RNN, fixed-point finder (l_slowpts.c) */
/* The whole canns.core module. */
int cnL_open(lua_State *L);

#endif
