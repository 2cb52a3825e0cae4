/* canns — the stand-alone host.
 *
 *   canns script.lua [args]   run a script (arg as in the stock lua)
 *   canns -e 'code'           run code;  -l mod  require a module
 *   canns -i [script]         REPL after running the script
 *   canns                     REPL (or read a script from stdin when it is
 *                             not a terminal)
 *   canns --version | --help | --env | doctor | tui | gallery [workdir] | asa [workdir] | spatial-tda ...
 *
 * The host only prepares a Lua state (standard libraries, the `canns.core`
 * module built in, package.path pointing at the canns Lua sources next to
 * the executable) and hands over; everything else lives in libcanns and
 * lua/canns.
 */
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canns_config.h"
#include "host.h"

int cnL_open(lua_State *L);

static const char *progname = "canns";
static lua_State *globalL = NULL;

/* --- Ctrl-C: stop the running Lua code at the next hook ------------------- */
static void lstop(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  luaL_error(L, "interrupted!");
}

static void laction(int i) {
  int flag = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  signal(i, SIG_DFL);
  lua_sethook(globalL, lstop, flag, 1);
}

static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int canns_docall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  globalL = L;
  signal(SIGINT, laction);
  int status = lua_pcall(L, narg, nres, base);
  signal(SIGINT, SIG_DFL);
  lua_remove(L, base);
  return status;
}

void canns_report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "%s: %s\n", progname, msg ? msg : "(error object is not a string)");
    fflush(stderr);
    lua_pop(L, 1);
  }
}

/* --- locating the Lua sources -------------------------------------------- */
static void exe_dir(char *buf, size_t n) {
  ssize_t k = readlink("/proc/self/exe", buf, n - 1);
  if (k <= 0) {
    snprintf(buf, n, ".");
    return;
  }
  buf[k] = 0;
  char *slash = strrchr(buf, '/');
  if (slash) *slash = 0;
}

/* Prepend the canns Lua directories to package.path and register the
 * built-in C module. */
static void setup_paths(lua_State *L) {
  char dir[PATH_MAX];
  exe_dir(dir, sizeof dir);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "path");
  const char *old = lua_tostring(L, -1);
  lua_pushfstring(L,
                  "%s/lua/?.lua;%s/lua/?/init.lua;"            /* build tree */
                  "%s/../" CANNS_LUA_INSTALL_DIR "/?.lua;"     /* installed */
                  "%s/../" CANNS_LUA_INSTALL_DIR "/?/init.lua;%s",
                  dir, dir, dir, dir, old ? old : "");
  lua_setfield(L, -3, "path");
  lua_pop(L, 1);
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, cnL_open);
  lua_setfield(L, -2, "canns.core");
  lua_pop(L, 2);
}

static void print_usage(FILE *f) {
  fprintf(f,
          "usage: %s [options] [script [args]]\n"
          "Available options are:\n"
          "  -e stat   execute string 'stat'\n"
          "  -i        enter interactive mode after executing 'script'\n"
          "  -l mod    require library 'mod' into global 'mod'\n"
          "  -v, --version  show version information\n"
          "  --env     print shell commands that let a stock lua5.4 find canns\n"
          "  --help    show this help\n"
          "  --        stop handling options\n"
          "  -         stop handling options and execute stdin\n"
          "Commands:\n"
          "  doctor    show what BLAS, FFTW, OpenMP, netCDF and CUDA were found\n"
          "  tui [workdir]  the launcher: choose the ASA UI or the model gallery\n"
          "  gallery [workdir]  the model gallery's terminal UI (figures under\n"
          "            workdir/Results/gallery)\n"
          "  asa [workdir]  the ASA pipeline's terminal UI (sessions from workdir,\n"
          "            results under workdir/Results)\n"
          "  spatial-tda --data FILE.npz [options]  spatial TDA of an ASA session\n"
          "            (rate maps -> point cloud -> PCA -> Ripser; --help for options)\n"
          "With no script, %s starts an interactive session (REPL).\n",
          progname, progname);
}

static int dostring(lua_State *L, const char *s, const char *name) {
  int status = luaL_loadbuffer(L, s, strlen(s), name);
  if (status == LUA_OK) status = canns_docall(L, 0, 0);
  canns_report(L, status);
  return status;
}

static int dorequire(lua_State *L, const char *name) {
  lua_getglobal(L, "require");
  lua_pushstring(L, name);
  int status = canns_docall(L, 1, 1);
  if (status == LUA_OK) {
    const char *dot = strrchr(name, '.');
    lua_setglobal(L, dot ? dot + 1 : name);
  }
  canns_report(L, status);
  return status;
}

/* arg table as lua.c builds it: arg[0] = script, negative = options. */
static void create_arg_table(lua_State *L, char **argv, int argc, int script) {
  lua_createtable(L, argc - script - 1, script + 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static int handle_script(lua_State *L, char **argv, int argc, int script) {
  const char *fname = argv[script];
  if (strcmp(fname, "-") == 0 && strcmp(argv[script - 1], "--") != 0) fname = NULL;
  int status = luaL_loadfile(L, fname);
  if (status == LUA_OK) {
    int n = 0;
    for (int i = script + 1; i < argc; i++, n++) lua_pushstring(L, argv[i]);
    status = canns_docall(L, n, LUA_MULTRET);
  }
  canns_report(L, status);
  return status;
}

static int doctor(lua_State *L) {
  return dostring(L,
                  "local core = require 'canns.core'\n"
                  "local info = core.build_info()\n"
                  "print('canns ' .. core.version)\n"
                  "for _, k in ipairs{'build', 'blas', 'fftw', 'openmp', 'netcdf', 'cuda'} do\n"
                  "  print(string.format('  %-7s %s', k, info[k]))\n"
                  "end\n"
                  "local ok, canns = pcall(require, 'canns')\n"
                  "print(string.format('  %-7s %s', 'lua', ok and (package.searchpath('canns', package.path) or '?') or ('cannot load canns: ' .. tostring(canns))))\n"
                  "if not ok then error('the canns Lua package could not be loaded', 0) end\n",
                  "=doctor") == LUA_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* A command written in Lua: require(module).fn(argv[first..]). */
static int run_command(lua_State *L, const char *module, const char *fn, char **argv, int argc,
                       int first) {
  lua_getglobal(L, "require");
  lua_pushstring(L, module);
  int status = canns_docall(L, 1, 1);
  if (status == LUA_OK) {
    lua_getfield(L, -1, fn);
    lua_remove(L, -2);
    int n = 0;
    for (int i = first; i < argc; i++, n++) lua_pushstring(L, argv[i]);
    status = canns_docall(L, n, 1);
    /* a command may return its exit status (a usage error: 2, as argparse) */
    if (status == LUA_OK) {
      int isnum = 0;
      lua_Integer rc = lua_tointegerx(L, -1, &isnum);
      lua_pop(L, 1);
      if (isnum) return rc >= 0 && rc <= 255 ? (int)rc : EXIT_FAILURE;
    }
  }
  canns_report(L, status);
  return status == LUA_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}

static void print_env(void) {
  char dir[PATH_MAX];
  exe_dir(dir, sizeof dir);
  printf("export LUA_PATH=\"%s/lua/?.lua;%s/lua/?/init.lua;;\"\n", dir, dir);
  printf("export LUA_CPATH=\"%s/lib/?.so;;\"\n", dir);
}

int main(int argc, char **argv) {
  lua_State *L = luaL_newstate();
  if (!L) {
    fprintf(stderr, "%s: cannot create Lua state: not enough memory\n", progname);
    return EXIT_FAILURE;
  }
  luaL_openlibs(L);
  setup_paths(L);

  int interactive = 0, ran = 0, status = LUA_OK, script = 0;
  int i;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || strcmp(a, "-") == 0) break;
    if (strcmp(a, "--") == 0) { i++; break; }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { print_usage(stdout); lua_close(L); return 0; }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0) {
      printf("canns %s (%s, %s)\n", CANNS_VERSION, LUA_RELEASE, CANNS_BUILD_TYPE);
      lua_close(L);
      return 0;
    }
    if (strcmp(a, "--env") == 0) { print_env(); lua_close(L); return 0; }
    if (strcmp(a, "-i") == 0) { interactive = 1; continue; }
    if (strcmp(a, "-e") == 0 || strcmp(a, "-l") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "%s: '%s' needs an argument\n", progname, a);
        print_usage(stderr);
        lua_close(L);
        return EXIT_FAILURE;
      }
      i++;
      continue; /* run in order below, after the arg table exists */
    }
    fprintf(stderr, "%s: unrecognized option '%s'\n", progname, a);
    print_usage(stderr);
    lua_close(L);
    return EXIT_FAILURE;
  }
  script = i < argc ? i : 0;
  if (script && strcmp(argv[script], "doctor") == 0 && script == argc - 1 && script == 1) {
    int r = doctor(L);
    lua_close(L);
    return r;
  }
  if (script == 1 && (strcmp(argv[1], "gallery") == 0 || strcmp(argv[1], "asa") == 0 ||
                      strcmp(argv[1], "tui") == 0)) {
    create_arg_table(L, argv, argc, script);
    const char *mod = argv[1][0] == 'g' ? "canns.pipeline.tui.gallery"
                      : argv[1][0] == 'a' ? "canns.pipeline.tui.asa" : "canns.pipeline.launcher";
    int r = run_command(L, mod, "main", argv, argc, 2);
    lua_close(L);
    return r;
  }
  if (script == 1 && strcmp(argv[1], "spatial-tda") == 0) {
    create_arg_table(L, argv, argc, script);
    int r = run_command(L, "canns.analyzer.data.asa.spatial_tda_cli", "main", argv, argc, 2);
    lua_close(L);
    return r;
  }
  create_arg_table(L, argv, argc, script); /* no script: arg[0] = program */
  /* -e and -l in command-line order */
  for (int k = 1; k < (script ? script : argc) && status == LUA_OK; k++) {
    if (strcmp(argv[k], "--") == 0) break;
    if (strcmp(argv[k], "-e") == 0) { status = dostring(L, argv[++k], "=(command line)"); ran = 1; }
    else if (strcmp(argv[k], "-l") == 0) { status = dorequire(L, argv[++k]); }
  }
  if (status == LUA_OK && script) {
    status = handle_script(L, argv, argc, script);
    ran = 1;
  }
  if (status == LUA_OK) {
    if (interactive) {
      status = canns_repl(L);
    } else if (!ran) {
      if (isatty(0)) status = canns_repl(L);
      else {
        status = luaL_loadfile(L, NULL);
        if (status == LUA_OK) status = canns_docall(L, 0, 0);
        canns_report(L, status);
      }
    }
  }
  lua_close(L);
  return status == LUA_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}
