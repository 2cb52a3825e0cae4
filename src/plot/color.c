/* canns — colours: matplotlib colour specifications and Cairo sources. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plot/internal.h"

static const char *const tab10[10] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

static bool parse_hex(const char *s, cn_rgba *out) {
  size_t n = strlen(s);
  int v[8];
  if (n != 3 && n != 4 && n != 6 && n != 8) return false;
  for (size_t i = 0; i < n; i++)
    if ((v[i] = hexval((unsigned char)s[i])) < 0) return false;
  if (n <= 4) {
    out->r = v[0] / 15.0, out->g = v[1] / 15.0, out->b = v[2] / 15.0;
    out->a = n == 4 ? v[3] / 15.0 : 1.0;
  } else {
    out->r = (v[0] * 16 + v[1]) / 255.0;
    out->g = (v[2] * 16 + v[3]) / 255.0;
    out->b = (v[4] * 16 + v[5]) / 255.0;
    out->a = n == 8 ? (v[6] * 16 + v[7]) / 255.0 : 1.0;
  }
  return true;
}

cn_rgba cn_color_cycle(int i) {
  cn_rgba c;
  if (i < 0) i = -i;
  parse_hex(tab10[i % 10] + 1, &c);
  return c;
}

cn_status cn_color_parse(const char *spec, cn_rgba *out) {
  if (!spec || !out) return cn_error(CN_EINVAL, "colour must be a string");
  const char *s = spec;
  while (isspace((unsigned char)*s)) s++;
  if (*s == '#') {
    if (parse_hex(s + 1, out)) return CN_OK;
    return cn_error(CN_EINVAL, "invalid colour '%s' (expected #rgb, #rrggbb "
                    "or #rrggbbaa)", spec);
  }
  if (strcasecmp(s, "none") == 0) {
    *out = (cn_rgba){0, 0, 0, 0};
    return CN_OK;
  }
  if ((s[0] == 'C' || s[0] == 'c') && isdigit((unsigned char)s[1]) && !s[2]) {
    *out = cn_color_cycle(s[1] - '0');
    return CN_OK;
  }
  /* a grey level "0.0".."1.0" */
  char *end;
  double g = strtod(s, &end);
  if (end != s && *end == '\0') {
    if (!(g >= 0.0 && g <= 1.0))
      return cn_error(CN_EINVAL, "grey level colour '%s' must be in [0, 1]", spec);
    *out = (cn_rgba){g, g, g, 1.0};
    return CN_OK;
  }
  /* names: exact (single letters are case-sensitive), then any case;
   * "grey" spellings map to "gray" */
  char name[64];
  size_t n = strlen(s);
  if (n >= sizeof name) goto unknown;
  for (size_t i = 0; i <= n; i++) name[i] = (char)tolower((unsigned char)s[i]);
  char *grey = strstr(name, "grey");
  if (grey) grey[2] = 'a';
  for (const cn_named_color *c = cn_named_colors; c->name; c++) {
    bool match = strlen(c->name) == 1 ? strcmp(c->name, s) == 0
                                      : strcmp(c->name, name) == 0;
    if (match) {
      parse_hex(c->hex + 1, out);
      return CN_OK;
    }
  }
unknown:
  return cn_error(CN_EINVAL, "unknown colour '%s' (expected a name like "
                  "'black' or 'tab:blue', 'C0'..'C9', '#rrggbb' or a grey "
                  "level '0.5')", spec);
}

void pl_set_source(cairo_t *cr, cn_rgba c, double alpha) {
  double a = (c.a < 0 ? 1.0 : c.a) * (alpha >= 0 ? alpha : 1.0);
  cairo_set_source_rgba(cr, c.r, c.g, c.b, a);
}

/* matplotlib's dash patterns (lines.*_pattern), scaled by the line width
 * as matplotlib does (lines.scale_dashes). */
void pl_set_dash(cairo_t *cr, cn_linestyle ls, double lw) {
  static const double dashed[] = {3.7, 1.6};
  static const double dotted[] = {1.0, 1.65};
  static const double dashdot[] = {6.4, 1.6, 1.0, 1.6};
  const double *p = NULL;
  int n = 0;
  switch (ls) {
  case CN_LS_DASHED: p = dashed, n = 2; break;
  case CN_LS_DOTTED: p = dotted, n = 2; break;
  case CN_LS_DASHDOT: p = dashdot, n = 4; break;
  default: break;
  }
  if (!p) {
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
    return;
  }
  double d[4], s = lw > 0 ? lw : 1.0;
  for (int i = 0; i < n; i++) d[i] = p[i] * s;
  cairo_set_dash(cr, d, n, 0);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
}

cn_status cn_linestyle_parse(const char *s, cn_linestyle *out) {
  static const struct { const char *name; cn_linestyle ls; } t[] = {
      {"-", CN_LS_SOLID},     {"solid", CN_LS_SOLID},   {"--", CN_LS_DASHED},
      {"dashed", CN_LS_DASHED}, {":", CN_LS_DOTTED},    {"dotted", CN_LS_DOTTED},
      {"-.", CN_LS_DASHDOT},  {"dashdot", CN_LS_DASHDOT}, {"none", CN_LS_NONE},
      {"None", CN_LS_NONE},   {"", CN_LS_NONE},         {" ", CN_LS_NONE}};
  for (size_t i = 0; s && i < sizeof t / sizeof t[0]; i++)
    if (strcmp(s, t[i].name) == 0) return *out = t[i].ls, CN_OK;
  return cn_error(CN_EINVAL, "unknown line style '%s' (expected '-', '--', "
                  "':', '-.' or 'none')", s ? s : "(null)");
}

cn_status cn_marker_parse(const char *s, cn_marker *out) {
  static const struct { const char *name; cn_marker m; } t[] = {
      {"", CN_MK_NONE},   {"none", CN_MK_NONE},   {"None", CN_MK_NONE},
      {".", CN_MK_POINT}, {"o", CN_MK_CIRCLE},    {"s", CN_MK_SQUARE},
      {"^", CN_MK_TRIANGLE}, {"D", CN_MK_DIAMOND}, {"d", CN_MK_DIAMOND},
      {"*", CN_MK_STAR},  {"+", CN_MK_PLUS},      {"x", CN_MK_CROSS},
      {"|", CN_MK_VBAR},  {"_", CN_MK_HBAR}};
  for (size_t i = 0; s && i < sizeof t / sizeof t[0]; i++)
    if (strcmp(s, t[i].name) == 0) return *out = t[i].m, CN_OK;
  return cn_error(CN_EINVAL, "unknown marker '%s' (expected one of "
                  "'o' '.' 's' '^' 'D' '*' '+' 'x' '|' '_' 'none')",
                  s ? s : "(null)");
}

cn_status cn_legend_loc_parse(const char *s, int *loc) {
  static const char *const names[] = {
      "best", "upper right", "upper left", "lower left", "lower right",
      "right", "center left", "center right", "lower center",
      "upper center", "center"};
  for (int i = 0; s && i < 11; i++)
    if (strcmp(s, names[i]) == 0) return *loc = i, CN_OK;
  return cn_error(CN_EINVAL, "unknown legend location '%s' (expected 'best', "
                  "'upper right', 'upper left', 'lower left', 'lower right', "
                  "'right', 'center left', 'center right', 'lower center', "
                  "'upper center' or 'center')", s ? s : "(null)");
}

char *pl_strdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* UTF-8 that Cairo accepts when it draws (its UNICODE_VALID): shortest
 * forms only, no surrogates, nothing above U+10FFFF, no noncharacters
 * (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF). */
bool pl_utf8_valid(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (p && *p) {
    uint32_t c = *p++;
    int n;
    if (c < 0x80) continue;
    if (c >= 0xc2 && c <= 0xdf) n = 1, c &= 0x1f;
    else if (c >= 0xe0 && c <= 0xef) n = 2, c &= 0x0f;
    else if (c >= 0xf0 && c <= 0xf4) n = 3, c &= 0x07;
    else return false;
    for (int i = 0; i < n; i++, p++) {
      if ((*p & 0xc0) != 0x80) return false;
      c = c << 6 | (*p & 0x3f);
    }
    uint32_t min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
        (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
      return false;
  }
  return true;
}
