/* canns — the interactive loop: readline editing and history, completion
 * of table fields and array methods, results printed like the lua REPL
 * (arrays through their numpy-style __tostring).
 *
 * History is kept for the session; set CANNS_HISTORY=<file> to load and
 * save it across sessions (canns writes no files unless asked).
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define PROMPT "canns> "
#define PROMPT2 "   ...> "
#define EOFMARK "<eof>"

static lua_State *replL;

/* --- completion ------------------------------------------------------------ */

/* Push the value named by the dotted/colon path prefix (e.g. "canns.models"),
 * or nil.  Field access goes through lua_getfield inside a protected call. */
static int resolve(lua_State *L) {
  const char *path = lua_tostring(L, 1);
  lua_pushglobaltable(L);
  const char *p = path;
  while (*p) {
    const char *q = p;
    while (*q && *q != '.' && *q != ':') q++;
    if (!lua_istable(L, -1) && !lua_isuserdata(L, -1)) {
      lua_pushnil(L);
      return 1;
    }
    lua_pushlstring(L, p, q - p);
    lua_gettable(L, -2);
    lua_remove(L, -2);
    if (!*q) break;
    p = q + 1;
  }
  return 1;
}

/* Add the keys of the table at `obj` (and of its metatable's __index /
 * __methods tables) that start with `part` to the set table at `out`. */
static void collect_keys(lua_State *L, int obj, int out, const char *part, int depth) {
  if (depth > 4) return;
  int top = lua_gettop(L);
  size_t n = strlen(part);
  if (lua_istable(L, obj)) {
    lua_pushnil(L);
    while (lua_next(L, obj)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) {
        const char *k = lua_tostring(L, -1);
        if (strncmp(k, part, n) == 0) {
          lua_pushvalue(L, -1);
          lua_pushboolean(L, 1);
          lua_settable(L, out);
        }
      }
    }
  }
  if (lua_getmetatable(L, obj)) {
    int mt = lua_gettop(L);
    /* arrays keep their methods in __methods */
    if (lua_getfield(L, mt, "__methods") == LUA_TTABLE)
      collect_keys(L, lua_gettop(L), out, part, depth + 1);
    lua_pop(L, 1);
    if (lua_getfield(L, mt, "__index") == LUA_TTABLE)
      collect_keys(L, lua_gettop(L), out, part, depth + 1);
    lua_pop(L, 1);
  }
  lua_settop(L, top);
}

static char **matches = NULL;
static int nmatches = 0, imatch = 0;

static void free_matches(void) {
  for (int i = 0; i < nmatches; i++) free(matches[i]);
  free(matches);
  matches = NULL;
  nmatches = imatch = 0;
}

static void compute_matches(const char *text) {
  free_matches();
  lua_State *L = replL;
  int top = lua_gettop(L);
  const char *sep = NULL;
  for (const char *p = text; *p; p++)
    if (*p == '.' || *p == ':') sep = p;
  char prefix[512] = "";
  const char *part = text;
  if (sep) {
    size_t k = (size_t)(sep - text);
    if (k >= sizeof prefix) return;
    memcpy(prefix, text, k);
    prefix[k] = 0;
    part = sep + 1;
    lua_pushcfunction(L, resolve);
    lua_pushstring(L, prefix);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
      lua_settop(L, top);
      return;
    }
  } else {
    lua_pushglobaltable(L);
  }
  int obj = lua_gettop(L);
  lua_newtable(L);
  collect_keys(L, obj, lua_gettop(L), part, 0);
  if (!sep) { /* keywords too */
    static const char *const kw[] = {"and", "break", "do", "else", "elseif", "end", "false",
                                     "for", "function", "goto", "if", "in", "local", "nil",
                                     "not", "or", "repeat", "return", "then", "true", "until",
                                     "while", NULL};
    for (int i = 0; kw[i]; i++)
      if (strncmp(kw[i], part, strlen(part)) == 0) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, kw[i]);
      }
  }
  int cap = 16;
  matches = malloc(cap * sizeof *matches);
  lua_pushnil(L);
  while (matches && lua_next(L, -2)) {
    lua_pop(L, 1);
    const char *k = lua_tostring(L, -1);
    size_t len = strlen(prefix) + strlen(k) + 2;
    char *m = malloc(len);
    if (!m) break;
    if (sep) snprintf(m, len, "%s%c%s", prefix, *sep, k);
    else snprintf(m, len, "%s", k);
    if (nmatches == cap) {
      char **nm = realloc(matches, 2 * cap * sizeof *matches);
      if (!nm) { free(m); break; }
      matches = nm;
      cap *= 2;
    }
    matches[nmatches++] = m;
  }
  lua_settop(L, top);
}

static char *generator(const char *text, int state) {
  if (state == 0) compute_matches(text);
  if (imatch < nmatches) {
    char *m = matches[imatch++];
    return strdup(m);
  }
  return NULL;
}

static char **completion(const char *text, int start, int end) {
  (void)start;
  (void)end;
  rl_completion_append_character = '\0';
  return rl_completion_matches(text, generator);
}

/* --- reading and running lines ---------------------------------------------- */

static int incomplete(lua_State *L, int status) {
  if (status == LUA_ERRSYNTAX) {
    size_t lmsg;
    const char *msg = lua_tolstring(L, -1, &lmsg);
    size_t lmark = sizeof(EOFMARK) - 1;
    if (lmsg >= lmark && strcmp(msg + lmsg - lmark, EOFMARK) == 0) {
      lua_pop(L, 1);
      return 1;
    }
  }
  return 0;
}

/* Try "return <line>" first so expressions print their value. */
static int addreturn(lua_State *L, const char *line) {
  const char *retline = lua_pushfstring(L, "return %s;", line);
  int status = luaL_loadbuffer(L, retline, strlen(retline), "=stdin");
  lua_remove(L, -2);
  if (status != LUA_OK) lua_pop(L, 1);
  return status;
}

/* Read a whole statement (possibly several lines); leaves a loaded chunk on
 * the stack.  Returns -1 at EOF. */
static int loadline(lua_State *L) {
  char *line = readline(PROMPT);
  if (!line) return -1;
  if (line[0]) add_history(line);
  if (addreturn(L, line) == LUA_OK) {
    free(line);
    return LUA_OK;
  }
  size_t len = strlen(line);
  char *buf = malloc(len + 1);
  memcpy(buf, line, len + 1);
  free(line);
  int status;
  for (;;) {
    status = luaL_loadbuffer(L, buf, len, "=stdin");
    if (!incomplete(L, status)) break;
    char *more = readline(PROMPT2);
    if (!more) break;
    if (more[0]) add_history(more);
    size_t m = strlen(more);
    char *nb = realloc(buf, len + m + 2);
    if (!nb) { free(more); break; }
    buf = nb;
    buf[len] = '\n';
    memcpy(buf + len + 1, more, m + 1);
    len += m + 1;
    free(more);
  }
  free(buf);
  return status;
}

static void print_results(lua_State *L) {
  int n = lua_gettop(L);
  if (n == 0) return;
  luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
  lua_getglobal(L, "print");
  lua_insert(L, 1);
  if (lua_pcall(L, n, 0, 0) != LUA_OK) {
    fprintf(stderr, "canns: error calling 'print' (%s)\n", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
}

int canns_repl(lua_State *L) {
  replL = L;
  rl_readline_name = "canns";
  rl_attempted_completion_function = completion;
  static char breaks[] = " \t\n\"\\'`@$><=;|&{(,)}[]+-*/%^#~";
  rl_basic_word_break_characters = breaks;
  rl_completer_word_break_characters = breaks; /* no '.' or ':' */
  const char *hist = getenv("CANNS_HISTORY");
  if (hist && *hist) read_history(hist);
  /* `canns` is pre-loaded as a global for interactive use. */
  lua_getglobal(L, "require");
  lua_pushstring(L, "canns");
  if (canns_docall(L, 1, 1) == LUA_OK) lua_setglobal(L, "canns");
  else canns_report(L, LUA_ERRRUN);
  printf("canns %s REPL (%s) -- type canns.<TAB> to explore, Ctrl-D to quit\n",
         LUA_RELEASE, "readline");
  int status;
  lua_settop(L, 0);
  while ((status = loadline(L)) != -1) {
    if (status == LUA_OK) status = canns_docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK) print_results(L);
    else canns_report(L, status);
    lua_settop(L, 0);
  }
  putchar('\n');
  fflush(stdout);
  if (hist && *hist) write_history(hist);
  free_matches();
  return LUA_OK;
}
