/* canns — numpy-style printing of arrays (tostring / REPL display).
 *
 *   array([[0.  , 0.5 ],
 *          [1.25, 2.  ]], dtype=float32)
 *
 * Follows numpy's defaults: at most 8 significant decimals, the shortest
 * digits that still identify each value, scientific notation when the
 * magnitudes span too much, 75-column lines, and arrays of more than 1000
 * elements summarised with 3 items at each edge of every axis ("...").
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/cnlua.h"

#define THRESHOLD 1000
#define EDGE 3
#define LINEWIDTH 75
#define PRECISION 8

typedef struct fmt {
  cn_dtype t;
  bool sci;
  int decimals;  /* max digits after the point (positional) or in the mantissa */
  int intwidth;  /* width of the integer part incl. sign (positional) */
  int width;     /* total field width */
} fmt;

static bool summarise_axis(const cn_array *a, int d, bool summ) {
  return summ && a->shape[d] > 2 * EDGE;
}

/* Visit every printed element (respecting elision) by its flat offset. */
typedef void (*visit_fn)(const cn_array *a, int64_t off, void *ctx);
static void visit(const cn_array *a, int d, int64_t off, bool summ, visit_fn f, void *ctx) {
  if (a->ndim == 0) { f(a, 0, ctx); return; }
  int64_t n = a->shape[d], stride = 1;
  for (int k = d + 1; k < a->ndim; k++) stride *= a->shape[k];
  for (int64_t i = 0; i < n; i++) {
    if (summarise_axis(a, d, summ) && i == EDGE) i = n - EDGE;
    if (d + 1 == a->ndim) f(a, off + i, ctx);
    else visit(a, d + 1, off + i * stride, summ, f, ctx);
  }
}

/* Integer elements are printed from their own value (a double would round
 * int64 values above 2^53). */
static long long int_at(const cn_array *a, int64_t off) {
  return a->dtype == CN_INT64 ? (long long)((const int64_t *)a->data)[off]
                              : (long long)((const int32_t *)a->data)[off];
}

static void collect_int_width(const cn_array *a, int64_t off, void *ctx) {
  char buf[32];
  int w = snprintf(buf, sizeof buf, "%lld", int_at(a, off));
  if (w > *(int *)ctx) *(int *)ctx = w;
}

/* Fewest digits (<= PRECISION) that print back to v at its precision. */
static int unique_digits(double v, cn_dtype t, bool sci) {
  char buf[64];
  for (int d = 0; d <= PRECISION; d++) {
    snprintf(buf, sizeof buf, sci ? "%.*e" : "%.*f", d, v);
    double back = strtod(buf, NULL);
    if (t == CN_FLOAT32 ? (float)back == (float)v : back == v) return d;
  }
  return PRECISION;
}

typedef struct stats {
  double maxabs, minabs;
  bool any_finite, any_neg, any_nonfinite;
} stats;

static void collect(const cn_array *arr, int64_t off, void *ctx) {
  double v = cn_array_getd(arr, off);
  stats *s = ctx;
  if (!isfinite(v)) { s->any_nonfinite = true; if (v < 0) s->any_neg = true; return; }
  double a = fabs(v);
  if (v < 0 || (v == 0 && signbit(v))) s->any_neg = true;
  if (!s->any_finite || a > s->maxabs) s->maxabs = a;
  if (a > 0 && (s->minabs == 0 || a < s->minabs)) s->minabs = a;
  s->any_finite = true;
}

typedef struct digits_ctx { fmt *f; } digits_ctx;
static void collect_digits(const cn_array *a, int64_t off, void *ctx) {
  double v = cn_array_getd(a, off);
  fmt *f = ((digits_ctx *)ctx)->f;
  if (!isfinite(v)) return;
  int d = unique_digits(v, f->t, f->sci);
  if (d > f->decimals) f->decimals = d;
  if (!f->sci) {
    char buf[64];
    int w = snprintf(buf, sizeof buf, "%.0f", trunc(v)); /* "-0" for -0.5 */
    if (w > f->intwidth) f->intwidth = w;
  }
}

/* A float value in the format f (NaN and inf as numpy prints them). */
static int format_float(const fmt *f, double v, char *out, size_t n) {
  char body[96];
  if (isnan(v)) snprintf(body, sizeof body, "nan");
  else if (isinf(v)) snprintf(body, sizeof body, v > 0 ? "inf" : "-inf");
  else if (f->sci) {
    /* numpy pads unused mantissa digits with zeros in scientific mode */
    char m[64];
    snprintf(m, sizeof m, "%.*e", f->decimals, v);
    char *e = strchr(m, 'e');
    if (f->decimals == 0 && e) { /* "1e+05" -> "1.e+05" */
      char tail[32];
      snprintf(tail, sizeof tail, "%s", e);
      *e = 0;
      snprintf(body, sizeof body, "%s.%s", m, tail);
    } else {
      snprintf(body, sizeof body, "%s", m);
    }
  } else {
    int d = unique_digits(v, f->t, false);
    char num[80];
    snprintf(num, sizeof num, "%.*f", d, v);
    if (d == 0) strcat(num, ".");
    /* pad right so the decimal points line up */
    int pad = f->decimals - d;
    snprintf(body, sizeof body, "%s%*s", num, pad, "");
  }
  return snprintf(out, n, "%*s", f->width, body);
}

/* Element off of a, formatted into out. */
static int format_value(const fmt *f, const cn_array *a, int64_t off, char *out, size_t n) {
  if (f->t == CN_INT32 || f->t == CN_INT64)
    return snprintf(out, n, "%*lld", f->width, int_at(a, off));
  double v = cn_array_getd(a, off);
  if (f->t == CN_BOOL) return snprintf(out, n, "%*s", f->width, v != 0 ? "True" : "False");
  return format_float(f, v, out, n);
}

static void make_format(const cn_array *a, bool summ, fmt *f) {
  memset(f, 0, sizeof *f);
  f->t = a->dtype;
  char buf[96];
  if (a->dtype == CN_BOOL) {
    f->width = 5; /* "False" */
    return;
  }
  if (a->dtype == CN_INT32 || a->dtype == CN_INT64) { /* widest printed value */
    visit(a, 0, 0, summ, collect_int_width, &f->width);
    return;
  }
  stats s = {0};
  visit(a, 0, 0, summ, collect, &s);
  f->sci = s.any_finite && (s.maxabs >= 1e8 || (s.minabs > 0 && (s.minabs < 1e-4 ||
                                                                  s.maxabs / s.minabs > 1e3)));
  digits_ctx dc = {f};
  f->intwidth = 1;
  visit(a, 0, 0, summ, collect_digits, &dc);
  /* field width = longest formatted value */
  f->width = 0;
  if (s.any_finite) {
    double probes[2] = {s.maxabs, s.any_neg ? -s.maxabs : s.maxabs};
    for (int i = 0; i < 2; i++) {
      fmt g = *f;
      g.width = 0;
      int w = format_float(&g, probes[i], buf, sizeof buf);
      if (w > f->width) f->width = w;
    }
    if (!f->sci) {
      int w = f->intwidth + 1 + f->decimals;
      if (w > f->width) f->width = w;
    }
  }
  if (s.any_nonfinite && f->width < (s.any_neg ? 4 : 3)) f->width = s.any_neg ? 4 : 3;
}

typedef struct out {
  luaL_Buffer *b;
  int col;
} out;

static void put(out *o, const char *s) {
  luaL_addstring(o->b, s);
  const char *nl = strrchr(s, '\n');
  o->col = nl ? (int)strlen(nl + 1) : o->col + (int)strlen(s);
}

static void print_rec(const cn_array *a, const fmt *f, int d, int64_t off, bool summ,
                      int indent, out *o) {
  int64_t n = a->shape[d], stride = 1;
  for (int k = d + 1; k < a->ndim; k++) stride *= a->shape[k];
  put(o, "[");
  char buf[128];
  for (int64_t i = 0; i < n; i++) {
    bool skip = summarise_axis(a, d, summ) && i == EDGE;
    if (d + 1 == a->ndim) {
      if (i > 0) {
        const char *item = skip ? "..." : NULL;
        int w = item ? 3 : f->width;
        if (o->col + 2 + w + 1 > LINEWIDTH) {
          put(o, ",\n");
          for (int k = 0; k < indent + 1; k++) put(o, " ");
        } else {
          put(o, ", ");
        }
      }
      if (skip) { put(o, "..."); i = n - EDGE - 1; continue; }
      format_value(f, a, off + i, buf, sizeof buf);
      put(o, buf);
    } else {
      if (i > 0) {
        put(o, ",");
        for (int k = 0; k < a->ndim - d - 1; k++) put(o, "\n");
        for (int k = 0; k < indent + 1; k++) put(o, " ");
      }
      if (skip) { put(o, "..."); i = n - EDGE - 1; continue; }
      print_rec(a, f, d + 1, off + i * stride, summ, indent + 1, o);
    }
  }
  put(o, "]");
}

int cnL_array_tostring(lua_State *L) {
  cn_array *a = cnL_toarray(L, 1);
  if (!a) {
    char d[128];
    return cnL_errorf(L, "tostring: expected an array, got %s", cnL_describe(L, 1, d, sizeof d));
  }
  bool summ = a->size > THRESHOLD;
  fmt f;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  out o = {&b, 0};
  put(&o, "array(");
  char buf[128];
  if (a->ndim == 0) {
    make_format(a, false, &f);
    f.width = 0;
    format_value(&f, a, 0, buf, sizeof buf);
    char *p = buf;
    while (*p == ' ') p++;
    put(&o, p);
  } else if (a->size == 0) {
    put(&o, "[]");
  } else {
    make_format(a, summ, &f);
    print_rec(a, &f, 0, 0, summ, 6, &o);
  }
  bool show_shape = summ || (a->size == 0 && a->ndim != 1);
  if (show_shape) {
    put(&o, ", shape=(");
    for (int i = 0; i < a->ndim; i++) {
      snprintf(buf, sizeof buf, "%s%lld", i ? ", " : "", (long long)a->shape[i]);
      put(&o, buf);
    }
    if (a->ndim == 1) put(&o, ",");
    put(&o, ")");
  }
  if (a->dtype != CN_FLOAT64 && a->dtype != CN_INT64 && a->dtype != CN_BOOL) {
    snprintf(buf, sizeof buf, ", dtype=%s", cn_dtype_name(a->dtype));
    put(&o, buf);
  } else if (a->size == 0 && a->dtype != CN_FLOAT64) {
    snprintf(buf, sizeof buf, ", dtype=%s", cn_dtype_name(a->dtype));
    put(&o, buf);
  }
  put(&o, ")");
  luaL_pushresult(&b);
  return 1;
}
