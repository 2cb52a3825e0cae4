/* canns — colour maps: matplotlib's look-up tables (tables.c), reversed
 * variants and listed maps.  Mapping follows matplotlib: a value t in
 * [0, 1] picks entry floor(t*n) (t = 1 picks the last), values outside
 * clamp to the ends, NaN gives the "bad" colour (transparent). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot/internal.h"

static int hex2(const char *p) {
  int v = 0;
  for (int i = 0; i < 2; i++) {
    char c = p[i];
    v = v * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return v;
}

const char *cn_colormap_builtin(int i) {
  int n = 0;
  while (cn_cmap_tables[n].name) n++;
  return i >= 0 && i < n ? cn_cmap_tables[i].name : NULL;
}

cn_status cn_colormap_get(cn_colormap *out, const char *name) {
  if (!name || !*name) return cn_error(CN_EINVAL, "colour map name is empty");
  char base[48];
  size_t n = strlen(name);
  bool reversed = false;
  if (n >= sizeof base) goto unknown;
  memcpy(base, name, n + 1);
  if (n > 2 && strcmp(base + n - 2, "_r") == 0) reversed = true, base[n - 2] = 0;
  /* matplotlib spells the grey maps both ways */
  if (strcmp(base, "grey") == 0) strcpy(base, "gray");
  if (strcmp(base, "Greys") != 0 && strcmp(base, "greys") == 0) strcpy(base, "Greys");
  /* RdBu_r is itself a built-in name */
  for (const cn_cmap_table *t = cn_cmap_tables; t->name; t++) {
    if (strcmp(t->name, base) != 0) continue;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    out->n = t->n;
    for (int i = 0; i < t->n; i++) {
      int j = reversed ? t->n - 1 - i : i;
      for (int k = 0; k < 3; k++) out->lut[i][k] = (uint8_t)hex2(t->hex + 6 * j + 2 * k);
    }
    out->bad = (cn_rgba){0, 0, 0, 0};
    return CN_OK;
  }
unknown:;
  char list[512];
  size_t p = 0;
  for (const cn_cmap_table *t = cn_cmap_tables; t->name && p < sizeof list - 40; t++)
    p += snprintf(list + p, sizeof list - p, "%s%s", p ? ", " : "", t->name);
  return cn_error(CN_EINVAL, "unknown colour map '%s' (expected one of %s, or "
                  "any of them with '_r')", name, list);
}

cn_status cn_colormap_listed(cn_colormap *out, const cn_rgba *colors, int n) {
  if (n < 1 || n > CN_CMAP_MAX)
    return cn_error(CN_EINVAL, "a listed colour map needs 1..%d colours, got %d",
                    CN_CMAP_MAX, n);
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "listed");
  out->n = n;
  for (int i = 0; i < n; i++) {
    double v[3] = {colors[i].r, colors[i].g, colors[i].b};
    for (int k = 0; k < 3; k++) {
      double x = v[k] < 0 ? 0 : v[k] > 1 ? 1 : v[k];
      out->lut[i][k] = (uint8_t)(x * 255.0 + 0.5);
    }
  }
  out->bad = (cn_rgba){0, 0, 0, 0};
  return CN_OK;
}

cn_rgba cn_colormap_eval(const cn_colormap *c, double t) {
  if (isnan(t)) return c->bad;
  int i;
  if (t <= 0) i = 0;
  else if (t >= 1) i = c->n - 1;
  else {
    i = (int)(t * c->n);
    if (i >= c->n) i = c->n - 1;
  }
  return (cn_rgba){c->lut[i][0] / 255.0, c->lut[i][1] / 255.0,
                   c->lut[i][2] / 255.0, 1.0};
}
