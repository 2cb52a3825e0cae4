/* canns — the stand-alone host (src/main.c) and its REPL (src/repl.c). */
#ifndef CANNS_HOST_H
#define CANNS_HOST_H

#include <lua.h>

/* Run the interactive loop until EOF; returns the process exit status. */
int canns_repl(lua_State *L);
/* Run a chunk on the stack with a traceback handler; report any error on
 * stderr.  Returns a Lua status. */
int canns_docall(lua_State *L, int narg, int nres);
/* Print an error message from the top of the stack (and pop it). */
void canns_report(lua_State *L, int status);

#endif
