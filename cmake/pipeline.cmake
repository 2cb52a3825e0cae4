# Pipelines (lua/canns/pipeline/, src/lua/l_db.c, src/lua/l_proc.c): the
# sweep index is an SQLite database (libsqlite3).
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
list(APPEND CANNS_EXTRA_LUA_LIBS PkgConfig::SQLITE3)
