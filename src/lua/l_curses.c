/* canns — the terminal UIs' screen (ncursesw), for `canns gallery`:
 *
 *   core.curses.init() -> rows, cols     newterm on the terminal of stdin/stdout
 *                                         (an error when they are not one),
 *                                         cbreak, noecho, keypad, hidden cursor,
 *                                         colours when present
 *   core.curses.finish()                 endwin (safe to call twice)
 *   core.curses.active()                 whether the screen is up
 *   core.curses.size() -> rows, cols
 *   core.curses.erase(), refresh()
 *   core.curses.put(row, col, text [, style [, width]])
 *                                         text clipped to the screen (0-based
 *                                         row/col); style: "bold", "reverse",
 *                                         "dim", "title", "ok", "error" or
 *                                         nil; width pads or cuts the text
 *   core.curses.getch([timeout_ms]) -> key | nil on timeout
 *                                         a one-character string, or "up",
 *                                         "down", "left", "right", "enter",
 *                                         "tab", "btab", "backspace", "esc",
 *                                         "home", "end", "npage", "ppage",
 *                                         "resize", "f5", "ctrl-r", "ctrl-w"
 *   core.curses.image(path, row, col, rows, cols)
 *                                         draws a PNG in the box: two pixels per
 *                                         cell with upper-half blocks in 256
 *                                         colours on a UTF-8 terminal, else a
 *                                         luminance ramp of ASCII characters
 *
 * Nothing here aborts on a bad argument: a Lua error names the function. */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>

#include "canns/plot.h"
#include "lua/cnlua.h"

enum { P_TITLE = 1, P_OK, P_ERROR, P_IMAGE0 };

static SCREEN *screen = NULL;
static int active = 0, utf8 = 0, colours = 0, next_pair = P_IMAGE0;
static short *pair_of = NULL; /* 256 * 256 (fg, bg) -> pair, 0: none yet */

static int l_init(lua_State *L) {
  if (!active) {
    setlocale(LC_ALL, "");
    utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    if (!isatty(0) || !isatty(1))
      return cnL_error(L, "curses.init", "needs a terminal: standard input and output are not one");
    /* newterm, not initscr: an unknown terminal is an error, not an exit */
    screen = newterm(NULL, stdout, stdin);
    if (!screen) return cnL_error(L, "curses.init", "cannot start the terminal screen (TERM=%s)",
                                  getenv("TERM") ? getenv("TERM") : "unset");
    set_term(screen);
    active = 1;
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    colours = 0;
    if (has_colors()) {
      start_color();
      use_default_colors();
      init_pair(P_TITLE, COLOR_CYAN, -1);
      init_pair(P_OK, COLOR_GREEN, -1);
      init_pair(P_ERROR, COLOR_RED, -1);
      colours = COLORS >= 256 && COLOR_PAIRS > P_IMAGE0 + 16;
    }
    next_pair = P_IMAGE0;
    free(pair_of);
    pair_of = colours ? calloc(256 * 256, sizeof(short)) : NULL;
    if (colours && !pair_of) colours = 0;
  }
  lua_pushinteger(L, LINES);
  lua_pushinteger(L, COLS);
  return 2;
}

static int l_finish(lua_State *L) {
  if (active) {
    endwin();
    delscreen(screen);
    screen = NULL;
    active = 0;
  }
  free(pair_of);
  pair_of = NULL;
  return 0;
}

static int l_active(lua_State *L) {
  lua_pushboolean(L, active);
  return 1;
}

static void need(lua_State *L, const char *fn) {
  if (!active) cnL_error(L, fn, "the screen is not started (call curses.init first)");
}

static int l_size(lua_State *L) {
  need(L, "curses.size");
  lua_pushinteger(L, LINES);
  lua_pushinteger(L, COLS);
  return 2;
}

static int l_erase(lua_State *L) {
  need(L, "curses.erase");
  erase();
  return 0;
}

static int l_refresh(lua_State *L) {
  need(L, "curses.refresh");
  refresh();
  return 0;
}

static attr_t style(lua_State *L, int idx, const char *fn) {
  if (lua_isnoneornil(L, idx)) return A_NORMAL;
  const char *s = cnL_checkstring(L, idx, fn, idx, "style");
  if (!strcmp(s, "bold")) return A_BOLD;
  if (!strcmp(s, "reverse")) return A_REVERSE;
  if (!strcmp(s, "dim")) return A_DIM;
  if (!strcmp(s, "title")) return A_BOLD | (has_colors() ? COLOR_PAIR(P_TITLE) : 0);
  if (!strcmp(s, "ok")) return has_colors() ? COLOR_PAIR(P_OK) : A_BOLD;
  if (!strcmp(s, "error")) return A_BOLD | (has_colors() ? COLOR_PAIR(P_ERROR) : 0);
  cnL_argerror(L, fn, idx, "style", "must be 'bold', 'reverse', 'dim', 'title', 'ok' or 'error', got '%s'", s);
  return A_NORMAL;
}

/* Bytes of the first `cells` characters of UTF-8 text s (one cell each). */
static size_t utf8_prefix(const char *s, size_t n, int cells, int *used) {
  size_t i = 0;
  int c = 0;
  while (i < n && c < cells) {
    unsigned char b = (unsigned char)s[i];
    size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    if (i + len > n) break;
    i += len, c++;
  }
  *used = c;
  return i;
}

static int l_put(lua_State *L) {
  const char *fn = "curses.put";
  need(L, fn);
  int64_t row = cnL_checkint(L, 1, fn, 1, "row"), col = cnL_checkint(L, 2, fn, 2, "col");
  size_t n = 0;
  const char *s = lua_tolstring(L, 3, &n);
  if (!s || lua_type(L, 3) != LUA_TSTRING) {
    char d[64];
    cnL_argerror(L, fn, 3, "text", "must be a string, got %s", cnL_describe(L, 3, d, sizeof d));
  }
  attr_t a = style(L, 4, fn);
  int64_t width = -1;
  if (!lua_isnoneornil(L, 5)) {
    width = cnL_checkint(L, 5, fn, 5, "width");
    if (width < 0 || width > 100000) cnL_argerror(L, fn, 5, "width", "must be in [0, 100000], got %lld", (long long)width);
  }
  if (row < 0 || row >= LINES || col < 0 || col >= COLS) return 0;
  int room = COLS - (int)col;
  if (width >= 0 && width < room) room = (int)width;
  int used = 0;
  size_t bytes = utf8 ? utf8_prefix(s, n, room, &used) : (n < (size_t)room ? n : (size_t)room);
  if (!utf8) used = (int)bytes;
  attron(a);
  if (utf8) mvaddnstr((int)row, (int)col, s, (int)bytes);
  else {
    move((int)row, (int)col);
    for (size_t i = 0; i < bytes; i++) addch((unsigned char)s[i] < 0x80 ? (chtype)(unsigned char)s[i] : '?');
  }
  for (int k = used; width >= 0 && k < room; k++) addch(' ');
  attroff(a);
  return 0;
}

static int l_getch(lua_State *L) {
  const char *fn = "curses.getch";
  need(L, fn);
  int64_t t = -1;
  if (!lua_isnoneornil(L, 1)) {
    t = cnL_checkint(L, 1, fn, 1, "timeout_ms");
    if (t < 0 || t > 3600000) cnL_argerror(L, fn, 1, "timeout_ms", "must be in [0, 3600000], got %lld", (long long)t);
  }
  timeout((int)t);
  int c = getch();
  static const struct { int code; const char *name; } keys[] = {
      {KEY_UP, "up"}, {KEY_DOWN, "down"}, {KEY_LEFT, "left"}, {KEY_RIGHT, "right"},
      {KEY_ENTER, "enter"}, {'\n', "enter"}, {'\r', "enter"}, {'\t', "tab"}, {KEY_BTAB, "btab"},
      {KEY_BACKSPACE, "backspace"}, {127, "backspace"}, {8, "backspace"}, {27, "esc"},
      {KEY_HOME, "home"}, {KEY_END, "end"}, {KEY_NPAGE, "npage"}, {KEY_PPAGE, "ppage"},
      {KEY_RESIZE, "resize"}, {KEY_F(5), "f5"}, {18, "ctrl-r"}, {23, "ctrl-w"}};
  if (c == ERR) return 0;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (keys[i].code == c) { lua_pushstring(L, keys[i].name); return 1; }
  if (c >= 32 && c < 127) {
    char ch = (char)c;
    lua_pushlstring(L, &ch, 1);
    return 1;
  }
  lua_pushfstring(L, "key%d", c);
  return 1;
}

/* The nearest of xterm's 256 colours (6x6x6 cube or the grey ramp). */
static int xterm256(int r, int g, int b) {
  static const int lv[6] = {0, 95, 135, 175, 215, 255};
  int q[3], rgb[3] = {r, g, b}, d1 = 0;
  for (int k = 0; k < 3; k++) {
    int best = 0;
    for (int j = 1; j < 6; j++)
      if (abs(lv[j] - rgb[k]) < abs(lv[best] - rgb[k])) best = j;
    q[k] = best;
    d1 += (lv[best] - rgb[k]) * (lv[best] - rgb[k]);
  }
  int grey = (r + g + b) / 3, gi = grey < 8 ? 0 : grey > 238 ? 23 : (grey - 8) / 10;
  int gv = 8 + 10 * gi, d2 = (gv - r) * (gv - r) + (gv - g) * (gv - g) + (gv - b) * (gv - b);
  return d2 < d1 ? 232 + gi : 16 + 36 * q[0] + 6 * q[1] + q[2];
}

static int pair_for(int fg, int bg) {
  short *p = &pair_of[fg * 256 + bg];
  if (*p) return *p;
  if (next_pair >= COLOR_PAIRS || next_pair > 32767) return 0;
  init_pair((short)next_pair, (short)fg, (short)bg);
  *p = (short)next_pair;
  return next_pair++;
}

static int l_image(lua_State *L) {
  const char *fn = "curses.image";
  need(L, fn);
  const char *path = cnL_checkstring(L, 1, fn, 1, "path");
  int64_t box[4];
  static const char *names[4] = {"row", "col", "rows", "cols"};
  for (int k = 0; k < 4; k++) {
    box[k] = cnL_checkint(L, 2 + k, fn, 2 + k, names[k]);
    if (box[k] < 0 || box[k] > 10000)
      cnL_argerror(L, fn, 2 + k, names[k], "must be in [0, 10000], got %lld", (long long)box[k]);
  }
  uint8_t *px = NULL;
  int w = 0, h = 0;
  cnL_check(L, cn_png_read(path, &px, &w, &h), fn);
  int rows = (int)box[2], cols = (int)box[3];
  if (box[0] + rows > LINES) rows = LINES - (int)box[0];
  if (box[1] + cols > COLS) cols = COLS - (int)box[1];
  if (rows <= 0 || cols <= 0 || w <= 0 || h <= 0) { free(px); return 0; }
  /* keep the aspect ratio: a cell is about twice as tall as wide */
  double sx = (double)w / cols, sy = (double)h / (2.0 * rows), s = sx > sy ? sx : sy;
  int cw = (int)(w / s), ch2 = (int)(h / s); /* cells across, half-cells down */
  if (cw < 1) cw = 1;
  if (ch2 < 2) ch2 = 2;
  static const char ramp[] = " .:-=+*#%@";
  for (int cy = 0; cy < (ch2 + 1) / 2 && cy < rows; cy++) {
    for (int cx = 0; cx < cw && cx < cols; cx++) {
      int rgb[2][3];
      for (int half = 0; half < 2; half++) {
        int y0 = (int)((2 * cy + half) * s), y1 = (int)((2 * cy + half + 1) * s);
        int x0 = (int)(cx * s), x1 = (int)((cx + 1) * s);
        if (y1 > h) y1 = h;
        if (x1 > w) x1 = w;
        if (y1 <= y0) y1 = y0 + 1 <= h ? y0 + 1 : y0;
        if (x1 <= x0) x1 = x0 + 1 <= w ? x0 + 1 : x0;
        long acc[3] = {0, 0, 0}, cnt = 0;
        for (int y = y0; y < y1 && y < h; y++)
          for (int x = x0; x < x1; x++) {
            const uint8_t *q = px + ((size_t)y * w + x) * 4;
            int a = q[3]; /* over white, as a viewer shows it */
            for (int k = 0; k < 3; k++) acc[k] += (q[k] * a + 255 * (255 - a)) / 255;
            cnt++;
          }
        for (int k = 0; k < 3; k++) rgb[half][k] = cnt ? (int)(acc[k] / cnt) : 255;
      }
      int r0 = (int)box[0] + cy, c0 = (int)box[1] + cx;
      if (colours && utf8) {
        int pr = pair_for(xterm256(rgb[0][0], rgb[0][1], rgb[0][2]), xterm256(rgb[1][0], rgb[1][1], rgb[1][2]));
        attron(COLOR_PAIR(pr));
        mvaddstr(r0, c0, "\xe2\x96\x80"); /* U+2580 upper half block */
        attroff(COLOR_PAIR(pr));
      } else {
        int lum = (rgb[0][0] + rgb[0][1] + rgb[0][2] + rgb[1][0] + rgb[1][1] + rgb[1][2]) / 6;
        mvaddch(r0, c0, (chtype)ramp[(255 - lum) * 9 / 255]);
      }
    }
  }
  free(px);
  return 0;
}

void cnL_open_curses(lua_State *L) {
  static const luaL_Reg f[] = {{"init", l_init},       {"finish", l_finish}, {"active", l_active},
                               {"size", l_size},       {"erase", l_erase},   {"refresh", l_refresh},
                               {"put", l_put},         {"getch", l_getch},   {"image", l_image},
                               {NULL, NULL}};
  lua_newtable(L);
  luaL_setfuncs(L, f, 0);
  lua_setfield(L, -2, "curses");
}
