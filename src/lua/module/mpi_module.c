/* canns — the Lua C module `canns.mpi`: the few MPI calls the sweep
 * scheduler needs (lua/canns/pipeline/mpi.lua).  Built only when MPI is
 * found (cmake/pipeline.cmake); loaded only under mpirun, so a plain run
 * never initialises MPI.
 *
 *   mpi.init() -> rank, size            MPI_Init_thread (funneled); again: the same
 *   mpi.send(dest, tag, bytes)          MPI_Send of a byte string
 *   mpi.recv([source [, timeout [, spin]]]) -> source, tag, bytes | nil on timeout
 *                                          (MPI_Iprobe: `spin` seconds of polling,
 *                                          default 0, then a growing sleep up to
 *                                          1 ms, so a waiting rank does not hold
 *                                          a core)
 *   mpi.finalize()                      MPI_Finalize (once; later calls do nothing)
 *   mpi.initialized(), mpi.finalized()  booleans
 *   mpi.abort([code])                   MPI_Abort on MPI_COMM_WORLD
 *   mpi.library()                       MPI_Get_library_version's first line
 */
#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <mpi.h>

#define MAX_MESSAGE (64 * 1024 * 1024)

static int check_running(lua_State *L, const char *f) {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  if (!init || fin)
    return luaL_error(L, "mpi.%s: MPI is %s", f, fin ? "already finalized" : "not initialized (call mpi.init)");
  return 0;
}

static int check_int(lua_State *L, int i, const char *f, const char *name, lua_Integer lo, lua_Integer hi) {
  int isnum = 0;
  lua_Integer v = lua_tointegerx(L, i, &isnum);
  if (!isnum || v < lo || v > hi)
    return luaL_error(L, "mpi.%s: argument %d (%s) must be an integer in %I..%I, got %s", f, i, name, lo, hi,
                      luaL_tolstring(L, i, NULL));
  return (int)v;
}

static int l_init(lua_State *L) {
  int init = 0, fin = 0, rank = 0, size = 1;
  MPI_Finalized(&fin);
  if (fin) return luaL_error(L, "mpi.init: MPI was finalized and cannot start again");
  MPI_Initialized(&init);
  if (!init) {
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
      return luaL_error(L, "mpi.init: MPI_Init_thread failed");
    /* errors come back as codes, never as an abort from inside MPI */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  lua_pushinteger(L, rank);
  lua_pushinteger(L, size);
  return 2;
}

static int l_send(lua_State *L) {
  check_running(L, "send");
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int dest = check_int(L, 1, "send", "dest", 0, size - 1);
  int tag = check_int(L, 2, "send", "tag", 0, 32767);
  size_t n = 0;
  const char *s = lua_tolstring(L, 3, &n);
  if (!s || lua_type(L, 3) != LUA_TSTRING)
    return luaL_error(L, "mpi.send: argument 3 (bytes) must be a string, got %s", luaL_typename(L, 3));
  if (n > MAX_MESSAGE) return luaL_error(L, "mpi.send: argument 3 (bytes) must be at most %d bytes, got %I",
                                         MAX_MESSAGE, (lua_Integer)n);
  int rc = MPI_Send(s, (int)n, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
  if (rc != MPI_SUCCESS) return luaL_error(L, "mpi.send: MPI_Send to rank %d failed (code %d)", dest, rc);
  return 0;
}

static void nap(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int l_recv(lua_State *L) {
  check_running(L, "recv");
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int source = MPI_ANY_SOURCE;
  if (!lua_isnoneornil(L, 1) && !(lua_isinteger(L, 1) && lua_tointeger(L, 1) == -1))
    source = check_int(L, 1, "recv", "source", 0, size - 1);
  double timeout = -1;
  if (!lua_isnoneornil(L, 2)) {
    if (lua_type(L, 2) != LUA_TNUMBER || !(lua_tonumber(L, 2) >= 0) || !isfinite(lua_tonumber(L, 2)))
      return luaL_error(L, "mpi.recv: argument 2 (timeout) must be a finite number >= 0, got %s",
                        luaL_tolstring(L, 2, NULL));
    timeout = lua_tonumber(L, 2);
  }
  double spin = 0;
  if (!lua_isnoneornil(L, 3)) {
    if (lua_type(L, 3) != LUA_TNUMBER || !(lua_tonumber(L, 3) >= 0) || !(lua_tonumber(L, 3) <= 1))
      return luaL_error(L, "mpi.recv: argument 3 (spin) must be a number in [0, 1], got %s",
                        luaL_tolstring(L, 3, NULL));
    spin = lua_tonumber(L, 3);
  }
  double t0 = now(), wait = 2e-5;
  MPI_Status st;
  for (;;) {
    int flag = 0;
    int rc = MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (rc != MPI_SUCCESS) return luaL_error(L, "mpi.recv: MPI_Iprobe failed (code %d)", rc);
    if (flag) break;
    double t = now() - t0;
    if (timeout >= 0 && t >= timeout) return 0;
    if (t < spin) continue;
    nap(wait);
    if (wait < 1e-3) wait *= 1.5;
  }
  int n = 0;
  MPI_Get_count(&st, MPI_BYTE, &n);
  if (n < 0 || n > MAX_MESSAGE) return luaL_error(L, "mpi.recv: a message of %d bytes is too large", n);
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, n > 0 ? (size_t)n : 1);
  int rc = MPI_Recv(p, n, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (rc != MPI_SUCCESS) return luaL_error(L, "mpi.recv: MPI_Recv failed (code %d)", rc);
  luaL_pushresultsize(&b, (size_t)n); /* the buffer may use the stack: push it first */
  lua_pushinteger(L, st.MPI_SOURCE);
  lua_pushinteger(L, st.MPI_TAG);
  lua_rotate(L, -3, 2);                 /* source, tag, bytes */
  return 3;
}

static int l_finalize(lua_State *L) {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  if (init && !fin) MPI_Finalize();
  return 0;
}

static int l_initialized(lua_State *L) {
  int init = 0;
  MPI_Initialized(&init);
  lua_pushboolean(L, init);
  return 1;
}

static int l_finalized(lua_State *L) {
  int fin = 0;
  MPI_Finalized(&fin);
  lua_pushboolean(L, fin);
  return 1;
}

static int l_abort(lua_State *L) {
  check_running(L, "abort");
  int code = lua_isnoneornil(L, 1) ? 1 : check_int(L, 1, "abort", "code", 0, 255);
  MPI_Abort(MPI_COMM_WORLD, code);
  return 0;
}

static int l_library(lua_State *L) {
  char buf[MPI_MAX_LIBRARY_VERSION_STRING];
  int n = 0;
  MPI_Get_library_version(buf, &n);
  buf[n < (int)sizeof buf ? n : (int)sizeof buf - 1] = 0;
  char *nl = strchr(buf, '\n');
  if (nl) *nl = 0;
  char *comma = strchr(buf, ',');
  if (comma) *comma = 0;
  lua_pushstring(L, buf);
  return 1;
}

int luaopen_canns_mpi(lua_State *L) {
  static const luaL_Reg fns[] = {{"init", l_init},           {"send", l_send},
                                 {"recv", l_recv},           {"finalize", l_finalize},
                                 {"initialized", l_initialized}, {"finalized", l_finalized},
                                 {"abort", l_abort},         {"library", l_library},
                                 {NULL, NULL}};
  luaL_newlib(L, fns);
  return 1;
}
