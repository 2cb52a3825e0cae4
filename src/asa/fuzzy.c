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
#include <omp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"
#include "core/internal.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CN_CLONES
#endif

static double dist(const double *a, const double *b, double na, double nb, int64_t dim,
                   cn_metric m) {
  double s = 0;
  switch (m) {
  case CN_METRIC_COSINE: {
    for (int64_t j = 0; j < dim; j++) s += a[j] * b[j];
    double den = sqrt(na) * sqrt(nb);
    double d = 1.0 - s / den;
    if (!(den > 0)) d = 0; /* scipy gives nan; such points are rare */
    return d < 0 ? 0 : (d > 2 ? 2 : d);
  }
  case CN_METRIC_MANHATTAN:
    for (int64_t j = 0; j < dim; j++) s += fabs(a[j] - b[j]);
    return s;
  case CN_METRIC_CHEBYSHEV:
    for (int64_t j = 0; j < dim; j++) {
      double v = fabs(a[j] - b[j]);
      if (v > s) s = v;
    }
    return s;
  default:
    for (int64_t j = 0; j < dim; j++) {
      double v = a[j] - b[j];
      s += v * v;
    }
    return sqrt(s);
  }
}

int cn_asa_fuzzy_plain = 0;

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


/* The value at rank kk of the m distances whose bit patterns are u (all
 * >= +0, so the patterns order as the numbers) by radix selection: 11-bit
 * digits from the highest bit in which they differ (diff: the OR of all
 * XOR the AND of all; above it they agree), keeping the bucket that holds
 * the rank.  u is reordered. */
static double select_bits(uint64_t *u, int64_t m, int64_t kk, uint64_t diff, int32_t hist[2048]) {
  const int top = diff ? 63 - __builtin_clzll(diff) : 0;
  if (!diff) m = 1; /* all equal */
  for (int shift = top >= 10 ? top - 10 : 0; shift >= 0 && m > 1;
       shift = shift >= 11 ? shift - 11 : (shift > 0 ? 0 : -1)) {
    memset(hist, 0, sizeof(int32_t) * 2048);
    for (int64_t j = 0; j < m; j++) hist[(u[j] >> shift) & 2047]++;
    int64_t cum = 0, bk = 0;
    while (cum + hist[bk] <= kk) cum += hist[bk++];
    kk -= cum;
    if (hist[bk] == m) continue;
    int64_t m2 = 0;
    for (int64_t j = 0; j < m; j++)
      if ((int64_t)((u[j] >> shift) & 2047) == bk) u[m2++] = u[j];
    m = m2;
  }
  double t;
  memcpy(&t, &u[0], sizeof t);
  return t;
}

/* One row of distances, vectorised over the other points (the same
 * operations in the same order as dist(), so the same doubles), then its k
 * smallest (distance, index) pairs moved to p[0..k-1]: the k-th smallest
 * distance t by radix selection on the plain doubles, then every point below t
 * and the lowest-index points at t -- the set select_k picks -- sorted
 * as sort_pairs would.  Returns 2 when done, 0 (nothing done) when the row
 * holds a NaN or a -0, which the plain path orders.  dd: 4n doubles. */
CN_CLONES static int knn_row_fast(const double *restrict a, const double *restrict XT,
                                  const double *restrict sn, double sa, int64_t n, int64_t dim,
                                  int64_t i, cn_metric m, int64_t k, double *restrict dd,
                                  dpair *restrict p) {
  for (int64_t j = 0; j < n; j++) dd[j] = 0;
  if (m == CN_METRIC_COSINE) {
    for (int64_t c = 0; c < dim; c++) {
      const double *restrict xc = XT + c * n;
      double ac = a[c];
      for (int64_t j = 0; j < n; j++) dd[j] += ac * xc[j];
    }
#pragma omp simd
    for (int64_t j = 0; j < n; j++) {
      /* the quotient unconditionally (selected away when den <= 0), so
       * that the loop vectorises */
      double den = sa * sn[j], q = dd[j] / den;
      double d = 1.0 - q;
      d = den > 0 ? d : 0;
      d = d < 0 ? 0 : d;
      d = d > 2 ? 2 : d;
      dd[j] = d;
    }
  } else {
    for (int64_t c = 0; c < dim; c++) {
      const double *restrict xc = XT + c * n;
      double ac = a[c];
      for (int64_t j = 0; j < n; j++) {
        double v = ac - xc[j];
        dd[j] += v * v;
      }
    }
    for (int64_t j = 0; j < n; j++) dd[j] = sqrt(dd[j]);
  }
  dd[i] = 0.0;
  /* one pass: any NaN or negative (sign bit set, -0 included), and the
   * bits every distance shares */
  uint64_t *u = (uint64_t *)(dd + n), all1 = ~(uint64_t)0, any1 = 0;
  memcpy(u, dd, sizeof(double) * (size_t)n);
  int bad = 0;
  for (int64_t j = 0; j < n; j++) {
    bad |= (dd[j] != dd[j]) | (int)(u[j] >> 63);
    all1 &= u[j], any1 |= u[j];
  }
  if (bad) return 0;
  int32_t sel[2048];
  const double t = k < n ? select_bits(u, n, k - 1, all1 ^ any1, sel) : INFINITY;
  /* every point below t, in index order and without a branch (p[o] is
   * written every time and kept when d < t; o < n, as t is one of the
   * distances), and the first point at t; then the lowest-index points
   * at t from there */
  int64_t o = 0, feq = n;
  for (int64_t j = 0; j < n; j++) {
    double d = dd[j];
    p[o].d = d;
    p[o].i = (int32_t)j;
    o += d < t;
    feq = d == t && feq == n ? j : feq;
  }
  for (int64_t j = feq, eq = k - o; j < n && eq > 0; j++)
    if (dd[j] == t) {
      p[o].d = t;
      p[o].i = (int32_t)j;
      o++, eq--;
    }
  if (o != k) return 0;
  /* every distance is >= +0 (whose bit patterns sort as the numbers do),
   * and p holds those below t and then those at t, each group in index
   * order: a stable radix sort on the bits gives the (distance, index)
   * order of sort_pairs */
  uint64_t *key = (uint64_t *)(dd + n), *tmp = (uint64_t *)dd; /* dd is spent */
  int32_t *ix = (int32_t *)(dd + 2 * n), *ixt = (int32_t *)(dd + 3 * n);
  for (int64_t j = 0; j < k; j++) {
    memcpy(&key[j], &p[j].d, sizeof(double));
    ix[j] = p[j].i;
  }
  int64_t hist[8][256];
  memset(hist, 0, sizeof hist);
  for (int64_t j = 0; j < k; j++)
    for (int b = 0; b < 8; b++) hist[b][(key[j] >> (8 * b)) & 255]++;
  for (int b = 0; b < 8; b++) {
    int64_t *h = hist[b];
    if (h[(key[0] >> (8 * b)) & 255] == k) continue; /* one bucket: nothing moves */
    int64_t sum = 0;
    for (int v = 0; v < 256; v++) { int64_t c = h[v]; h[v] = sum; sum += c; }
    for (int64_t j = 0; j < k; j++) {
      int64_t q = h[(key[j] >> (8 * b)) & 255]++;
      tmp[q] = key[j];
      ixt[q] = ix[j];
    }
    uint64_t *t1 = key; key = tmp; tmp = t1;
    int32_t *t2 = ix; ix = ixt; ixt = t2;
  }
  for (int64_t j = 0; j < k; j++) {
    memcpy(&p[j].d, &key[j], sizeof(double));
    p[j].i = ix[j];
  }
  return 2;
}


/* Counting transpose of the nr x nc sparse matrix (rp, col, val) --
 * rows in any column order, zero values dropped -- into (tp, tc, tv),
 * each row of which lists its columns in increasing order.  The rows are
 * split into one block per thread; each block counts its entries per
 * column, every block's start within each output row follows from the
 * counts in block order, and each block then places its entries in row
 * order, so the result is the serial transpose's, for any thread count.
 * tp: nc + 1; tc, tv: the nonzero count. */
static cn_status transpose(int64_t nr, int64_t nc, const int64_t *rp, const int32_t *col,
                           const double *val, int64_t *tp, int32_t *tc, double *tv, int nth) {
  if (nth < 1) nth = 1;
  int64_t *cnt = calloc((size_t)nth * (size_t)nc, sizeof(int64_t));
  if (!cnt) return CN_ENOMEM;
#pragma omp parallel num_threads(nth)
  {
    int b = omp_get_thread_num(), nb = omp_get_num_threads();
    int64_t *cb = cnt + (size_t)b * (size_t)nc;
    int64_t r0 = nr * b / nb, r1 = nr * (b + 1) / nb;
    for (int64_t i = r0; i < r1; i++)
      for (int64_t a = rp[i]; a < rp[i + 1]; a++) cb[col[a]] += val[a] != 0;
#pragma omp barrier
#pragma omp single
    {
      int64_t pos = 0;
      for (int64_t c = 0; c < nc; c++) {
        tp[c] = pos;
        for (int t = 0; t < nb; t++) {
          int64_t m = cnt[(size_t)t * (size_t)nc + c];
          cnt[(size_t)t * (size_t)nc + c] = pos;
          pos += m;
        }
      }
      tp[nc] = pos;
    }
    for (int64_t i = r0; i < r1; i++)
      for (int64_t a = rp[i]; a < rp[i + 1]; a++)
        if (val[a] != 0) {
          int64_t q = cb[col[a]]++;
          tc[q] = (int32_t)i;
          tv[q] = val[a];
        }
  }
  free(cnt);
  return CN_OK;
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
  for (int64_t i = 0; i < n; i++) {
    double s = 0;
    for (int64_t j = 0; j < dim; j++) s += X[i * dim + j] * X[i * dim + j];
    norms[i] = s;
  }
  /* the fast rows (cosine, euclidean) read X by column and the norms'
   * square roots; the others keep the plain per-pair loop */
  int fast = !cn_asa_fuzzy_plain && (metric == CN_METRIC_COSINE || metric == CN_METRIC_EUCLIDEAN);
  double *XT = fast ? malloc(sizeof(double) * (size_t)(n * dim + n)) : NULL;
  if (fast && !XT) {
    free(kidx); free(kd); free(norms);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
  double *sn = fast ? XT + n * dim : NULL;
  if (fast) {
    for (int64_t i = 0; i < n; i++) {
      sn[i] = sqrt(norms[i]);
      for (int64_t c = 0; c < dim; c++) XT[c * n + i] = X[i * dim + c];
    }
  }
  int nth = num_threads > 0 ? num_threads : cn_threads_for(n * n * (dim + 4));
  int failed = 0;
#pragma omp parallel num_threads(nth)
  {
    dpair *p = malloc(sizeof(dpair) * (size_t)n);
    double *dd = malloc(sizeof(double) * (size_t)(4 * n));
    if (!p || !dd) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(dynamic, 16)
    for (int64_t i = 0; i < n; i++) {
      if (!p || !dd) continue;
      const double *a = X + i * dim;
      int done = fast ? knn_row_fast(a, XT, sn, sn[i], n, dim, i, metric, k, dd, p) : 0;
      if (!done) {
        for (int64_t j = 0; j < n; j++) {
          p[j].i = (int32_t)j;
          p[j].d = j == i ? 0.0 : dist(a, X + j * dim, norms[i], norms[j], dim, metric);
        }
        if (k < n) select_k(p, n, k);
      }
      if (done != 2) sort_pairs(p, k);
      for (int64_t j = 0; j < k; j++) {
        kidx[i * k + j] = p[j].i;
        kd[i * k + j] = p[j].d;
      }
    }
    free(p);
    free(dd);
  }
  free(XT);
  free(norms);
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
  /* W' by a counting transpose of W read row by row in its kNN order
   * (W' rows come out with increasing columns; zeros dropped), then W
   * again as the transpose of W' (now with increasing columns too): no
   * sort.  The sorted W goes into the kNN arrays, so that no more fresh
   * memory is touched than needed (nnz < n k: each point's own
   * membership is 0). */
  int64_t *kp = malloc(sizeof(int64_t) * (size_t)(n + 1));
  int64_t *rp = malloc(sizeof(int64_t) * (size_t)(n + 1));
  int64_t *tp = malloc(sizeof(int64_t) * (size_t)(n + 1));
  int64_t nnz = 0;
  if (kp && rp && tp) {
    for (int64_t i = 0; i <= n; i++) kp[i] = i * k;
    int64_t c = 0;
#pragma omp parallel for num_threads(nth) reduction(+ : c) schedule(static)
    for (int64_t q = 0; q < n * k; q++) c += W[q] != 0;
    nnz = c;
  }
  int32_t *tc = malloc(sizeof(int32_t) * (size_t)(nnz + 1));
  double *tv = malloc(sizeof(double) * (size_t)(nnz + 1));
  int32_t *wc = kidx;
  double *wv = kd;
  if (!kp || !rp || !tp || !tc || !tv || transpose(n, n, kp, kidx, W, tp, tc, tv, nth) != CN_OK ||
      transpose(n, n, tp, tc, tv, rp, wc, wv, nth) != CN_OK) {
    free(kidx); free(kd); free(kp); free(rp); free(tp); free(tc); free(tv);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
  free(kp);
  /* union: merge row i of W and of W' */
  int64_t *up = calloc((size_t)n + 1, sizeof(int64_t));
  if (!up) {
    free(rp); free(tp); free(wc); free(wv); free(tc); free(tv);
    return cn_error(CN_ENOMEM, "fuzzy graph: out of memory");
  }
  /* each row's merged length (rows on their own), then their sums */
#pragma omp parallel for num_threads(nth) schedule(dynamic, 64)
  for (int64_t i = 0; i < n; i++) {
    int64_t a = rp[i], ae = rp[i + 1], b = tp[i], be = tp[i + 1], c = 0;
    while (a < ae || b < be) {
      if (b >= be || (a < ae && wc[a] < tc[b])) a++;
      else if (a >= ae || tc[b] < wc[a]) b++;
      else { a++; b++; }
      c++;
    }
    up[i + 1] = c;
  }
  for (int64_t i = 0; i < n; i++) up[i + 1] += up[i];
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
