/* canns — bump fits to a ring of ROIs by Markov chain Monte Carlo
 * (upstream `canns.analyzer.data.asa.fly_roi.roi_bump_fits`, its numba
 * path): every time point holds a list of von Mises bumps (position,
 * amplitude, concentration); a sweep proposes, at each time in order, one
 * birth, death, move, width or amplitude change and accepts it by
 * Metropolis on the site likelihood (Gaussian residuals, a penalty per
 * bump) plus the coupling to the neighbouring times (matched bumps close
 * on the circle). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"
#include "canns/progress.h"

#define TWO_PI 6.283185307179586

void cn_roi_bump_opts_default(cn_roi_bump_opts *o) {
  o->n_steps = 20000;
  o->n_roi = 16;
  o->n_bump_max = 4;
  o->sigma_diff = 0.5;
  o->ampli_min = 2.0;
  o->kappa_mean = 2.5;
  o->sig2 = 1.0;
  o->penbump = 0.4;
  o->jc = 1.8;
  o->beta = 5.0;
}

/* upstream's fast I0: the large-argument asymptote above 3.75, the first
 * terms of the series below */
static double i0_approx(double k) {
  if (k > 3.75) return exp(k) / sqrt(TWO_PI * k);
  return 1.0 + k * k / 4.0 + (k * k * k * k) / 64.0;
}

/* the prediction with cos/sin of the ROI angles from tables (cx, sx) */
static void predict_tab(const double *pos, const double *ampli, const double *kappa, int nb,
                        int64_t n_roi, const double *cx, const double *sx, double *pred) {
  for (int64_t j = 0; j < n_roi; j++) pred[j] = 0.0;
  for (int b = 0; b < nb; b++) {
    /* cos(x_j - mu) by the angle sum: one sincos per bump, not per ROI */
    double c = ampli[b] / (TWO_PI * i0_approx(kappa[b])), cm = cos(pos[b]), sm = sin(pos[b]);
    for (int64_t j = 0; j < n_roi; j++) pred[j] += c * exp(kappa[b] * (cx[j] * cm + sx[j] * sm));
  }
}

static double site_logl_tab(const cn_roi_bump_opts *o, const double *y, const double *pos,
                            const double *ampli, const double *kappa, int nb, const double *cx,
                            const double *sx, double *pred) {
  double l = -(double)nb * o->penbump, ss = 0.0;
  predict_tab(pos, ampli, kappa, nb, o->n_roi, cx, sx, pred);
  for (int64_t j = 0; j < o->n_roi; j++) {
    double r = y[j] - pred[j];
    ss += r * r;
  }
  l -= 0.5 * ss / o->sig2;
  return o->beta * l;
}

static void trig_tables(int64_t n_roi, double *cx, double *sx) {
  for (int64_t j = 0; j < n_roi; j++) {
    double x = (double)j * TWO_PI / (double)n_roi;
    cx[j] = cos(x), sx[j] = sin(x);
  }
}

void cn_roi_bump_predict(const double *pos, const double *ampli, const double *kappa, int nb,
                         int64_t n_roi, double *pred) {
  for (int64_t j = 0; j < n_roi; j++) {
    double x = (double)j * TWO_PI / (double)n_roi, s = 0.0;
    for (int b = 0; b < nb; b++)
      s += ampli[b] / (TWO_PI * i0_approx(kappa[b])) *
           exp(kappa[b] * (cos(x) * cos(pos[b]) + sin(x) * sin(pos[b])));
    pred[j] = s;
  }
}

double cn_roi_bump_site_logl(const cn_roi_bump_opts *o, const double *y, const double *pos,
                             const double *ampli, const double *kappa, int nb, double *work) {
  double l = -(double)nb * o->penbump, ss = 0.0;
  cn_roi_bump_predict(pos, ampli, kappa, nb, o->n_roi, work);
  for (int64_t j = 0; j < o->n_roi; j++) {
    double r = y[j] - work[j];
    ss += r * r;
  }
  l -= 0.5 * ss / o->sig2;
  return o->beta * l;
}

static double link(double a, double b, double sigcoup2) {
  double d = fabs(a - b);
  if (d > M_PI) d = TWO_PI - d;
  return exp(-0.5 * d * d / sigcoup2);
}

/* The best total over assignments of min(n1, n2) pairs (scipy's
 * linear_sum_assignment on -link): a dynamic programme over the subsets
 * of the larger side's bumps (n <= CN_ROI_BUMP_MAX). */
static double best_matching(const double *p1, int n1, const double *p2, int n2, double sc2,
                            double *dp) {
  if (n1 > n2) {
    const double *tp = p1;
    p1 = p2, p2 = tp;
    int tn = n1;
    n1 = n2, n2 = tn;
  }
  /* rows p1[0..n1) each take a distinct column of p2; dp over the columns used */
  size_t full = (size_t)1 << n2;
  for (size_t m = 0; m < full; m++) dp[m] = -1.0;
  dp[0] = 0.0;
  double best = 0.0;
  for (size_t m = 0; m < full; m++) {
    if (dp[m] < 0.0) continue;
    int r = __builtin_popcountll((unsigned long long)m);
    if (r == n1) {
      if (dp[m] > best) best = dp[m];
      continue;
    }
    for (int c = 0; c < n2; c++) {
      if (m & ((size_t)1 << c)) continue;
      double v = dp[m] + link(p1[r], p2[c], sc2);
      size_t nm = m | ((size_t)1 << c);
      if (v > dp[nm]) dp[nm] = v;
    }
  }
  return best;
}

double cn_roi_bump_coupling(const cn_roi_bump_opts *o, const double *p1, int n1, const double *p2,
                            int n2, double *dp) {
  if (n1 == 0 || n2 == 0) return 0.0;
  double sc = TWO_PI / (double)o->n_roi, sc2 = sc * sc, s = 0.0;
  if (n1 <= 4 && n2 <= 4) {
    /* greedy, as upstream's numba path: each earlier bump in order takes
     * the unused later bump with the largest link */
    int used[4] = {0, 0, 0, 0};
    for (int i = 0; i < n1; i++) {
      double bl = -INFINITY;
      int bj = -1;
      for (int j = 0; j < n2; j++) {
        if (used[j]) continue;
        double l = link(p1[i], p2[j], sc2);
        if (l > bl) bl = l, bj = j;
      }
      if (bj >= 0) used[bj] = 1, s += bl;
    }
  } else {
    s = best_matching(p1, n1, p2, n2, sc2, dp);
  }
  return o->beta * o->jc * s;
}

/* one time point's bumps */
typedef struct {
  int nb;
  double pos[CN_ROI_BUMP_MAX], ampli[CN_ROI_BUMP_MAX], kappa[CN_ROI_BUMP_MAX];
} site;

static int randbelow(cn_rng *g, int n) {
  int i = (int)(cn_rng_uniform1(g) * n);
  return i < n ? i : n - 1;
}

/* the proposal of upstream's sweep; returns 0 when it failed */
static int propose(const cn_roi_bump_opts *o, cn_rng *g, site *s) {
  double r = cn_rng_uniform1(g);
  if (r < 0.01) {
    if (s->nb >= o->n_bump_max) return 0;
    s->pos[s->nb] = cn_rng_uniform1(g) * TWO_PI;
    s->ampli[s->nb] = o->ampli_min;
    s->kappa[s->nb] = o->kappa_mean;
    s->nb++;
    return 1;
  }
  if (s->nb == 0) return 0; /* every other move needs a bump */
  int i = randbelow(g, s->nb);
  if (r < 0.01 * (1 + s->nb)) {
    int l = s->nb - 1;
    s->pos[i] = s->pos[l], s->ampli[i] = s->ampli[l], s->kappa[i] = s->kappa[l];
    s->nb--;
  } else if (r < 0.3) {
    double p = fmod(s->pos[i] + o->sigma_diff * cn_rng_normal1(g), TWO_PI);
    if (p < 0) p += TWO_PI;
    s->pos[i] = p;
  } else if (r < 0.4) {
    double k = s->kappa[i] + 0.5 * cn_rng_normal1(g);
    if (k < 2.0 || k > 6.0) return 0;
    s->kappa[i] = k;
  } else {
    double a = s->ampli[i] + cn_rng_normal1(g);
    if (a <= 0.0) return 0;
    s->ampli[i] = a;
  }
  return 1;
}

cn_status cn_roi_bump_fits(const cn_roi_bump_opts *o, const double *y, int64_t T, cn_rng *g,
                           int32_t *nbump, double *pos, double *ampli, double *kappa,
                           double *logl, double *total) {
  const char *fn = "roi_bump_fits";
  if (T < 1) return cn_error(CN_EINVAL, "%s: data must hold at least one time point", fn);
  if (o->n_roi < 1) return cn_error(CN_EINVAL, "%s: n_roi must be >= 1", fn);
  if (o->n_bump_max < 1 || o->n_bump_max > CN_ROI_BUMP_MAX)
    return cn_error(CN_EINVAL, "%s: n_bump_max must be in 1..%d, got %lld", fn, CN_ROI_BUMP_MAX,
                    (long long)o->n_bump_max);
  if (o->n_steps < 0) return cn_error(CN_EINVAL, "%s: n_steps must be >= 0", fn);
  site *S = calloc((size_t)T, sizeof *S);
  double *inter = calloc((size_t)(T > 1 ? T - 1 : 1), sizeof *inter);
  double *work = malloc(sizeof(double) * 3 * (size_t)o->n_roi);
  double *dp = malloc(sizeof(double) * ((size_t)1 << CN_ROI_BUMP_MAX));
  if (!S || !inter || !work || !dp) {
    free(S), free(inter), free(work), free(dp);
    return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  }
  double *cx = work + o->n_roi, *sx = work + 2 * o->n_roi, tot = 0.0;
  trig_tables(o->n_roi, cx, sx);
  for (int64_t t = 0; t < T; t++) {
    logl[t] = cn_roi_bump_site_logl(o, y + t * o->n_roi, NULL, NULL, NULL, 0, work);
    tot += logl[t];
  }
  /* all sites start empty: every coupling is 0 */
  cn_progress *pb = cn_progress_new("roi_bump_fits", o->n_steps);
  for (int64_t step = 0; step < o->n_steps; step++) {
    for (int64_t j = 0; j < T; j++) {
      site p = S[j];
      if (!propose(o, g, &p)) continue;
      double lt = site_logl_tab(o, y + j * o->n_roi, p.pos, p.ampli, p.kappa, p.nb, cx, sx, work);
      double d = lt - logl[j], l1 = 0.0, l2 = 0.0;
      if (j > 0) {
        l1 = cn_roi_bump_coupling(o, S[j - 1].pos, S[j - 1].nb, p.pos, p.nb, dp);
        d += l1 - inter[j - 1];
      }
      if (j < T - 1) {
        l2 = cn_roi_bump_coupling(o, p.pos, p.nb, S[j + 1].pos, S[j + 1].nb, dp);
        d += l2 - inter[j];
      }
      if (d > 0.0 || cn_rng_uniform1(g) < exp(d)) {
        S[j] = p;
        logl[j] = lt;
        if (j > 0) inter[j - 1] = l1;
        if (j < T - 1) inter[j] = l2;
        tot += d;
      }
    }
    cn_progress_tick(pb, 1);
  }
  cn_progress_free(pb);
  for (int64_t t = 0; t < T; t++) {
    nbump[t] = S[t].nb;
    for (int b = 0; b < (int)o->n_bump_max; b++) {
      int64_t k = t * o->n_bump_max + b;
      int on = b < S[t].nb;
      pos[k] = on ? S[t].pos[b] : NAN;
      ampli[k] = on ? S[t].ampli[b] : NAN;
      kappa[k] = on ? S[t].kappa[b] : NAN;
    }
  }
  *total = tot;
  free(S), free(inter), free(work), free(dp);
  return CN_OK;
}
