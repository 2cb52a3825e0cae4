/* canns — the fuzzy kNN graph and greedy sampling of the ASA TDA pipeline
 * (upstream canns.analyzer.data.asa.tda: _sample_denoising, _smooth_knn_dist,
 * _compute_membership_strengths, _second_build, _greedy_sampling).
 *
 * For each point the k nearest points (itself first) by the metric, in
 * double; sigma_i by UMAP's binary search (local connectivity 0, target
 * log2 k, 64 iterations, floor 1e-3 x mean kNN distance); memberships
 * exp(-d/sigma_i) (1 at distance 0, 0 for the point itself); the fuzzy
 * union A = W + W' - W.W'.  Rows of distances are computed in blocks and
 * reduced to their k smallest at once, so memory is n*k, not n^2. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"
#include "core/internal.h"

/* The distances from point a to all n points, from the coordinates
 * transposed (Xt: dim x n) so that the loop runs over the points in
 * vector lanes; each distance is summed over the dimensions in order
 * (scipy's cdist order), so the vectorised values are the plain loop's
 * bits (the AVX2 clone has no FMA).  Cosine: 1 - a.b / (|a| |b|) clipped
 * to [0, 2], 0 when a norm is 0; sn the norms |x_j|, sa = |a|. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void row_dists(const double *restrict Xt, const double *restrict a, const double *restrict sn,
                      double sa, int64_t n, int64_t dim, cn_metric m, double *restrict out) {
  for (int64_t j = 0; j < n; j++) out[j] = 0;
  switch (m) {
  case CN_METRIC_COSINE:
    for (int64_t d = 0; d < dim; d++) {
      const double ad = a[d], *x = Xt + d * n;
      for (int64_t j = 0; j < n; j++) out[j] += ad * x[j];
    }
    for (int64_t j = 0; j < n; j++) {
      double den = sa * sn[j];
      double v = 1.0 - out[j] / den;
      v = den > 0 ? v : 0; /* scipy gives nan; such points are rare */
      out[j] = v < 0 ? 0 : (v > 2 ? 2 : v);
    }
    return;
  case CN_METRIC_MANHATTAN:
    for (int64_t d = 0; d < dim; d++) {
      const double ad = a[d], *x = Xt + d * n;
      for (int64_t j = 0; j < n; j++) out[j] += fabs(ad - x[j]);
    }
    return;
  case CN_METRIC_CHEBYSHEV:
    for (int64_t d = 0; d < dim; d++) {
      const double ad = a[d], *x = Xt + d * n;
      for (int64_t j = 0; j < n; j++) {
        double v = fabs(ad - x[j]);
        out[j] = v > out[j] ? v : out[j];
      }
    }
    return;
  default:
    for (int64_t d = 0; d < dim; d++) {
      const double ad = a[d], *x = Xt + d * n;
      for (int64_t j = 0; j < n; j++) {
        double v = ad - x[j];
        out[j] += v * v;
      }
    }
    for (int64_t j = 0; j < n; j++) out[j] = sqrt(out[j]);
  }
}

typedef struct { double d; int32_t i; } dpair;

static inline int pair_less(dpair a, dpair b) { return a.d < b.d || (a.d == b.d && a.i < b.i); }

static void sort_pairs(dpair *p, int64_t n) { /* insertion for small, else heap-free quicksort */
  while (n > 16) {
    dpair piv = p[n / 2];
    int64_t i = 0, j = n - 1;
    while (i <= j) {
      while (pair_less(p[i], piv)) i++;
      while (pair_less(piv, p[j])) j--;
      if (i <= j) { dpair t = p[i]; p[i] = p[j]; p[j] = t; i++; j--; }
    }
    if (j + 1 < n - i) { sort_pairs(p, j + 1); p += i; n -= i; }
    else { sort_pairs(p + i, n - i); n = j + 1; }
  }
  for (int64_t a = 1; a < n; a++) {
    dpair v = p[a];
    int64_t b = a - 1;
    while (b >= 0 && pair_less(v, p[b])) { p[b + 1] = p[b]; b--; }
    p[b + 1] = v;
  }
}

/* Move the k smallest of p[0..n-1] to the front (unordered). */
static void select_k(dpair *p, int64_t n, int64_t k) {
  int64_t lo = 0, hi = n - 1;
  while (hi > lo) {
    dpair piv = p[lo + (hi - lo) / 2];
    int64_t i = lo, j = hi;
    while (i <= j) {
      while (pair_less(p[i], piv)) i++;
      while (pair_less(piv, p[j])) j--;
      if (i <= j) { dpair t = p[i]; p[i] = p[j]; p[j] = t; i++; j--; }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
}


cn_status cn_asa_fuzzy_graph(const double *X, int64_t n, int64_t dim, int64_t k,
                             cn_metric metric, int num_threads, int64_t **rowptr_out,
                             int32_t **col_out, double **val_out) {
  *rowptr_out = NULL;
  *col_out = NULL;
  *val_out = NULL;
  if (n < 1 || n > INT32_MAX) return cn_error(CN_EINVAL, "fuzzy graph: %lld points", (long long)n);
  if (k < 1 || k > n) return cn_error(CN_EINVAL, "fuzzy graph: k must be in 1..%lld, got %lld",
                                      (long long)n, (long long)k);
  int32_t *kidx = malloc(sizeof(int32_t) * (size_t)(n * k));
  double *kd = malloc(sizeof(double) * (size_t)(n * k));
  double *norms = malloc(sizeof(double) * (size_t)n);
  if (!kidx || !kd || !norms) {
    free(kidx); free(kd); free(norms);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory (%lld x %lld neighbours)",
                    (long long)n, (long long)k);
  }
  double *Xt = malloc(sizeof(double) * (size_t)(n * dim > 0 ? n * dim : 1));
  if (!Xt) {
    free(kidx); free(kd); free(norms);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
  for (int64_t i = 0; i < n; i++) {
    double s = 0;
    for (int64_t j = 0; j < dim; j++) s += X[i * dim + j] * X[i * dim + j];
    norms[i] = sqrt(s);
    for (int64_t j = 0; j < dim; j++) Xt[j * n + i] = X[i * dim + j];
  }
  int nth = num_threads > 0 ? num_threads : cn_threads_for(n * n * (dim + 4));
  int failed = 0;
#pragma omp parallel num_threads(nth)
  {
    dpair *p = malloc(sizeof(dpair) * (size_t)n);
    double *dr = malloc(sizeof(double) * (size_t)n);
    if (!p || !dr) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(dynamic, 16)
    for (int64_t i = 0; i < n; i++) {
      if (!p || !dr) continue;
      row_dists(Xt, X + i * dim, norms, norms[i], n, dim, metric, dr);
      for (int64_t j = 0; j < n; j++) {
        p[j].i = (int32_t)j;
        p[j].d = j == i ? 0.0 : dr[j];
      }
      if (k < n) select_k(p, n, k);
      sort_pairs(p, k);
      for (int64_t j = 0; j < k; j++) {
        kidx[i * k + j] = p[j].i;
        kd[i * k + j] = p[j].d;
      }
    }
    free(p);
    free(dr);
  }
  free(norms);
  free(Xt);
  if (failed) {
    free(kidx); free(kd);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
  /* smooth kNN distances: sigma per row */
  double mean = 0;
  for (int64_t i = 0; i < n * k; i++) mean += kd[i];
  mean /= (double)(n * k);
  double target = log2((double)k);
  double *W = kd; /* memberships replace the distances in place */
#pragma omp parallel for num_threads(nth) schedule(static)
  for (int64_t i = 0; i < n; i++) {
    const double *d = kd + i * k;
    /* The terms exp(-d_j / mid) are positive and, the distances being
     * ascending, non-increasing in j; floating-point partial sums of
     * positive terms never decrease.  So once a partial sum passes
     * target + 2e-5, or cannot reach target - 2e-5 even if every remaining
     * term equalled the current one, the full sum's verdict (not within
     * 1e-5 of target; above or below it) is known and the remaining exp()
     * calls are skipped: the same iterations, the same sigma. */
    int sorted = 1;
    for (int64_t j = 2; j < k && sorted; j++) sorted = d[j] >= d[j - 1];
    double lo = 0, hi = INFINITY, mid = 1.0;
    for (int it = 0; it < 64; it++) {
      double psum = 0;
      int verdict = 0; /* +1: above target, -1: below, 0: psum is the full sum */
      for (int64_t j = 1; j < k; j++) {
        double t = d[j] > 0 ? exp(-(d[j] / mid)) : 1.0;
        psum += t;
        if (!sorted) continue;
        if (psum > target + 2e-5) { verdict = 1; break; }
        if (psum + (double)(k - 1 - j) * t * (1 + 1e-9) < target - 2e-5) { verdict = -1; break; }
      }
      if (verdict == 0 && fabs(psum - target) < 1e-5) break;
      if (verdict > 0 || (verdict == 0 && psum > target)) {
        hi = mid;
        mid = (lo + hi) / 2.0;
      } else {
        lo = mid;
        if (hi == INFINITY) mid *= 2;
        else mid = (lo + hi) / 2.0;
      }
    }
    double sigma = mid;
    if (sigma < 1e-3 * mean) sigma = 1e-3 * mean;
    for (int64_t j = 0; j < k; j++) {
      double v;
      if (kidx[i * k + j] == i) v = 0.0;
      else if (d[j] <= 0.0) v = 1.0;
      else v = exp(-(d[j] / sigma));
      W[i * k + j] = v;
    }
  }
  /* W as CSR with sorted columns (drop zeros), then its transpose */
  int64_t *rp = calloc((size_t)n + 1, sizeof(int64_t));
  int64_t *tp = calloc((size_t)n + 2, sizeof(int64_t));
  if (!rp || !tp) {
    free(kidx); free(kd); free(rp); free(tp);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
  for (int64_t i = 0; i < n; i++) {
    int64_t c = 0;
    for (int64_t j = 0; j < k; j++)
      if (W[i * k + j] != 0) {
        c++;
        tp[kidx[i * k + j] + 2]++;
      }
    rp[i + 1] = rp[i] + c;
  }
  int64_t nnz = rp[n];
  for (int64_t i = 0; i < n; i++) tp[i + 2] += tp[i + 1];
  int32_t *wc = malloc(sizeof(int32_t) * (size_t)(nnz + 1));
  double *wv = malloc(sizeof(double) * (size_t)(nnz + 1));
  int32_t *tc = malloc(sizeof(int32_t) * (size_t)(nnz + 1));
  double *tv = malloc(sizeof(double) * (size_t)(nnz + 1));
  if (!wc || !wv || !tc || !tv) {
    free(kidx); free(kd); free(rp); free(tp); free(wc); free(wv); free(tc); free(tv);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
  {
    /* W' first, straight from the kNN lists: rows of W in increasing
     * order give every row of W' its columns sorted; then W again as the
     * transpose of W', rows sorted the same way (two counting passes, no
     * comparison sort; the kNN columns of a row are distinct) */
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = 0; j < k; j++)
        if (W[i * k + j] != 0) {
          int64_t pos = tp[kidx[i * k + j] + 1]++;
          tc[pos] = (int32_t)i;
          tv[pos] = W[i * k + j];
        }
    /* the fill pointers have moved tp[r + 1] to the end of row r, so
     * tp[r] .. tp[r + 1] now bounds row r of W' */
    int64_t *fill = malloc(sizeof(int64_t) * (size_t)n);
    if (!fill) {
      free(kidx); free(kd); free(rp); free(tp); free(wc); free(wv); free(tc); free(tv);
      return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
    }
    memcpy(fill, rp, sizeof(int64_t) * (size_t)n);
    for (int64_t r = 0; r < n; r++)
      for (int64_t a = tp[r]; a < tp[r + 1]; a++) {
        int64_t pos = fill[tc[a]]++;
        wc[pos] = (int32_t)r;
        wv[pos] = tv[a];
      }
    free(fill);
  }
  free(kidx);
  free(kd);
  /* union: merge row i of W and of W' */
  int64_t *up = calloc((size_t)n + 1, sizeof(int64_t));
  if (!up) {
    free(rp); free(tp); free(wc); free(wv); free(tc); free(tv);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
  for (int64_t i = 0; i < n; i++) {
    int64_t a = rp[i], ae = rp[i + 1], b = tp[i], be = tp[i + 1], c = 0;
    while (a < ae || b < be) {
      if (b >= be || (a < ae && wc[a] < tc[b])) a++;
      else if (a >= ae || tc[b] < wc[a]) b++;
      else { a++; b++; }
      c++;
    }
    up[i + 1] = up[i] + c;
  }
  int32_t *uc = malloc(sizeof(int32_t) * (size_t)(up[n] + 1));
  double *uv = malloc(sizeof(double) * (size_t)(up[n] + 1));
  if (!uc || !uv) {
    free(rp); free(tp); free(wc); free(wv); free(tc); free(tv); free(up); free(uc); free(uv);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
#pragma omp parallel for num_threads(nth) schedule(dynamic, 64)
  for (int64_t i = 0; i < n; i++) {
    int64_t a = rp[i], ae = rp[i + 1], b = tp[i], be = tp[i + 1], o = up[i];
    while (a < ae || b < be) {
      double x = 0, y = 0;
      int32_t c;
      if (b >= be || (a < ae && wc[a] < tc[b])) { c = wc[a]; x = wv[a++]; }
      else if (a >= ae || tc[b] < wc[a]) { c = tc[b]; y = tv[b++]; }
      else { c = wc[a]; x = wv[a++]; y = tv[b++]; }
      uc[o] = c;
      uv[o] = x + y - x * y;
      o++;
    }
  }
  free(rp); free(tp); free(wc); free(wv); free(tc); free(tv);
  *rowptr_out = up;
  *col_out = uc;
  *val_out = uv;
  return CN_OK;
}

cn_status cn_asa_greedy_sample(int64_t n, const int64_t *rowptr, const int32_t *col,
                               const double *val, int64_t m, double omega, int64_t *inds) {
  if (m < 1 || m > n)
    return cn_error(CN_EINVAL, "n_points must be in 1..%lld (the points available), got %lld",
                    (long long)n, (long long)m);
  double *F = malloc(sizeof(double) * (size_t)n);
  unsigned char *left = malloc((size_t)n);
  if (!F || !left) {
    free(F); free(left);
    return cn_error(CN_ENOMEM, "greedy sampling: out of memory");
  }
  for (int64_t i = 0; i < n; i++) {
    double s = 0;
    for (int64_t a = rowptr[i]; a < rowptr[i + 1]; a++) s += val[a];
    F[i] = s;
    left[i] = 1;
  }
  int64_t best = 0;
  for (int64_t i = 1; i < n; i++) if (F[i] > F[best]) best = i;
  inds[0] = best;
  left[best] = 0;
  for (int64_t j = 1; j < m; j++) {
    int64_t i = inds[j - 1];
    for (int64_t a = rowptr[i]; a < rowptr[i + 1]; a++) F[col[a]] -= omega * val[a];
    double mv = -INFINITY;
    int64_t mi = -1;
    for (int64_t q = 0; q < n; q++)
      if (left[q] && F[q] > mv) { mv = F[q]; mi = q; }
    if (mi < 0) /* only NaN left: take the first remaining */
      for (int64_t q = 0; q < n && mi < 0; q++) if (left[q]) mi = q;
    inds[j] = mi;
    left[mi] = 0;
  }
  free(F);
  free(left);
  return CN_OK;
}
