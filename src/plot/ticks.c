/* canns — tick positions and labels, after matplotlib's MaxNLocator
 * (steps 1, 2, 2.5, 5, 10; at least 2 ticks) and ScalarFormatter
 * (fixed decimals chosen from the tick spacing, an offset for large
 * constant parts, a power-of-ten multiplier outside 1e-5..1e6). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/internal.h"

void pl_nonsingular(double *lo, double *hi) {
  const double expander = 0.05, tiny = 1e-15;
  double a = *lo, b = *hi;
  if (!isfinite(a) || !isfinite(b)) {
    *lo = -expander, *hi = expander;
    return;
  }
  bool swapped = false;
  if (b < a) { double t = a; a = b; b = t; swapped = true; }
  double maxabs = fmax(fabs(a), fabs(b));
  if (maxabs < (1e6 / tiny) * DBL_MIN) {
    a = -expander, b = expander;
  } else if (b - a <= maxabs * tiny) {
    if (a == 0 && b == 0) a = -expander, b = expander;
    else a -= expander * fabs(a), b += expander * fabs(b);
  }
  if (swapped) { double t = a; a = b; b = t; }
  *lo = a, *hi = b;
}

/* matplotlib's scale_range */
static void scale_range(double vmin, double vmax, int n, double *scale,
                        double *offset) {
  double dv = fabs(vmax - vmin);
  double meanv = 0.5 * (vmax + vmin);
  if (fabs(meanv) / dv < 100) *offset = 0;
  else *offset = copysign(pow(10, floor(log10(fabs(meanv)))), meanv);
  *scale = pow(10, floor(log10(dv / n)));
}

/* matplotlib's _Edge_integer */
typedef struct { double step, offset; } edge_int;

static bool closeto(const edge_int *e, double ms, double edge) {
  double tol;
  if (e->offset > 0) {
    double digits = log10(e->offset / e->step);
    tol = fmax(1e-10, pow(10, digits - 12));
    tol = fmin(0.4999, tol);
  } else {
    tol = 1e-10;
  }
  return fabs(ms - edge) < tol;
}

static double pymod(double x, double y) { return x - floor(x / y) * y; }

static double edge_le(const edge_int *e, double x) {
  double d = floor(x / e->step), m = pymod(x, e->step);
  return closeto(e, m / e->step, 1) ? d + 1 : d;
}

static double edge_ge(const edge_int *e, double x) {
  double d = floor(x / e->step), m = pymod(x, e->step);
  return closeto(e, m / e->step, 0) ? d : d + 1;
}

static int raw_ticks(double vmin, double vmax, int nbins, bool integer,
                     double *out, int cap) {
  static const double base[] = {0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20};
  const int min_n_ticks = 2;
  double scale, offset;
  scale_range(vmin, vmax, nbins, &scale, &offset);
  double v0 = vmin - offset, v1 = vmax - offset;
  double steps[10];
  int ns = 0;
  for (int i = 0; i < 10; i++) {
    double s = base[i] * scale;
    if (integer && !(s < 1 || fabs(s - round(s)) < 0.001)) continue;
    steps[ns++] = s;
  }
  if (ns == 0) steps[ns++] = 1;
  double raw_step = (v1 - v0) / nbins;
  int istep = ns - 1;
  for (int i = 0; i < ns; i++)
    if (steps[i] >= raw_step) { istep = i; break; }
  int n = 0;
  for (int i = istep; i >= 0; i--) {
    double step = steps[i];
    if (integer && floor(v1) - ceil(v0) >= min_n_ticks - 1) step = fmax(1, step);
    double best_vmin = floor(v0 / step) * step;
    edge_int e = {step, offset};
    double low = edge_le(&e, v0 - best_vmin);
    double high = edge_ge(&e, v1 - best_vmin);
    n = 0;
    int inside = 0;
    for (double k = low; k <= high && n < cap; k++) {
      double t = k * step + best_vmin;
      out[n++] = t + offset;
      if (t <= v1 && t >= v0) inside++;
    }
    if (inside >= min_n_ticks) break;
  }
  return n;
}

void pl_ticks_auto(double lo, double hi, int nbins, bool integer,
                   pl_ticks *t) {
  double a = fmin(lo, hi), b = fmax(lo, hi);
  memset(t, 0, sizeof *t);
  if (!(b > a) || !isfinite(a) || !isfinite(b)) return;
  if (nbins < 1) nbins = 1;
  double raw[PL_MAXTICKS];
  int n = raw_ticks(a, b, nbins, integer, raw, PL_MAXTICKS);
  double tol = 1e-10 * (b - a);
  for (int i = 0; i < n && t->n < PL_MAXTICKS; i++)
    if (raw[i] >= a - tol && raw[i] <= b + tol) t->pos[t->n++] = raw[i];
  pl_ticks_format(t);
}

/* matplotlib's ScalarFormatter._compute_offset (offset threshold 4) */
static double compute_offset(const double *locs, int n) {
  if (n < 1) return 0;
  double lmin = locs[0], lmax = locs[0];
  for (int i = 1; i < n; i++) lmin = fmin(lmin, locs[i]), lmax = fmax(lmax, locs[i]);
  if (lmin == lmax || (lmin <= 0 && lmax >= 0)) return 0;
  double sign = lmax > 0 ? 1 : -1;
  double amin = fmin(fabs(lmin), fabs(lmax)), amax = fmax(fabs(lmin), fabs(lmax));
  int oom_max = (int)ceil(log10(amax));
  int oom = oom_max;
  for (; oom > -400; oom--) {
    double p = pow(10, oom);
    if (floor(amin / p) != floor(amax / p)) break;
  }
  oom += 1;
  if ((amax - amin) / pow(10, oom) <= 1e-2) {
    for (oom = oom_max; oom > -400; oom--) {
      double p = pow(10, oom);
      if (amax - amin >= p) break;
    }
    oom += 1;
  }
  double p = pow(10, oom);
  return floor(amax / p) >= 1000 ? sign * floor(amax / p) * p : 0;
}

static void with_minus(char *dst, size_t n, const char *src) {
  const char *minus = pl_minus();
  size_t p = 0;
  for (; *src && p + 4 < n; src++) {
    if (*src == '-') {
      size_t m = strlen(minus);
      memcpy(dst + p, minus, m);
      p += m;
    } else {
      dst[p++] = *src;
    }
  }
  dst[p] = 0;
}

void pl_ticks_format(pl_ticks *t) {
  t->offset[0] = 0;
  if (t->n == 0) return;
  double offset = compute_offset(t->pos, t->n);
  double amax = 0;
  for (int i = 0; i < t->n; i++) amax = fmax(amax, fabs(t->pos[i] - offset));
  int oom = 0;
  if (amax > 0) {
    int o = (int)floor(log10(amax));
    if (o <= -5 || o >= 6) oom = o;
  }
  double p10 = pow(10, oom);
  double locs[PL_MAXTICKS];
  double lmin = INFINITY, lmax = -INFINITY;
  for (int i = 0; i < t->n; i++) {
    locs[i] = (t->pos[i] - offset) / p10;
    lmin = fmin(lmin, locs[i]), lmax = fmax(lmax, locs[i]);
  }
  double range = lmax - lmin;
  if (range == 0) range = fmax(fabs(lmin), fabs(lmax));
  if (range == 0) range = 1;
  int range_oom = (int)floor(log10(range));
  int sig = 3 - range_oom > 0 ? 3 - range_oom : 0;
  double thresh = 1e-3 * pow(10, range_oom);
  while (sig >= 0) {
    double worst = 0, f = pow(10, sig);
    for (int i = 0; i < t->n; i++)
      worst = fmax(worst, fabs(locs[i] - nearbyint(locs[i] * f) / f));
    if (worst < thresh) sig--;
    else break;
  }
  sig++;
  if (sig > 12) sig = 12;
  for (int i = 0; i < t->n; i++) {
    double v = fabs(locs[i]) < 1e-8 ? 0.0 : locs[i];
    char buf[48];
    snprintf(buf, sizeof buf, "%1.*f", sig, v);
    with_minus(t->label[i], sizeof t->label[i], buf);
  }
  char buf[48] = "";
  size_t p = 0;
  if (oom != 0) p += snprintf(buf + p, sizeof buf - p, "1e%d", oom);
  if (offset != 0) { /* matplotlib's "+1e3" */
    char m[40];
    snprintf(m, sizeof m, "%1.10e", fabs(offset));
    char *e = strchr(m, 'e');
    int ex = e ? atoi(e + 1) : 0;
    if (e) *e = 0;
    size_t n = strlen(m);
    while (n > 0 && m[n - 1] == '0') m[--n] = 0;
    if (n > 0 && m[n - 1] == '.') m[--n] = 0;
    snprintf(buf + p, sizeof buf - p, "%s%se%d", offset > 0 ? "+" : "-", m, ex);
  }
  with_minus(t->offset, sizeof t->offset, buf);
}
