/* canns — processes, locks and clocks for the pipelines (bindings).
 *
 *   core.proc_spawn(argv, env)  -> pid      posix_spawn; env = {NAME = value}
 *                                            added to (or replacing in) ours
 *   core.proc_wait(pid [, block]) -> nil | exit code (128 + signal if killed)
 *   core.proc_alive(pid), core.proc_getpid(), core.proc_exe()
 *   core.proc_kill(pid [, signal])
 *   core.flock(path) -> lock | nil, why   exclusive, non-blocking; the file
 *                                            descriptor is close-on-exec
 *   lock:unlock()
 *   core.wallclock() -> seconds since the epoch (sub-second)
 *   core.sleep(seconds)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lua/cnlua.h"

extern char **environ;

#define LOCK_MT "canns.flock"

static int l_spawn(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer argc = luaL_len(L, 1);
  if (argc < 1 || argc > 4096) cnL_argerror(L, "proc_spawn", 1, "argv", "must hold 1 to 4096 strings");
  int nenv = 0;
  while (environ[nenv]) nenv++;
  int extra = 0;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
        cnL_argerror(L, "proc_spawn", 2, "env", "must map names to strings");
      extra++;
      lua_pop(L, 1);
    }
  }
  /* All strings live on the Lua stack / in Lua memory until spawn returns. */
  const char **argv = lua_newuserdatauv(L, sizeof(char *) * (argc + 1), 0);
  for (lua_Integer i = 1; i <= argc; i++) {
    lua_rawgeti(L, 1, i);
    if (lua_type(L, -1) != LUA_TSTRING) cnL_argerror(L, "proc_spawn", 1, "argv", "must hold only strings");
    argv[i - 1] = lua_tostring(L, -1);
    lua_pop(L, 1); /* still referenced by the table */
  }
  argv[argc] = NULL;
  const char **envp = lua_newuserdatauv(L, sizeof(char *) * (nenv + extra + 1), 0);
  int ne = 0;
  for (int i = 0; i < nenv; i++) {
    int overridden = 0;
    if (extra) {
      const char *eq = strchr(environ[i], '=');
      if (eq) {
        lua_pushlstring(L, environ[i], eq - environ[i]);
        lua_rawget(L, 2);
        overridden = !lua_isnil(L, -1);
        lua_pop(L, 1);
      }
    }
    if (!overridden) envp[ne++] = environ[i];
  }
  if (extra) {
    lua_newtable(L); /* keeps the "NAME=value" strings alive */
    int keep = lua_gettop(L), k = 0;
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      lua_pushfstring(L, "%s=%s", lua_tostring(L, -2), lua_tostring(L, -1));
      envp[ne++] = lua_tostring(L, -1);
      lua_rawseti(L, keep, ++k);
      lua_pop(L, 1);
    }
  }
  envp[ne] = NULL;
  pid_t pid;
  fflush(NULL);
  int rc = posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, (char *const *)envp);
  if (rc != 0) return cnL_error(L, "proc_spawn", "cannot start '%s': %s", argv[0], strerror(rc));
  lua_pushinteger(L, pid);
  return 1;
}

static int l_wait(lua_State *L) {
  lua_Integer pid = luaL_checkinteger(L, 1);
  if (pid <= 0) cnL_argerror(L, "proc_wait", 1, "pid", "must be positive");
  int block = lua_toboolean(L, 2), st = 0;
  pid_t r;
  do r = waitpid((pid_t)pid, &st, block ? 0 : WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == 0) return 0;
  if (r < 0) return cnL_error(L, "proc_wait", "process %lld: %s", (long long)pid, strerror(errno));
  lua_pushinteger(L, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  return 1;
}

static int l_alive(lua_State *L) {
  lua_Integer pid = luaL_checkinteger(L, 1);
  lua_pushboolean(L, pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM));
  return 1;
}

static int l_kill(lua_State *L) {
  lua_Integer pid = luaL_checkinteger(L, 1);
  lua_Integer sig = luaL_optinteger(L, 2, SIGTERM);
  if (pid <= 0) cnL_argerror(L, "proc_kill", 1, "pid", "must be positive");
  if (sig < 0 || sig > 64) cnL_argerror(L, "proc_kill", 2, "signal", "must be 0..64");
  lua_pushboolean(L, kill((pid_t)pid, (int)sig) == 0);
  return 1;
}

static int l_getpid(lua_State *L) {
  lua_pushinteger(L, getpid());
  return 1;
}

static int l_exe(lua_State *L) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return 0;
  lua_pushlstring(L, buf, n);
  return 1;
}

static int l_flock(lua_State *L) {
  const char *path = cnL_checkstring(L, 1, "flock", 1, "path");
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return cnL_error(L, "flock", "cannot open '%s': %s", path, strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    close(fd);
    lua_pushnil(L);
    lua_pushstring(L, e == EWOULDBLOCK ? "held by another process" : strerror(e));
    return 2;
  }
  int *ud = lua_newuserdatauv(L, sizeof *ud, 0);
  *ud = fd;
  luaL_setmetatable(L, LOCK_MT);
  return 1;
}

static int lock_unlock(lua_State *L) {
  int *ud = luaL_checkudata(L, 1, LOCK_MT);
  if (*ud >= 0) close(*ud); /* releases the lock */
  *ud = -1;
  return 0;
}

static int l_wallclock(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  lua_pushnumber(L, ts.tv_sec + ts.tv_nsec * 1e-9);
  return 1;
}

static int l_sleep(lua_State *L) {
  double s = cnL_checkfinite(L, 1, "sleep", 1, "seconds");
  if (s < 0 || s > 3600) cnL_argerror(L, "sleep", 1, "seconds", "must be in [0, 3600], got %g", s);
  struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
  return 0;
}

void cnL_open_proc(lua_State *L) {
  luaL_newmetatable(L, LOCK_MT);
  lua_newtable(L);
  lua_pushcfunction(L, lock_unlock);
  lua_setfield(L, -2, "unlock");
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, lock_unlock);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, lock_unlock);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  static const luaL_Reg f[] = {{"proc_spawn", l_spawn},   {"proc_wait", l_wait},
                               {"proc_alive", l_alive},   {"proc_kill", l_kill},
                               {"proc_getpid", l_getpid}, {"proc_exe", l_exe},
                               {"flock", l_flock},        {"wallclock", l_wallclock},
                               {"sleep", l_sleep},        {NULL, NULL}};
  luaL_setfuncs(L, f, 0);
}
