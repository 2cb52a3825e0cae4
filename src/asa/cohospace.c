/* canns — CohoSpace of ASA (upstream canns.analyzer.data.asa.cohospace and
 * .cohospace_scatter): each neuron's mean activity over the decoded torus
 * (binned on (theta1, theta2) as scipy's binned_statistic_2d, the theta2
 * axis reversed as upstream's rotate-then-transpose leaves it), its
 * circular-mean phase centre, and CohoScore (the circular variance of the
 * decoded angles at a neuron's most active time points). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"

/* cell of v among the ne increasing edges (last edge in the last cell),
 * -1 outside; the on-edge test with scipy's rounding precision. */
static int64_t cell(double v, const double *e, int64_t ne, double scale) {
  if (!(v >= e[0])) return -1;
  double last = e[ne - 1];
  if (v >= last) {
    if (v == last || round(v * scale) == round(last * scale)) return ne - 2;
    return -1;
  }
  int64_t lo = 0, hi = ne - 1;
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    if (e[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

cn_status cn_asa_cohospace(const double *coords, int64_t K, int64_t cstride, const double *act,
                           int64_t N, const double *edges, int64_t ne, double smooth_sigma,
                           double *maps, double *centers) {
  if (ne < 2) return cn_error(CN_EINVAL, "bins must be at least 2, got %lld", (long long)ne);
  int64_t nb = ne - 1, nc = nb * nb;
  double m = INFINITY;
  for (int64_t i = 1; i < ne; i++) m = fmin(m, edges[i] - edges[i - 1]);
  double scale = pow(10.0, trunc(-log10(m)) + 6);
  int64_t *cellk = malloc(sizeof(int64_t) * (size_t)(K + 1));
  if (!cellk) return cn_error(CN_ENOMEM, "cohospace: out of memory");
  for (int64_t k = 0; k < K; k++) {
    int64_t a = cell(coords[k * cstride], edges, ne, scale);
    int64_t b = cell(coords[k * cstride + 1], edges, ne, scale);
    cellk[k] = (a < 0 || b < 0) ? -1 : a * nb + b;
  }
  double *bc = malloc(sizeof(double) * (size_t)(3 * nb));
  if (!bc) {
    free(cellk);
    return cn_error(CN_ENOMEM, "cohospace: out of memory");
  }
  double *cb = bc + nb, *sb = bc + 2 * nb;
  for (int64_t i = 0; i < nb; i++) {
    bc[i] = edges[i] + (edges[i + 1] - edges[i]) / 2.0;
    cb[i] = cos(bc[i]);
    sb[i] = sin(bc[i]);
  }
  int failed = 0;
#pragma omp parallel
  {
    double *buf = malloc(sizeof(double) * (size_t)(3 * nc));
    if (!buf) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(dynamic, 4)
    for (int64_t n = 0; n < N; n++) {
      if (!buf) continue;
      double *sum = buf, *cnt = buf + nc, *M = maps + n * nc;
      memset(buf, 0, sizeof(double) * (size_t)(2 * nc));
      for (int64_t k = 0; k < K; k++)
        if (cellk[k] >= 0) {
          sum[cellk[k]] += act[k * N + n];
          cnt[cellk[k]] += 1;
        }
      /* M[i, j] = mean[i, nb - 1 - j] */
      for (int64_t i = 0; i < nb; i++)
        for (int64_t j = 0; j < nb; j++) {
          int64_t q = i * nb + (nb - 1 - j);
          M[i * nb + j] = cnt[q] > 0 ? sum[q] / cnt[q] : NAN;
        }
      if (smooth_sigma > 0) {
        double *z = buf + 2 * nc;
        for (int64_t q = 0; q < nc; q++) z[q] = isnan(M[q]) ? 0.0 : M[q];
        if (cn_gaussian_filter2d(z, nb, nb, smooth_sigma, CN_FILTER_REFLECT, z) != CN_OK) {
#pragma omp atomic write
          failed = 2;
        }
        for (int64_t q = 0; q < nc; q++) if (!isnan(M[q])) M[q] = z[q];
      }
      double c0 = 0, s0 = 0, c1 = 0, s1 = 0;
      bool any = false;
      for (int64_t i = 0; i < nb; i++)
        for (int64_t j = 0; j < nb; j++) {
          double v = M[i * nb + j];
          if (isnan(v)) continue;
          any = true;
          c0 += cb[j] * v;
          s0 += sb[j] * v;
          c1 += cb[i] * v;
          s1 += sb[i] * v;
        }
      if (any) {
        double a = fmod(atan2(s0, c0), 2 * M_PI), b = fmod(atan2(s1, c1), 2 * M_PI);
        if (a < 0) a += 2 * M_PI;
        if (b < 0) b += 2 * M_PI;
        centers[2 * n] = a;
        centers[2 * n + 1] = b;
      } else {
        centers[2 * n] = centers[2 * n + 1] = NAN;
      }
    }
    free(buf);
  }
  free(cellk);
  free(bc);
  if (failed == 1) return cn_error(CN_ENOMEM, "cohospace: out of memory");
  if (failed == 2) return cn_error(CN_EINVAL, "cohospace: smooth_sigma must be positive and finite");
  return CN_OK;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

cn_status cn_asa_cohoscore(const double *theta, int64_t T, int64_t D, const double *act, int64_t N,
                           double top_percent, double *scores) {
  double *s = malloc(sizeof(double) * (size_t)(T + 1));
  if (!s) return cn_error(CN_ENOMEM, "compute_cohoscore: out of memory");
  for (int64_t n = 0; n < N; n++) {
    double thr = 0;
    bool use_top = !isnan(top_percent);
    if (use_top) {
      /* numpy.percentile (linear) of the column */
      for (int64_t t = 0; t < T; t++) s[t] = act[t * N + n];
      qsort(s, (size_t)T, sizeof(double), cmp_d);
      double pos = (100.0 - top_percent) / 100.0 * (double)(T - 1);
      int64_t lo = (int64_t)floor(pos);
      if (lo >= T - 1) thr = s[T - 1];
      else {
        double f = pos - (double)lo;
        thr = s[lo] + (s[lo + 1] - s[lo]) * f;
      }
    }
    int64_t cnt = 0;
    double cs[2] = {0, 0}, sn[2] = {0, 0};
    for (int64_t t = 0; t < T; t++) {
      double v = act[t * N + n];
      if (use_top ? !(v >= thr) : !(v > 0)) continue;
      cnt++;
      for (int64_t d = 0; d < D; d++) {
        double th = theta[t * D + d];
        cs[d] += cos(th);
        sn[d] += sin(th);
      }
    }
    if (cnt < 5) {
      scores[n] = NAN;
      continue;
    }
    double sc = 0;
    for (int64_t d = 0; d < D; d++) {
      double R = hypot(cs[d] / (double)cnt, sn[d] / (double)cnt);
      sc += 1.0 - R;
    }
    scores[n] = sc / (double)D;
  }
  free(s);
  return CN_OK;
}

cn_status cn_asa_select_points(const double *act, int64_t T, int64_t N, const int64_t *ids,
                               int64_t nids, bool fr_mode, double top_percent, unsigned char *mask,
                               double *agg) {
  memset(mask, 0, (size_t)T);
  memset(agg, 0, sizeof(double) * (size_t)T);
  if (T < 1) return CN_OK;
  double *s = malloc(sizeof(double) * (size_t)T);
  if (!s) return cn_error(CN_ENOMEM, "cohospace scatter: out of memory");
  for (int64_t k = 0; k < nids; k++) {
    int64_t n = ids[k];
    if (n < 0 || n >= N) {
      free(s);
      return cn_error(CN_ERANGE, "neuron %lld is outside 1..%lld", (long long)n + 1, (long long)N);
    }
    double thr = 0;
    if (fr_mode) {
      for (int64_t t = 0; t < T; t++) s[t] = act[t * N + n];
      qsort(s, (size_t)T, sizeof(double), cmp_d);
      double pos = (100.0 - top_percent) / 100.0 * (double)(T - 1);
      int64_t lo = (int64_t)floor(pos);
      thr = lo >= T - 1 ? s[T - 1] : s[lo] + (s[lo + 1] - s[lo]) * (pos - (double)lo);
    }
    for (int64_t t = 0; t < T; t++) {
      double v = act[t * N + n];
      if (fr_mode ? v >= thr : v > 0) {
        mask[t] = 1;
        agg[t] += fr_mode ? v : 1.0;
      }
    }
  }
  free(s);
  return CN_OK;
}
