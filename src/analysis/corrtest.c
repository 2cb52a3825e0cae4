/* canns — Pearson and Spearman correlations with p-values
 * (include/canns/stats.h), as scipy.stats computes them. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "canns/stats.h"
#include "analysis/analysis_internal.h"

static double pvalue(double r, int64_t n) {
  if (!isfinite(r)) return NAN;
  if (fabs(r) >= 1.0) return 0.0;
  double df = (double)(n - 2), t = r * sqrt(df / ((1.0 - r) * (1.0 + r)));
  return 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

static double pearson(const double *x, const double *y, int64_t n) {
  double sxx, syy, sxy;
  cn_centered_sums(x, y, n, &sxx, &syy, &sxy);
  if (sxx == 0.0 || syy == 0.0) return NAN;
  double r = sxy / sqrt(sxx * syy);
  return r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r);
}

static cn_status check(const double *x, const double *y, int64_t n, const char *fn) {
  if (n < 3) return cn_error(CN_EINVAL, "%s: needs at least 3 pairs, got %lld", fn, (long long)n);
  for (int64_t i = 0; i < n; i++)
    if (!isfinite(x[i]) || !isfinite(y[i]))
      return cn_error(CN_EINVAL, "%s: pair %lld is not finite", fn, (long long)i + 1);
  return CN_OK;
}

cn_status cn_pearsonr(const double *x, const double *y, int64_t n, double *r, double *p) {
  CN_TRY(check(x, y, n, "pearsonr"));
  *r = pearson(x, y, n);
  *p = pvalue(*r, n);
  return CN_OK;
}

typedef struct {
  double v;
  int64_t i;
} item;

static int cmp_item(const void *a, const void *b) {
  const item *p = a, *q = b;
  if (p->v < q->v) return -1;
  if (p->v > q->v) return 1;
  return (p->i > q->i) - (p->i < q->i);
}

/* average ranks (1-based) of v into out; it holds n items of scratch */
static void ranks(const double *v, int64_t n, item *it, double *out) {
  for (int64_t i = 0; i < n; i++) it[i].v = v[i], it[i].i = i;
  qsort(it, (size_t)n, sizeof *it, cmp_item);
  for (int64_t a = 0; a < n;) {
    int64_t b = a;
    while (b + 1 < n && it[b + 1].v == it[a].v) b++;
    double rk = 0.5 * (double)(a + b) + 1.0;
    for (int64_t k = a; k <= b; k++) out[it[k].i] = rk;
    a = b + 1;
  }
}

cn_status cn_spearmanr(const double *x, const double *y, int64_t n, double *r, double *p) {
  CN_TRY(check(x, y, n, "spearmanr"));
  double *rx = malloc(sizeof(double) * 2 * (size_t)n);
  item *it = malloc(sizeof(item) * (size_t)n);
  if (!rx || !it) {
    free(rx), free(it);
    return cn_error(CN_ENOMEM, "spearmanr: out of memory");
  }
  ranks(x, n, it, rx);
  ranks(y, n, it, rx + n);
  *r = pearson(rx, rx + n, n);
  *p = pvalue(*r, n);
  free(rx), free(it);
  return CN_OK;
}
