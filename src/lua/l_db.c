/* canns — a small SQLite binding for the pipelines (the sweep index).
 *
 *   local db = core.db_open(path)          -- creates the file if absent
 *   local rows = db:exec(sql, p1, p2, ...) -- ? parameters; rows as tables
 *   db:close()
 *
 * Parameters may be nil, booleans (stored 0/1), integers, numbers and
 * strings.  Each row is a table keyed by column name.  The connection
 * waits up to 60 s for a lock held by another process (busy timeout), so
 * the processes of one sweep can share the file. */
#include <sqlite3.h>
#include <string.h>

#include "lua/cnlua.h"

#define DB_MT "canns.db"

typedef struct { sqlite3 *db; char path[512]; } l_db;

static l_db *checkdb(lua_State *L, const char *fname) {
  l_db *d = luaL_checkudata(L, 1, DB_MT);
  if (!d->db) cnL_error(L, fname, "the database '%s' is closed", d->path);
  return d;
}

static int db_open(lua_State *L) {
  const char *path = cnL_checkstring(L, 1, "db_open", 1, "path");
  l_db *d = lua_newuserdatauv(L, sizeof *d, 0);
  d->db = NULL;
  snprintf(d->path, sizeof d->path, "%s", path);
  luaL_setmetatable(L, DB_MT);
  int rc = sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK) {
    const char *msg = d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc);
    lua_pushfstring(L, "db_open: cannot open '%s': %s", path, msg);
    sqlite3_close(d->db);
    d->db = NULL;
    return lua_error(L);
  }
  sqlite3_busy_timeout(d->db, 60000);
  sqlite3_extended_result_codes(d->db, 1);
  return 1;
}

static void bind_params(lua_State *L, l_db *d, sqlite3_stmt *st, int first, int top) {
  int n = sqlite3_bind_parameter_count(st);
  if (top - first + 1 != n) {
    sqlite3_finalize(st);
    cnL_error(L, "exec", "the statement takes %d parameters, got %d", n, top - first + 1);
  }
  for (int i = first; i <= top; i++) {
    int k = i - first + 1, rc = SQLITE_OK;
    switch (lua_type(L, i)) {
      case LUA_TNIL: rc = sqlite3_bind_null(st, k); break;
      case LUA_TBOOLEAN: rc = sqlite3_bind_int(st, k, lua_toboolean(L, i)); break;
      case LUA_TNUMBER:
        rc = lua_isinteger(L, i) ? sqlite3_bind_int64(st, k, lua_tointeger(L, i))
                                 : sqlite3_bind_double(st, k, lua_tonumber(L, i));
        break;
      case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, i, &len);
        rc = sqlite3_bind_text(st, k, s, (int)len, SQLITE_TRANSIENT);
        break;
      }
      default: {
        char b[128];
        sqlite3_finalize(st);
        cnL_argerror(L, "exec", i, "parameter", "must be nil, a boolean, a number or a string, got %s",
                     cnL_describe(L, i, b, sizeof b));
      }
    }
    if (rc != SQLITE_OK) {
      lua_pushfstring(L, "exec: '%s': %s", d->path, sqlite3_errmsg(d->db));
      sqlite3_finalize(st);
      lua_error(L);
    }
  }
}

/* db:exec(sql, ...) -> list of rows.  Several statements separated by ';'
 * may be given when there are no parameters. */
static int db_exec(lua_State *L) {
  l_db *d = checkdb(L, "exec");
  size_t len;
  cnL_checkstring(L, 2, "exec", 1, "sql");
  const char *sql = lua_tolstring(L, 2, &len), *end = sql + len;
  int top = lua_gettop(L);
  lua_newtable(L);
  int rows = lua_gettop(L);
  lua_Integer nrow = 0;
  while (sql < end) {
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(d->db, sql, (int)(end - sql), &st, &tail);
    if (rc != SQLITE_OK) {
      lua_pushfstring(L, "exec: '%s': %s", d->path, sqlite3_errmsg(d->db));
      return lua_error(L);
    }
    sql = tail;
    if (!st) continue; /* whitespace or comment */
    if (top > 2) bind_params(L, d, st, 3, top);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      int nc = sqlite3_column_count(st);
      lua_createtable(L, 0, nc);
      for (int c = 0; c < nc; c++) {
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_INTEGER: lua_pushinteger(L, sqlite3_column_int64(st, c)); break;
          case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(st, c)); break;
          case SQLITE_NULL: lua_pushnil(L); break;
          default:
            lua_pushlstring(L, (const char *)sqlite3_column_text(st, c), sqlite3_column_bytes(st, c));
        }
        lua_setfield(L, -2, sqlite3_column_name(st, c));
      }
      lua_rawseti(L, rows, ++nrow);
    }
    if (rc != SQLITE_DONE) {
      lua_pushfstring(L, "exec: '%s': %s", d->path, sqlite3_errmsg(d->db));
      sqlite3_finalize(st);
      return lua_error(L);
    }
    sqlite3_finalize(st);
  }
  return 1;
}

static int db_close(lua_State *L) {
  l_db *d = luaL_checkudata(L, 1, DB_MT);
  if (d->db) sqlite3_close_v2(d->db);
  d->db = NULL;
  return 0;
}

static int db_tostring(lua_State *L) {
  l_db *d = luaL_checkudata(L, 1, DB_MT);
  lua_pushfstring(L, "canns.db('%s'%s)", d->path, d->db ? "" : ", closed");
  return 1;
}

void cnL_open_db(lua_State *L) {
  luaL_newmetatable(L, DB_MT);
  static const luaL_Reg m[] = {{"exec", db_exec}, {"close", db_close}, {NULL, NULL}};
  lua_newtable(L);
  luaL_setfuncs(L, m, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, db_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, db_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, db_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_pushcfunction(L, db_open);
  lua_setfield(L, -2, "db_open");
}
